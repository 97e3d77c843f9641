/* kdraw.h — the thin SDL layer of the patient kiosk: opens the fonts
 * (Noto Sans and Noto Sans Arabic from assets/fonts, shaped by SDL2_ttf's
 * HarfBuzz), measures text for the layout, and turns a layout (layout.h)
 * into SDL draw calls in a theme's colours.  Text mixing Arabic and Latin
 * is cut into runs, each shaped in its own direction with the font that
 * has its glyphs.  It decides nothing about what is shown. */
#ifndef KDRAW_H
#define KDRAW_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "layout.h"
#include "pr.h"
#include "theme.h"

struct kdraw;

/* Open the fonts from assets_dir/fonts (falling back to Debian's font
 * directories).  TTF_Init must have been called.  PR_EIO with err naming
 * the font that is missing.  *out is the caller's (kdraw_close). */
enum pr_rc kdraw_open(const char *assets_dir, struct kdraw **out,
                      char *err) PR_MUST;
void kdraw_close(struct kdraw *d);      /* NULL-safe */

/* A lay_measure_fn: ctx is the struct kdraw. */
void kdraw_measure(void *ctx, const char *text, size_t len, int px,
                   enum lay_font font, int *w, int *h);

/* Draw every item of l into r with theme th (does not present). */
void kdraw_render(struct kdraw *d, SDL_Renderer *r, const struct lay *l,
                  const struct theme *th);

/* Write what r shows to a PNG file (SDL_RenderReadPixels + IMG_SavePNG). */
enum pr_rc kdraw_screenshot(SDL_Renderer *r, const char *path,
                            char *err) PR_MUST;

#endif
