/* lettermake.c — This file contains the composer of the monthly letters
 * and alerts (lettermake.h).  One indicq_run per indicator over the whole
 * region (suppression does not depend on the unit in focus, indicq.h), a
 * second over the last two complete quarters for the quarter rule; every
 * figure printed comes from indicq_cell. */
#include "lettermake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dash.h"
#include "dashbuf.h"
#include "dashroutes.h"
#include "indicq.h"
#include "letterchart.h"
#include "lettermime.h"
#include "letterrule.h"
#include "pdate.h"

#define MAX_INDS 24
#define N_MONTHS 12

static const char *const month_sv[] = {
  "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
  "september", "oktober", "november", "december"
};

struct ind {
  char id[INDIC_ID_LEN];
  struct indicq_result *m;       /* N_MONTHS month buckets */
  struct indicq_result *q;       /* the two last complete quarters */
};

struct run {
  struct aggdb *db;
  const struct aggconf *conf;
  const struct letterconf *lc;
  long long now;
  int dry;
  lettermake_show_fn show;
  void *ctx;
  struct lettermake_stats st;
  long m_from, m_last, q_from, q_to;
  char month[8];                 /* "2026-09" */
  char month_name[32];           /* "september 2026" */
  struct ind inds[MAX_INDS];
  int n_inds;
  struct letterdb_recipient *rc;
  int n_rc;
  char rule_text[400];
};

/* Easter Sunday of year y (Gregorian; the "anonymous" algorithm). */
static long easter(int y)
{
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
  int n = h + l - 7 * m + 114;
  return pdate_from_ymd(y, n / 31, n % 31 + 1);
}

int lettermake_holiday(long day)
{
  static const int fixed[][2] = { {1, 1}, {1, 6}, {5, 1}, {6, 6}, {12, 24},
                                  {12, 25}, {12, 26}, {12, 31} };
  int y, m, d;
  size_t i;
  long e;

  pdate_ymd(day, &y, &m, &d);
  for(i = 0; i < PR_ARRAY_LEN(fixed); i++)
    if(m == fixed[i][0] && d == fixed[i][1])
      return 1;
  e = easter(y);
  /* Good Friday, Easter Monday, Ascension Day. */
  return day == e - 2 || day == e + 1 || day == e + 39;
}

long lettermake_first_weekday(long day)
{
  int y, m, d;
  long first;
  pdate_ymd(day, &y, &m, &d);
  first = pdate_from_ymd(y, m, 1);
  while(pdate_weekday(first) > 5 || lettermake_holiday(first))
    first++;
  return first;
}

static int cmp_rank(const void *a, const void *b)
{
  const struct ind *x = a, *y = b;
  int ra = dash_indicator_rank(x->id), rb = dash_indicator_rank(y->id);
  if(ra != rb)
    return ra < rb ? -1 : 1;
  return strcmp(x->id, y->id);
}

/* ---- cells and their text -------------------------------------------- */

static struct letterrule_cell rule_cell(const struct indicq_cell *c)
{
  struct letterrule_cell r;
  memset(&r, 0, sizeof(r));
  r.shown = c->mark == SUPP_SHOW && c->s.valid;
  if(r.shown) {
    r.n = c->s.n;
    r.share = c->s.share;
    r.lo = c->s.lo;
    r.hi = c->s.hi;
  }
  return r;
}

static void pct(struct dashbuf *b, double v)
{
  dashbuf_num(b, v * 100.0, 1, ',');
  dashbuf_add(b, " %");
}

/* "71,3 % (n = 45; 95 % KI 57,0–82,1 %)", "visas inte ...", "inga svar" */
static void cell_text(struct dashbuf *b, const struct indicq_cell *c)
{
  if(c->mark != SUPP_SHOW) {
    dashbuf_add(b, "visas inte (skyddar små grupper)");
    return;
  }
  if(!c->s.valid) {
    dashbuf_add(b, "inga svar");
    return;
  }
  pct(b, c->s.share);
  dashbuf_addf(b, " (n = %ld; 95 %% KI ", c->s.n);
  dashbuf_num(b, c->s.lo * 100.0, 1, ',');
  dashbuf_add(b, "–");
  pct(b, c->s.hi);
  dashbuf_add(b, ")");
}

/* The same as table cells: share, interval, n. */
static void cell_tds(struct dashbuf *b, const struct indicq_cell *c)
{
  if(c->mark != SUPP_SHOW) {
    dashbuf_add(b, "<td colspan=\"3\" class=\"hidden\">visas inte (skyddar "
                   "små grupper)</td>");
    return;
  }
  if(!c->s.valid) {
    dashbuf_add(b, "<td colspan=\"3\">inga svar</td>");
    return;
  }
  dashbuf_add(b, "<td class=\"share\">");
  pct(b, c->s.share);
  dashbuf_add(b, "</td><td class=\"ci\">");
  dashbuf_num(b, c->s.lo * 100.0, 1, ',');
  dashbuf_add(b, "–");
  pct(b, c->s.hi);
  dashbuf_addf(b, "</td><td class=\"n\">%ld</td>", c->s.n);
}

static void goal_text(struct dashbuf *b, double goal)
{
  dashbuf_num(b, goal * 100.0, 0, ',');
  dashbuf_add(b, " %");
}

static const char html_head[] =
  "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">"
  "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;color:#1a1a1a;"
  "max-width:760px}table{border-collapse:collapse;margin:8px 0}"
  "th,td{border:1px solid #c8ccd2;padding:3px 8px;text-align:left}"
  "td.share,td.ci,td.n{text-align:right}.hidden{color:#666}"
  "h2{font-size:18px;margin:20px 0 4px}.alert{color:#a33}</style>"
  "</head><body>";

static void link(struct run *R, struct dashbuf *t, struct dashbuf *h,
                 const char *unit)
{
  char from[11], to[11], url[AGGCONF_STR + 200];
  if(!R->lc->base_url[0])
    return;
  pdate_format(R->m_from, from);
  pdate_format(R->m_last, to);
  snprintf(url, sizeof(url), "%s/dashboard?unit=%s&period=month&from=%s"
           "&to=%s", R->lc->base_url, unit, from, to);
  dashbuf_addf(t, "\nSe allt på instrumentpanelen: %s\n", url);
  dashbuf_add(h, "<p><a href=\"");
  dashbuf_html(h, url);
  dashbuf_add(h, "\">Öppna instrumentpanelen</a></p>");
}

static void footer(struct run *R, struct dashbuf *t, struct dashbuf *h,
                   int threshold)
{
  dashbuf_addf(t, "\nAndel positiva svar utan \"vet ej\", med 95 %% "
               "Wilson-intervall. Grupper med färre än %d svar visas inte, "
               "och inte heller de celler som skulle avslöja dem.\n%s\n"
               "Brevet skickas automatiskt av Patientröst.\n", threshold,
               R->rule_text);
  dashbuf_addf(h, "<p><small>Andel positiva svar utan ”vet ej”, med 95 %% "
               "Wilson-intervall. Grupper med färre än %d svar visas inte, "
               "och inte heller de celler som skulle avslöja dem.<br>",
               threshold);
  dashbuf_html(h, R->rule_text);
  dashbuf_add(h, "<br>Brevet skickas automatiskt av Patientröst.</small></p>"
                 "</body></html>");
}

/* The 12-month trend of column col (region when col = n_units) with the
 * region's line, as a PNG into img; the trend as text and a table. */
static enum pr_rc trend(struct run *R, const struct ind *I, int col,
                        struct dashbuf *t, struct dashbuf *h,
                        struct lettermime_img *img, char *err)
{
  const struct indicq_result *r = I->m;
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), i;
  struct letterchart_point up[60], rp[60];

  for(i = 0; i < nb && i < 60; i++) {
    struct indicq_cell c = indicq_cell(r, i, col);
    struct indicq_cell g = indicq_cell(r, i, nu);
    struct letterrule_cell a = rule_cell(&c), z = rule_cell(&g);
    up[i] = (struct letterchart_point){ a.shown, a.share, a.lo, a.hi };
    rp[i] = (struct letterchart_point){ z.shown, z.share, z.lo, z.hi };
  }
  snprintf(img->cid, sizeof(img->cid), "trend-%.40s@patientrost", I->id);
  snprintf(img->name, sizeof(img->name), "%.40s.png", I->id);
  dashbuf_addf(t, "%s, månad för månad:", dash_indicator_name(I->id));
  dashbuf_add(h, "<h2>");
  dashbuf_html(h, dash_indicator_name(I->id));
  dashbuf_add(h, " – de senaste 12 månaderna</h2><img src=\"cid:");
  dashbuf_html(h, img->cid);
  dashbuf_addf(h, "\" width=\"%d\" height=\"%d\" alt=\"Diagram: ",
               LETTERCHART_WIDTH, LETTERCHART_HEIGHT);
  dashbuf_html(h, dash_indicator_name(I->id));
  dashbuf_add(h, " per månad, med regionen (grå) och målet (streckat). "
                 "Siffrorna står i tabellen under.\"><table class=\"trend\" "
                 "data-indicator=\"");
  dashbuf_html(h, I->id);
  dashbuf_add(h, "\"><tr><th>Månad</th><th>Andel positiva</th>"
                 "<th>95 % KI</th><th>n</th></tr>");
  for(i = 0; i < nb; i++) {
    struct indicq_cell c = indicq_cell(r, i, col);
    dashbuf_addf(t, "\n  %s: ", r->labels[i]);
    cell_text(t, &c);
    dashbuf_addf(h, "<tr data-period=\"%s\"><td>%s</td>", r->labels[i],
                 r->labels[i]);
    cell_tds(h, &c);
    dashbuf_add(h, "</tr>");
  }
  dashbuf_add(t, "\n\n");
  dashbuf_add(h, "</table>");
  return letterchart_png(up, col == nu ? NULL : rp, nb, r->f.goal,
                         (const char(*)[INDIC_LABEL_LEN])r->labels, &img->png,
                         &img->len, err);
}

/* Queue (or show) msgs; alert_* as letterdb_enqueue. */
static enum pr_rc deliver(struct run *R, struct letterdb_new *msgs, int n,
                          const char *const *texts, const char *a_unit,
                          const char *a_ind, const char *a_period,
                          const char *a_rule, const char *detail, char *err)
{
  enum pr_rc rc = PR_OK;
  int i, found = 0, added = 0, fresh[64];
  char ad[700];

  if(R->dry) {
    if(a_unit && (rc = letterdb_alert_raised(R->db, a_unit, a_ind, a_period,
                                             &found, err)) != PR_OK)
      return rc;
    if(found)
      return PR_OK;
    for(i = 0; i < n; i++) {
      if((rc = letterdb_queued(R->db, msgs[i].id, &found, err)) != PR_OK)
        return rc;
      if(!found) {
        R->show(R->ctx, &msgs[i], texts[i]);
        R->st.queued++;
      }
    }
    if(a_unit)
      R->st.alerts++;
    return PR_OK;
  }
  rc = letterdb_enqueue(R->db, msgs, n, fresh, a_unit, a_ind, a_period,
                        a_rule, detail, R->now, &added, err);
  if(rc != PR_OK)
    return rc;
  R->st.queued += added;
  if(a_unit && added > 0) {
    R->st.alerts++;
    snprintf(ad, sizeof(ad), "unit=%s indicator=%s period=%s rule=%s %s",
             a_unit, a_ind, a_period, a_rule, detail);
    if((rc = audit_log(R->db, (time_t)R->now, "letters", "alert", ad, err)) !=
       PR_OK)
      return rc;
  }
  for(i = 0; i < n; i++) {
    if(!fresh[i])
      continue;
    snprintf(ad, sizeof(ad), "queued kind=%s id=%s to=%s", msgs[i].kind,
             msgs[i].id, msgs[i].recipient);
    if((rc = audit_log(R->db, (time_t)R->now, "letters", "letter", ad, err)) !=
       PR_OK)
      return rc;
  }
  return PR_OK;
}

/* One message per recipient of `unit` (alerts also to the region
 * recipients when with_region) with the text of t and the HTML of h (both
 * emptied here). */
static enum pr_rc send_all(struct run *R, const char *kind, const char *key,
                           const char *unit, int with_region,
                           const char *subject, struct dashbuf *t,
                           struct dashbuf *h, const struct lettermime_img *im,
                           int n_im, const char *a_ind, const char *a_period,
                           const char *a_rule, const char *detail, char *err)
{
  struct letterdb_new msgs[64];
  const char *texts[64];
  char ids[64][LETTERDB_ID_LEN];
  char *mime[64], *text = NULL, *html = NULL;
  int n = 0, i;
  size_t len;
  enum pr_rc rc;

  if((rc = dashbuf_status(t)) != PR_OK || (rc = dashbuf_status(h)) != PR_OK)
    return rc;
  text = dashbuf_take(t, &len);
  html = dashbuf_take(h, &len);
  if(!text || !html)
    rc = PR_ENOMEM;
  for(i = 0; i < R->n_rc && rc == PR_OK; i++) {
    const struct letterdb_recipient *p = &R->rc[i];
    if(strcmp(p->unit, unit) != 0 && !(with_region && !p->unit[0]))
      continue;
    if(n == 64) {
      pr_seterr(err, "more than 64 recipients for %s", unit[0] ? unit
                                                             : "the region");
      rc = PR_ELIMIT;
      break;
    }
    snprintf(ids[n], sizeof(ids[n]), "%s:%s:%s", kind, key, p->email);
    rc = lettermime_build(R->lc->smtp_from[0] ? R->lc->smtp_from
                                              : "patientrost@localhost",
                          p->email, subject, R->now, text, html, im, n_im,
                          &mime[n], &len, err);
    if(rc != PR_OK)
      break;
    msgs[n] = (struct letterdb_new){ ids[n], kind, p->email, subject,
                                     mime[n] };
    texts[n] = text;
    n++;
  }
  if(rc == PR_OK && n > 0)
    rc = deliver(R, msgs, n, texts, a_ind ? unit : NULL, a_ind, a_period,
                 a_rule, detail, err);
  for(i = 0; i < n; i++)
    pr_free(mime[i]);
  pr_free(text);
  pr_free(html);
  return rc;
}

static void free_imgs(struct lettermime_img *im, int n)
{
  int i;
  for(i = 0; i < n; i++)
    pr_free(im[i].png);
}

/* ---- the unit's monthly letter ------------------------------------------ */

static enum pr_rc unit_letter(struct run *R, const char *unit, char *err)
{
  struct dashbuf t, h;
  struct lettermime_img im[MAX_INDS];
  int n_im = 0, i, threshold = SUPP_DEFAULT_THRESHOLD, any = 0, before;
  char subject[200], key[120];
  enum pr_rc rc = PR_OK;

  memset(im, 0, sizeof(im));
  dashbuf_init(&t);
  dashbuf_init(&h);
  snprintf(subject, sizeof(subject), "Patientröst: månadsbrev för %s – %s",
           R->month_name, unit);
  dashbuf_addf(&t, "Patientröst – månadsbrev för %s\nEnhet: %s\n\n"
               "Andel positiva svar i %s:\n\n", R->month_name, unit,
               R->month_name);
  dashbuf_add(&h, html_head);
  dashbuf_addf(&h, "<h1>Patientröst – månadsbrev för %s</h1><p>Enhet: "
               "<b>", R->month_name);
  dashbuf_html(&h, unit);
  dashbuf_add(&h, "</b></p><table class=\"month\"><tr><th>Indikator</th>"
                  "<th>Andel positiva</th><th>95 % KI</th><th>n</th>"
                  "<th>Mål</th><th>Regionen</th><th>Regionen n</th></tr>");
  for(i = 0; i < R->n_inds; i++) {
    const struct indicq_result *r = R->inds[i].m;
    int col = indic_table_unit(r->t, unit), nb = indicq_n_buckets(r);
    struct indicq_cell c, g;
    if(col < 0)
      continue;
    any = 1;
    threshold = r->f.threshold;
    c = indicq_cell(r, nb - 1, col);
    g = indicq_cell(r, nb - 1, indicq_n_units(r));
    dashbuf_addf(&t, "%s: ", dash_indicator_name(R->inds[i].id));
    cell_text(&t, &c);
    dashbuf_add(&t, ". Mål ");
    goal_text(&t, r->f.goal);
    dashbuf_add(&t, ". Regionen: ");
    cell_text(&t, &g);
    dashbuf_add(&t, ".\n");
    dashbuf_add(&h, "<tr data-indicator=\"");
    dashbuf_html(&h, R->inds[i].id);
    dashbuf_add(&h, "\"><th>");
    dashbuf_html(&h, dash_indicator_name(R->inds[i].id));
    dashbuf_add(&h, "</th>");
    cell_tds(&h, &c);
    dashbuf_add(&h, "<td>");
    goal_text(&h, r->f.goal);
    dashbuf_add(&h, "</td>");
    if(g.mark == SUPP_SHOW && g.s.valid) {
      dashbuf_add(&h, "<td class=\"share\">");
      pct(&h, g.s.share);
      dashbuf_addf(&h, "</td><td class=\"n\">%ld</td>", g.s.n);
    }
    else
      dashbuf_add(&h, g.mark == SUPP_SHOW ? "<td colspan=\"2\">inga svar</td>"
                      : "<td colspan=\"2\">visas inte</td>");
    dashbuf_add(&h, "</tr>");
  }
  if(!any) {
    dashbuf_addf(&t, "Inga svar från enheten de senaste 12 månaderna.\n");
    dashbuf_add(&h, "<tr><td colspan=\"7\">Inga svar från enheten de senaste "
                    "12 månaderna.</td></tr>");
  }
  dashbuf_add(&h, "</table>");
  dashbuf_add(&t, "\nDe senaste 12 månaderna:\n");
  for(i = 0; i < R->n_inds && rc == PR_OK; i++) {
    int col = indic_table_unit(R->inds[i].m->t, unit);
    if(col < 0)
      continue;
    rc = trend(R, &R->inds[i], col, &t, &h, &im[n_im], err);
    n_im++;
  }
  if(rc != PR_OK)
    goto out;
  link(R, &t, &h, unit);
  footer(R, &t, &h, threshold);
  snprintf(key, sizeof(key), "%s:%s", R->month, unit);
  before = R->st.queued;
  rc = send_all(R, "monthly", key, unit, 0, subject, &t, &h, im, n_im,
                NULL, NULL, NULL, NULL, err);
  if(rc == PR_OK && R->st.queued > before)
    R->st.letters++;
out:
  free_imgs(im, n_im);
  dashbuf_free(&t);
  dashbuf_free(&h);
  return rc;
}

/* ---- the region's letter: units side by side ----------------------------- */

static enum pr_rc region_letter(struct run *R, char *err)
{
  struct dashbuf t, h;
  struct lettermime_img im[MAX_INDS];
  int n_im = 0, i, u, threshold = SUPP_DEFAULT_THRESHOLD, before;
  char subject[200];
  enum pr_rc rc = PR_OK;

  memset(im, 0, sizeof(im));
  dashbuf_init(&t);
  dashbuf_init(&h);
  snprintf(subject, sizeof(subject), "Patientröst: månadsbrev för %s – "
           "regionen", R->month_name);
  dashbuf_addf(&t, "Patientröst – månadsbrev för %s, alla enheter\n\n",
               R->month_name);
  dashbuf_add(&h, html_head);
  dashbuf_addf(&h, "<h1>Patientröst – månadsbrev för %s, alla enheter</h1>",
               R->month_name);
  for(i = 0; i < R->n_inds && rc == PR_OK; i++) {
    const struct indicq_result *r = R->inds[i].m;
    int nb = indicq_n_buckets(r), nu = indicq_n_units(r);
    threshold = r->f.threshold;
    dashbuf_addf(&t, "%s (mål ", dash_indicator_name(R->inds[i].id));
    goal_text(&t, r->f.goal);
    dashbuf_add(&t, "):\n");
    dashbuf_add(&h, "<h2>");
    dashbuf_html(&h, dash_indicator_name(R->inds[i].id));
    dashbuf_add(&h, " (mål ");
    goal_text(&h, r->f.goal);
    dashbuf_add(&h, ")</h2><table class=\"units\" data-indicator=\"");
    dashbuf_html(&h, R->inds[i].id);
    dashbuf_add(&h, "\"><tr><th>Enhet</th><th>Andel positiva</th>"
                    "<th>95 % KI</th><th>n</th></tr>");
    for(u = 0; u <= nu; u++) {
      struct indicq_cell c = indicq_cell(r, nb - 1, u);
      const char *name = u < nu ? r->t->units[u] : "Regionen";
      dashbuf_addf(&t, "  %s: ", name);
      cell_text(&t, &c);
      dashbuf_add(&t, "\n");
      dashbuf_add(&h, "<tr data-unit=\"");
      dashbuf_html(&h, u < nu ? name : "");
      dashbuf_add(&h, "\"><th>");
      dashbuf_html(&h, name);
      dashbuf_add(&h, "</th>");
      cell_tds(&h, &c);
      dashbuf_add(&h, "</tr>");
    }
    dashbuf_add(&h, "</table>");
    rc = trend(R, &R->inds[i], nu, &t, &h, &im[n_im], err);
    n_im++;
    dashbuf_add(&t, "\n");
  }
  if(rc != PR_OK)
    goto out;
  link(R, &t, &h, "");
  footer(R, &t, &h, threshold);
  before = R->st.queued;
  rc = send_all(R, "region", R->month, "", 0, subject, &t, &h, im, n_im,
                NULL, NULL, NULL, NULL, err);
  if(rc == PR_OK && R->st.queued > before)
    R->st.letters++;
out:
  free_imgs(im, n_im);
  dashbuf_free(&t);
  dashbuf_free(&h);
  return rc;
}

/* ---- alerts ---------------------------------------------------------------- */

static enum pr_rc alert(struct run *R, const char *unit, const struct ind *I,
                        const char *rule, const char *period,
                        const struct indicq_result *r, int first, int last,
                        char *err)
{
  struct dashbuf t, h;
  int col = indic_table_unit(r->t, unit), i;
  char subject[200], key[200], detail[300];
  const char *name = dash_indicator_name(I->id);
  enum pr_rc rc;
  int dn;

  dashbuf_init(&t);
  dashbuf_init(&h);
  snprintf(subject, sizeof(subject), "Patientröst: larm – %s har sjunkit "
           "(%s, %s)", name, unit, period);
  dashbuf_addf(&t, "Larm från Patientröst\n\n%s vid %s har sjunkit (%s).\n\n",
               name, unit, period);
  dashbuf_add(&h, html_head);
  dashbuf_add(&h, "<h1 class=\"alert\">Larm: ");
  dashbuf_html(&h, name);
  dashbuf_add(&h, " har sjunkit</h1><p>Enhet: <b>");
  dashbuf_html(&h, unit);
  dashbuf_addf(&h, "</b>, period %s.</p><p>", period);
  if(!strcmp(rule, "goal")) {
    dashbuf_addf(&t, "Regel: 95 %%-intervallets övre gräns har legat under "
                 "målet ");
    goal_text(&t, r->f.goal);
    dashbuf_addf(&t, " i %ld månader i rad (alert_rule, alert_goal_months = "
                 "%ld, alert_min_n = %ld).\n\n", R->lc->goal_months,
                 R->lc->goal_months, R->lc->min_n);
    dashbuf_add(&h, "Regel: 95 %-intervallets övre gräns har legat under "
                    "målet ");
    goal_text(&h, r->f.goal);
    dashbuf_addf(&h, " i %ld månader i rad (alert_goal_months = %ld, "
                 "alert_min_n = %ld).", R->lc->goal_months,
                 R->lc->goal_months, R->lc->min_n);
  }
  else {
    dashbuf_addf(&t, "Regel: hela 95 %%-intervallet för %s ligger under "
                 "intervallet för %s (alert_rule, alert_min_n = %ld).\n\n",
                 r->labels[last], r->labels[first], R->lc->min_n);
    dashbuf_addf(&h, "Regel: hela 95 %%-intervallet för %s ligger under "
                 "intervallet för %s (alert_min_n = %ld).", r->labels[last],
                 r->labels[first], R->lc->min_n);
  }
  dashbuf_add(&t, "Vad som ändrats:\n");
  dashbuf_add(&h, "</p><table class=\"alert\"><tr><th>Period</th>"
                  "<th>Andel positiva</th><th>95 % KI</th><th>n</th></tr>");
  for(i = first; i <= last; i++) {
    struct indicq_cell c = indicq_cell(r, i, col);
    dashbuf_addf(&t, "  %s: ", r->labels[i]);
    cell_text(&t, &c);
    dashbuf_add(&t, "\n");
    dashbuf_addf(&h, "<tr data-period=\"%s\"><td>%s</td>", r->labels[i],
                 r->labels[i]);
    cell_tds(&h, &c);
    dashbuf_add(&h, "</tr>");
  }
  dashbuf_add(&h, "</table>");
  {
    struct indicq_cell c = indicq_cell(r, last, col);
    dn = snprintf(detail, sizeof(detail), "n=%ld share=%.3f hi=%.3f goal=%.2f",
                  c.s.n, c.s.share, c.s.hi, r->f.goal);
    if(dn < 0 || (size_t)dn >= sizeof(detail))
      detail[0] = '\0';
  }
  link(R, &t, &h, unit);
  footer(R, &t, &h, r->f.threshold);
  snprintf(key, sizeof(key), "%s:%s:%s", unit, I->id, period);
  rc = send_all(R, "alert", key, unit, 1, subject, &t, &h, NULL, 0, I->id,
                period, rule, detail, err);
  dashbuf_free(&t);
  dashbuf_free(&h);
  return rc;
}

static enum pr_rc unit_alerts(struct run *R, const char *unit, char *err)
{
  enum pr_rc rc = PR_OK;
  int i;

  for(i = 0; i < R->n_inds && rc == PR_OK; i++) {
    const struct ind *I = &R->inds[i];
    int col = indic_table_unit(I->m->t, unit);
    if(col < 0)
      continue;
    if(R->lc->rule & LETTERCONF_RULE_GOAL) {
      struct letterrule_cell cells[60];
      int nb = indicq_n_buckets(I->m), b;
      for(b = 0; b < nb && b < 60; b++) {
        struct indicq_cell c = indicq_cell(I->m, b, col);
        cells[b] = rule_cell(&c);
      }
      if(letterrule_goal(cells, nb, (int)R->lc->goal_months, I->m->f.goal,
                         R->lc->min_n)) {
        /* What changed: the months under the goal and the one before. */
        int first = nb - (int)R->lc->goal_months - 1;
        rc = alert(R, unit, I, "goal", I->m->labels[nb - 1], I->m,
                   first < 0 ? 0 : first, nb - 1, err);
      }
    }
    if(rc == PR_OK && I->q && (R->lc->rule & LETTERCONF_RULE_QUARTER) &&
       indicq_n_buckets(I->q) == 2) {
      struct indicq_cell a = indicq_cell(I->q, 0, col);
      struct indicq_cell b = indicq_cell(I->q, 1, col);
      struct letterrule_cell ra = rule_cell(&a), rb = rule_cell(&b);
      if(letterrule_quarter(&ra, &rb, R->lc->min_n))
        rc = alert(R, unit, I, "quarter", I->q->labels[1], I->q, 0, 1, err);
    }
  }
  return rc;
}

static int has_recipient(const struct run *R, const char *unit)
{
  int i;
  for(i = 0; i < R->n_rc; i++)
    if(!strcmp(R->rc[i].unit, unit))
      return 1;
  return 0;
}

/* ---- the run ---------------------------------------------------------------- */

static enum pr_rc load(struct run *R, char *err)
{
  char (*ids)[INDIC_ID_LEN] = NULL;
  int n = 0, i;
  enum pr_rc rc;

  if((rc = indicq_indicators(R->db, &ids, &n, err)) != PR_OK)
    return rc;
  for(i = 0; i < n && R->n_inds < MAX_INDS; i++)
    pr_strlcpy(R->inds[R->n_inds++].id, ids[i], INDIC_ID_LEN);
  pr_free(ids);
  qsort(R->inds, (size_t)R->n_inds, sizeof(R->inds[0]), cmp_rank);
  for(i = 0; i < R->n_inds; i++) {
    struct indicq_filter f;
    indicq_filter_default(&f);
    pr_strlcpy(f.indicator, R->inds[i].id, sizeof(f.indicator));
    f.period = INDIC_MONTH;
    f.from = R->m_from;
    f.to = R->m_last;
    dash_conf_filter(R->conf, &f);
    if((rc = indicq_run(R->db, &f, &R->inds[i].m, err)) != PR_OK)
      return rc;
    if(R->lc->rule & LETTERCONF_RULE_QUARTER) {
      f.period = INDIC_QUARTER;
      f.from = R->q_from;
      f.to = R->q_to;
      if((rc = indicq_run(R->db, &f, &R->inds[i].q, err)) != PR_OK)
        return rc;
    }
  }
  return PR_OK;
}

enum pr_rc lettermake_run(struct aggdb *db, const struct aggconf *conf,
                          const struct letterconf *lc, long long now,
                          int dry_run, lettermake_show_fn show, void *ctx,
                          struct lettermake_stats *st, char *err)
{
  struct run *R = pr_calloc(1, sizeof(*R));
  char (*units)[INDIC_UNIT_LEN] = NULL;
  int n_units = 0;
  long today = (long)(now / 86400), this_first, qs;
  int y, m, d, i, monthly;
  enum pr_rc rc;

  if(st)
    memset(st, 0, sizeof(*st));
  if(!R)
    return PR_ENOMEM;
  R->db = db;
  R->conf = conf;
  R->lc = lc;
  R->now = now;
  R->dry = dry_run;
  R->show = show;
  R->ctx = ctx;
  letterconf_rule_text(lc, R->rule_text, sizeof(R->rule_text));
  pdate_ymd(today, &y, &m, &d);
  this_first = pdate_from_ymd(y, m, 1);
  R->m_last = this_first - 1;
  pdate_ymd(R->m_last, &y, &m, &d);
  pdate_format_month(R->m_last, R->month);
  snprintf(R->month_name, sizeof(R->month_name), "%s %d", month_sv[m - 1], y);
  m -= N_MONTHS - 1;
  while(m < 1) {
    m += 12;
    y--;
  }
  R->m_from = pdate_from_ymd(y, m, 1);
  /* The last complete quarter ending by the end of last month, and the
   * one before it. */
  qs = indic_bucket_start(INDIC_QUARTER, R->m_last, 0);
  R->q_to = indic_bucket_next(INDIC_QUARTER, qs, 0) - 1 == R->m_last
                ? R->m_last : qs - 1;
  R->q_from = indic_bucket_start(INDIC_QUARTER,
                                 indic_bucket_start(INDIC_QUARTER, R->q_to, 0)
                                 - 1, 0);
  monthly = today >= lettermake_first_weekday(today);
  if(dry_run && !show) {
    rc = PR_EINVAL;
    pr_seterr(err, "a dry run needs a callback");
    goto out;
  }
  if((rc = letterdb_recipients(db, &R->rc, &R->n_rc, err)) != PR_OK)
    goto out;
  if(R->n_rc == 0)
    goto out;
  if((rc = load(R, err)) != PR_OK)
    goto out;
  for(i = 0; i < R->n_rc && rc == PR_OK && monthly; i++) {
    const char *unit = R->rc[i].unit;
    /* Once per unit: recipients are sorted by unit ("" first). */
    if(i > 0 && !strcmp(unit, R->rc[i - 1].unit))
      continue;
    rc = unit[0] ? unit_letter(R, unit, err) : region_letter(R, err);
  }
  /* Alerts for every unit someone hears about: its own recipients, or
   * the region's (who then learn of every unit's drop). */
  if(rc == PR_OK && lc->rule != LETTERCONF_RULE_OFF &&
     (rc = indicq_units(db, &units, &n_units, err)) == PR_OK) {
    int region = !R->rc[0].unit[0];
    for(i = 0; i < n_units && rc == PR_OK; i++)
      if(region || has_recipient(R, units[i]))
        rc = unit_alerts(R, units[i], err);
  }
out:
  if(st)
    *st = R->st;
  pr_free(units);
  for(i = 0; i < R->n_inds; i++) {
    indicq_free(R->inds[i].m);
    indicq_free(R->inds[i].q);
  }
  pr_free(R->rc);
  pr_free(R);
  return rc;
}
