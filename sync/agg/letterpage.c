/* letterpage.c — This file contains the recipients page (letterpage.h).
 * Post/redirect/get: a successful change answers 303 to the page, a
 * refused one renders the page again with the reason. */
#include "letterpage.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "dash.h"
#include "dashbuf.h"
#include "dashroutes.h"
#include "indicq.h"
#include "letterdb.h"

#define PAGE "/admin/recipients"

struct outbox_ctx {
  struct dashbuf *b;
};

static int outbox_row(void *ctx, const struct letterdb_msg *m)
{
  struct dashbuf *b = ((struct outbox_ctx *)ctx)->b;
  char when[40] = "-";
  time_t t = (time_t)(m->sent_at ? m->sent_at : m->next_at);
  struct tm tm;
  if(gmtime_r(&t, &tm))
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
  dashbuf_add(b, "<tr><td>");
  dashbuf_html(b, m->state);
  dashbuf_addf(b, "</td><td>%s</td><td>%ld</td><td>", when, m->attempts);
  dashbuf_html(b, m->recipient);
  dashbuf_add(b, "</td><td>");
  dashbuf_html(b, m->subject);
  dashbuf_add(b, "</td><td>");
  dashbuf_html(b, m->last_error);
  dashbuf_add(b, "</td></tr>");
  return 0;
}

static void hidden(struct dashbuf *b, const char *name, const char *val)
{
  dashbuf_addf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
  dashbuf_html(b, val);
  dashbuf_add(b, "\">");
}

/* The page into b; msg (may be NULL) shown above. */
static enum pr_rc render(struct aggdb *db, const char *csrf, const char *msg,
                         struct dashbuf *b, char *err)
{
  struct letterdb_recipient *v = NULL;
  char (*units)[INDIC_UNIT_LEN] = NULL;
  struct outbox_ctx oc = { b };
  int n = 0, nu = 0, i;
  enum pr_rc rc;

  if((rc = letterdb_recipients(db, &v, &n, err)) != PR_OK ||
     (rc = indicq_units(db, &units, &nu, err)) != PR_OK)
    goto out;
  dash_head(b, "Mottagare av månadsbrev och larm – Patientröst");
  dashbuf_add(b, "<header><h1>Patientröst – mottagare av månadsbrev och "
                 "larm</h1><a href=\"/dashboard\" style=\"color:#fff\">"
                 "Till resultaten</a></header><main>");
  if(msg && *msg) {
    dashbuf_add(b, "<p class=\"low\" id=\"msg\" role=\"alert\">");
    dashbuf_html(b, msg);
    dashbuf_add(b, "</p>");
  }
  dashbuf_add(b, "<section class=\"card\"><h2>Mottagare</h2><table "
                 "id=\"recipients\"><thead><tr><th>Enhet</th><th>Roll</th>"
                 "<th>E-post</th><th></th></tr></thead><tbody>");
  for(i = 0; i < n; i++) {
    dashbuf_add(b, "<tr data-unit=\"");
    dashbuf_html(b, v[i].unit);
    dashbuf_add(b, "\" data-email=\"");
    dashbuf_html(b, v[i].email);
    dashbuf_add(b, "\"><td>");
    dashbuf_html(b, v[i].unit[0] ? v[i].unit : "Hela regionen");
    dashbuf_add(b, "</td><td>");
    dashbuf_html(b, v[i].role);
    dashbuf_add(b, "</td><td>");
    dashbuf_html(b, v[i].email);
    dashbuf_add(b, "</td><td><form method=\"post\" action=\"" PAGE "\">");
    hidden(b, "csrf", csrf);
    hidden(b, "action", "remove");
    hidden(b, "unit", v[i].unit);
    hidden(b, "email", v[i].email);
    dashbuf_add(b, "<button type=\"submit\">Ta bort</button></form></td>"
                   "</tr>");
  }
  if(n == 0)
    dashbuf_add(b, "<tr><td colspan=\"4\">Inga mottagare ännu.</td></tr>");
  dashbuf_add(b, "</tbody></table></section><section class=\"card\"><h2>"
                 "Lägg till</h2><form method=\"post\" action=\"" PAGE "\" "
                 "class=\"filter\" id=\"add\">");
  hidden(b, "csrf", csrf);
  hidden(b, "action", "add");
  dashbuf_add(b, "<label>Enhet<select name=\"unit\" id=\"unit\"><option "
                 "value=\"\">Hela regionen</option>");
  for(i = 0; i < nu; i++) {
    dashbuf_add(b, "<option value=\"");
    dashbuf_html(b, units[i]);
    dashbuf_add(b, "\">");
    dashbuf_html(b, units[i]);
    dashbuf_add(b, "</option>");
  }
  dashbuf_add(b, "</select></label><label>Roll<select name=\"role\" "
                 "id=\"role\"><option value=\"kvalitet\">Kvalitetsansvarig"
                 "</option><option value=\"verksamhetschef\">Verksamhetschef"
                 "</option><option value=\"region\">Regionen (hela "
                 "regionen)</option></select></label><label>E-post<input "
                 "type=\"email\" name=\"email\" id=\"email\" required "
                 "maxlength=\"127\"></label><button type=\"submit\">Lägg "
                 "till</button></form><p><small>En enhet får sitt eget "
                 "månadsbrev och sina larm; regionens mottagare får alla "
                 "enheter sida vid sida och alla larm.</small></p></section>"
                 "<section class=\"card\"><h2>Utkorgen (senaste 30)</h2>"
                 "<table id=\"outbox\"><thead><tr><th>Läge</th><th>Tid "
                 "(UTC)</th><th>Försök</th><th>Till</th><th>Ämne</th>"
                 "<th>Fel</th></tr></thead><tbody>");
  if((rc = letterdb_list(db, 30, outbox_row, &oc, err)) != PR_OK)
    goto out;
  dashbuf_add(b, "</tbody></table></section></main></body></html>\n");
  rc = dashbuf_status(b);
out:
  pr_free(v);
  pr_free(units);
  return rc;
}

static void page(struct agg_server *s, struct agg_resp *rs, int status,
                 const char *msg)
{
  char csrf[AUTH_TOKEN_LEN], err[PR_ERR_LEN] = "";
  struct dashbuf b;
  enum pr_rc rc;
  char *body;
  size_t len;

  auth_random_hex(csrf);
  dashbuf_init(&b);
  rc = render(agg_server_db(s), csrf, msg, &b, err);
  if(rc != PR_OK || !(body = dashbuf_take(&b, &len))) {
    dashbuf_free(&b);
    agg_resp_db_error(s, rs, rc == PR_OK ? PR_ENOMEM : rc);
    return;
  }
  dash_send_form(rs, status, body, len, csrf);
}

/* 1 when the form body has a field `name` (even one that does not
 * decode), so a bad unit is never taken for "the whole region". */
static int has_field(const char *body, size_t len, const char *name)
{
  size_t nl = strlen(name), i = 0;
  while(i < len) {
    if(len - i > nl && !strncmp(body + i, name, nl) && body[i + nl] == '=')
      return 1;
    while(i < len && body[i] != '&')
      i++;
    i++;
  }
  return 0;
}

/* 0 when p is a signed-in admin (session); else the answer is given. */
static int admin_only(struct agg_server *s, struct agg_req *rq,
                      struct agg_resp *rs, struct auth_principal *p)
{
  if(dash_whoami(s, rq, p) != 0 || p->via_token) {
    agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Logga in.\n");
    agg_resp_header(rs, "Location", "/login");
    return -1;
  }
  if(p->role != AUTH_ADMIN) {
    if(audit_log(agg_server_db(s), pr_now(), p->name, "denied",
                 "route=" PAGE, NULL) != PR_OK)
      pr_log(PR_LOG_ERROR, "audit_failed", "what=denied");
    agg_resp_error(rs, 403, "forbidden", "only an admin manages recipients");
    return -1;
  }
  return 0;
}

void letterpage_h_form(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs)
{
  struct auth_principal p;
  if(admin_only(s, rq, rs, &p) == 0)
    page(s, rs, 200, NULL);
}

void letterpage_h_post(struct agg_server *s, struct agg_req *rq,
                       struct agg_resp *rs)
{
  struct auth_principal p;
  char csrf[AUTH_TOKEN_LEN + 1], action[16], unit[INDIC_UNIT_LEN];
  char email[LETTERDB_EMAIL_LEN], role[24], err[PR_ERR_LEN] = "";
  char detail[300], msg[PR_ERR_LEN + 40];
  const char *ccsrf = agg_req_cookie(rq, AUTH_CSRF_COOKIE), *body;
  size_t len;
  enum pr_rc rc;
  int add;

  if(!dash_same_origin(rq)) {
    agg_resp_error(rs, 403, "forbidden", "cross-site request refused");
    return;
  }
  if(admin_only(s, rq, rs, &p) != 0)
    return;
  body = agg_req_body(rq, &len);
  if(!ccsrf || !body ||
     dash_form_value(body, len, "csrf", csrf, sizeof(csrf)) != 0 ||
     !auth_equal(csrf, ccsrf)) {
    page(s, rs, 403, "Sidan hade gått ut. Försök igen.");
    return;
  }
  unit[0] = role[0] = email[0] = '\0';
  if(dash_form_value(body, len, "action", action, sizeof(action)) != 0 ||
     (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0) ||
     dash_form_value(body, len, "email", email, sizeof(email)) != 0) {
    page(s, rs, 400, "Formuläret var ofullständigt.");
    return;
  }
  if(dash_form_value(body, len, "unit", unit, sizeof(unit)) != 0) {
    if(has_field(body, len, "unit")) {
      page(s, rs, 400, "Enheten är ogiltig.");
      return;
    }
    unit[0] = '\0';                  /* no unit: the region */
  }
  add = !strcmp(action, "add");
  if(add && dash_form_value(body, len, "role", role, sizeof(role)) != 0) {
    page(s, rs, 400, "Välj en roll.");
    return;
  }
  /* A region-wide recipient has the role "region" whatever was picked;
   * a unit cannot have it. */
  if(add && !unit[0])
    pr_strlcpy(role, "region", sizeof(role));
  rc = add ? letterdb_recipient_add(agg_server_db(s), unit, email, role, err)
           : letterdb_recipient_remove(agg_server_db(s), unit, email, err);
  if(rc == PR_EINVAL || rc == PR_ENOTFOUND) {
    snprintf(msg, sizeof(msg), "Inte sparat: %s", err);
    page(s, rs, 400, msg);
    return;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  snprintf(detail, sizeof(detail), "unit=%s email=%s role=%s", unit, email,
           role);
  if(audit_log(agg_server_db(s), pr_now(), p.name,
               add ? "recipient-add" : "recipient-remove", detail, NULL) !=
     PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=recipient");
  agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Sparat.\n");
  agg_resp_header(rs, "Location", PAGE);
  agg_resp_header(rs, "Cache-Control", "no-store");
}
