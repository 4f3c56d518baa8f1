<?cs if:Page.phone || string.slice(Req.path, 0, 4) == "/wx/" ?><?cs include:"wechat/missing.cs" ?><?cs else ?><section class="error-page card">
  <div class="card-body">
    <div class="error-code"><?cs var:Page.status ?></div>
    <p class="lead"><?cs var:Page.error ?></p>
    <p class="text-muted small"><?cs var:Lang.error_ref ?> <?cs var:Req.id ?></p>
    <a class="btn btn-primary" href="/base/"><?cs var:Lang.home ?></a>
  </div>
</section><?cs /if ?>
