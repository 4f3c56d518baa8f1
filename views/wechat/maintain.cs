<?cs include:"wechat/head.cs" ?>
<?cs call:flash() ?>
<section class="wx-card">
  <div class="wx-pile-head">
    <div><div class="wx-code"><?cs var:Page.pile.code ?></div><div class="wx-sub"><?cs var:Lang.wx.maintain_sub ?></div></div>
    <span class="tag"><?cs var:Page.pile.state_label ?></span>
  </div>
  <?cs if:Page.stale ?><p class="wx-hint text-warning-emphasis"><?cs var:Lang.current_values ?></p><?cs /if ?>
  <form class="mt-3" method="post" action="/wx/p/<?cs var:url_escape(Page.code) ?>/maintain" data-wx-form data-wx-label="<?cs var:Lang.wx.maintain ?> <?cs var:Page.code ?>" novalidate>
    <?cs call:csrf_field() ?><input type="hidden" name="idem" value="<?cs var:Page.idem ?>"><input type="hidden" name="version" value="<?cs var:Page.version ?>">
    <label class="form-label" for="f-state"><?cs var:Lang.f.state ?></label>
    <select class="form-select form-select-lg<?cs if:Page.errors.state ?> is-invalid<?cs /if ?>" id="f-state" name="state">
      <?cs each:o = Page.opts.states ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.state ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
    </select>
    <?cs call:field_error("state") ?>
    <label class="form-label mt-3" for="f-charging_mode"><?cs var:Lang.f.charging_mode ?></label>
    <select class="form-select form-select-lg<?cs if:Page.errors.charging_mode ?> is-invalid<?cs /if ?>" id="f-charging_mode" name="charging_mode">
      <option value="">—</option>
      <?cs each:o = Page.opts.modes ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.charging_mode ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
    </select>
    <?cs call:field_error("charging_mode") ?>
    <label class="form-label mt-3" for="f-comm_method"><?cs var:Lang.f.comm_method ?></label>
    <select class="form-select form-select-lg<?cs if:Page.errors.comm_method ?> is-invalid<?cs /if ?>" id="f-comm_method" name="comm_method">
      <option value="">—</option>
      <?cs each:o = Page.opts.comm_methods ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.comm_method ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
    </select>
    <?cs call:field_error("comm_method") ?>
    <div class="wx-two">
      <div>
        <label class="form-label mt-3" for="f-sw_version"><?cs var:Lang.f.sw_version ?></label>
        <input class="form-control form-control-lg<?cs if:Page.errors.sw_version ?> is-invalid<?cs /if ?>" id="f-sw_version" name="sw_version" value="<?cs var:Page.form.sw_version ?>" maxlength="32" autocapitalize="characters" spellcheck="false">
        <?cs call:field_error("sw_version") ?>
      </div>
      <div>
        <label class="form-label mt-3" for="f-hw_version"><?cs var:Lang.f.hw_version ?></label>
        <input class="form-control form-control-lg<?cs if:Page.errors.hw_version ?> is-invalid<?cs /if ?>" id="f-hw_version" name="hw_version" value="<?cs var:Page.form.hw_version ?>" maxlength="32" autocapitalize="characters" spellcheck="false">
        <?cs call:field_error("hw_version") ?>
      </div>
    </div>
    <label class="form-label mt-3" for="f-tariff"><?cs var:Lang.f.tariff ?></label>
    <input class="form-control form-control-lg<?cs if:Page.errors.tariff ?> is-invalid<?cs /if ?>" id="f-tariff" name="tariff" value="<?cs var:Page.form.tariff ?>" inputmode="decimal" maxlength="10">
    <?cs call:field_error("tariff") ?>
    <button class="btn btn-primary btn-lg w-100 mt-4" type="submit"><?cs var:Lang.save ?></button>
  </form>
</section>
<a class="btn btn-link w-100" href="/wx/p/<?cs var:url_escape(Page.code) ?>"><?cs var:Lang.wx.back_card ?></a>
<?cs include:"wechat/foot.cs" ?>
