/* layout.c — This file contains the toolkit the screens of layout.h are
 * built from: metrics, items, wrapping and fitting text, buttons, the top
 * bar and progress, mirroring, hit testing.  It knows no screen: the
 * screens are layout_patient.c and layout_staff.c, and layout_build.c picks
 * one.  Sizes are designed for 1280 x 800 and scaled by the window; the
 * minimum answer target comes from the physical screen (px_per_mm). */
#include "layout_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "a11y.h"
#include "flow.h"

int lay_px_of(const struct met *m, double design)
{
  int v = (int)lround(design * m->u * m->ts);
  return v < 8 ? 8 : v;
}

void lay_met_init(struct met *m, const struct lay_env *e, int large)
{
  double su = e->w / 1280.0, sv = e->h / 800.0;
  m->u = su < sv ? su : sv;
  m->ts = large ? 1.3 : 1.0;
  m->M = (int)lround(28 * m->u);
  m->G = (int)lround(14 * m->u);
  m->pad = (int)lround(16 * m->u);
  m->target = (int)ceil(A11Y_MIN_TARGET_MM * e->px_per_mm);
  if(m->target < (int)lround(72 * m->u))
    m->target = (int)lround(72 * m->u);
  m->corner = (int)lround(88 * m->u);
  m->bar_h = m->target + 2 * (int)lround(8 * m->u);
  m->min_px = (int)lround((large ? 28 : 22) * m->u);
  if(m->min_px < 10)
    m->min_px = 10;
  m->key_min = (int)ceil(LAY_KEY_MIN_MM * e->px_per_mm);
  m->key_want = (int)ceil(LAY_KEY_WANT_MM * e->px_per_mm);
  if(m->key_want < (int)lround(62 * m->u))
    m->key_want = (int)lround(62 * m->u);
  m->small = e->px_per_mm > 0 && e->h / e->px_per_mm < LAY_SMALL_PANEL_MM;
}

int layout_lang_rtl(const char *lang)
{
  static const char *const rtl[] = {"ar", "fa", "he", "ur", "ps", "ckb"};
  for(size_t i = 0; lang && i < PR_ARRAY_LEN(rtl); i++)
    if(strcmp(lang, rtl[i]) == 0)
      return 1;
  return 0;
}

struct lay_rect layout_staff_corner(int w, int h)
{
  double su = w / 1280.0, sv = h / 800.0, u = su < sv ? su : sv;
  struct lay_rect r = {0, 0, (int)lround(88 * u), (int)lround(88 * u)};
  return r;
}

/* ---- items ----------------------------------------------------------- */

struct lay_item *lay_add(struct lay *l, enum lay_kind k, struct lay_rect r)
{
  struct lay_item *it;
  if(l->n >= LAY_MAX_ITEMS)
    return NULL;
  it = &l->it[l->n++];
  memset(it, 0, sizeof(*it));
  it->kind = k;
  it->r = r;
  return it;
}

struct lay_rect lay_r(int x, int y, int w, int h)
{
  struct lay_rect r = {x, y, w, h};
  return r;
}

void lay_fill(struct lay *l, struct lay_rect r, enum theme_role bg)
{
  struct lay_item *it = lay_add(l, LAY_FILL, r);
  if(it)
    it->bg = bg;
}

void lay_box(struct lay *l, const struct met *m, struct lay_rect r,
                enum theme_role face, enum theme_role edge,
                enum pt_target t, int index)
{
  struct lay_item *it = lay_add(l, LAY_BOX, r);
  if(!it)
    return;
  it->bg = face;
  it->fg = edge;
  it->edge = (int)lround(3 * m->u) < 2 ? 2 : (int)lround(3 * m->u);
  it->radius = (int)lround(14 * m->u);
  it->target = t;
  it->index = index;
}

void lay_icon_at(struct lay *l, struct lay_rect r, enum lay_icon ic,
                 enum theme_role fg, int flip)
{
  struct lay_item *it = lay_add(l, LAY_ICON, r);
  if(!it)
    return;
  it->icon = ic;
  it->fg = fg;
  it->flip = flip;
}

/* Keep a composed string in the layout's own arena. */
const char *lay_keep(struct lay *l, const char *s)
{
  size_t n = strlen(s) + 1;
  char *p;
  if(l->str_used + n > sizeof(l->str))
    return "";
  p = l->str + l->str_used;
  memcpy(p, s, n);
  l->str_used += n;
  return p;
}

/* ---- text ------------------------------------------------------------ */

static size_t utf8_next(const char *s, size_t i, size_t len)
{
  i++;
  while(i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
    i++;
  return i;
}

static int lay_measure_w(const struct lay_env *e, const char *s, size_t len,
                     int px, enum lay_font f, int *h)
{
  int w = 0, hh = 0;
  e->measure(e->measure_ctx, s, len, px, f, &w, &hh);
  if(h)
    *h = hh;
  return w;
}

int layout_wrap(const struct lay_env *e, const char *text, int px,
                enum lay_font font, int width, struct lay_line *lines,
                int max, int *line_h)
{
  size_t len = strlen(text), i = 0;
  int n = 0, lh = 0;
  /* the line height of the fonts this text uses (Arabic is taller) */
  lay_measure_w(e, len ? text : "Åg", len ? len : strlen("Åg"), px, font, &lh);
  if(line_h)
    *line_h = lh;
  while(i < len) {
    size_t start, end = 0, j;
    int w = 0;
    while(i < len && text[i] == ' ')
      i++;
    if(i >= len)
      break;
    start = i;
    /* extend word by word while the line fits */
    j = i;
    while(j < len) {
      size_t k = j;
      int ww;
      while(k < len && text[k] == ' ')
        k++;
      while(k < len && text[k] != ' ' && text[k] != '\n')
        k++;
      ww = lay_measure_w(e, text + start, k - start, px, font, NULL);
      if(ww > width && end > start)
        break;
      if(ww > width) {
        /* one word wider than the line: break it between characters */
        size_t c = start, last = start;
        while(c < k) {
          size_t nx = utf8_next(text, c, k);
          if(lay_measure_w(e, text + start, nx - start, px, font, NULL) > width &&
             last > start)
            break;
          last = nx;
          c = nx;
        }
        end = last;
        w = lay_measure_w(e, text + start, end - start, px, font, NULL);
        break;
      }
      end = k;
      w = ww;
      j = k;
      if(j < len && text[j] == '\n')
        break;
    }
    if(n == max)
      return -1;
    lines[n].s = text + start;
    lines[n].len = end - start;
    lines[n].w = w;
    n++;
    i = end;
    if(i < len && text[i] == '\n')
      i++;
  }
  return n;
}


struct fit {
  int px, n, lh;
  struct lay_line lines[MAX_LINES];
};

/* The largest size from pref down that fits text into w x h; below the
 * readable minimum only when nothing else fits (marked as overflow). */
static void lay_fit_text(struct lay *l, const struct lay_env *e,
                     const struct met *m, const char *text,
                     enum lay_font f, int w, int h, int pref, int minpx,
                     struct fit *out)
{
  int px = pref, step = pref / 24 > 1 ? pref / 24 : 1;
  if(minpx > pref)
    minpx = pref;
  (void)m;
  for(;;) {
    out->n = layout_wrap(e, text, px, f, w, out->lines, MAX_LINES, &out->lh);
    if(out->n >= 0 && out->n * out->lh <= h)
      break;
    if(px <= 8) {
      if(out->n < 0)
        out->n = MAX_LINES;
      break;
    }
    /* never step over the readable minimum: it is tried on the way */
    if(px > minpx && px - step < minpx)
      px = minpx;
    else
      px = px - step < 8 ? 8 : px - step;
  }
  out->px = px;
  if(px < minpx) {
    if(!l->overflow)
      l->overflow_text = text;
    l->overflow = 1;
  }
}

/* Emit the fitted lines into the box; returns the height used. */
static int lay_emit_text(struct lay *l, const struct fit *ft, struct lay_rect b,
                     int align, int valign, enum theme_role fg,
                     enum lay_font f, int rtl)
{
  int total = ft->n * ft->lh;
  int y = b.y + (valign ? (b.h - total) / 2 : 0);
  for(int i = 0; i < ft->n; i++) {
    struct lay_item *it;
    int x = align == AL_CENTER ? b.x + (b.w - ft->lines[i].w) / 2 : b.x;
    it = lay_add(l, LAY_TEXT, lay_r(x, y + i * ft->lh, ft->lines[i].w, ft->lh));
    if(!it)
      break;
    it->text = ft->lines[i].s;
    it->len = ft->lines[i].len;
    it->px = ft->px;
    it->font = f;
    it->fg = fg;
    it->rtl = rtl;
    if(ft->px < l->min_px || l->min_px == 0)
      l->min_px = ft->px;
  }
  return total;
}

int lay_text_block(struct lay *l, const struct lay_env *e,
                      const struct met *m, const char *text,
                      enum lay_font f, struct lay_rect b, int pref, int minpx,
                      int align, int valign, enum theme_role fg, int rtl)
{
  struct fit ft;
  if(!text || !*text || b.w <= 0 || b.h <= 0)
    return 0;
  lay_fit_text(l, e, m, text, f, b.w, b.h, pref, minpx, &ft);
  return lay_emit_text(l, &ft, b, align, valign, fg, f, rtl);
}

/* Height text needs at px in width w (no shrinking). */
int lay_text_h(const struct lay_env *e, const char *text, enum lay_font f,
                  int w, int px)
{
  struct lay_line lines[MAX_LINES];
  int lh, n = layout_wrap(e, text, px, f, w, lines, MAX_LINES, &lh);
  if(n < 0)
    n = MAX_LINES;
  return n * lh;
}

/* The label area of a button: inset by the padding, or the button's
 * whole height when the label would not fit the inset at the readable
 * minimum (Arabic fonts have lines half again as tall as Latin ones;
 * their letters still sit well inside the button). */
static struct lay_rect lay_label_area(const struct lay_env *e,
                                  const struct met *m, struct lay_rect in,
                                  struct lay_rect r, const char *label,
                                  enum lay_font f)
{
  if(label && *label && in.w > 0 &&
     lay_text_h(e, label, f, in.w, m->min_px) > in.h) {
    in.y = r.y;
    in.h = r.h;
  }
  return in;
}

/* A button with a centred label that shrinks to fit inside. */
void lay_button(struct lay *l, const struct lay_env *e, const struct met *m,
                   struct lay_rect r, const char *label, int px,
                   enum theme_role face, enum theme_role edge,
                   enum theme_role fg, enum lay_font f, int rtl,
                   enum pt_target t, int index)
{
  struct lay_rect in = lay_r(r.x + m->pad, r.y + m->pad / 2, r.w - 2 * m->pad,
                         r.h - m->pad);
  lay_box(l, m, r, face, edge, t, index);
  in = lay_label_area(e, m, in, r, label, f);
  lay_text_block(l, e, m, label, f, in, px, m->min_px, AL_CENTER, 1, fg, rtl);
}

/* A button with an icon at its start and a label after it. */
void lay_icon_button(struct lay *l, const struct lay_env *e,
                        const struct met *m, struct lay_rect r,
                        enum lay_icon ic, int flip, const char *label, int px,
                        enum theme_role face, enum theme_role edge,
                        enum theme_role fg, int rtl, enum pt_target t,
                        int index)
{
  int is = r.h - 2 * m->pad;
  struct lay_rect in;
  if(is > (int)lround(44 * m->u))
    is = (int)lround(44 * m->u);
  lay_box(l, m, r, face, edge, t, index);
  lay_icon_at(l, lay_r(r.x + m->pad, r.y + (r.h - is) / 2, is, is), ic, fg, flip);
  in = lay_r(r.x + 2 * m->pad + is, r.y + m->pad / 2, r.w - 3 * m->pad - is,
         r.h - m->pad);
  in = lay_label_area(e, m, in, r, label, LAY_BOLD);
  lay_text_block(l, e, m, label, LAY_BOLD, in, px, m->min_px, AL_START, 1, fg,
             rtl);
}

int lay_label_w(const struct lay_env *e, const char *s, int px,
                   enum lay_font f)
{
  return lay_measure_w(e, s, strlen(s), px, f, NULL);
}

/* ---- shared pieces ---------------------------------------------------- */

const char *lay_t(const struct lay_env *e, const char *lang,
                     enum uitext_key k)
{
  return uitext_get(e->ui, lang, k);
}

/* The top bar: background, and the speaker button at the end side.  The
 * staff corner (top-left) is kept free of controls on both sides. */
int lay_top_bar(struct lay *l, const struct lay_env *e, const struct met *m,
                   const char *lang, int rtl, int speaker)
{
  int end = e->w - m->corner;
  lay_fill(l, lay_r(0, 0, e->w, m->bar_h), TH_BAR);
  if(speaker && e->audio) {
    const char *lab = lay_t(e, lang, UT_LISTEN);
    int px = lay_px_of(m, 28);
    int w = lay_label_w(e, lab, px, LAY_BOLD) + 3 * m->pad + (int)lround(44 * m->u);
    if(w < m->target)
      w = m->target;
    if(w > e->w / 3)
      w = e->w / 3;
    lay_icon_button(l, e, m, lay_r(end - w, (m->bar_h - m->target) / 2, w, m->target),
                ICON_SPEAKER, rtl, lab, px, TH_BAR, TH_BAR_TEXT, TH_BAR_TEXT,
                rtl, PT_T_SPEAK, 0);
    return end - w;
  }
  return end;
}

void lay_progress(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p, int x_end,
                     int rtl)
{
  const struct qset *s = patient_set(p);
  int pos, total, x = m->corner, w = x_end - m->G - x;
  char ns[12], ts[12], a[200], b[200];
  int seg_h = (int)lround(10 * m->u) < 4 ? 4 : (int)lround(10 * m->u);
  int txt_h = m->bar_h - 3 * m->pad / 2 - seg_h;
  flow_progress(s, QSET_MODE_KIOSK, p->q, p->answers, &pos, &total);
  snprintf(ns, sizeof(ns), "%d", pos);
  snprintf(ts, sizeof(ts), "%d", total);
  uitext_fill(a, sizeof(a), lay_t(e, p->lang, UT_PROGRESS), "n", ns);
  uitext_fill(b, sizeof(b), a, "total", ts);
  if(w < 40)
    return;
  /* the bar's top padding too when a tall (Arabic) line needs it */
  if(lay_text_h(e, b, LAY_BOLD, w, m->min_px) > txt_h)
    txt_h += m->pad / 2;
  lay_text_block(l, e, m, lay_keep(l, b), LAY_BOLD,
             lay_r(x, m->bar_h - m->pad - seg_h - txt_h, w, txt_h), lay_px_of(m, 30),
             m->min_px, AL_START, 1, TH_BAR_TEXT, rtl);
  if(total > 0) {
    int sw = (w - (total - 1) * (int)lround(6 * m->u)) / total;
    int y = m->bar_h - m->pad - seg_h;
    if(sw > (int)lround(90 * m->u))
      sw = (int)lround(90 * m->u);
    for(int i = 0; i < total; i++) {
      struct lay_rect r = lay_r(x + i * (sw + (int)lround(6 * m->u)), y, sw, seg_h);
      if(i < pos)
        lay_fill(l, r, TH_PROGRESS);
      else {
        struct lay_item *it = lay_add(l, LAY_BOX, r);
        if(it) {
          it->bg = TH_BAR;
          it->fg = TH_PROGRESS;
          it->edge = 2;
        }
      }
    }
  }
}

int lay_banner_h(const struct lay_env *e, const struct met *m,
                 const char *text)
{
  int h = lay_text_h(e, text, LAY_BOLD, e->w - 2 * m->pad, lay_px_of(m, 28)) +
          m->pad;
  return h < m->target ? h : m->target;
}

void lay_banner(struct lay *l, const struct lay_env *e, const struct met *m,
                   struct lay_rect r, const char *text, int rtl)
{
  lay_fill(l, r, TH_ERR);
  lay_text_block(l, e, m, text, LAY_BOLD, lay_r(r.x + m->pad, r.y, r.w - 2 * m->pad,
             r.h), lay_px_of(m, 28), m->min_px, AL_START, 1, TH_ERR_TEXT, rtl);
}

/* Mirror everything laid out so far for a right-to-left language. */
void lay_mirror(struct lay *l, int W)
{
  for(int i = 0; i < l->n; i++) {
    struct lay_item *it = &l->it[i];
    it->r.x = W - it->r.x - it->r.w;
  }
  l->rtl = 1;
}

const struct lay_item *layout_hit(const struct lay *l, int x, int y)
{
  for(int i = l->n - 1; i >= 0; i--) {
    const struct lay_item *it = &l->it[i];
    if(it->target == PT_T_NONE)
      continue;
    if(x >= it->r.x && x < it->r.x + it->r.w && y >= it->r.y &&
       y < it->r.y + it->r.h)
      return it;
  }
  return NULL;
}

const struct lay_item *layout_find(const struct lay *l, enum pt_target t,
                                   int index)
{
  for(int i = 0; i < l->n; i++)
    if(l->it[i].target == t && l->it[i].index == index)
      return &l->it[i];
  return NULL;
}
