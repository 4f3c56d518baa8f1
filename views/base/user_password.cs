<div class="page-head"><h1><?cs var:Lang.pw.reset_title ?> · <?cs var:Page.name ?> (<?cs var:Page.username ?>)</h1>
<div class="page-actions"><a class="btn btn-link btn-sm" href="/base/users/<?cs var:Page.id ?>/edit">← <?cs var:Lang.back ?></a></div></div>
<?cs call:flash() ?>
<div class="card form-card narrow">
<form method="post" action="/base/users/<?cs var:Page.id ?>/password" class="card-body" novalidate>
  <?cs call:csrf_field() ?>
  <p class="text-muted"><?cs var:Lang.pw.reset_hint ?></p>
  <div class="mb-3"><label class="form-label" for="password"><?cs var:Lang.f.new ?></label>
    <input class="form-control<?cs if:Page.errors.password ?> is-invalid<?cs /if ?>" type="password" id="password" name="password" autocomplete="new-password" maxlength="128"><div class="form-text"><?cs var:Lang.hint.user.password ?></div><?cs call:field_error("password") ?></div>
  <button class="btn btn-warning" type="submit"><?cs var:Lang.pw.reset_title ?></button>
</form>
</div>
