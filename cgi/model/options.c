/*
 * options.c — shared choice lists (see options.h).
 */
#include "model/options.h"

#include <stdbool.h>
#include <string.h>

#include "core/crud.h"
#include "core/db.h"
#include "core/tpl.h"

static const struct query q_companies = {
	"SELECT id, name FROM companies WHERE kind IN ('city', 'head') AND (? OR id = ?)"
	" ORDER BY kind DESC, name", "il", "ls"
};
static const struct query q_all_companies = {
	"SELECT id, name FROM companies ORDER BY kind DESC, name", "", "ls"
};
static const struct query q_cities = {
	"SELECT id, CONCAT(name, ' · ', province) FROM cities ORDER BY province, name", "", "ls"
};
static const struct query q_lessors = {
	"SELECT id, name FROM companies WHERE is_lessor = 1 ORDER BY name", "", "ls"
};
static const struct query q_manufacturers = {
	"SELECT id, name FROM companies WHERE is_manufacturer = 1 ORDER BY name", "", "ls"
};

void options_companies(struct req *r) { crud_options_scoped(r, "companies", &q_companies); }
void options_all_companies(struct req *r) { crud_options(r, "all_companies", &q_all_companies); }
void options_cities(struct req *r) { crud_options(r, "cities", &q_cities); }
void options_lessors(struct req *r) { crud_options(r, "lessors", &q_lessors); }
void options_manufacturers(struct req *r) { crud_options(r, "manufacturers", &q_manufacturers); }

static const struct query q_pile_dicts = {
	"SELECT dict, code, name FROM dict_items WHERE dict IN ('comm_method', 'charging_mode')"
	" AND enabled = 1 ORDER BY dict, sort", "", "sss"
};

void
options_pile_dicts(struct req *r)
{
	struct db_cur c;
	int nc = 0, nm = 0;

	if (db_open(&c, &q_pile_dicts) < 0)
		return;
	while (db_next(&c)) {
		bool comm = strcmp(db_str(&c, 0), "comm_method") == 0;
		int n = comm ? nc++ : nm++;

		tpl_setf(r, db_str(&c, 1), comm ? "Page.opts.comm_methods.%d.id" :
		    "Page.opts.modes.%d.id", n);
		tpl_setf(r, db_str(&c, 2), comm ? "Page.opts.comm_methods.%d.label" :
		    "Page.opts.modes.%d.label", n);
	}
	db_close(&c);
}
