<?cs # The result of a batch state change (asset/pile_batch.c): how many piles changed, each one that
     did not and why; or why the batch was refused (Page.error, nothing done). ?>
<div class="page-head">
  <h1><?cs var:Lang.batch.title ?></h1>
  <div class="page-actions"><a class="btn btn-link btn-sm" href="<?cs var:Page.back ?>">← <?cs var:Lang.batch.back ?></a></div>
</div>
<?cs call:flash() ?>
<?cs if:Page.run.summary ?>
<div class="alert <?cs if:#Page.run.refused > #0 ?>alert-warning<?cs else ?>alert-success<?cs /if ?> batch-summary" role="status" id="batch-summary">
  <strong><?cs var:Page.run.summary ?></strong>
  <span class="text-muted ms-1"><?cs var:Lang.batch.to_state ?> <span class="tag tag-<?cs var:Page.run.to_state ?>"><?cs var:Page.run.to_label ?></span> · <?cs var:Page.run.at ?></span>
</div>
<section class="card table-card">
  <div class="table-responsive">
  <table class="table align-middle mb-0 data-table" id="batch-items">
    <thead><tr><th><?cs var:Lang.f.code ?></th><th><?cs var:Lang.batch.was ?></th><th><?cs var:Lang.batch.result ?></th></tr></thead>
    <tbody><?cs each:i = Page.items ?><tr>
      <td data-label="<?cs var:Lang.f.code ?>"><?cs if:i.code ?><a href="/asset/piles/<?cs var:i.id ?>"><?cs var:i.code ?></a><?cs else ?>#<?cs var:i.id ?><?cs /if ?></td>
      <td data-label="<?cs var:Lang.batch.was ?>"><?cs if:i.from ?><?cs var:i.from ?><?cs else ?>—<?cs /if ?></td>
      <td data-label="<?cs var:Lang.batch.result ?>" class="cell-text batch-<?cs var:i.outcome ?>"><?cs if:i.outcome == "updated" ?><span class="text-success"><?cs var:Lang.batch.updated ?></span><?cs else ?><span class="text-danger"><?cs var:Lang.batch.refused ?></span> <span class="batch-reason"><?cs var:i.reason ?></span><?cs /if ?></td>
    </tr><?cs /each ?></tbody>
  </table>
  </div>
</section>
<?cs /if ?>
