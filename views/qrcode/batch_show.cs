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
