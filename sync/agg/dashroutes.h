/* dashroutes.h — the quality team's HTTP routes on the aggregator:
 * /api/v1/indicators (JSON), /api/v1/indicators.csv, /dashboard, /login,
 * /logout and /export.xlsx.  Each resolves who asks (session cookie or API
 * token), refuses a unit reader anything outside its unit, writes the pull
 * to the audit log, and only then answers.  Registered in aggroutes.c. */
#ifndef DASHROUTES_H
#define DASHROUTES_H

#include "aggsrv.h"
#include "auth.h"
#include "indicq.h"

void dash_h_indicators(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs);
void dash_h_indicators_csv(struct agg_server *s, struct agg_req *rq,
                           struct agg_resp *rs);
void dash_h_dashboard(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs);
void dash_h_login_form(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs);
void dash_h_login(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs);
void dash_h_logout(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs);
void dash_h_export_xlsx(struct agg_server *s, struct agg_req *rq,
                        struct agg_resp *rs);

/* Migrate the accounts, sessions, tokens and audit tables (component list
 * entry in aggroutes.c). */
enum pr_rc dash_migrate(struct aggdb *db, char *err) PR_MUST;

/* The dashboard page for principal p and filter f (already access-checked
 * and pinned to the reader's unit): one card per indicator with data (or
 * only `only`), phone follow-up, comments about `cind` ("" = all).  *out
 * (len bytes) is the caller's (pr_free).  No audit entry here. */
enum pr_rc dash_build_page(struct aggdb *db, const struct aggconf *conf,
                           const struct auth_principal *p,
                           const struct indicq_filter *f, const char *only,
                           const char *cind, char **out, size_t *len,
                           char *err) PR_MUST;

/* Threshold, cost and goal for indicator from the configuration
 * (suppression_threshold = 5, suppression_cost = n|cells, goal = 75,
 * goal_<indicator> = NN). */
void dash_conf_filter(const struct aggconf *c, struct indicq_filter *f);

/* Who is asking: an API token (Authorization: Bearer) or a session
 * cookie.  0 with *p filled, or -1 (not signed in). */
int dash_whoami(struct agg_server *s, struct agg_req *rq,
                struct auth_principal *p);
/* Decode one application/x-www-form-urlencoded value of `name` from body
 * into out; 0 / -1 (absent, malformed %XX, too long, or a NUL byte). */
int dash_form_value(const char *body, size_t len, const char *name,
                    char *out, size_t cap);
/* A cross-site form post carries a foreign Origin (and no SameSite=Strict
 * cookie).  1 for a matching Origin, or none at all (old clients). */
int dash_same_origin(struct agg_req *rq);
/* Answer status with the HTML form page body (len bytes, taken over) and
 * a fresh CSRF cookie csrf, no-store and a form-only CSP: the sign-in page
 * and every admin form page. */
void dash_send_form(struct agg_resp *rs, int status, char *body, size_t len,
                    const char *csrf);

#endif
