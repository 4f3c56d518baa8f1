/*
 * fieldtext.h — the text a person knows for a stored field value, as SQL.
 * The update records (audit_log) and the ledger's field changes
 * (asset_events) keep what the column held: a reference as its id, a
 * dictionary item as its code.  Pages show the name instead: a company's
 * name, a station's or warehouse's code and name, a product's maker and
 * model, a dictionary item's name.  Written once for both, as literal SQL:
 * FIELD_TEXT_SQL(field, value) expands to a CASE over two SQL expressions
 * (the field's column name, the value as text).  Enum codes (a state) are
 * labelled by the caller from the language pack.
 */
#ifndef CA_MODEL_FIELDTEXT_H
#define CA_MODEL_FIELDTEXT_H

/* The name a reference stands for; an id whose row is gone shows as "#id". */
#define FIELD_REF_SQL(sel, v) " COALESCE((" sel " = " v "), CONCAT('#', " v "))"

#define FIELD_TEXT_SQL(f, v)                                                              \
	" CASE WHEN " v " IS NULL OR " v " = '' THEN " v                                    \
	" WHEN " f " IN ('company_id', 'manufacturer_id', 'supplier_id', 'owner_company_id',"     \
	"  'operator_company_id', 'leased_from_id', 'lessor_id', 'party_id') THEN"           \
	FIELD_REF_SQL("SELECT name FROM companies WHERE id", v)                             \
	" WHEN " f " = 'city_id' THEN" FIELD_REF_SQL("SELECT name FROM cities WHERE id", v) \
	" WHEN " f " = 'role_id' THEN" FIELD_REF_SQL("SELECT name FROM roles WHERE id", v)  \
	" WHEN " f " = 'station_id' THEN"                                                  \
	FIELD_REF_SQL("SELECT CONCAT(code, ' ', name) FROM stations WHERE id", v)           \
	" WHEN " f " = 'warehouse_id' THEN"                                                \
	FIELD_REF_SQL("SELECT CONCAT(code, ' ', name) FROM warehouses WHERE id", v)         \
	" WHEN " f " = 'product_id' THEN"                                                  \
	FIELD_REF_SQL("SELECT CONCAT(m.name, ' ', p.model) FROM products p"                \
	"  JOIN companies m ON m.id = p.manufacturer_id WHERE p.id", v)                    \
	" WHEN " f " IN ('comm_method', 'charging_mode', 'asset_nature') THEN"              \
	"  COALESCE((SELECT name FROM dict_items WHERE dict = " f " AND code = " v "), " v ")" \
	" ELSE " v " END"

#endif
