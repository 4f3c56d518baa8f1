<?cs # The pile list's batch actions (asset/pile_batch.c), inside crud/list.cs's batch form: the rows
     ticked on this page → their QR labels (a new tab), an export of them, and for those who may edit
     a state change (confirmed; each pile checked on its own).  The select-all box and the count need
     the script (assets/js/app.js); without it each row is ticked by hand and the server counts. ?>
<div class="batch-bar">
  <label class="batch-all form-check-label" hidden><input class="form-check-input pick-all" type="checkbox"> <?cs var:Lang.batch.all ?></label>
  <span class="batch-count text-muted small" aria-live="polite" data-none="<?cs var:Lang.batch.hint ?>" data-some="<?cs var:Lang.batch.count ?>"><?cs var:Lang.batch.hint ?></span>
  <input type="hidden" name="form_key" value="<?cs var:Page.batch_key ?>">
  <?cs if:Page.batch_back ?><input type="hidden" name="back" value="<?cs var:Page.batch_back ?>"><?cs /if ?>
  <div class="batch-actions">
    <?cs if:Perm.qr ?><button class="btn btn-outline-primary btn-sm" type="submit" formaction="/asset/piles/batch/labels" formtarget="_blank" data-needs-pick><?cs var:Lang.batch.labels ?></button><?cs /if ?>
    <button class="btn btn-outline-secondary btn-sm" type="submit" formaction="/asset/piles/batch/export" name="fmt" value="csv" data-needs-pick><?cs var:Lang.batch.export_csv ?></button>
    <button class="btn btn-outline-secondary btn-sm" type="submit" formaction="/asset/piles/batch/export" name="fmt" value="xlsx" data-needs-pick><?cs var:Lang.batch.export_xlsx ?></button>
    <?cs if:Page.can_edit ?>
    <span class="batch-state">
      <label class="small text-muted" for="batch-to"><?cs var:Lang.batch.to_state ?></label>
      <select class="form-select form-select-sm" id="batch-to" name="to_state">
        <option value="installed"><?cs var:Lang.enum.pile_state.installed ?></option>
        <option value="operating"><?cs var:Lang.enum.pile_state.operating ?></option>
        <option value="repair"><?cs var:Lang.enum.pile_state.repair ?></option>
      </select>
      <button class="btn btn-outline-warning btn-sm" type="submit" formaction="/asset/piles/batch/state" data-confirm="<?cs var:Lang.batch.confirm_state ?>" data-needs-pick><?cs var:Lang.batch.state ?></button>
    </span>
    <?cs /if ?>
  </div>
</div>
