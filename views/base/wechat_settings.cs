<div class="page-head">
  <h1><?cs var:Lang.wx.title ?></h1>
  <div class="page-actions"><a class="btn btn-outline-primary btn-sm" href="/base/wechat/outbox"><?cs var:Lang.wx.outbox ?> →</a></div>
</div>
<?cs call:flash() ?>
<?cs if:Page.configured != "1" ?><div class="alert alert-warning"><?cs var:Lang.wx.not_configured ?></div><?cs /if ?>
<form method="post" action="/base/wechat" novalidate class="wx-settings">
<?cs call:csrf_field() ?>
<div class="card form-card mb-3">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.wx.account ?></h2>
    <div class="form-grid">
      <div class="form-field">
        <label class="form-label" for="f-appid">AppID <span class="req" title="<?cs var:Lang.required_mark ?>">*</span></label>
        <input class="form-control<?cs if:Page.errors.appid ?> is-invalid<?cs /if ?>" id="f-appid" name="appid" type="text" value="<?cs var:Page.form.appid ?>" maxlength="18" autocomplete="off" spellcheck="false">
        <div class="form-text"><?cs var:Lang.wx.appid_hint ?></div>
        <?cs call:field_error("appid") ?>
      </div>
      <div class="form-field">
        <label class="form-label" for="f-secret">AppSecret</label>
        <input class="form-control<?cs if:Page.errors.secret ?> is-invalid<?cs /if ?>" id="f-secret" name="secret" type="password" value="" maxlength="64" autocomplete="new-password" placeholder="<?cs if:Page.secret_mask ?><?cs var:Lang.wx.stored ?> <?cs var:Page.secret_mask ?><?cs /if ?>">
        <div class="form-text"><?cs if:Page.secret_mask ?><?cs var:Lang.wx.secret_kept ?> <code class="secret-mask"><?cs var:Page.secret_mask ?></code><?cs if:Page.secret_from == "config" ?> (<?cs var:Lang.wx.from_config ?>)<?cs /if ?><?cs else ?><?cs var:Lang.wx.secret_none ?><?cs /if ?></div>
        <?cs call:field_error("secret") ?>
      </div>
    </div>
    <dl class="account-facts small mt-3 mb-0">
      <dt><?cs var:Lang.wx.api_base ?></dt><dd><code><?cs var:Page.api_base ?></code></dd>
      <dt><?cs var:Lang.wx.wecom_base ?></dt><dd><code><?cs var:Page.wecom_base ?></code></dd>
      <dt><?cs var:Lang.wx.links ?></dt><dd><?cs var:Page.links ?></dd>
    </dl>
  </div>
</div>
<div class="card form-card mb-3">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.wx.templates ?></h2>
    <p class="text-muted small"><?cs var:Lang.wx.templates_hint ?></p>
    <div class="form-grid">
    <?cs each:t = Page.templates ?>
      <div class="form-field">
        <label class="form-label" for="f-<?cs var:t.field ?>"><?cs var:t.label ?></label>
        <input class="form-control<?cs if:Page.errors[t.field] ?> is-invalid<?cs /if ?>" id="f-<?cs var:t.field ?>" name="<?cs var:t.field ?>" type="text" value="<?cs var:t.value ?>" maxlength="64" spellcheck="false">
        <?cs call:field_error(t.field) ?>
      </div>
    <?cs /each ?>
    </div>
  </div>
</div>
<div class="card table-card mb-3">
  <div class="card-body pb-0">
    <h2 class="section-title mt-0"><?cs var:Lang.wx.robots ?></h2>
    <p class="text-muted small"><?cs var:Lang.wx.robots_hint ?></p>
  </div>
  <?cs if:subcount(Page.robots) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><th><?cs var:Lang.f.company ?></th><th><?cs var:Lang.wx.robot_current ?></th><th><?cs var:Lang.wx.robot_new ?></th><th><?cs var:Lang.wx.robot_remove ?></th></tr></thead>
    <tbody>
    <?cs each:c = Page.robots ?><tr>
      <td data-label="<?cs var:Lang.f.company ?>"><?cs var:c.name ?> <span class="text-muted small"><?cs var:c.code ?></span></td>
      <td data-label="<?cs var:Lang.wx.robot_current ?>"><?cs if:c.mask ?><code class="secret-mask"><?cs var:c.mask ?></code><?cs else ?><span class="text-muted">—</span><?cs /if ?></td>
      <td data-label="<?cs var:Lang.wx.robot_new ?>">
        <input class="form-control form-control-sm<?cs if:Page.errors["robot_" + c.id] ?> is-invalid<?cs /if ?>" id="f-robot_<?cs var:c.id ?>" name="robot_<?cs var:c.id ?>" type="password" value="" maxlength="128" autocomplete="off" aria-label="<?cs var:Lang.wx.robot_new ?> <?cs var:c.name ?>">
        <?cs call:field_error("robot_" + c.id) ?>
      </td>
      <td data-label="<?cs var:Lang.wx.robot_remove ?>"><?cs if:c.mask ?><input class="form-check-input" type="checkbox" name="robot_clear_<?cs var:c.id ?>" value="1" aria-label="<?cs var:Lang.wx.robot_remove ?> <?cs var:c.name ?>"><?cs /if ?></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.wx.no_companies ?></p></div><?cs /if ?>
</div>
<div class="form-actions mb-4"><button class="btn btn-primary" type="submit"><?cs var:Lang.save ?></button></div>
</form>
<div class="card form-card mb-3" id="test-send">
  <form method="post" action="/base/wechat/test" class="card-body" novalidate>
    <?cs call:csrf_field() ?>
    <h2 class="section-title mt-0"><?cs var:Lang.wx.test ?></h2>
    <p class="text-muted small"><?cs var:Lang.wx.test_hint ?></p>
    <div class="form-grid">
      <div class="form-field">
        <label class="form-label" for="f-channel"><?cs var:Lang.wx.channel_label ?></label>
        <select class="form-select<?cs if:Page.errors.channel ?> is-invalid<?cs /if ?>" id="f-channel" name="channel">
          <option value="template"<?cs if:Page.test.channel == "template" ?> selected<?cs /if ?>><?cs var:Lang.wx.channel.template ?></option>
          <option value="robot"<?cs if:Page.test.channel == "robot" ?> selected<?cs /if ?>><?cs var:Lang.wx.channel.robot ?></option>
        </select>
        <?cs call:field_error("channel") ?>
      </div>
      <div class="form-field">
        <label class="form-label" for="f-kind"><?cs var:Lang.wx.kind_label ?></label>
        <select class="form-select<?cs if:Page.errors.kind ?> is-invalid<?cs /if ?>" id="f-kind" name="kind">
          <?cs each:t = Page.templates ?><option value="<?cs var:t.kind ?>"><?cs var:t.label ?></option><?cs /each ?>
        </select>
        <?cs call:field_error("kind") ?>
      </div>
      <div class="form-field">
        <label class="form-label" for="f-openid">openid</label>
        <input class="form-control<?cs if:Page.errors.openid ?> is-invalid<?cs /if ?>" id="f-openid" name="openid" type="text" value="<?cs var:Page.test.openid ?>" maxlength="64" spellcheck="false">
        <div class="form-text"><?cs var:Lang.wx.openid_hint ?></div>
        <?cs call:field_error("openid") ?>
      </div>
      <div class="form-field">
        <label class="form-label" for="f-company_id"><?cs var:Lang.wx.robot_company ?></label>
        <select class="form-select<?cs if:Page.errors.company_id ?> is-invalid<?cs /if ?>" id="f-company_id" name="company_id">
          <option value="">—</option>
          <?cs each:c = Page.robots ?><?cs if:c.mask ?><option value="<?cs var:c.id ?>"><?cs var:c.name ?></option><?cs /if ?><?cs /each ?>
        </select>
        <?cs call:field_error("company_id") ?>
      </div>
    </div>
    <div class="form-actions"><button class="btn btn-outline-primary" type="submit"><?cs var:Lang.wx.test_button ?></button></div>
  </form>
</div>
<?cs if:subcount(Page.counts) ?>
<div class="card mb-3">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.wx.outbox ?></h2>
    <div class="stat-grid">
    <?cs each:s = Page.counts ?><a class="stat-card card" href="/base/wechat/outbox?status=<?cs var:url_escape(s.status) ?>"><span class="stat-value"><?cs var:s.n ?></span><span class="stat-label"><?cs var:s.label ?></span></a><?cs /each ?>
    </div>
  </div>
</div>
<?cs /if ?>
