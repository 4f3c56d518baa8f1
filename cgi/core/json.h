/*
 * json.h — JSON responses through yajl_gen only.  A page's data (the Page
 * subtree) becomes a JSON object: nodes whose children are all numbered
 * become arrays, leaves are strings.
 */
#ifndef CA_JSON_H
#define CA_JSON_H

struct req;
struct buf;

/* Serialise the subtree `name` of the request's data into out. */
void json_from_hdf(struct req *r, const char *name, struct buf *out);
/* {"error": message, "errors": {...}} for a failed request. */
void json_error(struct req *r, int status, struct buf *out);

#endif
