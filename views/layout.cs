<!doctype html><?cs include:"macros.cs" ?>
<html lang="<?cs var:Site.lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs if:Page.title ?><?cs var:Page.title ?> · <?cs /if ?><?cs var:Lang.app_name ?></title>
<link rel="stylesheet" href="/assets/vendor/bootstrap/bootstrap.min.css">
<link rel="stylesheet" href="/assets/css/app.css">
<link rel="icon" href="/assets/img/logo.svg" type="image/svg+xml">
<script src="/assets/js/app.js" defer></script>
</head>
<body class="<?cs if:Page.bare ?>bare<?cs else ?>app<?cs /if ?>">
<?cs if:Page.bare || !User.id || string.slice(Req.path, 0, 4) == "/wx/" ?>
<main class="bare-main"><?cs include:Page.view ?></main>
<?cs else ?>
<header class="topbar">
  <a class="brand" href="/base/"><img src="/assets/img/logo.svg" alt="" width="28" height="28"><span><?cs var:Lang.app_name ?></span></a>
  <?cs if:Perm.asset_view ?>
  <form class="top-search" method="get" action="/asset/search" role="search">
    <input class="form-control form-control-sm" type="search" name="q" maxlength="64" value="<?cs var:Page.search_q ?>" placeholder="<?cs var:Lang.search.placeholder ?>" aria-label="<?cs var:Lang.search.label ?>">
  </form>
  <?cs /if ?>
  <div class="topbar-right">
    <?cs if:Perm.asset_view ?><a class="top-link notice-link" href="/base/notices" title="<?cs var:Lang.notices.nav ?>"><?cs var:Lang.notices.nav ?><?cs if:User.unread_notices ?> <span class="notice-count" id="notice-count"><?cs var:User.unread_notices ?></span><?cs /if ?></a><?cs /if ?>
    <a class="lang-link" href="/base/lang?to=<?cs var:Site.other_lang ?>&amp;next=<?cs var:url_escape(Req.path) ?>"><?cs var:Lang.language ?></a>
    <span class="user-chip" title="<?cs var:User.company_name ?>"><?cs var:User.name ?> · <?cs var:User.role_name ?></span>
    <a class="top-link" href="/base/password"><?cs var:Lang.password ?></a>
    <form method="post" action="/base/logout" class="d-inline"><?cs call:csrf_field() ?><button class="btn btn-sm btn-outline-light" type="submit"><?cs var:Lang.logout ?></button></form>
  </div>
</header>
<div class="shell">
<details class="sidebar" open>
<summary class="sidebar-toggle"><?cs var:Lang.menu ?></summary>
<nav aria-label="<?cs var:Lang.menu ?>">
  <ul class="nav flex-column">
    <?cs call:nav_link("home", "/base/", Lang.home) ?>
    <?cs call:nav_link("base.notices", "/base/notices", Lang.notices.nav) ?>
  </ul>
  <?cs if:Perm.base_view || Perm.user_admin || Perm.audit_view ?>
  <h6 class="nav-group"><?cs var:Lang.nav.base ?></h6>
  <ul class="nav flex-column">
    <?cs if:Perm.base_view ?>
    <?cs call:nav_link("base.company", "/base/companies", Lang.res.company) ?>
    <?cs call:nav_link("base.city", "/base/cities", Lang.res.city) ?>
    <?cs call:nav_link("base.product", "/base/products", Lang.res.product) ?>
    <?cs call:nav_link("base.cable", "/base/cables", Lang.res.cable) ?>
    <?cs call:nav_link("base.warehouse", "/base/warehouses", Lang.res.warehouse) ?>
    <?cs call:nav_link("base.dict", "/base/dicts", Lang.res.dict) ?>
    <?cs /if ?>
  </ul>
  <?cs /if ?>
  <?cs if:Perm.qr ?>
  <h6 class="nav-group"><?cs var:Lang.nav.qrcode ?></h6>
  <ul class="nav flex-column">
    <?cs call:nav_link("qr.batch", "/qr/batches", Lang.navitem.qr_generate) ?><?cs call:nav_link("qr.rule", "/qr/rules", Lang.navitem.qr_rules) ?>
    <?cs call:nav_link("qr.lookup", "/qr/lookup", Lang.navitem.qr_lookup) ?><?cs call:nav_link("qr.regen", "/qr/regenerate", Lang.navitem.qr_regen) ?>
  </ul>
  <?cs /if ?>
  <?cs if:Perm.asset_view ?>
  <h6 class="nav-group"><?cs var:Lang.nav.asset ?></h6>
  <ul class="nav flex-column">
    <?cs call:nav_link("asset.station", "/asset/stations", Lang.navitem.stations) ?><?cs call:nav_link("asset.map", "/asset/map", Lang.navitem.map) ?>
    <?cs call:nav_link("asset.pile", "/asset/piles", Lang.navitem.q_piles) ?><?cs call:nav_link("asset.subasset", "/asset/subassets", Lang.navitem.q_sub) ?>
    <?cs call:nav_link("asset.anomaly", "/asset/anomalies", Lang.navitem.anomalies) ?>
    <?cs if:Perm.asset_edit ?><?cs call:nav_link("asset.import", "/asset/import", Lang.navitem.import) ?><?cs /if ?>
    <?cs call:nav_link("asset.version", "/asset/versions", Lang.navitem.versions) ?>
    <?cs if:Perm.audit_view ?><?cs call:nav_link("base.record", "/base/records", Lang.res.record) ?><?cs /if ?>
  </ul>
  <?cs /if ?>
  <?cs if:Perm.inspect || Perm.asset_edit ?>
  <h6 class="nav-group"><?cs var:Lang.nav.wechat ?></h6>
  <ul class="nav flex-column">
    <?cs call:nav_link("wx.scan", "/wx/scan", Lang.navitem.scan) ?>
  </ul>
  <?cs /if ?>
  <?cs if:Perm.user_admin || Perm.wechat_admin ?>
  <h6 class="nav-group"><?cs var:Lang.nav.system ?></h6>
  <ul class="nav flex-column">
    <?cs if:Perm.user_admin ?>
    <?cs call:nav_link("base.user", "/base/users", Lang.res.user) ?>
    <?cs call:nav_link("base.role", "/base/roles", Lang.res.role) ?>
    <?cs /if ?>
    <?cs if:Perm.wechat_admin ?><?cs call:nav_link("base.wechat", "/base/wechat", Lang.navitem.wechat_settings) ?><?cs /if ?>
  </ul>
  <?cs /if ?>
</nav>
</details>
<main class="content">
<?cs if:Page.menu != "home" && Page.title ?>
<nav class="crumbs" aria-label="<?cs var:Lang.crumbs ?>"><ol>
  <li><a href="/base/"><?cs var:Lang.home ?></a></li>
  <?cs if:Lang.nav[string.slice(Page.menu, 0, string.find(Page.menu, "."))] ?><li><?cs var:Lang.nav[string.slice(Page.menu, 0, string.find(Page.menu, "."))] ?></li><?cs /if ?>
  <?cs if:Page.base && Page.res_label && Req.path != Page.base ?><li><a href="<?cs var:Page.base ?>"><?cs var:Page.res_label ?></a></li><?cs /if ?>
  <li aria-current="page"><?cs var:Page.title ?></li>
</ol></nav>
<?cs /if ?>
<?cs include:Page.view ?>
</main>
</div>
<?cs /if ?>
</body>
</html>
