<div class="page-head"><h1><?cs var:Lang.home.welcome ?><?cs var:User.name ?></h1><div class="text-muted"><?cs var:User.role_name ?> · <?cs var:User.company_name ?></div></div>
<?cs call:flash() ?>
<?cs if:subcount(Page.notices) ?>
<section class="card notice-card">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.notice.lease_title ?> <span class="badge text-bg-warning"><?cs var:subcount(Page.notices) ?></span></h2>
    <ul class="list-group list-group-flush">
    <?cs each:n = Page.notices ?>
      <li class="list-group-item notice-item">
        <div>
          <a href="/asset/stations/<?cs var:n.station_id ?>"><?cs var:n.code ?> <?cs var:n.name ?></a>
          <span class="text-muted small"><?cs var:n.company ?></span><br>
          <span class="<?cs if:n.overdue == "1" ?>text-danger<?cs else ?>text-warning-emphasis<?cs /if ?>"><?cs var:Lang.notice.lease_end ?> <?cs var:n.due_on ?> · <?cs if:n.overdue == "1" ?><?cs var:Lang.notice.overdue ?> <?cs var:n.days ?> <?cs var:Lang.notice.days ?> <?cs var:Lang.notice.ago ?><?cs else ?><?cs var:Lang.notice.left ?> <?cs var:n.days ?> <?cs var:Lang.notice.days ?><?cs /if ?></span>
        </div>
        <form method="post" action="/base/notices/<?cs var:n.id ?>/ack"><?cs call:csrf_field() ?><button class="btn btn-sm btn-outline-secondary" type="submit"><?cs var:Lang.notice.ack ?></button></form>
      </li>
    <?cs /each ?>
    </ul>
  </div>
  <a class="card-footer small" href="/base/notices"><?cs var:Lang.notices.title ?> →</a>
</section>
<?cs /if ?>
<div class="card account-card">
  <div class="card-body">
    <h2 class="section-title mt-0"><?cs var:Lang.home.account ?></h2>
    <dl class="account-facts">
      <dt><?cs var:Lang.f.role ?></dt><dd><?cs var:User.role_name ?></dd>
      <dt><?cs var:Lang.f.company ?></dt><dd><?cs call:dash(User.company_name) ?></dd>
      <dt><?cs var:Lang.f.scope ?></dt><dd><?cs var:Page.scope ?></dd>
      <dt><?cs var:Lang.f.perms ?></dt><dd><?cs each:p = Page.perms ?><span class="tag"><?cs var:p ?></span> <?cs /each ?></dd>
    </dl>
    <p class="text-muted small mb-0"><?cs var:Lang.home.modules_note ?></p>
  </div>
</div>
<?cs if:subcount(Page.counts) ?>
<h2 class="section-title"><?cs var:Lang.home.counts ?></h2>
<div class="stat-grid">
  <a class="stat-card card" href="/base/companies?kind=city"><span class="stat-value"><?cs var:Page.counts.cities_companies ?></span><span class="stat-label"><?cs var:Lang.home.cities_companies ?></span></a>
  <a class="stat-card card" href="/base/cities"><span class="stat-value"><?cs var:Page.counts.cities ?></span><span class="stat-label"><?cs var:Lang.home.cities ?></span></a>
  <a class="stat-card card" href="/base/products"><span class="stat-value"><?cs var:Page.counts.products ?></span><span class="stat-label"><?cs var:Lang.home.products ?></span></a>
  <a class="stat-card card" href="/base/warehouses"><span class="stat-value"><?cs var:Page.counts.warehouses ?></span><span class="stat-label"><?cs var:Lang.home.warehouses ?></span></a>
  <?cs if:Perm.user_admin ?><a class="stat-card card" href="/base/users"><span class="stat-value"><?cs var:Page.counts.users ?></span><span class="stat-label"><?cs var:Lang.home.users ?></span></a><?cs /if ?>
</div>
<?cs /if ?>
<?cs if:Perm.audit_view ?>
<h2 class="section-title"><?cs var:Lang.home.recent ?></h2>
<div class="card">
<?cs if:subcount(Page.recent) ?>
<ul class="list-group list-group-flush recent-list">
<?cs each:e = Page.recent ?><li class="list-group-item"><span class="text-muted small"><?cs var:e.at ?></span> <strong><?cs var:e.user ?></strong> <?cs var:e.action ?> <?cs var:e.entity ?> <?cs if:e.href ?><a href="<?cs var:e.href ?>"><?cs var:e.record ?></a><?cs else ?><?cs var:e.record ?><?cs /if ?><?cs if:e.field ?> · <?cs var:e.field ?><?cs /if ?></li><?cs /each ?>
</ul>
<a class="card-footer small" href="/base/records"><?cs var:Lang.res.record ?> →</a>
<?cs else ?><div class="empty-state"><p><?cs var:Lang.home.none ?></p></div><?cs /if ?>
</div>
<?cs /if ?>
