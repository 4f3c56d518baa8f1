<div class="page-head">
  <h1><?cs var:Lang.wx.outbox ?></h1>
  <div class="page-actions"><a class="btn btn-link btn-sm" href="/base/wechat">← <?cs var:Lang.wx.title ?></a></div>
</div>
<?cs call:flash() ?>
<form class="filter-bar card" method="get" action="/base/wechat/outbox">
  <div class="card-body">
    <label class="filter-item"><span class="form-label"><?cs var:Lang.wx.status_label ?></span>
      <select class="form-select form-select-sm" name="status"><option value=""><?cs var:Lang.all ?></option>
      <?cs each:s = Page.statuses ?><option value="<?cs var:s.id ?>"<?cs if:s.id == Page.f.status ?> selected<?cs /if ?>><?cs var:s.label ?></option><?cs /each ?></select></label>
    <label class="filter-item"><span class="form-label"><?cs var:Lang.wx.channel_label ?></span>
      <select class="form-select form-select-sm" name="channel"><option value=""><?cs var:Lang.all ?></option>
      <option value="template"<?cs if:Page.f.channel == "template" ?> selected<?cs /if ?>><?cs var:Lang.wx.channel.template ?></option>
      <option value="robot"<?cs if:Page.f.channel == "robot" ?> selected<?cs /if ?>><?cs var:Lang.wx.channel.robot ?></option></select></label>
    <label class="filter-item"><span class="form-label"><?cs var:Lang.f.company ?></span>
      <select class="form-select form-select-sm" name="company_id"><option value=""><?cs var:Lang.all ?></option>
      <?cs each:c = Page.companies ?><option value="<?cs var:c.id ?>"<?cs if:c.id == Page.f.company_id ?> selected<?cs /if ?>><?cs var:c.name ?></option><?cs /each ?></select></label>
    <div class="filter-buttons">
      <button class="btn btn-primary btn-sm" type="submit"><?cs var:Lang.search ?></button>
      <a class="btn btn-link btn-sm" href="/base/wechat/outbox"><?cs var:Lang.reset ?></a>
    </div>
  </div>
</form>
<div class="card table-card">
<?cs if:Page.count == 0 ?>
  <div class="empty-state"><div class="empty-icon" aria-hidden="true">∅</div><p class="mb-1"><?cs var:Lang.wx.outbox_empty ?></p></div>
<?cs else ?>
  <div class="table-responsive">
  <table class="table table-hover align-middle mb-0 data-table outbox-table">
    <thead><tr><th>#</th><th><?cs var:Lang.wx.notice ?></th><th><?cs var:Lang.wx.channel_label ?></th><th><?cs var:Lang.wx.recipient ?></th><th><?cs var:Lang.wx.status_label ?></th><th class="text-end"><?cs var:Lang.wx.attempts ?></th><th><?cs var:Lang.wx.times ?></th><th><?cs var:Lang.wx.error ?></th></tr></thead>
    <tbody>
    <?cs each:o = Page.rows ?><tr class="outbox-row" data-status="<?cs var:o.status ?>">
      <td data-label="#" class="num"><?cs var:o.id ?></td>
      <td data-label="<?cs var:Lang.wx.notice ?>"><?cs var:o.kind ?><br><span class="small"><?cs var:o.station ?></span><br><code class="small text-muted"><?cs var:o.client_msg_id ?></code></td>
      <td data-label="<?cs var:Lang.wx.channel_label ?>"><?cs var:o.channel ?></td>
      <td data-label="<?cs var:Lang.wx.recipient ?>"><?cs var:o.recipient ?><?cs if:o.recipient != o.company ?><br><span class="small text-muted"><?cs var:o.company ?></span><?cs /if ?></td>
      <td data-label="<?cs var:Lang.wx.status_label ?>"><span class="badge <?cs if:o.status == "sent" ?>text-bg-success<?cs elif:o.status == "failed" ?>text-bg-danger<?cs elif:o.status == "unknown" ?>text-bg-dark<?cs elif:o.status == "deferred" || o.status == "retry" ?>text-bg-warning<?cs elif:o.status == "sending" ?>text-bg-info<?cs else ?>text-bg-secondary<?cs /if ?>"><?cs var:o.status_label ?></span></td>
      <td data-label="<?cs var:Lang.wx.attempts ?>" class="text-end num"><?cs var:o.attempts ?></td>
      <td data-label="<?cs var:Lang.wx.times ?>" class="small"><?cs var:Lang.wx.created ?> <?cs var:o.created ?><?cs if:o.sent_at ?><br><?cs var:Lang.wx.sent_at ?> <?cs var:o.sent_at ?><?cs elif:o.status == "retry" || o.status == "deferred" || o.status == "pending" ?><br><?cs var:Lang.wx.next_at ?> <?cs var:o.next_at ?><?cs /if ?><?cs if:o.msgid ?><br>msgid <?cs var:o.msgid ?><?cs /if ?></td>
      <td data-label="<?cs var:Lang.wx.error ?>" class="small cell-text"><?cs if:o.errcode ?><code><?cs var:o.errcode ?></code> <?cs /if ?><?cs var:o.error ?>
        <?cs if:o.status == "failed" || o.status == "unknown" || o.status == "retry" || o.status == "deferred" ?><form method="post" action="/base/wechat/outbox/<?cs var:o.id ?>/retry" class="mt-1"><?cs call:csrf_field() ?><button class="btn btn-sm btn-outline-primary text-nowrap" type="submit" title="<?cs if:o.status == "unknown" ?><?cs var:Lang.wx.retry_unknown ?><?cs else ?><?cs var:Lang.wx.retry_hint ?><?cs /if ?>"><?cs var:Lang.wx.resend ?></button></form><?cs /if ?></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
<?cs /if ?>
  <div class="list-foot">
    <span class="text-muted small total"><?cs var:Page.total ?> <?cs var:Lang.wx.rows ?></span>
    <nav aria-label="pagination"><ul class="pagination pagination-sm mb-0">
      <li class="page-item<?cs if:Page.page <= 1 ?> disabled<?cs /if ?>"><a class="page-link" href="/base/wechat/outbox?page=<?cs var:Page.page - 1 ?>&amp;status=<?cs var:url_escape(Page.f.status) ?>&amp;channel=<?cs var:url_escape(Page.f.channel) ?>&amp;company_id=<?cs var:url_escape(Page.f.company_id) ?>"><?cs var:Lang.prev ?></a></li>
      <li class="page-item active" aria-current="page"><span class="page-link"><?cs var:Page.page ?> / <?cs var:Page.pages ?></span></li>
      <li class="page-item<?cs if:Page.page >= Page.pages ?> disabled<?cs /if ?>"><a class="page-link" href="/base/wechat/outbox?page=<?cs var:Page.page + 1 ?>&amp;status=<?cs var:url_escape(Page.f.status) ?>&amp;channel=<?cs var:url_escape(Page.f.channel) ?>&amp;company_id=<?cs var:url_escape(Page.f.company_id) ?>"><?cs var:Lang.next ?></a></li>
    </ul></nav>
  </div>
</div>
