<div class="login-wrap">
  <div class="login-card card">
    <div class="card-body">
      <div class="login-brand">
        <img src="/assets/img/logo.svg" alt="" width="48" height="48">
        <div>
          <h1><?cs var:Lang.app_name ?></h1>
          <p class="text-muted"><?cs var:Lang.login.subtitle ?></p>
        </div>
      </div>
      <?cs call:flash() ?>
      <form method="post" action="/base/login" novalidate>
        <input type="hidden" name="_csrf" value="<?cs var:Page.pre_csrf ?>">
        <input type="hidden" name="next" value="<?cs var:Page.next ?>">
        <div class="mb-3">
          <label class="form-label" for="username"><?cs var:Lang.f.username ?></label>
          <input class="form-control form-control-lg<?cs if:Page.errors.username ?> is-invalid<?cs /if ?>" id="username" name="username" value="<?cs var:Page.form.username ?>" autocomplete="username" autofocus maxlength="32" required>
          <?cs call:field_error("username") ?>
        </div>
        <div class="mb-3">
          <label class="form-label" for="password"><?cs var:Lang.f.password ?></label>
          <input class="form-control form-control-lg<?cs if:Page.errors.password ?> is-invalid<?cs /if ?>" id="password" name="password" type="password" autocomplete="current-password" maxlength="128" required>
          <?cs call:field_error("password") ?>
        </div>
        <button class="btn btn-primary btn-lg w-100" type="submit"><?cs var:Lang.login.submit ?></button>
      </form>
      <div class="login-foot"><a href="/base/lang?to=<?cs var:Site.other_lang ?>&amp;next=/base/login"><?cs var:Lang.language ?></a></div>
    </div>
  </div>
</div>
