/* samvweb.c — This file contains the collaboration follow-up's pages and
 * routes (samvweb.h).  The access rule in one sentence: a unit account
 * reads and writes only its own meetings (its unit comes from the session,
 * never from the request), region accounts and admins read compilations
 * over länsdelar and the county, never one unit's answers, and only an
 * admin reopens a locked meeting.  Every compilation pull is audited
 * before it is sent; pages carry no script (CSP default-src 'none'). */
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

#define MAX_TYPES 16
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' " \
            "data:; form-action 'self'; frame-ancestors 'none'"

struct types {
  const struct qset *set[MAX_TYPES];   /* borrowed from the server's cache */
  int n;
};

/* ---- small helpers ---------------------------------------------------------- */

static int this_year(void)
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
static enum pr_rc meeting_types(struct agg_server *s, struct types *t,
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
  for(int i = 0; rc == PR_OK && i < n && t->n < MAX_TYPES; i++) {
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

static const struct qset *find_type(const struct types *t, const char *id)
{
  for(int i = 0; id && i < t->n; i++)
    if(strcmp(t->set[i]->id, id) == 0)
      return t->set[i];
  return NULL;
}

/* A given set version (a meeting keeps the version it was started on). */
static const struct qset *set_version(struct agg_server *s, const char *id,
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
static void csrf_of(const char *session, char out[AUTH_TOKEN_LEN])
{
  static const unsigned char key[] = "patientrost-samverkan-csrf-1";
  unsigned char h[32];
  crypto_generichash(h, sizeof(h), (const unsigned char *)session,
                     strlen(session), key, sizeof(key) - 1);
  sodium_bin2hex(out, AUTH_TOKEN_LEN, h, sizeof(h));
}

static void deny(struct agg_server *s, struct agg_resp *rs,
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
static int who(struct agg_server *s, struct agg_req *rq, struct agg_resp *rs,
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
static int unit_arg_ok(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs, const struct auth_principal *p,
                       const char *route)
{
  const char *u = agg_req_arg(rq, "unit");
  if(u && p->role == AUTH_UNIT && strcmp(u, p->unit) != 0) {
    deny(s, rs, p, route, 403, "this account may only use its own unit");
    return -1;
  }
  return 0;
}

static int parse_year(const char *v, int *out)
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

static void page_head(struct dashbuf *b, const char *title,
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

static void page_send(struct agg_resp *rs, struct dashbuf *b, int status)
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
  agg_resp_header(rs, "Content-Security-Policy", CSP);
  agg_resp_header(rs, "Cache-Control", "no-store");
}

static void hidden(struct dashbuf *b, const char *name, const char *value)
{
  dashbuf_addf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
  dashbuf_html(b, value);
  dashbuf_add(b, "\">");
}

static void hidden_common(struct dashbuf *b, const char *csrf,
                          const char *type, int year)
{
  char y[16];
  snprintf(y, sizeof(y), "%d", year);
  hidden(b, "csrf", csrf);
  hidden(b, "type", type);
  hidden(b, "year", y);
}

/* ---- POST plumbing ------------------------------------------------------------ */

struct post {
  struct auth_principal p;
  const char *body;
  size_t len;
  char type[QSET_ID_LEN];
  int year;
  const struct qset *set;     /* the current version of type */
  struct types types;
};

/* Session, same origin, CSRF, and (need_type) a known meeting type and
 * year.  0, or -1 after answering. */
static int post_begin(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs, struct post *po, int need_type,
                      const char *route)
{
  char csrf[AUTH_TOKEN_LEN + 1], want[AUTH_TOKEN_LEN], year[16];
  const char *session = agg_req_cookie(rq, AUTH_COOKIE);
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  memset(po, 0, sizeof(*po));
  if(who(s, rq, rs, &po->p, 1, 0) != 0)
    return -1;
  po->body = agg_req_body(rq, &po->len);
  if(!session || !dash_same_origin(rq) || !po->body ||
     dash_form_value(po->body, po->len, "csrf", csrf, sizeof(csrf)) != 0) {
    deny(s, rs, &po->p, route, 403, "the form had expired; reload the page");
    return -1;
  }
  csrf_of(session, want);
  if(!auth_equal(csrf, want)) {
    deny(s, rs, &po->p, route, 403, "the form had expired; reload the page");
    return -1;
  }
  if(!need_type)
    return 0;
  if(dash_form_value(po->body, po->len, "type", po->type,
                     sizeof(po->type)) != 0 ||
     dash_form_value(po->body, po->len, "year", year, sizeof(year)) != 0 ||
     parse_year(year, &po->year) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "type and year are needed");
    return -1;
  }
  rc = meeting_types(s, &po->types, err);
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return -1;
  }
  po->set = find_type(&po->types, po->type);
  if(!po->set) {
    agg_resp_error(rs, 404, "unknown_parameter", "no such meeting type");
    return -1;
  }
  return 0;
}

static void redirect_form(struct agg_resp *rs, const char *type, int year,
                          const char *extra, const char *anchor)
{
  char loc[240];
  snprintf(loc, sizeof(loc), "/samverkan/form?type=%s&year=%d%s%s%s%s", type,
           year, extra ? "&" : "", extra ? extra : "", anchor ? "#" : "",
           anchor ? anchor : "");
  agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Sparat.\n");
  agg_resp_header(rs, "Location", loc);
  agg_resp_header(rs, "Cache-Control", "no-store");
}

static void write_error(struct agg_server *s, struct agg_resp *rs,
                        enum pr_rc rc, const char *err)
{
  if(rc == PR_ECONFLICT)
    agg_resp_error(rs, 409, "locked", err);
  else if(rc == PR_ENOTFOUND)
    agg_resp_error(rs, 404, "not_found", err);
  else if(rc == PR_EINVAL)
    agg_resp_error(rs, 400, "bad_parameter", err);
  else
    agg_resp_db_error(s, rs, rc);
}

/* ---- landing page ----------------------------------------------------------- */

struct list_html {
  struct dashbuf *b;
  const struct types *t;
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
    hidden_common(l->b, l->csrf, set_id, l->year);
    hidden(l->b, "unit", unit);
    dashbuf_add(l->b, "<button type=\"submit\">Öppna igen</button></form>");
  }
  dashbuf_add(l->b, "</td></tr>");
  return 0;
}

static int unit_row(void *ctx, const char *unit, const char *set_id,
                    enum samv_status st)
{
  struct list_html *l = ctx;
  const struct qset *q = find_type(l->t, set_id);
  (void)unit;
  dashbuf_addf(l->b, "<li><a href=\"/samverkan/form?type=%s&amp;year=%d\">",
               set_id, l->year);
  dashbuf_html(l->b, q ? qset_text(&q->title, "sv") : set_id);
  dashbuf_addf(l->b, " %d</a> – %s</li>", l->year,
               st == SAMV_DONE ? "klar" : "pågår");
  return 0;
}

static void type_select(struct dashbuf *b, const struct types *t,
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
  int now = this_year();
  dashbuf_add(b, "<label for=\"year\">År</label><select id=\"year\" "
                 "name=\"year\">");
  for(int y = now; y >= now - 5; y--)
    dashbuf_addf(b, "<option value=\"%d\"%s>%d</option>", y,
                 y == sel ? " selected" : "", y);
  dashbuf_add(b, "</select>");
}

void samv_h_home(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs)
{
  struct auth_principal p;
  struct types t;
  struct dashbuf b;
  char err[PR_ERR_LEN] = "", csrf[AUTH_TOKEN_LEN];
  const char *session = agg_req_cookie(rq, AUTH_COOKIE);
  int year;
  enum pr_rc rc;

  if(who(s, rq, rs, &p, 1, 0) != 0 || unit_arg_ok(s, rq, rs, &p,
                                                  "samverkan") != 0)
    return;
  if(parse_year(agg_req_arg(rq, "year"), &year) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "year: 2000..2100");
    return;
  }
  if((rc = meeting_types(s, &t, err)) != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  csrf_of(session ? session : "", csrf);
  dashbuf_init(&b);
  page_head(&b, "Samverkansuppföljning", &p);
  if(p.role == AUTH_UNIT) {
    struct list_html l = {&b, &t, csrf, year, 0};
    dashbuf_add(&b, "<p>Vårdcentralen dokumenterar mötet med kommunen här. "
                    "Varje svar sparas när du trycker Spara, så ni kan "
                    "fortsätta senare. Resultatet visas aldrig per "
                    "enhet.</p><form class=\"pick\" method=\"post\" "
                    "action=\"/samverkan/start\">");
    hidden(&b, "csrf", csrf);
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
    }
  }
  if(rc != PR_OK) {
    dashbuf_free(&b);
    agg_resp_db_error(s, rs, rc);
    return;
  }
  page_send(rs, &b, 200);
}

/* ---- the form --------------------------------------------------------------- */

void samv_h_start(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs)
{
  struct post po;
  enum samv_status st;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  if(post_begin(s, rq, rs, &po, 1, "samverkan/start") != 0)
    return;
  if(po.p.role != AUTH_UNIT) {
    deny(s, rs, &po.p, "samverkan/start", 403,
         "only a unit account fills in its meeting");
    return;
  }
  rc = samv_meeting_open(agg_server_db(s), po.p.unit, po.set, po.year, &st,
                         err);
  if(rc != PR_OK) {
    write_error(s, rs, rc, err);
    return;
  }
  redirect_form(rs, po.type, po.year, NULL, NULL);
}

static void radio(struct dashbuf *b, const char *qid, int k,
                  const char *code, const char *label, int checked)
{
  dashbuf_addf(b, "<label for=\"%s-%d\"><input type=\"radio\" id=\"%s-%d\" "
               "name=\"step\" value=\"%s\"%s> ", qid, k, qid, k, code,
               checked ? " checked" : "");
  dashbuf_html(b, label);
  dashbuf_add(b, "</label>");
}

static void form_people(struct dashbuf *b, const struct samv_meeting *m,
                        const char *csrf, const char *type, int year,
                        int locked)
{
  dashbuf_add(b, "<form method=\"post\" action=\"/samverkan/deltagare\" "
                 "id=\"deltagare\"><fieldset><legend>Deltagare: antal per "
                 "yrke och huvudman (inga namn)</legend><table><thead><tr>"
                 "<th scope=\"col\">Yrke</th>");
  for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
    dashbuf_addf(b, "<th scope=\"col\">%s</th>", samv_employer_names[e]);
  dashbuf_add(b, "</tr></thead><tbody>");
  for(int r = 0; r < SAMV_N_ROLES; r++) {
    dashbuf_addf(b, "<tr><th scope=\"row\">%s</th>", samv_role_names[r]);
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++) {
      if(locked)
        dashbuf_addf(b, "<td>%ld</td>", m->people[r][e]);
      else
        dashbuf_addf(b, "<td><label class=\"sr\" for=\"n-%s-%s\" style=\""
                     "position:absolute;left:-9999px\">%s, %s</label><input "
                     "type=\"number\" min=\"0\" max=\"%d\" id=\"n-%s-%s\" "
                     "name=\"n-%s-%s\" value=\"%ld\"></td>", samv_roles[r],
                     samv_employers[e], samv_role_names[r],
                     samv_employer_names[e], SAMV_MAX_COUNT, samv_roles[r],
                     samv_employers[e], samv_roles[r], samv_employers[e],
                     m->people[r][e]);
    }
    dashbuf_add(b, "</tr>");
  }
  dashbuf_add(b, "</tbody></table>");
  if(!locked) {
    hidden_common(b, csrf, type, year);
    dashbuf_add(b, "<button type=\"submit\">Spara deltagare</button>");
  }
  dashbuf_add(b, "</fieldset></form>");
}

static void form_question(struct dashbuf *b, const struct qset *set, int i,
                          const struct samv_meeting *m, const char *csrf,
                          int year, int locked, int just_saved)
{
  const struct qset_question *x = &set->questions[i];
  const struct qset_scale *sc = qset_question_scale(set, i);
  int answered = m->option[i] >= 0 || m->comment[i];

  dashbuf_addf(b, "<form method=\"post\" action=\"/samverkan/svar\" "
               "id=\"q-%s\" class=\"q\" data-answered=\"%d\"><fieldset>"
               "<legend>%d. ", x->id, answered, i + 1);
  dashbuf_html(b, qset_text(&x->text, "sv"));
  dashbuf_add(b, "</legend>");
  if(locked) {
    if(sc)
      dashbuf_addf(b, "<p>Skattning: <b>%s</b></p>", m->option[i] >= 0
                   ? qset_text(&sc->options[m->option[i]].label, "sv")
                   : "–");
    if(m->comment[i]) {
      dashbuf_add(b, "<p>Kommentar: ");
      dashbuf_html(b, m->comment[i]);
      dashbuf_add(b, "</p>");
    }
    dashbuf_add(b, "</fieldset></form>");
    return;
  }
  if(sc) {
    dashbuf_add(b, "<div class=\"steps\" role=\"radiogroup\">");
    for(int k = 0; k < sc->n_options; k++)
      radio(b, x->id, k, sc->options[k].code,
            qset_text(&sc->options[k].label, "sv"), m->option[i] == k);
    dashbuf_add(b, "</div>");
  }
  if(sc || x->type == QSET_TEXT) {
    dashbuf_addf(b, "<label for=\"c-%s\">%s</label><textarea id=\"c-%s\" "
                 "name=\"comment\" maxlength=\"%d\">", x->id,
                 x->type == QSET_TEXT ? "Svar" : "Kommentar", x->id,
                 SAMV_MAX_COMMENT);
    if(m->comment[i])
      dashbuf_html(b, m->comment[i]);
    dashbuf_add(b, "</textarea>");
  }
  hidden_common(b, csrf, set->id, year);
  hidden(b, "q", x->id);
  dashbuf_addf(b, "<p><button type=\"submit\">Spara</button> %s</p>",
               just_saved ? "<span class=\"saved\" role=\"status\">Sparat"
                            "</span>"
                          : answered ? "<span class=\"muted\">Sparad</span>"
                                     : "");
  dashbuf_add(b, "</fieldset></form>");
}

void samv_h_form(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs)
{
  struct auth_principal p;
  struct types t;
  struct samv_meeting m;
  struct dashbuf b;
  const char *type = agg_req_arg(rq, "type");
  const char *saved = agg_req_arg(rq, "sparad");
  const char *session = agg_req_cookie(rq, AUTH_COOKIE);
  const struct qset *set;
  char err[PR_ERR_LEN] = "", csrf[AUTH_TOKEN_LEN], title[200], detail[160];
  const char *prev = NULL;
  int year, locked, n_answered = 0, first_open = -1;
  enum pr_rc rc;

  if(who(s, rq, rs, &p, 1, 0) != 0 ||
     unit_arg_ok(s, rq, rs, &p, "samverkan/form") != 0)
    return;
  if(p.role != AUTH_UNIT) {
    deny(s, rs, &p, "samverkan/form", 403, "a meeting's answers are shown "
         "only to its own unit");
    return;
  }
  if(parse_year(agg_req_arg(rq, "year"), &year) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "year: 2000..2100");
    return;
  }
  if((rc = meeting_types(s, &t, err)) != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  if(!(set = find_type(&t, type))) {
    agg_resp_error(rs, 404, "unknown_parameter", "no such meeting type");
    return;
  }
  rc = samv_meeting_load(agg_server_db(s), p.unit, set, year, &m, err);
  if(rc == PR_OK && m.status != SAMV_NONE && m.set_version != set->version) {
    /* Started on an earlier version: show that version's questions. */
    const struct qset *old = set_version(s, set->id, m.set_version);
    if(old) {
      set = old;
      samv_meeting_clear(&m);
      rc = samv_meeting_load(agg_server_db(s), p.unit, set, year, &m, err);
    }
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  if(m.status == SAMV_NONE) {
    samv_meeting_clear(&m);
    agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Starta mötet.\n");
    agg_resp_header(rs, "Location", "/samverkan");
    return;
  }
  snprintf(detail, sizeof(detail), "type=%s year=%d unit=%s", set->id, year,
           p.unit);
  if(audit_log(agg_server_db(s), pr_now(), p.name, "samverkan.form", detail,
               NULL) != PR_OK) {
    samv_meeting_clear(&m);
    agg_resp_error(rs, 503, "audit_unavailable", "try again");
    return;
  }
  locked = m.status == SAMV_DONE;
  csrf_of(session ? session : "", csrf);
  for(int i = 0; i < set->n_questions; i++) {
    if(m.option[i] >= 0 || m.comment[i])
      n_answered++;
    else if(first_open < 0)
      first_open = i;
  }
  snprintf(title, sizeof(title), "%s %d", qset_text(&set->title, "sv"), year);
  dashbuf_init(&b);
  page_head(&b, title, &p);
  dashbuf_addf(&b, "<p class=\"%s\" data-status=\"%s\">%s Besvarade: %d av "
               "%d.</p>", locked ? "warn" : "status",
               locked ? "done" : "open",
               locked ? "Mötet är markerat klart och låst. En administratör "
                        "kan öppna det igen."
                      : "Varje fråga sparas när du trycker Spara.",
               n_answered, set->n_questions);
  if(!locked && first_open >= 0)
    dashbuf_addf(&b, "<p class=\"noprint\"><a href=\"#q-%s\">Till första "
                 "obesvarade frågan</a></p>", set->questions[first_open].id);
  if(set->intro.n) {
    dashbuf_add(&b, "<p>");
    dashbuf_html(&b, qset_text(&set->intro, "sv"));
    dashbuf_add(&b, "</p>");
  }
  form_people(&b, &m, csrf, set->id, year, locked);
  for(int i = 0; i < set->n_questions; i++) {
    const char *sec = qset_text(&set->questions[i].section, "sv");
    if(!prev || strcmp(prev, sec) != 0) {
      dashbuf_add(&b, "<h2>");
      dashbuf_html(&b, *sec ? sec : "Frågor");
      dashbuf_add(&b, "</h2>");
      prev = sec;
    }
    form_question(&b, set, i, &m, csrf, year, locked,
                  saved && strcmp(saved, set->questions[i].id) == 0);
  }
  if(!locked) {
    dashbuf_add(&b, "<form method=\"post\" action=\"/samverkan/klar\" "
                    "id=\"klar\"><fieldset><legend>Klar</legend><p>När ni "
                    "gått igenom alla frågor: markera mötet klart. Då låses "
                    "svaren och räknas med i sammanställningen.</p>");
    hidden_common(&b, csrf, set->id, year);
    dashbuf_add(&b, "<button type=\"submit\">Klar – lås svaren</button>"
                    "</fieldset></form>");
  }
  samv_meeting_clear(&m);
  page_send(rs, &b, 200);
}

/* The meeting's set version for a write (a meeting keeps its version). */
static const struct qset *meeting_set(struct agg_server *s,
                                      const struct post *po, char *err,
                                      enum pr_rc *rc)
{
  struct samv_meeting m;
  const struct qset *set = po->set;
  *rc = samv_meeting_load(agg_server_db(s), po->p.unit, set, po->year, &m,
                          err);
  if(*rc == PR_OK && m.status != SAMV_NONE && m.set_version != set->version)
    set = set_version(s, set->id, m.set_version);
  samv_meeting_clear(&m);
  if(*rc == PR_OK && !set) {
    pr_seterr(err, "the meeting's form version is not available");
    *rc = PR_ENOTFOUND;
  }
  return set;
}

void samv_h_answer(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs)
{
  struct post po;
  char qid[QSET_ID_LEN], step[QSET_ID_LEN], err[PR_ERR_LEN] = "";
  char *comment = NULL, extra[80];
  const struct qset *set;
  int qi, opt = -1;
  enum pr_rc rc;

  if(post_begin(s, rq, rs, &po, 1, "samverkan/svar") != 0)
    return;
  if(po.p.role != AUTH_UNIT) {
    deny(s, rs, &po.p, "samverkan/svar", 403,
         "only a unit account fills in its meeting");
    return;
  }
  set = meeting_set(s, &po, err, &rc);
  if(rc != PR_OK) {
    write_error(s, rs, rc, err);
    return;
  }
  if(dash_form_value(po.body, po.len, "q", qid, sizeof(qid)) != 0 ||
     (qi = qset_find_question(set, qid)) < 0) {
    agg_resp_error(rs, 400, "bad_parameter", "q: a question of the form");
    return;
  }
  if(dash_form_value(po.body, po.len, "step", step, sizeof(step)) == 0 &&
     step[0]) {
    opt = qset_option_index(qset_question_scale(set, qi), step);
    if(opt < 0) {
      agg_resp_error(rs, 400, "bad_parameter", "step: one of the scale's "
                     "answers");
      return;
    }
  }
  comment = pr_malloc(SAMV_MAX_COMMENT * 4 + 1);
  if(!comment) {
    agg_resp_error(rs, 500, "internal", "out of memory");
    return;
  }
  /* The browser sends CRLF; a missing field is an empty comment. */
  if(dash_form_value(po.body, po.len, "comment", comment,
                     SAMV_MAX_COMMENT * 4 + 1) != 0)
    comment[0] = '\0';
  {
    size_t o = 0;
    for(size_t k = 0; comment[k]; k++)
      if(comment[k] != '\r')
        comment[o++] = comment[k];
    comment[o] = '\0';
    while(o > 0 && isspace((unsigned char)comment[o - 1]))
      comment[--o] = '\0';
  }
  rc = samv_save_answer(agg_server_db(s), po.p.unit, set, po.year, qi, opt,
                        comment, err);
  pr_free(comment);
  if(rc != PR_OK) {
    write_error(s, rs, rc, err);
    return;
  }
  snprintf(extra, sizeof(extra), "sparad=%s", qid);
  {
    /* Back to the form, at the next question: the keyboard goes on. */
    char anchor[QSET_ID_LEN + 4];
    snprintf(anchor, sizeof(anchor), "q-%s", qi + 1 < set->n_questions
             ? set->questions[qi + 1].id : "klar");
    if(qi + 1 >= set->n_questions)
      pr_strlcpy(anchor, "klar", sizeof(anchor));
    redirect_form(rs, po.type, po.year, extra, anchor);
  }
}

void samv_h_people(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs)
{
  struct post po;
  long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS];
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  if(post_begin(s, rq, rs, &po, 1, "samverkan/deltagare") != 0)
    return;
  if(po.p.role != AUTH_UNIT) {
    deny(s, rs, &po.p, "samverkan/deltagare", 403,
         "only a unit account fills in its meeting");
    return;
  }
  for(int r = 0; r < SAMV_N_ROLES; r++)
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++) {
      char name[48], v[16];
      snprintf(name, sizeof(name), "n-%s-%s", samv_roles[r],
               samv_employers[e]);
      people[r][e] = 0;
      if(dash_form_value(po.body, po.len, name, v, sizeof(v)) == 0 && v[0] &&
         pr_parse_long(v, 0, SAMV_MAX_COUNT, &people[r][e]) != 0) {
        char msg[120];
        snprintf(msg, sizeof(msg), "%s (%s): a count from 0 to %d",
                 samv_role_names[r], samv_employer_names[e], SAMV_MAX_COUNT);
        agg_resp_error(rs, 400, "bad_parameter", msg);
        return;
      }
    }
  rc = samv_save_people(agg_server_db(s), po.p.unit, po.type, po.year, people,
                        err);
  if(rc != PR_OK) {
    write_error(s, rs, rc, err);
    return;
  }
  redirect_form(rs, po.type, po.year, "sparad=deltagare", "deltagare");
}

void samv_h_done(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs)
{
  struct post po;
  char err[PR_ERR_LEN] = "", detail[160];
  enum pr_rc rc;

  if(post_begin(s, rq, rs, &po, 1, "samverkan/klar") != 0)
    return;
  if(po.p.role != AUTH_UNIT) {
    deny(s, rs, &po.p, "samverkan/klar", 403,
         "only a unit account marks its meeting done");
    return;
  }
  rc = samv_set_done(agg_server_db(s), po.p.unit, po.type, po.year, 1, err);
  if(rc != PR_OK) {
    write_error(s, rs, rc, err);
    return;
  }
  snprintf(detail, sizeof(detail), "type=%s year=%d unit=%s", po.type,
           po.year, po.p.unit);
  if(audit_log(agg_server_db(s), pr_now(), po.p.name, "samverkan.done",
               detail, NULL) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=samverkan.done");
  redirect_form(rs, po.type, po.year, NULL, NULL);
}

void samv_h_reopen(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs)
{
  struct post po;
  char unit[AUTH_UNIT_LEN], err[PR_ERR_LEN] = "", detail[160], loc[64];
  enum pr_rc rc;

  if(post_begin(s, rq, rs, &po, 1, "samverkan/oppna") != 0)
    return;
  if(po.p.role != AUTH_ADMIN) {
    deny(s, rs, &po.p, "samverkan/oppna", 403,
         "only an administrator reopens a meeting");
    return;
  }
  if(dash_form_value(po.body, po.len, "unit", unit, sizeof(unit)) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "unit: the meeting's unit");
    return;
  }
  rc = samv_set_done(agg_server_db(s), unit, po.type, po.year, 0, err);
  if(rc != PR_OK) {
    write_error(s, rs, rc, err);
    return;
  }
  snprintf(detail, sizeof(detail), "type=%s year=%d unit=%s", po.type,
           po.year, unit);
  if(audit_log(agg_server_db(s), pr_now(), po.p.name, "samverkan.reopen",
               detail, NULL) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=samverkan.reopen");
  snprintf(loc, sizeof(loc), "/samverkan?year=%d", po.year);
  agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Öppnat.\n");
  agg_resp_header(rs, "Location", loc);
}

/* ---- the compilation -------------------------------------------------------- */

struct comp_req {
  struct auth_principal p;
  struct types t;
  const char *type;           /* "" = every meeting type */
  const char *group;          /* "" = county */
  int year;
  struct samv_comp *comps[MAX_TYPES];
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
  if(who(s, rq, rs, &c->p, page, tok_ok) != 0)
    return -1;
  if(c->p.role == AUTH_UNIT) {
    deny(s, rs, &c->p, what, 403, "the compilation is for region accounts; "
         "results are not shown per unit");
    return -1;
  }
  if(agg_req_arg(rq, "unit")) {
    deny(s, rs, &c->p, what, 400, "unit: results are not shown per unit");
    return -1;
  }
  c->type = agg_req_arg(rq, "type");
  c->group = agg_req_arg(rq, "lansdel");
  if(!c->type)
    c->type = "";
  if(!c->group)
    c->group = "";
  if(parse_year(agg_req_arg(rq, "year"), &c->year) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "year: 2000..2100");
    return -1;
  }
  if((rc = meeting_types(s, &c->t, err)) != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return -1;
  }
  if(*c->type && !find_type(&c->t, c->type)) {
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
  page_head(&b, "Samverkansuppföljning – sammanställning", &c.p);
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
  page_send(rs, &b, 200);
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
