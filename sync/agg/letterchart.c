/* letterchart.c — This file contains the letters' trend chart
 * (letterchart.h), drawn with cairo into an image surface and written as
 * PNG through a growable buffer. */
#include "letterchart.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>

#include "dashbuf.h"

#define PAD_L 44.0
#define PAD_R 10.0
#define PAD_T 10.0
#define PAD_B 24.0

static cairo_status_t png_write(void *closure, const unsigned char *data,
                                unsigned int length)
{
  struct dashbuf *b = closure;
  dashbuf_addn(b, (const char *)data, length);
  return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static double px(int i, int n)
{
  double w = LETTERCHART_WIDTH - PAD_L - PAD_R;
  return PAD_L + (n > 1 ? w * i / (n - 1) : w / 2);
}

static double py(double v)
{
  double h = LETTERCHART_HEIGHT - PAD_T - PAD_B;
  if(v < 0)
    v = 0;
  if(v > 1)
    v = 1;
  return PAD_T + h * (1.0 - v);
}

static void series(cairo_t *cr, const struct letterchart_point *p, int n)
{
  int i, open = 0;
  for(i = 0; i < n; i++) {
    if(!p[i].shown) {
      open = 0;
      continue;
    }
    if(open)
      cairo_line_to(cr, px(i, n), py(p[i].share));
    else
      cairo_move_to(cr, px(i, n), py(p[i].share));
    open = 1;
  }
  cairo_stroke(cr);
}

enum pr_rc letterchart_png(const struct letterchart_point *unit,
                           const struct letterchart_point *region, int n,
                           double goal, const char (*labels)[INDIC_LABEL_LEN],
                           unsigned char **png, size_t *len, char *err)
{
  cairo_surface_t *sf = NULL;
  cairo_t *cr = NULL;
  struct dashbuf b;
  static const double dash[] = { 5.0, 4.0 };
  enum pr_rc rc = PR_EINTERNAL;
  char txt[16];
  int i, k;

  *png = NULL;
  *len = 0;
  if(n < 1 || n > 60) {
    pr_seterr(err, "chart: 1..60 points, not %d", n);
    return PR_EINVAL;
  }
  dashbuf_init(&b);
  sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, LETTERCHART_WIDTH,
                                  LETTERCHART_HEIGHT);
  if(cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS)
    goto out;
  cr = cairo_create(sf);
  if(cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    goto out;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 10);
  /* Grid every 25 %, labelled. */
  cairo_set_line_width(cr, 1);
  for(k = 0; k <= 4; k++) {
    double y = py(k * 0.25);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    cairo_move_to(cr, PAD_L, y + 0.5);
    cairo_line_to(cr, LETTERCHART_WIDTH - PAD_R, y + 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    snprintf(txt, sizeof(txt), "%d %%", k * 25);
    cairo_move_to(cr, 4, y + 4);
    cairo_show_text(cr, txt);
  }
  if(labels) {
    cairo_move_to(cr, PAD_L - 12, LETTERCHART_HEIGHT - 8);
    cairo_show_text(cr, labels[0]);
    if(n > 1) {
      cairo_text_extents_t ext;
      cairo_text_extents(cr, labels[n - 1], &ext);
      cairo_move_to(cr, LETTERCHART_WIDTH - PAD_R - ext.width,
                    LETTERCHART_HEIGHT - 8);
      cairo_show_text(cr, labels[n - 1]);
    }
  }
  /* Goal: dashed dark orange. */
  cairo_set_source_rgb(cr, 0.8, 0.4, 0.0);
  cairo_set_dash(cr, dash, 2, 0);
  cairo_move_to(cr, PAD_L, py(goal));
  cairo_line_to(cr, LETTERCHART_WIDTH - PAD_R, py(goal));
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  if(region) {
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr, 1.5);
    series(cr, region, n);
  }
  /* Intervals as light bars, the unit's line and points over them. */
  cairo_set_source_rgba(cr, 0.0, 0.35, 0.7, 0.25);
  for(i = 0; i < n; i++)
    if(unit[i].shown) {
      cairo_rectangle(cr, px(i, n) - 3, py(unit[i].hi), 6,
                      py(unit[i].lo) - py(unit[i].hi));
      cairo_fill(cr);
    }
  cairo_set_source_rgb(cr, 0.0, 0.35, 0.7);
  cairo_set_line_width(cr, 2);
  series(cr, unit, n);
  for(i = 0; i < n; i++)
    if(unit[i].shown) {
      cairo_arc(cr, px(i, n), py(unit[i].share), 2.5, 0, 6.2832);
      cairo_fill(cr);
    }
  cairo_surface_flush(sf);
  if(cairo_surface_write_to_png_stream(sf, png_write, &b) !=
     CAIRO_STATUS_SUCCESS) {
    rc = b.failed ? PR_ENOMEM : PR_EINTERNAL;
    goto out;
  }
  *png = (unsigned char *)dashbuf_take(&b, len);
  rc = *png ? PR_OK : PR_ENOMEM;
out:
  if(rc != PR_OK)
    pr_seterr(err, "chart: cairo could not draw the PNG");
  if(cr)
    cairo_destroy(cr);
  if(sf)
    cairo_surface_destroy(sf);
  dashbuf_free(&b);
  return rc;
}

void letterchart_shutdown(void)
{
  cairo_debug_reset_static_data();
  FcFini();
}
