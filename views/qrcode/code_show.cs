<?cs # One code: where it comes from, its state, and a reprint of its label. ?>
<div class="page-head">
  <h1><code class="code-text"><?cs var:Page.code.code ?></code></h1>
  <div class="page-actions"><a class="btn btn-link btn-sm" href="/qr/batches/<?cs var:Page.code.batch_id ?>">← <?cs var:Lang.res.qr_batch ?> #<?cs var:Page.code.batch_id ?></a></div>
</div>
<?cs call:flash() ?>
<div class="card">
  <div class="card-body d-flex flex-wrap gap-4">
    <?cs if:Page.code.state != "void" ?><img class="code-label" src="/qr/codes/<?cs var:url_escape(Page.code.code) ?>.svg" alt="<?cs var:Page.code.code ?>" width="378" height="227"><?cs /if ?>
    <dl class="row mb-0 flex-grow-1">
      <dt class="col-sm-4"><?cs var:Lang.f.state ?></dt><dd class="col-sm-8"><span class="tag tag-<?cs var:Page.code.state ?> code-state"><?cs var:Page.code.state_label ?></span></dd>
      <dt class="col-sm-4"><?cs var:Lang.qr.url ?></dt><dd class="col-sm-8"><code><?cs var:Page.code.url ?></code></dd>
      <dt class="col-sm-4"><?cs var:Lang.f.rule ?></dt><dd class="col-sm-8"><?cs var:Page.code.rule ?></dd>
      <dt class="col-sm-4"><?cs var:Lang.f.company ?></dt><dd class="col-sm-8"><?cs var:Page.code.company ?></dd>
      <dt class="col-sm-4"><?cs var:Lang.qr.serial ?></dt><dd class="col-sm-8 num"><?cs var:Page.code.serial ?></dd>
      <dt class="col-sm-4"><?cs var:Lang.f.created_at ?></dt><dd class="col-sm-8"><?cs var:Page.code.created_at ?></dd>
      <?cs if:Page.code.pile_id ?><dt class="col-sm-4"><?cs var:Lang.qr.pile ?></dt><dd class="col-sm-8"><a href="/asset/piles/<?cs var:Page.code.pile_id ?>"><?cs var:Page.code.code ?></a></dd><?cs /if ?>
      <?cs if:Page.code.voided_at ?><dt class="col-sm-4"><?cs var:Lang.qr.voided_at ?></dt><dd class="col-sm-8"><?cs var:Page.code.voided_at ?></dd><?cs /if ?>
      <?cs if:Page.code.replaced_by ?><dt class="col-sm-4"><?cs var:Lang.qr.replaced_by ?></dt><dd class="col-sm-8"><a href="/qr/codes/<?cs var:url_escape(Page.code.replaced_by) ?>"><?cs var:Page.code.replaced_by ?></a></dd><?cs /if ?>
    </dl>
  </div>
  <?cs if:Page.code.state != "void" ?>
  <div class="card-footer">
    <?cs var:Lang.qr.reprint ?>:
    <a class="btn btn-outline-primary btn-sm" href="/qr/codes/<?cs var:url_escape(Page.code.code) ?>/label?layout=roll"><?cs var:Lang.qr.layout_roll ?></a>
    <a class="btn btn-outline-primary btn-sm" href="/qr/codes/<?cs var:url_escape(Page.code.code) ?>/label?layout=a4"><?cs var:Lang.qr.layout_a4 ?></a>
    <?cs if:Page.code.pile_id ?><a class="btn btn-outline-warning btn-sm" href="/qr/piles/<?cs var:Page.code.pile_id ?>/regenerate"><?cs var:Lang.navitem.qr_regen ?></a><?cs /if ?>
    <?cs if:Page.can_register ?><a class="btn btn-primary btn-sm ms-2" href="/asset/piles/new?code=<?cs var:url_escape(Page.code.code) ?>"><?cs var:Lang.unknown.register ?></a><?cs /if ?>
  </div>
  <?cs /if ?>
</div>
