<div class="page-head">
  <h1><?cs var:Lang.res.anomaly ?> · <?cs var:Page.anomaly.kind_label ?> <span class="tag tag-<?cs var:Page.anomaly.status ?>"><?cs var:Page.anomaly.status_label ?></span></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="/asset/anomalies">← <?cs var:Lang.back ?></a>
  </div>
</div>
<?cs call:flash() ?>
<div class="card-grid">
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.anomalypage.what ?></h2>
      <dl class="facts" id="anomaly-facts">
        <dt><?cs var:Lang.f.station ?></dt><dd><a href="/asset/stations/<?cs var:Page.anomaly.station_id ?>"><?cs var:Page.anomaly.station ?></a></dd>
        <dt><?cs var:Lang.f.company ?></dt><dd><?cs var:Page.anomaly.company ?></dd>
        <?cs if:Page.anomaly.pile ?><dt><?cs var:Lang.res.pile ?></dt><dd><a href="/asset/piles/<?cs var:Page.anomaly.pile_id ?>"><?cs var:Page.anomaly.pile ?></a></dd><?cs /if ?>
        <?cs if:Page.anomaly.expected ?>
        <dt><?cs var:Lang.f.expected ?></dt><dd class="num"><?cs var:Page.anomaly.expected ?></dd>
        <dt><?cs var:Lang.f.actual ?></dt><dd class="num"><?cs var:Page.anomaly.actual ?></dd>
        <dt><?cs var:Lang.f.difference ?></dt><dd><strong class="num" id="anomaly-difference"><?cs var:Page.anomaly.difference ?></strong> <span class="text-muted"><?cs if:string.slice(Page.anomaly.difference, 0, 1) == "+" ?><?cs var:Lang.anomalypage.more ?><?cs else ?><?cs var:Lang.anomalypage.fewer ?><?cs /if ?></span></dd>
        <?cs /if ?>
        <?cs if:Page.anomaly.detail ?><dt><?cs var:Lang.f.note ?></dt><dd class="cell-text"><?cs var:Page.anomaly.detail ?></dd><?cs /if ?>
        <dt><?cs var:Lang.f.opened_at ?></dt><dd><?cs var:Page.anomaly.opened_at ?></dd>
      </dl>
    </div>
  </section>
  <section class="card">
    <div class="card-body">
      <h2 class="section-title mt-0"><?cs var:Lang.anomalypage.handling ?></h2>
      <dl class="facts" id="anomaly-handling">
        <dt><?cs var:Lang.anomalypage.acked ?></dt><dd><?cs if:Page.anomaly.acked_at ?><?cs var:Page.anomaly.acked_by ?> · <?cs var:Page.anomaly.acked_at ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.f.closed_at ?></dt><dd><?cs if:Page.anomaly.closed_at ?><?cs var:Page.anomaly.closed_at ?><?cs if:Page.anomaly.handled_by ?> · <?cs var:Page.anomaly.handled_by ?><?cs else ?> · <?cs var:Lang.anomalypage.auto_closed ?><?cs /if ?><?cs else ?>—<?cs /if ?></dd>
        <dt><?cs var:Lang.anomalypage.note ?></dt><dd class="cell-text" id="anomaly-note"><?cs if:Page.anomaly.note ?><?cs var:Page.anomaly.note ?><?cs else ?>—<?cs /if ?></dd>
      </dl>
      <?cs if:Page.anomaly.status == "open" && Page.anomaly.kind == "quantity" ?><p class="text-muted small mt-3 mb-0"><?cs var:Lang.anomalypage.quantity_hint ?></p><?cs /if ?>
    </div>
  </section>
</div>
<?cs if:Page.can_edit && Page.anomaly.status == "open" ?>
<section class="card mt-3">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.anomalypage.act ?></h2>
    <form method="post" action="/asset/anomalies/<?cs var:Page.id ?>/handle" id="anomaly-form">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="version" value="<?cs var:Page.anomaly.version ?>">
      <label class="form-label" for="f-note"><?cs var:Lang.anomalypage.note ?></label>
      <textarea class="form-control<?cs if:Page.errors.note ?> is-invalid<?cs /if ?>" id="f-note" name="note" rows="3" maxlength="500" placeholder="<?cs var:Lang.anomalypage.note_hint ?>"><?cs var:Page.form.note ?></textarea>
      <?cs call:field_error("note") ?>
      <div class="d-flex flex-wrap gap-2 mt-3">
        <button class="btn btn-primary" type="submit"><?cs var:Lang.anomalypage.handle ?></button>
        <?cs if:!Page.anomaly.acked_at ?><button class="btn btn-outline-secondary" type="submit" formaction="/asset/anomalies/<?cs var:Page.id ?>/ack"><?cs var:Lang.anomalypage.ack ?></button><?cs /if ?>
      </div>
    </form>
  </div>
</section>
<?cs /if ?>
