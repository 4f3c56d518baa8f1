<?cs # The phone-page shell, bottom half: who is signed in, the language, signing out (the phone
  sign-out of ca-wechat, one session for every worker), and the shell's script. ?>
</main>
<?cs if:User.id ?>
<footer class="wx-foot">
  <span class="wx-who"><?cs var:User.name ?> · <?cs var:User.role_name ?></span>
  <a href="/base/lang?to=<?cs var:Site.other_lang ?>&amp;next=<?cs var:url_escape(Req.path) ?>"><?cs var:Lang.language ?></a>
  <form method="post" action="/wx/logout"><?cs call:csrf_field() ?><button class="btn btn-link btn-sm p-0" type="submit"><?cs var:Lang.logout ?></button></form>
</footer>
<?cs /if ?>
</div>
<script src="/assets/js/wx-app.js" defer></script>
