<div class="page-head">
  <h1><?cs var:Lang.versions.piles_title ?></h1>
  <div class="page-actions">
    <a class="btn btn-link btn-sm" href="/asset/versions">← <?cs var:Lang.versions.title ?></a>
    <div class="btn-group">
      <a class="btn btn-outline-secondary btn-sm" href="<?cs var:Page.base ?>/export?fmt=csv&amp;sort=<?cs var:Page.sort ?>&amp;dir=<?cs var:Page.dir ?><?cs var:Page.qs ?>"><?cs var:Lang.export_csv ?></a>
      <a class="btn btn-outline-secondary btn-sm" href="<?cs var:Page.base ?>/export?fmt=xlsx&amp;sort=<?cs var:Page.sort ?>&amp;dir=<?cs var:Page.dir ?><?cs var:Page.qs ?>"><?cs var:Lang.export_xlsx ?></a>
    </div>
  </div>
</div>
<?cs call:flash() ?>
<ul class="nav nav-pills version-tabs mb-3">
  <li class="nav-item"><a class="nav-link<?cs if:Page.f.check == "below" ?> active<?cs /if ?>" href="<?cs var:Page.base ?>?check=below"><?cs var:Lang.versions.tab_below ?></a></li>
  <li class="nav-item"><a class="nav-link<?cs if:Page.f.check == "unknown" ?> active<?cs /if ?>" href="<?cs var:Page.base ?>?check=unknown"><?cs var:Lang.versions.tab_unknown ?></a></li>
  <li class="nav-item"><a class="nav-link<?cs if:!Page.f.check ?> active<?cs /if ?>" href="<?cs var:Page.base ?>"><?cs var:Lang.versions.tab_all ?></a></li>
</ul>
<?cs call:filter_bar(Page.base + "?check=below") ?>
<div class="card table-card">
<?cs if:Page.count == 0 ?>
  <div class="empty-state">
    <div class="empty-icon" aria-hidden="true">∅</div>
    <p class="mb-1"><?cs if:Page.f.check == "below" ?><?cs var:Lang.versions.none_below ?><?cs else ?><?cs var:Lang.empty ?><?cs /if ?></p>
    <p class="text-muted small"><?cs var:Lang.empty_hint ?></p>
  </div>
<?cs else ?>
  <div class="table-responsive">
  <table class="table table-hover align-middle mb-0 data-table version-piles">
    <thead><tr>
      <?cs each:c = Page.cols ?><?cs if:c.kind != "x" && c.name != "sw_target" && c.name != "hw_target" && c.name != "manufacturer" ?><th scope="col"><?cs call:sort_link(c) ?></th><?cs /if ?><?cs /each ?>
    </tr></thead>
    <tbody>
    <?cs each:row = Page.rows ?><tr>
      <?cs each:c = Page.cols ?><?cs if:c.kind == "k" ?><td data-label="<?cs var:c.label ?>"><a href="/asset/piles/<?cs var:row.id ?>"><?cs var:row[c.name] ?></a></td><?cs elif:c.name == "model" ?><td data-label="<?cs var:c.label ?>" class="cell-text"><div class="cell-stack"><div><?cs var:row.model ?></div><div class="text-muted small"><?cs var:row.manufacturer ?></div></div></td><?cs elif:c.name == "manufacturer" || c.name == "sw_target" || c.name == "hw_target" ?><?cs elif:c.name == "sw_version" ?><td data-label="<?cs var:c.label ?>" class="cell-version"><div class="cell-stack"><span class="vchip vchip-<?cs var:row.sw_state ?>"><?cs if:row.sw_version ?><?cs var:row.sw_version ?><?cs else ?><?cs var:Lang.versions.blank ?><?cs /if ?></span><?cs if:row.sw_target ?><div class="small text-muted"><?cs var:Lang.versions.target ?> <span class="sw-target"><?cs var:row.sw_target ?></span></div><?cs /if ?></div></td><?cs elif:c.name == "hw_version" ?><td data-label="<?cs var:c.label ?>" class="cell-version"><div class="cell-stack"><span class="vchip vchip-<?cs var:row.hw_state ?>"><?cs if:row.hw_version ?><?cs var:row.hw_version ?><?cs else ?><?cs var:Lang.versions.blank ?><?cs /if ?></span><?cs if:row.hw_target ?><div class="small text-muted"><?cs var:Lang.versions.target ?> <span class="hw-target"><?cs var:row.hw_target ?></span></div><?cs /if ?></div></td><?cs elif:c.name == "warranty" ?><td data-label="<?cs var:c.label ?>"><span class="tag tag-warranty-<?cs var:row.warranty_raw ?>"><?cs var:row.warranty ?></span></td><?cs elif:c.kind == "e" ?><td data-label="<?cs var:c.label ?>"><span class="tag tag-v<?cs var:row[c.name + "_raw"] ?>"><?cs var:row[c.name] ?></span></td><?cs elif:c.kind != "x" ?><td data-label="<?cs var:c.label ?>" class="cell-text col-<?cs var:c.name ?>"><?cs var:row[c.name] ?></td><?cs /if ?><?cs /each ?>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
<?cs /if ?>
  <?cs call:list_foot() ?>
</div>
