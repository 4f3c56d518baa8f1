<div class="page-head"><h1><?cs var:Lang.pw.title ?></h1></div>
<?cs call:flash() ?>
<div class="card form-card narrow">
<form method="post" action="/base/password" class="card-body" novalidate>
  <?cs call:csrf_field() ?>
  <div class="mb-3"><label class="form-label" for="current"><?cs var:Lang.f.current ?></label>
    <input class="form-control<?cs if:Page.errors.current ?> is-invalid<?cs /if ?>" type="password" id="current" name="current" autocomplete="current-password" maxlength="128"><?cs call:field_error("current") ?></div>
  <div class="mb-3"><label class="form-label" for="new"><?cs var:Lang.f.new ?></label>
    <input class="form-control<?cs if:Page.errors.new ?> is-invalid<?cs /if ?>" type="password" id="new" name="new" autocomplete="new-password" maxlength="128"><div class="form-text"><?cs var:Lang.hint.user.password ?></div><?cs call:field_error("new") ?></div>
  <div class="mb-3"><label class="form-label" for="confirm"><?cs var:Lang.f.confirm ?></label>
    <input class="form-control<?cs if:Page.errors.confirm ?> is-invalid<?cs /if ?>" type="password" id="confirm" name="confirm" autocomplete="new-password" maxlength="128"><?cs call:field_error("confirm") ?></div>
  <button class="btn btn-primary" type="submit"><?cs var:Lang.save ?></button>
</form>
</div>
<?cs include:"base/wxlink_card.cs" ?>
