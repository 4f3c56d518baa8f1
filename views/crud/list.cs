<?cs # The generic list (core/crud.c crud_list).  A resource may rename the "new" button (Page.new_label)
     and replace the edit link by its own row actions (Page.row_actions.N: suffix after <base>/<id>, label, class). ?>
<div class="page-head">
  <h1><?cs var:Page.res_label ?></h1>
  <div class="page-actions">
    <div class="btn-group">
      <a class="btn btn-outline-secondary btn-sm" href="<?cs var:Page.base ?>/export?fmt=csv&amp;sort=<?cs var:Page.sort ?>&amp;dir=<?cs var:Page.dir ?><?cs var:Page.qs ?>"><?cs var:Lang.export_csv ?></a>
      <a class="btn btn-outline-secondary btn-sm" href="<?cs var:Page.base ?>/export?fmt=xlsx&amp;sort=<?cs var:Page.sort ?>&amp;dir=<?cs var:Page.dir ?><?cs var:Page.qs ?>"><?cs var:Lang.export_xlsx ?></a>
    </div>
    <?cs if:Page.can_edit ?><a class="btn btn-primary btn-sm" href="<?cs var:Page.base ?>/new"><?cs if:Page.new_label ?><?cs var:Page.new_label ?><?cs else ?><?cs var:Lang.new ?><?cs /if ?></a><?cs /if ?>
  </div>
</div>
<?cs call:flash() ?>
<?cs if:subcount(Page.filters) ?>
<?cs call:filter_bar(Page.base) ?>
<?cs /if ?>
<div class="card table-card">
<?cs if:Page.count == 0 ?>
  <div class="empty-state">
    <div class="empty-icon" aria-hidden="true">∅</div>
    <p class="mb-1"><?cs var:Lang.empty ?></p>
    <p class="text-muted small"><?cs var:Lang.empty_hint ?></p>
  </div>
<?cs else ?>
  <?cs # Rows ticked for the resource's batch actions (Page.batch: the form's default action; its bar
       of buttons is the resource's own template, included by name: ClearSilver resolves an include
       when it parses, so the name is a literal); each row's box sits in its 'k' cell, the one
       naming the row. ?>
  <?cs if:Page.batch ?><form id="batch-form" class="batch-form" method="post" action="<?cs var:Page.batch ?>" data-batch>
  <?cs call:csrf_field() ?>
  <?cs if:Page.res == "pile" ?><?cs include:"asset/pile_batch_bar.cs" ?><?cs /if ?>
  <?cs /if ?>
  <div class="table-responsive">
  <table class="table table-hover align-middle mb-0 data-table list-<?cs var:Page.res ?>">
    <thead><tr>
      <?cs each:c = Page.cols ?><?cs if:c.kind != "x" ?><th scope="col" class="col-<?cs var:c.name ?><?cs if:c.kind == "n" || c.kind == "c" || c.kind == "y" ?> text-end<?cs /if ?>"><?cs call:sort_link(c) ?></th><?cs /if ?><?cs /each ?>
      <?cs if:Page.can_edit || subcount(Page.row_actions) ?><th scope="col" class="text-end"><?cs var:Lang.actions ?></th><?cs /if ?>
    </tr></thead>
    <tbody>
    <?cs each:row = Page.rows ?><tr>
      <?cs each:c = Page.cols ?><?cs if:c.kind == "k" ?><td data-label="<?cs var:c.label ?>"><?cs if:Page.batch ?><span class="pick-cell"><input class="form-check-input row-pick" type="checkbox" name="ids" value="<?cs var:row.id ?>" aria-label="<?cs var:Lang.batch.pick ?> <?cs var:row[c.name] ?>"> <?cs /if ?><?cs if:Page.has_show ?><a href="<?cs var:Page.base ?>/<?cs var:row.id ?>"><?cs var:row[c.name] ?></a><?cs elif:Page.can_edit ?><a href="<?cs var:Page.base ?>/<?cs var:row.id ?>/edit"><?cs var:row[c.name] ?></a><?cs else ?><?cs var:row[c.name] ?><?cs /if ?><?cs if:Page.batch ?></span><?cs /if ?></td><?cs elif:c.kind == "b" ?><td data-label="<?cs var:c.label ?>"><span class="badge <?cs if:row[c.name + "_raw"] == "1" ?>text-bg-success<?cs else ?>text-bg-secondary<?cs /if ?>"><?cs var:row[c.name] ?></span></td><?cs elif:c.kind == "e" ?><td data-label="<?cs var:c.label ?>"><span class="tag tag-<?cs var:row[c.name + "_raw"] ?>"><?cs var:row[c.name] ?></span></td><?cs elif:c.kind == "n" ?><td class="text-end num" data-label="<?cs var:c.label ?>"><?cs var:row[c.name] ?></td><?cs elif:c.kind == "y" ?><td class="text-end num money col-<?cs var:c.name ?>" data-label="<?cs var:c.label ?>"><?cs var:row[c.name] ?></td><?cs elif:c.kind == "a" || c.kind == "c" ?><td data-label="<?cs var:c.label ?>" class="<?cs if:c.kind == "c" ?>text-end num<?cs else ?>cell-link<?cs /if ?> col-<?cs var:c.name ?>"><?cs if:row[c.name + "_href"] ?><a href="<?cs var:row[c.name + "_href"] ?>"><?cs var:row[c.name] ?></a><?cs else ?><?cs var:row[c.name] ?><?cs /if ?></td><?cs elif:c.kind != "x" ?><td data-label="<?cs var:c.label ?>" class="cell-text col-<?cs var:c.name ?>"><?cs var:row[c.name] ?></td><?cs /if ?><?cs /each ?>
      <?cs if:subcount(Page.row_actions) ?><td class="text-end text-nowrap"><?cs each:a = Page.row_actions ?> <a class="btn btn-sm <?cs var:a.class ?>" href="<?cs var:Page.base ?>/<?cs var:row.id ?><?cs var:a.suffix ?>"><?cs var:a.label ?></a><?cs /each ?></td><?cs elif:Page.can_edit ?><td class="text-end"><a class="btn btn-sm btn-outline-primary" href="<?cs var:Page.base ?>/<?cs var:row.id ?>/edit"><?cs var:Lang.edit ?></a></td><?cs /if ?>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs if:Page.batch ?></form><?cs /if ?>
<?cs /if ?>
  <?cs call:list_foot() ?>
</div>
