/* kdraw.c — This file contains the SDL drawing of the kiosk layout:
 * fonts and text runs, rounded boxes and icons made of triangles
 * (SDL_RenderGeometry), and screenshots. */
#include "kdraw.h"

#include <SDL2/SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_RUNS 32

struct kdraw {
  TTF_Font *f[2][2];        /* [arabic][bold] */
  int px[2][2];             /* size each font is set to now */
};

static const char *const font_files[2][2] = {
  {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"},
  {"NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"}};
static const char *const fallback_dirs[] = {
  "/usr/share/fonts/truetype/noto/"};

enum pr_rc kdraw_open(const char *assets_dir, struct kdraw **out, char *err)
{
  struct kdraw *d = pr_calloc(1, sizeof(*d));
  *out = NULL;
  if(!d) {
    pr_seterr(err, "out of memory");
    return PR_ENOMEM;
  }
  for(int a = 0; a < 2; a++)
    for(int b = 0; b < 2; b++) {
      char path[1024];
      snprintf(path, sizeof(path), "%s/fonts/%s", assets_dir, font_files[a][b]);
      d->f[a][b] = TTF_OpenFont(path, 32);
      for(size_t i = 0; !d->f[a][b] && i < PR_ARRAY_LEN(fallback_dirs); i++) {
        snprintf(path, sizeof(path), "%s%s", fallback_dirs[i],
                 font_files[a][b]);
        d->f[a][b] = TTF_OpenFont(path, 32);
      }
      if(!d->f[a][b]) {
        pr_seterr(err, "font %s not found in %s/fonts or %s", font_files[a][b],
                  assets_dir, fallback_dirs[0]);
        kdraw_close(d);
        return PR_EIO;
      }
      d->px[a][b] = 32;
      TTF_SetFontHinting(d->f[a][b], TTF_HINTING_LIGHT);
      if(a) {
        TTF_SetFontScriptName(d->f[a][b], "Arab");
        TTF_SetFontDirection(d->f[a][b], TTF_DIRECTION_RTL);
      } else {
        TTF_SetFontScriptName(d->f[a][b], "Latn");
        TTF_SetFontDirection(d->f[a][b], TTF_DIRECTION_LTR);
      }
    }
  *out = d;
  return PR_OK;
}

void kdraw_close(struct kdraw *d)
{
  if(!d)
    return;
  for(int a = 0; a < 2; a++)
    for(int b = 0; b < 2; b++)
      if(d->f[a][b])
        TTF_CloseFont(d->f[a][b]);
  pr_free(d);
}

static TTF_Font *font(struct kdraw *d, int arabic, int bold, int px)
{
  if(px < 6)
    px = 6;
  if(d->px[arabic][bold] != px) {
    TTF_SetFontSize(d->f[arabic][bold], px);
    d->px[arabic][bold] = px;
  }
  return d->f[arabic][bold];
}

/* ---- runs of one script ------------------------------------------------ */

static uint32_t utf8_cp(const char *s, size_t len, size_t *i)
{
  const unsigned char *u = (const unsigned char *)s;
  uint32_t c = u[*i];
  int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
  if(n)
    c &= 0x3Fu >> n;
  (*i)++;
  while(n-- > 0 && *i < len && (u[*i] & 0xC0) == 0x80)
    c = (c << 6) | (u[(*i)++] & 0x3F);
  return c;
}

static int is_arabic(uint32_t c)
{
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
         (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF);
}

static int is_neutral(uint32_t c)
{
  return c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

struct run {
  size_t off, len;
  int arabic;
  int strong;            /* holds a letter (not only spaces, digits, marks) */
};

/* Cut text into runs: Arabic letters in the Arabic font, other letters in
 * the Latin font, and spaces, digits and punctuation with the run around
 * them when its font has the glyph. */
static int runs(struct kdraw *d, const char *s, size_t len, struct run *r)
{
  int n = 0;
  size_t i = 0;
  while(i < len) {
    size_t at = i;
    uint32_t c = utf8_cp(s, len, &i);
    int ar;
    if(is_arabic(c))
      ar = 1;
    else if(is_neutral(c) && n > 0 && r[n - 1].arabic)
      ar = TTF_GlyphIsProvided32(d->f[1][0], c) ? 1 : 0;
    else if(is_neutral(c) && n > 0)
      ar = 0;
    else
      ar = 0;
    if(n > 0 && r[n - 1].arabic == ar) {
      r[n - 1].len = i - r[n - 1].off;
      r[n - 1].strong |= !is_neutral(c);
      continue;
    }
    if(n == MAX_RUNS) {
      r[n - 1].len = len - r[n - 1].off;    /* the rest in the last font */
      break;
    }
    r[n].off = at;
    r[n].len = i - at;
    r[n].arabic = ar;
    r[n].strong = !is_neutral(c);
    n++;
  }
  return n;
}

static int run_w(struct kdraw *d, const char *s, const struct run *r, int bold,
                 int px)
{
  char buf[1024];
  int w = 0, h = 0;
  size_t n = r->len < sizeof(buf) - 1 ? r->len : sizeof(buf) - 1;
  memcpy(buf, s + r->off, n);
  buf[n] = '\0';
  if(TTF_SizeUTF8(font(d, r->arabic, bold, px), buf, &w, &h))
    return 0;
  return w;
}

void kdraw_measure(void *ctx, const char *text, size_t len, int px,
                   enum lay_font f, int *w, int *h)
{
  struct kdraw *d = ctx;
  struct run r[MAX_RUNS];
  int n = runs(d, text, len, r), sum = 0;
  int hh = 0;
  for(int i = 0; i < n; i++) {
    int fh = TTF_FontHeight(font(d, r[i].arabic, f == LAY_BOLD, px));
    sum += run_w(d, text, &r[i], f == LAY_BOLD, px);
    if(fh > hh)
      hh = fh;
  }
  *w = sum;
  *h = hh ? hh : TTF_FontHeight(font(d, 0, f == LAY_BOLD, px));
}

/* ---- primitives -------------------------------------------------------- */

static SDL_Color rgb(uint32_t c)
{
  SDL_Color k = {(Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255};
  return k;
}

static void set(SDL_Renderer *r, uint32_t c)
{
  SDL_SetRenderDrawColor(r, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255);
}

#define MAX_V 768         /* a whole ring is 240 */

struct poly {
  int n;
  SDL_Vertex v[MAX_V];
};

static void tri(struct poly *p, SDL_Color c, float x0, float y0, float x1,
                float y1, float x2, float y2)
{
  if(p->n + 3 > MAX_V)
    return;
  SDL_Vertex *v = &p->v[p->n];
  v[0].position.x = x0; v[0].position.y = y0;
  v[1].position.x = x1; v[1].position.y = y1;
  v[2].position.x = x2; v[2].position.y = y2;
  for(int i = 0; i < 3; i++) {
    v[i].color = c;
    v[i].tex_coord.x = v[i].tex_coord.y = 0;
  }
  p->n += 3;
}

static void flush(SDL_Renderer *r, struct poly *p)
{
  if(p->n)
    SDL_RenderGeometry(r, NULL, p->v, p->n, NULL, 0);
  p->n = 0;
}

/* A filled rectangle with rounded corners of radius rad. */
static void rrect(SDL_Renderer *r, float x, float y, float w, float h,
                  float rad, uint32_t col)
{
  struct poly p;
  SDL_Color c = rgb(col);
  SDL_FRect mid = {x + rad, y, w - 2 * rad, h};
  SDL_FRect side = {x, y + rad, w, h - 2 * rad};
  static const float cx[4] = {1, 0, 0, 1}, cy[4] = {1, 1, 0, 0};
  if(rad * 2 > w) rad = w / 2;
  if(rad * 2 > h) rad = h / 2;
  if(rad < 1) {
    SDL_FRect f = {x, y, w, h};
    set(r, col);
    SDL_RenderFillRectF(r, &f);
    return;
  }
  /* the straight parts reach one pixel into the corners (the same
   * colour) so no row is left between them and the corner fans */
  mid.x = x + rad - 1; mid.w = w - 2 * rad + 2;
  side.y = y + rad - 1; side.h = h - 2 * rad + 2;
  set(r, col);
  SDL_RenderFillRectF(r, &mid);
  SDL_RenderFillRectF(r, &side);
  p.n = 0;
  for(int k = 0; k < 4; k++) {
    /* corner centres: bottom-right, bottom-left, top-left, top-right */
    float ox = cx[k] ? x + w - rad : x + rad;
    float oy = cy[k] ? y + h - rad : y + rad;
    for(int s = 0; s < 8; s++) {
      float a0 = (float)(M_PI / 2 * k + M_PI / 16 * s);
      float a1 = (float)(M_PI / 2 * k + M_PI / 16 * (s + 1));
      tri(&p, c, ox, oy, ox + rad * cosf(a0), oy + rad * sinf(a0),
          ox + rad * cosf(a1), oy + rad * sinf(a1));
    }
  }
  flush(r, &p);
}

static void disc(struct poly *p, SDL_Color c, float cx, float cy, float rad)
{
  for(int s = 0; s < 24; s++) {
    float a0 = (float)(2 * M_PI * s / 24), a1 = (float)(2 * M_PI * (s + 1) / 24);
    tri(p, c, cx, cy, cx + rad * cosf(a0), cy + rad * sinf(a0),
        cx + rad * cosf(a1), cy + rad * sinf(a1));
  }
}

/* A thick line from (x0,y0) to (x1,y1). */
static void seg(struct poly *p, SDL_Color c, float x0, float y0, float x1,
                float y1, float t)
{
  float dx = x1 - x0, dy = y1 - y0, L = sqrtf(dx * dx + dy * dy);
  float nx, ny;
  if(L <= 0)
    return;
  nx = -dy / L * t / 2;
  ny = dx / L * t / 2;
  tri(p, c, x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny);
  tri(p, c, x0 + nx, y0 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny);
}

/* An arc of thickness t drawn as one band of triangles between the inner
 * and outer radius: line segments joined end to end left wedge-shaped
 * gaps at each joint, which read as a dashed circle on a small panel. */
static void ring(struct poly *p, SDL_Color c, float cx, float cy, float rad,
                 float t, float from, float to)
{
  int steps = 40;
  float ri = rad - t / 2, ro = rad + t / 2;
  for(int s = 0; s < steps; s++) {
    float a0 = from + (to - from) * s / steps;
    float a1 = from + (to - from) * (s + 1) / steps;
    float c0 = cosf(a0), s0 = sinf(a0), c1 = cosf(a1), s1 = sinf(a1);
    tri(p, c, cx + ri * c0, cy + ri * s0, cx + ro * c0, cy + ro * s0,
        cx + ro * c1, cy + ro * s1);
    tri(p, c, cx + ri * c0, cy + ri * s0, cx + ro * c1, cy + ro * s1,
        cx + ri * c1, cy + ri * s1);
  }
}

static void draw_icon(SDL_Renderer *r, const struct lay_item *it,
                      uint32_t col, uint32_t bgcol)
{
  struct poly p;
  SDL_Color c = rgb(col);
  float x = (float)it->r.x, y = (float)it->r.y, w = (float)it->r.w;
  float h = (float)it->r.h, s = w < h ? w : h, t = s / 9 > 2 ? s / 9 : 2;
  float cx = x + w / 2, cy = y + h / 2;
  /* fx() mirrors an x inside the icon for flipped icons */
#define FX(v) (it->flip ? (x + w - ((v) - x)) : (v))
  p.n = 0;
  switch(it->icon) {
  case ICON_SPEAKER: {
    float bx = x + s * 0.08f, bw = s * 0.22f, by = cy - s * 0.16f;
    float hx = bx + bw, tipx = x + s * 0.55f;
    tri(&p, c, FX(bx), by, FX(hx), by, FX(hx), by + s * 0.32f);
    tri(&p, c, FX(bx), by, FX(hx), by + s * 0.32f, FX(bx), by + s * 0.32f);
    tri(&p, c, FX(hx), by, FX(tipx), cy - s * 0.38f, FX(tipx), cy + s * 0.38f);
    tri(&p, c, FX(hx), by, FX(tipx), cy + s * 0.38f, FX(hx), by + s * 0.32f);
    flush(r, &p);
    for(int k = 1; k <= 2; k++) {
      float rad = s * (0.14f + 0.16f * k);
      float c0 = it->flip ? (float)(M_PI * 0.75) : (float)(-M_PI * 0.25);
      float c1 = it->flip ? (float)(M_PI * 1.25) : (float)(M_PI * 0.25);
      ring(&p, c, FX(x + s * 0.5f) , cy, rad, t * 0.8f, c0, c1);
      flush(r, &p);
    }
    break;
  }
  case ICON_BACK: {
    float l = x + s * 0.12f, rr = x + s * 0.88f;
    seg(&p, c, FX(l + t / 2), cy, FX(rr), cy, t);
    seg(&p, c, FX(l), cy, FX(l + s * 0.35f), cy - s * 0.35f, t);
    seg(&p, c, FX(l), cy, FX(l + s * 0.35f), cy + s * 0.35f, t);
    disc(&p, c, FX(l + t * 0.2f), cy, t / 2);
    break;
  }
  case ICON_CHECK:
    seg(&p, c, x + s * 0.12f, cy, x + s * 0.4f, cy + s * 0.28f, t * 1.2f);
    seg(&p, c, x + s * 0.4f, cy + s * 0.28f, x + s * 0.9f, cy - s * 0.32f,
        t * 1.2f);
    disc(&p, c, x + s * 0.4f, cy + s * 0.28f, t * 0.6f);
    break;
  case ICON_BACKSPACE: {
    float l = x + s * 0.05f, rr = x + s * 0.95f, tp = cy - s * 0.3f,
          bt = cy + s * 0.3f, k = x + s * 0.32f;
    seg(&p, c, l, cy, k, tp, t);
    seg(&p, c, l, cy, k, bt, t);
    seg(&p, c, k, tp, rr, tp, t);
    seg(&p, c, k, bt, rr, bt, t);
    seg(&p, c, rr, tp - t / 2, rr, bt + t / 2, t);
    seg(&p, c, x + s * 0.48f, cy - s * 0.14f, x + s * 0.76f, cy + s * 0.14f, t);
    seg(&p, c, x + s * 0.48f, cy + s * 0.14f, x + s * 0.76f, cy - s * 0.14f, t);
    break;
  }
  case ICON_SHIFT:
    tri(&p, c, cx, y + s * 0.08f, x + s * 0.08f, cy, x + s * 0.92f, cy);
    seg(&p, c, cx, cy - t, cx, y + s * 0.9f, s * 0.32f);
    break;
  case ICON_CONTRAST:
    ring(&p, c, cx, cy, s * 0.42f, t, 0, (float)(2 * M_PI));
    flush(r, &p);
    for(int k = 0; k < 12; k++) {
      float a0 = (float)(M_PI / 2 + M_PI * k / 12);
      float a1 = (float)(M_PI / 2 + M_PI * (k + 1) / 12);
      tri(&p, c, cx, cy, cx + s * 0.42f * cosf(a0), cy + s * 0.42f * sinf(a0),
          cx + s * 0.42f * cosf(a1), cy + s * 0.42f * sinf(a1));
    }
    break;
  case ICON_TEXTSIZE:
    /* a large and a small "A" as strokes */
    seg(&p, c, x + s * 0.05f, y + s * 0.9f, x + s * 0.3f, y + s * 0.1f, t);
    seg(&p, c, x + s * 0.3f, y + s * 0.1f, x + s * 0.55f, y + s * 0.9f, t);
    seg(&p, c, x + s * 0.15f, y + s * 0.6f, x + s * 0.45f, y + s * 0.6f, t);
    seg(&p, c, x + s * 0.6f, y + s * 0.9f, x + s * 0.75f, y + s * 0.45f, t * 0.8f);
    seg(&p, c, x + s * 0.75f, y + s * 0.45f, x + s * 0.9f, y + s * 0.9f, t * 0.8f);
    break;
  case ICON_DOT:
    disc(&p, c, cx, cy, s * 0.45f);
    break;
  case ICON_RING:
    ring(&p, c, cx, cy, s * 0.4f, t * 0.9f, 0, (float)(2 * M_PI));
    break;
  }
#undef FX
  (void)bgcol;
  flush(r, &p);
}

static void draw_text(struct kdraw *d, SDL_Renderer *r,
                      const struct lay_item *it, uint32_t col)
{
  struct run rs[MAX_RUNS];
  int n = runs(d, it->text, it->len, rs), lh = it->r.h;
  int bold = it->font == LAY_BOLD, ws[MAX_RUNS], total = 0, x;
  SDL_Color c = rgb(col);
  for(int i = 0; i < n; i++) {
    ws[i] = run_w(d, it->text, &rs[i], bold, it->px);
    total += ws[i];
  }
  /* runs go left to right in a left-to-right line, right to left in a
   * right-to-left one; each is shaped in its own direction */
  x = it->rtl ? it->r.x + total : it->r.x;
  for(int i = 0; i < n; i++) {
    char buf[1024];
    size_t m = rs[i].len < sizeof(buf) - 1 ? rs[i].len : sizeof(buf) - 1;
    SDL_Surface *sf;
    memcpy(buf, it->text + rs[i].off, m);
    buf[m] = '\0';
    if(it->rtl)
      x -= ws[i];
    {
      /* punctuation the Arabic font lacks ("/") inside a right-to-left
       * line: Latin font, but laid out right to left with its spaces */
      int flip = it->rtl && !rs[i].arabic && !rs[i].strong;
      TTF_Font *f = font(d, rs[i].arabic, bold, it->px);
      if(flip)
        TTF_SetFontDirection(f, TTF_DIRECTION_RTL);
      sf = TTF_RenderUTF8_Blended(f, buf, c);
      if(flip)
        TTF_SetFontDirection(f, TTF_DIRECTION_LTR);
    }
    if(sf) {
      SDL_Texture *t = SDL_CreateTextureFromSurface(r, sf);
      SDL_Rect dst = {x, it->r.y + (lh - sf->h) / 2, sf->w, sf->h};
      if(t) {
        SDL_RenderCopy(r, t, NULL, &dst);
        SDL_DestroyTexture(t);
      }
      SDL_FreeSurface(sf);
    }
    if(!it->rtl)
      x += ws[i];
  }
}

void kdraw_render(struct kdraw *d, SDL_Renderer *r, const struct lay *l,
                  const struct theme *th)
{
  for(int i = 0; i < l->n; i++) {
    const struct lay_item *it = &l->it[i];
    switch(it->kind) {
    case LAY_FILL: {
      SDL_Rect rc = {it->r.x, it->r.y, it->r.w, it->r.h};
      set(r, th->c[it->bg]);
      SDL_RenderFillRect(r, &rc);
      break;
    }
    case LAY_BOX: {
      float e = (float)it->edge, rad = (float)it->radius;
      if(it->edge > 0 && th->c[it->fg] != th->c[it->bg]) {
        rrect(r, (float)it->r.x, (float)it->r.y, (float)it->r.w,
              (float)it->r.h, rad, th->c[it->fg]);
        rrect(r, it->r.x + e, it->r.y + e, it->r.w - 2 * e, it->r.h - 2 * e,
              rad - e > 0 ? rad - e : 0, th->c[it->bg]);
      } else {
        rrect(r, (float)it->r.x, (float)it->r.y, (float)it->r.w,
              (float)it->r.h, rad, th->c[it->bg]);
      }
      break;
    }
    case LAY_TEXT:
      draw_text(d, r, it, th->c[it->fg]);
      break;
    case LAY_ICON:
      draw_icon(r, it, th->c[it->fg], th->c[it->bg]);
      break;
    }
  }
}

enum pr_rc kdraw_screenshot(SDL_Renderer *r, const char *path, char *err)
{
  int w = 0, h = 0;
  SDL_Surface *s;
  enum pr_rc rc = PR_EIO;
  if(SDL_GetRendererOutputSize(r, &w, &h) != 0) {
    pr_seterr(err, "screenshot: %s", SDL_GetError());
    return PR_EIO;
  }
  s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
  if(!s) {
    pr_seterr(err, "screenshot: %s", SDL_GetError());
    return PR_ENOMEM;
  }
  if(SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels,
                          s->pitch) != 0)
    pr_seterr(err, "screenshot: %s", SDL_GetError());
  else if(IMG_SavePNG(s, path) != 0)
    pr_seterr(err, "screenshot %s: %s", path, IMG_GetError());
  else
    rc = PR_OK;
  SDL_FreeSurface(s);
  return rc;
}
