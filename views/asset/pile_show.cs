<div class="page-head">
  <h1><?cs var:Lang.res.pile ?> <?cs var:Page.pile.code ?> <span class="tag tag-<?cs var:Page.pile.state ?>"><?cs var:Page.pile.state_label ?></span></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="/asset/piles">← <?cs var:Lang.back ?></a>
    <?cs if:Page.can_records ?><a class="btn btn-outline-secondary btn-sm" href="/base/records?entity=pile&amp;entity_id=<?cs var:Page.id ?>"><?cs var:Lang.pilecard.records ?></a><?cs /if ?>
    <?cs if:Page.can_edit ?><a class="btn btn-primary btn-sm" href="/asset/piles/<?cs var:Page.id ?>/edit"><?cs var:Lang.pilecard.edit ?></a><?cs /if ?>
  </div>
</div>
<?cs call:flash() ?>
<div class="card-grid">
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.pilecard.basics ?></h2>
      <dl class="facts">
        <dt><?cs var:Lang.f.serial_no ?></dt><dd><?cs if:Page.pile.serial_no ?><?cs var:Page.pile.serial_no ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.company ?></dt><dd><?cs var:Page.pile.company ?></dd>
        <dt><?cs var:Lang.f.location ?></dt><dd><?cs if:Page.pile.station ?><a href="/asset/stations/<?cs var:Page.pile.station_id ?>"><?cs var:Page.pile.station ?></a><?cs elif:Page.pile.warehouse ?><?cs var:Page.pile.warehouse ?><?cs elif:Page.pile.party ?><?cs var:Page.pile.party ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.owner ?></dt><dd><?cs if:Page.pile.owner ?><?cs var:Page.pile.owner ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.operator ?></dt><dd><?cs if:Page.pile.operator ?><?cs var:Page.pile.operator ?><?cs else ?>—<?cs /if ?></dd>
        <?cs if:Page.pile.leased_from ?><dt><?cs var:Lang.f.leased_from ?></dt><dd><?cs var:Page.pile.leased_from ?></dd><?cs /if ?>
        <dt><?cs var:Lang.f.sw_version ?></dt><dd><?cs if:Page.pile.sw_version ?><?cs var:Page.pile.sw_version ?><?cs else ?>—<?cs /if ?><?cs if:Page.pile.sw_target ?> <span class="vchip vchip-<?cs var:Page.pile.sw_state ?> ms-1" id="sw-state"><?cs var:Page.pile.sw_state_label ?> · <?cs var:Lang.versions.target ?> <?cs var:Page.pile.sw_target ?></span><?cs /if ?></dd>
        <dt><?cs var:Lang.f.hw_version ?></dt><dd><?cs if:Page.pile.hw_version ?><?cs var:Page.pile.hw_version ?><?cs else ?>—<?cs /if ?><?cs if:Page.pile.hw_target ?> <span class="vchip vchip-<?cs var:Page.pile.hw_state ?> ms-1" id="hw-state"><?cs var:Page.pile.hw_state_label ?> · <?cs var:Lang.versions.target ?> <?cs var:Page.pile.hw_target ?></span><?cs /if ?></dd>
        <dt><?cs var:Lang.f.comm_method ?></dt><dd><?cs if:Page.pile.comm_method ?><?cs var:Page.pile.comm_method ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.charging_mode ?></dt><dd><?cs if:Page.pile.charging_mode ?><?cs var:Page.pile.charging_mode ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.tariff ?></dt><dd><?cs if:Page.pile.tariff ?><span class="num money"><?cs var:Page.pile.tariff_text ?></span><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.commissioned_on ?></dt><dd><?cs if:Page.pile.commissioned_on ?><?cs var:Page.pile.commissioned_on ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.warranty_end ?></dt><dd><?cs if:Page.pile.warranty_end ?><?cs var:Page.pile.warranty_end ?><?cs else ?>—<?cs /if ?> <span class="tag tag-warranty-<?cs var:Page.pile.warranty ?>"><?cs var:Page.pile.warranty_label ?></span></dd>
      </dl>
    </div>
  </section>
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.pilecard.product ?></h2>
      <?cs if:Page.pile.model ?>
      <dl class="facts">
        <dt><?cs var:Lang.f.manufacturer ?></dt><dd><?cs var:Page.pile.manufacturer ?></dd>
        <dt><?cs var:Lang.f.model ?></dt><dd><?cs var:Page.pile.model ?></dd>
        <dt><?cs var:Lang.f.product ?></dt><dd><?cs var:Page.pile.product ?></dd>
        <dt><?cs var:Lang.f.rated_power_kw ?></dt><dd><?cs var:Page.pile.rated_power_kw ?></dd>
        <dt><?cs var:Lang.f.current_type ?></dt><dd><?cs var:Page.pile.current_type ?></dd>
        <dt><?cs var:Lang.f.connectors ?></dt><dd><?cs var:Page.pile.connectors ?></dd>
      </dl>
      <?cs else ?><p class="text-muted"><?cs var:Lang.err.pile_no_product ?></p><?cs /if ?>
    </div>
  </section>
</div>
<?cs if:Page.can_edit ?>
<section class="card mt-3">
  <div class="card-body">
  <?cs if:Page.pile.station ?>
    <h2 class="section-title mt-0"><?cs var:Lang.pilecard.unbind ?></h2>
    <form method="post" action="/asset/piles/<?cs var:Page.id ?>/unbind" class="inline-form" data-confirm="<?cs var:Lang.pilecard.unbind ?>?">
      <?cs call:csrf_field() ?>
      <label class="form-label" for="f-warehouse_id"><?cs var:Lang.pilecard.unbind_to ?></label>
      <select class="form-select<?cs if:Page.errors.warehouse_id ?> is-invalid<?cs /if ?>" id="f-warehouse_id" name="warehouse_id">
        <option value="">—</option>
        <?cs each:o = Page.opts.warehouses ?><option value="<?cs var:o.id ?>"><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs call:field_error("warehouse_id") ?>
      <button class="btn btn-outline-warning" type="submit"><?cs var:Lang.pilecard.unbind_submit ?></button>
    </form>
  <?cs else ?>
    <h2 class="section-title mt-0"><?cs var:Lang.pilecard.bind ?></h2>
    <form method="post" action="/asset/piles/<?cs var:Page.id ?>/bind" class="inline-form">
      <?cs call:csrf_field() ?>
      <label class="form-label" for="f-station_id"><?cs var:Lang.f.station_id ?></label>
      <?cs call:station_picker("f-station_id", "station_code", Page.form.station_code, "station_id", "", Page.errors.station_id, "") ?>
      <?cs call:field_error("station_id") ?>
      <button class="btn btn-primary" type="submit"><?cs var:Lang.pilecard.bind_submit ?></button>
    </form>
  <?cs /if ?>
  </div>
</section>
<?cs /if ?>
<?cs if:Page.can_qr ?>
<section class="card mt-3 pile-qr">
  <div class="card-body d-flex flex-wrap gap-3 align-items-center">
    <img class="code-label-small" src="/qr/piles/<?cs var:Page.id ?>/svg" alt="<?cs var:Page.pile.code ?>" width="189" height="113">
    <div class="flex-grow-1">
      <h2 class="section-title mt-0"><?cs var:Lang.pilecard.qr ?> <code class="code-text"><?cs var:Page.pile.code ?></code></h2>
      <div class="d-flex flex-wrap gap-2">
        <a class="btn btn-outline-primary btn-sm pile-reprint" href="/qr/piles/<?cs var:Page.id ?>/label?layout=roll&amp;copies=1"><?cs var:Lang.pilecard.qr_reprint ?> · <?cs var:Lang.qr.layout_roll ?></a>
        <a class="btn btn-outline-primary btn-sm" href="/qr/piles/<?cs var:Page.id ?>/label?layout=a4&amp;copies=1"><?cs var:Lang.pilecard.qr_reprint ?> · A4</a>
        <a class="btn btn-outline-warning btn-sm pile-regen" href="/qr/piles/<?cs var:Page.id ?>/regenerate"><?cs var:Lang.pilecard.qr_regen ?></a>
      </div>
    </div>
  </div>
</section>
<?cs /if ?>
<section class="card mt-3 table-card">
  <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.pilecard.ledger ?></h2></div>
  <?cs if:subcount(Page.events) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><th><?cs var:Lang.f.at ?></th><th><?cs var:Lang.f.action ?></th><th><?cs var:Lang.f.state ?></th><th><?cs var:Lang.f.place ?></th><th><?cs var:Lang.f.note ?></th><th><?cs var:Lang.f.user ?></th></tr></thead>
    <tbody><?cs each:e = Page.events ?><tr>
      <td data-label="<?cs var:Lang.f.at ?>" class="col-at"><?cs var:e.at ?></td>
      <td data-label="<?cs var:Lang.f.action ?>" class="text-nowrap"><?cs var:e.kind ?></td>
      <td data-label="<?cs var:Lang.f.state ?>" class="text-nowrap"><?cs if:e.from ?><?cs var:e.from ?> → <?cs /if ?><?cs var:e.to ?></td>
      <td data-label="<?cs var:Lang.f.place ?>"><?cs if:e.from_place ?><?cs var:e.from_place ?> → <?cs /if ?><?cs var:e.to_place ?></td>
      <td data-label="<?cs var:Lang.f.note ?>" class="cell-text"><?cs if:e.field ?><span class="change"><span class="change-field text-muted"><?cs var:e.field ?></span> <span class="change-from"><?cs if:e.from_value ?><?cs var:e.from_value ?><?cs else ?>—<?cs /if ?></span> → <span class="change-to"><?cs if:e.to_value ?><?cs var:e.to_value ?><?cs else ?>—<?cs /if ?></span></span><?cs else ?><?cs var:e.detail ?><?cs /if ?></td>
      <td data-label="<?cs var:Lang.f.user ?>" class="text-nowrap"><?cs var:e.user ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.pilecard.none ?></p></div><?cs /if ?>
</section>
