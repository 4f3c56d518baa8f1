<?cs # A printable page of labels (Page.bare: no menu).  Each label is the code's own SVG (50 x 30 mm);
     the toolbar is hidden in print.  Layout a4: 4 x 9 grid per sheet; roll: one label per page. ?>
<link rel="stylesheet" href="/assets/css/labels.css">
<script src="/assets/js/labels.js" defer></script>
<div class="label-toolbar">
  <a class="btn btn-link btn-sm" href="<?cs var:Page.back ?>">← <?cs var:Lang.back ?></a>
  <span class="label-progress"><?cs var:Lang.qr.page ?> <strong class="label-page"><?cs var:Page.page ?></strong> / <span class="label-pages"><?cs var:Page.pages ?></span>
    · <?cs var:Page.first ?>–<?cs var:Page.last ?> / <?cs var:Page.total ?></span>
  <progress max="<?cs var:Page.pages ?>" value="<?cs var:Page.page ?>"><?cs var:Page.page ?>/<?cs var:Page.pages ?></progress>
  <?cs if:Page.page > 1 ?><a class="btn btn-outline-secondary btn-sm" href="<?cs var:Page.base ?>?<?cs if:Page.ids ?>ids=<?cs var:Page.ids ?>&amp;<?cs /if ?>layout=<?cs var:Page.layout ?>&amp;page=<?cs var:Page.page - 1 ?>"><?cs var:Lang.prev ?></a><?cs /if ?>
  <?cs if:Page.page < Page.pages ?><a class="btn btn-outline-secondary btn-sm label-next" href="<?cs var:Page.base ?>?<?cs if:Page.ids ?>ids=<?cs var:Page.ids ?>&amp;<?cs /if ?>layout=<?cs var:Page.layout ?>&amp;page=<?cs var:Page.page + 1 ?>"><?cs var:Lang.next ?></a><?cs /if ?>
  <a class="btn btn-link btn-sm" href="<?cs var:Page.base ?>?<?cs if:Page.ids ?>ids=<?cs var:Page.ids ?>&amp;<?cs /if ?>layout=<?cs if:Page.layout == "a4" ?>roll<?cs else ?>a4<?cs /if ?>&amp;page=<?cs var:Page.page ?><?cs if:Page.copies ?>&amp;copies=<?cs var:Page.copies ?><?cs /if ?>"><?cs if:Page.layout == "a4" ?><?cs var:Lang.qr.layout_roll ?><?cs else ?><?cs var:Lang.qr.layout_a4 ?><?cs /if ?></a>
  <button class="btn btn-primary btn-sm" type="button" data-print><?cs var:Lang.qr.print ?></button>
</div>
<?cs if:Page.count == 0 ?>
<p class="label-empty"><?cs var:Lang.qr.empty ?></p>
<?cs else ?>
<div class="sheet sheet-<?cs var:Page.layout ?>">
<?cs each:l = Page.labels ?><div class="label"><img src="<?cs if:l.src ?><?cs var:l.src ?><?cs else ?>/qr/codes/<?cs var:url_escape(l.code) ?>.svg<?cs /if ?>" alt="<?cs var:l.code ?>" width="189" height="113"></div><?cs /each ?>
</div>
<?cs /if ?>
