<?cs # Bulk import: pick the kind, download its template, upload a file for a dry run; the columns of the kind below. ?>
<div class="page-head">
  <h1><?cs var:Lang.import.title ?></h1>
  <div class="page-actions"><a class="btn btn-outline-secondary btn-sm" href="/asset/import/history"><?cs var:Lang.import.history ?></a></div>
</div>
<?cs call:flash() ?>
<ul class="nav nav-tabs import-kinds mb-3">
  <?cs each:k = Page.kinds ?><li class="nav-item"><a class="nav-link<?cs if:k.cur ?> active<?cs /if ?>" href="/asset/import?kind=<?cs var:k.id ?>"<?cs if:k.cur ?> aria-current="page"<?cs /if ?>><?cs var:k.label ?></a></li><?cs /each ?>
</ul>
<div class="import-grid">
<div class="card">
  <div class="card-body">
    <h2 class="h6"><?cs var:Lang.import.step1 ?></h2>
    <p class="text-muted small"><?cs var:Lang.import.step1_hint ?></p>
    <div class="d-flex flex-wrap gap-2">
      <a class="btn btn-outline-primary btn-sm" id="template-xlsx" href="/asset/import/template?kind=<?cs var:Page.kind ?>&amp;fmt=xlsx"><?cs var:Lang.import.template_xlsx ?></a>
      <a class="btn btn-outline-primary btn-sm" id="template-csv" href="/asset/import/template?kind=<?cs var:Page.kind ?>&amp;fmt=csv"><?cs var:Lang.import.template_csv ?></a>
    </div>
  </div>
</div>
<div class="card">
  <form method="post" action="/asset/import" enctype="multipart/form-data" class="card-body import-form" data-progress-key="<?cs var:Page.form_key ?>" data-progress-phase="check">
    <?cs call:csrf_field() ?>
    <input type="hidden" name="form_key" value="<?cs var:Page.form_key ?>">
    <input type="hidden" name="kind" value="<?cs var:Page.kind ?>">
    <h2 class="h6"><?cs var:Lang.import.step2 ?></h2>
    <p class="text-muted small"><?cs var:Lang.import.step2_hint ?></p>
    <div class="d-flex flex-wrap gap-2 align-items-center">
      <input class="form-control form-control-sm import-file" type="file" name="file" id="import-file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required aria-label="<?cs var:Lang.import.file ?>">
      <button class="btn btn-primary btn-sm" type="submit" id="import-check"><?cs var:Lang.import.check ?></button>
    </div>
    <div class="import-progress mt-3" hidden>
      <div class="d-flex justify-content-between small text-muted"><span class="import-progress-label"><?cs var:Lang.import.checking ?></span><span class="import-progress-count"></span></div>
      <progress class="w-100" max="100" value="0"></progress>
    </div>
  </form>
</div>
</div>
<div class="card table-card mt-3">
  <div class="card-body pb-0"><h2 class="h6"><?cs var:Lang.import.columns ?> · <?cs var:Page.kind_label ?></h2>
  <p class="text-muted small mb-1"><?cs var:Lang.import.rules ?></p>
  <p class="small mb-2 import-kind-rule"><?cs var:Page.kind_rule ?></p></div>
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table import-columns">
    <thead><tr><th scope="col"><?cs var:Lang.import.col_header ?></th><th scope="col"><?cs var:Lang.import.col_required ?></th><th scope="col"><?cs var:Lang.import.col_hint ?></th></tr></thead>
    <tbody>
    <?cs each:c = Page.columns ?><tr>
      <td data-label="<?cs var:Lang.import.col_header ?>"><?cs var:c.label ?></td>
      <td data-label="<?cs var:Lang.import.col_required ?>"><?cs if:c.required ?><span class="tag tag-ready"><?cs var:Lang.yes ?></span><?cs else ?><span class="text-muted"><?cs var:Lang.no ?></span><?cs /if ?></td>
      <td data-label="<?cs var:Lang.import.col_hint ?>" class="cell-text"><?cs var:c.hint ?></td>
    </tr><?cs /each ?>
    </tbody>
  </table>
  </div>
</div>
<script src="/assets/js/import.js" defer></script>
