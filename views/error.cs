<?cs if:Page.phone || string.slice(Req.path, 0, 4) == "/wx/" ?><?cs include:"wechat/missing.cs" ?><?cs else ?><section class="error-page card">
  <div class="card-body">
    <div class="error-code"><?cs if:Page.unknown.kind == "label" ?><?cs var:Lang.unknown.badge ?><?cs else ?><?cs var:Page.status ?><?cs /if ?></div>
    <p class="lead"><?cs var:Page.error ?></p>
    <?cs if:Page.unknown.kind ?><p class="code-text"><?cs var:Page.unknown.code ?></p><?cs include:"asset/unknown_code.cs" ?><?cs /if ?>
    <?cs if:!Page.unknown.kind ?><p class="text-muted small"><?cs var:Lang.error_ref ?> <?cs var:Req.id ?></p><?cs /if ?>
    <a class="btn <?cs if:Page.unknown.register || Page.unknown.replaced_by ?>btn-outline-secondary<?cs else ?>btn-primary<?cs /if ?>" href="/base/"><?cs var:Lang.home ?></a>
  </div>
</section><?cs /if ?>
