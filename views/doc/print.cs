<?cs # The print view of one document (Page.bare: no menu; the toolbar is hidden in print). ?>
<div class="print-toolbar no-print">
  <a class="btn btn-link btn-sm" href="<?cs var:Page.base ?>/<?cs var:Page.id ?>">← <?cs var:Lang.back ?></a>
  <button class="btn btn-primary btn-sm" type="button" data-print><?cs var:Lang.doc.print ?></button>
</div>
<article class="doc-print">
  <header class="doc-print-head">
    <h1><?cs var:Page.res_label ?><?cs if:Page.doc.title ?> · <?cs var:Page.doc.title ?><?cs /if ?></h1>
    <p><?cs var:Lang.doc.state ?>：<strong id="doc-state"><?cs var:Page.doc.state_label ?></strong> · <?cs var:Lang.doc.printed_at ?>：<?cs var:Page.printed_at ?> · <?cs var:User.name ?></p>
  </header>
  <?cs include:Page.doc_view ?>
  <?cs if:Page.lines_title ?>
  <h2 class="section-title"><?cs var:Page.lines_title ?></h2>
  <table class="table table-sm doc-print-lines">
    <thead><tr><?cs each:h = Page.line_cols ?><th><?cs var:h.label ?></th><?cs /each ?></tr></thead>
    <tbody><?cs each:l = Page.lines ?><tr><?cs each:c = l.cells ?><td<?cs if:c.kind == "n" ?> class="num"<?cs /if ?>><?cs var:c.text ?></td><?cs /each ?></tr><?cs /each ?></tbody>
  </table>
  <?cs /if ?>
  <h2 class="section-title"><?cs var:Lang.doc.history ?></h2>
  <table class="table table-sm">
    <thead><tr><th><?cs var:Lang.f.at ?></th><th><?cs var:Lang.f.user ?></th><th><?cs var:Lang.stationpage.field ?></th><th><?cs var:Lang.doc.change ?></th></tr></thead>
    <tbody><?cs each:e = Page.history ?><tr><td><?cs var:e.at ?></td><td><?cs if:e.user ?><?cs var:e.user ?><?cs else ?><?cs var:Lang.doc.system ?><?cs /if ?></td><td><?cs if:e.field ?><?cs var:e.field ?><?cs else ?><?cs var:e.action ?><?cs /if ?></td><td><?cs if:e.old ?><?cs var:e.old ?> → <?cs /if ?><?cs var:e.new ?></td></tr><?cs /each ?></tbody>
  </table>
  <footer class="doc-print-sign"><span><?cs var:Lang.doc.signed_by ?>：</span><span><?cs var:Lang.doc.signed_at ?>：</span></footer>
</article>
