/* layout.c — This file contains the screen layouts of layout.h.  Each
 * screen is laid out from the start side (left in Swedish); a
 * right-to-left language then mirrors every x, and the keyboard is added
 * after the mirror so its keys keep a physical keyboard's order.  Sizes
 * are designed for 1280 x 800 and scaled by the window; the minimum answer
 * target comes from the physical screen (px_per_mm). */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "a11y.h"
#include "flow.h"
#include "osk.h"

#define MAX_LINES 64

struct met {
  double u;            /* scale against the 1280 x 800 design */
  double ts;           /* text scale: 1, or more with large text */
  int M, G, pad;       /* margin, gap, inner padding */
  int target;          /* smallest side of a patient target */
  int bar_h, corner;
  int min_px;          /* readable minimum for patient text */
};

static int px_of(const struct met *m, double design)
{
  int v = (int)lround(design * m->u * m->ts);
  return v < 8 ? 8 : v;
}

static void met_init(struct met *m, const struct lay_env *e, int large)
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

static struct lay_item *add(struct lay *l, enum lay_kind k, struct lay_rect r)
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

static struct lay_rect R(int x, int y, int w, int h)
{
  struct lay_rect r = {x, y, w, h};
  return r;
}

static void fill(struct lay *l, struct lay_rect r, enum theme_role bg)
{
  struct lay_item *it = add(l, LAY_FILL, r);
  if(it)
    it->bg = bg;
}

static void box(struct lay *l, const struct met *m, struct lay_rect r,
                enum theme_role face, enum theme_role edge,
                enum pt_target t, int index)
{
  struct lay_item *it = add(l, LAY_BOX, r);
  if(!it)
    return;
  it->bg = face;
  it->fg = edge;
  it->edge = (int)lround(3 * m->u) < 2 ? 2 : (int)lround(3 * m->u);
  it->radius = (int)lround(14 * m->u);
  it->target = t;
  it->index = index;
}

static void icon(struct lay *l, struct lay_rect r, enum lay_icon ic,
                 enum theme_role fg, int flip)
{
  struct lay_item *it = add(l, LAY_ICON, r);
  if(!it)
    return;
  it->icon = ic;
  it->fg = fg;
  it->flip = flip;
}

/* Keep a composed string in the layout's own arena. */
static const char *keep(struct lay *l, const char *s)
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

static int measure_w(const struct lay_env *e, const char *s, size_t len,
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
  measure_w(e, len ? text : "Åg", len ? len : strlen("Åg"), px, font, &lh);
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
      ww = measure_w(e, text + start, k - start, px, font, NULL);
      if(ww > width && end > start)
        break;
      if(ww > width) {
        /* one word wider than the line: break it between characters */
        size_t c = start, last = start;
        while(c < k) {
          size_t nx = utf8_next(text, c, k);
          if(measure_w(e, text + start, nx - start, px, font, NULL) > width &&
             last > start)
            break;
          last = nx;
          c = nx;
        }
        end = last;
        w = measure_w(e, text + start, end - start, px, font, NULL);
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

enum { AL_START = 0, AL_CENTER = 1 };

struct fit {
  int px, n, lh;
  struct lay_line lines[MAX_LINES];
};

/* The largest size from pref down that fits text into w x h; below the
 * readable minimum only when nothing else fits (marked as overflow). */
static void fit_text(struct lay *l, const struct lay_env *e,
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
static int emit_text(struct lay *l, const struct fit *ft, struct lay_rect b,
                     int align, int valign, enum theme_role fg,
                     enum lay_font f, int rtl)
{
  int total = ft->n * ft->lh;
  int y = b.y + (valign ? (b.h - total) / 2 : 0);
  for(int i = 0; i < ft->n; i++) {
    struct lay_item *it;
    int x = align == AL_CENTER ? b.x + (b.w - ft->lines[i].w) / 2 : b.x;
    it = add(l, LAY_TEXT, R(x, y + i * ft->lh, ft->lines[i].w, ft->lh));
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

static int text_block(struct lay *l, const struct lay_env *e,
                      const struct met *m, const char *text,
                      enum lay_font f, struct lay_rect b, int pref, int minpx,
                      int align, int valign, enum theme_role fg, int rtl)
{
  struct fit ft;
  if(!text || !*text || b.w <= 0 || b.h <= 0)
    return 0;
  fit_text(l, e, m, text, f, b.w, b.h, pref, minpx, &ft);
  return emit_text(l, &ft, b, align, valign, fg, f, rtl);
}

/* Height text needs at px in width w (no shrinking). */
static int text_h(const struct lay_env *e, const char *text, enum lay_font f,
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
static struct lay_rect label_area(const struct lay_env *e,
                                  const struct met *m, struct lay_rect in,
                                  struct lay_rect r, const char *label,
                                  enum lay_font f)
{
  if(label && *label && in.w > 0 &&
     text_h(e, label, f, in.w, m->min_px) > in.h) {
    in.y = r.y;
    in.h = r.h;
  }
  return in;
}

/* A button with a centred label that shrinks to fit inside. */
static void button(struct lay *l, const struct lay_env *e, const struct met *m,
                   struct lay_rect r, const char *label, int px,
                   enum theme_role face, enum theme_role edge,
                   enum theme_role fg, enum lay_font f, int rtl,
                   enum pt_target t, int index)
{
  struct lay_rect in = R(r.x + m->pad, r.y + m->pad / 2, r.w - 2 * m->pad,
                         r.h - m->pad);
  box(l, m, r, face, edge, t, index);
  in = label_area(e, m, in, r, label, f);
  text_block(l, e, m, label, f, in, px, m->min_px, AL_CENTER, 1, fg, rtl);
}

/* A button with an icon at its start and a label after it. */
static void icon_button(struct lay *l, const struct lay_env *e,
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
  box(l, m, r, face, edge, t, index);
  icon(l, R(r.x + m->pad, r.y + (r.h - is) / 2, is, is), ic, fg, flip);
  in = R(r.x + 2 * m->pad + is, r.y + m->pad / 2, r.w - 3 * m->pad - is,
         r.h - m->pad);
  in = label_area(e, m, in, r, label, LAY_BOLD);
  text_block(l, e, m, label, LAY_BOLD, in, px, m->min_px, AL_START, 1, fg,
             rtl);
}

static int label_w(const struct lay_env *e, const char *s, int px,
                   enum lay_font f)
{
  return measure_w(e, s, strlen(s), px, f, NULL);
}

/* ---- shared pieces ---------------------------------------------------- */

static const char *T(const struct lay_env *e, const char *lang,
                     enum uitext_key k)
{
  return uitext_get(e->ui, lang, k);
}

/* The top bar: background, and the speaker button at the end side.  The
 * staff corner (top-left) is kept free of controls on both sides. */
static int top_bar(struct lay *l, const struct lay_env *e, const struct met *m,
                   const char *lang, int rtl, int speaker)
{
  int end = e->w - m->corner;
  fill(l, R(0, 0, e->w, m->bar_h), TH_BAR);
  if(speaker && e->audio) {
    const char *lab = T(e, lang, UT_LISTEN);
    int px = px_of(m, 28);
    int w = label_w(e, lab, px, LAY_BOLD) + 3 * m->pad + (int)lround(44 * m->u);
    if(w < m->target)
      w = m->target;
    if(w > e->w / 3)
      w = e->w / 3;
    icon_button(l, e, m, R(end - w, (m->bar_h - m->target) / 2, w, m->target),
                ICON_SPEAKER, rtl, lab, px, TH_BAR, TH_BAR_TEXT, TH_BAR_TEXT,
                rtl, PT_T_SPEAK, 0);
    return end - w;
  }
  return end;
}

static void progress(struct lay *l, const struct lay_env *e,
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
  uitext_fill(a, sizeof(a), T(e, p->lang, UT_PROGRESS), "n", ns);
  uitext_fill(b, sizeof(b), a, "total", ts);
  if(w < 40)
    return;
  /* the bar's top padding too when a tall (Arabic) line needs it */
  if(text_h(e, b, LAY_BOLD, w, m->min_px) > txt_h)
    txt_h += m->pad / 2;
  text_block(l, e, m, keep(l, b), LAY_BOLD,
             R(x, m->bar_h - m->pad - seg_h - txt_h, w, txt_h), px_of(m, 30),
             m->min_px, AL_START, 1, TH_BAR_TEXT, rtl);
  if(total > 0) {
    int sw = (w - (total - 1) * (int)lround(6 * m->u)) / total;
    int y = m->bar_h - m->pad - seg_h;
    if(sw > (int)lround(90 * m->u))
      sw = (int)lround(90 * m->u);
    for(int i = 0; i < total; i++) {
      struct lay_rect r = R(x + i * (sw + (int)lround(6 * m->u)), y, sw, seg_h);
      if(i < pos)
        fill(l, r, TH_PROGRESS);
      else {
        struct lay_item *it = add(l, LAY_BOX, r);
        if(it) {
          it->bg = TH_BAR;
          it->fg = TH_PROGRESS;
          it->edge = 2;
        }
      }
    }
  }
}

static void banner(struct lay *l, const struct lay_env *e, const struct met *m,
                   struct lay_rect r, const char *text, int rtl)
{
  fill(l, r, TH_ERR);
  text_block(l, e, m, text, LAY_BOLD, R(r.x + m->pad, r.y, r.w - 2 * m->pad,
             r.h), px_of(m, 28), m->min_px, AL_START, 1, TH_ERR_TEXT, rtl);
}

/* Mirror everything laid out so far for a right-to-left language. */
static void mirror(struct lay *l, int W)
{
  for(int i = 0; i < l->n; i++) {
    struct lay_item *it = &l->it[i];
    it->r.x = W - it->r.x - it->r.w;
  }
  l->rtl = 1;
}

/* ---- screens ---------------------------------------------------------- */

static void welcome(struct lay *l, const struct lay_env *e, const struct met *m,
                    const struct patient *p, int rtl)
{
  const struct qset *s = patient_set(p);
  const char *lang = p->lang;
  int W = e->w, H = e->h, y, top, x;
  int start_h = m->target > (int)lround(120 * m->u) ? m->target
                                                    : (int)lround(120 * m->u);
  int start_w = W - 2 * m->M < (int)lround(560 * m->u)
                    ? W - 2 * m->M : (int)lround(560 * m->u);
  int lang_px = px_of(m, 32), tog_px = px_of(m, 26);
  int n_tog = e->audio ? 4 : 3;
  int rows = 1, rowx, lang_rows_h;
  int lw[QSET_MAX_LANGS];

  top_bar(l, e, m, lang, rtl, s != NULL);
  top = m->bar_h + m->M;
  if(!s) {
    text_block(l, e, m, T(e, lang, UT_UNAVAILABLE), LAY_BOLD,
               R(m->M, top, W - 2 * m->M, H - top - m->M), px_of(m, 44),
               m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
    return;
  }
  /* from the bottom up: toggles, languages, start; text gets the rest */
  y = H - m->M - m->target;
  {
    int tw = (W - 2 * m->M - (n_tog - 1) * m->G) / n_tog;
    /* read-aloud last: it is left out without an audio device */
    static const enum uitext_key keys[] = {UT_HIGH_CONTRAST, UT_LARGE_TEXT,
                                           UT_EASY, UT_AUTO_READ};
    static const enum pt_target tg[] = {PT_T_HC, PT_T_LARGE, PT_T_EASY,
                                        PT_T_AUTO};
    static const enum lay_icon ic[] = {ICON_CONTRAST, ICON_TEXTSIZE,
                                       ICON_RING, ICON_SPEAKER};
    int on[4] = {p->hc, p->large, p->easy, p->autoread};
    int th = m->target;
    if(tw > (int)lround(380 * m->u))
      tw = (int)lround(380 * m->u);
    /* a label that needs two lines makes the whole row taller, unless
     * it fits one line at the readable minimum: then it shrinks instead
     * (Arabic lines are tall, two of them crowd out the title) */
    for(int i = 0; i < n_tog; i++) {
      int iw = tw - 3 * m->pad - (int)lround(44 * m->u);
      const char *lab = T(e, lang, keys[i]);
      int need = text_h(e, lab, LAY_BOLD, iw, tog_px) + m->pad;
      if(need > th && text_h(e, lab, LAY_BOLD, iw, m->min_px) + m->pad > th)
        th = need;
    }
    y = H - m->M - th;
    x = (W - (n_tog * tw + (n_tog - 1) * m->G)) / 2;
    for(int i = 0; i < n_tog; i++) {
      icon_button(l, e, m, R(x + i * (tw + m->G), y, tw, th),
                  on[i] ? ICON_CHECK : ic[i], 0, T(e, lang, keys[i]), tog_px,
                  on[i] ? TH_SEL : TH_BTN, on[i] ? TH_SEL : TH_BTN_EDGE,
                  on[i] ? TH_SEL_TEXT : TH_BTN_TEXT, rtl, tg[i], 0);
    }
  }
  /* language buttons, in rows that fit */
  {
    int total = 0, lx;
    for(int i = 0; i < s->n_langs; i++) {
      const char *nm = qset_text(&s->lang_names, s->langs[i]);
      lw[i] = label_w(e, nm, lang_px, LAY_REGULAR) + 4 * m->pad;
      if(lw[i] < 2 * m->target)
        lw[i] = 2 * m->target;
      if(lw[i] > W - 2 * m->M)
        lw[i] = W - 2 * m->M;
      if(total && total + m->G + lw[i] > W - 2 * m->M) {
        rows++;
        total = 0;
      }
      total += (total ? m->G : 0) + lw[i];
    }
    lang_rows_h = rows * m->target + (rows - 1) * m->G;
    y -= m->G * 2 + lang_rows_h;
    /* lay the rows out, each centred */
    lx = 0;
    rowx = 0;
    {
      int i0 = 0, ry = y;
      while(i0 < s->n_langs) {
        int i1 = i0, rw = 0;
        while(i1 < s->n_langs &&
              (rw == 0 || rw + m->G + lw[i1] <= W - 2 * m->M)) {
          rw += (rw ? m->G : 0) + lw[i1];
          i1++;
        }
        lx = (W - rw) / 2;
        for(int i = i0; i < i1; i++) {
          int sel = strcmp(s->langs[i], lang) == 0;
          const char *nm = qset_text(&s->lang_names, s->langs[i]);
          button(l, e, m, R(lx, ry, lw[i], m->target), nm, lang_px,
                 sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
                 sel ? TH_SEL_TEXT : TH_BTN_TEXT, LAY_REGULAR,
                 layout_lang_rtl(s->langs[i]), PT_T_LANG, i);
          lx += lw[i] + m->G;
        }
        ry += m->target + m->G;
        i0 = i1;
      }
    }
    (void)rowx;
  }
  /* What the title and intro need at the readable minimum: when space is
   * short, "Börja" is only as tall as a target and "choose language"
   * goes (the languages are named in their own words anyway). */
  {
    int tw = W - 2 * m->M, room;
    int need = text_h(e, qset_text(&s->title, lang), LAY_BOLD, tw,
                      m->min_px) +
               m->G + text_h(e, qset_text(&s->intro, lang), LAY_REGULAR, tw,
                             m->min_px);
    int lh = text_h(e, T(e, lang, UT_CHOOSE_LANG), LAY_REGULAR, tw,
                    px_of(m, 24));
    if(y - lh - m->G / 2 - 2 * m->M - m->target - top >= need) {
      y -= lh + m->G / 2;
      text_block(l, e, m, T(e, lang, UT_CHOOSE_LANG), LAY_REGULAR,
                 R(m->M, y, tw, lh), px_of(m, 24), m->min_px, AL_CENTER, 0,
                 TH_MUTED, rtl);
    }
    room = y - 2 * m->M - top - need;
    if(start_h > room)
      start_h = room > m->target ? room : m->target;
  }
  y -= m->M + start_h;
  button(l, e, m, R((W - start_w) / 2, y, start_w, start_h),
         T(e, lang, UT_START), px_of(m, 50), TH_PRIMARY, TH_PRIMARY,
         TH_PRIMARY_TEXT, LAY_BOLD, rtl, PT_T_START, 0);
  /* title and intro share what is left */
  {
    int avail = y - m->M - top, th, ih;
    const char *title = qset_text(&s->title, lang);
    const char *intro = qset_text(&s->intro, lang);
    int tw = W - 2 * m->M;
    int tpx = px_of(m, 56), ipx = px_of(m, 32);
    if(avail <= 0)
      return;
    th = text_h(e, title, LAY_BOLD, tw, tpx);
    ih = text_h(e, intro, LAY_REGULAR, tw, ipx);
    /* shrink both together, keeping their proportion */
    for(int step = 0; step < 40; step++) {
      th = text_h(e, title, LAY_BOLD, tw, tpx);
      ih = text_h(e, intro, LAY_REGULAR, tw, ipx);
      if(th + m->G + ih <= avail || (tpx <= m->min_px && ipx <= m->min_px))
        break;
      tpx = tpx * 95 / 100 > m->min_px ? tpx * 95 / 100 : m->min_px;
      ipx = ipx * 95 / 100 > m->min_px ? ipx * 95 / 100 : m->min_px;
    }
    if(th + m->G + ih <= avail) {
      int y0 = top + (avail - th - m->G - ih) / 2;
      text_block(l, e, m, title, LAY_BOLD, R(m->M, y0, tw, th), tpx, tpx,
                 AL_CENTER, 0, TH_TEXT, rtl);
      text_block(l, e, m, intro, LAY_REGULAR, R(m->M, y0 + th + m->G, tw, ih),
                 ipx, ipx, AL_CENTER, 0, TH_TEXT, rtl);
    } else {
      /* still too much at the minimum: each gets a share and goes below */
      int ta = avail * th / (th + ih + 1);
      text_block(l, e, m, title, LAY_BOLD, R(m->M, top, tw, ta - m->G / 2),
                 tpx, m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
      text_block(l, e, m, intro, LAY_REGULAR,
                 R(m->M, top + ta + m->G / 2, tw, avail - ta - m->G / 2), ipx,
                 m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
    }
  }
}

/* Back at the start side, optional skip / done at the end side. */
static void bottom_bar(struct lay *l, const struct lay_env *e,
                       const struct met *m, const struct patient *p, int rtl,
                       int skip, int done)
{
  const char *lang = p->lang;
  int y = e->h - m->M - m->target, px = px_of(m, 30);
  int bw = (e->w - 2 * m->M - 2 * m->G) / 3;
  int x = e->w - m->M;
  if(bw > (int)lround(340 * m->u))
    bw = (int)lround(340 * m->u);
  icon_button(l, e, m, R(m->M, y, bw, m->target), ICON_BACK, rtl,
              T(e, lang, UT_BACK), px, TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT, rtl,
              PT_T_BACK, 0);
  if(done) {
    x -= bw;
    button(l, e, m, R(x, y, bw, m->target), T(e, lang, UT_DONE), px,
           TH_PRIMARY, TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, rtl, PT_T_DONE,
           0);
    x -= m->G;
  }
  if(skip) {
    x -= bw;
    button(l, e, m, R(x, y, bw, m->target), T(e, lang, UT_SKIP), px, TH_BTN,
           TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, rtl, PT_T_SKIP, 0);
  }
}

static void question(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p, int rtl)
{
  const struct qset *s = patient_set(p);
  const struct qset_question *q = &s->questions[p->q];
  const struct qset_scale *sc = qset_question_scale(s, p->q);
  const char *lang = p->lang;
  int W = e->w, n = sc ? sc->n_options : 0;
  int top = m->bar_h + m->M, bottom = e->h - m->M - m->target - m->M;
  int apx = px_of(m, 34), cols = 1, bw, bh[QSET_MAX_OPTIONS], ans_h = 0;
  int maxw = (int)lround(920 * m->u);
  int x_end;

  x_end = top_bar(l, e, m, lang, rtl, 1);
  progress(l, e, m, p, x_end, rtl);
  bottom_bar(l, e, m, p, rtl, q->optional, 0);
  if(p->save_failed) {
    int bh2 = m->target;
    banner(l, e, m, R(0, m->bar_h, W, bh2), T(e, lang, UT_SAVE_FAILED), rtl);
    top = m->bar_h + bh2 + m->G;
  }
  for(;;) {
    int iw, rows;
    bw = (W - 2 * m->M - (cols - 1) * m->G) / cols;
    if(bw > maxw)
      bw = maxw;
    iw = bw - 3 * m->pad - (int)lround(44 * m->u);
    ans_h = 0;
    rows = (n + cols - 1) / cols;
    for(int r = 0; r < rows; r++) {
      int rh = m->target;
      for(int c = 0; c < cols; c++) {
        int i = r * cols + c, h;
        if(i >= n)
          break;
        h = text_h(e, qset_text(&sc->options[i].label, lang), LAY_BOLD, iw,
                   apx) + m->pad;
        if(h > rh)
          rh = h;
      }
      for(int c = 0; c < cols && r * cols + c < n; c++)
        bh[r * cols + c] = rh;
      ans_h += rh + (r ? m->G : 0);
    }
    /* room for at least two lines of question at the readable minimum */
    if(bottom - top - ans_h - m->M >= 3 * m->min_px || cols == 2)
      break;
    cols = 2;
  }
  {
    int ay = bottom - ans_h, qh = ay - m->M - top;
    int total_w = cols * bw + (cols - 1) * m->G;
    int ax = (W - total_w) / 2;
    text_block(l, e, m, qset_question_text(q, lang, p->easy), LAY_BOLD,
               R(m->M, top, W - 2 * m->M, qh), px_of(m, 46), m->min_px,
               AL_START, 1, TH_TEXT, rtl);
    for(int i = 0, y = ay; i < n; i++) {
      int c = i % cols, sel = p->answers[p->q] == i;
      const struct qset_option *o = &sc->options[i];
      int dk = o->dontknow;
      struct lay_rect r = R(ax + c * (bw + m->G), y, bw, bh[i]);
      icon_button(l, e, m, r, sel ? ICON_CHECK : ICON_RING, 0,
                  qset_text(&o->label, lang), dk ? px_of(m, 28) : apx,
                  sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
                  sel ? TH_SEL_TEXT : TH_BTN_TEXT, rtl, PT_T_OPTION, i);
      if(c == cols - 1 || i == n - 1)
        y += bh[i] + m->G;
    }
  }
}

static void keyboard(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p,
                     struct lay_rect area)
{
  const struct osk_layout *k = osk_for_lang(p->lang);
  int units = 0, g = (int)lround(8 * m->u), kh, kw, idx = 0;
  int px = px_of(m, 30);
  for(int r = 0; r < k->n_rows; r++) {
    int u = 0;
    for(int i = 0; i < k->n_keys[r]; i++)
      u += k->keys[r][i].width;
    if(u > units)
      units = u;
  }
  kh = (area.h - (k->n_rows - 1) * g) / k->n_rows;
  kw = area.w * 4 / units;           /* one ordinary key, gap included */
  for(int r = 0; r < k->n_rows; r++) {
    int u = 0, x, y = area.y + r * (kh + g);
    for(int i = 0; i < k->n_keys[r]; i++)
      u += k->keys[r][i].width;
    x = area.x + (area.w - u * kw / 4) / 2;
    for(int i = 0; i < k->n_keys[r]; i++, idx++) {
      const struct osk_key *key = &k->keys[r][i];
      int w = key->width * kw / 4 - g;
      struct lay_rect rc = R(x, y, w, kh);
      int on = key->act == OSK_SHIFT && p->shift;
      box(l, m, rc, on ? TH_SEL : TH_KEY, on ? TH_SEL : TH_KEY, PT_T_KEY, idx);
      if(key->act == OSK_BACKSPACE || key->act == OSK_SHIFT) {
        int is = kh * 6 / 10;
        icon(l, R(x + (w - is) / 2, y + (kh - is) / 2, is, is),
             key->act == OSK_BACKSPACE ? ICON_BACKSPACE : ICON_SHIFT,
             on ? TH_SEL_TEXT : TH_KEY_TEXT, 0);
      } else {
        const char *lab = key->act == OSK_SPACE ? T(e, p->lang, UT_SPACE)
                          : (p->shift && key->shifted) ? key->shifted
                                                       : key->text;
        text_block(l, e, m, lab, key->act == OSK_SPACE ? LAY_REGULAR : LAY_BOLD,
                   R(x + 4, y + 2, w - 8, kh - 4),
                   key->act == OSK_SPACE ? px_of(m, 24) : px, 10, AL_CENTER, 1,
                   TH_KEY_TEXT, layout_lang_rtl(p->lang));
      }
      x += w + g;
    }
  }
}

static void text_screen(struct lay *l, const struct lay_env *e,
                        const struct met *m, const struct patient *p, int rtl,
                        struct lay_rect *kb)
{
  const struct qset *s = patient_set(p);
  const struct qset_question *q = &s->questions[p->q];
  const char *lang = p->lang;
  int W = e->w, top = m->bar_h + m->G;
  int bottom = e->h - m->M - m->target - m->G;
  double kmm = 11.0 * e->px_per_mm;
  int kh = (int)lround(kmm) > (int)lround(62 * m->u) ? (int)lround(kmm)
                                                     : (int)lround(62 * m->u);
  int kb_h = 5 * kh + 4 * (int)lround(8 * m->u);
  int fpx = px_of(m, 30), field_h, fy, qh, x_end;
  int lh = text_h(e, "Åg", LAY_REGULAR, W, fpx);

  x_end = top_bar(l, e, m, lang, rtl, 1);
  progress(l, e, m, p, x_end, rtl);
  bottom_bar(l, e, m, p, rtl, q->optional, 1);
  if(kb_h > (bottom - top) / 2)
    kb_h = (bottom - top) / 2;
  *kb = R(m->M, bottom - kb_h, W - 2 * m->M, kb_h);
  field_h = 3 * lh + m->pad;
  if(p->save_failed || p->text_full) {
    banner(l, e, m, R(0, m->bar_h, W, m->target),
           T(e, lang, p->save_failed ? UT_SAVE_FAILED : UT_TEXT_FULL), rtl);
    top = m->bar_h + m->target + m->G;
  }
  /* the field gives up lines (the last typed ones stay in view) before
   * the question goes below the readable minimum */
  {
    int need = text_h(e, qset_question_text(q, lang, p->easy), LAY_BOLD,
                      W - 2 * m->M, m->min_px);
    for(int lines = 3; lines >= 1; lines--) {
      field_h = lines * lh + m->pad;
      fy = kb->y - m->G - field_h;
      qh = fy - m->G - top;
      if(qh >= need)
        break;
    }
  }
  text_block(l, e, m, qset_question_text(q, lang, p->easy), LAY_BOLD,
             R(m->M, top, W - 2 * m->M, qh), px_of(m, 38), m->min_px, AL_START,
             1, TH_TEXT, rtl);
  {
    struct lay_rect fr = R(m->M, fy, W - 2 * m->M, field_h);
    struct lay_item *it = add(l, LAY_BOX, fr);
    int iw = fr.w - 2 * m->pad, ih = fr.h - m->pad;
    if(it) {
      it->bg = TH_FIELD;
      it->fg = TH_FIELD_EDGE;
      it->edge = 3;
      it->radius = (int)lround(10 * m->u);
    }
    if(!p->typing[0]) {
      text_block(l, e, m, T(e, lang, UT_TEXT_HINT), LAY_REGULAR,
                 R(fr.x + m->pad, fr.y + m->pad / 2, iw, ih), fpx, m->min_px,
                 AL_START, 0, TH_MUTED, rtl);
      fill(l, R(fr.x + m->pad / 2, fr.y + m->pad / 2, 3, lh), TH_FIELD_TEXT);
    } else {
      /* the last lines that fit: what was typed first scrolls away */
      struct lay_line lines[MAX_LINES];
      int lhh, nl = layout_wrap(e, p->typing, fpx, LAY_REGULAR, iw, lines,
                                MAX_LINES, &lhh);
      int show = ih / (lhh > 0 ? lhh : 1), first;
      if(nl < 0)
        nl = MAX_LINES;
      first = nl > show ? nl - show : 0;
      for(int i = first; i < nl; i++) {
        struct lay_item *t = add(l, LAY_TEXT,
                                 R(fr.x + m->pad,
                                   fr.y + m->pad / 2 + (i - first) * lhh,
                                   lines[i].w, lhh));
        if(!t)
          break;
        t->text = lines[i].s;
        t->len = lines[i].len;
        t->px = fpx;
        t->fg = TH_FIELD_TEXT;
        t->rtl = rtl;
        if(fpx < l->min_px || !l->min_px)
          l->min_px = fpx;
        if(i == nl - 1)
          fill(l, R(fr.x + m->pad + lines[i].w + 2,
                    fr.y + m->pad / 2 + (i - first) * lhh, 3, lhh),
               TH_FIELD_TEXT);
      }
    }
  }
}

static void still_there(struct lay *l, const struct lay_env *e,
                        const struct met *m, const struct patient *p, int rtl)
{
  const char *lang = p->lang;
  int W = e->w, H = e->h, top = m->bar_h + m->M;
  int bh = m->target > (int)lround(120 * m->u) ? m->target
                                               : (int)lround(120 * m->u);
  int bw = W - 2 * m->M < (int)lround(640 * m->u) ? W - 2 * m->M
                                                  : (int)lround(640 * m->u);
  int by = H - m->M * 3 - bh, th, nh;
  char secs[12], note[600];
  snprintf(secs, sizeof(secs), "%d", patient_still_left(p, e->now));
  uitext_fill(note, sizeof(note), T(e, lang, UT_STILL_THERE_NOTE), "s", secs);
  top_bar(l, e, m, lang, rtl, 1);
  button(l, e, m, R((W - bw) / 2, by, bw, bh), T(e, lang, UT_STILL_THERE_YES),
         px_of(m, 44), TH_PRIMARY, TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, rtl,
         PT_T_STILL_YES, 0);
  th = (by - m->M - top) * 5 / 9;
  nh = by - m->M - top - th;
  text_block(l, e, m, T(e, lang, UT_STILL_THERE), LAY_BOLD,
             R(m->M, top, W - 2 * m->M, th), px_of(m, 72), m->min_px,
             AL_CENTER, 1, TH_TEXT, rtl);
  text_block(l, e, m, keep(l, note), LAY_REGULAR,
             R(m->M, top + th, W - 2 * m->M, nh), px_of(m, 32), m->min_px,
             AL_CENTER, 1, TH_TEXT, rtl);
}

static void thanks(struct lay *l, const struct lay_env *e, const struct met *m,
                   const struct patient *p, int rtl)
{
  const char *lang = p->lang;
  int W = e->w, H = e->h, top = m->bar_h + m->M;
  int bw = (int)lround(360 * m->u), by = H - m->M * 2 - m->target, th;
  top_bar(l, e, m, lang, rtl, 1);
  if(bw > W - 2 * m->M)
    bw = W - 2 * m->M;
  button(l, e, m, R((W - bw) / 2, by, bw, m->target), T(e, lang, UT_DONE),
         px_of(m, 36), TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, rtl,
         PT_T_THANKS_OK, 0);
  th = (by - m->M - top) / 2;
  text_block(l, e, m, T(e, lang, UT_THANKS), LAY_BOLD,
             R(m->M, top, W - 2 * m->M, th), px_of(m, 72), m->min_px,
             AL_CENTER, 1, TH_TEXT, rtl);
  text_block(l, e, m, T(e, lang, UT_THANKS_NOTE), LAY_REGULAR,
             R(m->M, top + th, W - 2 * m->M, by - m->M - top - th),
             px_of(m, 34), m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
}

static void pin_screen(struct lay *l, const struct lay_env *e,
                       const struct met *m, const struct patient *p)
{
  int W = e->w, H = e->h, k = m->target > (int)lround(92 * m->u)
                                  ? m->target : (int)lround(92 * m->u);
  int pad_w = 3 * k + 2 * m->G, pad_h = 4 * k + 3 * m->G;
  int x0 = (W - pad_w) / 2, y0, top = m->bar_h + m->G;
  long wait = patient_pin_wait(p, e->now);
  const char *msg = NULL;
  char buf[300], secs[24];
  fill(l, R(0, 0, W, m->bar_h), TH_BAR);
  text_block(l, e, m, T(e, "sv", UT_PIN_TITLE), LAY_BOLD,
             R(m->corner, 0, W - 2 * m->corner, m->bar_h), px_of(m, 34),
             m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);
  button(l, e, m, R(W - m->M - (int)lround(260 * m->u), H - m->M - m->target,
                    (int)lround(260 * m->u), m->target),
         T(e, "sv", UT_CANCEL), px_of(m, 30), TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT,
         LAY_BOLD, 0, PT_T_CANCEL, 0);
  if(p->pin_none)
    msg = T(e, "sv", UT_PIN_NONE);
  else if(wait > 0) {
    snprintf(secs, sizeof(secs), "%ld", wait);
    uitext_fill(buf, sizeof(buf), T(e, "sv", UT_PIN_WAIT), "s", secs);
    msg = keep(l, buf);
  } else if(p->pin_wrong)
    msg = T(e, "sv", UT_PIN_WRONG);
  if(p->pin_none) {
    text_block(l, e, m, msg, LAY_BOLD, R(m->M, top, W - 2 * m->M,
               H - top - 2 * m->M - m->target), px_of(m, 34), m->min_px,
               AL_CENTER, 1, TH_TEXT, 0);
    return;
  }
  /* digits entered, as dots */
  {
    int n = (int)strlen(p->pin), d = (int)lround(26 * m->u);
    int slots = n > 4 ? n : 4, sx = (W - slots * (d + m->G)) / 2;
    for(int i = 0; i < slots; i++)
      icon(l, R(sx + i * (d + m->G), top + m->G, d, d),
           i < n ? ICON_DOT : ICON_RING, TH_TEXT, 0);
    top += d + 2 * m->G;
  }
  if(msg) {
    int mh = text_h(e, msg, LAY_BOLD, W - 2 * m->M, px_of(m, 28));
    text_block(l, e, m, msg, LAY_BOLD, R(m->M, top, W - 2 * m->M, mh),
               px_of(m, 28), m->min_px, AL_CENTER, 0, TH_TEXT, 0);
    top += mh + m->G;
  }
  y0 = top;
  if(y0 + pad_h > H - m->M) {
    k = (H - m->M - y0 - 3 * m->G) / 4;
    pad_w = 3 * k + 2 * m->G;
    x0 = (W - pad_w) / 2;
  }
  for(int i = 0; i < 12; i++) {
    int r = i / 3, c = i % 3;
    struct lay_rect rc = R(x0 + c * (k + m->G), y0 + r * (k + m->G), k, k);
    static const char *const lab[12] = {"1", "2", "3", "4", "5", "6", "7",
                                        "8", "9", "", "0", ""};
    if(i == 9) {
      box(l, m, rc, TH_KEY, TH_KEY, PT_T_PIN_DEL, 0);
      icon(l, R(rc.x + k / 4, rc.y + k / 4, k / 2, k / 2), ICON_BACKSPACE,
           TH_KEY_TEXT, 0);
    } else if(i == 11) {
      button(l, e, m, rc, T(e, "sv", UT_OK), px_of(m, 34), TH_PRIMARY,
             TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0, PT_T_PIN_OK, 0);
    } else {
      button(l, e, m, rc, lab[i], px_of(m, 40), TH_KEY, TH_KEY, TH_KEY_TEXT,
             LAY_BOLD, 0, PT_T_PIN_DIGIT, lab[i][0] - '0');
    }
  }
}

/* A bold heading above a group of staff controls; returns its height. */
static int heading(struct lay *l, const struct lay_env *e, const struct met *m,
                   const char *text, int x, int y, int w)
{
  int px = px_of(m, 24), h = text_h(e, text, LAY_BOLD, w, px);
  text_block(l, e, m, text, LAY_BOLD, R(x, y, w, h), px, px, AL_START, 0,
             TH_TEXT, 0);
  return h + m->G / 2;
}

static void staff_screen(struct lay *l, const struct lay_env *e,
                         const struct met *m, const struct patient *p)
{
  const struct qset *s = patient_set(p);
  int W = e->w, H = e->h, cw = (W - 2 * m->M - 2 * m->G) / 3;
  int x1 = m->M, x2 = x1 + cw + m->G, x3 = x2 + cw + m->G, y;
  int px = px_of(m, 24), bh = m->target, sh = m->target + m->pad;
  char buf[300];
  const char *on = T(e, "sv", UT_ON), *off = T(e, "sv", UT_OFF);

  fill(l, R(0, 0, W, m->bar_h), TH_BAR);
  text_block(l, e, m, T(e, "sv", UT_STAFF_TITLE), LAY_BOLD,
             R(m->corner, 0, W - 2 * m->corner, m->bar_h), px_of(m, 34),
             m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);
  /* 1: which questions the patients get */
  y = m->bar_h + m->G;
  y += heading(l, e, m, T(e, "sv", UT_STAFF_SET), x1, y, cw);
  for(int i = 0; i < p->n_sets && y + sh <= H - m->M; i++) {
    int sel = i == p->set_idx;
    snprintf(buf, sizeof(buf), "%s (%s, v%d)",
             qset_text(&p->sets[i]->title, "sv"), p->sets[i]->id,
             p->sets[i]->version);
    button(l, e, m, R(x1, y, cw, sh), keep(l, buf), px,
           sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
           sel ? TH_SEL_TEXT : TH_BTN_TEXT, LAY_REGULAR, 0, PT_T_STAFF_SET, i);
    y += sh + m->G / 2;
  }
  /* 2: the patients' starting language and themes */
  y = m->bar_h + m->G;
  y += heading(l, e, m, T(e, "sv", UT_STAFF_LANG), x2, y, cw);
  if(s) {
    int n = s->n_langs, g = m->G / 2, w = (cw - (n - 1) * g) / (n ? n : 1);
    for(int i = 0; i < n; i++) {
      int sel = strcmp(s->langs[i], p->def_lang) == 0;
      button(l, e, m, R(x2 + i * (w + g), y, w, bh),
             qset_text(&s->lang_names, s->langs[i]), px,
             sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
             sel ? TH_SEL_TEXT : TH_BTN_TEXT, LAY_REGULAR,
             layout_lang_rtl(s->langs[i]), PT_T_STAFF_LANG, i);
    }
    y += bh + m->G;
  }
  {
    static const enum uitext_key keys[] = {UT_STAFF_HC, UT_STAFF_LARGE,
                                           UT_STAFF_EASY, UT_STAFF_AUTO};
    static const enum pt_target tg[] = {PT_T_STAFF_HC, PT_T_STAFF_LARGE,
                                        PT_T_STAFF_EASY, PT_T_STAFF_AUTO};
    int v[4] = {p->def_hc, p->def_large, p->def_easy, p->def_auto};
    for(int i = 0; i < 4 && y + bh <= H - m->M; i++) {
      snprintf(buf, sizeof(buf), "%s: %s", T(e, "sv", keys[i]),
               v[i] ? on : off);
      icon_button(l, e, m, R(x2, y, cw, bh), v[i] ? ICON_CHECK : ICON_RING, 0,
                  keep(l, buf), px, v[i] ? TH_SEL : TH_BTN,
                  v[i] ? TH_SEL : TH_BTN_EDGE,
                  v[i] ? TH_SEL_TEXT : TH_BTN_TEXT, 0, tg[i], 0);
      y += bh + m->G / 2;
    }
  }
  /* 3: sync, sound, phone mode, leaving */
  y = m->bar_h + m->G;
  {
    const char *st = e->sync_text ? e->sync_text : T(e, "sv", UT_STAFF_SYNC_OFF);
    int lpx = px_of(m, 22), th = text_h(e, st, LAY_REGULAR, cw, lpx);
    text_block(l, e, m, st, LAY_REGULAR, R(x3, y, cw, th), lpx, lpx, AL_START,
               0, TH_TEXT, 0);
    y += th + m->G / 2;
    if(e->sync_text) {
      button(l, e, m, R(x3, y, cw, bh), T(e, "sv", UT_STAFF_SYNC), px, TH_BTN,
             TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_SYNC, 0);
      y += bh + m->G;
    }
    if(e->audio_text) {
      th = text_h(e, e->audio_text, LAY_REGULAR, cw, lpx);
      text_block(l, e, m, e->audio_text, LAY_REGULAR, R(x3, y, cw, th), lpx,
                 lpx, AL_START, 0, TH_TEXT, 0);
      y += th + m->G;
    }
  }
  button(l, e, m, R(x3, y, cw, bh), T(e, "sv", UT_STAFF_PHONE), px, TH_BTN,
         TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_PHONE, 0);
  y = H - m->M - bh;
  button(l, e, m, R(x3, y, cw, bh), T(e, "sv", UT_STAFF_EXIT), px, TH_ERR,
         TH_ERR, TH_ERR_TEXT, LAY_BOLD, 0, PT_T_STAFF_EXIT, 0);
  y -= bh + m->G;
  button(l, e, m, R(x3, y, cw, bh), T(e, "sv", UT_STAFF_BACK), px, TH_PRIMARY,
         TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0, PT_T_STAFF_BACK, 0);
}

void layout_build(const struct patient *p, const struct lay_env *e,
                  struct lay *out)
{
  struct met m;
  int staff = p->screen == PT_PIN || p->screen == PT_STAFF;
  int rtl = !staff && layout_lang_rtl(p->lang);
  struct lay_rect kb = {0, 0, 0, 0};

  out->n = 0;
  out->rtl = 0;
  out->min_px = 0;
  out->overflow = 0;
  out->str_used = 0;
  met_init(&m, e, staff ? 0 : p->large);
  out->target_px = m.target;
  fill(out, R(0, 0, e->w, e->h), TH_BG);
  switch(p->screen) {
  case PT_WELCOME: welcome(out, e, &m, p, rtl); break;
  case PT_QUESTION: question(out, e, &m, p, rtl); break;
  case PT_TEXT: text_screen(out, e, &m, p, rtl, &kb); break;
  case PT_STILL_THERE: still_there(out, e, &m, p, rtl); break;
  case PT_THANKS: thanks(out, e, &m, p, rtl); break;
  case PT_PIN: pin_screen(out, e, &m, p); break;
  case PT_STAFF: staff_screen(out, e, &m, p); break;
  }
  if(rtl)
    mirror(out, e->w);
  if(p->screen == PT_TEXT)
    keyboard(out, e, &m, p, kb);
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
