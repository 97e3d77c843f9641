/* layout_staff.c — This file contains the staff screens of the layout
 * (layout.h): the PIN pad and the staff menu, always in Swedish and never
 * mirrored. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_screens.h"

/* Staff texts: a readable size on every panel (a 7-inch one's scale would
 * make them 13-14 px). */
static int staff_px(const struct met *m, double design)
{
  int px = lay_px_of(m, design);
  int floor_px = (int)lround(design * 0.75);
  return px < floor_px ? floor_px : px;
}

/* The staff screens' title bar: one line of title (they have no staff
 * corner or speaker to make room for), so the controls get the height. */
static int staff_bar_h(const struct lay_env *e, const struct met *m)
{
  return lay_text_h(e, "Åg", LAY_BOLD, e->w, staff_px(m, 34)) + m->G;
}

void lay_pin(struct lay *l, const struct lay_env *e,
                       const struct met *m, const struct patient *p)
{
  int W = e->w, H = e->h, k = m->target > (int)lround(92 * m->u)
                                  ? m->target : (int)lround(92 * m->u);
  int pad_w = 3 * k + 2 * m->G, pad_h = 4 * k + 3 * m->G;
  int x0 = (W - pad_w) / 2, y0, bar = staff_bar_h(e, m), top = bar + m->G;
  long wait = patient_pin_wait(p, e->now);
  const char *msg = NULL;
  char buf[300], secs[24];
  lay_fill(l, lay_r(0, 0, W, bar), TH_BAR);
  lay_text_block(l, e, m, lay_t(e, "sv", UT_PIN_TITLE), LAY_BOLD,
             lay_r(m->corner, 0, W - 2 * m->corner, bar), staff_px(m, 34),
             m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);
  lay_button(l, e, m, lay_r(W - m->M - (int)lround(260 * m->u), H - m->M - m->target,
                    (int)lround(260 * m->u), m->target),
         lay_t(e, "sv", UT_CANCEL), lay_px_of(m, 30), TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT,
         LAY_BOLD, 0, PT_T_CANCEL, 0);
  if(p->pin_none)
    msg = lay_t(e, "sv", UT_PIN_NONE);
  else if(wait > 0) {
    snprintf(secs, sizeof(secs), "%ld", wait);
    uitext_fill(buf, sizeof(buf), lay_t(e, "sv", UT_PIN_WAIT), "s", secs);
    msg = lay_keep(l, buf);
  } else if(p->pin_wrong)
    msg = lay_t(e, "sv", UT_PIN_WRONG);
  if(p->pin_none) {
    lay_text_block(l, e, m, msg, LAY_BOLD, lay_r(m->M, top, W - 2 * m->M,
               H - top - 2 * m->M - m->target), lay_px_of(m, 34), m->min_px,
               AL_CENTER, 1, TH_TEXT, 0);
    return;
  }
  /* digits entered, as dots */
  {
    int n = (int)strlen(p->pin), d = (int)lround(26 * m->u);
    int slots = n > 4 ? n : 4, sx = (W - slots * (d + m->G)) / 2;
    for(int i = 0; i < slots; i++)
      lay_icon_at(l, lay_r(sx + i * (d + m->G), top + m->G, d, d),
           i < n ? ICON_DOT : ICON_RING, TH_TEXT, 0);
    top += d + 2 * m->G;
  }
  if(msg) {
    int mh = lay_text_h(e, msg, LAY_BOLD, W - 2 * m->M, lay_px_of(m, 28));
    lay_text_block(l, e, m, msg, LAY_BOLD, lay_r(m->M, top, W - 2 * m->M, mh),
               lay_px_of(m, 28), m->min_px, AL_CENTER, 0, TH_TEXT, 0);
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
    struct lay_rect rc = lay_r(x0 + c * (k + m->G), y0 + r * (k + m->G), k, k);
    static const char *const lab[12] = {"1", "2", "3", "4", "5", "6", "7",
                                        "8", "9", "", "0", ""};
    if(i == 9) {
      lay_box(l, m, rc, TH_KEY, TH_KEY, PT_T_PIN_DEL, 0);
      lay_icon_at(l, lay_r(rc.x + k / 4, rc.y + k / 4, k / 2, k / 2), ICON_BACKSPACE,
           TH_KEY_TEXT, 0);
    } else if(i == 11) {
      lay_button(l, e, m, rc, lay_t(e, "sv", UT_OK), lay_px_of(m, 34), TH_PRIMARY,
             TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0, PT_T_PIN_OK, 0);
    } else {
      lay_button(l, e, m, rc, lab[i], lay_px_of(m, 40), TH_KEY, TH_KEY, TH_KEY_TEXT,
             LAY_BOLD, 0, PT_T_PIN_DIGIT, lab[i][0] - '0');
    }
  }
}

/* ---- the staff menu ------------------------------------------------------
 *
 * The menu is a list of groups (the question sets; the patients' start
 * language and themes; sync; enrolment; sound and phone mode), each a
 * column of rows.  The groups flow into three columns above a fixed bottom
 * row ("Avsluta programmet", the pager, "Tillbaka till patientläge"); every
 * control is a full target (15 mm), so when the columns cannot hold them all
 * (a 7-inch panel, many sets) they continue on a next page, the title says
 * "sida 1 av 2" and the bottom row gets "Nästa sida" / "Förra sidan".  A
 * group that fits a column is never split; a longer one continues in the
 * next column (the sets under their heading again).  Nothing is ever left
 * out. */

enum srow_kind { SR_HEAD, SR_TEXT, SR_SET, SR_LANGS, SR_TOGGLE, SR_BUTTON };

struct srow {
  enum srow_kind k;
  int group;
  int h;                   /* height, without the gap below */
  const char *text;        /* SR_HEAD, SR_TEXT, SR_BUTTON: what it says */
  enum pt_target t;        /* SR_BUTTON: what it does */
  int index;               /* SR_SET, SR_TOGGLE: which one */
  int page, col, y;        /* where it went */
  int head;                /* the sets' heading repeated above it (the
                              index of the SR_HEAD row), -1 none */
};

#define STAFF_MAX_ROWS (64 + 24)
#define STAFF_COLS 3

static int staff_add(struct srow *r, int n, enum srow_kind k, int group,
                     int h, const char *text, enum pt_target t, int index)
{
  if(n >= STAFF_MAX_ROWS)
    return n;
  memset(&r[n], 0, sizeof(r[n]));
  r[n].k = k;
  r[n].group = group;
  r[n].h = h;
  r[n].text = text;
  r[n].t = t;
  r[n].index = index;
  r[n].head = -1;
  return n + 1;
}

/* Place rows[0..n) into columns of y0..y1 and pages; returns the number of
 * pages. */
static int staff_flow(struct srow *r, int n, int y0, int y1, int gap,
                      int group_gap)
{
  int page = 0, col = 0, y = y0, colh = y1 - y0;
  for(int i = 0; i < n;) {
    int g = r[i].group, end = i, gh = 0, head = -1;
    while(end < n && r[end].group == g) {
      gh += r[end].h + gap;
      end++;
    }
    gh -= gap;
    /* a group that fits a column starts a new one rather than split */
    if(y > y0 && y + gh > y1 && gh <= colh) {
      y = y0;
      if(++col == STAFF_COLS) { col = 0; page++; }
    }
    for(int j = i; j < end; j++) {
      int need = r[j].h, hh = 0;
      if(r[j].k == SR_HEAD) {
        head = j;
        if(j + 1 < end)
          need += gap + r[j + 1].h;     /* a heading keeps its first row */
      }
      if(y > y0 && y + need > y1) {
        y = y0;
        if(++col == STAFF_COLS) { col = 0; page++; }
        if(r[j].k == SR_SET && head >= 0) {
          r[j].head = head;             /* the heading again, above */
          hh = r[head].h + gap;
        }
      }
      r[j].page = page;
      r[j].col = col;
      r[j].y = y + hh;
      y += hh + r[j].h + gap;
    }
    y += group_gap - gap;
    i = end;
  }
  return page + 1;
}

void lay_staff(struct lay *l, const struct lay_env *e,
                         const struct met *m, const struct patient *p)
{
  const struct qset *s = patient_set(p);
  int W = e->w, H = e->h, cw = (W - 2 * m->M - 2 * m->G) / 3;
  int px = staff_px(m, 24), hpx = staff_px(m, 24), lpx = staff_px(m, 22);
  int bh = m->target, gap = m->G / 2, n = 0, pages, page, bar, y0, y1, by;
  int lang_cols = s ? s->n_langs : 1;
  int x[STAFF_COLS];
  struct srow rows[STAFF_MAX_ROWS];
  char buf[300], title[160];
  const char *on = lay_t(e, "sv", UT_ON), *off = lay_t(e, "sv", UT_OFF);
  static const enum uitext_key tkeys[] = {UT_STAFF_HC, UT_STAFF_LARGE,
                                          UT_STAFF_EASY, UT_STAFF_AUTO};
  static const enum pt_target tg[] = {PT_T_STAFF_HC, PT_T_STAFF_LARGE,
                                      PT_T_STAFF_EASY, PT_T_STAFF_AUTO};
  int v[4] = {p->def_hc, p->def_large, p->def_easy, p->def_auto};

  for(int c = 0; c < STAFF_COLS; c++)
    x[c] = m->M + c * (cw + m->G);
#define HEAD_H(t) (lay_text_h(e, (t), LAY_BOLD, cw, hpx))
#define TEXT_H(t) (lay_text_h(e, (t), LAY_REGULAR, cw, lpx))
  /* 1: which questions the patients get */
  n = staff_add(rows, n, SR_HEAD, 0, HEAD_H(lay_t(e, "sv", UT_STAFF_SET)),
                lay_t(e, "sv", UT_STAFF_SET), PT_T_NONE, 0);
  for(int i = 0; i < p->n_sets; i++) {
    int th;
    snprintf(buf, sizeof(buf), "%s (%s, v%d)",
             qset_text(&p->sets[i]->title, "sv"), p->sets[i]->id,
             p->sets[i]->version);
    th = lay_text_h(e, buf, LAY_REGULAR, cw - 2 * m->pad, px) + m->pad;
    n = staff_add(rows, n, SR_SET, 0, th > bh ? th : bh, lay_keep(l, buf),
                  PT_T_STAFF_SET, i);
  }
  /* 2: the patients' starting language and themes */
  n = staff_add(rows, n, SR_HEAD, 1, HEAD_H(lay_t(e, "sv", UT_STAFF_LANG)),
                lay_t(e, "sv", UT_STAFF_LANG), PT_T_NONE, 0);
  if(s && s->n_langs > 0) {
    /* the languages side by side, or in rows when a name would have to
     * break inside a word */
    int wide = 0, nr;
    for(int k = 0; k < s->n_langs; k++) {
      int lw = lay_label_w(e, qset_text(&s->lang_names, s->langs[k]), px,
                           LAY_REGULAR);
      wide = lw > wide ? lw : wide;
    }
    while(lang_cols > 1 &&
          (cw - (lang_cols - 1) * gap) / lang_cols - 2 * m->pad < wide)
      lang_cols--;
    nr = (s->n_langs + lang_cols - 1) / lang_cols;
    n = staff_add(rows, n, SR_LANGS, 1, nr * bh + (nr - 1) * gap, NULL,
                  PT_T_STAFF_LANG, 0);
  }
  for(int i = 0; i < 4; i++) {
    snprintf(buf, sizeof(buf), "%s: %s", lay_t(e, "sv", tkeys[i]),
             v[i] ? on : off);
    n = staff_add(rows, n, SR_TOGGLE, 1, bh, lay_keep(l, buf), tg[i], i);
  }
  /* 3, 4: sync, and enrolment: what this kiosk reports to */
  {
    const char *st = e->sync_text ? e->sync_text
                                   : lay_t(e, "sv", UT_STAFF_SYNC_OFF);
    n = staff_add(rows, n, SR_TEXT, 2, TEXT_H(st), st, PT_T_NONE, 0);
    if(e->sync_text)
      n = staff_add(rows, n, SR_BUTTON, 2, bh, lay_t(e, "sv", UT_STAFF_SYNC),
                    PT_T_STAFF_SYNC, 0);
    if(p->enrolled_as[0])
      snprintf(buf, sizeof(buf), "Ansluten som %s", p->enrolled_as);
    else
      snprintf(buf, sizeof(buf), "Inte ansluten med kod");
    n = staff_add(rows, n, SR_TEXT, 3, TEXT_H(buf), lay_keep(l, buf),
                  PT_T_NONE, 0);
    n = staff_add(rows, n, SR_BUTTON, 3, bh, "Anslut till server",
                  PT_T_STAFF_ENROL, 0);
  }
  /* 5: sound, phone mode */
  if(e->audio_text)
    n = staff_add(rows, n, SR_TEXT, 4, TEXT_H(e->audio_text), e->audio_text,
                  PT_T_NONE, 0);
  n = staff_add(rows, n, SR_BUTTON, 4, bh, lay_t(e, "sv", UT_STAFF_PHONE),
                PT_T_STAFF_PHONE, 0);
#undef HEAD_H
#undef TEXT_H

  bar = staff_bar_h(e, m);
  y0 = bar + m->G;
  by = H - m->M - bh;
  y1 = by - m->G;
  pages = staff_flow(rows, n, y0, y1, gap, m->G);
  page = p->staff_page < pages ? p->staff_page : pages - 1;
  if(page < 0)
    page = 0;

  lay_fill(l, lay_r(0, 0, W, bar), TH_BAR);
  if(pages > 1)
    snprintf(title, sizeof(title), "%s (sida %d av %d)",
             lay_t(e, "sv", UT_STAFF_TITLE), page + 1, pages);
  else
    snprintf(title, sizeof(title), "%s", lay_t(e, "sv", UT_STAFF_TITLE));
  lay_text_block(l, e, m, lay_keep(l, title), LAY_BOLD,
             lay_r(m->corner, 0, W - 2 * m->corner, bar), staff_px(m, 34),
             m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);

  for(int i = 0; i < n; i++) {
    const struct srow *r = &rows[i];
    int cx = x[r->col];
    if(r->page != page)
      continue;
    if(r->head >= 0)
      lay_text_block(l, e, m, rows[r->head].text, LAY_BOLD,
                     lay_r(cx, r->y - rows[r->head].h - gap, cw,
                           rows[r->head].h), hpx, hpx, AL_START, 0, TH_TEXT,
                     0);
    switch(r->k) {
    case SR_HEAD:
      lay_text_block(l, e, m, r->text, LAY_BOLD, lay_r(cx, r->y, cw, r->h),
                     hpx, hpx, AL_START, 0, TH_TEXT, 0);
      break;
    case SR_TEXT:
      lay_text_block(l, e, m, r->text, LAY_REGULAR, lay_r(cx, r->y, cw, r->h),
                     lpx, lpx, AL_START, 0, TH_TEXT, 0);
      break;
    case SR_SET: {
      int sel = r->index == p->set_idx;
      lay_button(l, e, m, lay_r(cx, r->y, cw, r->h), r->text, px,
                 sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
                 sel ? TH_SEL_TEXT : TH_BTN_TEXT, LAY_REGULAR, 0,
                 PT_T_STAFF_SET, r->index);
      break;
    }
    case SR_LANGS: {
      int w = (cw - (lang_cols - 1) * gap) / lang_cols;
      for(int k = 0; k < s->n_langs; k++) {
        int sel = strcmp(s->langs[k], p->def_lang) == 0;
        int c = k % lang_cols, rr = k / lang_cols;
        lay_button(l, e, m, lay_r(cx + c * (w + gap), r->y + rr * (bh + gap),
                                  w, bh),
                   qset_text(&s->lang_names, s->langs[k]), px,
                   sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
                   sel ? TH_SEL_TEXT : TH_BTN_TEXT, LAY_REGULAR,
                   layout_lang_rtl(s->langs[k]), PT_T_STAFF_LANG, k);
      }
      break;
    }
    case SR_TOGGLE: {
      int o = v[r->index];
      lay_icon_button(l, e, m, lay_r(cx, r->y, cw, bh),
                      o ? ICON_CHECK : ICON_RING, 0, r->text, px,
                      o ? TH_SEL : TH_BTN, o ? TH_SEL : TH_BTN_EDGE,
                      o ? TH_SEL_TEXT : TH_BTN_TEXT, 0, r->t, 0);
      break;
    }
    case SR_BUTTON:
      lay_button(l, e, m, lay_r(cx, r->y, cw, bh), r->text, px, TH_BTN,
                 TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, r->t, 0);
      break;
    }
  }

  /* the bottom row: leaving at the start side, back to the patients at the
   * end, and between them the way to the other pages */
  lay_button(l, e, m, lay_r(x[0], by, cw, bh), lay_t(e, "sv", UT_STAFF_EXIT),
             px, TH_ERR, TH_ERR, TH_ERR_TEXT, LAY_BOLD, 0, PT_T_STAFF_EXIT, 0);
  lay_button(l, e, m, lay_r(x[2], by, cw, bh), lay_t(e, "sv", UT_STAFF_BACK),
             px, TH_PRIMARY, TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0,
             PT_T_STAFF_BACK, 0);
  if(pages > 1) {
    int prev = page > 0, next = page + 1 < pages, g = m->G / 2;
    int w = prev && next ? (cw - g) / 2 : cw, bx = x[1];
    if(prev) {
      lay_icon_button(l, e, m, lay_r(bx, by, w, bh), ICON_BACK, 0,
                      "Förra sidan", px, TH_BTN, TH_BTN_EDGE, TH_BTN_TEXT, 0,
                      PT_T_STAFF_PAGE, page - 1);
      bx += w + g;
    }
    if(next)
      lay_icon_button(l, e, m, lay_r(bx, by, w, bh), ICON_BACK, 1,
                      "Nästa sida", px, TH_SEL, TH_SEL, TH_SEL_TEXT, 0,
                      PT_T_STAFF_PAGE, page + 1);
  }
}

/* "Anslut till server": staff type the server's address (the https://
 * is shown fixed: the keyboard has no '/') and the one-time code.  The
 * texts are staff-only Swedish, like the rest of the staff screens.  One
 * row holds "Tillbaka", the two fields and "Anslut" (each a full target),
 * under a one-line title, so the keyboard below gets the height: 10 mm
 * keys and more on a 10-inch screen, about 9 on a 7-inch panel. */
void lay_enrol(struct lay *l, const struct lay_env *e, const struct met *m,
               const struct patient *p, struct lay_rect *kb)
{
  static const char *const labels[2] = {"Serverns adress", "Engångskod"};
  int W = e->w, H = e->h, px = staff_px(m, 26), lpx = staff_px(m, 22);
  int bar = staff_bar_h(e, m), y = bar + m->G, g = m->G;
  const char *go = p->enrol_busy ? "Ansluter …" : "Anslut";
  int bw = lay_label_w(e, "Tillbaka", px, LAY_BOLD) + 3 * m->pad;
  int gw = lay_label_w(e, "Ansluter …", px, LAY_BOLD) + 3 * m->pad;
  int fx, fw[2], lh;
  char buf[300];

  if(bw < m->target)
    bw = m->target;
  if(gw < m->target)
    gw = m->target;
  fx = m->M + bw + g;
  fw[0] = (W - 2 * m->M - bw - gw - 3 * g) * 2 / 3;
  fw[1] = W - 2 * m->M - bw - gw - 3 * g - fw[0] - g;
  lay_fill(l, lay_r(0, 0, W, bar), TH_BAR);
  lay_text_block(l, e, m, "Anslut till server", LAY_BOLD,
                 lay_r(m->corner, 0, W - 2 * m->corner, bar),
                 staff_px(m, 34), m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);
  /* the fields' names above them */
  lh = lay_text_h(e, labels[0], LAY_BOLD, fw[0], lpx);
  for(int i = 0, x = fx; i < 2; x += fw[i] + g, i++)
    lay_text_block(l, e, m, labels[i], LAY_BOLD, lay_r(x, y, fw[i], lh), lpx,
                   lpx, AL_START, 0, TH_TEXT, 0);
  y += lh + g / 2;
  lay_button(l, e, m, lay_r(m->M, y, bw, m->target), "Tillbaka", px, TH_BTN,
             TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_BACK, 0);
  for(int i = 0, x = fx; i < 2; x += fw[i] + g, i++) {
    int focus = p->enrol_field == i && !p->enrol_busy;
    if(i == 0)
      snprintf(buf, sizeof(buf), "https://%s%s", p->enrol_addr,
               focus ? "|" : "");
    else
      snprintf(buf, sizeof(buf), "%s%s", p->enrol_code[0] ? p->enrol_code
                                         : focus ? "" : "XXXX-XXXX-XXXX",
               focus ? "|" : "");
    lay_button(l, e, m, lay_r(x, y, fw[i], m->target), lay_keep(l, buf), px,
               TH_FIELD, focus ? TH_SEL : TH_FIELD_EDGE,
               p->enrol_code[0] || i == 0 ? TH_FIELD_TEXT : TH_MUTED,
               LAY_REGULAR, 0, PT_T_ENROL_FIELD, i);
  }
  lay_button(l, e, m, lay_r(W - m->M - gw, y, gw, m->target), go, px,
             TH_PRIMARY, TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0,
             p->enrol_busy ? PT_T_NONE : PT_T_ENROL_GO, 0);
  y += m->target + g;
  {
    const char *msg = p->enrol_msg[0] ? p->enrol_msg
                      : "Adressen och koden står på lappen från IT "
                        "(rost-agg enrol). Servern kontrolleras mot koden.";
    int mh = lay_text_h(e, msg, LAY_BOLD, W - 2 * m->M, lpx);
    lay_text_block(l, e, m, msg, p->enrol_failed ? LAY_BOLD : LAY_REGULAR,
                   lay_r(m->M, y, W - 2 * m->M, mh), lpx, lpx, AL_START, 0,
                   p->enrol_failed ? TH_ERR : TH_TEXT, 0);
    y += mh + g;
  }
  {
    /* five rows of keys, none taller than wanted */
    int kg = (int)lround(8 * m->u), kb_h = 5 * m->key_want + 4 * kg;
    int room = H - m->M - y;
    if(kb_h > room)
      kb_h = room;
    *kb = lay_r(m->M, y, W - 2 * m->M, kb_h);
  }
}
