/* phone_draw.h — draws the phone-interview model (phone.h) with SDL2 and
 * SDL2_ttf: the call list as a dense table and the call screen with the
 * script, the alternatives to read out and every shortcut on screen.  It
 * only reads the model; it keeps fonts and nothing else. */
#ifndef PHONE_DRAW_H
#define PHONE_DRAW_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include "phone.h"

struct phone_gfx {
  TTF_Font *small, *body, *bold, *big, *title;
};

/* Open the fonts (Noto Sans from assets/fonts, else DejaVu Sans).
 * PR_EIO with err naming the font when none opens.  TTF_Init must have
 * been called. */
enum pr_rc phone_gfx_open(struct phone_gfx *g, char *err) PR_MUST;
void phone_gfx_close(struct phone_gfx *g);               /* NULL-safe */

/* Where the mouse can click: a rectangle and what a click there does —
 * the key of a shown shortcut, or selecting list row `row` (>= 0). */
#define PHONE_MAX_HITS 64
struct phone_hit {
  SDL_Rect r;
  enum phone_key k;
  int ch;
  int row;
};
struct phone_hits {
  int n;
  struct phone_hit h[PHONE_MAX_HITS];
};

/* Draw the whole screen for model p at time now into r (w x h).  hits (may
 * be NULL) receives the clickable regions of what was drawn. */
void phone_draw(SDL_Renderer *r, const struct phone_gfx *g,
                const struct phone *p, time_t now, int w, int h,
                struct phone_hits *hits);

/* The hit at (x, y), or NULL. */
const struct phone_hit *phone_hit_at(const struct phone_hits *hits, int x,
                                     int y);

#endif
