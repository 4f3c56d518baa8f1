/*
 * pile_list.h — the pile list's SQL, for the list itself (pile.c) and the
 * export of the rows ticked on it (pile_batch.c): one text, so both show
 * the same columns.  Its columns are the id then pile.c's cols[].
 */
#ifndef CA_ASSET_PILE_LIST_H
#define CA_ASSET_PILE_LIST_H

#include "core/db.h"

/* Warranty status computed in SQL against today's date in China. */
#define WARRANTY_SQL                                                          \
	"CASE WHEN p.warranty_end IS NULL THEN 'unknown'"                     \
	" WHEN p.warranty_end >= " SQL_TODAY " THEN 'in' ELSE 'out' END"

#define PILE_LIST_SQL                                                                 \
	"SELECT p.id, p.code, p.serial_no, pr.model, m.name, pr.rated_power_kw, p.state," \
	" CASE p.place WHEN 'station' THEN CONCAT(st.code, ' ', st.name)"             \
	"  WHEN 'warehouse' THEN w.name WHEN 'party' THEN pa.name ELSE '' END,"       \
	" co.name, p.sw_version, p.hw_version, p.warranty_end, " WARRANTY_SQL         \
	" FROM piles p JOIN companies co ON co.id = p.company_id"                     \
	" LEFT JOIN products pr ON pr.id = p.product_id"                              \
	" LEFT JOIN companies m ON m.id = pr.manufacturer_id"                         \
	" LEFT JOIN stations st ON st.id = p.station_id"                              \
	" LEFT JOIN warehouses w ON w.id = p.warehouse_id"                            \
	" LEFT JOIN companies pa ON pa.id = p.party_id WHERE 1=1"

#endif
