/*
 * options.h — the choice lists many forms and filters offer (companies in
 * the user's scope, cities, lessors, manufacturers), written once.  Each
 * fills Page.opts.<name>.N.{id,label}.
 */
#ifndef CA_MODEL_OPTIONS_H
#define CA_MODEL_OPTIONS_H

struct req;

void options_companies(struct req *r);		/* "companies": head office and city companies in scope */
void options_all_companies(struct req *r);	/* "all_companies": every company */
void options_cities(struct req *r);		/* "cities": "name · province" */
void options_lessors(struct req *r);		/* "lessors" */
void options_manufacturers(struct req *r);	/* "manufacturers" */
/* "comm_methods" and "modes": the enabled communication methods and
 * charging modes of the dictionaries (code as id). */
void options_pile_dicts(struct req *r);

#endif
