/* layout_int.h — the toolkit layout.c gives the screens (metrics, items,
 * text fitting, buttons, the bars, mirroring).  The screens themselves are
 * layout_screens.h.  Not for use outside layout*.c. */
#ifndef LAYOUT_INT_H
#define LAYOUT_INT_H

#include "layout.h"

#define MAX_LINES 64   /* lines one text block may wrap to */

struct met {
  double u;            /* scale against the 1280 x 800 design */
  double ts;           /* text scale: 1, or more with large text */
  int M, G, pad;       /* margin, gap, inner padding */
  int target;          /* smallest side of a patient target */
  int bar_h, corner;
  int min_px;          /* readable minimum for patient text */
  int key_want, key_min; /* keyboard key height: wanted, smallest before
                            the free-text screen gives up its top bar */
  int small;           /* a short panel (a 7-inch one): the welcome puts
                          its languages in the top bar */
};

/* A panel shorter than this many millimetres is small (a 7-inch one is
 * about 90 mm tall, a 10-inch one 135 mm). */
#define LAY_SMALL_PANEL_MM 110.0
/* On-screen keyboard keys: wanted and smallest height (10-inch screens
 * always get at least the smallest). */
#define LAY_KEY_WANT_MM 11.0
#define LAY_KEY_MIN_MM 10.0

enum { AL_START = 0, AL_CENTER = 1 };

/* The metrics of window e (large: the patients' large text). */
void lay_met_init(struct met *m, const struct lay_env *e, int large);
int lay_px_of(const struct met *m, double design);
struct lay_item *lay_add(struct lay *l, enum lay_kind k, struct lay_rect r);
struct lay_rect lay_r(int x, int y, int w, int h);
void lay_fill(struct lay *l, struct lay_rect r, enum theme_role bg);
void lay_box(struct lay *l, const struct met *m, struct lay_rect r,
             enum theme_role face, enum theme_role edge, enum pt_target t,
             int index);
void lay_icon_at(struct lay *l, struct lay_rect r, enum lay_icon ic,
                 enum theme_role fg, int flip);
const char *lay_keep(struct lay *l, const char *s);
int lay_text_block(struct lay *l, const struct lay_env *e, const struct met *m,
                   const char *text, enum lay_font f, struct lay_rect b,
                   int pref, int minpx, int align, int valign,
                   enum theme_role fg, int rtl);
int lay_text_h(const struct lay_env *e, const char *text, enum lay_font f,
               int w, int px);
void lay_button(struct lay *l, const struct lay_env *e, const struct met *m,
                struct lay_rect r, const char *label, int px,
                enum theme_role face, enum theme_role edge, enum theme_role fg,
                enum lay_font f, int rtl, enum pt_target t, int index);
void lay_icon_button(struct lay *l, const struct lay_env *e,
                     const struct met *m, struct lay_rect r, enum lay_icon ic,
                     int flip, const char *label, int px, enum theme_role face,
                     enum theme_role edge, enum theme_role fg, int rtl,
                     enum pt_target t, int index);
int lay_label_w(const struct lay_env *e, const char *s, int px,
                enum lay_font f);
const char *lay_t(const struct lay_env *e, const char *lang,
                  enum uitext_key k);
int lay_top_bar(struct lay *l, const struct lay_env *e, const struct met *m,
                const char *lang, int rtl, int speaker);
void lay_progress(struct lay *l, const struct lay_env *e, const struct met *m,
                  const struct patient *p, int x_end, int rtl);
/* The height of a banner saying text across the window (one line and
 * padding, more when it wraps; never more than a target). */
int lay_banner_h(const struct lay_env *e, const struct met *m,
                 const char *text);
void lay_banner(struct lay *l, const struct lay_env *e, const struct met *m,
                struct lay_rect r, const char *text, int rtl);
void lay_mirror(struct lay *l, int W);

#endif
