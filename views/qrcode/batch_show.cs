<?cs # One batch: its rule, code range, progress, code states, and the label pages to print. ?>
<div class="page-head">
  <h1><?cs var:Lang.res.qr_batch ?> #<?cs var:Page.batch.id ?></h1>
  <div class="page-actions"><a class="btn btn-link btn-sm" href="/qr/batches">← <?cs var:Lang.back ?></a></div>
</div>
<?cs call:flash() ?>
<div class="card mb-3">
  <div class="card-body">
    <dl class="row mb-0 batch-facts">
      <dt class="col-sm-3"><?cs var:Lang.f.rule ?></dt><dd class="col-sm-9"><?cs var:Page.batch.rule ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.company ?></dt><dd class="col-sm-9"><?cs var:Page.batch.company ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.qr.range ?></dt><dd class="col-sm-9"><code class="batch-first"><?cs var:Page.batch.first_code ?></code> – <code class="batch-last"><?cs var:Page.batch.last_code ?></code></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.count ?></dt><dd class="col-sm-9 num"><?cs var:Page.batch.count ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.state ?></dt><dd class="col-sm-9"><span class="tag tag-<?cs var:Page.batch.state ?> batch-state"><?cs var:Page.batch.state_label ?></span></dd>
      <dt class="col-sm-3"><?cs var:Lang.qr.progress ?></dt><dd class="col-sm-9"><progress max="100" value="<?cs var:Page.batch.percent ?>"><?cs var:Page.batch.percent ?>%</progress> <span class="batch-done"><?cs var:Page.batch.done_count ?></span> / <?cs var:Page.batch.count ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.qr.codes_unused ?> / <?cs var:Lang.qr.codes_bound ?> / <?cs var:Lang.qr.codes_void ?></dt><dd class="col-sm-9 num"><?cs if:Page.batch.codes_unused ?><?cs var:Page.batch.codes_unused ?><?cs else ?>0<?cs /if ?> / <?cs if:Page.batch.codes_bound ?><?cs var:Page.batch.codes_bound ?><?cs else ?>0<?cs /if ?> / <?cs if:Page.batch.codes_void ?><?cs var:Page.batch.codes_void ?><?cs else ?>0<?cs /if ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.created_by ?></dt><dd class="col-sm-9"><?cs var:Page.batch.created_by ?> · <?cs var:Page.batch.created_at ?></dd>
      <?cs if:Page.batch.note ?><dt class="col-sm-3"><?cs var:Lang.f.note ?></dt><dd class="col-sm-9"><?cs var:Page.batch.note ?></dd><?cs /if ?>
    </dl>
  </div>
  <?cs if:Page.batch.state != "done" ?>
  <form method="post" action="/qr/batches/<?cs var:Page.batch.id ?>/generate" class="card-footer">
    <?cs call:csrf_field() ?>
    <button class="btn btn-warning btn-sm" type="submit"><?cs var:Lang.qr.continue ?></button>
  </form>
  <?cs /if ?>
</div>
<?cs if:Page.batch.done_count > 0 ?>
<div class="card">
  <form method="get" action="/qr/batches/<?cs var:Page.batch.id ?>/labels" class="card-body label-open">
    <h2 class="h6"><?cs var:Lang.qr.print_labels ?></h2>
    <p class="text-muted small"><?cs var:Lang.qr.label_hint ?></p>
    <div class="filter-bar-inline d-flex flex-wrap gap-2 align-items-end">
      <label><span class="form-label"><?cs var:Lang.qr.layout ?></span>
        <select class="form-select form-select-sm" name="layout">
          <option value="a4"><?cs var:Lang.qr.layout_a4 ?></option>
          <option value="roll"><?cs var:Lang.qr.layout_roll ?></option>
        </select></label>
      <label><span class="form-label"><?cs var:Lang.qr.page ?> (1–<?cs var:Page.pages ?>)</span>
        <input class="form-control form-control-sm" type="number" name="page" min="1" max="<?cs var:Page.pages ?>" value="1"></label>
      <button class="btn btn-primary btn-sm" type="submit"><?cs var:Lang.qr.open_labels ?></button>
    </div>
  </form>
</div>
<?cs /if ?>
<?cs if:Page.can_piles && Page.batch.codes_unused > 0 ?>
<div class="card mt-3" id="piles">
<form method="post" action="/qr/batches/<?cs var:Page.batch.id ?>/piles" class="card-body entity-form piles-form" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="form_key" value="<?cs var:Page.form.form_key ?>">
  <h2 class="h6"><?cs var:Lang.qr.piles_title ?></h2>
  <p class="text-muted small"><?cs var:Lang.qr.piles_hint ?></p>
  <div class="form-grid">
    <div class="form-field">
      <label class="form-label" for="f-product_id"><?cs var:Lang.f.product_id ?> <span class="req" title="<?cs var:Lang.required_mark ?>">*</span></label>
      <select class="form-select<?cs if:Page.errors.product_id ?> is-invalid<?cs /if ?>" id="f-product_id" name="product_id" required>
        <option value="">—</option>
        <?cs each:o = Page.opts.products ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.product_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs call:field_error("product_id") ?>
    </div>
    <div class="form-field">
      <label class="form-label" for="f-company_id"><?cs var:Lang.f.company_id ?> <span class="req" title="<?cs var:Lang.required_mark ?>">*</span></label>
      <select class="form-select<?cs if:Page.errors.company_id ?> is-invalid<?cs /if ?>" id="f-company_id" name="company_id" required>
        <option value="">—</option>
        <?cs each:o = Page.opts.companies ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.company_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs call:field_error("company_id") ?>
    </div>
    <div class="form-field">
      <label class="form-label" for="f-warehouse_id"><?cs var:Lang.f.warehouse_id ?></label>
      <select class="form-select<?cs if:Page.errors.warehouse_id ?> is-invalid<?cs /if ?>" id="f-warehouse_id" name="warehouse_id">
        <option value="">—</option>
        <?cs each:o = Page.opts.warehouses ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.warehouse_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs call:field_error("warehouse_id") ?>
    </div>
    <div class="form-field">
      <label class="form-label" for="f-from_code"><?cs var:Lang.f.from_code ?></label>
      <input class="form-control<?cs if:Page.errors.from_code ?> is-invalid<?cs /if ?>" id="f-from_code" name="from_code" type="text" maxlength="300" value="<?cs var:Page.form.from_code ?>" placeholder="<?cs var:Page.batch.first_code ?>">
      <div class="form-text"><?cs var:Lang.qr.from_code_hint ?></div>
      <?cs call:field_error("from_code") ?>
    </div>
    <div class="form-field">
      <label class="form-label" for="f-count"><?cs var:Lang.f.count ?></label>
      <input class="form-control<?cs if:Page.errors.count ?> is-invalid<?cs /if ?>" id="f-count" name="count" type="number" min="1" max="<?cs var:Page.batch.codes_unused ?>" value="<?cs var:Page.form.count ?>" placeholder="<?cs var:Page.batch.codes_unused ?>">
      <div class="form-text"><?cs var:Lang.qr.count_free_hint ?> (<?cs var:Page.batch.codes_unused ?>)</div>
      <?cs call:field_error("count") ?>
    </div>
  </div>
  <div class="form-actions">
    <button class="btn btn-primary" type="submit"><?cs var:Lang.qr.piles_submit ?></button>
  </div>
</form>
</div>
<?cs /if ?>
<?cs if:Page.batch.done_count > 0 ?>
<section class="card mt-3 table-card" id="codes">
  <div class="card-body pb-2 d-flex flex-wrap gap-2 align-items-end justify-content-between">
    <h2 class="h6 mb-0"><?cs var:Lang.qr.codes_title ?> <span class="text-muted small codes-total">(<?cs var:Page.ctotal ?>)</span></h2>
    <form method="get" action="/qr/batches/<?cs var:Page.batch.id ?>" class="d-flex gap-2 align-items-center">
      <label class="visually-hidden" for="f-cstate"><?cs var:Lang.f.state ?></label>
      <select class="form-select form-select-sm auto-submit" id="f-cstate" name="cstate">
        <option value=""><?cs var:Lang.qr.all_states ?></option>
        <option value="unused"<?cs if:Page.cstate == "unused" ?> selected<?cs /if ?>><?cs var:Lang.enum.qr_code_state.unused ?></option>
        <option value="bound"<?cs if:Page.cstate == "bound" ?> selected<?cs /if ?>><?cs var:Lang.enum.qr_code_state.bound ?></option>
        <option value="void"<?cs if:Page.cstate == "void" ?> selected<?cs /if ?>><?cs var:Lang.enum.qr_code_state.void ?></option>
      </select>
      <noscript><button class="btn btn-sm btn-outline-secondary" type="submit"><?cs var:Lang.qr.filter ?></button></noscript>
    </form>
  </div>
  <?cs if:subcount(Page.codes) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table codes-table">
    <thead><tr><th class="text-end"><?cs var:Lang.qr.serial ?></th><th><?cs var:Lang.f.code ?></th><th><?cs var:Lang.f.state ?></th><th><?cs var:Lang.qr.pile ?></th></tr></thead>
    <tbody><?cs each:c = Page.codes ?><tr data-code="<?cs var:c.code ?>">
      <td class="text-end num" data-label="<?cs var:Lang.qr.serial ?>"><?cs var:c.serial ?></td>
      <td data-label="<?cs var:Lang.f.code ?>"><a class="code-text" href="/qr/codes/<?cs var:url_escape(c.code) ?>"><?cs var:c.code ?></a></td>
      <td data-label="<?cs var:Lang.f.state ?>"><span class="tag tag-<?cs var:c.state ?> code-state"><?cs var:c.state_label ?></span><?cs if:c.void_reason ?> <small class="text-muted"><?cs var:c.void_reason ?></small><?cs /if ?></td>
      <td data-label="<?cs var:Lang.qr.pile ?>" class="code-pile"><?cs if:c.pile_id ?><a href="/asset/piles/<?cs var:c.pile_id ?>"><?cs var:c.pile_code ?></a><?cs if:c.replaced_by ?> <small class="text-muted">(<?cs var:Lang.qr.replaced_by ?> <?cs var:c.replaced_by ?>)</small><?cs /if ?><?cs elif:c.pile_code ?><?cs var:c.pile_code ?><?cs else ?><span class="text-muted"><?cs var:Lang.qr.free ?></span><?cs /if ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <div class="list-foot">
    <span class="text-muted small"><?cs var:Lang.qr.page ?> <?cs var:Page.cpage ?> / <?cs var:Page.cpages ?></span>
    <nav aria-label="pagination"><ul class="pagination pagination-sm mb-0">
      <li class="page-item<?cs if:!Page.cprev ?> disabled<?cs /if ?>"><a class="page-link" href="/qr/batches/<?cs var:Page.batch.id ?>?cstate=<?cs var:Page.cstate ?>&amp;cpage=<?cs var:Page.cprev ?>#codes"><?cs var:Lang.prev ?></a></li>
      <li class="page-item<?cs if:!Page.cnext ?> disabled<?cs /if ?>"><a class="page-link codes-next" href="/qr/batches/<?cs var:Page.batch.id ?>?cstate=<?cs var:Page.cstate ?>&amp;cpage=<?cs var:Page.cnext ?>#codes"><?cs var:Lang.next ?></a></li>
    </ul></nav>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.empty ?></p></div><?cs /if ?>
</section>
<?cs /if ?>
