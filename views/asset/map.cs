<div class="page-head">
  <h1><?cs var:Lang.mappage.title ?></h1>
  <div class="page-actions">
    <a class="btn btn-outline-secondary btn-sm" href="/asset/stations"><?cs var:Lang.navitem.stations ?></a>
  </div>
</div>
<?cs call:flash() ?>
<link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="/assets/vendor/leaflet/MarkerCluster.css">
<link rel="stylesheet" href="/assets/vendor/leaflet/MarkerCluster.Default.css">
<form class="filter-bar card" method="get" action="/asset/map" id="map-filter">
  <div class="card-body">
    <label class="filter-item">
      <span class="form-label"><?cs var:Lang.f.company_id ?></span>
      <select class="form-select form-select-sm" name="company_id">
        <option value=""><?cs var:Lang.all ?></option>
        <?cs each:o = Page.opts.companies ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.filter.company_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
    </label>
    <label class="filter-item">
      <span class="form-label"><?cs var:Lang.f.city_id ?></span>
      <select class="form-select form-select-sm" name="city_id">
        <option value=""><?cs var:Lang.all ?></option>
        <?cs each:o = Page.opts.cities ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.filter.city_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
    </label>
    <label class="filter-item">
      <span class="form-label"><?cs var:Lang.f.state ?></span>
      <select class="form-select form-select-sm" name="state">
        <option value=""><?cs var:Lang.all ?></option>
        <?cs each:s = Lang.enum.station_state ?><option value="<?cs name:s ?>"<?cs if:name(s) == Page.filter.state ?> selected<?cs /if ?>><?cs var:s ?></option><?cs /each ?>
      </select>
    </label>
    <div class="filter-buttons">
      <button class="btn btn-primary btn-sm" type="submit"><?cs var:Lang.search ?></button>
      <a class="btn btn-link btn-sm" href="/asset/map"><?cs var:Lang.reset ?></a>
    </div>
  </div>
</form>
<section class="card map-card">
  <div class="card-body">
    <ul class="map-legend" aria-label="<?cs var:Lang.mappage.legend ?>">
      <?cs each:s = Lang.enum.station_state ?><li data-state="<?cs name:s ?>"><span class="map-dot map-dot-<?cs name:s ?>" aria-hidden="true"></span><?cs var:s ?></li><?cs /each ?>
    </ul>
    <p class="map-status" id="map-status" role="status" aria-live="polite"><?cs var:Lang.loading ?></p>
    <?cs if:!Page.map.tile_url ?><div class="map-note" id="map-note" role="note">
      <p><?cs var:Lang.mappage.no_tiles ?></p>
      <p><?cs var:Lang.mappage.tiles_howto ?></p>
    </div><?cs /if ?>
    <p class="map-note map-tile-error" id="map-tile-error" hidden><?cs var:Lang.mappage.tiles_failed ?></p>
    <p class="map-note map-tile-error" id="map-regions-error" hidden><?cs var:Lang.mappage.regions_failed ?></p>
    <div id="station-map" class="station-map<?cs if:!Page.map.tile_url ?> station-map-plain<?cs /if ?>"
      data-url="<?cs var:Page.map.data_url ?>"
      data-tile-url="<?cs var:Page.map.tile_url ?>"
      data-crs="<?cs var:Page.map.crs ?>"
      data-attribution="<?cs var:Page.map.attribution ?>"
      data-provinces-url="/assets/vendor/china/provinces.json"
      data-cities-url="/assets/vendor/china/cities.json"
      data-regions-source="<?cs var:Lang.mappage.regions_source ?>"
      data-label-piles="<?cs var:Lang.mappage.piles ?>"
      data-label-open="<?cs var:Lang.mappage.open ?>"
      data-label-count="<?cs var:Lang.mappage.count ?>"
      data-label-none="<?cs var:Lang.mappage.none ?>"
      data-label-failed="<?cs var:Lang.mappage.load_failed ?>"
      data-label-loading="<?cs var:Lang.loading ?>"
      role="region" aria-label="<?cs var:Lang.mappage.title ?>"></div>
  </div>
</section>
<script src="/assets/vendor/leaflet/leaflet.js" defer></script>
<script src="/assets/vendor/leaflet/leaflet.markercluster.js" defer></script>
<script src="/assets/js/map.js" defer></script>
