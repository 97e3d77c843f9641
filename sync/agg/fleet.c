/* This file contains the fleet view (fleet.h): the kiosks' status reports,
 * the page "Kiosker" and its CSV for region and admin readers (a unit
 * reader gets 403: the page lists every unit), and the /metrics gauges.
 * A report holds versions and counts only; its time is kept to the hour
 * like a device's last contact (aggdev.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agghandlers.h"
#include "audit.h"
#include "auth.h"
#include "csvout.h"
#include "dashbuf.h"
#include "fleet.h"

static const struct aggdb_step fleet_steps[] = {
  {1,
   "CREATE TABLE IF NOT EXISTS device_status ("
   " device_id TEXT PRIMARY KEY, software TEXT NOT NULL,"
   " sets TEXT NOT NULL, queue BIGINT NOT NULL,"
   " reported_at BIGINT NOT NULL);",
   NULL, NULL},
};

enum pr_rc fleet_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "fleet", fleet_steps,
                       (int)PR_ARRAY_LEN(fleet_steps), err);
}

/* Version text: 1..39 of [A-Za-z0-9.+~_-] (Debian versions fit). */
static int valid_software(const char *s)
{
  size_t n = s ? strlen(s) : 0;

  if(n == 0 || n >= FLEET_SOFTWARE_LEN)
    return 0;
  for(; *s; s++)
    if(!isalnum((unsigned char)*s) && !strchr(".+~_-", *s))
      return 0;
  return 1;
}

static int valid_set_id(const char *s)
{
  size_t n = s ? strlen(s) : 0;

  if(n == 0 || n > 48)
    return 0;
  for(; *s; s++)
    if(!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
      return 0;
  return 1;
}

enum pr_rc fleet_decode(const char *body, size_t len,
                        char software[FLEET_SOFTWARE_LEN],
                        char sets_out[FLEET_SETS_LEN], long long *queue,
                        char *err)
{
  json_error_t je;
  json_t *j, *sets, *q, *sw;
  struct dashbuf b;
  enum pr_rc rc = PR_EINVAL;
  size_t i;

  software[0] = sets_out[0] = '\0';
  *queue = 0;
  dashbuf_init(&b);
  j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  if(!j || !json_is_object(j)) {
    pr_seterr(err, "status: body is not a JSON object");
    goto out;
  }
  sw = json_object_get(j, "software");
  q = json_object_get(j, "queue");
  sets = json_object_get(j, "sets");
  if(!valid_software(json_string_value(sw))) {
    pr_seterr(err, "status: \"software\" must be a version string");
    goto out;
  }
  if(!json_is_integer(q) || json_integer_value(q) < 0 ||
     json_integer_value(q) > 100000000) {
    pr_seterr(err, "status: \"queue\" must be a count");
    goto out;
  }
  if(!json_is_array(sets) || json_array_size(sets) > FLEET_MAX_SETS) {
    pr_seterr(err, "status: \"sets\" must be a list of at most %d sets",
              FLEET_MAX_SETS);
    goto out;
  }
  for(i = 0; i < json_array_size(sets); i++) {
    json_t *e = json_array_get(sets, i);
    const char *id = json_string_value(json_object_get(e, "id"));
    json_t *v = json_object_get(e, "version");
    if(!valid_set_id(id) || !json_is_integer(v) ||
       json_integer_value(v) < 1 || json_integer_value(v) > 1000000) {
      pr_seterr(err, "status: sets[%zu] needs \"id\" and \"version\"", i);
      goto out;
    }
    dashbuf_addf(&b, "%s%s v%lld", i ? ", " : "", id,
                 (long long)json_integer_value(v));
  }
  /* 32 sets of at most 48 + 10 bytes fit; the cap is only a guard */
  if(dashbuf_status(&b) != PR_OK || (b.len && pr_strlcpy(sets_out, b.p,
                                                        FLEET_SETS_LEN))) {
    pr_seterr(err, "status: the list of sets is too long");
    goto out;
  }
  pr_strlcpy(software, json_string_value(sw), FLEET_SOFTWARE_LEN);
  *queue = json_integer_value(q);
  rc = PR_OK;
out:
  dashbuf_free(&b);
  json_decref(j);
  return rc;
}

enum pr_rc fleet_report(struct aggdb *db, const char *device_id,
                        const char *body, size_t len, long long now,
                        char *err)
{
  char software[FLEET_SOFTWARE_LEN], sets[FLEET_SETS_LEN];
  long long queue;
  struct aggdb_param p[5];
  enum pr_rc rc;

  rc = fleet_decode(body, len, software, sets, &queue, err);
  if(rc != PR_OK)
    return rc;
  p[0] = AGGDB_TEXT(device_id);
  p[1] = AGGDB_TEXT(software);
  p[2] = AGGDB_TEXT(sets);
  p[3] = AGGDB_INT(queue);
  p[4] = AGGDB_INT(aggdev_seen_grain(now));
  return aggdb_exec1(db, "INSERT INTO device_status (device_id, software, "
                     "sets, queue, reported_at) VALUES ($1, $2, $3, $4, $5) "
                     "ON CONFLICT (device_id) DO UPDATE SET software = "
                     "excluded.software, sets = excluded.sets, queue = "
                     "excluded.queue, reported_at = excluded.reported_at",
                     p, 5, NULL, err);
}

struct row_list {
  struct fleet_row *v;
  int n, cap, oom;
};

static long long ll(const char *v, int nul, long long dflt)
{
  return nul ? dflt : strtoll(v, NULL, 10);
}

static int list_row(void *ctx, int ncol, const char *const *v, const int *nul)
{
  struct row_list *l = ctx;
  struct fleet_row *r;

  if(ncol < 10)
    return 1;
  if(PR_GROW(l->v, l->n, l->cap, 16) != 0) {
    l->oom = 1;
    return 1;
  }
  r = &l->v[l->n++];
  memset(r, 0, sizeof(*r));
  pr_strlcpy(r->dev.id, nul[0] ? "" : v[0], sizeof(r->dev.id));
  pr_strlcpy(r->dev.unit, nul[1] ? "" : v[1], sizeof(r->dev.unit));
  pr_strlcpy(r->dev.name, nul[2] ? "" : v[2], sizeof(r->dev.name));
  r->dev.created_at = ll(v[3], nul[3], 0);
  r->dev.revoked_at = ll(v[4], nul[4], 0);
  r->dev.last_sync = ll(v[5], nul[5], 0);
  pr_strlcpy(r->software, nul[6] ? "" : v[6], sizeof(r->software));
  pr_strlcpy(r->sets, nul[7] ? "" : v[7], sizeof(r->sets));
  r->queue = ll(v[8], nul[8], -1);
  r->reported_at = ll(v[9], nul[9], 0);
  return 0;
}

/* key: 0 contact, 1 unit, 2 name, 3 software, 4 queue; sign 1 / -1. */
struct sort_by { int key, sign; };

static int cmp_rows(const void *a, const void *b, void *ctx)
{
  const struct fleet_row *x = a, *y = b;
  const struct sort_by *by = ctx;
  int c = 0;

  switch(by->key) {
  case 1: c = strcmp(x->dev.unit, y->dev.unit); break;
  case 2: c = strcmp(x->dev.name, y->dev.name); break;
  case 3: c = strcmp(x->software, y->software); break;
  case 4: c = (x->queue > y->queue) - (x->queue < y->queue); break;
  default:
    c = (x->dev.last_sync > y->dev.last_sync) -
        (x->dev.last_sync < y->dev.last_sync);
  }
  if(c == 0)
    c = strcmp(x->dev.id, y->dev.id);
  return by->sign * c;
}

static int parse_key(const char *key, int *sign)
{
  static const char *const keys[] = { "contact", "unit", "name", "software",
                                      "queue" };
  size_t i;

  *sign = 1;
  if(!key)
    return 0;
  if(*key == '-') {
    *sign = -1;
    key++;
  }
  for(i = 0; i < PR_ARRAY_LEN(keys); i++)
    if(!strcmp(key, keys[i]))
      return (int)i;
  *sign = 1;
  return 0;
}

enum pr_rc fleet_list(struct aggdb *db, const char *key,
                      struct fleet_row **out, int *n, char *err)
{
  struct row_list l = { NULL, 0, 0, 0 };
  struct sort_by by;
  enum pr_rc rc;

  by.key = parse_key(key, &by.sign);

  *out = NULL;
  *n = 0;
  rc = aggdb_query1(db, "SELECT d.id, d.unit, d.name, d.created_at, "
                    "d.revoked_at, d.last_sync, s.software, s.sets, s.queue, "
                    "s.reported_at FROM devices d LEFT JOIN device_status s "
                    "ON s.device_id = d.id", NULL, 0, list_row, &l, err);
  if(rc == PR_OK && l.oom)
    rc = PR_ENOMEM;
  if(rc != PR_OK) {
    pr_free(l.v);
    return rc;
  }
  if(l.n > 1)
    qsort_r(l.v, (size_t)l.n, sizeof(*l.v), cmp_rows, &by);
  *out = l.v;
  *n = l.n;
  return PR_OK;
}

int fleet_stale(const struct fleet_row *r, long long now, long stale_days)
{
  return !r->dev.revoked_at &&
         (!r->dev.last_sync || now - r->dev.last_sync > stale_days * 86400);
}

static int label_safe(const char *s)
{
  for(; *s; s++)
    if(*s == '"' || *s == '\\' || *s == '\n')
      return 0;
  return 1;
}

enum pr_rc fleet_metrics(struct aggdb *db, char **text, char *err)
{
  struct fleet_row *v = NULL;
  struct dashbuf b;
  size_t len;
  int n = 0, i;
  enum pr_rc rc;

  *text = NULL;
  rc = fleet_list(db, "unit", &v, &n, err);
  if(rc != PR_OK)
    return rc;
  dashbuf_init(&b);
  dashbuf_add(&b, "# HELP rost_agg_device_queue Responses waiting in the "
              "kiosk's queue at its last report.\n"
              "# TYPE rost_agg_device_queue gauge\n");
  for(i = 0; i < n; i++)
    if(!v[i].dev.revoked_at && v[i].queue >= 0 && label_safe(v[i].dev.unit))
      dashbuf_addf(&b, "rost_agg_device_queue{device=\"%s\",unit=\"%s\"} "
                   "%lld\n", v[i].dev.id, v[i].dev.unit, v[i].queue);
  dashbuf_add(&b, "# HELP rost_agg_device_info Software version the kiosk "
              "reported (value 1).\n# TYPE rost_agg_device_info gauge\n");
  for(i = 0; i < n; i++)
    if(!v[i].dev.revoked_at && v[i].software[0] &&
       label_safe(v[i].dev.unit))
      dashbuf_addf(&b, "rost_agg_device_info{device=\"%s\",unit=\"%s\","
                   "software=\"%s\"} 1\n", v[i].dev.id, v[i].dev.unit,
                   v[i].software);
  dashbuf_add(&b, "# HELP rost_agg_device_set_version Question-set versions "
              "the kiosk holds (one series per set and version).\n"
              "# TYPE rost_agg_device_set_version gauge\n");
  for(i = 0; i < n; i++) {
    char sets[FLEET_SETS_LEN], *tok, *next;
    if(v[i].dev.revoked_at || !label_safe(v[i].dev.unit))
      continue;
    pr_strlcpy(sets, v[i].sets, sizeof(sets));
    /* "id v3, id2 v1" as fleet_report wrote it */
    for(tok = sets; tok && *tok; tok = next) {
      long ver = 0;
      char *sp;
      next = strchr(tok, ',');
      if(next)
        *next++ = '\0';
      while(*tok == ' ')
        tok++;
      sp = strstr(tok, " v");
      if(!sp || pr_parse_long(sp + 2, 1, 1000000, &ver) != 0)
        continue;
      *sp = '\0';
      dashbuf_addf(&b, "rost_agg_device_set_version{device=\"%s\",unit=\"%s\""
                   ",set=\"%s\"} %ld\n", v[i].dev.id, v[i].dev.unit, tok,
                   ver);
    }
  }
  pr_free(v);
  if(dashbuf_status(&b) != PR_OK) {
    dashbuf_free(&b);
    return PR_ENOMEM;
  }
  *text = dashbuf_take(&b, &len);
  return *text ? PR_OK : PR_ENOMEM;
}

/* ---- HTTP --------------------------------------------------------------- */

void fleet_h_status(struct agg_server *s, struct agg_req *rq,
                    struct agg_resp *rs)
{
  size_t len;
  const char *body = agg_req_body(rq, &len);
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  rc = fleet_report(agg_server_db(s), agg_req_device_id(rq), body, len,
                    pr_now(), err);
  if(rc == PR_EINVAL) {
    agg_resp_error(rs, 400, "bad_status", err);
    return;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  agg_device_seen(s, rq);
  agg_resp_json(rs, 200, json_pack("{s:b}", "ok", 1));
}

static long stale_days(struct agg_server *s)
{
  const char *v = aggconf_get(agg_server_conf(s), "stale_days");
  long d = 2;

  if(v && pr_parse_long(v, 0, 3650, &d) != 0)
    d = 2;
  return d;
}

/* Who may see the fleet: 0 with *p filled; else the status answered
 * (401/303 not signed in, 403 a unit reader, 503 audit down). */
static int fleet_access(struct agg_server *s, struct agg_req *rq,
                        struct agg_resp *rs, struct auth_principal *p,
                        int page, const char *what)
{
  const char *h = agg_req_header(rq, "Authorization");
  const char *cookie = agg_req_cookie(rq, AUTH_COOKIE);
  struct aggdb *db = agg_server_db(s);
  int ok = 0;

  if(h && !strncmp(h, "Bearer ", 7))
    ok = auth_token_check(db, h + 7, p, NULL) == PR_OK;
  else if(cookie)
    ok = auth_session(db, cookie, pr_now(), p, NULL) == PR_OK;
  if(!ok) {
    if(page) {
      agg_resp_text(rs, 303, "text/plain; charset=utf-8", "Logga in.\n");
      agg_resp_header(rs, "Location", "/login");
      return 303;
    }
    agg_resp_error(rs, 401, "unauthorized",
                   "sign in or send Authorization: Bearer <API token>");
    return 401;
  }
  if(p->role == AUTH_UNIT) {
    if(audit_log(db, pr_now(), p->name, "denied", "route=kiosker", NULL) !=
       PR_OK)
      pr_log(PR_LOG_ERROR, "audit_failed", "what=denied");
    agg_resp_error(rs, 403, "forbidden", "the fleet page is for region and "
                   "admin accounts");
    return 403;
  }
  if(audit_log(db, pr_now(), p->name, what, "", NULL) != PR_OK) {
    agg_resp_error(rs, 503, "audit_unavailable",
                   "the pull could not be logged; try again");
    agg_resp_header(rs, "Retry-After", "5");
    return 503;
  }
  return 0;
}

static void fmt_hour(long long t, char *out, size_t cap)
{
  time_t tt = (time_t)t;
  struct tm tm;

  if(!t || !gmtime_r(&tt, &tm)) {
    pr_strlcpy(out, "aldrig", cap);
    return;
  }
  strftime(out, cap, "%Y-%m-%d %H:00 UTC", &tm);
}

static const char *state_text(const struct fleet_row *r, long long now,
                              long days)
{
  if(r->dev.revoked_at)
    return "spärrad";
  if(!r->dev.last_sync)
    return "aldrig synkad";
  return fleet_stale(r, now, days) ? "EJ SYNKAD" : "ok";
}

static void sort_link(struct dashbuf *b, const char *cur, const char *key,
                      const char *label)
{
  int desc = cur && cur[0] == '-' && !strcmp(cur + 1, key);
  int asc = cur ? !strcmp(cur, key) : !strcmp(key, "contact");

  dashbuf_addf(b, "<th><a id=\"sort-%s\" href=\"/dashboard/kiosker?sort=%s%s"
               "\">", key, asc ? "-" : "", key);
  dashbuf_html(b, label);
  dashbuf_add(b, asc ? " ▲" : desc ? " ▼" : "");
  dashbuf_add(b, "</a></th>");
}

void fleet_h_page(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs)
{
  struct auth_principal p;
  struct fleet_row *v = NULL;
  struct dashbuf b;
  const char *sort = agg_req_arg(rq, "sort");
  char err[PR_ERR_LEN] = "", when[40];
  long days = stale_days(s);
  long long now = pr_now();
  int n = 0, i, n_stale = 0, sign;
  size_t len;
  enum pr_rc rc;
  char *body;

  if(fleet_access(s, rq, rs, &p, 1, "kiosker") != 0)
    return;
  if(sort && parse_key(sort, &sign) == 0 && strcmp(sort, "contact") &&
     strcmp(sort, "-contact"))
    sort = NULL;
  rc = fleet_list(agg_server_db(s), sort, &v, &n, err);
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  for(i = 0; i < n; i++)
    n_stale += fleet_stale(&v[i], now, days);
  dashbuf_init(&b);
  dashbuf_add(&b, "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset="
              "\"utf-8\"><meta name=\"viewport\" content=\"width=device-width"
              "\"><title>Patientröst – kiosker</title><style>"
              "body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;"
              "margin:1rem 2rem;color:#111}table{border-collapse:collapse;"
              "width:100%}th,td{border-bottom:1px solid #bbb;padding:.4rem;"
              "text-align:left;vertical-align:top}th a{color:#003366}"
              "td.num{text-align:right}tr.stale td{background:#fde8e8}"
              "tr.stale td.state{color:#8b0000;font-weight:bold}"
              "tr.revoked td{color:#666}.links a{margin-right:1rem}"
              "</style></head><body>\n<header><h1>Kiosker</h1><p>");
  dashbuf_html(&b, p.name);
  dashbuf_addf(&b, " · %d kiosker, <strong id=\"stale-count\">%d</strong> "
               "ej synkade på mer än %ld dygn.</p><p class=\"links\">"
               "<a href=\"/dashboard\">Till resultaten</a><a id=\"csv\" "
               "href=\"/dashboard/kiosker.csv?sort=", n, n_stale, days);
  dashbuf_html(&b, sort ? sort : "contact");
  dashbuf_add(&b, "\">Ladda ner CSV</a></p></header>\n<main><table "
              "id=\"kiosker\"><thead><tr>");
  sort_link(&b, sort, "unit", "Vårdenhet (HSA)");
  sort_link(&b, sort, "name", "Namn");
  sort_link(&b, sort, "software", "Programversion");
  dashbuf_add(&b, "<th>Frågeformulär</th>");
  sort_link(&b, sort, "queue", "I kö");
  sort_link(&b, sort, "contact", "Senaste kontakt");
  dashbuf_add(&b, "<th>Status</th></tr></thead><tbody>\n");
  for(i = 0; i < n; i++) {
    const struct fleet_row *r = &v[i];
    int st = fleet_stale(r, now, days);
    fmt_hour(r->dev.last_sync, when, sizeof(when));
    dashbuf_addf(&b, "<tr data-device=\"%s\"%s><td class=\"unit\">",
                 r->dev.id, r->dev.revoked_at ? " class=\"revoked\""
                            : st ? " class=\"stale\"" : "");
    dashbuf_html(&b, r->dev.unit);
    dashbuf_add(&b, "</td><td class=\"name\">");
    dashbuf_html(&b, r->dev.name);
    dashbuf_add(&b, "</td><td class=\"software\">");
    dashbuf_html(&b, r->software[0] ? r->software : "–");
    dashbuf_add(&b, "</td><td class=\"sets\">");
    dashbuf_html(&b, r->sets[0] ? r->sets : "–");
    if(r->queue >= 0)
      dashbuf_addf(&b, "</td><td class=\"num queue\">%lld", r->queue);
    else
      dashbuf_add(&b, "</td><td class=\"num queue\">–");
    dashbuf_add(&b, "</td><td class=\"contact\">");
    dashbuf_html(&b, when);
    dashbuf_add(&b, "</td><td class=\"state\">");
    dashbuf_html(&b, state_text(r, now, days));
    dashbuf_add(&b, "</td></tr>\n");
  }
  if(n == 0)
    dashbuf_add(&b, "<tr><td colspan=\"7\">Inga kiosker är anslutna ännu. "
                "Anslut en med <code>rost-agg enrol</code>.</td></tr>\n");
  dashbuf_add(&b, "</tbody></table><p>Senaste kontakt hålls på timmen när. "
              "Kiosken rapporterar bara versioner och antal, aldrig något "
              "om patienter.</p></main></body></html>\n");
  pr_free(v);
  if(dashbuf_status(&b) != PR_OK) {
    dashbuf_free(&b);
    agg_resp_error(rs, 500, "internal", "internal error");
    return;
  }
  body = dashbuf_take(&b, &len);
  agg_resp_take(rs, 200, "text/html; charset=utf-8", body, len);
  agg_resp_header(rs, "Content-Security-Policy",
                  "default-src 'none'; style-src 'unsafe-inline'; "
                  "form-action 'self'; frame-ancestors 'none'");
  agg_resp_header(rs, "Cache-Control", "no-store");
}

void fleet_h_csv(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs)
{
  struct auth_principal p;
  struct fleet_row *v = NULL;
  struct dashbuf b;
  struct csvout c;
  char err[PR_ERR_LEN] = "", when[40];
  long days = stale_days(s);
  long long now = pr_now();
  int n = 0, i;
  size_t len;
  char *body;

  if(fleet_access(s, rq, rs, &p, 0, "kiosker.csv") != 0)
    return;
  if(fleet_list(agg_server_db(s), agg_req_arg(rq, "sort"), &v, &n, err) !=
     PR_OK) {
    agg_resp_error(rs, 500, "internal", "internal error");
    return;
  }
  dashbuf_init(&b);
  csvout_begin(&c, &b);
  csvout_text(&c, "enhet_id");
  csvout_text(&c, "vardenhet");
  csvout_text(&c, "namn");
  csvout_text(&c, "programversion");
  csvout_text(&c, "fragor");
  csvout_text(&c, "i_ko");
  csvout_text(&c, "senaste_kontakt");
  csvout_text(&c, "status");
  csvout_eol(&c);
  for(i = 0; i < n; i++) {
    fmt_hour(v[i].dev.last_sync, when, sizeof(when));
    csvout_text(&c, v[i].dev.id);
    csvout_text(&c, v[i].dev.unit);
    csvout_text(&c, v[i].dev.name);
    csvout_text(&c, v[i].software);
    csvout_text(&c, v[i].sets);
    if(v[i].queue >= 0)
      csvout_int(&c, (long)v[i].queue);
    else
      csvout_text(&c, "");
    csvout_text(&c, when);
    csvout_text(&c, state_text(&v[i], now, days));
    csvout_eol(&c);
  }
  pr_free(v);
  if(dashbuf_status(&b) != PR_OK) {
    dashbuf_free(&b);
    agg_resp_error(rs, 500, "internal", "internal error");
    return;
  }
  body = dashbuf_take(&b, &len);
  agg_resp_take(rs, 200, "text/csv; charset=utf-8", body, len);
  agg_resp_header(rs, "Content-Disposition",
                  "attachment; filename=\"kiosker.csv\"");
  agg_resp_header(rs, "Cache-Control", "no-store");
}
