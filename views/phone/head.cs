<?cs # The phone-page shell of every worker, top half: stylesheets, the WeChat JS-SDK, the title
  bar, the connection notice and the drafts strip; phone/foot.cs closes it.  The handler calls
  phone_page() (cgi/core/phone.h: Page.title, Page.back, Page.bare, Page.phone, the JS-SDK's
  Page.jsconfig.*); a worker's own head (views/wechat/head.cs) may set Phone.css to its own
  stylesheet, linked after the shell's.  A form posted through assets/js/wx-app.js (kept as a
  draft offline, sent again with its key) says data-wx-form, data-wx-label="what it does" and
  carries the CSRF token and the key: call:csrf_field() and call:phone_key() (views/macros.cs;
  the key is idem_fresh()'s Page.idem).  The scan shortcut is the phone app's home (/wx/scan), hidden on
  the scan page itself. ?>
<link rel="stylesheet" href="/assets/css/phone.css">
<?cs if:Phone.css ?><link rel="stylesheet" href="<?cs var:Phone.css ?>"><?cs /if ?>
<?cs # The WeChat JS-SDK, from our own origin, only inside WeChat (core/phone.c phone_jsconfig). ?>
<?cs if:Page.jsconfig.sdk ?><script src="/assets/vendor/weixin/jweixin.js" defer></script><?cs /if ?>
<div class="wx" data-user="<?cs var:User.id ?>"<?cs if:Page.jsconfig.signature ?> data-wx-app-id="<?cs var:Page.jsconfig.app_id ?>" data-wx-timestamp="<?cs var:Page.jsconfig.timestamp ?>" data-wx-nonce="<?cs var:Page.jsconfig.nonce ?>" data-wx-signature="<?cs var:Page.jsconfig.signature ?>"<?cs /if ?>
     data-t-pending="<?cs var:Lang.wx.draft_pending ?>" data-t-sending="<?cs var:Lang.wx.draft_sending ?>"
     data-t-sent="<?cs var:Lang.wx.draft_sent ?>" data-t-failed="<?cs var:Lang.wx.draft_failed ?>"
     data-t-offline="<?cs var:Lang.wx.offline ?>" data-t-relogin="<?cs var:Lang.wx.relogin ?>"
     data-t-retry="<?cs var:Lang.wx.retry ?>" data-t-discard="<?cs var:Lang.wx.discard ?>">
<header class="wx-bar">
  <?cs if:Page.back ?><a class="wx-back" href="<?cs var:Page.back ?>" aria-label="<?cs var:Lang.back ?>">‹</a><?cs else ?><img class="wx-logo" src="/assets/img/logo.svg" alt="" width="26" height="26"><?cs /if ?>
  <h1 class="wx-title"><?cs if:Page.title ?><?cs var:Page.title ?><?cs else ?><?cs var:Lang.wx.app ?><?cs /if ?></h1>
  <?cs if:User.id && Page.view != "wechat/scan.cs" ?><a class="wx-bar-link" href="/wx/scan" aria-label="<?cs var:Lang.wx.scan_title ?>"><?cs var:Lang.wx.scan_short ?></a><?cs /if ?>
</header>
<div class="wx-net" id="wx-net" hidden><?cs var:Lang.wx.offline ?></div>
<div class="wx-drafts" id="wx-drafts" hidden aria-live="polite"></div>
<main class="wx-main">
