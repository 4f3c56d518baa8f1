<?cs # Regeneration: scan or type the code on a pile to open its reprint / replace page. ?>
<div class="page-head"><h1><?cs var:Lang.navitem.qr_regen ?></h1></div>
<?cs call:flash() ?>
<div class="card form-card">
<form method="get" action="/qr/regenerate" class="card-body">
  <label class="form-label" for="f-value"><?cs var:Lang.qr.regen_hint ?></label>
  <div class="d-flex gap-2">
    <input class="form-control<?cs if:Page.error ?> is-invalid<?cs /if ?>" id="f-value" name="value" type="search" maxlength="300" value="<?cs var:Page.value ?>" autofocus>
    <button class="btn btn-primary" type="submit"><?cs var:Lang.qr.regen_go ?></button>
  </div>
</form>
</div>
