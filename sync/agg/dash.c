/* dash.c — This file contains the dashboard's HTML and CSS (dash.h).
 * Everything is inline so the page works inside a closed network and
 * prints on its own; every figure is read through indicq_cell so nothing
 * suppressed can reach the page. */
#include "dash.h"

#include <stdio.h>
#include <string.h>

#include "aggcalls.h"
#include "pdate.h"
#include "svg.h"
#include "vocab.h"

static const struct {
  const char *id, *name;
} names[] = {
  {"nojdhet", "Nöjdhet"},
  {"delaktighet", "Delaktighet"},
  {"trygghet", "Trygghet"},
  {"respekt", "Bemött med respekt"},
  {"samordning", "Vardagen fungerar (samordning)"},
  {"hansyn", "Hänsyn till egna önskemål"},
  {"information", "Information vid utskrivning"},
  {"skriftlig_vardplan", "Skriftlig vårdplan"},
  {AGGCALLS_RR1, "Svarsfrekvens (RR1)"},
  {AGGCALLS_COOP1, "Samarbetsgrad (COOP1)"},
};

int dash_indicator_rank(const char *id)
{
  size_t i;
  for(i = 0; i < PR_ARRAY_LEN(names); i++)
    if(strcmp(names[i].id, id) == 0)
      return (int)i;
  return (int)PR_ARRAY_LEN(names);
}

const char *dash_indicator_name(const char *id)
{
  size_t i;
  for(i = 0; i < PR_ARRAY_LEN(names); i++)
    if(strcmp(names[i].id, id) == 0)
      return names[i].name;
  return id;
}

static const char css[] =
  "*{box-sizing:border-box}"
  "body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;margin:0;"
  "color:#1a1a1a;background:#f4f5f7;font-size:16px;line-height:1.4}"
  "header{background:#1d4f91;color:#fff;padding:12px 24px;display:flex;"
  "justify-content:space-between;align-items:center}"
  "header h1{font-size:22px;margin:0}"
  "header form{margin:0}header button{font-size:14px}"
  "main{max-width:1120px;margin:0 auto;padding:16px 24px}"
  "form.filter{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;"
  "background:#fff;padding:12px 16px;border:1px solid #d0d4da;"
  "border-radius:6px}"
  "form.filter label{display:flex;flex-direction:column;font-size:13px;"
  "color:#444;gap:2px}"
  "form.filter select,form.filter input{font-size:15px;padding:4px 6px;"
  "min-height:32px}"
  "button{font-size:15px;padding:6px 16px;background:#1d4f91;color:#fff;"
  "border:0;border-radius:4px;cursor:pointer}"
  ".links{margin:10px 0;font-size:14px}.links a{margin-right:16px}"
  "section.card{background:#fff;border:1px solid #d0d4da;border-radius:6px;"
  "padding:16px 20px;margin:16px 0;break-inside:avoid}"
  ".card h2{margin:0 0 4px 0;font-size:21px}"
  ".headline{display:flex;gap:28px;align-items:baseline;flex-wrap:wrap;"
  "margin:4px 0 8px 0}"
  ".big{font-size:40px;font-weight:bold;color:#1d4f91}"
  ".muted{color:#555;font-size:14px}"
  ".ok{color:#2f7d32;font-weight:bold}.low{color:#b3261e;font-weight:bold}"
  "table{border-collapse:collapse;font-size:14px;margin-top:8px}"
  "th,td{padding:3px 10px;border-bottom:1px solid #e3e5e8;text-align:right}"
  "th:first-child,td:first-child{text-align:left}"
  "thead th{background:#eef1f5;font-weight:bold}"
  "td.supp{color:#777;font-style:italic}"
  ".chart{max-width:100%;height:auto}"
  ".note{font-size:13px;color:#555;margin-top:6px}"
  "details{margin-top:6px}summary{cursor:pointer;color:#1d4f91;"
  "font-size:15px;padding:4px 0}"
  "ul.comments{list-style:none;padding:0}"
  "ul.comments li{border-left:4px solid #c25400;background:#fbf7f3;"
  "margin:6px 0;padding:6px 10px}"
  "@media print{body{background:#fff;font-size:12px}"
  "header{background:#fff;color:#000;border-bottom:2px solid #000}"
  "header form,form.filter,.links,details{display:none!important}"
  "section.card{border:0;border-top:1px solid #999;border-radius:0;"
  "page-break-inside:avoid}main{max-width:none;padding:0}"
  ".print-filter{display:block!important;padding:4px 24px}}"
  ".print-filter{display:none}";

static void head(struct dashbuf *b, const char *title)
{
  dashbuf_add(b, "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width,"
                 "initial-scale=1\"><title>");
  dashbuf_html(b, title);
  dashbuf_add(b, "</title><style>");
  dashbuf_add(b, css);
  dashbuf_add(b, "</style></head><body>\n");
}

void dash_head(struct dashbuf *b, const char *title)
{
  head(b, title);
}

/* "Vet ej" count, or "dolt" when it is suppressed (small, or hidden to
 * protect a small one: never "<5", which would be false for the latter). */
static void dk_text(struct dashbuf *b, const struct indicq_cell *c,
                    int threshold)
{
  (void)threshold;
  if(c->dk_hidden)
    dashbuf_add(b, "dolt");
  else
    dashbuf_addf(b, "%ld", c->s.dk);
}

static void pct(struct dashbuf *b, double v)
{
  dashbuf_num(b, v * 100.0, 0, ',');
  dashbuf_add(b, "&nbsp;%");
}

static void option(struct dashbuf *b, const char *value, const char *label,
                   int selected)
{
  dashbuf_add(b, "<option value=\"");
  dashbuf_html(b, value);
  dashbuf_add(b, selected ? "\" selected>" : "\">");
  dashbuf_html(b, label);
  dashbuf_add(b, "</option>");
}

static void filter_form(const struct dash_page *p, struct dashbuf *b)
{
  const struct indicq_filter *f = p->f;
  char from[11], to[11], goal[8];
  int i;

  pdate_format(f->from, from);
  pdate_format(f->to, to);
  dashbuf_add(b, "<form class=\"filter\" method=\"get\" action=\"/dashboard\">"
                 "<label>Enhet<select name=\"unit\" id=\"unit\">");
  if(p->who->role != AUTH_UNIT)
    option(b, "", "Hela regionen", f->unit[0] == '\0');
  for(i = 0; i < p->n_units; i++)
    option(b, p->units[i], p->units[i], strcmp(p->units[i], f->unit) == 0);
  dashbuf_add(b, "</select></label><label>Period<select name=\"period\" "
                 "id=\"period\">");
  option(b, "week", "Vecka", f->period == INDIC_WEEK);
  option(b, "month", "Månad", f->period == INDIC_MONTH);
  option(b, "quarter", "Kvartal", f->period == INDIC_QUARTER);
  option(b, "year", "År", f->period == INDIC_YEAR);
  dashbuf_add(b, "</select></label>");
  dashbuf_addf(b, "<label>Från<input type=\"date\" name=\"from\" id=\"from\" "
                  "value=\"%s\"></label><label>Till<input type=\"date\" "
                  "name=\"to\" id=\"to\" value=\"%s\"></label>", from, to);
  dashbuf_add(b, "<label>Sätt att svara<select name=\"mode\">");
  option(b, "", "Alla", f->mode[0] == '\0');
  option(b, "kiosk", "Väntrum (kiosk)", strcmp(f->mode, "kiosk") == 0);
  option(b, "phone", "Telefon (ring upp)", strcmp(f->mode, "phone") == 0);
  dashbuf_add(b, "</select></label><label>Spår<select name=\"track\">");
  option(b, "", "Alla", f->track[0] == '\0');
  option(b, "gron", "Grönt", strcmp(f->track, "gron") == 0);
  option(b, "gul", "Gult", strcmp(f->track, "gul") == 0);
  option(b, "rod", "Rött", strcmp(f->track, "rod") == 0);
  dashbuf_add(b, "</select></label><label>Vårdform<select name=\"care\">");
  option(b, "", "Alla", f->care[0] == '\0');
  option(b, "somatisk", "Somatisk", strcmp(f->care, "somatisk") == 0);
  option(b, "psykiatrisk", "Psykiatrisk", strcmp(f->care, "psykiatrisk") == 0);
  dashbuf_add(b, "</select></label><label>Kommentarer om<select "
                 "name=\"comments\">");
  option(b, "", "Alla indikatorer", p->comment_indicator[0] == '\0');
  for(i = 0; i < p->n_indicators; i++)
    if(!aggcalls_is_rate(p->indicators[i]))   /* calls have no comments */
      option(b, p->indicators[i], dash_indicator_name(p->indicators[i]),
             strcmp(p->comment_indicator, p->indicators[i]) == 0);
  snprintf(goal, sizeof(goal), "%.0f", f->goal * 100.0);
  dashbuf_addf(b, "</select></label><label>Mål %%<input type=\"number\" "
                  "name=\"goal\" min=\"1\" max=\"100\" value=\"%s\" "
                  "style=\"width:5em\"></label>", goal);
  dashbuf_add(b, "<button type=\"submit\" id=\"show\">Visa</button></form>\n");
}

/* The table under a chart; rows carry data-* so tools can read it back. */
static void card_table(const struct indicq_result *r, struct dashbuf *b)
{
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), i;
  int focus = r->focus;

  dashbuf_add(b, "<details class=\"tbl\"><summary>Tabell: siffrorna bakom "
                 "diagrammet</summary><table class=\"series\"><thead><tr>"
                 "<th>Period</th>");
  if(focus >= 0)
    dashbuf_add(b, "<th>Andel positiva</th><th>95&nbsp;% KI</th><th>n</th>"
                   "<th>Vet ej</th>");
  dashbuf_add(b, "<th>Regionen</th><th>n (regionen)</th></tr></thead><tbody>");
  for(i = nb - 1; i >= -1; i--) {
    int bi = i < 0 ? nb : i;    /* newest first, then the whole span */
    struct indicq_cell rc = indicq_cell(r, bi, nu);
    dashbuf_add(b, i < 0 ? "<tr class=\"total\" data-period=\"total\"><th>"
                         : "<tr data-period=\"");
    if(i >= 0) {
      dashbuf_html(b, r->labels[i]);
      dashbuf_add(b, "\"><td>");
      dashbuf_html(b, r->labels[i]);
      dashbuf_add(b, "</td>");
    }
    else
      dashbuf_add(b, "Hela perioden</th>");
    if(focus >= 0) {
      struct indicq_cell c = indicq_cell(r, bi, focus);
      if(c.mark != SUPP_SHOW)
        dashbuf_add(b, "<td class=\"supp share\" colspan=\"4\" "
                       "data-suppressed=\"1\">visas inte (skyddar små "
                       "grupper)</td>");
      else if(!c.s.valid)
      {
        dashbuf_add(b, "<td class=\"share\" data-n=\"0\">–</td><td></td>"
                       "<td>0</td><td>");
        dk_text(b, &c, r->f.threshold);
        dashbuf_add(b, "</td>");
      }
      else {
        dashbuf_add(b, "<td class=\"share\" data-share=\"");
        dashbuf_num(b, c.s.share * 100.0, 1, '.');
        dashbuf_addf(b, "\" data-n=\"%ld\">", c.s.n);
        pct(b, c.s.share);
        dashbuf_add(b, "</td><td>");
        dashbuf_num(b, c.s.lo * 100.0, 0, ',');
        dashbuf_add(b, "–");
        pct(b, c.s.hi);
        dashbuf_addf(b, "</td><td>%ld</td><td>", c.s.n);
        dk_text(b, &c, r->f.threshold);
        dashbuf_add(b, "</td>");
      }
    }
    if(rc.mark != SUPP_SHOW)
      dashbuf_add(b, "<td class=\"supp\" colspan=\"2\">visas inte</td>");
    else if(!rc.s.valid)
      dashbuf_add(b, "<td>–</td><td>0</td>");
    else {
      dashbuf_add(b, "<td class=\"rshare\">");
      pct(b, rc.s.share);
      dashbuf_addf(b, "</td><td>%ld</td>", rc.s.n);
    }
    dashbuf_add(b, "</tr>\n");
  }
  dashbuf_add(b, "</tbody></table></details>\n");
}

/* Region analysts: every unit over the whole span, the complementary
 * suppression visible as "visas inte". */
static void units_table(const struct indicq_result *r, struct dashbuf *b)
{
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), u;
  if(nu < 1)
    return;
  dashbuf_add(b, "<details class=\"units\"><summary>Jämför enheter (hela "
                 "perioden)</summary><table><thead><tr><th>Enhet</th>"
                 "<th>Andel positiva</th><th>n</th></tr></thead><tbody>");
  for(u = 0; u < nu; u++) {
    struct indicq_cell c = indicq_cell(r, nb, u);
    dashbuf_add(b, "<tr><td>");
    dashbuf_html(b, r->t->units[u]);
    dashbuf_add(b, "</td>");
    if(c.mark != SUPP_SHOW)
      dashbuf_add(b, "<td class=\"supp\" colspan=\"2\">visas inte</td>");
    else if(!c.s.valid)
      dashbuf_add(b, "<td>–</td><td>0</td>");
    else {
      dashbuf_add(b, "<td>");
      pct(b, c.s.share);
      dashbuf_addf(b, "</td><td>%ld</td>", c.s.n);
    }
    dashbuf_add(b, "</tr>");
  }
  dashbuf_add(b, "</tbody></table></details>\n");
}

static void to_point(const struct indicq_cell *c, struct svg_point *p)
{
  memset(p, 0, sizeof(*p));
  p->suppressed = c->mark != SUPP_SHOW;
  p->shown = c->mark == SUPP_SHOW && c->s.valid;
  if(p->shown) {
    p->share = c->s.share;
    p->lo = c->s.lo;
    p->hi = c->s.hi;
    p->n = c->s.n;
  }
}

static enum pr_rc card(const struct dash_page *pg, const struct indicq_result *r,
                       struct dashbuf *b)
{
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), i;
  struct svg_point *up = NULL, *rp = NULL;
  const char **labels = NULL;
  struct svg_chart ch;
  struct indicq_cell head_c, head_r;
  const char *head_label;
  const char *name = dash_indicator_name(r->f.indicator);
  enum pr_rc rc = PR_ENOMEM;

  up = pr_calloc((size_t)nb, sizeof(*up));
  rp = pr_calloc((size_t)nb, sizeof(*rp));
  labels = pr_calloc((size_t)nb, sizeof(*labels));
  if(!up || !rp || !labels)
    goto out;
  for(i = 0; i < nb; i++) {
    struct indicq_cell c = indicq_cell(r, i, r->focus >= 0 ? r->focus : nu);
    struct indicq_cell rr = indicq_cell(r, i, nu);
    to_point(&c, &up[i]);
    to_point(&rr, &rp[i]);
    labels[i] = r->labels[i];
  }
  dashbuf_add(b, "<section class=\"card\" data-indicator=\"");
  dashbuf_html(b, r->f.indicator);
  dashbuf_add(b, "\"><h2>");
  dashbuf_html(b, name);
  dashbuf_add(b, "</h2>\n<div class=\"headline\">");
  head_c = indicq_cell(r, nb, r->focus >= 0 ? r->focus : nu);
  head_r = indicq_cell(r, nb, nu);
  head_label = "hela perioden";
  if(head_c.mark != SUPP_SHOW) {
    /* The span total is hidden when a period in it is (see indicq.c):
     * headline the newest period that is shown instead. */
    for(i = nb - 1; i >= 0; i--) {
      struct indicq_cell c = indicq_cell(r, i, r->focus >= 0 ? r->focus : nu);
      if(c.mark == SUPP_SHOW && c.s.valid) {
        head_c = c;
        head_r = indicq_cell(r, i, nu);
        head_label = r->labels[i];
        break;
      }
    }
  }
  if(head_c.mark != SUPP_SHOW)
    dashbuf_add(b, "<span class=\"big muted\">–</span><span>Visas inte: "
                   "för få svar, eller dold för att skydda en liten grupp."
                   "</span>");
  else if(!head_c.s.valid)
    dashbuf_add(b, "<span class=\"big muted\">–</span><span>Inga svar under "
                   "perioden.</span>");
  else {
    int rate = aggcalls_is_rate(r->f.indicator);
    dashbuf_add(b, "<span class=\"big\">");
    pct(b, head_c.s.share);
    dashbuf_add(b, rate ? "</span><span>genomförda intervjuer, "
                        : "</span><span>positiva svar, ");
    dashbuf_html(b, head_label);
    dashbuf_add(b, "<br><span class=\"muted\">");
    dashbuf_addf(b, "n = %ld · 95&nbsp;%% KI ", head_c.s.n);
    dashbuf_num(b, head_c.s.lo * 100.0, 0, ',');
    dashbuf_add(b, "–");
    pct(b, head_c.s.hi);
    if(!rate) {
      dashbuf_add(b, " · vet ej ");
      dk_text(b, &head_c, r->f.threshold);
    }
    dashbuf_add(b, "</span></span>");
    if(head_c.s.share >= r->f.goal)
      dashbuf_addf(b, "<span class=\"ok\">✓ Målet %.0f&nbsp;%% nås</span>",
                   r->f.goal * 100.0);
    else
      dashbuf_addf(b, "<span class=\"low\">Under målet %.0f&nbsp;%%</span>",
                   r->f.goal * 100.0);
    if(r->focus >= 0 && head_r.mark == SUPP_SHOW && head_r.s.valid) {
      dashbuf_add(b, "<span>Regionen: ");
      pct(b, head_r.s.share);
      dashbuf_add(b, "</span>");
    }
  }
  dashbuf_add(b, "</div>\n");

  memset(&ch, 0, sizeof(ch));
  ch.title = name;
  ch.unit_name = r->focus >= 0 ? r->f.unit : "Regionen";
  ch.region_name = "Regionen";
  ch.n = nb;
  ch.labels = labels;
  ch.unit = up;
  ch.region = r->focus >= 0 ? rp : NULL;
  ch.goal = r->f.goal;
  ch.threshold = r->f.threshold;
  ch.width = 1000;
  ch.height = 330;
  rc = svg_line_chart(&ch, b);
  if(rc != PR_OK)
    goto out;
  card_table(r, b);
  if(pg->who->role != AUTH_UNIT)
    units_table(r, b);
  /* The call statistics carry no track, care type or mode: say so
   * where the page's filters would lead a reader to think otherwise. */
  if(aggcalls_is_rate(r->f.indicator) &&
     (pg->f->track[0] || pg->f->care[0] || !strcmp(pg->f->mode, "kiosk")))
    dashbuf_add(b, "<p class=\"note filter-ignored\" data-ignores=\"mode "
                   "track care\"><strong>Obs:</strong> filtren Sätt att "
                   "svara, Spår och Vårdform gäller inte här: "
                   "uppringningslistans veckostatistik delas inte upp så. "
                   "Siffrorna gäller alla samtal.</p>");
  if(!strcmp(r->f.indicator, AGGCALLS_RR1))
    dashbuf_add(b, "<p class=\"note\">Svarsfrekvens (AAPOR RR1): "
                   "genomförda intervjuer av alla patienter på "
                   "uppringningslistan med ett slutligt utfall (genomförd, "
                   "delvis, avböjer, ej nådd, fel nummer); ej aktuella "
                   "(avliden, inlagd igen, språk, kan inte svara) räknas "
                   "inte. n = antalet i nämnaren. Från kioskernas "
                   "veckostatistik, veckan räknas i månaden för dess "
                   "måndag.</p>");
  else if(!strcmp(r->f.indicator, AGGCALLS_COOP1))
    dashbuf_add(b, "<p class=\"note\">Samarbetsgrad (AAPOR COOP1): "
                   "genomförda intervjuer av dem som nåddes (genomförd, "
                   "delvis, avböjer). n = antalet i nämnaren.</p>");
  if(r->n_excluded > 0) {
    dashbuf_add(b, "<p class=\"note\">Räknas inte in här (annan definition av "
                   "positivt svar än den senaste versionen): ");
    for(i = 0; i < r->n_excluded; i++) {
      if(i)
        dashbuf_add(b, ", ");
      dashbuf_html(b, r->excluded[i]);
    }
    dashbuf_add(b, ".</p>");
  }
  dashbuf_add(b, "</section>\n");
  rc = dashbuf_status(b);
out:
  pr_free(up);
  pr_free(rp);
  pr_free(labels);
  return rc;
}

static void phone_line(struct dashbuf *b, const char *who,
                       const struct phoneq_counts *ph, int threshold)
{
  long started = ph->complete + ph->partial;
  dashbuf_add(b, "<tr><td>");
  dashbuf_html(b, who);
  dashbuf_add(b, "</td>");
  if(ph->suppressed)
    dashbuf_addf(b, "<td class=\"supp\" colspan=\"3\">färre än %d – visas "
                    "inte</td>", threshold);
  else {
    dashbuf_addf(b, "<td>%ld</td><td>%ld</td><td>", ph->complete, ph->partial);
    if(started > 0)
      pct(b, (double)ph->complete / (double)started);
    else
      dashbuf_add(b, "–");
    dashbuf_add(b, "</td>");
  }
  dashbuf_add(b, "</tr>");
}

static void phone_section(const struct dash_page *p, struct dashbuf *b)
{
  const struct indicq_filter *f = p->f;
  dashbuf_add(b, "<section class=\"card\" id=\"phone\"><h2>Uppföljning per "
                 "telefon (ring upp)</h2>");
  if(!strcmp(f->mode, "kiosk")) {
    dashbuf_add(b, "<p class=\"muted\" id=\"phone-none\">Sätt att svara är "
                   "Väntrum (kiosk): telefonintervjuer ingår inte i "
                   "urvalet.</p></section>\n");
    return;
  }
  dashbuf_add(b, "<p class=\"note\" id=\"phone-cut\">Urval: ");
  dashbuf_add(b, f->track[0] ? "spår " : "alla spår");
  dashbuf_html(b, vocab_track_label(f->track));
  dashbuf_add(b, f->care[0] ? ", vårdform " : ", alla vårdformer");
  dashbuf_html(b, vocab_care_label(f->care));
  dashbuf_add(b, ".</p><table><thead><tr><th></th>"
                 "<th>Fullständiga intervjuer</th><th>Avbrutna</th>"
                 "<th>Andel fullständiga</th></tr></thead><tbody>");
  if(p->phone_has_unit)
    phone_line(b, f->unit, &p->phone_unit, f->threshold);
  phone_line(b, "Regionen", &p->phone_region, f->threshold);
  dashbuf_add(b, "</tbody></table><p class=\"note\">Påbörjade intervjuer "
                 "som blev fullständiga, hela månader. Svarsfrekvens (RR1) "
                 "och samarbetsgrad (COOP1) per period visas i egna "
                 "diagram ovan (när kioskerna har skickat sin "
                 "veckostatistik för uppringningslistan).</p></section>\n");
}

static void comments_section(const struct dash_page *p, struct dashbuf *b)
{
  int i;
  dashbuf_add(b, "<section class=\"card\" id=\"comments\"><h2>Kommentarer");
  if(p->comment_indicator[0]) {
    dashbuf_add(b, " – ");
    dashbuf_html(b, dash_indicator_name(p->comment_indicator));
  }
  dashbuf_add(b, "</h2>");
  if(!p->f->unit[0])
    dashbuf_add(b, "<p class=\"muted\">Välj en enhet för att läsa dess "
                   "kommentarer.</p>");
  else if(p->n_comments == 0)
    dashbuf_add(b, "<p class=\"muted\">Inga kommentarer under perioden.</p>");
  else {
    dashbuf_add(b, "<ul class=\"comments\">");
    for(i = 0; i < p->n_comments; i++) {
      const struct commentq_comment *c = &p->comments[i];
      dashbuf_add(b, "<li><span class=\"muted\">");
      dashbuf_html(b, c->period);
      if(c->indicator[0]) {
        dashbuf_add(b, " · ");
        dashbuf_html(b, dash_indicator_name(c->indicator));
      }
      dashbuf_add(b, "</span><br>");
      dashbuf_html(b, c->text);
      dashbuf_add(b, "</li>");
    }
    dashbuf_add(b, "</ul>");
    if(p->comments_max > 0 && p->n_comments >= p->comments_max)
      dashbuf_addf(b, "<p class=\"note\">Visar de %d senaste. Välj en "
                      "indikator eller en kortare period för att läsa fler."
                      "</p>", p->comments_max);
  }
  dashbuf_addf(b, "<p class=\"note\">En kommentar visas bara när gruppen "
                  "den kommer från visas för sin månad (samma enhet och "
                  "urval, minst %d svar): kommentarer från mindre grupper "
                  "tas inte med. Kommentarerna är rensade från "
                  "personnummer, telefonnummer och e-postadresser redan i "
                  "kiosken.</p></section>\n", p->f->threshold);
}

enum pr_rc dash_render(const struct dash_page *p, struct dashbuf *b)
{
  char from[11], to[11];
  int i;
  enum pr_rc rc;

  head(b, "Patientröst – resultat");
  dashbuf_add(b, "<header><h1>Patientröst – resultat</h1><div>");
  dashbuf_html(b, p->who->name);
  dashbuf_addf(b, " (%s)", p->who->role == AUTH_UNIT     ? "enhet"
                           : p->who->role == AUTH_REGION ? "regionanalytiker"
                                                         : "administratör");
  if(p->who->role == AUTH_ADMIN && !p->who->via_token)
    dashbuf_add(b, " <a href=\"/admin/recipients\" id=\"recipients\" "
                   "style=\"color:#fff\">Mottagare av brev</a>");
  if(p->who->via_token) {
    /* Read with an API token: nothing to sign out of. */
    dashbuf_add(b, " · med API-nyckel</div></header>\n<main>");
  } else {
    dashbuf_add(b, " <form method=\"post\" action=\"/logout\" "
                   "style=\"display:inline\"><input type=\"hidden\" "
                   "name=\"csrf\" value=\"");
    dashbuf_html(b, p->csrf ? p->csrf : "");
    dashbuf_add(b, "\"><button type=\"submit\">Logga ut</button></form>"
                   "</div></header>\n<main>");
  }
  filter_form(p, b);
  pdate_format(p->f->from, from);
  pdate_format(p->f->to, to);
  dashbuf_add(b, "<p class=\"print-filter\">");
  dashbuf_html(b, p->f->unit[0] ? p->f->unit : "Hela regionen");
  dashbuf_addf(b, ", %s – %s</p>", from, to);
  dashbuf_add(b, "<div class=\"links\"><a id=\"csv\" href=\"/api/v1/"
                 "indicators.csv?");
  dashbuf_html(b, p->query ? p->query : "");
  dashbuf_add(b, "\">Ladda ner CSV</a><a id=\"xlsx\" href=\"/export.xlsx?");
  dashbuf_html(b, p->query ? p->query : "");
  dashbuf_add(b, "\">Ladda ner Excel</a>");
  if(p->who->role != AUTH_UNIT)      /* the fleet page (fleet.c) */
    dashbuf_add(b, "<a id=\"kiosker\" href=\"/dashboard/kiosker\">Kiosker"
                   "</a>");
  dashbuf_add(b, "<span class=\"muted\">Utskrift: "
                 "Ctrl+P ger en utskriftsvänlig sida.</span></div>\n");
  if(p->n_res == 0)
    dashbuf_add(b, "<section class=\"card\"><p>Inga svar finns ännu.</p>"
                   "</section>");
  for(i = 0; i < p->n_res; i++) {
    rc = card(p, p->res[i], b);
    if(rc != PR_OK)
      return rc;
  }
  phone_section(p, b);
  comments_section(p, b);
  dashbuf_addf(b, "<p class=\"note\">Andel positiva räknas utan svaren "
                  "”vet ej / vill inte svara”, som visas för sig. Intervallet "
                  "är ett 95&nbsp;%% Wilson-intervall. Grupper med färre än "
                  "%d svar visas inte, och fler celler döljs vid behov så att "
                  "de inte kan räknas fram ur summorna. Perioden räknas i hela "
                  "månader (veckor i hela veckor); en summa – kvartal, år, "
                  "hela perioden – visas bara när den är summan av månader "
                  "eller kvartal som själva visas, och vad som döljs beror "
                  "aldrig på vilken period man valt.</p>", p->f->threshold);
  dashbuf_add(b, "</main></body></html>\n");
  return dashbuf_status(b);
}

enum pr_rc dash_render_login(const char *msg, const char *csrf,
                             struct dashbuf *b)
{
  head(b, "Logga in – Patientröst");
  dashbuf_add(b, "<header><h1>Patientröst – resultat</h1></header><main>"
                 "<section class=\"card\" style=\"max-width:420px\">"
                 "<h2>Logga in</h2>");
  if(msg && *msg) {
    dashbuf_add(b, "<p class=\"low\" id=\"msg\">");
    dashbuf_html(b, msg);
    dashbuf_add(b, "</p>");
  }
  dashbuf_add(b, "<form method=\"post\" action=\"/login\" class=\"filter\" "
                 "style=\"flex-direction:column;align-items:stretch\">"
                 "<input type=\"hidden\" name=\"csrf\" value=\"");
  dashbuf_html(b, csrf);
  dashbuf_add(b, "\"><label>Användarnamn<input name=\"user\" id=\"user\" "
                 "autocomplete=\"username\" required></label>"
                 "<label>Lösenord<input type=\"password\" name=\"password\" "
                 "id=\"password\" autocomplete=\"current-password\" required>"
                 "</label><button type=\"submit\" id=\"signin\">Logga in"
                 "</button></form></section></main></body></html>\n");
  return dashbuf_status(b);
}
