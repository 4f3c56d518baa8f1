<?cs include:"wechat/head.cs" ?>
<?cs call:flash() ?>
<section class="wx-card">
  <div class="wx-pile-head">
    <div><div class="wx-code"><?cs var:Page.pile.code ?></div><div class="wx-sub"><?cs var:Lang.wx.station_sub ?></div></div>
    <span class="tag"><?cs var:Page.pile.state_label ?></span>
  </div>
  <?cs if:Page.blocked ?><div class="alert alert-warning mt-3 mb-0"><?cs var:Page.blocked ?></div><?cs /if ?>
  <form class="wx-search" method="get" action="/wx/p/<?cs var:url_escape(Page.code) ?>/station" id="wx-station-search"
        data-t-locating="<?cs var:Lang.wx.locating ?>" data-t-located="<?cs var:Lang.wx.located ?>" data-t-no-position="<?cs var:Lang.wx.no_position ?>">
    <?cs if:Page.lat ?><input type="hidden" name="lat" value="<?cs var:Page.lat ?>"><input type="hidden" name="lng" value="<?cs var:Page.lng ?>"><?cs /if ?>
    <div class="input-group">
      <input class="form-control" name="q" value="<?cs var:Page.q ?>" maxlength="50" placeholder="<?cs var:Lang.wx.station_search ?>" aria-label="<?cs var:Lang.wx.station_search ?>">
      <button class="btn btn-outline-secondary" type="submit"><?cs var:Lang.search ?></button>
    </div>
    <button class="btn btn-link btn-sm px-0 mt-1" type="button" id="wx-locate"><?cs var:Lang.wx.locate ?></button>
    <p class="wx-status" id="wx-geo-status" role="status"><?cs if:Page.lat ?><?cs var:Lang.wx.located ?> (<?cs var:Page.lat ?>, <?cs var:Page.lng ?>, WGS-84)<?cs /if ?></p>
  </form>
</section>
<section class="wx-card">
  <h2 class="wx-h2"><?cs if:Page.q ?><?cs var:Lang.wx.station_found ?><?cs elif:Page.lat ?><?cs var:Lang.wx.station_nearest ?><?cs else ?><?cs var:Lang.wx.station_list ?><?cs /if ?></h2>
  <?cs if:Page.count > 0 ?>
  <form method="post" action="/wx/p/<?cs var:url_escape(Page.code) ?>/station" data-wx-form data-wx-label="<?cs var:Lang.wx.bind_station ?> <?cs var:Page.code ?>">
    <?cs call:csrf_field() ?><input type="hidden" name="idem" value="<?cs var:Page.idem ?>">
    <ul class="wx-stations" data-wx-errors-after>
      <?cs each:s = Page.stations ?>
      <li><label class="wx-station">
        <input class="form-check-input" type="radio" name="station_id" value="<?cs var:s.id ?>" required>
        <span class="wx-station-main"><strong><?cs var:s.name ?></strong><small><?cs var:s.code ?> · <?cs var:s.state ?><?cs if:s.address ?> · <?cs var:s.address ?><?cs /if ?></small></span>
        <?cs if:s.distance ?><span class="wx-dist" data-m="<?cs var:s.distance_m ?>"><?cs var:s.distance ?></span><?cs /if ?>
      </label></li>
      <?cs /each ?>
    </ul>
    <?cs call:field_error("station_id") ?>
    <button class="btn btn-success btn-lg w-100 mt-2" type="submit"<?cs if:Page.blocked ?> disabled<?cs /if ?>><?cs var:Lang.wx.bind_station_submit ?></button>
  </form>
  <?cs else ?>
  <p class="text-muted mb-0"><?cs if:Page.q || Page.lat ?><?cs var:Lang.wx.station_none ?><?cs else ?><?cs var:Lang.wx.station_hint ?><?cs /if ?></p>
  <?cs /if ?>
</section>
<a class="btn btn-link w-100" href="/wx/p/<?cs var:url_escape(Page.code) ?>"><?cs var:Lang.wx.back_card ?></a>
<?cs include:"wechat/foot.cs" ?>
<script src="/assets/js/wx-geo.js" defer></script>
