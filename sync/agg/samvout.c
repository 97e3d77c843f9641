/* samvout.c — This file contains the collaboration follow-up's output
 * formats (samvout.h).  Every format reads the same struct samv_comp, so
 * what one shows the others show: a hidden question is "visas inte" in all
 * of them and its counts were never filled in. */
#include "samvout.h"

#include <stdio.h>
#include <string.h>

#include "csvout.h"
#include "xlsx.h"

const char samvout_css[] =
  "*{box-sizing:border-box}"
  "body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;margin:0;"
  "color:#111;background:#fff;font-size:20px;line-height:1.45}"
  "header{background:#1d4f91;color:#fff;padding:12px 24px;display:flex;"
  "justify-content:space-between;align-items:center;flex-wrap:wrap;gap:8px}"
  "header h1{font-size:26px;margin:0}header a{color:#fff}"
  "header nav a{margin-right:18px}header form{margin:0;display:inline}"
  "main{max-width:1100px;margin:0 auto;padding:16px 24px}"
  "h2{font-size:26px;margin:28px 0 8px;border-bottom:3px solid #1d4f91}"
  "h3{font-size:22px;margin:20px 0 6px}"
  "a{color:#1d4f91}"
  "button{font-size:20px;padding:8px 20px;background:#1d4f91;color:#fff;"
  "border:0;border-radius:4px;cursor:pointer;min-height:44px}"
  "button.secondary{background:#555}"
  ":focus{outline:4px solid #f0b400;outline-offset:2px}"
  "fieldset{border:2px solid #c8ccd2;border-radius:6px;margin:14px 0;"
  "padding:10px 16px}"
  "legend{font-weight:bold;font-size:22px;padding:0 6px}"
  "label{display:block;margin:4px 0}"
  ".steps label{display:inline-block;margin:6px 18px 6px 0;font-size:20px}"
  "input[type=radio]{width:24px;height:24px;vertical-align:middle}"
  "textarea{width:100%;font-size:19px;min-height:80px;padding:6px;"
  "font-family:inherit}"
  "input[type=number]{width:5em;font-size:20px;padding:4px}"
  "select{font-size:20px;padding:4px 8px;min-height:44px}"
  ".status{background:#e7f3e8;border-left:6px solid #2f7d32;padding:8px 12px;"
  "margin:10px 0}"
  ".warn{background:#fdf1e6;border-left:6px solid #c25400;padding:8px 12px;"
  "margin:10px 0}"
  ".saved{color:#2f7d32;font-weight:bold}"
  "table{border-collapse:collapse;margin:8px 0}"
  "th,td{padding:4px 10px;border-bottom:1px solid #d6d9de;text-align:right}"
  "th:first-child,td:first-child{text-align:left}"
  "thead th{background:#eef1f5}"
  ".q{break-inside:avoid;page-break-inside:avoid;margin:12px 0 18px}"
  ".q p{margin:4px 0}"
  ".bar{max-width:100%;height:auto;display:block}"
  ".muted{color:#555;font-size:17px}"
  "ul.comments{list-style:none;padding:0;margin:4px 0}"
  "ul.comments li{border-left:4px solid #c25400;background:#fbf7f3;"
  "margin:4px 0;padding:4px 10px;font-size:18px}"
  ".legend span{display:inline-block;margin-right:16px;font-size:17px}"
  ".sw{display:inline-block;width:16px;height:16px;vertical-align:middle;"
  "margin-right:4px}"
  "@media print{body{font-size:11pt}.muted,ul.comments li,p,li,td,th"
  "{font-size:10pt}h3{font-size:12pt}header{background:#fff;color:#000;"
  "border-bottom:2px solid #000}header nav,header form,form.pick,.noprint"
  "{display:none!important}header a{color:#000}main{max-width:none;"
  "padding:0}h2{page-break-before:always;font-size:16pt}"
  "h2:first-of-type{page-break-before:auto}"
  "section.comp{page-break-after:always}}";

static const char *const step_words[4] = {
  "Stämmer inte alls", "Stämmer dåligt", "Stämmer ganska bra",
  "Stämmer helt"};
static const char *const step_colors[4] = {"#b3261e", "#ec9a93", "#8fb8e0",
                                           "#1d4f91"};

const char *samvout_step_label(const struct samv_comp *c, int k)
{
  if(k < 0 || k > 3)
    return "";
  if(c && c->set && c->set->n_scales > 0 &&
     c->set->scales[0].n_options == 4)
    return qset_text(&c->set->scales[0].options[k].label, "sv");
  return step_words[k];
}

/* ---- SVG ------------------------------------------------------------------ */

void samvout_bar(struct dashbuf *b, const long steps[4], long n,
                 const char *label, int small)
{
  const int w = 640, h = small ? 22 : 34, mid = 320, half = 300;
  double x;
  int k;

  dashbuf_addf(b, "<svg class=\"bar\" viewBox=\"0 0 %d %d\" width=\"%d\""
               " height=\"%d\" role=\"img\" data-n=\"%ld\""
               " data-steps=\"%ld,%ld,%ld,%ld\"><title>", w, h, w, h, n,
               steps[0], steps[1], steps[2], steps[3]);
  dashbuf_html(b, label);
  dashbuf_addf(b, ": %ld möten. ", n);
  for(k = 0; k < 4; k++)
    dashbuf_addf(b, "%s %ld%s", step_words[k], steps[k], k < 3 ? ", " : ".");
  dashbuf_add(b, "</title>");
  if(n > 0) {
    /* Negative steps grow left from the middle line, positive right. */
    x = mid;
    for(k = 1; k >= 0; k--) {
      double wk = (double)half * (double)steps[k] / (double)n;
      x -= wk;
      if(wk > 0)
        dashbuf_addf(b, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%d\""
                     " fill=\"%s\"/>", x, wk, h - 4, step_colors[k]);
    }
    x = mid;
    for(k = 2; k < 4; k++) {
      double wk = (double)half * (double)steps[k] / (double)n;
      if(wk > 0)
        dashbuf_addf(b, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%d\""
                     " fill=\"%s\"/>", x, wk, h - 4, step_colors[k]);
      x += wk;
    }
  }
  dashbuf_addf(b, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#000\""
               " stroke-width=\"2\"/></svg>", mid, mid, h);
}

/* ---- HTML ------------------------------------------------------------------ */

static void html_mean(struct dashbuf *b, double m)
{
  dashbuf_num(b, m, 1, ',');
}

static const char *group_label(const struct samv_comp *c)
{
  return c->group[0] ? c->group : "Hela länet";
}

static void html_people(struct dashbuf *b, const struct samv_comp *c)
{
  dashbuf_add(b, "<table><caption class=\"muted\">Deltagare (antal, inga "
                 "namn)</caption><thead><tr><th scope=\"col\">Yrke</th>");
  for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
    dashbuf_addf(b, "<th scope=\"col\">%s</th>", samv_employer_names[e]);
  dashbuf_add(b, "</tr></thead><tbody>");
  for(int r = 0; r < SAMV_N_ROLES; r++) {
    dashbuf_addf(b, "<tr><th scope=\"row\">%s</th>", samv_role_names[r]);
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
      dashbuf_addf(b, "<td>%ld</td>", c->people[r][e]);
    dashbuf_add(b, "</tr>");
  }
  dashbuf_add(b, "</tbody></table>");
}

static void html_extremes(struct dashbuf *b, const struct samv_comp *c,
                          const int *idx, const char *title)
{
  dashbuf_addf(b, "<h3>%s</h3>", title);
  if(idx[0] < 0) {
    dashbuf_add(b, "<p class=\"muted\">Inga fler skattade påståenden att "
                   "visa.</p>");
    return;
  }
  dashbuf_add(b, "<ol>");
  for(int k = 0; k < 3; k++) {
    if(idx[k] < 0)
      continue;
    dashbuf_add(b, "<li>");
    dashbuf_html(b, qset_text(&c->set->questions[idx[k]].text, "sv"));
    dashbuf_add(b, " (medel ");
    html_mean(b, c->q[idx[k]].mean);
    dashbuf_add(b, ")</li>");
  }
  dashbuf_add(b, "</ol>");
}

static void html_question(struct dashbuf *b, const struct samv_comp *c,
                          int i, int number)
{
  const struct qset_question *x = &c->set->questions[i];
  const struct samv_qres *q = &c->q[i];
  char label[64];

  dashbuf_addf(b, "<div class=\"q\" id=\"q-%s\" data-q=\"%s\"><p><b>%d. ",
               x->id, x->id, number);
  dashbuf_html(b, qset_text(&x->text, "sv"));
  dashbuf_add(b, "</b></p>");
  if(x->type != QSET_TEXT) {
    if(!q->shown)
      dashbuf_addf(b, "<p class=\"muted\" data-hidden=\"1\">Visas inte: färre "
                   "än %d möten har svarat (skyddar enskilda enheter).</p>",
                   c->threshold);
    else {
      snprintf(label, sizeof(label), "%d", c->year);
      samvout_bar(b, q->steps, q->n, label, 0);
      dashbuf_addf(b, "<p class=\"muted\">%d: %ld möten, medel ", c->year,
                   q->n);
      html_mean(b, q->mean);
      for(int k = 0; k < 4; k++)
        dashbuf_addf(b, "%s %s %ld", k ? "," : " –", step_words[k],
                     q->steps[k]);
      dashbuf_add(b, "</p>");
    }
    if(q->has_last) {
      if(q->last_shown && q->last_n > 0) {
        snprintf(label, sizeof(label), "%d", c->year - 1);
        samvout_bar(b, q->last_steps, q->last_n, label, 1);
        dashbuf_addf(b, "<p class=\"muted\" data-last=\"1\">%d (jämförbar "
                     "fråga): %ld möten, medel ", c->year - 1, q->last_n);
        html_mean(b, q->last_mean);
        dashbuf_add(b, "</p>");
      }
      else
        dashbuf_addf(b, "<p class=\"muted\">%d: jämförbar fråga, men inget "
                     "som kan visas.</p>", c->year - 1);
    }
    else if(x->is_new)
      dashbuf_add(b, "<p class=\"muted\">Ny fråga i år.</p>");
  }
  else if(!q->shown)
    dashbuf_addf(b, "<p class=\"muted\" data-hidden=\"1\">Visas inte: färre "
                 "än %d möten har skrivit något.</p>", c->threshold);
  if(q->shown && q->n_comments > 0) {
    dashbuf_addf(b, "<p class=\"muted\">Kommentarer (%d):</p>"
                 "<ul class=\"comments\">", q->n_comments);
    for(int k = 0; k < q->n_comments; k++) {
      dashbuf_add(b, "<li>");
      dashbuf_html(b, q->comments[k]);
      dashbuf_add(b, "</li>");
    }
    dashbuf_add(b, "</ul>");
  }
  dashbuf_add(b, "</div>");
}

void samvout_html(struct dashbuf *b, struct samv_comp *const *comps, int n)
{
  for(int ci = 0; ci < n; ci++) {
    const struct samv_comp *c = comps[ci];
    const char *prev = NULL;
    dashbuf_addf(b, "<section class=\"comp\" data-type=\"%s\"><h2>",
                 c->set->id);
    dashbuf_html(b, qset_text(&c->set->title, "sv"));
    dashbuf_addf(b, " %d – ", c->year);
    dashbuf_html(b, group_label(c));
    dashbuf_addf(b, "</h2><p>Antal möten: <b data-meetings=\"%ld\">%ld</b>"
                 " (%d: %ld). Resultatet visas inte per enhet.</p>",
                 c->meetings, c->meetings, c->year - 1, c->last_meetings);
    dashbuf_add(b, "<p class=\"legend\" aria-hidden=\"true\">");
    for(int k = 0; k < 4; k++)
      dashbuf_addf(b, "<span><i class=\"sw\" style=\"background:%s\"></i>%s"
                   "</span>", step_colors[k], step_words[k]);
    dashbuf_add(b, "</p>");
    if(!c->shown) {
      dashbuf_addf(b, "<p class=\"warn\" data-hidden=\"1\">Färre än %d "
                   "avslutade möten: ingen sammanställning visas (skyddar "
                   "enskilda enheter).</p></section>", c->threshold);
      continue;
    }
    html_people(b, c);
    html_extremes(b, c, c->top, "Högst skattade");
    html_extremes(b, c, c->bottom, "Lägst skattade");
    for(int i = 0; i < c->set->n_questions; i++) {
      const char *sec = qset_text(&c->set->questions[i].section, "sv");
      if(!prev || strcmp(prev, sec) != 0) {
        dashbuf_add(b, "<h3>");
        dashbuf_html(b, *sec ? sec : "Frågor");
        dashbuf_add(b, "</h3>");
        prev = sec;
      }
      html_question(b, c, i, i + 1);
    }
    dashbuf_add(b, "</section>");
  }
}

/* ---- CSV ------------------------------------------------------------------- */

void samvout_csv(struct dashbuf *b, struct samv_comp *const *comps, int n)
{
  static const char *const head[] = {
    "Mötestyp", "År", "Område", "Avsnitt", "Fråga-id", "Fråga", "Möten",
    "Stämmer inte alls", "Stämmer dåligt", "Stämmer ganska bra",
    "Stämmer helt", "Medel", "Föregående år möten", "Föregående år inte alls",
    "Föregående år dåligt", "Föregående år ganska bra", "Föregående år helt",
    "Föregående år medel", "Status"};
  struct csvout c;
  csvout_begin(&c, b);
  for(size_t k = 0; k < PR_ARRAY_LEN(head); k++)
    csvout_text(&c, head[k]);
  csvout_eol(&c);
  for(int ci = 0; ci < n; ci++) {
    const struct samv_comp *m = comps[ci];
    for(int i = 0; i < m->set->n_questions; i++) {
      const struct qset_question *x = &m->set->questions[i];
      const struct samv_qres *q = &m->q[i];
      csvout_text(&c, m->set->id);
      csvout_int(&c, m->year);
      csvout_text(&c, group_label(m));
      csvout_text(&c, qset_text(&x->section, "sv"));
      csvout_text(&c, x->id);
      csvout_text(&c, qset_text(&x->text, "sv"));
      if(!q->shown) {
        for(int k = 0; k < 12; k++)
          csvout_text(&c, NULL);
        csvout_text(&c, "visas inte (skyddar enskilda enheter)");
        csvout_eol(&c);
        continue;
      }
      csvout_int(&c, q->n);
      for(int k = 0; k < 4; k++)
        if(x->type == QSET_TEXT)
          csvout_text(&c, NULL);
        else
          csvout_int(&c, q->steps[k]);
      if(x->type == QSET_TEXT || q->n == 0)
        csvout_text(&c, NULL);
      else
        csvout_num(&c, q->mean, 2);
      if(q->has_last && q->last_shown && q->last_n > 0) {
        csvout_int(&c, q->last_n);
        for(int k = 0; k < 4; k++)
          csvout_int(&c, q->last_steps[k]);
        csvout_num(&c, q->last_mean, 2);
      }
      else
        for(int k = 0; k < 6; k++)
          csvout_text(&c, NULL);
      csvout_text(&c, x->type == QSET_TEXT ? "fritext" : "");
      csvout_eol(&c);
    }
  }
  /* The comments, after an empty line: type, question, text. */
  csvout_eol(&c);
  csvout_text(&c, "Mötestyp");
  csvout_text(&c, "Område");
  csvout_text(&c, "Fråga-id");
  csvout_text(&c, "Kommentar");
  csvout_eol(&c);
  for(int ci = 0; ci < n; ci++) {
    const struct samv_comp *m = comps[ci];
    for(int i = 0; i < m->set->n_questions; i++)
      for(int k = 0; m->q[i].shown && k < m->q[i].n_comments; k++) {
        csvout_text(&c, m->set->id);
        csvout_text(&c, group_label(m));
        csvout_text(&c, m->set->questions[i].id);
        csvout_text(&c, m->q[i].comments[k]);
        csvout_eol(&c);
      }
  }
}

/* ---- Excel ------------------------------------------------------------------ */

struct xctx {
  struct samv_comp *const *comps;
  int n;
};

static void one_sheet(lxw_workbook *wb, lxw_format *bold, lxw_format *dec,
                      lxw_format *pct, const struct samv_comp *c)
{
  char name[32], title[200];
  const int top = 6;
  lxw_worksheet *ws;
  int row = top + 1, first = -1, last = -1;

  snprintf(name, sizeof(name), "%.31s", c->set->id);
  if(workbook_get_worksheet_by_name(wb, name))
    return;
  ws = workbook_add_worksheet(wb, name);
  if(!ws)
    return;
  snprintf(title, sizeof(title), "%s %d – %s",
           qset_text(&c->set->title, "sv"), c->year, group_label(c));
  worksheet_write_string(ws, 0, 0, title, bold);
  worksheet_write_string(ws, 1, 0, "Antal möten", NULL);
  worksheet_write_number(ws, 1, 1, (double)c->meetings, NULL);
  snprintf(title, sizeof(title), "Antal möten %d", c->year - 1);
  worksheet_write_string(ws, 2, 0, title, NULL);
  worksheet_write_number(ws, 2, 1, (double)c->last_meetings, NULL);
  snprintf(title, sizeof(title), "Frågor som färre än %d möten svarat på "
           "visas inte. Resultatet visas inte per enhet.", c->threshold);
  worksheet_write_string(ws, 3, 0, title, NULL);
  if(!c->shown) {
    worksheet_write_string(ws, 4, 0, "För få avslutade möten: ingen "
                           "sammanställning visas.", bold);
    return;
  }
  {
    static const char *const head[] = {
      "Fråga", "Avsnitt", "Fråga-id", "Möten", "Stämmer inte alls",
      "Stämmer dåligt", "Stämmer ganska bra", "Stämmer helt", "Medel",
      "Föregående år möten", "Föregående år medel",
      /* the chart's data: shares, the negative steps below zero */
      "Andel dåligt (diagram)", "Andel inte alls (diagram)",
      "Andel ganska bra (diagram)", "Andel helt (diagram)"};
    xlsx_head_row(ws, top, head, PR_ARRAY_LEN(head), bold);
  }
  /* Rated questions first, in one block, so the chart is one range. */
  for(int pass = 0; pass < 2; pass++)
    for(int i = 0; i < c->set->n_questions; i++) {
      const struct qset_question *x = &c->set->questions[i];
      const struct samv_qres *q = &c->q[i];
      char qt[1100];
      if((x->type == QSET_TEXT) != (pass == 1))
        continue;
      snprintf(qt, sizeof(qt), "%d. %s", i + 1, qset_text(&x->text, "sv"));
      worksheet_write_string(ws, (lxw_row_t)row, 0, qt, NULL);
      worksheet_write_string(ws, (lxw_row_t)row, 1,
                             qset_text(&x->section, "sv"), NULL);
      worksheet_write_string(ws, (lxw_row_t)row, 2, x->id, NULL);
      if(!q->shown)
        worksheet_write_string(ws, (lxw_row_t)row, 3, "visas inte", NULL);
      else {
        worksheet_write_number(ws, (lxw_row_t)row, 3, (double)q->n, NULL);
        if(x->type != QSET_TEXT) {
          for(int k = 0; k < 4; k++)
            worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(4 + k),
                                   (double)q->steps[k], NULL);
          if(q->n > 0) {
            static const int order[4] = {1, 0, 2, 3};
            worksheet_write_number(ws, (lxw_row_t)row, 8, q->mean, dec);
            for(int k = 0; k < 4; k++) {
              double v = (double)q->steps[order[k]] / (double)q->n;
              worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(11 + k),
                                     order[k] < 2 ? -v : v, pct);
            }
          }
        }
      }
      if(q->has_last && q->last_shown && q->last_n > 0) {
        worksheet_write_number(ws, (lxw_row_t)row, 9, (double)q->last_n,
                               NULL);
        worksheet_write_number(ws, (lxw_row_t)row, 10, q->last_mean, dec);
      }
      if(pass == 0) {
        if(first < 0)
          first = row;
        last = row;
      }
      row++;
    }
  worksheet_set_column(ws, 0, 0, 60, NULL);
  worksheet_set_column(ws, 1, 1, 30, NULL);
  worksheet_set_column(ws, 2, 14, 12, NULL);
  /* Comments below the figures. */
  row += 1;
  worksheet_write_string(ws, (lxw_row_t)row++, 0, "Kommentarer", bold);
  for(int i = 0; i < c->set->n_questions; i++)
    for(int k = 0; c->q[i].shown && k < c->q[i].n_comments; k++) {
      worksheet_write_string(ws, (lxw_row_t)row, 0, c->q[i].comments[k],
                             NULL);
      worksheet_write_string(ws, (lxw_row_t)row, 2, c->set->questions[i].id,
                             NULL);
      row++;
    }
  if(first >= 0) {
    /* A diverging bar: a stacked bar whose negative steps are negative
     * shares, stacked from the zero line outwards (dåligt first). */
    static const int order[4] = {1, 0, 2, 3};
    static const lxw_color_t colors[4] = {0xB3261E, 0xEC9A93, 0x8FB8E0,
                                          0x1D4F91};
    lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_BAR_STACKED);
    if(!ch)
      return;
    for(int k = 0; k < 4; k++) {
      lxw_chart_series *se = xlsx_series(ch, name, first, last, 2, 11 + k,
                                         step_words[order[k]]);
      lxw_chart_fill fill = {0};
      fill.color = colors[order[k]];
      if(se)
        chart_series_set_fill(se, &fill);
    }
    chart_set_series_overlap(ch, 100);
    chart_axis_set_min(ch->x_axis, -1);
    chart_axis_set_max(ch->x_axis, 1);
    chart_axis_set_num_format(ch->x_axis, "0%;0%");
    snprintf(title, sizeof(title), "%s %d", qset_text(&c->set->title, "sv"),
             c->year);
    chart_title_set_name(ch, title);
    chart_axis_set_reverse(ch->y_axis);
    worksheet_insert_chart(ws, 1, 16, ch);
  }
}

static void fill_samv(lxw_workbook *wb, lxw_format *bold, void *ctx)
{
  static const char *const about[] = {
    "Varje möte skattar varje påstående 1–4: Stämmer inte alls, Stämmer "
    "dåligt, Stämmer ganska bra, Stämmer helt. Medel = medelvärdet 1–4.",
    "Endast avslutade (Klar) möten räknas. Resultatet visas aldrig per "
    "enhet; en länsdel eller länet visas bara när minst tröskeln antal "
    "möten svarat.",
    "Föregående år: bara frågor som är jämförbara mellan åren (vissa är "
    "omformulerade; förra året kan ha varit ett gemensamt formulär). "
    "Jämför med försiktighet."};
  const struct xctx *x = ctx;
  lxw_format *dec = workbook_add_format(wb);
  lxw_format *pct = workbook_add_format(wb);
  format_set_num_format(dec, "0.00");
  format_set_num_format(pct, "0%;0%");
  for(int i = 0; i < x->n; i++)
    one_sheet(wb, bold, dec, pct, x->comps[i]);
  xlsx_about(wb, bold, "Samverkansuppföljning – sammanställning", about,
             PR_ARRAY_LEN(about));
}

enum pr_rc samvout_xlsx(struct samv_comp *const *comps, int n, char **out,
                        size_t *len, char *err)
{
  struct xctx x = {comps, n};
  return xlsx_build(fill_samv, &x, out, len, err);
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *steps_json(const long s[4])
{
  return json_pack("[I,I,I,I]", (json_int_t)s[0], (json_int_t)s[1],
                   (json_int_t)s[2], (json_int_t)s[3]);
}

json_t *samvout_json(const struct samv_comp *c)
{
  json_t *j, *qs, *people, *hi, *lo;
  j = json_pack("{s:s,s:s,s:i,s:s,s:i,s:I,s:I,s:b}", "type", c->set->id,
                "title", qset_text(&c->set->title, "sv"), "year", c->year,
                "group", c->group, "threshold", c->threshold, "meetings",
                (json_int_t)c->meetings, "last_meetings",
                (json_int_t)c->last_meetings, "shown", c->shown);
  qs = json_array();
  people = json_array();
  hi = json_array();
  lo = json_array();
  if(!j || !qs || !people || !hi || !lo) {
    json_decref(j);
    json_decref(qs);
    json_decref(people);
    json_decref(hi);
    json_decref(lo);
    return NULL;
  }
  for(int r = 0; c->shown && r < SAMV_N_ROLES; r++)
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
      json_array_append_new(people, json_pack("{s:s,s:s,s:I}", "role",
                                              samv_roles[r], "employer",
                                              samv_employers[e], "n",
                                              (json_int_t)c->people[r][e]));
  for(int k = 0; c->shown && k < 3; k++) {
    if(c->top[k] >= 0)
      json_array_append_new(hi, json_string(c->set->questions[c->top[k]].id));
    if(c->bottom[k] >= 0)
      json_array_append_new(lo,
                            json_string(c->set->questions[c->bottom[k]].id));
  }
  for(int i = 0; c->shown && i < c->set->n_questions; i++) {
    const struct qset_question *x = &c->set->questions[i];
    const struct samv_qres *q = &c->q[i];
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", x->id, "section",
                          qset_text(&x->section, "sv"), "text",
                          qset_text(&x->text, "sv"), "type",
                          x->type == QSET_TEXT ? "text" : "rating", "shown",
                          q->shown);
    if(!o)
      continue;
    if(q->shown) {
      json_t *cm = json_array();
      json_object_set_new(o, "n", json_integer((json_int_t)q->n));
      if(x->type != QSET_TEXT) {
        json_object_set_new(o, "steps", steps_json(q->steps));
        json_object_set_new(o, "mean", q->n ? json_real(q->mean) : json_null());
      }
      for(int k = 0; cm && k < q->n_comments; k++)
        json_array_append_new(cm, json_string(q->comments[k]));
      json_object_set_new(o, "comments", cm);
    }
    if(q->has_last) {
      json_t *l = json_pack("{s:b}", "shown", q->last_shown && q->last_n > 0);
      if(l && q->last_shown && q->last_n > 0) {
        json_object_set_new(l, "n", json_integer((json_int_t)q->last_n));
        json_object_set_new(l, "steps", steps_json(q->last_steps));
        json_object_set_new(l, "mean", json_real(q->last_mean));
      }
      json_object_set_new(o, "last_year", l);
    }
    else
      json_object_set_new(o, "new", json_boolean(x->is_new));
    json_array_append_new(qs, o);
  }
  json_object_set_new(j, "participants", people);
  json_object_set_new(j, "highest", hi);
  json_object_set_new(j, "lowest", lo);
  json_object_set_new(j, "questions", qs);
  return j;
}
