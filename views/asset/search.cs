<div class="page-head">
  <h1><?cs var:Lang.search.title ?><?cs if:Page.search_q ?> “<?cs var:Page.search_q ?>”<?cs /if ?></h1>
</div>
<?cs call:flash() ?>
<form class="filter-card card mb-3" method="get" action="/asset/search" role="search">
  <div class="card-body d-flex flex-wrap gap-2 align-items-center">
    <input class="form-control search-box" type="search" name="q" maxlength="64" value="<?cs var:Page.search_q ?>" placeholder="<?cs var:Lang.search.placeholder ?>" aria-label="<?cs var:Lang.search.label ?>" autofocus>
    <button class="btn btn-primary" type="submit"><?cs var:Lang.search.label ?></button>
    <span class="text-muted small"><?cs var:Lang.search.hint ?></span>
  </div>
</form>
<?cs if:Page.none ?><div class="card"><div class="empty-state" id="search-none"><p><?cs var:Page.none ?></p></div></div><?cs /if ?>
<?cs if:subcount(Page.piles) || subcount(Page.stations) ?>
<div class="card-grid search-results">
  <section class="card" id="search-stations">
    <div class="card-body pb-2"><h2 class="section-title mt-0"><?cs var:Lang.search.stations ?></h2></div>
    <?cs if:subcount(Page.stations) ?>
    <ul class="list-group list-group-flush">
      <?cs each:s = Page.stations ?><li class="list-group-item"><a href="/asset/stations/<?cs var:s.id ?>"><?cs var:s.code ?> <?cs var:s.name ?></a><span><span class="text-muted small me-2"><?cs var:s.city ?></span><span class="tag tag-<?cs var:s.state ?>"><?cs var:s.state_label ?></span></span></li><?cs /each ?>
    </ul>
    <?cs if:Page.stations_more ?><a class="card-footer small" href="/asset/stations?q=<?cs var:url_escape(Page.search_q) ?>"><?cs var:Lang.search.all ?> →</a><?cs /if ?>
    <?cs else ?><p class="text-muted px-3 pb-3 mb-0"><?cs var:Lang.search.no_match ?></p><?cs /if ?>
  </section>
  <section class="card" id="search-piles">
    <div class="card-body pb-2"><h2 class="section-title mt-0"><?cs var:Lang.search.piles ?></h2></div>
    <?cs if:subcount(Page.piles) ?>
    <ul class="list-group list-group-flush">
      <?cs each:p = Page.piles ?><li class="list-group-item"><a href="/asset/piles/<?cs var:p.id ?>"><?cs var:p.code ?></a><span><span class="text-muted small me-2"><?cs var:p.place ?></span><span class="tag tag-<?cs var:p.state ?>"><?cs var:p.state_label ?></span></span></li><?cs /each ?>
    </ul>
    <?cs if:Page.piles_more ?><a class="card-footer small" href="/asset/piles?q=<?cs var:url_escape(Page.search_q) ?>"><?cs var:Lang.search.all ?> →</a><?cs /if ?>
    <?cs else ?><p class="text-muted px-3 pb-3 mb-0"><?cs var:Lang.search.no_match ?></p><?cs /if ?>
  </section>
</div>
<?cs /if ?>
