/*
 * options.c — shared choice lists (see options.h).
 */
#include "model/options.h"

#include "core/crud.h"
#include "core/db.h"

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
