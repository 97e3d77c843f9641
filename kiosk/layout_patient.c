/* layout_patient.c — This file contains the patient screens of the
 * layout (layout.h): welcome, a question, free text with the keyboard,
 * "Är du kvar?" and thank-you. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "layout_screens.h"
#include "osk.h"

void lay_welcome(struct lay *l, const struct lay_env *e, const struct met *m,
                    const struct patient *p, int rtl)
{
  const struct qset *s = patient_set(p);
  const char *lang = p->lang;
  int W = e->w, H = e->h, y, top, x, bar_end;
  int start_h = m->target > (int)lround(120 * m->u) ? m->target
                                                    : (int)lround(120 * m->u);
  int start_w = W - 2 * m->M < (int)lround(560 * m->u)
                    ? W - 2 * m->M : (int)lround(560 * m->u);
  int lang_px = lay_px_of(m, 32), tog_px = lay_px_of(m, 26);
  int n_tog = e->audio ? 4 : 3;
  int rows = 1, rowx, lang_rows_h;
  int lw[QSET_MAX_LANGS];

  bar_end = lay_top_bar(l, e, m, lang, rtl, s != NULL);
  top = m->bar_h + m->M;
  if(!s) {
    lay_text_block(l, e, m, lay_t(e, lang, UT_UNAVAILABLE), LAY_BOLD,
               lay_r(m->M, top, W - 2 * m->M, H - top - m->M), lay_px_of(m, 44),
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
      const char *lab = lay_t(e, lang, keys[i]);
      int need = lay_text_h(e, lab, LAY_BOLD, iw, tog_px) + m->pad;
      if(need > th && lay_text_h(e, lab, LAY_BOLD, iw, m->min_px) + m->pad > th)
        th = need;
    }
    y = H - m->M - th;
    x = (W - (n_tog * tw + (n_tog - 1) * m->G)) / 2;
    for(int i = 0; i < n_tog; i++) {
      lay_icon_button(l, e, m, lay_r(x + i * (tw + m->G), y, tw, th),
                  on[i] ? ICON_CHECK : ic[i], 0, lay_t(e, lang, keys[i]), tog_px,
                  on[i] ? TH_SEL : TH_BTN, on[i] ? TH_SEL : TH_BTN_EDGE,
                  on[i] ? TH_SEL_TEXT : TH_BTN_TEXT, rtl, tg[i], 0);
    }
  }
  /* on a small panel the languages go in the top bar when they fit
   * there: the chosen one filled in the bar's text colour */
  if(m->small) {
    int total = 0, lx = m->corner + m->G;
    for(int i = 0; i < s->n_langs; i++) {
      const char *nm = qset_text(&s->lang_names, s->langs[i]);
      lw[i] = lay_label_w(e, nm, lang_px, LAY_REGULAR) + 4 * m->pad;
      if(lw[i] < 2 * m->target)
        lw[i] = 2 * m->target;
      total += (i ? m->G : 0) + lw[i];
    }
    if(lx + total + m->G <= bar_end) {
      for(int i = 0; i < s->n_langs; i++) {
        int sel = strcmp(s->langs[i], lang) == 0;
        lay_button(l, e, m, lay_r(lx, (m->bar_h - m->target) / 2, lw[i],
                                  m->target),
                   qset_text(&s->lang_names, s->langs[i]), lang_px,
                   sel ? TH_BAR_TEXT : TH_BAR, TH_BAR_TEXT,
                   sel ? TH_BAR : TH_BAR_TEXT, LAY_REGULAR,
                   layout_lang_rtl(s->langs[i]), PT_T_LANG, i);
        lx += lw[i] + m->G;
      }
      rows = 0;
    }
  }
  /* language buttons, in rows that fit */
  if(rows) {
    int total = 0, lx;
    for(int i = 0; i < s->n_langs; i++) {
      const char *nm = qset_text(&s->lang_names, s->langs[i]);
      lw[i] = lay_label_w(e, nm, lang_px, LAY_REGULAR) + 4 * m->pad;
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
          lay_button(l, e, m, lay_r(lx, ry, lw[i], m->target), nm, lang_px,
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
    int need = lay_text_h(e, qset_text(&s->title, lang), LAY_BOLD, tw,
                      m->min_px) +
               m->G + lay_text_h(e, qset_text(&s->intro, lang), LAY_REGULAR, tw,
                             m->min_px);
    int lh = lay_text_h(e, lay_t(e, lang, UT_CHOOSE_LANG), LAY_REGULAR, tw,
                    lay_px_of(m, 24));
    if(rows && y - lh - m->G / 2 - 2 * m->M - m->target - top >= need) {
      y -= lh + m->G / 2;
      lay_text_block(l, e, m, lay_t(e, lang, UT_CHOOSE_LANG), LAY_REGULAR,
                 lay_r(m->M, y, tw, lh), lay_px_of(m, 24), m->min_px, AL_CENTER, 0,
                 TH_MUTED, rtl);
    }
    room = y - 2 * m->M - top - need;
    if(start_h > room)
      start_h = room > m->target ? room : m->target;
  }
  y -= m->M + start_h;
  lay_button(l, e, m, lay_r((W - start_w) / 2, y, start_w, start_h),
         lay_t(e, lang, UT_START), lay_px_of(m, 50), TH_PRIMARY, TH_PRIMARY,
         TH_PRIMARY_TEXT, LAY_BOLD, rtl, PT_T_START, 0);
  /* title and intro share what is left */
  {
    int avail = y - m->M - top, th, ih;
    const char *title = qset_text(&s->title, lang);
    const char *intro = qset_text(&s->intro, lang);
    int tw = W - 2 * m->M;
    int tpx = lay_px_of(m, 56), ipx = lay_px_of(m, 32);
    if(avail <= 0)
      return;
    th = lay_text_h(e, title, LAY_BOLD, tw, tpx);
    ih = lay_text_h(e, intro, LAY_REGULAR, tw, ipx);
    /* shrink both together, keeping their proportion */
    for(int step = 0; step < 40; step++) {
      th = lay_text_h(e, title, LAY_BOLD, tw, tpx);
      ih = lay_text_h(e, intro, LAY_REGULAR, tw, ipx);
      if(th + m->G + ih <= avail || (tpx <= m->min_px && ipx <= m->min_px))
        break;
      tpx = tpx * 95 / 100 > m->min_px ? tpx * 95 / 100 : m->min_px;
      ipx = ipx * 95 / 100 > m->min_px ? ipx * 95 / 100 : m->min_px;
    }
    if(th + m->G + ih <= avail) {
      int y0 = top + (avail - th - m->G - ih) / 2;
      lay_text_block(l, e, m, title, LAY_BOLD, lay_r(m->M, y0, tw, th), tpx, tpx,
                 AL_CENTER, 0, TH_TEXT, rtl);
      lay_text_block(l, e, m, intro, LAY_REGULAR, lay_r(m->M, y0 + th + m->G, tw, ih),
                 ipx, ipx, AL_CENTER, 0, TH_TEXT, rtl);
    } else {
      /* still too much at the minimum: each gets a share and goes below */
      int ta = avail * th / (th + ih + 1);
      lay_text_block(l, e, m, title, LAY_BOLD, lay_r(m->M, top, tw, ta - m->G / 2),
                 tpx, m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
      lay_text_block(l, e, m, intro, LAY_REGULAR,
                 lay_r(m->M, top + ta + m->G / 2, tw, avail - ta - m->G / 2), ipx,
                 m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
    }
  }
}

/* Back at the start side (then the speaker, when the screen has no top
 * bar), optional skip / done at the end side. */
static void lay_bottom_bar(struct lay *l, const struct lay_env *e,
                       const struct met *m, const struct patient *p, int rtl,
                       int skip, int done, int speaker)
{
  const char *lang = p->lang;
  int y = e->h - m->M - m->target, px = lay_px_of(m, 30);
  int n = 1 + skip + done + (speaker && e->audio);
  int bw = n < 4 ? (e->w - 2 * m->M - 2 * m->G) / 3
                 : (e->w - 2 * m->M - 3 * m->G) / 4;
  int x = e->w - m->M;
  if(bw > (int)lround(340 * m->u))
    bw = (int)lround(340 * m->u);
  lay_icon_button(l, e, m, lay_r(m->M, y, bw, m->target), ICON_BACK, rtl,
              lay_t(e, lang, UT_BACK), px, TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT, rtl,
              PT_T_BACK, 0);
  if(speaker && e->audio)
    lay_icon_button(l, e, m, lay_r(m->M + bw + m->G, y, bw, m->target),
                ICON_SPEAKER, rtl, lay_t(e, lang, UT_LISTEN), px, TH_BTN,
                TH_BTN_EDGE, TH_BTN_TEXT, rtl, PT_T_SPEAK, 0);
  if(done) {
    x -= bw;
    lay_button(l, e, m, lay_r(x, y, bw, m->target), lay_t(e, lang, UT_DONE), px,
           TH_PRIMARY, TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, rtl, PT_T_DONE,
           0);
    x -= m->G;
  }
  if(skip) {
    x -= bw;
    lay_button(l, e, m, lay_r(x, y, bw, m->target), lay_t(e, lang, UT_SKIP), px, TH_BTN,
           TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, rtl, PT_T_SKIP, 0);
  }
}

/* What surrounds a question: the top bar with the progress (not when
 * compact: the speaker then sits in the bottom bar), the bottom bar (with
 * "done" on the free-text screen), and a banner of ban_h under the top. */
static void lay_question_bars(struct lay *l, const struct lay_env *e,
                              const struct met *m, const struct patient *p,
                              int rtl, int done, int compact, const char *ban,
                              int ban_h)
{
  const struct qset_question *q = &patient_set(p)->questions[p->q];
  if(!compact)
    lay_progress(l, e, m, p, lay_top_bar(l, e, m, p->lang, rtl, 1), rtl);
  lay_bottom_bar(l, e, m, p, rtl, q->optional, done, compact);
  if(ban)
    lay_banner(l, e, m, lay_r(0, compact ? 0 : m->bar_h, e->w, ban_h), ban,
               rtl);
}

void lay_question(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p, int rtl)
{
  const struct qset *s = patient_set(p);
  const struct qset_question *q = &s->questions[p->q];
  const struct qset_scale *sc = qset_question_scale(s, p->q);
  const char *lang = p->lang;
  int W = e->w, n = sc ? sc->n_options : 0;
  int top = m->bar_h + m->M, bottom = e->h - m->M - m->target - m->M;
  int apx = lay_px_of(m, 34), cols = 1, bw, bh[QSET_MAX_OPTIONS], ans_h = 0;
  int maxw = (int)lround(920 * m->u);
  int compact;
  const char *ban = p->save_failed ? lay_t(e, lang, UT_SAVE_FAILED) : NULL;
  int ban_h = ban ? lay_banner_h(e, m, ban) : 0;
  int need = lay_text_h(e, qset_question_text(q, lang, p->easy), LAY_BOLD,
                        W - 2 * m->M, m->min_px);

  /* When the question does not fit at the readable minimum above the
   * answers, the top bar goes: its speaker moves down beside "back" and
   * the progress is not shown (small panels, large text). */
  for(compact = 0; compact < 2; compact++) {
    top = (compact ? 0 : m->bar_h) + (ban ? ban_h + m->G : m->M);
    cols = 1;
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
          h = lay_text_h(e, qset_text(&sc->options[i].label, lang), LAY_BOLD, iw,
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
    if(bottom - top - ans_h - m->M >= need)
      break;
  }
  if(compact > 1)
    compact = 1;
  lay_question_bars(l, e, m, p, rtl, 0, compact, ban, ban_h);
  {
    int ay = bottom - ans_h, qh = ay - m->M - top;
    int total_w = cols * bw + (cols - 1) * m->G;
    int ax = (W - total_w) / 2;
    lay_text_block(l, e, m, qset_question_text(q, lang, p->easy), LAY_BOLD,
               lay_r(m->M, top, W - 2 * m->M, qh), lay_px_of(m, 46), m->min_px,
               AL_START, 1, TH_TEXT, rtl);
    for(int i = 0, y = ay; i < n; i++) {
      int c = i % cols, sel = p->answers[p->q] == i;
      const struct qset_option *o = &sc->options[i];
      int dk = o->dontknow;
      struct lay_rect r = lay_r(ax + c * (bw + m->G), y, bw, bh[i]);
      lay_icon_button(l, e, m, r, sel ? ICON_CHECK : ICON_RING, 0,
                  qset_text(&o->label, lang), dk ? lay_px_of(m, 28) : apx,
                  sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
                  sel ? TH_SEL_TEXT : TH_BTN_TEXT, rtl, PT_T_OPTION, i);
      if(c == cols - 1 || i == n - 1)
        y += bh[i] + m->G;
    }
  }
}

void lay_keyboard(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p,
                     struct lay_rect area)
{
  const struct osk_layout *k = patient_osk(p);
  int units = 0, g = (int)lround(8 * m->u), kh, kw, idx = 0;
  int px = lay_px_of(m, 30);
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
      struct lay_rect rc = lay_r(x, y, w, kh);
      int on = key->act == OSK_SHIFT && p->shift;
      lay_box(l, m, rc, on ? TH_SEL : TH_KEY, on ? TH_SEL : TH_KEY, PT_T_KEY, idx);
      if(key->act == OSK_BACKSPACE || key->act == OSK_SHIFT) {
        int is = kh * 6 / 10;
        lay_icon_at(l, lay_r(x + (w - is) / 2, y + (kh - is) / 2, is, is),
             key->act == OSK_BACKSPACE ? ICON_BACKSPACE : ICON_SHIFT,
             on ? TH_SEL_TEXT : TH_KEY_TEXT, 0);
      } else {
        const char *lab = key->act == OSK_SPACE ? lay_t(e, p->lang, UT_SPACE)
                          : (p->shift && key->shifted) ? key->shifted
                                                       : key->text;
        lay_text_block(l, e, m, lab, key->act == OSK_SPACE ? LAY_REGULAR : LAY_BOLD,
                   lay_r(x + 4, y + 2, w - 8, kh - 4),
                   key->act == OSK_SPACE ? lay_px_of(m, 24) : px, 10, AL_CENTER, 1,
                   TH_KEY_TEXT, layout_lang_rtl(p->lang));
      }
      x += w + g;
    }
  }
}

void lay_text_screen(struct lay *l, const struct lay_env *e,
                        const struct met *m, const struct patient *p, int rtl,
                        struct lay_rect *kb)
{
  const struct qset *s = patient_set(p);
  const struct qset_question *q = &s->questions[p->q];
  const char *lang = p->lang;
  const char *qt = qset_question_text(q, lang, p->easy);
  const char *ban = p->save_failed ? lay_t(e, lang, UT_SAVE_FAILED)
                    : p->text_full ? lay_t(e, lang, UT_TEXT_FULL) : NULL;
  int W = e->w, top = 0, compact, kh = 0, kb_h, g = (int)lround(8 * m->u);
  int bottom = e->h - m->M - m->target - m->G;
  int fpx = lay_px_of(m, 30), field_h, fy, qh;
  int lh = lay_text_h(e, "Åg", LAY_REGULAR, W, fpx);
  int need = lay_text_h(e, qt, LAY_BOLD, W - 2 * m->M, m->min_px);
  int ban_h = ban ? lay_banner_h(e, m, ban) : 0;
  /* the field's smallest: one line, or the whole hint when it is empty */
  int field_min = lh + m->pad;

  /* The keys as tall as wanted, leaving the question at the readable
   * minimum and a field of one line; when that makes them shorter than
   * the smallest key, the top bar goes (its speaker moves down to the
   * bottom bar, the progress is not shown) and the keys get its room. */
  if(!p->typing[0]) {
    int hh = lay_text_h(e, lay_t(e, lang, UT_TEXT_HINT), LAY_REGULAR,
                        W - 2 * m->M - 2 * m->pad, m->min_px) + m->pad;
    if(hh > field_min)
      field_min = hh;
  }
  for(compact = 0; compact < 2; compact++) {
    int bar = compact ? 0 : m->bar_h;
    top = bar + ban_h + (compact && !ban_h ? m->M : m->G);
    kh = (bottom - top - need - m->G - field_min - m->G - 4 * g) / 5;
    if(kh > m->key_want)
      kh = m->key_want;
    if(kh >= m->key_min)
      break;
  }
  if(compact > 1)
    compact = 1;
  if(kh < 8)
    kh = 8;
  kb_h = 5 * kh + 4 * g;
  lay_question_bars(l, e, m, p, rtl, 1, compact, ban, ban_h);
  *kb = lay_r(m->M, bottom - kb_h, W - 2 * m->M, kb_h);
  /* the field gives up lines (the last typed ones stay in view) before
   * the question goes below the readable minimum */
  field_h = 3 * lh + m->pad;
  fy = kb->y - m->G - field_h;
  qh = fy - m->G - top;
  for(int lines = 3; lines >= 1; lines--) {
    field_h = lines * lh + m->pad;
    if(field_h < field_min)
      field_h = field_min;
    fy = kb->y - m->G - field_h;
    qh = fy - m->G - top;
    if(qh >= need)
      break;
  }
  lay_text_block(l, e, m, qset_question_text(q, lang, p->easy), LAY_BOLD,
             lay_r(m->M, top, W - 2 * m->M, qh), lay_px_of(m, 38), m->min_px, AL_START,
             1, TH_TEXT, rtl);
  {
    struct lay_rect fr = lay_r(m->M, fy, W - 2 * m->M, field_h);
    struct lay_item *it = lay_add(l, LAY_BOX, fr);
    int iw = fr.w - 2 * m->pad, ih = fr.h - m->pad;
    if(it) {
      it->bg = TH_FIELD;
      it->fg = TH_FIELD_EDGE;
      it->edge = 3;
      it->radius = (int)lround(10 * m->u);
    }
    if(!p->typing[0]) {
      lay_text_block(l, e, m, lay_t(e, lang, UT_TEXT_HINT), LAY_REGULAR,
                 lay_r(fr.x + m->pad, fr.y + m->pad / 2, iw, ih), fpx, m->min_px,
                 AL_START, 0, TH_MUTED, rtl);
      lay_fill(l, lay_r(fr.x + m->pad / 2, fr.y + m->pad / 2, 3, lh), TH_FIELD_TEXT);
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
        struct lay_item *t = lay_add(l, LAY_TEXT,
                                 lay_r(fr.x + m->pad,
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
          lay_fill(l, lay_r(fr.x + m->pad + lines[i].w + 2,
                    fr.y + m->pad / 2 + (i - first) * lhh, 3, lhh),
               TH_FIELD_TEXT);
      }
    }
  }
}

void lay_still_there(struct lay *l, const struct lay_env *e,
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
  uitext_fill(note, sizeof(note), lay_t(e, lang, UT_STILL_THERE_NOTE), "s", secs);
  lay_top_bar(l, e, m, lang, rtl, 1);
  lay_button(l, e, m, lay_r((W - bw) / 2, by, bw, bh), lay_t(e, lang, UT_STILL_THERE_YES),
         lay_px_of(m, 44), TH_PRIMARY, TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, rtl,
         PT_T_STILL_YES, 0);
  th = (by - m->M - top) * 5 / 9;
  nh = by - m->M - top - th;
  lay_text_block(l, e, m, lay_t(e, lang, UT_STILL_THERE), LAY_BOLD,
             lay_r(m->M, top, W - 2 * m->M, th), lay_px_of(m, 72), m->min_px,
             AL_CENTER, 1, TH_TEXT, rtl);
  lay_text_block(l, e, m, lay_keep(l, note), LAY_REGULAR,
             lay_r(m->M, top + th, W - 2 * m->M, nh), lay_px_of(m, 32), m->min_px,
             AL_CENTER, 1, TH_TEXT, rtl);
}

void lay_thanks(struct lay *l, const struct lay_env *e, const struct met *m,
                   const struct patient *p, int rtl)
{
  const char *lang = p->lang;
  int W = e->w, H = e->h, top = m->bar_h + m->M;
  int bw = (int)lround(360 * m->u), by = H - m->M * 2 - m->target, th;
  lay_top_bar(l, e, m, lang, rtl, 1);
  if(bw > W - 2 * m->M)
    bw = W - 2 * m->M;
  lay_button(l, e, m, lay_r((W - bw) / 2, by, bw, m->target), lay_t(e, lang, UT_DONE),
         lay_px_of(m, 36), TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, rtl,
         PT_T_THANKS_OK, 0);
  th = (by - m->M - top) / 2;
  lay_text_block(l, e, m, lay_t(e, lang, UT_THANKS), LAY_BOLD,
             lay_r(m->M, top, W - 2 * m->M, th), lay_px_of(m, 72), m->min_px,
             AL_CENTER, 1, TH_TEXT, rtl);
  lay_text_block(l, e, m, lay_t(e, lang, UT_THANKS_NOTE), LAY_REGULAR,
             lay_r(m->M, top + th, W - 2 * m->M, by - m->M - top - th),
             lay_px_of(m, 34), m->min_px, AL_CENTER, 1, TH_TEXT, rtl);
}
