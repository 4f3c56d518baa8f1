<div class="page-head">
  <h1><?cs var:Lang.res.station ?> <?cs var:Page.station.code ?> <?cs var:Page.station.name ?> <span class="tag tag-<?cs var:Page.station.state ?>"><?cs var:Page.station.state_label ?></span></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="/asset/stations">← <?cs var:Lang.back ?></a>
    <a class="btn btn-outline-secondary btn-sm" href="/asset/piles?station_id=<?cs var:Page.id ?>"><?cs var:Lang.stationpage.all_piles ?></a>
    <?cs if:Page.can_records ?><a class="btn btn-outline-secondary btn-sm" href="/base/records?entity=station&amp;entity_id=<?cs var:Page.id ?>"><?cs var:Lang.pilecard.records ?></a><?cs /if ?>
    <?cs if:Page.can_edit ?><a class="btn btn-primary btn-sm" id="station-edit" href="/asset/stations/<?cs var:Page.id ?>/edit"><?cs var:Lang.stationpage.edit ?></a><?cs /if ?>
  </div>
</div>
<?cs call:flash() ?>
<div class="card-grid">
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.pilecard.basics ?></h2>
      <dl class="facts" id="station-facts">
        <dt><?cs var:Lang.f.company ?></dt><dd><?cs var:Page.station.company ?></dd>
        <dt><?cs var:Lang.f.city ?></dt><dd><?cs var:Page.station.city ?></dd>
        <dt><?cs var:Lang.f.address ?></dt><dd><?cs if:Page.station.address ?><?cs var:Page.station.address ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.stationpage.position ?></dt><dd><?cs if:Page.station.lat ?><span class="num"><?cs var:Page.station.lat ?>, <?cs var:Page.station.lng ?></span> <a class="ms-1" href="/asset/map"><?cs var:Lang.stationpage.on_map ?></a><?cs else ?><span class="text-muted"><?cs var:Lang.stationpage.no_position ?></span><?cs /if ?></dd>
        <dt><?cs var:Lang.f.state ?></dt><dd><span class="tag tag-<?cs var:Page.station.state ?>"><?cs var:Page.station.state_label ?></span><?cs if:Page.station.state_since ?> <span class="text-muted ms-1"><?cs var:Lang.stationpage.since ?> <?cs var:Page.station.state_since ?></span><?cs /if ?></dd>
        <dt><?cs var:Lang.f.asset_nature ?></dt><dd><?cs if:Page.station.nature ?><?cs var:Page.station.nature ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.owner ?></dt><dd><?cs if:Page.station.owner ?><?cs var:Page.station.owner ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.operator ?></dt><dd><?cs if:Page.station.operator ?><?cs var:Page.station.operator ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.commissioned_on ?></dt><dd><?cs if:Page.station.commissioned_on ?><?cs var:Page.station.commissioned_on ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.staff_user_id ?></dt><dd id="station-staff-user"><?cs if:Page.station.staff_user ?><?cs var:Page.station.staff_user ?><?cs if:Page.station.staff_user_phone ?> · <a href="tel:<?cs var:Page.station.staff_user_phone ?>"><?cs var:Page.station.staff_user_phone ?></a><?cs /if ?><?cs else ?><span class="text-muted"><?cs var:Lang.stationpage.no_staff_user ?></span><?cs /if ?></dd>
        <dt><?cs var:Lang.f.staff ?></dt><dd><?cs if:Page.station.staff ?><?cs var:Page.station.staff ?><?cs if:Page.station.staff_phone ?> · <a href="tel:<?cs var:Page.station.staff_phone ?>"><?cs var:Page.station.staff_phone ?></a><?cs /if ?><?cs else ?>—<?cs /if ?></dd>
        <?cs if:Page.station.note ?><dt><?cs var:Lang.f.note ?></dt><dd class="cell-text"><?cs var:Page.station.note ?></dd><?cs /if ?>
      </dl>
    </div>
  </section>
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.stationpage.lease ?></h2>
      <?cs if:Page.station.lease_end || Page.station.lessor ?>
      <dl class="facts" id="station-lease">
        <dt><?cs var:Lang.f.lessor_id ?></dt><dd><?cs if:Page.station.lessor ?><?cs var:Page.station.lessor ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.lease_start ?></dt><dd><?cs if:Page.station.lease_start ?><?cs var:Page.station.lease_start ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.lease_end ?></dt><dd><?cs if:Page.station.lease_end ?><?cs var:Page.station.lease_end ?>
          <?cs if:Page.station.lease_state == "expired" ?><span class="tag tag-lease-expired ms-1"><?cs var:Lang.stationpage.lease_expired ?></span><?cs elif:Page.station.lease_state == "soon" ?><span class="tag tag-lease-soon ms-1"><?cs var:Lang.stationpage.lease_left ?> <?cs var:Page.station.lease_days ?> <?cs var:Lang.stationpage.days ?></span><?cs /if ?><?cs else ?>—<?cs /if ?></dd>
      </dl>
      <?cs else ?><p class="text-muted mb-0"><?cs var:Lang.stationpage.no_lease ?></p><?cs /if ?>
      <h2 class="section-title"><?cs var:Lang.stationpage.piles ?></h2>
      <p class="mb-2" id="station-pile-count"><?cs var:Lang.stationpage.bound ?> <strong class="num"><?cs var:Page.piles_total ?></strong> / <?cs var:Lang.f.expected_piles ?> <strong class="num"><?cs var:Page.station.expected_piles ?></strong>
        <?cs if:Page.piles_total != Page.station.expected_piles ?><span class="tag tag-lease-soon ms-1"><?cs var:Lang.stationpage.count_differs ?></span><?cs /if ?></p>
      <div class="d-flex flex-wrap gap-2" id="station-pile-states"><?cs each:s = Page.states ?><a class="tag tag-<?cs var:s.code ?> text-decoration-none" href="/asset/piles?station_id=<?cs var:Page.id ?>&amp;state=<?cs var:s.code ?>"><?cs var:s.label ?> <span class="num ms-1"><?cs var:s.count ?></span></a><?cs /each ?></div>
    </div>
  </section>
</div>

<section class="card mt-3 table-card" id="station-piles">
  <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.stationpage.piles ?> <span class="text-muted num">(<?cs var:Page.piles_total ?>)</span></h2>
    <?cs if:Page.piles_shown ?><p class="text-muted"><?cs var:Lang.stationpage.first ?> <?cs var:Page.piles_shown ?> · <a href="/asset/piles?station_id=<?cs var:Page.id ?>"><?cs var:Lang.stationpage.all_piles ?></a></p><?cs /if ?></div>
  <?cs if:subcount(Page.piles) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><th><?cs var:Lang.f.code ?></th><th><?cs var:Lang.f.model ?></th><th><?cs var:Lang.f.manufacturer ?></th><th class="text-end"><?cs var:Lang.f.rated_power_kw ?></th><th><?cs var:Lang.f.state ?></th><th><?cs var:Lang.f.sw_version ?></th><th><?cs var:Lang.f.commissioned_on ?></th></tr></thead>
    <tbody><?cs each:p = Page.piles ?><tr>
      <td data-label="<?cs var:Lang.f.code ?>"><a href="/asset/piles/<?cs var:p.id ?>"><?cs var:p.code ?></a></td>
      <td data-label="<?cs var:Lang.f.model ?>"><?cs var:p.model ?></td>
      <td data-label="<?cs var:Lang.f.manufacturer ?>" class="cell-text"><?cs var:p.manufacturer ?></td>
      <td data-label="<?cs var:Lang.f.rated_power_kw ?>" class="text-end num"><?cs var:p.rated_power_kw ?></td>
      <td data-label="<?cs var:Lang.f.state ?>"><span class="tag tag-<?cs var:p.state ?>"><?cs var:p.state_label ?></span></td>
      <td data-label="<?cs var:Lang.f.sw_version ?>"><?cs if:p.sw_version ?><?cs var:p.sw_version ?><?cs else ?>—<?cs /if ?></td>
      <td data-label="<?cs var:Lang.f.commissioned_on ?>"><?cs if:p.commissioned_on ?><?cs var:p.commissioned_on ?><?cs else ?>—<?cs /if ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.stationpage.no_piles ?></p></div><?cs /if ?>
</section>

<div class="card-grid mt-3">
  <section class="card table-card" id="station-subassets">
    <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.stationpage.subassets ?></h2></div>
    <?cs if:subcount(Page.subassets) ?>
    <div class="table-responsive">
    <table class="table align-middle mb-0 data-table">
      <thead><tr><th><?cs var:Lang.f.kind ?></th><th><?cs var:Lang.f.name ?></th><th><?cs var:Lang.f.model ?></th><th class="text-end"><?cs var:Lang.f.cost ?></th><th><?cs var:Lang.f.completed_on ?></th></tr></thead>
      <tbody><?cs each:a = Page.subassets ?><tr>
        <td data-label="<?cs var:Lang.f.kind ?>"><?cs var:a.kind ?></td>
        <td data-label="<?cs var:Lang.f.name ?>" class="cell-text"><?cs if:Page.can_edit ?><a href="/asset/subassets/<?cs var:a.id ?>/edit"><?cs var:a.name ?></a><?cs else ?><?cs var:a.name ?><?cs /if ?></td>
        <td data-label="<?cs var:Lang.f.model ?>"><?cs if:a.model ?><?cs var:a.model ?><?cs else ?>—<?cs /if ?></td>
        <td data-label="<?cs var:Lang.f.cost ?>" class="text-end num money"><?cs if:a.cost ?><?cs var:a.cost ?><?cs else ?>—<?cs /if ?></td>
        <td data-label="<?cs var:Lang.f.completed_on ?>"><?cs if:a.completed_on ?><?cs var:a.completed_on ?><?cs else ?>—<?cs /if ?></td>
      </tr><?cs /each ?></tbody>
    </table>
    </div>
    <?cs else ?><div class="empty-state"><p><?cs var:Lang.stationpage.no_subassets ?></p></div><?cs /if ?>
  </section>
  <section class="card table-card" id="station-anomalies">
    <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.stationpage.anomalies ?></h2></div>
    <?cs if:subcount(Page.anomalies) ?>
    <div class="table-responsive">
    <table class="table align-middle mb-0 data-table">
      <thead><tr><th><?cs var:Lang.f.kind ?></th><th><?cs var:Lang.f.status ?></th><th><?cs var:Lang.stationpage.difference ?></th><th><?cs var:Lang.stationpage.opened ?></th></tr></thead>
      <tbody><?cs each:a = Page.anomalies ?><tr>
        <td data-label="<?cs var:Lang.f.kind ?>"><?cs var:a.kind ?><?cs if:a.pile ?> · <a href="/asset/piles/<?cs var:a.pile_id ?>"><?cs var:a.pile ?></a><?cs /if ?></td>
        <td data-label="<?cs var:Lang.f.status ?>"><span class="tag tag-<?cs var:a.status ?>"><?cs var:a.status_label ?></span></td>
        <td data-label="<?cs var:Lang.stationpage.difference ?>" class="cell-text"><?cs if:a.expected ?><?cs var:Lang.f.expected ?> <span class="num"><?cs var:a.expected ?></span> · <?cs var:Lang.f.actual ?> <span class="num"><?cs var:a.actual ?></span><?cs if:a.detail ?> · <?cs /if ?><?cs /if ?><?cs var:a.detail ?></td>
        <td data-label="<?cs var:Lang.stationpage.opened ?>" class="col-at"><?cs var:a.opened_at ?></td>
      </tr><?cs /each ?></tbody>
    </table>
    </div>
    <?cs else ?><div class="empty-state"><p><?cs var:Lang.stationpage.no_anomalies ?></p></div><?cs /if ?>
  </section>
</div>

<section class="card mt-3 table-card" id="station-ledger">
  <div class="card-body pb-0"><h2 class="section-title mt-0"><?cs var:Lang.pilecard.ledger ?></h2></div>
  <?cs if:subcount(Page.events) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><th><?cs var:Lang.f.at ?></th><th><?cs var:Lang.f.action ?></th><th><?cs var:Lang.res.pile ?></th><th><?cs var:Lang.f.state ?></th><th><?cs var:Lang.f.note ?></th><th><?cs var:Lang.f.user ?></th></tr></thead>
    <tbody><?cs each:e = Page.events ?><tr>
      <td data-label="<?cs var:Lang.f.at ?>" class="col-at"><?cs var:e.at ?></td>
      <td data-label="<?cs var:Lang.f.action ?>"><?cs var:e.kind ?></td>
      <td data-label="<?cs var:Lang.res.pile ?>"><?cs if:e.pile ?><a href="/asset/piles/<?cs var:e.pile_id ?>"><?cs var:e.pile ?></a><?cs else ?>—<?cs /if ?></td>
      <td data-label="<?cs var:Lang.f.state ?>"><?cs if:e.from ?><?cs var:e.from ?> → <?cs /if ?><?cs var:e.to ?></td>
      <td data-label="<?cs var:Lang.f.note ?>" class="cell-text"><?cs var:e.detail ?></td>
      <td data-label="<?cs var:Lang.f.user ?>"><?cs var:e.user ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.pilecard.none ?></p></div><?cs /if ?>
</section>

<?cs if:Page.can_records ?>
<section class="card mt-3 table-card" id="station-records">
  <div class="card-body pb-0 d-flex justify-content-between align-items-baseline"><h2 class="section-title mt-0"><?cs var:Lang.pilecard.records ?></h2><a class="small" href="/base/records?entity=station&amp;entity_id=<?cs var:Page.id ?>"><?cs var:Lang.stationpage.all_records ?></a></div>
  <?cs if:subcount(Page.records) ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table">
    <thead><tr><th><?cs var:Lang.f.at ?></th><th><?cs var:Lang.f.action ?></th><th><?cs var:Lang.stationpage.field ?></th><th><?cs var:Lang.f.user ?></th></tr></thead>
    <tbody><?cs each:e = Page.records ?><tr>
      <td data-label="<?cs var:Lang.f.at ?>" class="col-at"><?cs var:e.at ?></td>
      <td data-label="<?cs var:Lang.f.action ?>"><?cs var:e.action ?></td>
      <td data-label="<?cs var:Lang.stationpage.field ?>"><?cs if:e.field ?><?cs var:e.field ?><?cs else ?>—<?cs /if ?></td>
      <td data-label="<?cs var:Lang.f.user ?>"><?cs var:e.user ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
  <?cs else ?><div class="empty-state"><p><?cs var:Lang.pilecard.none ?></p></div><?cs /if ?>
</section>
<?cs /if ?>
