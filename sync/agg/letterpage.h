/* letterpage.h — the admin's page for the letters' recipients on the
 * aggregator: GET /admin/recipients lists every unit's and the region's
 * recipients and the outbox, POST adds or removes one (admins signed in
 * with a session only; CSRF cookie + form field and Origin checked like
 * the sign-in form; every change in the audit log).  Server-rendered HTML,
 * no scripts.  Registered in aggroutes.c. */
#ifndef LETTERPAGE_H
#define LETTERPAGE_H

#include "aggsrv.h"

void letterpage_h_form(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs);
void letterpage_h_post(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs);

#endif
