<?cs include:"wechat/head.cs" ?>
<section class="wx-card wx-missing">
  <div class="wx-missing-code"><?cs if:Page.status ?><?cs var:Page.status ?><?cs else ?>404<?cs /if ?></div>
  <p class="lead"><?cs var:Page.error ?></p>
  <?cs if:Page.code ?><p class="wx-code"><?cs var:Page.code ?></p><?cs /if ?>
  <a class="btn btn-primary btn-lg w-100" href="/wx/scan"><?cs var:Lang.wx.scan_again ?></a>
</section>
<?cs include:"wechat/foot.cs" ?>
