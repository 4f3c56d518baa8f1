<div class="page-head">
  <h1><?cs var:Lang.notices.title ?> <?cs if:Page.unread > 0 ?><span class="badge text-bg-warning" title="<?cs var:Lang.notices.unread ?>"><?cs var:Page.unread ?></span><?cs /if ?></h1>
  <div class="page-actions">
    <div class="btn-group" role="group" aria-label="<?cs var:Lang.notices.title ?>">
      <a class="btn btn-sm <?cs if:Page.show == "open" ?>btn-primary<?cs else ?>btn-outline-primary<?cs /if ?>" href="/base/notices"><?cs var:Lang.notices.open ?></a>
      <a class="btn btn-sm <?cs if:Page.show == "all" ?>btn-primary<?cs else ?>btn-outline-primary<?cs /if ?>" href="/base/notices?show=all"><?cs var:Lang.notices.all ?></a>
    </div>
  </div>
</div>
<?cs call:flash() ?>
<div class="card">
<?cs if:Page.count == 0 ?>
  <div class="empty-state"><div class="empty-icon" aria-hidden="true">✓</div><p class="mb-1"><?cs var:Lang.notices.none ?></p><p class="text-muted small"><?cs var:Lang.notices.none_hint ?></p></div>
<?cs else ?>
  <ul class="list-group list-group-flush notice-list">
  <?cs each:n = Page.rows ?>
    <li class="list-group-item notice-item flex-column flex-sm-row align-items-stretch align-items-sm-center<?cs if:n.read == "0" && n.acked == "0" ?> notice-unread<?cs /if ?>" data-notice="<?cs var:n.id ?>">
      <div>
        <div><?cs if:n.read == "0" && n.acked == "0" ?><span class="badge text-bg-primary me-1"><?cs var:Lang.notices.new ?></span><?cs /if ?><strong><?cs var:n.kind ?></strong>
          <?cs if:n.station_id ?><a href="/asset/stations/<?cs var:n.station_id ?>"><?cs var:n.code ?> <?cs var:n.name ?></a><?cs /if ?>
          <span class="text-muted small"><?cs var:n.company ?></span></div>
        <span class="<?cs if:n.acked == "1" ?>text-muted<?cs elif:n.overdue == "1" ?>text-danger<?cs else ?>text-warning-emphasis<?cs /if ?> small"><?cs var:Lang.notice.lease_end ?> <?cs var:n.due_on ?> · <?cs if:n.overdue == "1" ?><?cs var:Lang.notice.overdue ?> <?cs var:n.days ?> <?cs var:Lang.notice.days ?><?cs else ?><?cs var:Lang.notice.left ?> <?cs var:n.days ?> <?cs var:Lang.notice.days ?><?cs /if ?></span>
        <div class="small text-muted"><?cs if:n.acked == "1" ?><?cs var:Lang.notices.acked_by ?> <?cs var:n.acked_by ?> · <?cs var:n.acked_at ?><?cs /if ?><?cs if:n.wechat > 0 ?><?cs if:n.acked == "1" ?> · <?cs /if ?><?cs var:Lang.notices.wechat_sent ?> <?cs var:n.wechat ?><?cs /if ?></div>
      </div>
      <div class="notice-actions d-flex gap-2 justify-content-end flex-shrink-0">
        <?cs if:n.read == "0" && n.acked == "0" ?><form method="post" action="/base/notices/<?cs var:n.id ?>/read" class="d-inline"><?cs call:csrf_field() ?><button class="btn btn-sm btn-link text-nowrap" type="submit"><?cs var:Lang.notices.mark_read ?></button></form><?cs /if ?>
        <?cs if:n.acked == "0" && Page.can_ack == "1" ?><form method="post" action="/base/notices/<?cs var:n.id ?>/ack" class="d-inline"><?cs call:csrf_field() ?><input type="hidden" name="back" value="notices"><button class="btn btn-sm btn-outline-secondary text-nowrap" type="submit"><?cs var:Lang.notice.ack ?></button></form><?cs /if ?>
      </div>
    </li>
  <?cs /each ?>
  </ul>
<?cs /if ?>
  <div class="list-foot">
    <span class="text-muted small total"><?cs var:Page.total ?> <?cs var:Lang.notices.count ?></span>
    <nav aria-label="pagination"><ul class="pagination pagination-sm mb-0">
      <li class="page-item<?cs if:Page.page <= 1 ?> disabled<?cs /if ?>"><a class="page-link" href="/base/notices?page=<?cs var:Page.page - 1 ?>&amp;show=<?cs var:Page.show ?>"><?cs var:Lang.prev ?></a></li>
      <li class="page-item active" aria-current="page"><span class="page-link"><?cs var:Page.page ?> / <?cs var:Page.pages ?></span></li>
      <li class="page-item<?cs if:Page.page >= Page.pages ?> disabled<?cs /if ?>"><a class="page-link" href="/base/notices?page=<?cs var:Page.page + 1 ?>&amp;show=<?cs var:Page.show ?>"><?cs var:Lang.next ?></a></li>
    </ul></nav>
  </div>
</div>
