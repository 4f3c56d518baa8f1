<?cs include:"wechat/head.cs" ?>
<?cs call:flash() ?>
<section class="wx-card wx-scan" id="wx-scan"
  data-t-camera-failed="<?cs var:Lang.wx.camera_failed ?>" data-t-wx-failed="<?cs var:Lang.wx.wx_failed ?>" data-t-looking="<?cs var:Lang.wx.looking ?>">
  <button class="btn btn-primary btn-lg w-100 wx-scan-btn" type="button" id="wx-scan-wechat" hidden><?cs var:Lang.wx.scan_wechat ?></button>
  <button class="btn btn-primary btn-lg w-100 wx-scan-btn" type="button" id="wx-scan-camera" hidden><?cs var:Lang.wx.scan_camera ?></button>
  <div class="wx-camera" id="wx-camera" hidden>
    <video id="wx-video" playsinline muted></video>
    <div class="wx-camera-frame" aria-hidden="true"></div>
    <button class="btn btn-light btn-sm wx-camera-stop" type="button" id="wx-camera-stop"><?cs var:Lang.cancel ?></button>
  </div>
  <p class="wx-status" id="wx-scan-status" role="status"></p>
  <form class="wx-manual" method="get" action="/wx/lookup" id="wx-manual">
    <label class="form-label" for="value"><?cs var:Lang.wx.manual ?></label>
    <div class="input-group input-group-lg">
      <input class="form-control<?cs if:Page.error ?> is-invalid<?cs /if ?>" id="value" name="value" value="<?cs var:Page.value ?>" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="300" placeholder="<?cs var:Lang.wx.manual_ph ?>" required>
      <button class="btn btn-outline-primary" type="submit"><?cs var:Lang.wx.go ?></button>
    </div>
  </form>
  <p class="wx-hint"><?cs var:Lang.wx.scan_hint ?></p>
</section>
<?cs include:"wechat/foot.cs" ?>
<script src="/assets/js/wx-scan.js" defer></script>
