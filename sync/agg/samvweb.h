/* samvweb.h — the collaboration follow-up's web pages on the aggregator:
 * a unit's meeting form (server-rendered, no JavaScript, one POST per
 * question with CSRF, resumable, locked by Klar, reopened by an admin) and
 * the compilation for region users and admins (HTML, CSV, .xlsx, JSON).
 * Who may see what is decided here; figures come from samv.c.  Routes are
 * registered in aggroutes.c. */
#ifndef SAMVWEB_H
#define SAMVWEB_H

#include "aggsrv.h"

void samv_h_home(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs);
void samv_h_start(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs);
void samv_h_form(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs);
void samv_h_answer(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs);
void samv_h_people(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs);
void samv_h_done(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs);
void samv_h_reopen(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs);
/* Admin: add units to a länsdel (POST name, units). */
void samv_h_lansdel(struct agg_server *s, struct agg_req *rq,
                    struct agg_resp *rs);
void samv_h_comp(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs);
void samv_h_comp_csv(struct agg_server *s, struct agg_req *rq,
                     struct agg_resp *rs);
void samv_h_comp_xlsx(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs);
void samv_h_api(struct agg_server *s, struct agg_req *rq,
                struct agg_resp *rs);

#endif
