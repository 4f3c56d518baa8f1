<div class="page-head"><h1><?cs var:Lang.res.role ?></h1></div>
<div class="card table-card"><div class="table-responsive">
<table class="table align-middle mb-0 data-table">
<thead><tr><th><?cs var:Lang.f.code ?></th><th><?cs var:Lang.f.name ?></th><th><?cs var:Lang.f.scope ?></th><th><?cs var:Lang.f.perms ?></th><th class="text-end"><?cs var:Lang.f.users ?></th></tr></thead>
<tbody><?cs each:r = Page.rows ?><tr>
<td data-label="<?cs var:Lang.f.code ?>"><code><?cs var:r.code ?></code></td><td data-label="<?cs var:Lang.f.name ?>"><?cs var:r.name ?></td>
<td data-label="<?cs var:Lang.f.scope ?>"><?cs var:r.scope ?></td><td data-label="<?cs var:Lang.f.perms ?>" class="cell-text"><?cs var:r.perms ?></td>
<td class="text-end num" data-label="<?cs var:Lang.f.users ?>"><a href="/base/users?role_id=<?cs var:r.id ?>"><?cs var:r.users ?></a></td>
</tr><?cs /each ?></tbody></table></div></div>
