<?cs # One import job: the file, its dry run and result; every bad row as (row, column, message); the commit button when the file is clean. ?>
<div class="page-head">
  <h1><?cs var:Lang.import.job ?> #<?cs var:Page.id ?> · <?cs var:Page.kind_label ?></h1>
  <div class="page-actions">
    <a class="btn btn-outline-secondary btn-sm" href="/asset/import/history"><?cs var:Lang.import.history ?></a>
    <a class="btn btn-outline-primary btn-sm" href="/asset/import?kind=<?cs var:Page.kind ?>"><?cs var:Lang.import.again ?></a>
  </div>
</div>
<?cs call:flash() ?>
<div class="card mb-3">
  <div class="card-body">
    <dl class="row mb-0 import-facts">
      <dt class="col-sm-3"><?cs var:Lang.f.filename ?></dt><dd class="col-sm-9 import-filename"><?cs var:Page.job.filename ?> <span class="text-muted small">(<?cs var:Page.job.fmt ?><?cs if:Page.job.converted == "1" ?> · <?cs var:Lang.import.converted ?><?cs /if ?>)</span></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.import_state ?></dt><dd class="col-sm-9"><span class="tag tag-<?cs var:Page.job.state ?> import-state"><?cs var:Page.job.state_label ?></span></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.rows_total ?></dt><dd class="col-sm-9 num import-rows"><?cs var:Page.job.rows_total ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.f.error_count ?></dt><dd class="col-sm-9 num import-errors"><?cs var:Page.job.error_count ?></dd>
      <?cs if:Page.job.state == "done" ?><dt class="col-sm-3"><?cs var:Lang.f.created_count ?></dt><dd class="col-sm-9 num import-created"><?cs var:Page.job.created_count ?></dd><?cs /if ?>
      <dt class="col-sm-3"><?cs var:Lang.f.user ?></dt><dd class="col-sm-9"><?cs var:Page.job.user ?> · <?cs var:Page.job.created_at ?></dd>
      <dt class="col-sm-3"><?cs var:Lang.import.timing ?></dt><dd class="col-sm-9 small"><?cs var:Lang.import.check_ms ?> <?cs var:Page.job.check_ms ?> ms<?cs if:Page.job.state == "done" ?> · <?cs var:Lang.import.commit_ms ?> <?cs var:Page.job.commit_ms ?> ms · <?cs var:Page.job.committed_at ?><?cs /if ?></dd>
    </dl>
  </div>
  <?cs if:Page.job.state == "ready" && Page.mine ?>
  <form method="post" action="/asset/import/<?cs var:Page.id ?>/commit" class="card-footer import-commit" data-progress-key="<?cs var:Page.job.form_key ?>" data-progress-phase="commit">
    <?cs call:csrf_field() ?>
    <p class="small mb-2"><?cs var:Lang.import.ready_hint ?></p>
    <button class="btn btn-success btn-sm" type="submit" id="import-commit"><?cs var:Lang.import.commit ?> (<?cs var:Page.job.rows_total ?>)</button>
    <div class="import-progress mt-3" hidden>
      <div class="d-flex justify-content-between small text-muted"><span class="import-progress-label"><?cs var:Lang.import.committing ?></span><span class="import-progress-count"></span></div>
      <progress class="w-100" max="100" value="0"></progress>
    </div>
  </form>
  <?cs elif:Page.job.state == "checking" ?>
  <div class="card-footer" data-progress-key="<?cs var:Page.job.form_key ?>" data-progress-phase="check" data-progress-reload="1">
    <div class="import-progress">
      <div class="d-flex justify-content-between small text-muted"><span class="import-progress-label"><?cs var:Lang.import.checking ?></span><span class="import-progress-count"></span></div>
      <progress class="w-100" max="100" value="0"></progress>
    </div>
  </div>
  <?cs elif:Page.job.state == "done" ?>
  <div class="card-footer small">
    <a href="/asset/<?cs if:Page.kind == "station" ?>stations<?cs elif:Page.kind == "pile" ?>piles<?cs else ?>subassets<?cs /if ?>"><?cs var:Lang.import.see_list ?></a>
    <?cs if:Perm.audit_view ?>· <a href="/base/records?entity=<?cs var:Page.kind ?>&amp;action=create"><?cs var:Lang.import.see_records ?></a><?cs /if ?>
  </div>
  <?cs /if ?>
</div>
<?cs if:Page.job.error_count > 0 ?>
<div class="card table-card">
  <div class="card-body pb-0"><h2 class="h6"><?cs var:Lang.import.error_table ?></h2>
  <p class="text-muted small mb-2"><?cs var:Lang.import.error_hint ?><?cs if:Page.errors_capped ?> <?cs var:Page.errors_capped ?><?cs /if ?></p></div>
  <div class="table-responsive">
  <table class="table table-sm align-middle mb-0 data-table import-error-table">
    <thead><tr><th scope="col" class="text-end"><?cs var:Lang.import.err_row ?></th><th scope="col"><?cs var:Lang.import.err_col ?></th><th scope="col"><?cs var:Lang.import.err_value ?></th><th scope="col"><?cs var:Lang.import.err_message ?></th></tr></thead>
    <tbody>
    <?cs each:e = Page.errors_list ?><tr>
      <td class="text-end num" data-label="<?cs var:Lang.import.err_row ?>"><?cs var:e.row ?></td>
      <td data-label="<?cs var:Lang.import.err_col ?>"><?cs var:e.col ?></td>
      <td data-label="<?cs var:Lang.import.err_value ?>" class="cell-text"><?cs var:e.value ?></td>
      <td data-label="<?cs var:Lang.import.err_message ?>" class="cell-text text-danger"><?cs var:e.message ?></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs if:Page.pages > 1 ?>
  <div class="list-foot">
    <span class="text-muted small"><?cs var:Page.page ?> / <?cs var:Page.pages ?></span>
    <nav aria-label="pagination"><ul class="pagination pagination-sm mb-0">
      <li class="page-item<?cs if:!Page.prev_page ?> disabled<?cs /if ?>"><a class="page-link" href="/asset/import/<?cs var:Page.id ?>?page=<?cs var:Page.prev_page ?>"><?cs var:Lang.prev ?></a></li>
      <li class="page-item<?cs if:!Page.next_page ?> disabled<?cs /if ?>"><a class="page-link" href="/asset/import/<?cs var:Page.id ?>?page=<?cs var:Page.next_page ?>"><?cs var:Lang.next ?></a></li>
    </ul></nav>
  </div>
  <?cs /if ?>
</div>
<?cs /if ?>
<script src="/assets/js/import.js" defer></script>
