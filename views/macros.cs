<?cs # Shared template macros.  Every value goes through var: (HTML-escaped). ?>
<?cs # alt: is never used: ClearSilver's alt: prints without the html escaping var: applies. ?>
<?cs def:dash(v) ?><?cs if:v ?><?cs var:v ?><?cs else ?>—<?cs /if ?><?cs /def ?>
<?cs def:csrf_field() ?><input type="hidden" name="_csrf" value="<?cs var:Csrf ?>"><?cs /def ?>
<?cs # The idempotency key of a phone form (core/idem.h: idem_fresh() puts it in Page.idem; views/phone/head.cs). ?>
<?cs def:phone_key() ?><input type="hidden" name="idem" value="<?cs var:Page.idem ?>"><?cs /def ?>

<?cs def:nav_link(key, href, label) ?><li><a class="nav-link<?cs if:Page.menu == key ?> active<?cs /if ?>" href="<?cs var:href ?>"<?cs if:Page.menu == key ?> aria-current="page"<?cs /if ?>><?cs var:label ?></a></li><?cs /def ?>


<?cs def:flash() ?><?cs if:Page.flash ?><div class="alert alert-<?cs if:Page.flash_kind ?><?cs var:Page.flash_kind ?><?cs else ?>info<?cs /if ?>" role="status"><?cs var:Page.flash ?></div><?cs /if ?><?cs if:Page.error ?><div class="alert alert-danger" role="alert"><?cs var:Page.error ?><?cs if:Page.status >= 500 ?> <small class="text-muted"><?cs var:Lang.error_ref ?> <?cs var:Req.id ?></small><?cs /if ?></div><?cs /if ?><?cs /def ?>

<?cs def:field_error(name) ?><?cs if:Page.errors[name] ?><div class="invalid-feedback d-block"><?cs var:Page.errors[name] ?></div><?cs /if ?><?cs if:Page.mine[name] ?><div class="form-text text-warning-emphasis"><?cs var:Lang.stale_yours ?>: <?cs var:Page.mine[name] ?></div><?cs /if ?><?cs /def ?>

<?cs def:sort_link(col) ?><?cs if:col.sortable ?><a class="sort-link" href="<?cs var:Page.base ?>?sort=<?cs var:col.name ?>&amp;dir=<?cs if:Page.sort == col.name && Page.dir == "asc" ?>desc<?cs else ?>asc<?cs /if ?><?cs var:Page.qs ?>&amp;per=<?cs var:Page.per ?>"><?cs var:col.label ?><?cs if:Page.sort == col.name ?> <span class="sort-mark"><?cs if:Page.dir == "asc" ?>▲<?cs else ?>▼<?cs /if ?></span><?cs /if ?></a><?cs else ?><?cs var:col.label ?><?cs /if ?><?cs /def ?>

<?cs def:page_link(n, label) ?><a class="page-link" href="<?cs var:Page.base ?>?page=<?cs var:n ?>&amp;sort=<?cs var:Page.sort ?>&amp;dir=<?cs var:Page.dir ?>&amp;per=<?cs var:Page.per ?><?cs var:Page.qs ?>"><?cs var:label ?></a><?cs /def ?>

<?cs # The foot of a list page (views/crud/list.cs and lists like it): total, page links and rows per page, keeping the filters and sort. ?>
<?cs def:list_foot() ?>
  <div class="list-foot">
    <span class="text-muted small total"><?cs var:Page.total_label ?></span>
    <nav aria-label="pagination"><ul class="pagination pagination-sm mb-0">
      <li class="page-item<?cs if:Page.page <= 1 ?> disabled<?cs /if ?>"><?cs call:page_link(Page.page - 1, Lang.prev) ?></li>
      <?cs each:p = Page.pager ?><?cs if:p.gap ?><li class="page-item disabled"><span class="page-link">…</span></li><?cs elif:p.cur ?><li class="page-item active" aria-current="page"><span class="page-link"><?cs var:p.n ?></span></li><?cs else ?><li class="page-item"><?cs call:page_link(p.n, p.n) ?></li><?cs /if ?><?cs /each ?>
      <li class="page-item<?cs if:Page.page >= Page.pages ?> disabled<?cs /if ?>"><?cs call:page_link(Page.page + 1, Lang.next) ?></li>
    </ul></nav>
    <form method="get" action="<?cs var:Page.base ?>" class="per-form">
      <?cs each:f = Page.filters ?><?cs if:f.value ?><input type="hidden" name="<?cs var:f.name ?>" value="<?cs var:f.value ?>"><?cs /if ?><?cs /each ?>
      <input type="hidden" name="sort" value="<?cs var:Page.sort ?>"><input type="hidden" name="dir" value="<?cs var:Page.dir ?>">
      <label class="small text-muted"><?cs var:Lang.per_page ?>
      <select name="per" class="form-select form-select-sm d-inline-block w-auto auto-submit">
        <option<?cs if:Page.per == 20 ?> selected<?cs /if ?>>20</option><option<?cs if:Page.per == 50 ?> selected<?cs /if ?>>50</option><option<?cs if:Page.per == 100 ?> selected<?cs /if ?>>100</option>
      </select></label>
      <noscript><button class="btn btn-sm btn-link" type="submit">OK</button></noscript>
    </form>
  </div>
<?cs /def ?>

<?cs # A station picker (asset/station_pick.c, assets/js/app.js; issue 10 §2: no list of every station).
     A text box for a station's code; as one types, stations whose code or name starts with the text
     are offered.  In a form the picked station's id goes to the hidden input `idname`, rendered empty
     so that without JavaScript the server reads the code typed in the box; in a list's filter
     (idname "") the box gets the picked code.  fid: the box's id (the label's for); tname, tval: its
     name and value; closed: "1" offers closed stations too; invalid: mark it; sm: the small size. ?>
<?cs def:station_picker(fid, tname, tval, idname, closed, invalid, sm) ?><div class="station-picker" data-picker="/asset/stations/pick<?cs if:closed ?>?closed=1<?cs /if ?>" data-none="<?cs var:Lang.picker.none ?>" data-more="<?cs var:Lang.picker.more ?>" data-failed="<?cs var:Lang.picker.failed ?>">
      <input class="form-control<?cs if:sm ?> form-control-sm<?cs /if ?><?cs if:invalid ?> is-invalid<?cs /if ?>" type="text" id="<?cs var:fid ?>" name="<?cs var:tname ?>" value="<?cs var:tval ?>" maxlength="100" autocomplete="off" spellcheck="false" placeholder="<?cs var:Lang.picker.placeholder ?>" title="<?cs var:Lang.picker.title ?>" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="<?cs var:fid ?>-list">
      <?cs if:idname ?><input type="hidden" name="<?cs var:idname ?>" value="" data-picker-id><?cs /if ?>
      <ul class="picker-list" id="<?cs var:fid ?>-list" role="listbox" hidden></ul>
    </div><?cs /def ?>

<?cs # The filter bar of a list page: one control per Page.filters entry, the sort kept; reset goes to `reset`. ?>
<?cs def:filter_item(f) ?>
    <?cs if:f.picker == "station" ?>
    <?cs # Its own label element: wrapped in one, the suggestions would become part of its name. ?>
    <div class="filter-item">
      <label class="form-label" for="filter-<?cs var:f.name ?>"><?cs var:f.label ?></label>
      <?cs call:station_picker("filter-" + f.name, f.name, f.value, "", "1", "", "1") ?>
    </div>
    <?cs else ?>
    <label class="filter-item">
      <span class="form-label"><?cs var:f.label ?></span>
      <?cs if:subcount(f.opts) ?>
      <select class="form-select form-select-sm" name="<?cs var:f.name ?>">
        <option value=""><?cs var:Lang.all ?></option>
        <?cs each:o = f.opts ?><option value="<?cs var:o.id ?>"<?cs if:o.id == f.value ?> selected<?cs /if ?>><?cs var:o.label ?></option><?cs /each ?>
      </select>
      <?cs elif:f.type == "d" ?>
      <input class="form-control form-control-sm" type="date" name="<?cs var:f.name ?>" value="<?cs var:f.value ?>">
      <?cs else ?>
      <input class="form-control form-control-sm" type="search" name="<?cs var:f.name ?>" value="<?cs var:f.value ?>" maxlength="100"<?cs if:f.type == "p" ?> placeholder="<?cs var:Lang.prefix_match ?>" title="<?cs var:Lang.prefix_match_title ?>"<?cs /if ?>>
      <?cs /if ?>
    </label>
    <?cs /if ?>
<?cs /def ?>
<?cs # The first six filters in one row with the buttons; the others fold under
     "more filters", open while one of them is set (a long filter bar hides the list). ?>
<?cs def:filter_bar(reset) ?><form class="filter-bar card" method="get" action="<?cs var:Page.base ?>">
  <?cs set:Page.filters_more = "" ?><?cs set:Page.filters_more_n = 0 ?>
  <?cs set:Page.fi = #0 ?><?cs each:f = Page.filters ?><?cs if:#Page.fi >= #6 ?><?cs set:Page.filters_more_n = #Page.filters_more_n + #1 ?><?cs if:f.value ?><?cs set:Page.filters_more = "1" ?><?cs /if ?><?cs /if ?><?cs set:Page.fi = #Page.fi + #1 ?><?cs /each ?>
  <div class="card-body">
  <?cs set:Page.fi = #0 ?><?cs each:f = Page.filters ?><?cs if:#Page.fi < #6 || #Page.filters_more_n <= #1 ?><?cs call:filter_item(f) ?><?cs /if ?><?cs set:Page.fi = #Page.fi + #1 ?><?cs /each ?>
    <input type="hidden" name="sort" value="<?cs var:Page.sort ?>">
    <input type="hidden" name="dir" value="<?cs var:Page.dir ?>">
    <div class="filter-buttons">
      <button class="btn btn-primary btn-sm" type="submit"><?cs var:Lang.search ?></button>
      <a class="btn btn-link btn-sm" href="<?cs var:reset ?>"><?cs var:Lang.reset ?></a>
    </div>
  </div>
  <?cs if:#Page.filters_more_n > #1 ?>
  <details class="filter-more"<?cs if:Page.filters_more ?> open<?cs /if ?>>
    <summary><?cs var:Lang.filters_more ?> <span class="text-muted">(<?cs var:Page.filters_more_n ?>)</span></summary>
    <div class="card-body filter-more-body">
    <?cs set:Page.fi = #0 ?><?cs each:f = Page.filters ?><?cs if:#Page.fi >= #6 ?><?cs call:filter_item(f) ?><?cs /if ?><?cs set:Page.fi = #Page.fi + #1 ?><?cs /each ?>
    </div>
  </details>
  <?cs /if ?>
</form>
<?cs /def ?>
