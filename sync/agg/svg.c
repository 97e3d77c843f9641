/* svg.c — This file contains the server-side SVG line chart (svg.h).
 * Colours are a blue/orange pair that stays distinct for the common forms
 * of colour blindness and in greyscale print (the region line is also
 * dashed, the goal line dotted), so no reading depends on colour alone. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define COL_UNIT   "#1d4f91"
#define COL_BAND   "#1d4f91"
#define COL_REGION "#c25400"
#define COL_GOAL   "#2f7d32"
#define COL_GRID   "#d6d6d6"
#define COL_TEXT   "#222222"
#define COL_MUTED  "#555555"

struct frame {
  double left, right, top, bottom;
  int n;
};

/* Points sit 16 px inside the plot so the first and last labels fit. */
static double px(const struct frame *f, int i)
{
  double l = f->left + 16, r = f->right - 16;
  if(f->n == 1)
    return (l + r) / 2.0;
  return l + (r - l) * (double)i / (double)(f->n - 1);
}

static double py(const struct frame *f, double share)
{
  return f->bottom - (f->bottom - f->top) * share;
}

static int in_unit(double v) { return v >= 0.0 && v <= 1.0 && !isnan(v); }

static int check_points(const struct svg_point *p, int n)
{
  int i;
  if(!p)
    return 0;
  for(i = 0; i < n; i++)
    if(p[i].shown && (!in_unit(p[i].share) || !in_unit(p[i].lo) ||
                      !in_unit(p[i].hi)))
      return -1;
  return 0;
}

/* The band as one polygon per run of consecutive shown points. */
static void draw_band(const struct frame *f, const struct svg_point *p,
                      struct dashbuf *b)
{
  int i = 0, j, k;
  while(i < f->n) {
    while(i < f->n && !p[i].shown)
      i++;
    j = i;
    while(j < f->n && p[j].shown)
      j++;
    if(j - i >= 1 && i < f->n) {
      dashbuf_add(b, "<polygon class=\"band\" fill=\"" COL_BAND
                     "\" fill-opacity=\"0.15\" stroke=\"none\" points=\"");
      if(j - i == 1) { /* a lone point: a narrow bar */
        dashbuf_addf(b, "%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f",
                     px(f, i) - 6, py(f, p[i].hi), px(f, i) + 6,
                     py(f, p[i].hi), px(f, i) + 6, py(f, p[i].lo),
                     px(f, i) - 6, py(f, p[i].lo));
      }
      else {
        for(k = i; k < j; k++)
          dashbuf_addf(b, "%.1f,%.1f ", px(f, k), py(f, p[k].hi));
        for(k = j - 1; k >= i; k--)
          dashbuf_addf(b, "%.1f,%.1f ", px(f, k), py(f, p[k].lo));
      }
      dashbuf_add(b, "\"/>\n");
    }
    i = j;
  }
}

static void draw_line(const struct frame *f, const struct svg_point *p,
                      const char *cls, const char *colour, const char *dash,
                      struct dashbuf *b)
{
  int i = 0, j, k;
  while(i < f->n) {
    while(i < f->n && !p[i].shown)
      i++;
    j = i;
    while(j < f->n && p[j].shown)
      j++;
    if(j - i >= 2) {
      dashbuf_addf(b, "<polyline class=\"%s\" fill=\"none\" stroke=\"%s\" "
                      "stroke-width=\"2.5\"%s points=\"", cls, colour, dash);
      for(k = i; k < j; k++)
        dashbuf_addf(b, "%.1f,%.1f ", px(f, k), py(f, p[k].share));
      dashbuf_add(b, "\"/>\n");
    }
    i = j;
  }
}

static void legend_item(struct dashbuf *b, double x, const char *colour,
                        const char *dash, const char *text, int band)
{
  if(band)
    dashbuf_addf(b, "<rect x=\"%.0f\" y=\"8\" width=\"22\" height=\"12\" "
                    "fill=\"" COL_BAND "\" fill-opacity=\"0.15\"/>", x);
  else
    dashbuf_addf(b, "<line x1=\"%.0f\" y1=\"14\" x2=\"%.0f\" y2=\"14\" "
                    "stroke=\"%s\" stroke-width=\"2.5\"%s/>", x, x + 22,
                 colour, dash);
  dashbuf_addf(b, "<text x=\"%.0f\" y=\"18\" font-size=\"13\" fill=\""
                  COL_TEXT "\">", x + 28);
  dashbuf_html(b, text);
  dashbuf_add(b, "</text>\n");
}

enum pr_rc svg_line_chart(const struct svg_chart *c, struct dashbuf *b)
{
  struct frame f;
  int w = c->width > 0 ? c->width : 760;
  int h = c->height > 0 ? c->height : 320;
  int i, step_label, step_n;
  double spacing, lx;
  char goal_text[48];

  if(c->n < 1 || check_points(c->unit, c->n) != 0 ||
     check_points(c->region, c->n) != 0 || c->goal > 1.0)
    return PR_EINVAL;
  f.left = 52;
  f.right = w - 24;
  f.top = 40;
  f.bottom = h - 58;
  f.n = c->n;
  spacing = c->n > 1 ? (f.right - f.left - 32) / (c->n - 1) : f.right - f.left;
  step_label = spacing >= 44 ? 1 : (int)ceil(44.0 / spacing);
  step_n = spacing >= 26 ? 1 : (int)ceil(26.0 / spacing);

  dashbuf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                  "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                  "role=\"img\" font-family=\"DejaVu Sans, Noto Sans, "
                  "Arial, sans-serif\"><title>", w, h, w, h);
  dashbuf_html(b, c->title ? c->title : "");
  dashbuf_add(b, "</title>\n");

  /* Grid and axis labels every 25 %. */
  for(i = 0; i <= 4; i++) {
    double y = py(&f, i / 4.0);
    dashbuf_addf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
                    "stroke=\"" COL_GRID "\" stroke-width=\"1\"/>"
                    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" "
                    "text-anchor=\"end\" fill=\"" COL_MUTED "\">%d %%</text>\n",
                 f.left, y, f.right, y, f.left - 6, y + 4, i * 25);
  }
  if(c->unit)
    draw_band(&f, c->unit, b);
  if(c->goal >= 0.0) {
    double y = py(&f, c->goal);
    dashbuf_addf(b, "<line class=\"goal\" x1=\"%.0f\" y1=\"%.1f\" "
                    "x2=\"%.0f\" y2=\"%.1f\" stroke=\"" COL_GOAL "\" "
                    "stroke-width=\"2\" stroke-dasharray=\"2 4\" "
                    "stroke-linecap=\"round\"/>\n",
                 f.left, y, f.right, y);
  }
  if(c->region)
    draw_line(&f, c->region, "region", COL_REGION,
              " stroke-dasharray=\"8 5\"", b);
  if(c->unit)
    draw_line(&f, c->unit, "unit", COL_UNIT, "", b);

  /* Points, with a tooltip and the figures as data attributes. */
  for(i = 0; i < c->n; i++) {
    const struct svg_point *p;
    if(c->region && c->region[i].shown) {
      p = &c->region[i];
      dashbuf_addf(b, "<circle class=\"rpt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                      "fill=\"" COL_REGION "\"/>\n", px(&f, i),
                   py(&f, p->share));
    }
    if(!c->unit)
      continue;
    p = &c->unit[i];
    if(!p->shown)
      continue;
    dashbuf_addf(b, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
                    "fill=\"" COL_UNIT "\" stroke=\"#fff\" stroke-width=\"1.5\" "
                    "data-period=\"", px(&f, i), py(&f, p->share));
    dashbuf_html(b, c->labels[i]);
    dashbuf_add(b, "\" data-share=\"");
    dashbuf_num(b, p->share * 100.0, 1, '.');
    dashbuf_addf(b, "\" data-n=\"%ld\"><title>", p->n);
    dashbuf_html(b, c->labels[i]);
    dashbuf_add(b, ": ");
    dashbuf_num(b, p->share * 100.0, 0, ',');
    dashbuf_add(b, " % (95 % KI ");
    dashbuf_num(b, p->lo * 100.0, 0, ',');
    dashbuf_add(b, "–");
    dashbuf_num(b, p->hi * 100.0, 0, ',');
    dashbuf_addf(b, "), n = %ld</title></circle>\n", p->n);
  }

  /* Period labels and n under each point. */
  dashbuf_addf(b, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" "
                  "text-anchor=\"end\" fill=\"" COL_MUTED "\">n</text>\n",
               f.left - 6, f.bottom + 38);
  for(i = 0; i < c->n; i++) {
    double x = px(&f, i);
    /* Count from the newest point so it always has its label. */
    if((c->n - 1 - i) % step_label == 0) {
      dashbuf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                      "text-anchor=\"middle\" fill=\"" COL_TEXT "\">",
                   x, f.bottom + 18);
      dashbuf_html(b, c->labels[i]);
      dashbuf_add(b, "</text>\n");
    }
    if(c->unit && (c->n - 1 - i) % step_n == 0) {
      const struct svg_point *p = &c->unit[i];
      dashbuf_addf(b, "<text class=\"n\" x=\"%.1f\" y=\"%.1f\" "
                      "font-size=\"11\" text-anchor=\"middle\" fill=\""
                      COL_MUTED "\">", x, f.bottom + 38);
      if(p->suppressed)
        dashbuf_add(b, "dolt");
      else if(p->shown)
        dashbuf_addf(b, "%ld", p->n);
      else
        dashbuf_add(b, "–");
      dashbuf_add(b, "</text>\n");
    }
  }

  /* Legend along the top. */
  lx = f.left;
  if(c->unit && c->unit_name) {
    legend_item(b, lx, COL_UNIT, "", c->unit_name, 0);
    lx += 48 + 8.2 * (double)strlen(c->unit_name);
  }
  if(c->region) {
    legend_item(b, lx, COL_REGION, " stroke-dasharray=\"8 5\"",
                c->region_name ? c->region_name : "Regionen", 0);
    lx += 48 + 8.2 * 8;
  }
  if(c->goal >= 0.0) {
    snprintf(goal_text, sizeof(goal_text), "Mål %.0f %%", c->goal * 100.0);
    legend_item(b, lx, COL_GOAL, " stroke-dasharray=\"2 4\"", goal_text, 0);
    lx += 48 + 8.2 * 8;
  }
  if(c->unit)
    legend_item(b, lx, NULL, "", "95 % konfidensintervall", 1);
  dashbuf_add(b, "</svg>\n");
  return dashbuf_status(b);
}
