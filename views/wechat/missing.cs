<?cs include:"wechat/head.cs" ?>
<section class="wx-card wx-missing<?cs if:Page.oauth_next ?> wx-oauth-error<?cs /if ?>">
  <div class="wx-missing-code"><?cs if:Page.unknown.kind == "label" ?><?cs var:Lang.unknown.badge ?><?cs elif:Page.status ?><?cs var:Page.status ?><?cs else ?>404<?cs /if ?></div>
  <p class="lead"><?cs var:Page.error ?></p>
  <?cs if:Page.code ?><p class="wx-code"><?cs var:Page.code ?></p><?cs /if ?>
  <?cs if:Page.unknown.kind ?><?cs include:"asset/unknown_code.cs" ?><?cs /if ?>
  <?cs if:Page.oauth_next ?>
  <?cs # WeChat sign-in refused (wechat/oauth.c): try WeChat again, or the password form. ?>
  <a class="btn btn-primary btn-lg w-100" href="/wx/login?next=<?cs var:url_escape(Page.oauth_next) ?>"><?cs var:Lang.wx.oauth.again ?></a>
  <a class="btn btn-outline-secondary btn-lg w-100 mt-2" href="/wx/login?password=1&amp;next=<?cs var:url_escape(Page.oauth_next) ?>"><?cs var:Lang.wx.oauth.use_password ?></a>
  <?cs else ?>
  <a class="btn <?cs if:Page.unknown.register || Page.unknown.replaced_by ?>btn-outline-secondary mt-2<?cs else ?>btn-primary<?cs /if ?> btn-lg w-100" href="/wx/scan"><?cs var:Lang.wx.scan_again ?></a>
  <?cs /if ?>
</section>
<?cs include:"wechat/foot.cs" ?>
