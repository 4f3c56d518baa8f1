<?cs include:"wechat/head.cs" ?>
<section class="wx-card wx-login">
  <div class="wx-login-brand">
    <img src="/assets/img/logo.svg" alt="" width="44" height="44">
    <div><strong><?cs var:Lang.app_name ?></strong><span><?cs var:Lang.wx.login_sub ?></span></div>
  </div>
  <?cs if:Page.link_pending ?><div class="alert alert-success wx-link-note" role="status"><strong><?cs var:Lang.wx.oauth.link_title ?></strong><br><?cs var:Lang.wx.oauth.link_hint ?></div><?cs /if ?>
  <?cs call:flash() ?>
  <form method="post" action="/wx/login" novalidate>
    <input type="hidden" name="_csrf" value="<?cs var:Page.pre_csrf ?>">
    <input type="hidden" name="next" value="<?cs var:Page.next ?>">
    <label class="form-label" for="username"><?cs var:Lang.f.username ?></label>
    <input class="form-control form-control-lg<?cs if:Page.errors.username ?> is-invalid<?cs /if ?>" id="username" name="username" value="<?cs var:Page.form.username ?>" autocomplete="username" autocapitalize="off" maxlength="32" required>
    <?cs call:field_error("username") ?>
    <label class="form-label mt-3" for="password"><?cs var:Lang.f.password ?></label>
    <input class="form-control form-control-lg<?cs if:Page.errors.password ?> is-invalid<?cs /if ?>" id="password" name="password" type="password" autocomplete="current-password" maxlength="128" required>
    <?cs call:field_error("password") ?>
    <button class="btn btn-primary btn-lg w-100 mt-4" type="submit"><?cs var:Lang.login.submit ?></button>
  </form>
  <p class="wx-hint"><?cs var:Lang.wx.login_hint ?></p>
  <p class="wx-hint text-center mb-0"><a href="/base/lang?to=<?cs var:Site.other_lang ?>&amp;next=<?cs var:url_escape(Req.path) ?>"><?cs var:Lang.language ?></a></p>
</section>
<?cs include:"wechat/foot.cs" ?>
