<?cs # One document (core/doc.c): its facts (Page.doc_view), lines, the actions this user may take
     in its state, and its history.  Every action posts the header's version (stale-edit). ?>
<div class="page-head">
  <h1><?cs var:Page.res_label ?><?cs if:Page.doc.title ?> · <?cs var:Page.doc.title ?><?cs /if ?> <span class="tag tag-<?cs var:Page.doc.state ?>" id="doc-state"><?cs var:Page.doc.state_label ?></span></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="<?cs var:Page.base ?>">← <?cs var:Lang.back ?></a>
    <a class="btn btn-outline-secondary btn-sm" id="doc-print" href="<?cs var:Page.base ?>/<?cs var:Page.id ?>/print"><?cs var:Lang.doc.print ?></a>
    <?cs if:Page.can_records ?><a class="btn btn-outline-secondary btn-sm" href="/base/records?entity=<?cs var:Page.res ?>&amp;entity_id=<?cs var:Page.id ?>"><?cs var:Lang.pilecard.records ?></a><?cs /if ?>
  </div>
</div>
<?cs call:flash() ?>
<?cs include:Page.doc_view ?>
<?cs if:Page.lines_title ?>
<section class="card mt-3 table-card" id="doc-lines">
  <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Page.lines_title ?> <span class="text-muted small"><?cs var:Page.lines_count ?></span></h2></div>
  <?cs if:subcount(Page.lines) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><?cs each:h = Page.line_cols ?><th><?cs var:h.label ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:l = Page.lines ?><tr><?cs each:c = l.cells ?><?cs set:lbl = Page.line_cols[name(c)].label ?>
      <td data-label="<?cs var:lbl ?>"<?cs if:c.kind == "n" ?> class="num"<?cs elif:c.kind == "y" ?> class="num money"<?cs /if ?>><?cs if:c.href ?><a href="<?cs var:c.href ?>"><?cs var:c.text ?></a><?cs else ?><?cs var:c.text ?><?cs /if ?></td><?cs /each ?>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <?cs if:Page.lines_more ?><p class="text-muted small px-3 py-2 mb-0"><?cs var:Lang.doc.lines_more ?></p><?cs /if ?>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.doc.no_lines ?></p></div><?cs /if ?>
</section>
<?cs /if ?>
<?cs if:subcount(Page.actions) ?>
<section class="card mt-3">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.doc.actions ?></h2>
    <form method="post" action="<?cs var:Page.base ?>/<?cs var:Page.id ?>/<?cs var:Page.actions.0.action ?>" id="doc-form">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="version" value="<?cs var:Page.doc.version ?>">
      <?cs if:Page.actions_note ?>
      <label class="form-label" for="f-note"><?cs var:Lang.doc.note ?></label>
      <textarea class="form-control<?cs if:Page.errors.note ?> is-invalid<?cs /if ?>" id="f-note" name="note" rows="3" maxlength="500" placeholder="<?cs var:Lang.doc[Page.res].note_hint ?>"><?cs var:Page.form.note ?></textarea>
      <?cs call:field_error("note") ?>
      <?cs /if ?>
      <div class="d-flex flex-wrap gap-2 mt-3">
        <?cs each:a = Page.actions ?><button class="btn <?cs if:a.danger ?>btn-outline-danger<?cs elif:name(a) == "0" ?>btn-primary<?cs else ?>btn-outline-secondary<?cs /if ?>" type="submit" formaction="<?cs var:Page.base ?>/<?cs var:Page.id ?>/<?cs var:a.action ?>" data-action="<?cs var:a.action ?>"<?cs if:a.danger ?> data-confirm="<?cs var:Lang.doc.confirm ?>"<?cs /if ?>><?cs var:a.label ?></button><?cs /each ?>
      </div>
    </form>
  </div>
</section>
<?cs /if ?>
<section class="card mt-3 table-card" id="doc-history">
  <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.doc.history ?></h2></div>
  <?cs if:subcount(Page.history) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><th><?cs var:Lang.f.at ?></th><th><?cs var:Lang.f.user ?></th><th><?cs var:Lang.f.action ?></th><th><?cs var:Lang.stationpage.field ?></th><th><?cs var:Lang.doc.change ?></th></tr></thead>
    <tbody><?cs each:e = Page.history ?><tr>
      <td data-label="<?cs var:Lang.f.at ?>" class="col-at"><?cs var:e.at ?></td>
      <td data-label="<?cs var:Lang.f.user ?>"><?cs if:e.user ?><?cs var:e.user ?><?cs else ?><?cs var:Lang.doc.system ?><?cs /if ?></td>
      <td data-label="<?cs var:Lang.f.action ?>"><?cs var:e.action ?></td>
      <td data-label="<?cs var:Lang.stationpage.field ?>"><?cs if:e.field ?><?cs var:e.field ?><?cs else ?>—<?cs /if ?></td>
      <td data-label="<?cs var:Lang.doc.change ?>" class="cell-text"><?cs if:e.old ?><span class="text-muted"><?cs var:e.old ?></span> → <?cs /if ?><?cs var:e.new ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.pilecard.none ?></p></div><?cs /if ?>
</section>
