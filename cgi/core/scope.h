/*
 * scope.h — a user's data scope (数据范围), in SQL, in one place.
 *
 * Three kinds of users: those who see every city company (roles with
 * scope_all: head office, leaders), a city company's staff (their own
 * company's rows), and a supplier's users (their supplier's rows: POs,
 * shipments, repairs, the piles it delivered).  A scope is a literal
 * fragment of the query, built with one of these macros from the row's
 * columns, and its parameters come from scope_bind() or SCOPE_ARGS:
 *
 *   SCOPE_COMPANY("st.company_id")                  params "il"
 *       every company, or the user's own
 *   SCOPE_PARTY("o.company_id", "o.supplier_id")    params "ill"
 *       every company, or the user's own, or (a supplier) the rows of
 *       the user's supplier
 *   SCOPE_SUPPLIED("p.company_id", "p.supplier_id", "pr.manufacturer_id")
 *                                                    params "illl"
 *       the same, and for a supplier also the rows of the goods its
 *       company makes (a pile of its product, whoever delivered it)
 *
 * A staff user's supplier_id is 0 and a supplier user's company_id is 0,
 * which no row holds, so one fragment serves all three kinds.  A supplier
 * never has scope_all.  With scope_all the list code leaves the fragment
 * out, so an index without the company column can serve the query.
 */
#ifndef CA_SCOPE_H
#define CA_SCOPE_H

#include <stdint.h>

struct req;
struct db_param;

#define SCOPE_COMPANY(company_col) " AND (? OR " company_col " = ?)"
#define SCOPE_PARTY(company_col, supplier_col) \
	" AND (? OR " company_col " = ? OR " supplier_col " = ?)"

#define SCOPE_SUPPLIED(company_col, supplier_col, maker_col) \
	" AND (? OR " company_col " = ? OR " supplier_col " = ? OR " maker_col " = ?)"

/* The arguments of a fragment for db_open/db_exec/db_scalar, in order:
 * SCOPE_ARGS for SCOPE_COMPANY, SCOPE_PARTY_ARGS for SCOPE_PARTY,
 * SCOPE_SUPPLIED_ARGS for SCOPE_SUPPLIED.  A supplier is its company: the
 * maker column compares with the user's supplier company too. */
#define SCOPE_ARGS(r) (int)(r)->user->scope_all, (r)->user->company_id
#define SCOPE_PARTY_ARGS(r) SCOPE_ARGS(r), (r)->user->supplier_id
#define SCOPE_SUPPLIED_ARGS(r) SCOPE_PARTY_ARGS(r), (r)->user->supplier_id

/* Append the parameters of fragment frag (two, three or four '?' marks:
 * company, party or supplied) to p[*n]; max is p's size.  0, or -1 when frag has another
 * number of marks or p is full (a programming error, logged). */
int scope_bind(const struct req *r, const char *frag, struct db_param *p, int *n, int max);

/* The same for a statement whose last marks (2 to 4) are its scope's. */
int scope_args(const struct req *r, int marks, struct db_param *p, int *n, int max);

/* True when the user sees only part of the data (the fragment applies). */
int scope_limited(const struct req *r);

#endif
