/* samvweb.c — This file contains the collaboration follow-up's shared
 * page helpers (samvweb_int.h), the landing page and the compilation
 * routes (samvweb.h); the meeting form is samvform.c.  The access rule in
 * one sentence: a unit account reads and writes only its own meetings (its
 * unit comes from the session, never from the request), region accounts
 * and admins read compilations over länsdelar and the county, never one
 * unit's answers, and only an admin reopens a locked meeting.  Every
 * compilation pull is audited before it is sent; pages carry no script
 * (CSP default-src 'none'). */
#include "samvweb.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggsets.h"
#include "audit.h"
#include "auth.h"
#include "dashbuf.h"
#include "dashroutes.h"
#include "samv.h"
#include "samvout.h"
#include "supp.h"
#include "samvweb_int.h"



/* ---- small helpers ---------------------------------------------------------- */

int samvweb_this_year(void)
{
  time_t now = pr_now();
  struct tm tm;
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

/* The follow-up year a meeting most likely belongs to: the meetings are
 * held in the autumn, some early the next year. */
static int default_year(void)
{
  time_t now = pr_now();
  struct tm tm;
  gmtime_r(&now, &tm);
  return tm.tm_mon < 6 ? tm.tm_year + 1900 - 1 : tm.tm_year + 1900;
}

static int threshold(struct agg_server *s)
{
  const char *v = aggconf_get(agg_server_conf(s), "suppression_threshold");
  int t = SUPP_DEFAULT_THRESHOLD;
  if(v && supp_parse_threshold(v, &t) != 0)
    t = SUPP_DEFAULT_THRESHOLD;
  return t;
}

/* Every published set whose questions are all asked at a meeting, in
 * the order of aggsets_current (by id). */
enum pr_rc samvweb_meeting_types(struct agg_server *s, struct samvweb_types *t,
                                char *err)
{
  struct aggsets_item *items = NULL;
  struct aggdb_conn *c = NULL;
  int n = 0;
  enum pr_rc rc = aggsets_current(agg_server_db(s), &items, &n, err);
  t->n = 0;
  if(rc != PR_OK)
    return rc;
  rc = aggdb_acquire(agg_server_db(s), &c, err);
  for(int i = 0; rc == PR_OK && i < n && t->n < SAMVWEB_MAX_TYPES; i++) {
    const struct qset *q = NULL;
    int meeting = 1;
    if(aggsets_cache_get(agg_server_sets(s), c, items[i].id, items[i].version,
                         &q, NULL) != PR_OK)
      continue;
    for(int k = 0; k < q->n_questions; k++)
      if(q->questions[k].modes != QSET_MODE_MEETING)
        meeting = 0;
    if(meeting)
      t->set[t->n++] = q;
  }
  aggdb_release(c);
  pr_free(items);
  return rc;
}

const struct qset *samvweb_find_type(const struct samvweb_types *t, const char *id)
{
  for(int i = 0; id && i < t->n; i++)
    if(strcmp(t->set[i]->id, id) == 0)
      return t->set[i];
  return NULL;
}

/* A given set version (a meeting keeps the version it was started on). */
const struct qset *samvweb_set_version(struct agg_server *s, const char *id,
                                      int version)
{
  const struct qset *q = aggsets_cache_peek(agg_server_sets(s), id, version);
  struct aggdb_conn *c = NULL;
  if(q)
    return q;
  if(aggdb_acquire(agg_server_db(s), &c, NULL) != PR_OK)
    return NULL;
  if(aggsets_cache_get(agg_server_sets(s), c, id, version, &q, NULL) != PR_OK)
    q = NULL;
  aggdb_release(c);
  return q;
}

/* CSRF value of a session: a keyed hash of the session id, so it needs no
 * storage and a page from another site cannot know it. */
void samvweb_csrf_of(const char *session, char out[AUTH_TOKEN_LEN])
{
  static const unsigned char key[] = "patientrost-samverkan-csrf-1";
  unsigned char h[32];
  crypto_generichash(h, sizeof(h), (const unsigned char *)session,
                     strlen(session), key, sizeof(key) - 1);
  sodium_bin2hex(out, AUTH_TOKEN_LEN, h, sizeof(h));
}

void samvweb_deny(struct agg_server *s, struct agg_resp *rs,
                 const struct auth_principal *p, const char *route,
                 int status, const char *msg)
{
  char detail[120];
  snprintf(detail, sizeof(detail), "route=%s", route);
  if(audit_log(agg_server_db(s), pr_now(), p ? p->name : "-", "denied",
               detail, NULL) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=denied");
  agg_resp_error(rs, status, status == 403 ? "forbidden" : "bad_parameter",
                 msg);
}

/* Signed in by session (pages) or token (API, only where tok_ok). */
int samvweb_who(struct agg_server *s, struct agg_req *rq, struct agg_resp *rs,
               struct auth_principal *p, int page, int tok_ok)
{
  if(dash_whoami(s, rq, p) != 0 || (p->via_token && !tok_ok)) {
    if(page) {
      agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Logga in.\n");
      agg_resp_header(rs, "Location", "/login");
    }
    else
      agg_resp_error(rs, 401, "unauthorized", "sign in first");
    return -1;
  }
  return 0;
}

/* A unit account names no other unit, anywhere. */
int samvweb_unit_arg_ok(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs, const struct auth_principal *p,
                       const char *route)
{
  const char *u = agg_req_arg(rq, "unit");
  if(u && p->role == AUTH_UNIT && strcmp(u, p->unit) != 0) {
    samvweb_deny(s, rs, p, route, 403, "this account may only use its own unit");
    return -1;
  }
  return 0;
}

int samvweb_year_and_types(struct agg_server *s, struct agg_req *rq,
                           struct agg_resp *rs, int *year,
                           struct samvweb_types *t)
{
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;
  if(samvweb_parse_year(agg_req_arg(rq, "year"), year) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "year: 2000..2100");
    return -1;
  }
  if((rc = samvweb_meeting_types(s, t, err)) != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return -1;
  }
  return 0;
}

int samvweb_parse_year(const char *v, int *out)
{
  long y;
  if(!v || !*v) {
    *out = default_year();
    return 0;
  }
  if(pr_parse_long(v, 2000, 2100, &y) != 0)
    return -1;
  *out = (int)y;
  return 0;
}

void samvweb_page_head(struct dashbuf *b, const char *title,
                      const struct auth_principal *p)
{
  dashbuf_add(b, "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset="
                 "\"utf-8\"><meta name=\"viewport\" content=\"width=device-"
                 "width,initial-scale=1\"><title>");
  dashbuf_html(b, title);
  dashbuf_add(b, "</title><style>");
  dashbuf_add(b, samvout_css);
  dashbuf_add(b, "</style></head><body><header><h1>");
  dashbuf_html(b, title);
  dashbuf_add(b, "</h1><nav aria-label=\"Huvudmeny\"><a href=\"/samverkan\">"
                 "Samverkan</a>");
  if(p->role != AUTH_UNIT)
    dashbuf_add(b, "<a href=\"/samverkan/sammanstallning\">Sammanställning"
                   "</a>");
  dashbuf_add(b, "<a href=\"/dashboard\">Patientröst</a></nav>"
                 "<form method=\"post\" action=\"/logout\"><button "
                 "class=\"secondary\" type=\"submit\">Logga ut ");
  dashbuf_html(b, p->name);
  dashbuf_add(b, "</button></form></header><main id=\"main\">");
}

void samvweb_page_send(struct agg_resp *rs, struct dashbuf *b, int status)
{
  size_t len;
  char *body;
  dashbuf_add(b, "</main></body></html>\n");
  body = dashbuf_take(b, &len);
  if(!body) {
    agg_resp_error(rs, 500, "internal", "out of memory");
    return;
  }
  agg_resp_take(rs, status, "text/html; charset=utf-8", body, len);
  agg_resp_header(rs, "Content-Security-Policy", SAMVWEB_CSP);
  agg_resp_header(rs, "Cache-Control", "no-store");
}

void samvweb_hidden(struct dashbuf *b, const char *name, const char *value)
{
  dashbuf_addf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
  dashbuf_html(b, value);
  dashbuf_add(b, "\">");
}

void samvweb_hidden_common(struct dashbuf *b, const char *csrf,
                          const char *type, int year)
{
  char y[16];
  snprintf(y, sizeof(y), "%d", year);
  samvweb_hidden(b, "csrf", csrf);
  samvweb_hidden(b, "type", type);
  samvweb_hidden(b, "year", y);
}

/* ---- landing page ----------------------------------------------------------- */

struct list_html {
  struct dashbuf *b;
  const struct samvweb_types *t;
  const char *csrf;
  int year;
  int admin;
};

static int admin_row(void *ctx, const char *unit, const char *set_id,
                     enum samv_status st)
{
  struct list_html *l = ctx;
  dashbuf_add(l->b, "<tr><td>");
  dashbuf_html(l->b, unit);
  dashbuf_add(l->b, "</td><td>");
  dashbuf_html(l->b, set_id);
  dashbuf_addf(l->b, "</td><td>%s</td><td>",
               st == SAMV_DONE ? "Klar" : "Pågår");
  if(st == SAMV_DONE) {
    dashbuf_add(l->b, "<form method=\"post\" action=\"/samverkan/oppna\">");
    samvweb_hidden_common(l->b, l->csrf, set_id, l->year);
    samvweb_hidden(l->b, "unit", unit);
    dashbuf_add(l->b, "<button type=\"submit\">Öppna igen</button></form>");
  }
  dashbuf_add(l->b, "</td></tr>");
  return 0;
}

static int unit_row(void *ctx, const char *unit, const char *set_id,
                    enum samv_status st)
{
  struct list_html *l = ctx;
  const struct qset *q = samvweb_find_type(l->t, set_id);
  (void)unit;
  if(!set_id)
    return 0;
  dashbuf_addf(l->b, "<li><a href=\"/samverkan/form?type=%s&amp;year=%d\">",
               set_id, l->year);
  dashbuf_html(l->b, q ? qset_text(&q->title, "sv") : set_id);
  dashbuf_addf(l->b, " %d</a> – %s</li>", l->year,
               st == SAMV_DONE ? "klar" : "pågår");
  return 0;
}

static void type_select(struct dashbuf *b, const struct samvweb_types *t,
                        const char *sel, int with_all)
{
  dashbuf_add(b, "<label for=\"type\">Mötestyp</label><select id=\"type\" "
                 "name=\"type\">");
  if(with_all)
    dashbuf_add(b, "<option value=\"\">Alla mötestyper</option>");
  for(int i = 0; i < t->n; i++) {
    dashbuf_addf(b, "<option value=\"%s\"%s>", t->set[i]->id,
                 sel && strcmp(sel, t->set[i]->id) == 0 ? " selected" : "");
    dashbuf_html(b, qset_text(&t->set[i]->title, "sv"));
    dashbuf_add(b, "</option>");
  }
  dashbuf_add(b, "</select>");
}

static void year_select(struct dashbuf *b, int sel)
{
  int now = samvweb_this_year();
  dashbuf_add(b, "<label for=\"year\">År</label><select id=\"year\" "
                 "name=\"year\">");
  for(int y = now; y >= now - 5; y--)
    dashbuf_addf(b, "<option value=\"%d\"%s>%d</option>", y,
                 y == sel ? " selected" : "", y);
  dashbuf_add(b, "</select>");
}

static int lansdel_unit_row(void *ctx, int ncol, const char *const *v,
                            const int *isnull)
{
  (void)ncol;
  (void)isnull;
  dashbuf_add(ctx, " ");
  dashbuf_html(ctx, v[0]);
  return 0;
}

/* The admin's länsdelar: each with its units, and a form to add units. */
static enum pr_rc lansdel_admin(struct agg_server *s, struct dashbuf *b,
                                const char *csrf, char *err)
{
  char (*names)[SAMV_NAME_LEN] = NULL;
  int n = 0;
  enum pr_rc rc = samv_lansdel_names(agg_server_db(s), &names, &n, err);
  if(rc != PR_OK)
    return rc;
  dashbuf_add(b, "<h2>Länsdelar</h2><ul>");
  for(int i = 0; rc == PR_OK && i < n; i++) {
    const struct aggdb_param p[] = {AGGDB_TEXT(names[i])};
    dashbuf_add(b, "<li><b>");
    dashbuf_html(b, names[i]);
    dashbuf_add(b, "</b>:");
    rc = aggdb_query1(agg_server_db(s), "SELECT unit FROM samv_lansdel WHERE"
                      " name = $1 ORDER BY unit", p, 1, lansdel_unit_row, b,
                      err);
    dashbuf_add(b, "</li>");
  }
  pr_free(names);
  dashbuf_add(b, "</ul><form method=\"post\" action=\"/samverkan/lansdel\">"
                 "<fieldset><legend>Lägg till enheter i en länsdel</legend>");
  samvweb_hidden(b, "csrf", csrf);
  dashbuf_add(b, "<label for=\"ld-name\">Länsdel</label><input id=\"ld-name"
                 "\" name=\"name\" maxlength=\"63\" required><label for=\""
                 "ld-units\">Enheter (HSA-id, ett per rad)</label><textarea "
                 "id=\"ld-units\" name=\"units\" required></textarea><p>"
                 "<button type=\"submit\">Spara</button></p></fieldset>"
                 "</form>");
  return rc;
}

void samv_h_lansdel(struct agg_server *s, struct agg_req *rq,
                    struct agg_resp *rs)
{
  struct auth_principal p;
  const char *session = agg_req_cookie(rq, AUTH_COOKIE);
  const char *body;
  char csrf[AUTH_TOKEN_LEN + 1], want[AUTH_TOKEN_LEN], name[SAMV_NAME_LEN];
  char list[4096], err[PR_ERR_LEN] = "", detail[120];
  const char *units[128];
  int n = 0;
  size_t len;
  enum pr_rc rc;

  if(samvweb_who(s, rq, rs, &p, 1, 0) != 0)
    return;
  body = agg_req_body(rq, &len);
  if(!session || !dash_same_origin(rq) || !body ||
     dash_form_value(body, len, "csrf", csrf, sizeof(csrf)) != 0) {
    samvweb_deny(s, rs, &p, "samverkan/lansdel", 403, "the form had expired");
    return;
  }
  samvweb_csrf_of(session, want);
  if(!auth_equal(csrf, want) || p.role != AUTH_ADMIN) {
    samvweb_deny(s, rs, &p, "samverkan/lansdel", 403,
                 "only an administrator defines länsdelar");
    return;
  }
  if(dash_form_value(body, len, "name", name, sizeof(name)) != 0 ||
     dash_form_value(body, len, "units", list, sizeof(list)) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "name and units (HSA-ids, one "
                   "per line) are needed");
    return;
  }
  /* One HSA-id per line (or separated by spaces or commas). */
  for(char *t = list; *t && n < (int)PR_ARRAY_LEN(units);) {
    while(*t && strchr(" ,;\r\n\t", *t))
      *t++ = '\0';
    if(!*t)
      break;
    units[n++] = t;
    while(*t && !strchr(" ,;\r\n\t", *t))
      t++;
  }
  if(n == 0) {
    agg_resp_error(rs, 400, "bad_parameter", "units: at least one HSA-id");
    return;
  }
  rc = samv_lansdel_add(agg_server_db(s), name, units, n, err);
  if(rc == PR_ECONFLICT || rc == PR_EINVAL) {
    agg_resp_error(rs, rc == PR_ECONFLICT ? 409 : 400, "bad_parameter", err);
    return;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  snprintf(detail, sizeof(detail), "lansdel=%.60s units=%d", name, n);
  if(audit_log(agg_server_db(s), pr_now(), p.name, "samverkan.lansdel",
               detail, NULL) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=samverkan.lansdel");
  agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Sparat.\n");
  agg_resp_header(rs, "Location", "/samverkan");
}

void samv_h_home(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs)
{
  struct auth_principal p;
  struct samvweb_types t;
  struct dashbuf b;
  char err[PR_ERR_LEN] = "", csrf[AUTH_TOKEN_LEN];
  const char *session = agg_req_cookie(rq, AUTH_COOKIE);
  int year;
  enum pr_rc rc = PR_OK;

  if(samvweb_who(s, rq, rs, &p, 1, 0) != 0 || samvweb_unit_arg_ok(s, rq, rs, &p,
                                                  "samverkan") != 0)
    return;
  if(samvweb_year_and_types(s, rq, rs, &year, &t) != 0)
    return;
  samvweb_csrf_of(session ? session : "", csrf);
  dashbuf_init(&b);
  samvweb_page_head(&b, "Samverkansuppföljning", &p);
  if(p.role == AUTH_UNIT) {
    struct list_html l = {&b, &t, csrf, year, 0};
    dashbuf_add(&b, "<p>Vårdcentralen dokumenterar mötet med kommunen här. "
                    "Varje svar sparas när du trycker Spara, så ni kan "
                    "fortsätta senare. Resultatet visas aldrig per "
                    "enhet.</p><form class=\"pick\" method=\"post\" "
                    "action=\"/samverkan/start\">");
    samvweb_hidden(&b, "csrf", csrf);
    dashbuf_add(&b, "<fieldset><legend>Starta eller fortsätt ett möte"
                    "</legend>");
    type_select(&b, &t, NULL, 0);
    year_select(&b, year);
    dashbuf_add(&b, "<p><button type=\"submit\">Öppna formuläret</button>"
                    "</p></fieldset></form><h2>Era möten</h2><ul>");
    for(int y = year; y >= year - 1; y--) {
      l.year = y;
      rc = samv_meetings_list(agg_server_db(s), p.unit, y, unit_row, &l, err);
      if(rc != PR_OK)
        break;
    }
    dashbuf_add(&b, "</ul>");
  }
  else {
    dashbuf_add(&b, "<p>Sammanställningen per mötestyp, länsdel och för hela "
                    "länet finns under <a href=\"/samverkan/sammanstallning\">"
                    "Sammanställning</a>.</p>");
    if(p.role == AUTH_ADMIN) {
      struct list_html l = {&b, &t, csrf, year, 1};
      dashbuf_addf(&b, "<h2>Möten %d</h2><form class=\"pick\" method=\"get\""
                   " action=\"/samverkan\">", year);
      year_select(&b, year);
      dashbuf_add(&b, " <button type=\"submit\">Visa</button></form>"
                      "<table><thead><tr><th scope=\"col\">Enhet</th><th "
                      "scope=\"col\">Mötestyp</th><th scope=\"col\">Status"
                      "</th><th scope=\"col\"></th></tr></thead><tbody>");
      rc = samv_meetings_list(agg_server_db(s), NULL, year, admin_row, &l,
                              err);
      dashbuf_add(&b, "</tbody></table><p class=\"muted\">Här syns bara om "
                      "ett möte är klart, aldrig dess svar.</p>");
      if(rc == PR_OK)
        rc = lansdel_admin(s, &b, csrf, err);
    }
  }
  if(rc != PR_OK) {
    dashbuf_free(&b);
    agg_resp_db_error(s, rs, rc);
    return;
  }
  samvweb_page_send(rs, &b, 200);
}

/* ---- the compilation -------------------------------------------------------- */

struct comp_req {
  struct auth_principal p;
  struct samvweb_types t;
  const char *type;           /* "" = every meeting type */
  const char *group;          /* "" = county */
  int year;
  struct samv_comp *comps[SAMVWEB_MAX_TYPES];
  int n;
};

static void comp_free(struct comp_req *c)
{
  for(int i = 0; i < c->n; i++)
    samv_comp_free(c->comps[i]);
  c->n = 0;
}

/* Access, parameters, figures and the audit entry.  0, or -1 after
 * answering. */
static int comp_begin(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs, struct comp_req *c,
                      const char *what, int page, int tok_ok)
{
  char err[PR_ERR_LEN] = "", detail[240];
  enum pr_rc rc;

  memset(c, 0, sizeof(*c));
  if(samvweb_who(s, rq, rs, &c->p, page, tok_ok) != 0)
    return -1;
  if(c->p.role == AUTH_UNIT) {
    samvweb_deny(s, rs, &c->p, what, 403, "the compilation is for region accounts; "
         "results are not shown per unit");
    return -1;
  }
  if(agg_req_arg(rq, "unit")) {
    samvweb_deny(s, rs, &c->p, what, 400, "unit: results are not shown per unit");
    return -1;
  }
  c->type = agg_req_arg(rq, "type");
  c->group = agg_req_arg(rq, "lansdel");
  if(!c->type)
    c->type = "";
  if(!c->group)
    c->group = "";
  if(samvweb_year_and_types(s, rq, rs, &c->year, &c->t) != 0)
    return -1;
  if(*c->type && !samvweb_find_type(&c->t, c->type)) {
    agg_resp_error(rs, 404, "unknown_parameter", "type: no such meeting type");
    return -1;
  }
  for(int i = 0; i < c->t.n; i++) {
    if(*c->type && strcmp(c->type, c->t.set[i]->id) != 0)
      continue;
    rc = samv_compile(agg_server_db(s), c->t.set[i], c->year, c->group,
                      threshold(s), &c->comps[c->n], err);
    if(rc != PR_OK) {
      comp_free(c);
      if(rc == PR_ENOTFOUND)
        agg_resp_error(rs, 404, "unknown_parameter", "lansdel: no such "
                       "länsdel");
      else
        agg_resp_db_error(s, rs, rc);
      return -1;
    }
    c->n++;
  }
  snprintf(detail, sizeof(detail), "type=%s year=%d lansdel=%s",
           *c->type ? c->type : "*", c->year, c->group);
  if(audit_log(agg_server_db(s), pr_now(), c->p.name, what, detail, NULL) !=
     PR_OK) {
    comp_free(c);
    agg_resp_error(rs, 503, "audit_unavailable",
                   "the pull could not be logged; try again");
    agg_resp_header(rs, "Retry-After", "5");
    return -1;
  }
  return 0;
}

static void comp_query(const struct comp_req *c, char *out, size_t cap)
{
  struct dashbuf b;
  char *t;
  size_t len;
  dashbuf_init(&b);
  dashbuf_addf(&b, "type=%s&year=%d&lansdel=", c->type, c->year);
  /* The länsdel name may hold spaces and letters outside ASCII. */
  for(const unsigned char *p = (const unsigned char *)c->group; *p; p++) {
    if(isalnum(*p) && *p < 0x80)
      dashbuf_addn(&b, (const char *)p, 1);
    else
      dashbuf_addf(&b, "%%%02X", *p);
  }
  t = dashbuf_take(&b, &len);
  pr_strlcpy(out, t ? t : "", cap);
  pr_free(t);
}

void samv_h_comp(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs)
{
  struct comp_req c;
  struct dashbuf b;
  char err[PR_ERR_LEN] = "", q[400];
  char (*names)[SAMV_NAME_LEN] = NULL;
  int n_names = 0;

  if(comp_begin(s, rq, rs, &c, "samverkan", 1, 0) != 0)
    return;
  if(samv_lansdel_names(agg_server_db(s), &names, &n_names, err) != PR_OK)
    n_names = 0;
  comp_query(&c, q, sizeof(q));
  dashbuf_init(&b);
  samvweb_page_head(&b, "Samverkansuppföljning – sammanställning", &c.p);
  dashbuf_add(&b, "<form class=\"pick\" method=\"get\" action=\"/samverkan/"
                  "sammanstallning\"><fieldset><legend>Välj</legend>");
  type_select(&b, &c.t, c.type, 1);
  year_select(&b, c.year);
  dashbuf_add(&b, "<label for=\"lansdel\">Område</label><select id=\""
                  "lansdel\" name=\"lansdel\"><option value=\"\">Hela länet"
                  "</option>");
  for(int i = 0; i < n_names; i++) {
    dashbuf_add(&b, "<option value=\"");
    dashbuf_html(&b, names[i]);
    dashbuf_addf(&b, "\"%s>", strcmp(names[i], c.group) == 0 ? " selected"
                                                             : "");
    dashbuf_html(&b, names[i]);
    dashbuf_add(&b, "</option>");
  }
  pr_free(names);
  dashbuf_add(&b, "</select> <button type=\"submit\">Visa</button>"
                  "</fieldset></form><p class=\"noprint\">Ladda ner: <a "
                  "href=\"/samverkan/sammanstallning.xlsx?");
  dashbuf_html(&b, q);
  dashbuf_add(&b, "\">Excel</a> · <a href=\"/samverkan/sammanstallning.csv?");
  dashbuf_html(&b, q);
  dashbuf_addf(&b, "\">CSV</a> · Skriv ut sidan för en rapport.</p><p>Bara "
               "avslutade möten räknas. En länsdel eller länet visas bara "
               "när minst %d möten ingår, och resultatet visas aldrig per "
               "enhet. Jämförelsen med föregående år gäller bara jämförbara "
               "frågor och ska värderas med försiktighet.</p>", threshold(s));
  samvout_html(&b, c.comps, c.n);
  comp_free(&c);
  samvweb_page_send(rs, &b, 200);
}

void samv_h_comp_csv(struct agg_server *s, struct agg_req *rq,
                     struct agg_resp *rs)
{
  struct comp_req c;
  struct dashbuf b;
  char *body;
  size_t len;

  if(comp_begin(s, rq, rs, &c, "samverkan.csv", 0, 1) != 0)
    return;
  dashbuf_init(&b);
  samvout_csv(&b, c.comps, c.n);
  comp_free(&c);
  body = dashbuf_take(&b, &len);
  if(!body) {
    agg_resp_error(rs, 500, "internal", "out of memory");
    return;
  }
  agg_resp_take(rs, 200, "text/csv; charset=utf-8", body, len);
  agg_resp_header(rs, "Content-Disposition",
                  "attachment; filename=\"samverkan.csv\"");
  agg_resp_header(rs, "Cache-Control", "no-store");
}

void samv_h_comp_xlsx(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs)
{
  struct comp_req c;
  char err[PR_ERR_LEN] = "", *body = NULL;
  size_t len = 0;
  enum pr_rc rc;

  if(comp_begin(s, rq, rs, &c, "samverkan.xlsx", 0, 1) != 0)
    return;
  rc = samvout_xlsx(c.comps, c.n, &body, &len, err);
  comp_free(&c);
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  agg_resp_take(rs, 200, "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet", body, len);
  agg_resp_header(rs, "Content-Disposition",
                  "attachment; filename=\"samverkan.xlsx\"");
  agg_resp_header(rs, "Cache-Control", "no-store");
}

void samv_h_api(struct agg_server *s, struct agg_req *rq,
                struct agg_resp *rs)
{
  struct comp_req c;
  json_t *arr;

  if(comp_begin(s, rq, rs, &c, "samverkan.api", 0, 1) != 0)
    return;
  arr = json_array();
  for(int i = 0; arr && i < c.n; i++)
    json_array_append_new(arr, samvout_json(c.comps[i]));
  comp_free(&c);
  agg_resp_json(rs, 200, arr ? json_pack("{s:o}", "compilations", arr) : NULL);
}
