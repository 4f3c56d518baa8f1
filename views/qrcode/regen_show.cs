<?cs # One pile's code: reprint the same label (copies, layout) or replace the code (old one void, new one drawn from a rule). ?>
<div class="page-head">
  <h1><?cs var:Lang.navitem.qr_regen ?> <code class="code-text regen-code"><?cs var:Page.pile.code ?></code></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="/qr/regenerate">← <?cs var:Lang.back ?></a>
    <a class="btn btn-outline-secondary btn-sm" href="/asset/piles/<?cs var:Page.pile.id ?>"><?cs var:Lang.qr.open_pile ?></a>
  </div>
</div>
<?cs call:flash() ?>
<div class="card mb-3">
  <div class="card-body d-flex flex-wrap gap-4 regen-head">
    <img class="code-label" src="/qr/piles/<?cs var:Page.pile.id ?>/svg" alt="<?cs var:Page.pile.code ?>" width="378" height="227">
    <dl class="facts flex-grow-1">
      <dt><?cs var:Lang.qr.current_code ?></dt><dd><code class="code-text"><?cs var:Page.pile.code ?></code><?cs if:Page.pile.generated ?> <a class="small" href="/qr/codes/<?cs var:url_escape(Page.pile.code) ?>"><?cs var:Page.pile.rule ?></a><?cs else ?> <span class="text-muted small"><?cs var:Lang.qr.plain_code ?></span><?cs /if ?></dd>
      <dt><?cs var:Lang.f.state ?></dt><dd><span class="tag tag-<?cs var:Page.pile.state ?>"><?cs var:Page.pile.state_label ?></span></dd>
      <dt><?cs var:Lang.f.company ?></dt><dd><?cs var:Page.pile.company ?></dd>
      <dt><?cs var:Lang.f.product ?></dt><dd><?cs if:Page.pile.model ?><?cs var:Page.pile.manufacturer ?> <?cs var:Page.pile.model ?><?cs else ?>—<?cs /if ?></dd>
      <dt><?cs var:Lang.f.location ?></dt><dd><?cs call:dash(Page.pile.place) ?></dd>
    </dl>
  </div>
</div>
<div class="card-grid">
  <section class="card">
    <form method="get" action="/qr/piles/<?cs var:Page.pile.id ?>/label" class="card-body reprint-form">
      <h2 class="section-title mt-0"><?cs var:Lang.qr.reprint_title ?></h2>
      <p class="text-muted small"><?cs var:Lang.qr.reprint_hint ?></p>
      <div class="d-flex flex-wrap gap-2 align-items-end">
        <label><span class="form-label"><?cs var:Lang.qr.layout ?></span>
          <select class="form-select form-select-sm" name="layout">
            <option value="roll"><?cs var:Lang.qr.layout_roll ?></option>
            <option value="a4"><?cs var:Lang.qr.layout_a4 ?></option>
          </select></label>
        <label><span class="form-label"><?cs var:Lang.f.copies ?> (1–100)</span>
          <input class="form-control form-control-sm<?cs if:Page.errors.copies ?> is-invalid<?cs /if ?>" id="f-copies" type="number" name="copies" min="1" max="100" value="<?cs var:Page.form.copies ?>"></label>
        <button class="btn btn-primary btn-sm" type="submit"><?cs var:Lang.qr.open_labels ?></button>
      </div>
      <?cs call:field_error("copies") ?>
    </form>
  </section>
  <section class="card">
    <form method="post" action="/qr/piles/<?cs var:Page.pile.id ?>/replace" class="card-body replace-form" data-confirm="<?cs var:Lang.qr.replace_confirm ?>" novalidate>
      <?cs call:csrf_field() ?>
      <input type="hidden" name="form_key" value="<?cs var:Page.form.form_key ?>">
      <input type="hidden" name="code" value="<?cs var:Page.pile.code ?>">
      <h2 class="section-title mt-0"><?cs var:Lang.qr.replace_title ?></h2>
      <p class="text-muted small"><?cs var:Lang.qr.replace_hint ?></p>
      <div class="form-field mb-2">
        <label class="form-label" for="f-reason"><?cs var:Lang.f.reason ?> <span class="req" title="<?cs var:Lang.required_mark ?>">*</span></label>
        <select class="form-select<?cs if:Page.errors.reason ?> is-invalid<?cs /if ?>" id="f-reason" name="reason" required>
          <option value="">—</option>
          <?cs each:o = Page.opts.reasons ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.reason ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
        </select>
        <?cs call:field_error("reason") ?>
      </div>
      <div class="form-field mb-2">
        <label class="form-label" for="f-rule_id"><?cs var:Lang.f.rule_id ?></label>
        <select class="form-select<?cs if:Page.errors.rule_id ?> is-invalid<?cs /if ?>" id="f-rule_id" name="rule_id">
          <option value=""><?cs if:Page.pile.generated ?><?cs var:Lang.qr.rule_keep ?><?cs else ?>—<?cs /if ?></option>
          <?cs each:o = Page.opts.rules ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.rule_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
        </select>
        <?cs call:field_error("rule_id") ?>
      </div>
      <div class="form-field mb-3">
        <label class="form-label" for="f-note"><?cs var:Lang.f.note ?></label>
        <input class="form-control<?cs if:Page.errors.note ?> is-invalid<?cs /if ?>" id="f-note" name="note" type="text" maxlength="200" value="<?cs var:Page.form.note ?>">
        <?cs call:field_error("note") ?>
      </div>
      <button class="btn btn-warning" type="submit"><?cs var:Lang.qr.replace_submit ?></button>
    </form>
  </section>
</div>
<?cs if:subcount(Page.history) ?>
<section class="card mt-3 table-card">
  <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.qr.history ?></h2></div>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table history-table">
    <thead><tr><th><?cs var:Lang.f.at ?></th><th><?cs var:Lang.qr.old_code ?></th><th><?cs var:Lang.qr.new_code ?></th><th><?cs var:Lang.f.reason ?></th><th><?cs var:Lang.f.note ?></th><th><?cs var:Lang.f.user ?></th></tr></thead>
    <tbody><?cs each:h = Page.history ?><tr>
      <td data-label="<?cs var:Lang.f.at ?>" class="col-at"><?cs var:h.at ?></td>
      <td data-label="<?cs var:Lang.qr.old_code ?>"><s class="code-text"><?cs var:h.old ?></s></td>
      <td data-label="<?cs var:Lang.qr.new_code ?>"><code class="code-text"><?cs var:h.new ?></code></td>
      <td data-label="<?cs var:Lang.f.reason ?>"><?cs var:h.reason ?></td>
      <td data-label="<?cs var:Lang.f.note ?>" class="cell-text"><?cs var:h.note ?></td>
      <td data-label="<?cs var:Lang.f.user ?>"><?cs var:h.user ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
</section>
<?cs /if ?>
