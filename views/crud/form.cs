<div class="page-head">
  <h1><?cs var:Page.action_label ?> · <?cs var:Page.res_label ?></h1>
  <div class="page-actions"><a class="btn btn-link btn-sm" href="<?cs if:Page.back ?><?cs var:Page.back ?><?cs else ?><?cs var:Page.base ?><?cs /if ?>">← <?cs var:Lang.back ?></a></div>
</div>
<?cs call:flash() ?>
<?cs if:Page.stale ?><div class="alert alert-warning"><?cs var:Lang.current_values ?></div><?cs /if ?>
<div class="card form-card">
<form method="post" action="<?cs var:Page.base ?><?cs if:Page.id ?>/<?cs var:Page.id ?><?cs /if ?>" class="card-body entity-form" novalidate>
  <?cs call:csrf_field() ?>
  <?cs if:Page.id ?><input type="hidden" name="version" value="<?cs var:Page.version ?>"><?cs /if ?>
  <?cs # Where a saved form returns (Page.back, set by asset/pile_form.c only): the list it came from, or the phone card. ?>
  <?cs if:Page.back ?><input type="hidden" name="back" value="<?cs var:Page.back ?>"><?cs /if ?>
  <div class="form-grid">
  <?cs each:f = Page.fields ?>
    <div class="form-field<?cs if:f.type == "textarea" ?> wide<?cs /if ?><?cs if:f.type == "checkbox" ?> check<?cs /if ?>">
    <?cs if:f.type == "checkbox" ?>
      <div class="form-check form-switch">
        <input class="form-check-input<?cs if:Page.errors[f.name] ?> is-invalid<?cs /if ?>" type="checkbox" role="switch" id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" value="1"<?cs if:Page.form[f.name] == "1" ?> checked<?cs /if ?><?cs if:f.readonly ?> disabled<?cs /if ?>>
        <label class="form-check-label" for="f-<?cs var:f.name ?>"><?cs var:f.label ?></label>
        <?cs # After the box: a checked box sends "1" first, and the first value is the one read. ?>
        <input type="hidden" name="<?cs var:f.name ?>" value="0">
      </div>
    <?cs else ?>
      <label class="form-label" for="f-<?cs var:f.name ?>"><?cs var:f.label ?><?cs if:f.required ?> <span class="req" title="<?cs var:Lang.required_mark ?>">*</span><?cs /if ?></label>
      <?cs if:Page.pickers[f.name] ?>
      <?cs # A reference picked by its code or name (Page.pickers.<field>: the text box's name; asset/subasset.c). ?>
      <?cs call:station_picker("f-" + f.name, Page.pickers[f.name], Page.form[Page.pickers[f.name]], f.name, "", Page.errors[f.name], "") ?>
      <?cs elif:f.type == "select" ?>
      <select class="form-select<?cs if:Page.errors[f.name] ?> is-invalid<?cs /if ?>" id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>"<?cs if:f.readonly ?> disabled<?cs /if ?><?cs if:f.required ?> required<?cs /if ?>>
        <option value="">—</option>
        <?cs each:o = f.opts ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form[f.name] ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs if:f.readonly ?><input type="hidden" name="<?cs var:f.name ?>" value="<?cs var:Page.form[f.name] ?>"><?cs /if ?>
      <?cs elif:f.type == "textarea" ?>
      <textarea class="form-control<?cs if:Page.errors[f.name] ?> is-invalid<?cs /if ?>" id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" rows="3"<?cs if:f.maxlen ?> maxlength="<?cs var:f.maxlen ?>"<?cs /if ?>><?cs var:Page.form[f.name] ?></textarea>
      <?cs else ?>
      <input class="form-control<?cs if:Page.errors[f.name] ?> is-invalid<?cs /if ?>" id="f-<?cs var:f.name ?>" name="<?cs var:f.name ?>" type="<?cs if:f.type == "decimal" || f.type == "number" ?>text" inputmode="decimal<?cs else ?><?cs var:f.type ?><?cs /if ?>" value="<?cs if:f.type != "password" ?><?cs var:Page.form[f.name] ?><?cs /if ?>"<?cs if:f.maxlen ?> maxlength="<?cs var:f.maxlen ?>"<?cs /if ?><?cs if:f.readonly ?> readonly<?cs /if ?><?cs if:f.required ?> required<?cs /if ?><?cs if:f.type == "password" ?> autocomplete="new-password"<?cs /if ?>>
      <?cs /if ?>
    <?cs /if ?>
      <?cs if:f.hint ?><div class="form-text"><?cs var:f.hint ?></div><?cs /if ?>
      <?cs call:field_error(f.name) ?>
    </div>
  <?cs /each ?>
  </div>
  <div class="form-actions">
    <button class="btn btn-primary" type="submit"><?cs var:Lang.save ?></button>
    <a class="btn btn-outline-secondary" href="<?cs if:Page.back ?><?cs var:Page.back ?><?cs else ?><?cs var:Page.base ?><?cs /if ?>"><?cs var:Lang.cancel ?></a>
    <?cs if:Page.res == "user" && Page.id ?><a class="btn btn-outline-warning ms-auto" href="/base/users/<?cs var:Page.id ?>/password"><?cs var:Lang.pw.reset_title ?></a><?cs /if ?>
  </div>
</form>
<?cs if:Page.id ?>
<form method="post" action="<?cs var:Page.base ?>/<?cs var:Page.id ?>/delete" class="card-footer delete-form" data-confirm="<?cs var:Lang.confirm_delete ?>">
  <?cs call:csrf_field() ?>
  <button class="btn btn-outline-danger btn-sm" type="submit"><?cs var:Lang.delete ?></button>
  <?cs if:Perm.audit_view ?><a class="btn btn-link btn-sm" href="/base/records?entity=<?cs var:Page.res ?>&amp;entity_id=<?cs var:Page.id ?>"><?cs var:Lang.res.record ?></a><?cs /if ?>
</form>
<?cs /if ?>
</div>
<?cs if:Page.res == "user" && Page.id ?><?cs include:"base/wxlink_card.cs" ?><?cs /if ?>
