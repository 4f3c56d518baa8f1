<div class="page-head">
  <h1><?cs var:Lang.versions.set ?> · <?cs var:Page.product.model ?></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="/asset/versions#p<?cs var:Page.id ?>">← <?cs var:Lang.back ?></a>
    <?cs if:Perm.audit_view ?><a class="btn btn-outline-secondary btn-sm" href="/base/records?entity=product_version&amp;entity_id=<?cs var:Page.id ?>"><?cs var:Lang.res.record ?></a><?cs /if ?>
  </div>
</div>
<?cs call:flash() ?>
<?cs if:Page.stale ?><div class="alert alert-warning"><?cs var:Lang.current_values ?></div><?cs /if ?>
<div class="card form-card">
<form method="post" action="/asset/versions/<?cs var:Page.id ?>" class="card-body entity-form" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="version" value="<?cs var:Page.version ?>">
  <dl class="facts mb-3">
    <dt><?cs var:Lang.f.manufacturer ?></dt><dd><?cs var:Page.product.manufacturer ?></dd>
    <dt><?cs var:Lang.f.model ?></dt><dd><?cs var:Page.product.model ?></dd>
    <dt><?cs var:Lang.f.product ?></dt><dd><?cs var:Page.product.name ?></dd>
    <?cs if:Page.product.updated_at ?><dt><?cs var:Lang.versions.updated ?></dt><dd><?cs var:Page.product.updated_at ?> · <?cs var:Page.product.updated_by ?></dd><?cs /if ?>
  </dl>
  <div class="form-grid">
    <div class="form-field">
      <label class="form-label" for="f-sw_target"><?cs var:Lang.f.sw_target ?></label>
      <input class="form-control<?cs if:Page.errors.sw_target ?> is-invalid<?cs /if ?>" id="f-sw_target" name="sw_target" type="text" value="<?cs var:Page.form.sw_target ?>" maxlength="32" autocomplete="off">
      <div class="form-text"><?cs var:Lang.hint.version.sw_target ?></div>
      <?cs call:field_error("sw_target") ?>
    </div>
    <div class="form-field">
      <label class="form-label" for="f-hw_target"><?cs var:Lang.f.hw_target ?></label>
      <input class="form-control<?cs if:Page.errors.hw_target ?> is-invalid<?cs /if ?>" id="f-hw_target" name="hw_target" type="text" value="<?cs var:Page.form.hw_target ?>" maxlength="32" autocomplete="off">
      <div class="form-text"><?cs var:Lang.hint.version.hw_target ?></div>
      <?cs call:field_error("hw_target") ?>
    </div>
  </div>
  <p class="text-muted small mt-3 mb-0"><?cs var:Lang.versions.rule ?></p>
  <div class="form-actions">
    <button class="btn btn-primary" type="submit"><?cs var:Lang.save ?></button>
    <a class="btn btn-outline-secondary" href="/asset/versions#p<?cs var:Page.id ?>"><?cs var:Lang.cancel ?></a>
  </div>
</form>
</div>
