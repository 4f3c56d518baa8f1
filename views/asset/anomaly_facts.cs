<?cs # The facts of one anomaly, in its document page (views/doc/show.cs) and print view. ?>
<div class="card-grid">
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.anomalypage.what ?></h2>
      <dl class="facts" id="anomaly-facts">
        <dt><?cs var:Lang.f.kind ?></dt><dd><?cs var:Page.doc.kind_label ?></dd>
        <dt><?cs var:Lang.f.station ?></dt><dd><a href="/asset/stations/<?cs var:Page.doc.station_id ?>"><?cs var:Page.doc.station ?></a></dd>
        <dt><?cs var:Lang.f.company ?></dt><dd><?cs var:Page.doc.company ?></dd>
        <?cs if:Page.doc.pile ?><dt><?cs var:Lang.res.pile ?></dt><dd><a href="/asset/piles/<?cs var:Page.doc.pile_id ?>"><?cs var:Page.doc.pile ?></a></dd><?cs /if ?>
        <?cs if:Page.doc.expected ?>
        <dt><?cs var:Lang.f.expected ?></dt><dd class="num"><?cs var:Page.doc.expected ?></dd>
        <dt><?cs var:Lang.f.actual ?></dt><dd class="num"><?cs var:Page.doc.actual ?></dd>
        <dt><?cs var:Lang.f.difference ?></dt><dd><strong class="num" id="anomaly-difference"><?cs var:Page.doc.difference ?></strong> <span class="text-muted"><?cs if:string.slice(Page.doc.difference, 0, 1) == "+" ?><?cs var:Lang.anomalypage.more ?><?cs else ?><?cs var:Lang.anomalypage.fewer ?><?cs /if ?></span></dd>
        <?cs /if ?>
        <?cs if:Page.doc.detail ?><dt><?cs var:Lang.f.note ?></dt><dd class="cell-text"><?cs var:Page.doc.detail ?></dd><?cs /if ?>
        <dt><?cs var:Lang.f.opened_at ?></dt><dd><?cs var:Page.doc.opened_at ?></dd>
      </dl>
    </div>
  </section>
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.anomalypage.handling ?></h2>
      <dl class="facts" id="anomaly-handling">
        <dt><?cs var:Lang.anomalypage.acked ?></dt><dd><?cs if:Page.doc.acked_at ?><?cs var:Page.doc.acked_by ?> · <?cs var:Page.doc.acked_at ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.closed_at ?></dt><dd><?cs if:Page.doc.closed_at ?><?cs var:Page.doc.closed_at ?><?cs if:Page.doc.handled_by ?> · <?cs var:Page.doc.handled_by ?><?cs else ?> · <?cs var:Lang.anomalypage.auto_closed ?><?cs /if ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.anomalypage.note ?></dt><dd class="cell-text" id="anomaly-note"><?cs if:Page.doc.note ?><?cs var:Page.doc.note ?><?cs else ?>—<?cs /if ?></dd>
      </dl>
      <?cs if:Page.doc.state == "open" && Page.doc.kind == "quantity" ?><p class="text-muted small mt-3 mb-0"><?cs var:Lang.anomalypage.quantity_hint ?></p><?cs /if ?>
    </div>
  </section>
</div>
