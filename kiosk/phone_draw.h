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

/* Draw the whole screen for model p at time now into r (w x h). */
void phone_draw(SDL_Renderer *r, const struct phone_gfx *g,
                const struct phone *p, time_t now, int w, int h);

/* Write what r shows to a PNG file. */
enum pr_rc phone_screenshot(SDL_Renderer *r, const char *path,
                            char *err) PR_MUST;

#endif
