/* layout.h — where everything on a kiosk screen goes, as a plain function
 * of the patient model (patient.h), the screen size and a text-measuring
 * callback: a list of boxes, text lines and icons, each tagged with the
 * tap target it is.  Long text wraps and, when it still does not fit,
 * shrinks towards a readable minimum; right-to-left languages get the
 * whole layout mirrored (the on-screen keyboard keeps the order of a
 * physical keyboard).  Answer targets are at least A11Y_MIN_TARGET_MM on
 * the configured screen.  No SDL: kdraw.h draws the list, tests read it. */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "patient.h"
#include "theme.h"
#include "uitext.h"

struct lay_rect {
  int x, y, w, h;
};

enum lay_kind {
  LAY_FILL,      /* a plain rectangle in colour bg */
  LAY_BOX,       /* a button or field: face bg, edge fg (edge px wide) */
  LAY_TEXT,      /* one line of text in colour fg */
  LAY_ICON       /* a drawn icon in colour fg */
};

enum lay_font { LAY_REGULAR = 0, LAY_BOLD = 1 };

enum lay_icon {
  ICON_SPEAKER, ICON_BACK, ICON_CHECK, ICON_BACKSPACE, ICON_SHIFT,
  ICON_CONTRAST, ICON_TEXTSIZE, ICON_DOT, ICON_RING
};

struct lay_item {
  enum lay_kind kind;
  struct lay_rect r;
  enum theme_role fg, bg;
  int edge, radius;              /* LAY_BOX */
  const char *text;              /* LAY_TEXT: borrowed, len bytes, valid  */
  size_t len;                    /*   until the model or struct lay changes */
  int px;                        /* font size in pixels */
  enum lay_font font;
  int rtl;                       /* shape right-to-left */
  enum lay_icon icon;            /* LAY_ICON */
  int flip;                      /* LAY_ICON: mirrored (arrows in RTL) */
  enum pt_target target;         /* what a tap here does; PT_T_NONE */
  int index;
};

/* Width and line height of text[0..len) at px in font, in pixels. */
typedef void (*lay_measure_fn)(void *ctx, const char *text, size_t len,
                               int px, enum lay_font font, int *w, int *h);

struct lay_env {
  int w, h;                      /* window pixels */
  double px_per_mm;              /* of the physical screen */
  lay_measure_fn measure;
  void *measure_ctx;
  const struct uitext *ui;
  int audio;                     /* read-aloud available: speaker buttons */
  const char *sync_text;         /* staff menu: three lines, or NULL (off) */
  const char *audio_text;        /* staff menu: "Ljud: på (alsa)" */
  uint64_t now;                  /* for countdowns */
};

#define LAY_MAX_ITEMS 640
#define LAY_STR_CAP 8192

struct lay {
  int n;
  struct lay_item it[LAY_MAX_ITEMS];
  int rtl;                       /* the screen was mirrored */
  int min_px;                    /* smallest text size used */
  int overflow;                  /* text had to go below the readable
                                    minimum to fit (a set too wordy) */
  const char *overflow_text;     /* the first such text (borrowed) */
  int target_px;                 /* the minimum target side used */
  size_t str_used;
  char str[LAY_STR_CAP];         /* texts the layout composed itself */
};

/* Lay out the screen p shows into *out (everything in it is replaced). */
void layout_build(const struct patient *p, const struct lay_env *env,
                  struct lay *out);

/* The topmost tappable item containing (x, y), or NULL. */
const struct lay_item *layout_hit(const struct lay *l, int x, int y);

/* The first item with this target and index, or NULL (tests, inject). */
const struct lay_item *layout_find(const struct lay *l, enum pt_target t,
                                   int index);

/* Where the staff long-press works: the top-left corner, never mirrored
 * and never holding a patient control. */
struct lay_rect layout_staff_corner(int w, int h);

/* Is lang written right to left? */
int layout_lang_rtl(const char *lang);

/* One wrapped line. */
struct lay_line {
  const char *s;
  size_t len;
  int w;
};
/* Wrap text to width at px: greedy at spaces, a word wider than the line
 * broken between characters.  Returns the number of lines (at most max;
 * -1 when more would be needed); *line_h gets the line height. */
int layout_wrap(const struct lay_env *env, const char *text, int px,
                enum lay_font font, int width, struct lay_line *lines,
                int max, int *line_h);

#endif
