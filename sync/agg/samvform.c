/* samvform.c — This file contains the collaboration follow-up's meeting
 * form (samvweb.h): start, the form page, saving one answer or the
 * participant counts per POST, Klar and an admin's reopening.  Every POST
 * needs the session, a same-origin request, the session's CSRF value and
 * the right role; a unit writes only its own unit's meeting (taken from
 * the session, never from the request). */
#include "samvweb.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "dashroutes.h"
#include "samv.h"
#include "samvweb_int.h"

/* ---- POST plumbing ------------------------------------------------------------ */

struct post {
  struct auth_principal p;
  const char *body;
  size_t len;
  char type[QSET_ID_LEN];
  int year;
  const struct qset *set;     /* the current version of type */
  struct samvweb_types types;
};

/* Session, same origin, CSRF, and (need_type) a known meeting type and
 * year.  0, or -1 after answering. */
static int post_begin(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs, struct post *po, int need_type,
                      enum auth_role role, const char *route)
{
  char csrf[AUTH_TOKEN_LEN + 1], want[AUTH_TOKEN_LEN], year[16];
  const char *session = agg_req_cookie(rq, AUTH_COOKIE);
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  memset(po, 0, sizeof(*po));
  if(samvweb_who(s, rq, rs, &po->p, 1, 0) != 0)
    return -1;
  po->body = agg_req_body(rq, &po->len);
  if(!session || !dash_same_origin(rq) || !po->body ||
     dash_form_value(po->body, po->len, "csrf", csrf, sizeof(csrf)) != 0) {
    samvweb_deny(s, rs, &po->p, route, 403, "the form had expired; reload the page");
    return -1;
  }
  samvweb_csrf_of(session, want);
  if(!auth_equal(csrf, want)) {
    samvweb_deny(s, rs, &po->p, route, 403, "the form had expired; reload the page");
    return -1;
  }
  if(po->p.role != role) {
    samvweb_deny(s, rs, &po->p, route, 403, role == AUTH_UNIT
         ? "only the unit's own account fills in its meeting"
         : "only an administrator reopens a meeting");
    return -1;
  }
  if(!need_type)
    return 0;
  if(dash_form_value(po->body, po->len, "type", po->type,
                     sizeof(po->type)) != 0 ||
     dash_form_value(po->body, po->len, "year", year, sizeof(year)) != 0 ||
     samvweb_parse_year(year, &po->year) != 0) {
    agg_resp_error(rs, 400, "bad_parameter", "type and year are needed");
    return -1;
  }
  rc = samvweb_meeting_types(s, &po->types, err);
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return -1;
  }
  po->set = samvweb_find_type(&po->types, po->type);
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

/* ---- the form --------------------------------------------------------------- */

void samv_h_start(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs)
{
  struct post po;
  enum samv_status st;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  if(post_begin(s, rq, rs, &po, 1, AUTH_UNIT, "samverkan/start") != 0)
    return;
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
    samvweb_hidden_common(b, csrf, type, year);
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
                 SAMV_COMMENT_CHARS);
    if(m->comment[i])
      dashbuf_html(b, m->comment[i]);
    dashbuf_add(b, "</textarea>");
  }
  samvweb_hidden_common(b, csrf, set->id, year);
  samvweb_hidden(b, "q", x->id);
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
  struct samvweb_types t;
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

  if(samvweb_who(s, rq, rs, &p, 1, 0) != 0 ||
     samvweb_unit_arg_ok(s, rq, rs, &p, "samverkan/form") != 0)
    return;
  if(p.role != AUTH_UNIT) {
    samvweb_deny(s, rs, &p, "samverkan/form", 403, "a meeting's answers are shown "
         "only to its own unit");
    return;
  }
  if(samvweb_year_and_types(s, rq, rs, &year, &t) != 0)
    return;
  if(!(set = samvweb_find_type(&t, type))) {
    agg_resp_error(rs, 404, "unknown_parameter", "no such meeting type");
    return;
  }
  rc = samv_meeting_load(agg_server_db(s), p.unit, set, year, &m, err);
  if(rc == PR_OK && m.status != SAMV_NONE && m.set_version != set->version) {
    /* Started on an earlier version: show that version's questions. */
    const struct qset *old = samvweb_set_version(s, set->id, m.set_version);
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
  samvweb_csrf_of(session ? session : "", csrf);
  for(int i = 0; i < set->n_questions; i++) {
    if(m.option[i] >= 0 || m.comment[i])
      n_answered++;
    else if(first_open < 0)
      first_open = i;
  }
  snprintf(title, sizeof(title), "%s %d", qset_text(&set->title, "sv"), year);
  dashbuf_init(&b);
  samvweb_page_head(&b, title, &p);
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
    samvweb_hidden_common(&b, csrf, set->id, year);
    dashbuf_add(&b, "<button type=\"submit\">Klar – lås svaren</button>"
                    "</fieldset></form>");
  }
  samv_meeting_clear(&m);
  samvweb_page_send(rs, &b, 200);
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
    set = samvweb_set_version(s, set->id, m.set_version);
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

  if(post_begin(s, rq, rs, &po, 1, AUTH_UNIT, "samverkan/svar") != 0)
    return;
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
  comment = pr_malloc(SAMV_MAX_COMMENT + 1);
  if(!comment) {
    agg_resp_error(rs, 500, "internal", "out of memory");
    return;
  }
  /* A missing field is an empty comment; one that is there but cannot be
   * read (too long, malformed) is refused, never saved as empty. */
  if(dash_form_value(po.body, po.len, "comment", comment,
                     SAMV_MAX_COMMENT + 1) != 0) {
    if(strncmp(po.body, "comment=", 8) == 0 || strstr(po.body, "&comment=")) {
      pr_free(comment);
      agg_resp_error(rs, 400, "bad_parameter", "comment: too long (at most "
                     "2000 characters) or not readable; nothing was saved");
      return;
    }
    comment[0] = '\0';
  }
  /* The browser sends CRLF line ends. */
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

  if(post_begin(s, rq, rs, &po, 1, AUTH_UNIT, "samverkan/deltagare") != 0)
    return;
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

  if(post_begin(s, rq, rs, &po, 1, AUTH_UNIT, "samverkan/klar") != 0)
    return;
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

  if(post_begin(s, rq, rs, &po, 1, AUTH_ADMIN, "samverkan/oppna") != 0)
    return;
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

