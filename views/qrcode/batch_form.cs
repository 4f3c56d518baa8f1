<?cs # New batch: rule (labelled with the code it starts at), quantity, note; form_key makes a resubmit land on the same batch. ?>
<div class="page-head">
  <h1><?cs var:Lang.qr.new_batch ?></h1>
  <div class="page-actions"><a class="btn btn-link btn-sm" href="/qr/batches">← <?cs var:Lang.back ?></a></div>
</div>
<?cs call:flash() ?>
<?cs if:Page.no_rule ?>
<?cs # No enabled code rule in the user's scope (qrcode/batch.c no_rule): why, and where to fix it. ?>
<div class="alert alert-warning no-rule" role="status" id="no-rule">
  <p class="mb-2"><strong><?cs if:Page.no_rule == "disabled" ?><?cs var:Lang.qr.no_rule_disabled ?><?cs else ?><?cs var:Lang.qr.no_rule ?><?cs /if ?></strong></p>
  <p class="mb-2"><?cs var:Lang.qr.no_rule_why ?></p>
  <?cs if:Page.can_rule ?>
  <?cs if:Page.no_rule == "disabled" ?><a class="btn btn-primary btn-sm" href="/qr/rules?enabled=0"><?cs var:Lang.qr.no_rule_enable ?></a> <?cs /if ?>
  <a class="btn <?cs if:Page.no_rule == "disabled" ?>btn-outline-primary<?cs else ?>btn-primary<?cs /if ?> btn-sm" href="/qr/rules/new"><?cs var:Lang.qr.no_rule_create ?></a>
  <?cs else ?>
  <p class="mb-0"><?cs var:Lang.qr.no_rule_ask ?></p>
  <?cs /if ?>
</div>
<?cs /if ?>
<div class="card form-card">
<form method="post" action="/qr/batches" class="card-body entity-form" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="form_key" value="<?cs var:Page.form.form_key ?>">
  <div class="form-grid">
    <div class="form-field">
      <label class="form-label" for="f-rule_id"><?cs var:Lang.f.rule_id ?> <span class="req" title="<?cs var:Lang.required_mark ?>">*</span></label>
      <select class="form-select<?cs if:Page.errors.rule_id ?> is-invalid<?cs /if ?>" id="f-rule_id" name="rule_id" required<?cs if:Page.no_rule ?> disabled aria-describedby="no-rule"<?cs /if ?>>
        <option value=""><?cs if:Page.no_rule ?><?cs var:Lang.qr.no_rule_option ?><?cs else ?>—<?cs /if ?></option>
        <?cs each:o = Page.opts.rules ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.rule_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs call:field_error("rule_id") ?>
    </div>
    <div class="form-field">
      <label class="form-label" for="f-count"><?cs var:Lang.f.count ?> <span class="req" title="<?cs var:Lang.required_mark ?>">*</span></label>
      <input class="form-control<?cs if:Page.errors.count ?> is-invalid<?cs /if ?>" id="f-count" name="count" type="number" min="1" max="10000" value="<?cs var:Page.form.count ?>" required>
      <div class="form-text"><?cs var:Lang.qr.count_hint ?><?cs if:Page.capacity_left ?> · <?cs var:Page.capacity_left ?><?cs /if ?></div>
      <?cs call:field_error("count") ?>
    </div>
    <div class="form-field wide">
      <label class="form-label" for="f-note"><?cs var:Lang.f.note ?></label>
      <input class="form-control<?cs if:Page.errors.note ?> is-invalid<?cs /if ?>" id="f-note" name="note" type="text" maxlength="200" value="<?cs var:Page.form.note ?>">
      <?cs call:field_error("note") ?>
    </div>
  </div>
  <div class="form-actions">
    <button class="btn btn-primary" type="submit"<?cs if:Page.no_rule ?> disabled<?cs /if ?>><?cs var:Lang.qr.new_batch ?></button>
    <a class="btn btn-outline-secondary" href="/qr/batches"><?cs var:Lang.cancel ?></a>
  </div>
</form>
</div>
