<?cs include:"wechat/head.cs" ?>
<?cs call:flash() ?>
<section class="wx-card wx-pile">
  <div class="wx-pile-head">
    <div>
      <div class="wx-code"><?cs var:Page.pile.code ?></div>
      <div class="wx-sub"><?cs if:Page.pile.model ?><?cs var:Page.pile.manufacturer ?> · <?cs var:Page.pile.model ?><?cs else ?><?cs var:Lang.wx.no_product ?><?cs /if ?></div>
    </div>
    <span class="tag tag-<?cs var:Page.pile.state ?>"><?cs var:Page.pile.state_label ?></span>
  </div>
  <dl class="wx-facts">
    <dt><?cs var:Lang.f.product ?></dt><dd><?cs if:Page.pile.product ?><?cs var:Page.pile.product ?><?cs else ?>—<?cs /if ?><?cs if:Page.pile.rated_power_kw ?> <small class="text-muted"><?cs var:Page.pile.rated_power_kw ?> kW <?cs var:Page.pile.current_type ?></small><?cs /if ?></dd>
    <dt><?cs var:Lang.f.location ?></dt><dd><?cs if:Page.pile.station ?><?cs var:Page.pile.station ?><?cs if:Page.pile.station_address ?><small class="d-block text-muted"><?cs var:Page.pile.station_address ?></small><?cs /if ?><?cs elif:Page.pile.warehouse ?><?cs var:Page.pile.warehouse ?><?cs elif:Page.pile.party ?><?cs var:Page.pile.party ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.company ?></dt><dd><?cs var:Page.pile.company ?></dd>
    <?cs if:Page.pile.supplier ?><dt><?cs var:Lang.wx.supplier ?></dt><dd><?cs var:Page.pile.supplier ?></dd><?cs /if ?>
    <dt><?cs var:Lang.f.serial_no ?></dt><dd><?cs if:Page.pile.serial_no ?><?cs var:Page.pile.serial_no ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.sw_version ?></dt><dd class="wx-sw"><?cs if:Page.pile.sw_version ?><?cs var:Page.pile.sw_version ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.hw_version ?></dt><dd class="wx-hw"><?cs if:Page.pile.hw_version ?><?cs var:Page.pile.hw_version ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.comm_method ?></dt><dd><?cs if:Page.pile.comm_method ?><?cs var:Page.pile.comm_method ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.charging_mode ?></dt><dd><?cs if:Page.pile.charging_mode ?><?cs var:Page.pile.charging_mode ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.tariff ?></dt><dd><?cs if:Page.pile.tariff ?><?cs var:Page.pile.tariff ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.commissioned_on ?></dt><dd class="wx-commissioned"><?cs if:Page.pile.commissioned_on ?><?cs var:Page.pile.commissioned_on ?><?cs else ?>—<?cs /if ?></dd>
    <dt><?cs var:Lang.f.warranty_end ?></dt><dd><?cs if:Page.pile.warranty_end ?><?cs var:Page.pile.warranty_end ?><?cs else ?>—<?cs /if ?> <span class="tag tag-warranty-<?cs var:Page.pile.warranty ?>"><?cs var:Page.pile.warranty_label ?></span></dd>
  </dl>
</section>

<?cs if:Page.can.product ?>
<section class="wx-card">
  <h2 class="wx-h2"><?cs var:Lang.wx.bind_product ?></h2>
  <form method="post" action="/wx/p/<?cs var:url_escape(Page.code) ?>/product" data-wx-form data-wx-label="<?cs var:Lang.wx.bind_product ?> <?cs var:Page.code ?>">
    <?cs call:csrf_field() ?><input type="hidden" name="idem" value="<?cs var:Page.idem ?>">
    <label class="form-label" for="f-product_id"><?cs var:Lang.f.product_id ?></label>
    <select class="form-select form-select-lg<?cs if:Page.errors.product_id ?> is-invalid<?cs /if ?>" id="f-product_id" name="product_id" required>
      <option value=""><?cs var:Lang.wx.choose ?></option>
      <?cs each:o = Page.opts.products ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.form.product_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
    </select>
    <?cs call:field_error("product_id") ?>
    <button class="btn btn-primary btn-lg w-100 mt-3" type="submit"><?cs var:Lang.wx.bind_product_submit ?></button>
  </form>
</section>
<?cs /if ?>

<?cs if:Page.can.station || Page.can.maintain ?>
<nav class="wx-actions">
  <?cs if:Page.can.station ?><a class="btn btn-success btn-lg" href="/wx/p/<?cs var:url_escape(Page.code) ?>/station"><?cs var:Lang.wx.bind_station ?></a><?cs /if ?>
  <?cs if:Page.can.maintain ?><a class="btn btn-outline-primary btn-lg" href="/wx/p/<?cs var:url_escape(Page.code) ?>/maintain"><?cs var:Lang.wx.maintain ?></a><?cs /if ?>
</nav>
<?cs /if ?>

<section class="wx-card">
  <h2 class="wx-h2"><?cs var:Lang.pilecard.ledger ?></h2>
  <?cs if:subcount(Page.events) ?>
  <ol class="wx-events">
    <?cs each:e = Page.events ?>
    <li><span class="wx-ev-at"><?cs var:e.at ?></span><?cs if:e.user ?><span class="wx-ev-user"><?cs var:e.user ?></span><?cs /if ?><span class="d-block"><strong><?cs var:e.kind ?></strong><?cs if:e.to ?> → <?cs var:e.to ?><?cs /if ?><?cs if:e.place && e.kind != e.place ?> · <?cs var:e.place ?><?cs /if ?></span><?cs if:e.detail ?><span class="d-block wx-ev-detail"><?cs var:e.detail ?></span><?cs /if ?></li>
    <?cs /each ?>
  </ol>
  <?cs else ?><p class="text-muted"><?cs var:Lang.pilecard.none ?></p><?cs /if ?>
  <?cs if:Page.web_id ?><a class="wx-web-link" href="/asset/piles/<?cs var:Page.web_id ?>"><?cs var:Lang.wx.open_web ?></a><?cs /if ?>
</section>
<?cs include:"wechat/foot.cs" ?>
