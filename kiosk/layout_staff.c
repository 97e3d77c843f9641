/* layout_staff.c — This file contains the staff screens of the layout
 * (layout.h): the PIN pad and the staff menu, always in Swedish and never
 * mirrored. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_screens.h"

void lay_pin(struct lay *l, const struct lay_env *e,
                       const struct met *m, const struct patient *p)
{
  int W = e->w, H = e->h, k = m->target > (int)lround(92 * m->u)
                                  ? m->target : (int)lround(92 * m->u);
  int pad_w = 3 * k + 2 * m->G, pad_h = 4 * k + 3 * m->G;
  int x0 = (W - pad_w) / 2, y0, top = m->bar_h + m->G;
  long wait = patient_pin_wait(p, e->now);
  const char *msg = NULL;
  char buf[300], secs[24];
  lay_fill(l, lay_r(0, 0, W, m->bar_h), TH_BAR);
  lay_text_block(l, e, m, lay_t(e, "sv", UT_PIN_TITLE), LAY_BOLD,
             lay_r(m->corner, 0, W - 2 * m->corner, m->bar_h), lay_px_of(m, 34),
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

/* A bold heading above a group of staff controls; returns its height. */
static int lay_heading(struct lay *l, const struct lay_env *e, const struct met *m,
                   const char *text, int x, int y, int w)
{
  int px = lay_px_of(m, 24), h = lay_text_h(e, text, LAY_BOLD, w, px);
  lay_text_block(l, e, m, text, LAY_BOLD, lay_r(x, y, w, h), px, px, AL_START, 0,
             TH_TEXT, 0);
  return h + m->G / 2;
}

/* The height of a staff button: a patient target's, or less when the
 * columns (five rows in the middle one; status lines and four buttons in
 * the last) would not fit the window otherwise (a small panel).  Staff
 * buttons are never smaller than STAFF_MIN_BUTTON_MM. */
#define STAFF_MIN_BUTTON_MM 9.0
static int staff_button_h(const struct lay_env *e, const struct met *m, int cw)
{
  int lpx = lay_px_of(m, 22);
  int avail = e->h - m->M - (m->bar_h + m->G), bh = m->target;
  int mid = lay_text_h(e, lay_t(e, "sv", UT_STAFF_LANG), LAY_BOLD, cw,
                       lay_px_of(m, 24)) + m->G / 2 + m->G + 4 * (m->G / 2);
  int last = (e->sync_text ? lay_text_h(e, e->sync_text, LAY_REGULAR, cw, lpx)
                           : lay_text_h(e, lay_t(e, "sv", UT_STAFF_SYNC_OFF),
                                        LAY_REGULAR, cw, lpx)) +
             m->G / 2 + 4 * m->G +
             (e->audio_text ? lay_text_h(e, e->audio_text, LAY_REGULAR, cw, lpx)
                            : 0);
  int rows_last = e->sync_text ? 4 : 3;
  int floor_px = (int)ceil(STAFF_MIN_BUTTON_MM * e->px_per_mm);
  if(5 * bh > avail - mid)
    bh = (avail - mid) / 5;
  if(rows_last * bh > avail - last)
    bh = (avail - last) / rows_last;
  return bh < floor_px ? floor_px : bh;
}

void lay_staff(struct lay *l, const struct lay_env *e,
                         const struct met *m, const struct patient *p)
{
  const struct qset *s = patient_set(p);
  int W = e->w, H = e->h, cw = (W - 2 * m->M - 2 * m->G) / 3;
  int x1 = m->M, x2 = x1 + cw + m->G, x3 = x2 + cw + m->G, y;
  int px = lay_px_of(m, 24), bh = staff_button_h(e, m, cw);
  int sh = bh + m->pad;
  char buf[300];
  const char *on = lay_t(e, "sv", UT_ON), *off = lay_t(e, "sv", UT_OFF);

  lay_fill(l, lay_r(0, 0, W, m->bar_h), TH_BAR);
  lay_text_block(l, e, m, lay_t(e, "sv", UT_STAFF_TITLE), LAY_BOLD,
             lay_r(m->corner, 0, W - 2 * m->corner, m->bar_h), lay_px_of(m, 34),
             m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);
  /* 1: which questions the patients get */
  y = m->bar_h + m->G;
  y += lay_heading(l, e, m, lay_t(e, "sv", UT_STAFF_SET), x1, y, cw);
  /* (the foot of the column is the enrolment's, below) */
  for(int i = 0; i < p->n_sets && y + sh <= H - m->M - 2 * bh - m->G; i++) {
    int sel = i == p->set_idx;
    snprintf(buf, sizeof(buf), "%s (%s, v%d)",
             qset_text(&p->sets[i]->title, "sv"), p->sets[i]->id,
             p->sets[i]->version);
    lay_button(l, e, m, lay_r(x1, y, cw, sh), lay_keep(l, buf), px,
           sel ? TH_SEL : TH_BTN, sel ? TH_SEL : TH_BTN_EDGE,
           sel ? TH_SEL_TEXT : TH_BTN_TEXT, LAY_REGULAR, 0, PT_T_STAFF_SET, i);
    y += sh + m->G / 2;
  }
  /* 2: the patients' starting language and themes */
  y = m->bar_h + m->G;
  y += lay_heading(l, e, m, lay_t(e, "sv", UT_STAFF_LANG), x2, y, cw);
  if(s) {
    int n = s->n_langs, g = m->G / 2, w = (cw - (n - 1) * g) / (n ? n : 1);
    for(int i = 0; i < n; i++) {
      int sel = strcmp(s->langs[i], p->def_lang) == 0;
      lay_button(l, e, m, lay_r(x2 + i * (w + g), y, w, bh),
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
      snprintf(buf, sizeof(buf), "%s: %s", lay_t(e, "sv", keys[i]),
               v[i] ? on : off);
      lay_icon_button(l, e, m, lay_r(x2, y, cw, bh), v[i] ? ICON_CHECK : ICON_RING, 0,
                  lay_keep(l, buf), px, v[i] ? TH_SEL : TH_BTN,
                  v[i] ? TH_SEL : TH_BTN_EDGE,
                  v[i] ? TH_SEL_TEXT : TH_BTN_TEXT, 0, tg[i], 0);
      y += bh + m->G / 2;
    }
  }
  /* 3: sync, sound, phone mode, leaving */
  y = m->bar_h + m->G;
  {
    const char *st = e->sync_text ? e->sync_text : lay_t(e, "sv", UT_STAFF_SYNC_OFF);
    int lpx = lay_px_of(m, 22), th = lay_text_h(e, st, LAY_REGULAR, cw, lpx);
    lay_text_block(l, e, m, st, LAY_REGULAR, lay_r(x3, y, cw, th), lpx, lpx, AL_START,
               0, TH_TEXT, 0);
    y += th + m->G / 2;
    if(e->sync_text) {
      lay_button(l, e, m, lay_r(x3, y, cw, bh), lay_t(e, "sv", UT_STAFF_SYNC), px, TH_BTN,
             TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_SYNC, 0);
      y += bh + m->G;
    }
    if(e->audio_text) {
      th = lay_text_h(e, e->audio_text, LAY_REGULAR, cw, lpx);
      lay_text_block(l, e, m, e->audio_text, LAY_REGULAR, lay_r(x3, y, cw, th), lpx,
                 lpx, AL_START, 0, TH_TEXT, 0);
      y += th + m->G;
    }
  }
  lay_button(l, e, m, lay_r(x3, y, cw, bh), lay_t(e, "sv", UT_STAFF_PHONE), px, TH_BTN,
         TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_PHONE, 0);
  {
    /* enrolment by code (kiosk_app.c runs it), at the foot of column 1:
     * what this kiosk is enrolled as, and the way to (re-)enrol */
    int lpx = lay_px_of(m, 22), th;
    if(p->enrolled_as[0])
      snprintf(buf, sizeof(buf), "Ansluten som %s", p->enrolled_as);
    else
      snprintf(buf, sizeof(buf), "Inte ansluten med kod");
    th = lay_text_h(e, buf, LAY_REGULAR, cw, lpx);
    y = H - m->M - bh;
    lay_button(l, e, m, lay_r(x1, y, cw, bh), "Anslut till server", px, TH_BTN,
               TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_ENROL, 0);
    y -= th + m->G / 2;
    lay_text_block(l, e, m, lay_keep(l, buf), LAY_REGULAR, lay_r(x1, y, cw, th),
                   lpx, lpx, AL_START, 0, TH_TEXT, 0);
  }
  y = H - m->M - bh;
  lay_button(l, e, m, lay_r(x3, y, cw, bh), lay_t(e, "sv", UT_STAFF_EXIT), px, TH_ERR,
         TH_ERR, TH_ERR_TEXT, LAY_BOLD, 0, PT_T_STAFF_EXIT, 0);
  y -= bh + m->G;
  lay_button(l, e, m, lay_r(x3, y, cw, bh), lay_t(e, "sv", UT_STAFF_BACK), px, TH_PRIMARY,
         TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0, PT_T_STAFF_BACK, 0);
}

/* "Anslut till server": staff type the server's address (the https://
 * is shown fixed: the keyboard has no '/') and the one-time code.  The
 * texts are staff-only Swedish, like the rest of the staff screens. */
void lay_enrol(struct lay *l, const struct lay_env *e, const struct met *m,
               const struct patient *p, struct lay_rect *kb)
{
  int W = e->w, H = e->h, px = lay_px_of(m, 26), y = m->bar_h + m->G;
  int lw = (W - 2 * m->M) * 3 / 10, fw = W - 2 * m->M - lw - m->G;
  int bw = (int)lround(300 * m->u), by = H - m->M - m->target;
  static const char *const labels[2] = {"Serverns adress", "Engångskod"};
  char buf[300];

  lay_fill(l, lay_r(0, 0, W, m->bar_h), TH_BAR);
  lay_text_block(l, e, m, "Anslut till server", LAY_BOLD,
                 lay_r(m->corner, 0, W - 2 * m->corner, m->bar_h),
                 lay_px_of(m, 34), m->min_px, AL_CENTER, 1, TH_BAR_TEXT, 0);
  for(int i = 0; i < 2; i++) {
    int focus = p->enrol_field == i && !p->enrol_busy;
    if(i == 0)
      snprintf(buf, sizeof(buf), "https://%s%s", p->enrol_addr,
               focus ? "|" : "");
    else
      snprintf(buf, sizeof(buf), "%s%s", p->enrol_code[0] ? p->enrol_code
                                         : focus ? "" : "XXXX-XXXX-XXXX",
               focus ? "|" : "");
    lay_text_block(l, e, m, labels[i], LAY_BOLD,
                   lay_r(m->M, y, lw, m->target), px, m->min_px, AL_START, 1,
                   TH_TEXT, 0);
    lay_button(l, e, m, lay_r(m->M + lw + m->G, y, fw, m->target),
               lay_keep(l, buf), px, TH_FIELD, focus ? TH_SEL : TH_FIELD_EDGE,
               p->enrol_code[0] || i == 0 ? TH_FIELD_TEXT : TH_MUTED,
               LAY_REGULAR, 0, PT_T_ENROL_FIELD, i);
    y += m->target + m->G / 2;
  }
  {
    const char *msg = p->enrol_msg[0] ? p->enrol_msg
                      : "Adressen och koden står på lappen från IT "
                        "(rost-agg enrol). Servern kontrolleras mot koden.";
    int mpx = lay_px_of(m, 22);
    int mh = lay_text_h(e, msg, LAY_BOLD, W - 2 * m->M, mpx);
    lay_text_block(l, e, m, msg, p->enrol_failed ? LAY_BOLD : LAY_REGULAR,
                   lay_r(m->M, y, W - 2 * m->M, mh), mpx, m->min_px,
                   AL_START, 0, p->enrol_failed ? TH_ERR : TH_TEXT, 0);
    y += mh + m->G;
  }
  {
    double kmm = 11.0 * e->px_per_mm;
    int kh = (int)lround(kmm) > (int)lround(56 * m->u) ? (int)lround(kmm)
                                                       : (int)lround(56 * m->u);
    int kb_h = 5 * kh + 4 * (int)lround(8 * m->u), room = by - m->G - y;
    if(kb_h > room)
      kb_h = room;
    *kb = lay_r(m->M, by - m->G - kb_h, W - 2 * m->M, kb_h);
  }
  lay_button(l, e, m, lay_r(W - m->M - bw, by, bw, m->target),
             p->enrol_busy ? "Ansluter …" : "Anslut", px, TH_PRIMARY,
             TH_PRIMARY, TH_PRIMARY_TEXT, LAY_BOLD, 0,
             p->enrol_busy ? PT_T_NONE : PT_T_ENROL_GO, 0);
  lay_button(l, e, m, lay_r(m->M, by, bw, m->target), "Tillbaka", px, TH_BTN,
             TH_BTN_EDGE, TH_BTN_TEXT, LAY_BOLD, 0, PT_T_STAFF_BACK, 0);
}
