/*
 * import_template.c — the import templates (/asset/import/template): the
 * forms' labels from the language pack as headers ("*" marks a required
 * column), one example row made of records the user may use, and what to
 * write in each column — a sheet of its own in the XLSX (libxlsxwriter), a
 * comment row (first cell "#", skipped by the import) in the CSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"

#include "asset/asset.h"
#include "asset/import.h"

/* The column list of a kind, for the page and the template: header,
 * required, and what to write. */
const char *
import_col_hint(struct req *r, const struct resource *res, const struct colspec *cs)
{
	const struct field *f = NULL;

	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, cs->field) == 0)
			f = &res->fields[i];
	if (f == NULL)
		return tpl_lang(r, "import.hint.station_pile");
	if (cs->map != M_NONE && cs->map != M_DICT)
		return tpl_lang(r, "import.hint.ref");
	if (cs->map == M_DICT)
		return tpl_lang(r, "import.hint.dict");
	if (f->type == FT_CHOICE) {
		struct buf b;

		buf_init(&b, r->arena, 128);
		buf_puts(&b, tpl_lang(r, "import.hint.choice"));
		for (int c = 0; f->choices[c]; c++) {
			char key[96];

			snprintf(key, sizeof(key), "enum.%s.%s", f->enum_set, f->choices[c]);
			if (c)
				buf_puts(&b, tpl_lang(r, "list_sep"));
			buf_puts(&b, tpl_lang(r, key));
		}
		return b.data;
	}
	if (f->type == FT_DATE)
		return tpl_lang(r, "import.hint.date");
	if (f->type == FT_INT || f->type == FT_DECIMAL)
		return tpl_lang(r, "import.hint.number");
	if (f->type == FT_CODE)
		return import_msg_n(r, "import.hint.code", f->maxlen);
	if (f->maxlen)
		return import_msg_n(r, "import.hint.text", f->maxlen);
	return "";
}

bool
import_col_required(struct req *r, const struct resource *res, const struct colspec *cs)
{
	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, cs->field) == 0)
			return (res->fields[i].flags & F_REQ) && !import_has_default(r, cs->field);
	return false;
}

/* Examples for reference columns: records the user may use, that fit together. */
static const struct query q_ex_company = {
	"SELECT id, name FROM companies WHERE kind IN ('city', 'head') AND (? OR id = ?)"
	" ORDER BY kind = 'head', id LIMIT 1", "il", "ls"
};
static const struct query q_ex_city = {
	"SELECT name FROM cities WHERE company_id = ? ORDER BY id LIMIT 1", "l", "s"
};
static const struct query q_ex_product = {
	"SELECT model FROM products ORDER BY id LIMIT 1", "", "s"
};
static const struct query q_ex_warehouse = {
	"SELECT code FROM warehouses WHERE company_id = ? ORDER BY id LIMIT 1", "l", "s"
};
static const struct query q_ex_station = {
	"SELECT code FROM stations WHERE (? OR company_id = ?) AND state <> 'closed'"
	" ORDER BY id LIMIT 1", "il", "s"
};
static const struct query q_ex_dict = {
	"SELECT name FROM dict_items WHERE dict = ? AND enabled = 1 ORDER BY sort LIMIT 1", "s", "s"
};

static const char *
first_str(struct req *r, struct db_cur *c)
{
	const char *s = "";

	if (db_next(c))
		s = arena_strdup(r->arena, db_str(c, 0));
	db_close(c);
	return s;
}

static const char *
example(struct req *r, const struct colspec *cs, int64_t company, const char *company_name)
{
	struct db_cur c;

	if (cs->example && cs->example[0] == '@') {
		char key[96];

		snprintf(key, sizeof(key), "enum.%s", cs->example + 1);
		return tpl_lang(r, key);
	}
	if (cs->example)
		return cs->example;
	switch (cs->map) {
	case M_COMPANIES:
		return company_name;
	case M_CITIES:
		return db_open(&c, &q_ex_city, company) == 0 ? first_str(r, &c) : "";
	case M_PRODUCTS:
		return db_open(&c, &q_ex_product) == 0 ? first_str(r, &c) : "";
	case M_WAREHOUSES:
		return db_open(&c, &q_ex_warehouse, company) == 0 ? first_str(r, &c) : "";
	case M_STATIONS:
		return db_open(&c, &q_ex_station, SCOPE_ARGS(r)) == 0 ?
		    first_str(r, &c) : "";
	case M_DICT:
		return db_open(&c, &q_ex_dict, cs->dict) == 0 ? first_str(r, &c) : "";
	default:
		return "";
	}
}

int
import_template(struct req *r)
{
	int kind = import_kind_parse(req_query(r, "kind"));
	const char *fmt = req_query(r, "fmt");
	const struct kind_desc *kd;
	const struct resource *res;
	const char **head, **ex;
	int64_t company = 0;
	const char *company_name = "", *name;
	struct db_cur c;
	bool xlsx = fmt && strcmp(fmt, "xlsx") == 0;
	char key[64];

	if (kind < 0 || (fmt && !xlsx && strcmp(fmt, "csv") != 0))
		return 404;
	kd = &import_kinds[kind];
	res = kd->res();
	if (db_open(&c, &q_ex_company, SCOPE_ARGS(r)) == 0) {
		if (db_next(&c)) {
			company = db_i64(&c, 0);
			company_name = arena_strdup(r->arena, db_str(&c, 1));
		}
		db_close(&c);
	}
	head = arena_calloc(r->arena, (size_t)kd->ncols, sizeof(char *));
	ex = arena_calloc(r->arena, (size_t)kd->ncols, sizeof(char *));
	for (int k = 0; k < kd->ncols; k++) {
		head[k] = arena_printf(r->arena, "%s%s", import_lang_f(r, kd->cols[k].field),
		    import_col_required(r, res, &kd->cols[k]) ? "*" : "");
		ex[k] = example(r, &kd->cols[k], company, company_name);
	}
	/* A pile example goes to a warehouse; naming a station instead binds it. */
	snprintf(key, sizeof(key), "import.kind.%s", import_kind_names[kind]);
	name = arena_printf(r->arena, "%s%s", tpl_lang(r, "import.template_name"), tpl_lang(r, key));
	buf_init(&r->body, r->arena, 4096);
	if (!xlsx) {
		buf_puts(&r->body, "\xEF\xBB\xBF");
		for (int k = 0; k < kd->ncols; k++) {
			if (k)
				buf_putc(&r->body, ',');
			csv_cell(&r->body, head[k]);
		}
		buf_puts(&r->body, "\r\n");
		/* The instructions as a comment row: rows whose first cell starts
		 * with '#' are skipped by the import. */
		csv_cell(&r->body, tpl_lang(r, "import.csv_note"));
		buf_puts(&r->body, "\r\n");
		for (int k = 0; k < kd->ncols; k++) {
			if (k)
				buf_putc(&r->body, ',');
			csv_cell(&r->body, ex[k]);
		}
		buf_puts(&r->body, "\r\n");
		r->raw_type = "text/csv; charset=utf-8";
	} else {
		lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
		char path[64];
		lxw_workbook *wb;
		lxw_worksheet *ws, *help;
		lxw_format *bold, *text, *req;
		size_t len;
		char *data;
		int fd;

		snprintf(path, sizeof(path), "/tmp/ca-import-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			return 500;
		close(fd);
		wb = workbook_new_opt(path, &opt);
		if (wb == NULL) {
			unlink(path);
			return 500;
		}
		ws = workbook_add_worksheet(wb, tpl_lang(r, "import.sheet_data"));
		help = workbook_add_worksheet(wb, tpl_lang(r, "import.sheet_help"));
		bold = workbook_add_format(wb);
		format_set_bold(bold);
		format_set_bg_color(bold, 0xE8EEF7);
		req = workbook_add_format(wb);
		format_set_bold(req);
		format_set_bg_color(req, 0xFCE4D6);
		text = workbook_add_format(wb);
		format_set_num_format(text, "@");	/* codes keep their zeros */
		for (int k = 0; k < kd->ncols; k++) {
			bool must = import_col_required(r, res, &kd->cols[k]);

			worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, 16, text);
			worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], must ? req : bold);
			if (*ex[k])
				worksheet_write_string(ws, 1, (lxw_col_t)k, ex[k], text);
		}
		worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(help, 0, 0, 20, NULL);
		worksheet_set_column(help, 1, 1, 8, NULL);
		worksheet_set_column(help, 2, 2, 70, NULL);
		worksheet_write_string(help, 0, 0, tpl_lang(r, "import.col_header"), bold);
		worksheet_write_string(help, 0, 1, tpl_lang(r, "import.col_required"), bold);
		worksheet_write_string(help, 0, 2, tpl_lang(r, "import.col_hint"), bold);
		for (int k = 0; k < kd->ncols; k++) {
			worksheet_write_string(help, (lxw_row_t)(k + 1), 0, import_lang_f(r, kd->cols[k].field), NULL);
			worksheet_write_string(help, (lxw_row_t)(k + 1), 1,
			    tpl_lang(r, import_col_required(r, res, &kd->cols[k]) ? "yes" : "no"), NULL);
			worksheet_write_string(help, (lxw_row_t)(k + 1), 2,
			    import_col_hint(r, res, &kd->cols[k]), NULL);
		}
		worksheet_write_string(help, (lxw_row_t)(kd->ncols + 2), 0,
		    tpl_lang(r, "import.help_rules"), NULL);
		snprintf(key, sizeof(key), "import.kind_rule.%s", import_kind_names[kind]);
		worksheet_write_string(help, (lxw_row_t)(kd->ncols + 3), 0, tpl_lang(r, key), NULL);
		if (workbook_close(wb) != LXW_NO_ERROR) {
			unlink(path);
			return 500;
		}
		data = import_load_file(r, path, &len);
		unlink(path);
		if (data == NULL)
			return 500;
		buf_append(&r->body, data, len);
		r->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	r->raw = true;
	{
		struct buf cd;

		buf_init(&cd, r->arena, 128);
		buf_printf(&cd, "attachment; filename=\"import-%s.%s\"; filename*=UTF-8''",
		    import_kind_names[kind], xlsx ? "xlsx" : "csv");
		url_encode(&cd, name);
		buf_puts(&cd, xlsx ? ".xlsx" : ".csv");
		req_header(r, "Content-Disposition", cd.data);
		req_header(r, "Cache-Control", "no-store");
	}
	return 200;
}
