<?cs # The WeChat link of a user (微信绑定): the own one on /base/password, anyone's on the user
     edit page (user admins).  Page.wxlink.{masked,at,action,own} from base/user.c. ?>
<?cs if:Page.wxlink.shown ?>
<div class="card form-card narrow mt-3 wxlink-card" id="wxlink">
  <div class="card-body">
    <h2 class="h6 mb-2"><?cs var:Lang.wxlink.title ?></h2>
    <?cs if:Page.wxlink.masked ?>
    <p class="mb-2"><span class="badge text-bg-success"><?cs var:Lang.wxlink.linked ?></span>
      <span class="text-muted ms-2"><?cs var:Lang.wxlink.openid ?> <code><?cs var:Page.wxlink.masked ?></code> · <span class="text-nowrap"><?cs var:Lang.wxlink.at ?> <?cs var:Page.wxlink.at ?></span></span></p>
    <p class="form-text mb-3"><?cs if:Page.wxlink.own ?><?cs var:Lang.wxlink.hint_own ?><?cs else ?><?cs var:Lang.wxlink.hint_admin ?><?cs /if ?></p>
    <form method="post" action="<?cs var:Page.wxlink.action ?>" data-confirm="<?cs var:Lang.wxlink.confirm ?>">
      <?cs call:csrf_field() ?>
      <button class="btn btn-outline-danger btn-sm" type="submit"><?cs var:Lang.wxlink.unlink ?></button>
    </form>
    <?cs else ?>
    <p class="mb-0"><span class="badge text-bg-secondary"><?cs var:Lang.wxlink.not_linked ?></span>
      <span class="text-muted ms-2"><?cs var:Lang.wxlink.hint_none ?></span></p>
    <?cs /if ?>
  </div>
</div>
<?cs /if ?>
