/* dashroutes.c — This file contains the quality team's HTTP handlers
 * (dashroutes.h): who is asking, what they may read, the audit entry, and
 * the answer as JSON, CSV, HTML or .xlsx.  Access is decided once, in
 * resolve_filter(): a unit reader's filter is pinned to its own unit, and
 * a request naming another unit is refused whatever route it came by. */
#include "dashroutes.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggcalls.h"
#include "audit.h"
#include "auth.h"
#include "csvout.h"
#include "dash.h"
#include "dashbuf.h"
#include "indicq.h"
#include "pdate.h"
#include "xlsx.h"

#define SECURE_COOKIE "; Path=/; HttpOnly; Secure; SameSite=Strict"
#define MAX_CARDS 24
#define MAX_COMMENTS 30

/* Indexes for the reads of this module on agg's tables (runs after the
 * "agg" component in aggroutes.c): the phone follow-up counts scan
 * responses by mode and period, and the indicator query reads counts by
 * indicator and period — covering, so no table row is visited. */
static const struct aggdb_step idx_steps[] = {
  {1,
   "CREATE INDEX IF NOT EXISTS responses_mode_period ON responses"
   " (mode, period_start, unit, status);"
   "CREATE INDEX IF NOT EXISTS counts_indicator_cover ON counts"
   " (indicator, period_start, unit, set_id, set_version, mode, track, care,"
   " pos, neg, dontknow);",
   NULL, NULL},
  {2,
   "CREATE INDEX IF NOT EXISTS responses_mode_unit_period ON responses"
   " (mode, unit, period_start, status);",
   NULL, NULL},
  /* counts_month: agg's counts rolled up by calendar month (a week row by
   * its Monday, as indic.c buckets them), kept equal to counts by triggers
   * in the same transaction as every counts insert or upsert.  Queries by
   * whole months read ~4x fewer rows (indicq.c). */
  {3, NULL,
   "CREATE TABLE counts_month ("
   " unit TEXT NOT NULL, month_start BIGINT NOT NULL, indicator TEXT NOT NULL,"
   " mode TEXT NOT NULL, track TEXT NOT NULL, care TEXT NOT NULL,"
   " set_id TEXT NOT NULL, set_version BIGINT NOT NULL,"
   " pos BIGINT NOT NULL, neg BIGINT NOT NULL, dontknow BIGINT NOT NULL,"
   " PRIMARY KEY (indicator, month_start, unit, set_id, set_version, mode,"
   "  track, care));"
   "INSERT INTO counts_month SELECT unit, CAST(julianday(period_start * 86400,"
   " 'unixepoch', 'start of month') - 2440587.5 AS INTEGER), indicator, mode,"
   " track, care, set_id, set_version, SUM(pos), SUM(neg), SUM(dontknow)"
   " FROM counts GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;"
   "CREATE TRIGGER counts_month_ins AFTER INSERT ON counts BEGIN"
   " INSERT INTO counts_month VALUES (NEW.unit, CAST(julianday("
   " NEW.period_start * 86400, 'unixepoch', 'start of month') - 2440587.5"
   " AS INTEGER), NEW.indicator, NEW.mode, NEW.track, NEW.care, NEW.set_id,"
   " NEW.set_version, NEW.pos, NEW.neg, NEW.dontknow)"
   " ON CONFLICT (indicator, month_start, unit, set_id, set_version, mode,"
   " track, care) DO UPDATE SET pos = pos + excluded.pos,"
   " neg = neg + excluded.neg, dontknow = dontknow + excluded.dontknow; END;"
   "CREATE TRIGGER counts_month_upd AFTER UPDATE ON counts BEGIN"
   " UPDATE counts_month SET pos = pos + NEW.pos - OLD.pos,"
   " neg = neg + NEW.neg - OLD.neg,"
   " dontknow = dontknow + NEW.dontknow - OLD.dontknow"
   " WHERE indicator = OLD.indicator AND month_start = CAST(julianday("
   " OLD.period_start * 86400, 'unixepoch', 'start of month') - 2440587.5"
   " AS INTEGER) AND unit = OLD.unit AND set_id = OLD.set_id"
   " AND set_version = OLD.set_version AND mode = OLD.mode"
   " AND track = OLD.track AND care = OLD.care; END;",
   "CREATE TABLE counts_month ("
   " unit TEXT NOT NULL, month_start BIGINT NOT NULL, indicator TEXT NOT NULL,"
   " mode TEXT NOT NULL, track TEXT NOT NULL, care TEXT NOT NULL,"
   " set_id TEXT NOT NULL, set_version BIGINT NOT NULL,"
   " pos BIGINT NOT NULL, neg BIGINT NOT NULL, dontknow BIGINT NOT NULL,"
   " PRIMARY KEY (indicator, month_start, unit, set_id, set_version, mode,"
   "  track, care));"
   "INSERT INTO counts_month SELECT unit, (date_trunc('month', DATE"
   " '1970-01-01' + period_start::int)::date - DATE '1970-01-01'), indicator,"
   " mode, track, care, set_id, set_version, SUM(pos), SUM(neg),"
   " SUM(dontknow) FROM counts GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;"
   "CREATE OR REPLACE FUNCTION counts_month_sync() RETURNS trigger AS $fn$"
   " DECLARE m BIGINT; BEGIN"
   " IF TG_OP = 'INSERT' THEN"
   "  m := date_trunc('month', DATE '1970-01-01' + NEW.period_start::int)::date"
   "       - DATE '1970-01-01';"
   "  INSERT INTO counts_month VALUES (NEW.unit, m, NEW.indicator, NEW.mode,"
   "   NEW.track, NEW.care, NEW.set_id, NEW.set_version, NEW.pos, NEW.neg,"
   "   NEW.dontknow) ON CONFLICT (indicator, month_start, unit, set_id,"
   "   set_version, mode, track, care) DO UPDATE SET"
   "   pos = counts_month.pos + excluded.pos,"
   "   neg = counts_month.neg + excluded.neg,"
   "   dontknow = counts_month.dontknow + excluded.dontknow;"
   " ELSE"
   "  m := date_trunc('month', DATE '1970-01-01' + OLD.period_start::int)::date"
   "       - DATE '1970-01-01';"
   "  UPDATE counts_month SET pos = pos + NEW.pos - OLD.pos,"
   "   neg = neg + NEW.neg - OLD.neg,"
   "   dontknow = dontknow + NEW.dontknow - OLD.dontknow"
   "   WHERE indicator = OLD.indicator AND month_start = m"
   "   AND unit = OLD.unit AND set_id = OLD.set_id"
   "   AND set_version = OLD.set_version AND mode = OLD.mode"
   "   AND track = OLD.track AND care = OLD.care;"
   " END IF; RETURN NULL; END $fn$ LANGUAGE plpgsql;"
   "CREATE TRIGGER counts_month_trg AFTER INSERT OR UPDATE ON counts"
   " FOR EACH ROW EXECUTE FUNCTION counts_month_sync();"},
  /* phone_month: phone interviews per unit, month and status (complete /
   * abandoned) for the follow-up rates; responses are never updated, so
   * an insert trigger keeps it equal to responses. */
  {4, NULL,
   "CREATE TABLE phone_month (unit TEXT NOT NULL, month_start BIGINT NOT NULL,"
   " status TEXT NOT NULL, n BIGINT NOT NULL,"
   " PRIMARY KEY (month_start, unit, status));"
   "INSERT INTO phone_month SELECT unit, CAST(julianday(period_start * 86400,"
   " 'unixepoch', 'start of month') - 2440587.5 AS INTEGER), status, COUNT(*)"
   " FROM responses WHERE mode = 'phone' GROUP BY 1, 2, 3;"
   "CREATE TRIGGER phone_month_ins AFTER INSERT ON responses"
   " WHEN NEW.mode = 'phone' BEGIN"
   " INSERT INTO phone_month VALUES (NEW.unit, CAST(julianday("
   " NEW.period_start * 86400, 'unixepoch', 'start of month') - 2440587.5"
   " AS INTEGER), NEW.status, 1) ON CONFLICT (month_start, unit, status)"
   " DO UPDATE SET n = n + 1; END;",
   "CREATE TABLE phone_month (unit TEXT NOT NULL, month_start BIGINT NOT NULL,"
   " status TEXT NOT NULL, n BIGINT NOT NULL,"
   " PRIMARY KEY (month_start, unit, status));"
   "INSERT INTO phone_month SELECT unit, (date_trunc('month', DATE"
   " '1970-01-01' + period_start::int)::date - DATE '1970-01-01'), status,"
   " COUNT(*) FROM responses WHERE mode = 'phone' GROUP BY 1, 2, 3;"
   "CREATE OR REPLACE FUNCTION phone_month_sync() RETURNS trigger AS $fn$"
   " BEGIN INSERT INTO phone_month VALUES (NEW.unit, date_trunc('month',"
   " DATE '1970-01-01' + NEW.period_start::int)::date - DATE '1970-01-01',"
   " NEW.status, 1) ON CONFLICT (month_start, unit, status) DO UPDATE SET"
   " n = phone_month.n + 1; RETURN NULL; END $fn$ LANGUAGE plpgsql;"
   "CREATE TRIGGER phone_month_trg AFTER INSERT ON responses FOR EACH ROW"
   " WHEN (NEW.mode = 'phone') EXECUTE FUNCTION phone_month_sync();"},
};

enum pr_rc dash_migrate(struct aggdb *db, char *err)
{
  enum pr_rc rc = auth_migrate(db, err);
  if(rc == PR_OK)
    rc = audit_migrate(db, err);
  if(rc == PR_OK)
    rc = aggdb_migrate(db, "aggregates-idx", idx_steps,
                       (int)PR_ARRAY_LEN(idx_steps), err);
  return rc;
}

void dash_conf_filter(const struct aggconf *c, struct indicq_filter *f)
{
  const char *v;
  char key[80];
  long x;
  int t;

  if(!c)
    return;
  if((v = aggconf_get(c, "suppression_threshold")) &&
     supp_parse_threshold(v, &t) == 0)
    f->threshold = t;
  if((v = aggconf_get(c, "suppression_cost")))
    (void)!supp_parse_cost(v, &f->cost);
  if((v = aggconf_get(c, "goal")) && pr_parse_long(v, 1, 100, &x) == 0)
    f->goal = (double)x / 100.0;
  snprintf(key, sizeof(key), "goal_%s", f->indicator);
  if((v = aggconf_get(c, key)) && pr_parse_long(v, 1, 100, &x) == 0)
    f->goal = (double)x / 100.0;
}

/* ---- who is asking ------------------------------------------------------ */

int dash_whoami(struct agg_server *s, struct agg_req *rq,
                struct auth_principal *p)
{
  const char *h = agg_req_header(rq, "Authorization");
  const char *cookie;
  if(h && strncmp(h, "Bearer ", 7) == 0)
    return auth_token_check(agg_server_db(s), h + 7, p, NULL) == PR_OK ? 0 : -1;
  cookie = agg_req_cookie(rq, AUTH_COOKIE);
  if(cookie && auth_session(agg_server_db(s), cookie, pr_now(), p, NULL) == PR_OK)
    return 0;
  return -1;
}

static const char *arg_get(void *ctx, const char *name)
{
  return agg_req_arg((struct agg_req *)ctx, name);
}

/* 0, or the status answered: 404 naming the parameter when the indicator
 * or unit is unknown (an empty table would look like "no answers"). */
static int check_names(struct agg_server *s, struct agg_resp *rs,
                       const char *indicator, const char *unit)
{
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc = indicq_check_names(agg_server_db(s), indicator, unit, err);
  if(rc == PR_ENOTFOUND) {
    agg_resp_error(rs, 404, "unknown_parameter", err);
    return 404;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return 500;
  }
  return 0;
}

/* Parse the filter and apply the access rule.  with_indicator: the route
 * is about f->indicator (else only an indicator= given is checked).
 * Returns 0, or the HTTP status already answered (400 / 403 / 404 /
 * 500). */
static int resolve_filter(struct agg_server *s, struct agg_req *rq,
                          struct agg_resp *rs, const struct auth_principal *p,
                          struct indicq_filter *f, const char *route,
                          int with_indicator)
{
  char err[PR_ERR_LEN] = "";
  const char *goal_arg = agg_req_arg(rq, "goal");
  const char *ind_arg = agg_req_arg(rq, "indicator");
  char named_unit[INDIC_UNIT_LEN];
  int st;

  indicq_filter_default(f);
  if(indicq_filter_parse(f, arg_get, rq, err) != PR_OK) {
    agg_resp_error(rs, 400, "bad_parameter", err);
    return 400;
  }
  pr_strlcpy(named_unit, f->unit, sizeof(named_unit));
  indicq_snap_span(f);
  dash_conf_filter(agg_server_conf(s), f);
  if(goal_arg && *goal_arg) {
    long x;
    if(pr_parse_long(goal_arg, 1, 100, &x) == 0) {
      f->goal = (double)x / 100.0;
      f->goal_given = 1;
    }
  }
  if(p->role == AUTH_UNIT) {
    if(f->unit[0] && strcmp(f->unit, p->unit) != 0) {
      char detail[160];
      snprintf(detail, sizeof(detail), "route=%s unit=%s", route, f->unit);
      if(audit_log(agg_server_db(s), pr_now(), p->name, "denied", detail,
                   NULL) != PR_OK)
        pr_log(PR_LOG_ERROR, "audit_failed", "what=denied");
      pr_log(PR_LOG_WARN, "aggregates_denied", "route=%s role=unit", route);
      agg_resp_error(rs, 403, "forbidden",
                     "this account may only read its own unit");
      return 403;
    }
    pr_strlcpy(f->unit, p->unit, sizeof(f->unit));
  }
  if((st = check_names(s, rs, with_indicator ? f->indicator
                                             : (ind_arg ? ind_arg : NULL),
                       named_unit)) != 0)
    return st;
  return 0;
}

/* Canonical query string of a filter (what links and audit entries carry;
 * never the raw request text). */
static void filter_query(const struct indicq_filter *f, int with_indicator,
                         char *out, size_t cap)
{
  char from[11], to[11];
  int n;
  pdate_format(f->from, from);
  pdate_format(f->to, to);
  n = snprintf(out, cap, "%s%s%sunit=%s&period=%s&from=%s&to=%s&mode=%s"
               "&track=%s&care=%s&goal=%.0f",
               with_indicator ? "indicator=" : "",
               with_indicator ? f->indicator : "", with_indicator ? "&" : "",
               f->unit, indic_period_name(f->period), from, to, f->mode,
               f->track, f->care, f->goal * 100.0);
  if(n < 0 || (size_t)n >= cap)
    out[0] = '\0';
}

static int audit_pull(struct agg_server *s, struct agg_resp *rs,
                      const struct auth_principal *p, const char *what,
                      const struct indicq_filter *f)
{
  char detail[400];
  filter_query(f, 1, detail, sizeof(detail));
  if(audit_log(agg_server_db(s), pr_now(), p->name, what, detail, NULL) !=
     PR_OK) {
    agg_resp_error(rs, 503, "audit_unavailable",
                   "the pull could not be logged; try again");
    agg_resp_header(rs, "Retry-After", "5");
    return -1;
  }
  return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *cell_json(const struct indicq_cell *c)
{
  json_t *j;
  if(c->mark != SUPP_SHOW)
    return json_pack("{s:b}", "suppressed", 1);
  if(!c->s.valid)
    j = json_pack("{s:i,s:n}", "n", 0, "share");
  else
    j = json_pack("{s:I,s:I,s:f,s:f,s:f}", "n", (json_int_t)c->s.n,
                  "positive", (json_int_t)c->s.pos, "share", c->s.share,
                  "ci_low", c->s.lo, "ci_high", c->s.hi);
  /* A suppressed "vet ej" count is null, with the reason beside it. */
  if(j && c->dk_hidden) {
    json_object_set_new(j, "dontknow", json_null());
    json_object_set_new(j, "dontknow_suppressed", json_true());
  }
  else if(j)
    json_object_set_new(j, "dontknow", json_integer((json_int_t)c->s.dk));
  return j;
}

static json_t *result_json(const struct indicq_result *r,
                           const struct auth_principal *p)
{
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), i, u;
  char from[11], to[11];
  json_t *j, *series, *units, *ex;
  struct indicq_cell c;

  pdate_format(r->f.from, from);
  pdate_format(r->f.to, to);
  j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:f}", "indicator", r->f.indicator,
                "unit", r->f.unit, "period", indic_period_name(r->f.period),
                "from", from, "to", to, "threshold", r->f.threshold, "goal",
                r->f.goal);
  series = json_array();
  if(!j || !series) {
    json_decref(j);
    json_decref(series);
    return NULL;
  }
  for(i = 0; i <= nb; i++) {
    json_t *row = json_pack("{s:s}", "period",
                            i < nb ? r->labels[i] : "total");
    c = indicq_cell(r, i, nu);
    json_object_set_new(row, "region", cell_json(&c));
    if(r->focus >= 0) {
      c = indicq_cell(r, i, r->focus);
      json_object_set_new(row, "unit", cell_json(&c));
    }
    if(i < nb)
      json_array_append_new(series, row);
    else
      json_object_set_new(j, "total", row);
  }
  json_object_set_new(j, "series", series);
  /* Other units' figures only for those who may read every unit. */
  if(p->role != AUTH_UNIT) {
    units = json_array();
    for(u = 0; u < nu; u++) {
      json_t *uj = json_pack("{s:s}", "unit", r->t->units[u]);
      json_t *cells = json_array();
      for(i = 0; i <= nb; i++) {
        c = indicq_cell(r, i, u);
        json_array_append_new(cells, cell_json(&c));
      }
      json_object_set_new(uj, "cells", cells);
      json_array_append_new(units, uj);
    }
    json_object_set_new(j, "units", units);
  }
  ex = json_array();
  for(i = 0; i < r->n_excluded; i++)
    json_array_append_new(ex, json_string(r->excluded[i]));
  json_object_set_new(j, "excluded_versions", ex);
  return j;
}

/* Sign-in needed: API routes get 401, pages a redirect to /login. */
static void need_login(struct agg_resp *rs, int page)
{
  if(page) {
    agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Logga in.\n");
    agg_resp_header(rs, "Location", "/login");
  }
  else
    agg_resp_error(rs, 401, "unauthorized",
                   "sign in or send Authorization: Bearer <API token>");
}

/* What the API's indicator routes share: who asks (401 when nobody),
 * their filter for route, the query (400 naming a bad parameter) and the
 * pull in the audit log.  0 with *out the result (the caller's,
 * indicq_free) and *p who asked; -1 when rs already holds the answer. */
static int indicators_pull(struct agg_server *s, struct agg_req *rq,
                           struct agg_resp *rs, const char *route,
                           struct auth_principal *p,
                           struct indicq_result **out)
{
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  *out = NULL;
  if(dash_whoami(s, rq, p) != 0) {
    need_login(rs, 0);
    return -1;
  }
  if(resolve_filter(s, rq, rs, p, &f, route, 1) != 0)
    return -1;
  rc = indicq_run(agg_server_db(s), &f, &r, err);
  if(rc == PR_EINVAL) {
    agg_resp_error(rs, 400, "bad_parameter", err);
    return -1;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return -1;
  }
  if(audit_pull(s, rs, p, route, &f) != 0) {
    indicq_free(r);
    return -1;
  }
  *out = r;
  return 0;
}

void dash_h_indicators(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs)
{
  struct auth_principal p;
  struct indicq_result *r;

  if(indicators_pull(s, rq, rs, "indicators", &p, &r) != 0)
    return;
  agg_resp_json(rs, 200, result_json(r, &p));
  indicq_free(r);
}

void dash_h_indicators_csv(struct agg_server *s, struct agg_req *rq,
                           struct agg_resp *rs)
{
  struct auth_principal p;
  struct indicq_result *r;
  struct dashbuf b;
  struct csvout c;
  int nb, nu, i, u, show_units;
  char *body;
  size_t len;

  if(indicators_pull(s, rq, rs, "indicators.csv", &p, &r) != 0)
    return;
  nb = indicq_n_buckets(r);
  nu = indicq_n_units(r);
  show_units = p.role != AUTH_UNIT;
  dashbuf_init(&b);
  csvout_begin(&c, &b);
  csvout_text(&c, "Indikator");
  csvout_text(&c, "Enhet");
  csvout_text(&c, "Period");
  csvout_text(&c, "Andel positiva (%)");
  csvout_text(&c, "95 % KI låg (%)");
  csvout_text(&c, "95 % KI hög (%)");
  csvout_text(&c, "n");
  csvout_text(&c, "Vet ej");
  csvout_text(&c, "Status");
  csvout_eol(&c);
  for(u = -1; u < nu; u++) {
    int col = u < 0 ? nu : u;
    if(u >= 0 && !show_units && u != r->focus)
      continue;
    for(i = 0; i <= nb; i++) {
      struct indicq_cell cl = indicq_cell(r, i, col);
      csvout_text(&c, r->f.indicator);
      csvout_text(&c, u < 0 ? "Regionen" : r->t->units[u]);
      csvout_text(&c, i < nb ? r->labels[i] : "Hela perioden");
      if(cl.mark != SUPP_SHOW) {
        for(int k = 0; k < 5; k++)
          csvout_text(&c, NULL);
        csvout_text(&c, "visas inte (skyddar små grupper)");
      }
      else if(!cl.s.valid) {
        csvout_text(&c, NULL);
        csvout_text(&c, NULL);
        csvout_text(&c, NULL);
        csvout_int(&c, 0);
        if(cl.dk_hidden)
          csvout_text(&c, NULL);
        else
          csvout_int(&c, cl.s.dk);
        csvout_text(&c, "inga svar");
      }
      else {
        csvout_num(&c, cl.s.share * 100.0, 1);
        csvout_num(&c, cl.s.lo * 100.0, 1);
        csvout_num(&c, cl.s.hi * 100.0, 1);
        csvout_int(&c, cl.s.n);
        if(cl.dk_hidden)
          csvout_text(&c, NULL);
        else
          csvout_int(&c, cl.s.dk);
        csvout_text(&c, cl.dk_hidden ? "vet ej visas inte" : "");
      }
      csvout_eol(&c);
    }
  }
  indicq_free(r);
  body = dashbuf_take(&b, &len);
  if(!body) {
    agg_resp_error(rs, 500, "internal", "out of memory");
    return;
  }
  agg_resp_take(rs, 200, "text/csv; charset=utf-8", body, len);
  agg_resp_header(rs, "Content-Disposition",
                  "attachment; filename=\"patientrost.csv\"");
}

/* ---- dashboard ------------------------------------------------------------ */

static int cmp_indicator(const void *a, const void *b)
{
  int ra = dash_indicator_rank(a), rb = dash_indicator_rank(b);
  if(ra != rb)
    return ra < rb ? -1 : 1;
  return strcmp(a, b);
}

/* The page's indicator queries are independent of each other: two
 * threads take them in turn (the calling one and one helper), so on
 * PostgreSQL two run at once on two pooled connections, and on SQLite one
 * thread's suppression and table building overlap the other's read.
 * Results land in their own slots, in the page's order. */
struct page_runs {
  struct aggdb *db;
  int n;
  _Atomic int next;
  struct indicq_filter f[MAX_CARDS];
  struct indicq_result *res[MAX_CARDS];
  enum pr_rc rc[MAX_CARDS];
  char err[MAX_CARDS][PR_ERR_LEN];
};

static void *page_runs_work(void *arg)
{
  struct page_runs *pr = arg;
  int i;

  while((i = pr->next++) < pr->n)
    pr->rc[i] = indicq_run(pr->db, &pr->f[i], &pr->res[i], pr->err[i]);
  return NULL;
}

static void page_runs_go(struct page_runs *pr)
{
  pthread_t th;
  int helper = pr->n > 1 && pthread_create(&th, NULL, page_runs_work, pr) == 0;

  page_runs_work(pr);               /* without a helper: all of them here */
  if(helper)
    pthread_join(th, NULL);
}

enum pr_rc dash_build_page(struct aggdb *db, const struct aggconf *conf,
                           const struct auth_principal *p,
                           const struct indicq_filter *f_in, const char *only,
                           const char *cind, char **out, size_t *out_len,
                           char *err)
{
  struct indicq_filter f = *f_in;
  struct dash_page pg;
  struct indicq_result *res[MAX_CARDS];
  struct page_runs *runs = NULL;
  char (*units)[INDIC_UNIT_LEN] = NULL;
  char (*inds)[INDIC_ID_LEN] = NULL;
  struct commentq_comment *comments = NULL;
  int n_units = 0, n_inds = 0, n_res = 0, n_comments = 0, i;
  char query[400], csrf[AUTH_TOKEN_LEN];
  struct dashbuf b;
  enum pr_rc rc = PR_ENOMEM;

  *out = NULL;
  *out_len = 0;
  memset(&pg, 0, sizeof(pg));
  dashbuf_init(&b);
  if(!cind)
    cind = "";
  if(p->role == AUTH_UNIT) {
    units = pr_calloc(1, INDIC_UNIT_LEN);
    if(!units)
      goto out;
    pr_strlcpy(units[0], p->unit, INDIC_UNIT_LEN);
    n_units = 1;
  }
  else if((rc = indicq_units(db, &units, &n_units, err)) != PR_OK)
    goto out;
  if((rc = indicq_indicators(db, &inds, &n_inds, err)) != PR_OK)
    goto out;
  /* No answers yet: inds is NULL, which qsort must not get. */
  if(n_inds > 1)
    qsort(inds, (size_t)n_inds, INDIC_ID_LEN, cmp_indicator);
  rc = PR_ENOMEM;
  runs = pr_calloc(1, sizeof(*runs));
  if(!runs)
    goto out;
  runs->db = db;
  for(i = 0; i < n_inds && runs->n < MAX_CARDS; i++) {
    struct indicq_filter *fi = &runs->f[runs->n];
    if(only && *only && strcmp(only, inds[i]) != 0)
      continue;
    *fi = f;
    pr_strlcpy(fi->indicator, inds[i], sizeof(fi->indicator));
    /* The call rates have no mode/track/care/set cut (indicq_run refuses
     * one): their cards show every call, and say so (dash.c). */
    if(aggcalls_is_rate(fi->indicator)) {
      fi->mode[0] = fi->track[0] = fi->care[0] = fi->set_id[0] = '\0';
      fi->set_version = 0;
    }
    /* A goal from the form wins over the configured per-indicator goal. */
    if(!f.goal_given)
      dash_conf_filter(conf, fi);
    runs->n++;
  }
  page_runs_go(runs);
  rc = PR_OK;
  for(i = 0; i < runs->n; i++) {
    res[n_res++] = runs->res[i];      /* NULL when it failed: freed below */
    if(rc == PR_OK && runs->rc[i] != PR_OK) {
      rc = runs->rc[i];
      pr_seterr(err, "%s", runs->err[i]);
    }
  }
  if(rc != PR_OK)
    goto out;
  /* The phone table obeys the page's filters: unit, span, track and care
   * type; with "kiosk" chosen it has nothing to show and says so. */
  if(strcmp(f.mode, "kiosk") != 0) {
    rc = phoneq_counts(db, "", f.from, f.to, f.track, f.care, f.threshold, f.cost,
                       &pg.phone_region, err);
    if(rc == PR_OK && f.unit[0]) {
      pg.phone_has_unit = 1;
      rc = phoneq_counts(db, f.unit, f.from, f.to, f.track, f.care,
                         f.threshold, f.cost, &pg.phone_unit, err);
    }
  }
  if(rc == PR_OK && f.unit[0])
    rc = commentq_list(db, &f, cind, MAX_COMMENTS, res, n_res, &comments,
                       &n_comments, err);
  if(rc != PR_OK)
    goto out;
  filter_query(&f, 0, query, sizeof(query));
  auth_random_hex(csrf);
  pg.who = p;
  pg.f = &f;
  pg.units = (const char(*)[INDIC_UNIT_LEN])units;
  pg.n_units = n_units;
  pg.indicators = (const char(*)[INDIC_ID_LEN])inds;
  pg.n_indicators = n_inds;
  pg.comment_indicator = cind;
  pg.res = res;
  pg.n_res = n_res;
  pg.comments = comments;
  pg.n_comments = n_comments;
  pg.comments_max = MAX_COMMENTS;
  pg.query = query;
  pg.csrf = csrf;
  rc = dash_render(&pg, &b);
  if(rc != PR_OK)
    goto out;
  *out = dashbuf_take(&b, out_len);
  rc = *out ? PR_OK : PR_ENOMEM;
out:
  for(i = 0; i < n_res; i++)
    indicq_free(res[i]);
  pr_free(runs);
  commentq_free(comments, n_comments);
  pr_free(units);
  pr_free(inds);
  dashbuf_free(&b);
  return rc;
}

void dash_h_dashboard(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs)
{
  struct auth_principal p;
  struct indicq_filter f;
  char err[PR_ERR_LEN] = "";
  const char *cind = agg_req_arg(rq, "comments");
  enum pr_rc rc;
  char *body = NULL;
  size_t len = 0;

  /* A signed-in session or an API token (Authorization: Bearer): the page
   * only reads, under the same access rule as the API, so a token may see
   * it too; everything that changes something (sign-out) stays with the
   * session. */
  if(dash_whoami(s, rq, &p) != 0) {
    need_login(rs, 1);
    return;
  }
  if(resolve_filter(s, rq, rs, &p, &f, "dashboard", 0) != 0)
    return;
  if(cind && *cind) {
    size_t k;
    for(k = 0; cind[k]; k++)
      if(!isalnum((unsigned char)cind[k]) && cind[k] != '_')
        break;
    if(cind[k] || k >= INDIC_ID_LEN) {
      agg_resp_error(rs, 400, "bad_parameter", "parameter comments: an "
                     "indicator name");
      return;
    }
    if(indicq_check_names(agg_server_db(s), cind, NULL, err) ==
       PR_ENOTFOUND) {
      agg_resp_error(rs, 404, "unknown_parameter",
                     "parameter comments: no such indicator");
      return;
    }
  }
  rc = dash_build_page(agg_server_db(s), agg_server_conf(s), &p, &f,
                       agg_req_arg(rq, "indicator"), cind, &body, &len, err);
  if(rc == PR_EINVAL) {
    agg_resp_error(rs, 400, "bad_parameter", err);
    return;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  if(audit_pull(s, rs, &p, "dashboard", &f) != 0) {
    pr_free(body);
    return;
  }
  agg_resp_take(rs, 200, "text/html; charset=utf-8", body, len);
  agg_resp_header(rs, "Content-Security-Policy",
                  "default-src 'none'; style-src 'unsafe-inline'; "
                  "img-src 'self' data:; form-action 'self'; "
                  "frame-ancestors 'none'");
  agg_resp_header(rs, "Cache-Control", "no-store");
}

/* ---- sign-in ---------------------------------------------------------------- */

int dash_form_value(const char *body, size_t len, const char *name,
                    char *out, size_t cap)
{
  size_t nl = strlen(name), i = 0;
  while(i < len) {
    size_t end = i;
    while(end < len && body[end] != '&')
      end++;
    if(end - i > nl && strncmp(body + i, name, nl) == 0 && body[i + nl] == '=') {
      size_t k = i + nl + 1, o = 0;
      while(k < end) {
        int ch = (unsigned char)body[k];
        if(ch == '+')
          ch = ' ';
        else if(ch == '%') {
          char hex[3];
          long v;
          if(k + 2 >= end)
            return -1;
          hex[0] = body[k + 1];
          hex[1] = body[k + 2];
          hex[2] = '\0';
          if(!isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]))
            return -1;
          v = strtol(hex, NULL, 16);
          ch = (int)v;
          k += 2;
        }
        if(ch == 0 || o + 1 >= cap)
          return -1;
        out[o++] = (char)ch;
        k++;
      }
      out[o] = '\0';
      return 0;
    }
    i = end + 1;
  }
  return -1;
}

static void login_page(struct agg_resp *rs, int status, const char *msg)
{
  char csrf[AUTH_TOKEN_LEN];
  struct dashbuf b;
  char *body;
  size_t len;

  auth_random_hex(csrf);
  dashbuf_init(&b);
  if(dash_render_login(msg, csrf, &b) != PR_OK ||
     !(body = dashbuf_take(&b, &len))) {
    dashbuf_free(&b);
    agg_resp_error(rs, 500, "internal", "out of memory");
    return;
  }
  dash_send_form(rs, status, body, len, csrf);
}

void dash_send_form(struct agg_resp *rs, int status, char *body, size_t len,
                    const char *csrf)
{
  char cookie[160];

  agg_resp_take(rs, status, "text/html; charset=utf-8", body, len);
  snprintf(cookie, sizeof(cookie), AUTH_CSRF_COOKIE "=%s" SECURE_COOKIE
           "; Max-Age=3600", csrf);
  agg_resp_header(rs, "Set-Cookie", cookie);
  agg_resp_header(rs, "Cache-Control", "no-store");
  agg_resp_header(rs, "Content-Security-Policy",
                  "default-src 'none'; style-src 'unsafe-inline'; "
                  "form-action 'self'; frame-ancestors 'none'");
}

void dash_h_login_form(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs)
{
  login_page(rs, 200, NULL);
}

int dash_same_origin(struct agg_req *rq)
{
  const char *origin = agg_req_header(rq, "Origin");
  const char *host = agg_req_header(rq, "Host");
  char want[300];
  if(!origin)
    return 1;
  if(!host)
    return 0;
  if(snprintf(want, sizeof(want), "https://%s", host) >= (int)sizeof(want))
    return 0;
  return strcmp(origin, want) == 0;
}

void dash_h_login(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs)
{
  char user[AUTH_NAME_LEN], pass[1025], csrf[AUTH_TOKEN_LEN + 1];
  char session[AUTH_TOKEN_LEN], cookie[200], ra[24];
  const char *ccsrf = agg_req_cookie(rq, AUTH_CSRF_COOKIE);
  const char *body;
  size_t len;
  long retry = 0;
  enum pr_rc rc;

  body = agg_req_body(rq, &len);
  if(!dash_same_origin(rq) || !ccsrf || !body ||
     dash_form_value(body, len, "csrf", csrf, sizeof(csrf)) != 0 ||
     !auth_equal(csrf, ccsrf)) {
    login_page(rs, 403, "Sidan hade gått ut. Försök igen.");
    return;
  }
  if(dash_form_value(body, len, "user", user, sizeof(user)) != 0 ||
     dash_form_value(body, len, "password", pass, sizeof(pass)) != 0) {
    login_page(rs, 400, "Fyll i användarnamn och lösenord.");
    return;
  }
  rc = auth_login(agg_server_db(s), user, pass, pr_now(), session, &retry, NULL);
  memset(pass, 0, sizeof(pass));
  if(rc == PR_EBUSY) {
    char msg[120];
    snprintf(msg, sizeof(msg), "För många misslyckade försök. Vänta %ld "
             "sekunder och försök igen.", retry);
    login_page(rs, 429, msg);
    snprintf(ra, sizeof(ra), "%ld", retry);
    agg_resp_header(rs, "Retry-After", ra);
    return;
  }
  if(rc == PR_EAUTH) {
    if(audit_log(agg_server_db(s), pr_now(), "-", "login-failed", "", NULL) !=
       PR_OK)
      pr_log(PR_LOG_ERROR, "audit_failed", "what=login-failed");
    login_page(rs, 401, "Fel användarnamn eller lösenord.");
    return;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  if(audit_log(agg_server_db(s), pr_now(), user, "login", "", NULL) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=login");
  agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Inloggad.\n");
  agg_resp_header(rs, "Location", "/dashboard");
  snprintf(cookie, sizeof(cookie), AUTH_COOKIE "=%s" SECURE_COOKIE
           "; Max-Age=%d", session, AUTH_SESSION_SECONDS);
  agg_resp_header(rs, "Set-Cookie", cookie);
  agg_resp_header(rs, "Cache-Control", "no-store");
}

void dash_h_logout(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs)
{
  const char *cookie = agg_req_cookie(rq, AUTH_COOKIE);
  if(!dash_same_origin(rq)) {
    agg_resp_error(rs, 403, "forbidden", "cross-site request refused");
    return;
  }
  if(cookie && auth_logout(agg_server_db(s), cookie, NULL) != PR_OK)
    pr_log(PR_LOG_WARN, "logout_failed", NULL);
  agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Utloggad.\n");
  agg_resp_header(rs, "Location", "/login");
  agg_resp_header(rs, "Set-Cookie", AUTH_COOKIE "=" SECURE_COOKIE
                  "; Max-Age=0");
}

/* ---- Excel ----------------------------------------------------------------- */

void dash_h_export_xlsx(struct agg_server *s, struct agg_req *rq,
                        struct agg_resp *rs)
{
  struct auth_principal p;
  struct indicq_filter f;
  struct indicq_result *res[MAX_CARDS];
  char (*inds)[INDIC_ID_LEN] = NULL;
  const char *only = agg_req_arg(rq, "indicator");
  int n_inds = 0, n_res = 0, i;
  char err[PR_ERR_LEN] = "";
  struct aggdb *db = agg_server_db(s);
  enum pr_rc rc;
  char *body = NULL;
  size_t len = 0;

  if(dash_whoami(s, rq, &p) != 0) {
    need_login(rs, 0);
    return;
  }
  if(resolve_filter(s, rq, rs, &p, &f, "export.xlsx", 0) != 0)
    return;
  rc = indicq_indicators(db, &inds, &n_inds, err);
  for(i = 0; rc == PR_OK && i < n_inds && n_res < MAX_CARDS; i++) {
    struct indicq_filter fi = f;
    if(only && *only && strcmp(only, inds[i]) != 0)
      continue;
    pr_strlcpy(fi.indicator, inds[i], sizeof(fi.indicator));
    /* The call rates have no mode/track/care/set cut (indicq_run refuses
     * one): their cards show every call, and say so (dash.c). */
    if(aggcalls_is_rate(fi.indicator)) {
      fi.mode[0] = fi.track[0] = fi.care[0] = fi.set_id[0] = '\0';
      fi.set_version = 0;
    }
    if(!f.goal_given)
      dash_conf_filter(agg_server_conf(s), &fi);
    rc = indicq_run(db, &fi, &res[n_res], err);
    if(rc == PR_OK)
      n_res++;
  }
  if(rc == PR_OK && audit_pull(s, rs, &p, "export.xlsx", &f) != 0)
    goto done;
  if(rc == PR_OK)
    rc = xlsx_export(res, n_res, &body, &len, err);
  if(rc == PR_EINVAL)
    agg_resp_error(rs, 400, "bad_parameter", err);
  else if(rc != PR_OK)
    agg_resp_db_error(s, rs, rc);
  else {
    agg_resp_take(rs, 200,
                  "application/vnd.openxmlformats-officedocument."
                  "spreadsheetml.sheet", body, len);
    body = NULL;
    agg_resp_header(rs, "Content-Disposition",
                    "attachment; filename=\"patientrost.xlsx\"");
  }
done:
  for(i = 0; i < n_res; i++)
    indicq_free(res[i]);
  pr_free(inds);
  pr_free(body);
}
