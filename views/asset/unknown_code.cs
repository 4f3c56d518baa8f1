<?cs # A scanned code that no pile the user can see carries (model/codeinfo.c): what it is, and registering a pile with it or whom to ask.  Included by error.cs (web) and wechat/missing.cs (phone, Page.phone). ?>
<div class="unknown-code" id="unknown-code" data-kind="<?cs var:Page.unknown.kind ?>">
  <?cs if:Page.unknown.what ?><p class="unknown-what"><?cs var:Page.unknown.what ?></p><?cs /if ?>
  <?cs if:Page.unknown.register ?>
  <p class="unknown-hint"><?cs if:Page.unknown.kind == "plain" ?><?cs var:Lang.unknown.register_plain ?><?cs else ?><?cs var:Lang.unknown.register_hint ?><?cs /if ?></p>
  <a class="btn btn-primary<?cs if:Page.phone ?> btn-lg w-100<?cs /if ?> unknown-register" href="<?cs var:Page.unknown.register ?>"><?cs var:Lang.unknown.register ?></a>
  <?cs elif:subcount(Page.unknown.ask) ?>
  <p class="unknown-hint"><?cs var:Lang.unknown.ask ?></p>
  <ul class="unknown-ask">
    <?cs each:a = Page.unknown.ask ?><li><strong><?cs var:a.name ?></strong> · <?cs var:a.role ?></li><?cs /each ?>
  </ul>
  <?cs elif:Page.unknown.ask_operator ?>
  <p class="unknown-hint"><?cs var:Lang.unknown.ask_operator ?></p>
  <?cs elif:Page.unknown.kind == "label" || Page.unknown.kind == "none" ?>
  <p class="unknown-hint"><?cs var:Lang.unknown.ask_admin ?></p>
  <?cs /if ?>
  <?cs if:Page.unknown.replaced_by ?>
  <a class="btn btn-outline-primary<?cs if:Page.phone ?> btn-lg w-100<?cs /if ?>" href="<?cs if:Page.phone ?>/wx/p/<?cs var:url_escape(Page.unknown.replaced_by) ?><?cs else ?>/asset/piles/<?cs var:Page.unknown.replaced_pile ?><?cs /if ?>"><?cs var:Lang.unknown.open_pile ?> <?cs var:Page.unknown.replaced_by ?></a>
  <?cs /if ?>
  <?cs if:Page.unknown.batch_url ?><a class="unknown-batch d-block mt-2" href="<?cs var:Page.unknown.batch_url ?>"><?cs var:Lang.unknown.batch ?> #<?cs var:Page.unknown.batch_id ?></a><?cs /if ?>
</div>
