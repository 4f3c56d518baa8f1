<div class="page-head">
  <h1><?cs var:Lang.versions.title ?></h1>
  <div class="page-actions">
    <a class="btn btn-outline-danger btn-sm" href="/asset/versions/piles?check=below<?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?><?cs if:Page.f.manufacturer_id ?>&amp;manufacturer_id=<?cs var:Page.f.manufacturer_id ?><?cs /if ?>"><?cs var:Lang.versions.below_list ?></a>
    <a class="btn btn-outline-secondary btn-sm" href="/asset/versions/piles?check=unknown<?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?><?cs if:Page.f.manufacturer_id ?>&amp;manufacturer_id=<?cs var:Page.f.manufacturer_id ?><?cs /if ?>"><?cs var:Lang.versions.unknown_list ?></a>
  </div>
</div>
<?cs call:flash() ?>
<p class="text-muted small version-intro"><?cs var:Lang.versions.intro ?></p>
<div class="stat-grid version-stats">
  <div class="stat-card card"><span class="stat-value"><?cs var:Page.summary.targeted ?> / <?cs var:Page.summary.products ?></span><span class="stat-label"><?cs var:Lang.versions.targeted ?></span></div>
  <div class="stat-card card"><span class="stat-value"><?cs var:Page.summary.piles ?></span><span class="stat-label"><?cs var:Lang.versions.piles ?></span></div>
  <a class="stat-card card" href="/asset/versions/piles?check=below<?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?><?cs if:Page.f.manufacturer_id ?>&amp;manufacturer_id=<?cs var:Page.f.manufacturer_id ?><?cs /if ?>" id="stat-below"><span class="stat-value text-danger"><?cs var:Page.summary.below ?></span><span class="stat-label"><?cs var:Lang.versions.below ?></span></a>
  <a class="stat-card card" href="/asset/versions/piles?check=unknown<?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?><?cs if:Page.f.manufacturer_id ?>&amp;manufacturer_id=<?cs var:Page.f.manufacturer_id ?><?cs /if ?>" id="stat-unknown"><span class="stat-value"><?cs var:Page.summary.unknown ?></span><span class="stat-label"><?cs var:Lang.versions.unknown ?></span></a>
</div>
<form class="filter-bar card" method="get" action="/asset/versions">
  <div class="card-body">
    <label class="filter-item">
      <span class="form-label"><?cs var:Lang.f.company_id ?></span>
      <select class="form-select form-select-sm" name="company_id">
        <option value=""><?cs var:Lang.all ?></option>
        <?cs each:o = Page.opts.companies ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.f.company_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
    </label>
    <label class="filter-item">
      <span class="form-label"><?cs var:Lang.f.manufacturer_id ?></span>
      <select class="form-select form-select-sm" name="manufacturer_id">
        <option value=""><?cs var:Lang.all ?></option>
        <?cs each:o = Page.opts.manufacturers ?><option value="<?cs var:o.id ?>"<?cs if:o.id == Page.f.manufacturer_id ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
    </label>
    <div class="filter-buttons">
      <button class="btn btn-primary btn-sm" type="submit"><?cs var:Lang.search ?></button>
      <a class="btn btn-link btn-sm" href="/asset/versions"><?cs var:Lang.reset ?></a>
    </div>
  </div>
</form>
<div class="card table-card">
<?cs if:subcount(Page.products) == 0 ?>
  <div class="empty-state">
    <div class="empty-icon" aria-hidden="true">∅</div>
    <p class="mb-1"><?cs var:Lang.empty ?></p>
  </div>
<?cs else ?>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table version-table">
    <thead><tr>
      <th scope="col"><?cs var:Lang.f.product ?></th>
      <th scope="col"><?cs var:Lang.versions.target ?></th>
      <th scope="col" class="text-end"><?cs var:Lang.versions.piles ?></th>
      <th scope="col" class="text-end"><?cs var:Lang.versions.below ?></th>
      <th scope="col" class="text-end"><?cs var:Lang.versions.unknown ?></th>
      <th scope="col"><?cs var:Lang.versions.running ?></th>
      <?cs if:Page.can_set ?><th scope="col" class="text-end"><?cs var:Lang.actions ?></th><?cs /if ?>
    </tr></thead>
    <tbody>
    <?cs each:p = Page.products ?><tr id="p<?cs var:p.id ?>">
      <td data-label="<?cs var:Lang.f.product ?>"><div class="cell-stack"><div class="fw-semibold"><?cs var:p.model ?></div><div class="text-muted small"><?cs var:p.manufacturer ?> · <?cs var:p.name ?></div></div></td>
      <td data-label="<?cs var:Lang.versions.target ?>" class="target-cell"><div class="cell-stack">
        <?cs if:p.sw_target || p.hw_target ?>
        <div><span class="text-muted small"><?cs var:Lang.versions.sw ?></span> <span class="version-target"><?cs if:p.sw_target ?><?cs var:p.sw_target ?><?cs else ?>—<?cs /if ?></span></div>
        <div><span class="text-muted small"><?cs var:Lang.versions.hw ?></span> <span class="version-target"><?cs if:p.hw_target ?><?cs var:p.hw_target ?><?cs else ?>—<?cs /if ?></span></div>
        <?cs else ?><span class="text-muted small"><?cs var:Lang.versions.no_target ?></span><?cs /if ?>
      </div></td>
      <td class="text-end num" data-label="<?cs var:Lang.versions.piles ?>"><a href="/asset/versions/piles?product_id=<?cs var:p.id ?><?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?>"><?cs var:p.piles ?></a></td>
      <td class="text-end num" data-label="<?cs var:Lang.versions.below ?>"><?cs if:p.below > 0 ?><a class="text-danger fw-semibold below-count" title="<?cs var:Lang.versions.sw ?> <?cs var:p.sw_below ?> · <?cs var:Lang.versions.hw ?> <?cs var:p.hw_below ?>" href="/asset/versions/piles?check=below&amp;product_id=<?cs var:p.id ?><?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?>"><?cs var:p.below ?></a><?cs else ?><span class="text-muted below-count"><?cs var:p.below ?></span><?cs /if ?></td>
      <td class="text-end num" data-label="<?cs var:Lang.versions.unknown ?>"><?cs if:p.unknown > 0 ?><a href="/asset/versions/piles?check=unknown&amp;product_id=<?cs var:p.id ?><?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?>"><?cs var:p.unknown ?></a><?cs else ?><span class="text-muted"><?cs var:p.unknown ?></span><?cs /if ?></td>
      <td data-label="<?cs var:Lang.versions.running ?>" class="version-dist"><div class="cell-stack">
        <?cs if:subcount(p.sw) ?><div class="dist-line"><span class="text-muted small dist-side"><?cs var:Lang.versions.sw ?></span><?cs each:d = p.sw ?><a class="vchip vchip-<?cs var:d.state ?>" href="/asset/versions/piles?product_id=<?cs var:p.id ?>&amp;sw_version=<?cs var:url_escape(d.v) ?><?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?>" title="<?cs var:Lang.enum.side_state[d.state] ?>"><?cs if:d.v ?><?cs var:d.v ?><?cs else ?><?cs var:Lang.versions.blank ?><?cs /if ?> <b><?cs var:d.n ?></b></a><?cs /each ?></div><?cs /if ?>
        <?cs if:subcount(p.hw) ?><div class="dist-line"><span class="text-muted small dist-side"><?cs var:Lang.versions.hw ?></span><?cs each:d = p.hw ?><a class="vchip vchip-<?cs var:d.state ?>" href="/asset/versions/piles?product_id=<?cs var:p.id ?>&amp;hw_version=<?cs var:url_escape(d.v) ?><?cs if:Page.f.company_id ?>&amp;company_id=<?cs var:Page.f.company_id ?><?cs /if ?>" title="<?cs var:Lang.enum.side_state[d.state] ?>"><?cs if:d.v ?><?cs var:d.v ?><?cs else ?><?cs var:Lang.versions.blank ?><?cs /if ?> <b><?cs var:d.n ?></b></a><?cs /each ?></div><?cs /if ?>
        <?cs if:subcount(p.sw) == 0 && subcount(p.hw) == 0 ?><span class="text-muted small">—</span><?cs /if ?>
      </div></td>
      <?cs if:Page.can_set ?><td class="text-end"><a class="btn btn-sm btn-outline-primary" href="/asset/versions/<?cs var:p.id ?>/edit"><?cs var:Lang.versions.set ?></a></td><?cs /if ?>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
  <div class="list-foot"><span class="text-muted small"><?cs var:Lang.versions.legend ?> <span class="vchip vchip-below"><?cs var:Lang.enum.side_state.below ?></span> <span class="vchip vchip-ok"><?cs var:Lang.enum.side_state.ok ?></span> <span class="vchip vchip-unknown"><?cs var:Lang.enum.side_state.unknown ?></span> <span class="vchip vchip-none"><?cs var:Lang.enum.side_state.none ?></span></span></div>
<?cs /if ?>
</div>
