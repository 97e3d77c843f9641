/* test_layout.c — This file contains the unit tests of the kiosk screen
 * layouts (kiosk/layout.c).  With a deterministic fake text measure:
 * wrapping (at spaces, long words between whole UTF-8 characters),
 * shrinking a long question and flagging one too long to fit, mirroring
 * for Arabic while the keyboard keeps its physical order, target sizes on
 * real screen sizes, hit testing, the staff corner, and every colour pair
 * drawn being one the theme test holds to WCAG.  With the real fonts
 * (kdraw_measure, HarfBuzz): every screen of every shipped set on 10, 15
 * and 21 inch screens and the 7-inch 1024x600 and 800x480 panels, normal
 * and large text and easy words, in each language, checked for items
 * inside the window, no overlapping targets, no overlapping or protruding
 * text, 15 mm patient and staff targets, keyboard keys of 10 mm (7 mm on
 * 7 inches), the whole staff menu shown (one page on the 10-inch 1280x800
 * panel, across pages with a pager on smaller ones), "Anslut till server"
 * typed, refused and busy, no overflow, and mirroring in Arabic; and
 * PNGs of a few screens (staff menu pages and "Anslut till server" too) at
 * 1280x800, 1024x600 and 800x480 to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <sys/stat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "a11y.h"
#include "flow.h"
#include "kdraw.h"
#include "layout.h"
#include "osk.h"
#include "patient.h"
#include "theme.h"

#define UNIT "SE2321000032-LY0001"

/* ---- fixture ------------------------------------------------------------ */

struct screen {
  const char *name;
  int w, h;                    /* window */
  double inch;                 /* physical screen */
  int sw, sh;
};

static const struct screen screens[] = {
  {"10.1\" 1280x800", 1280, 800, 10.1, 1280, 800},
  {"10.1\" 1024x600", 1024, 600, 10.1, 1024, 600},
  {"15.6\" 1920x1080", 1920, 1080, 15.6, 1920, 1080},
  {"21.5\" 1920x1080", 1920, 1080, 21.5, 1920, 1080},
  /* the demo: a 1280x800 window on a 15.6" full-HD screen */
  {"1280x800 window on 15.6\" 1920x1080", 1280, 800, 15.6, 1920, 1080},
  /* the panels people buy for a wall: 7 inch */
  {"7\" 1024x600", 1024, 600, 7.0, 1024, 600},
  {"7\" 800x480", 800, 480, 7.0, 800, 480},
};

static const char *const shipped[] = {"samordnare-kontakt", "kiosk-besok",
                                      "samordnare-vardplan",
                                      "ring-upp-utskrivning"};
#define N_SHIPPED 4

struct fx {
  struct store *st;
  struct kconf cfg;
  struct uitext *ui;
  struct qset *sets[N_SHIPPED + 1];  /* + a test set */
  int n_sets;
  struct patient *p;
  struct lay *l;
  char path[512];
};

static struct fx *g;

/* width = bytes * px / 2, height = px * 1.3 */
static void fake_measure(void *ctx, const char *text, size_t len, int px,
                         enum lay_font font, int *w, int *h)
{
  (void)ctx;
  (void)text;
  *w = (int)(len * (size_t)px / 2) + (font == LAY_BOLD ? (int)len / 4 : 0);
  *h = (int)ceil(px * 1.3);
}

static int group_setup(void **state)
{
  char err[PR_ERR_LEN] = "", wal[600];
  struct fx *f = calloc(1, sizeof(*f));
  (void)state;
  if(!f || !(f->l = calloc(1, sizeof(*f->l))))
    return -1;
  snprintf(f->path, sizeof(f->path), "%s/layout-%d.db", PR_TEST_OUT,
           (int)getpid());
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  if(store_open(f->path, &f->st, err) != PR_OK ||
     uitext_load(PR_ASSETS_DIR "/kiosk/ui-text.json", &f->ui, err) != PR_OK) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  for(int i = 0; i < N_SHIPPED; i++) {
    char p[600];
    snprintf(p, sizeof(p), "%s/surveys/%s.json", PR_ASSETS_DIR, shipped[i]);
    if(qset_load_file(p, &f->sets[i], err) != PR_OK) {
      fprintf(stderr, "setup: %s\n", err);
      return -1;
    }
  }
  f->n_sets = N_SHIPPED;
  kconf_defaults(&f->cfg);
  pr_strlcpy(f->cfg.unit, UNIT, sizeof(f->cfg.unit));
  if(patient_open(f->st, &f->cfg, f->sets, f->n_sets, 1000, &f->p, err) !=
     PR_OK) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  g = f;
  return 0;
}

static int group_teardown(void **state)
{
  struct fx *f = g;
  char wal[600];
  (void)state;
  patient_close(f->p);
  for(int i = 0; i < N_SHIPPED + 1; i++)
    qset_free(f->sets[i]);
  uitext_free(f->ui);
  store_close(f->st);
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  snprintf(wal, sizeof(wal), "%s-shm", f->path);
  unlink(wal);
  free(f->l);
  free(f);
  return 0;
}

static struct lay_env env_for(const struct screen *s, lay_measure_fn m,
                              void *ctx)
{
  struct lay_env e;
  memset(&e, 0, sizeof(e));
  e.w = s->w;
  e.h = s->h;
  e.px_per_mm = a11y_px_per_mm(s->inch, s->sw, s->sh);
  e.measure = m;
  e.measure_ctx = ctx;
  e.ui = g->ui;
  e.audio = 1;
  e.sync_text = "Senast skickat: i dag 10:42\nI kö: 3 svar\nServer: nåbar";
  e.audio_text = "Ljud: på (alsa)";
  e.now = 500000;
  return e;
}

static int set_index(const char *id)
{
  for(int i = 0; i < g->n_sets; i++)
    if(strcmp(g->sets[i]->id, id) == 0)
      return i;
  fail_msg("no set %s", id);
  return -1;
}

/* Put the model on a screen, as the flow would get there. */
static void reset_model(struct patient *p, int set, const char *lang,
                        int large)
{
  p->easy = 0;
  p->set_idx = set;
  pr_strlcpy(p->lang, lang, sizeof(p->lang));
  p->large = large;
  p->screen = PT_WELCOME;
  p->q = -1;
  p->save_failed = p->text_full = p->shift = 0;
  p->pin[0] = '\0';
  p->pin_wrong = p->pin_none = 0;
  memset(&p->guard, 0, sizeof(p->guard));
  p->typing[0] = '\0';
  p->staff_page = 0;
  p->enrol_addr[0] = p->enrol_code[0] = p->enrol_msg[0] = '\0';
  p->enrol_busy = p->enrol_failed = p->enrol_field = 0;
  p->enrolled_as[0] = '\0';
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++)
    p->answers[i] = QSET_UNANSWERED;
}

/* Show question qi with the answers that make it apply. */
static void to_question(struct patient *p, int qi)
{
  const struct qset *s = patient_set(p);
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++)
    p->answers[i] = QSET_UNANSWERED;
  for(int i = 0; i < s->n_questions; i++) {
    const struct qset_cond *c = &s->questions[i].cond;
    if(c->op == QSET_COND_IN && c->values)
      p->answers[c->on] = __builtin_ctz(c->values);
    else if(c->op == QSET_COND_NOT_IN)
      p->answers[c->on] = __builtin_ctz(~c->values);
  }
  for(int i = 0; i < qi; i++)
    if(p->answers[i] == QSET_UNANSWERED && s->questions[i].type != QSET_TEXT &&
       qset_applies(s, i, QSET_MODE_KIOSK, p->answers))
      p->answers[i] = 0;
  assert_true(qset_applies(s, qi, QSET_MODE_KIOSK, p->answers));
  p->q = qi;
  p->screen = s->questions[qi].type == QSET_TEXT ? PT_TEXT : PT_QUESTION;
}

/* ---- geometry checks --------------------------------------------------- */

static int patient_target(enum pt_target t)
{
  switch(t) {
  case PT_T_OPTION: case PT_T_START: case PT_T_LANG: case PT_T_BACK:
  case PT_T_SKIP: case PT_T_DONE: case PT_T_STILL_YES: case PT_T_SPEAK:
  case PT_T_HC: case PT_T_LARGE: case PT_T_EASY: case PT_T_AUTO:
  case PT_T_THANKS_OK:
    return 1;
  default:
    return 0;
  }
}

static int overlap(struct lay_rect a, struct lay_rect b)
{
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
         b.y < a.y + a.h;
}

static int inside(struct lay_rect in, struct lay_rect out)
{
  return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
         in.y + in.h <= out.y + out.h;
}

struct report {
  int failures;
  int shown;
  char where[200];
};

static void PR_PRINTF(2, 3) bad(struct report *r, const char *fmt, ...)
{
  va_list ap;
  r->failures++;
  if(r->shown >= (getenv("LAYOUT_ALL") ? 100000 : 25))
    return;
  r->shown++;
  printf("  FAIL %s: ", r->where);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static void describe(const struct lay_item *it, char *buf, size_t cap)
{
  snprintf(buf, cap, "kind %d target %d/%d at %d,%d %dx%d%s%.*s%s", it->kind,
           it->target, it->index, it->r.x, it->r.y, it->r.w, it->r.h,
           it->text ? " \"" : "", it->text ? (int)(it->len > 40 ? 40 : it->len)
                                          : 0, it->text ? it->text : "",
           it->text ? "\"" : "");
}

/* Everything a person would see as broken on this screen. */
static void check_geometry(const struct lay *l, const struct lay_env *e,
                           int min_target, int patient_screen,
                           struct report *r)
{
  struct lay_rect corner = layout_staff_corner(e->w, e->h);
  char a[160], b[160];
  for(int i = 0; i < l->n; i++) {
    const struct lay_item *it = &l->it[i];
    describe(it, a, sizeof(a));
    if(it->r.w < 0 || it->r.h < 0 || it->r.x < 0 || it->r.y < 0 ||
       it->r.x + it->r.w > e->w || it->r.y + it->r.h > e->h)
      bad(r, "outside the %dx%d window: %s", e->w, e->h, a);
    if(it->kind == LAY_TEXT && it->len > 0 && it->r.w <= 0)
      bad(r, "text of no width: %s", a);
    if(it->target != PT_T_NONE && patient_target(it->target) &&
       (it->r.w < min_target || it->r.h < min_target))
      bad(r, "target smaller than %d px (%.0f mm): %s", min_target,
          A11Y_MIN_TARGET_MM, a);
    if(patient_screen && it->target != PT_T_NONE && overlap(it->r, corner))
      bad(r, "patient control in the staff corner: %s", a);
    for(int j = i + 1; j < l->n; j++) {
      const struct lay_item *jt = &l->it[j];
      if(!overlap(it->r, jt->r))
        continue;
      describe(jt, b, sizeof(b));
      if(it->target != PT_T_NONE && jt->target != PT_T_NONE)
        bad(r, "targets overlap: %s / %s", a, b);
      if(it->kind == LAY_TEXT && jt->kind == LAY_TEXT)
        bad(r, "text lines overlap: %s / %s", a, b);
      if((it->kind == LAY_TEXT && jt->kind == LAY_ICON) ||
         (it->kind == LAY_ICON && jt->kind == LAY_TEXT))
        bad(r, "text over an icon: %s / %s", a, b);
      if(it->kind == LAY_BOX && jt->kind == LAY_TEXT &&
         !inside(jt->r, it->r))
        bad(r, "text sticks out of its box: %s in %s", b, a);
      if(it->kind == LAY_TEXT && jt->kind == LAY_BOX && !inside(it->r, jt->r))
        bad(r, "text runs into a box: %s / %s", a, b);
    }
  }
}

/* The colour pair under every text, icon and control edge is one of
 * theme_pairs (which test_theme holds to WCAG). */
static int known_pair(enum theme_role fg, enum theme_role bg)
{
  if(fg == bg)
    return 1;
  for(int i = 0; i < theme_n_pairs; i++)
    if(theme_pairs[i].fg == fg && theme_pairs[i].bg == bg)
      return 1;
  return 0;
}

static enum theme_role under(const struct lay *l, int i)
{
  const struct lay_item *it = &l->it[i];
  int cx = it->r.x + it->r.w / 2, cy = it->r.y + it->r.h / 2;
  for(int j = i - 1; j >= 0; j--) {
    const struct lay_item *u = &l->it[j];
    if((u->kind == LAY_FILL || u->kind == LAY_BOX) && cx >= u->r.x &&
       cx < u->r.x + u->r.w && cy >= u->r.y && cy < u->r.y + u->r.h)
      return u->bg;
  }
  return TH_BG;
}

static void check_pairs(const struct lay *l, struct report *r)
{
  char a[160];
  for(int i = 0; i < l->n; i++) {
    const struct lay_item *it = &l->it[i];
    enum theme_role bg = under(l, i);
    describe(it, a, sizeof(a));
    if((it->kind == LAY_TEXT || it->kind == LAY_ICON) &&
       !known_pair(it->fg, bg))
      bad(r, "colour pair %d on %d is in no theme pair: %s", it->fg, bg, a);
    if(it->kind == LAY_BOX && it->edge > 0 && it->fg != it->bg &&
       !known_pair(it->fg, bg))
      bad(r, "edge colour %d on %d is in no theme pair: %s", it->fg, bg, a);
  }
}

/* ---- wrapping and shrinking (fake measure) ------------------------------ */

static void test_wrap_at_spaces(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct lay_line lines[16];
  const char *t = "Hur nöjd är du med ditt besök i dag?";
  char joined[200] = "";
  int lh = 0, n;
  (void)state;
  /* 20 px: 10 px a byte, so 100 px hold 10 bytes */
  n = layout_wrap(&e, t, 20, LAY_REGULAR, 100, lines, 16, &lh);
  assert_true(n > 1);
  assert_int_equal(lh, 26);
  for(int i = 0; i < n; i++) {
    assert_true(lines[i].w <= 100);
    assert_true(lines[i].len > 0);
    assert_true(lines[i].s[0] != ' ');
    assert_true(lines[i].s[lines[i].len - 1] != ' ');
    assert_int_equal(lines[i].w, (int)lines[i].len * 10);
    {
      size_t u = strlen(joined);
      snprintf(joined + u, sizeof(joined) - u, "%s%.*s", i ? " " : "",
               (int)lines[i].len, lines[i].s);
    }
  }
  assert_string_equal(joined, t);
  /* wide enough: one line */
  assert_int_equal(layout_wrap(&e, t, 20, LAY_REGULAR, 1000, lines, 16, NULL),
                   1);
  assert_int_equal(lines[0].len, strlen(t));
  /* a newline breaks the line */
  assert_int_equal(layout_wrap(&e, "Ja\nNej", 20, LAY_REGULAR, 1000, lines, 16,
                               NULL), 2);
  assert_int_equal(lines[1].len, 3);
  /* more lines than room for: -1 */
  assert_int_equal(layout_wrap(&e, t, 20, LAY_REGULAR, 100, lines, 2, NULL),
                   -1);
  /* nothing: no lines, but a line height */
  assert_int_equal(layout_wrap(&e, "", 20, LAY_REGULAR, 100, lines, 2, &lh), 0);
  assert_int_equal(lh, 26);
}

static void test_wrap_breaks_long_word_between_characters(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct lay_line lines[32];
  const char *words[] = {"Vårdsamordnarenöjdhetsåtgärder",
                         "المستشفىوالرعايةالصحية"};
  (void)state;
  for(size_t k = 0; k < PR_ARRAY_LEN(words); k++) {
    char joined[200] = "";
    /* 7 bytes a line: a two-byte letter never split */
    int n = layout_wrap(&e, words[k], 20, LAY_REGULAR, 70, lines, 32, NULL);
    assert_true(n > 2);
    for(int i = 0; i < n; i++) {
      assert_true(lines[i].w <= 70);
      assert_true(lines[i].len > 0);
      assert_true(((unsigned char)lines[i].s[0] & 0xC0) != 0x80);
      {
        size_t u = strlen(joined);
        snprintf(joined + u, sizeof(joined) - u, "%.*s", (int)lines[i].len,
                 lines[i].s);
      }
    }
    assert_string_equal(joined, words[k]);
  }
  /* narrower than one character: still one character a line, no hang */
  assert_int_equal(layout_wrap(&e, "åäö", 20, LAY_REGULAR, 5, lines, 32, NULL),
                   3);
}

static const char long_json_head[] =
  "{\"id\": \"lang-fraga\", \"version\": 1, \"langs\": [\"sv\"],"
  " \"lang_names\": {\"sv\": \"Svenska\"}, \"modes\": [\"kiosk\"],"
  " \"title\": {\"sv\": \"Lång fråga\"},"
  " \"scales\": [{\"id\": \"jn\", \"options\": ["
  "   {\"code\": \"ja\", \"label\": {\"sv\": \"Ja\"}},"
  "   {\"code\": \"nej\", \"label\": {\"sv\": \"Nej\"}}]}],"
  " \"questions\": [{\"id\": \"q\", \"type\": \"choice\", \"scale\": \"jn\","
  "   \"indicator\": \"q\", \"positive\": [\"ja\"], \"text\": {\"sv\": \"";

/* A set with one question of words words (each "vårdcentralen "). */
static struct qset *long_set(int words)
{
  char buf[4096], err[PR_ERR_LEN] = "";
  size_t n = 0;
  struct qset *s = NULL;
  n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", long_json_head);
  for(int i = 0; i < words; i++)
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%svårdcentralen",
                          i ? " " : "");
  n += (size_t)snprintf(buf + n, sizeof(buf) - n, "?\"}}]}");
  assert_true(n < sizeof(buf));
  if(qset_load_buffer("lang-fraga.json", buf, n, &s, err) != PR_OK)
    fail_msg("%s", err);
  return s;
}

/* Offer s (or nothing more, NULL) after the shipped sets. */
static void use_extra(struct qset *s)
{
  g->sets[N_SHIPPED] = s;
  g->n_sets = s ? N_SHIPPED + 1 : N_SHIPPED;
  g->p->screen = PT_WELCOME;
  patient_set_sets(g->p, g->sets, g->n_sets);
}

static const struct lay_item *first_text_of(const struct lay *l,
                                            const char *s)
{
  size_t n = strlen(s);
  for(int i = 0; i < l->n; i++)
    if(l->it[i].kind == LAY_TEXT && l->it[i].text >= s &&
       l->it[i].text < s + n)
      return &l->it[i];
  return NULL;
}

static void test_long_question_shrinks_then_overflows(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct patient *p = g->p;
  struct qset *mid = long_set(30), *huge = long_set(64);
  const struct qset *short_set = g->sets[set_index("kiosk-besok")];
  const struct lay_item *t;
  int pref_px, px;
  struct report r = {0, 0, ""};
  (void)state;

  /* a short question is shown at its full size */
  reset_model(p, set_index("kiosk-besok"), "sv", 0);
  to_question(p, 0);
  layout_build(p, &e, g->l);
  t = first_text_of(g->l, short_set->questions[0].text.text[0]);
  assert_non_null(t);
  pref_px = t->px;
  assert_int_equal(g->l->overflow, 0);

  /* 30 words: wrapped and smaller, but readable, and still in its place */
  use_extra(mid);
  reset_model(p, N_SHIPPED, "sv", 0);
  to_question(p, 0);
  layout_build(p, &e, g->l);
  t = first_text_of(g->l, mid->questions[0].text.text[0]);
  assert_non_null(t);
  px = t->px;
  printf("  30 words: %d px (full size %d px), smallest %d px\n", px, pref_px,
         g->l->min_px);
  assert_true(px < pref_px);
  assert_int_equal(g->l->overflow, 0);
  assert_true(g->l->min_px >= 10);
  snprintf(r.where, sizeof(r.where), "30-word question");
  check_geometry(g->l, &e, g->l->target_px, 1, &r);
  /* every line of it at the same size, and more than one line */
  {
    int lines = 0;
    for(int i = 0; i < g->l->n; i++) {
      const struct lay_item *it = &g->l->it[i];
      if(it->kind == LAY_TEXT && it->text >= mid->questions[0].text.text[0] &&
         it->text < mid->questions[0].text.text[0] +
                        strlen(mid->questions[0].text.text[0])) {
        assert_int_equal(it->px, px);
        lines++;
      }
    }
    assert_true(lines > 1);
  }

  /* 64 words in large text on a small screen cannot be shown readably:
   * flagged, naming the text */
  use_extra(huge);
  reset_model(p, N_SHIPPED, "sv", 1);
  to_question(p, 0);
  e = env_for(&screens[1], fake_measure, NULL);
  layout_build(p, &e, g->l);
  assert_int_equal(g->l->overflow, 1);
  assert_ptr_equal(g->l->overflow_text, huge->questions[0].text.text[0]);
  /* the answer buttons are still whole and tappable */
  assert_non_null(layout_find(g->l, PT_T_OPTION, 0));
  assert_non_null(layout_find(g->l, PT_T_OPTION, 1));
  assert_true(layout_find(g->l, PT_T_OPTION, 0)->r.h >= g->l->target_px);

  use_extra(NULL);
  qset_free(mid);
  qset_free(huge);
  assert_int_equal(r.failures, 0);
}

/* ---- mirroring ---------------------------------------------------------- */

static int centre_x(const struct lay_item *it)
{
  return it->r.x + it->r.w / 2;
}

static void test_arabic_mirrors_but_keyboard_does_not(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct patient *p = g->p;
  int set = set_index("samordnare-kontakt");
  const struct qset *s = g->sets[set];
  int noj = qset_find_question(s, "nojdhet");
  int bat = qset_find_question(s, "battre");
  int W = e.w;
  (void)state;

  for(int ar = 0; ar < 2; ar++) {
    const char *lang = ar ? "ar" : "sv";
    const char *qt = qset_question_text(&s->questions[noj], lang, 0);
    const struct lay_item *back, *speak, *opt0;
    int x0 = -1, x1 = -1;
    reset_model(p, set, lang, 0);
    to_question(p, noj);
    layout_build(p, &e, g->l);
    assert_int_equal(g->l->rtl, ar);
    back = layout_find(g->l, PT_T_BACK, 0);
    speak = layout_find(g->l, PT_T_SPEAK, 0);
    opt0 = layout_find(g->l, PT_T_OPTION, 0);
    assert_non_null(back);
    assert_non_null(speak);
    assert_non_null(opt0);
    /* back at the start side, the speaker at the end side */
    if(ar) {
      assert_true(centre_x(back) > W / 2);
      assert_true(centre_x(speak) < W / 2);
    } else {
      assert_true(centre_x(back) < W / 2);
      assert_true(centre_x(speak) > W / 2);
    }
    /* the question's lines start at the start side: the same left edge
     * in Swedish, the same right edge in Arabic, shaped right to left */
    for(int i = 0; i < g->l->n; i++) {
      const struct lay_item *it = &g->l->it[i];
      if(it->kind != LAY_TEXT || it->text < qt || it->text >= qt + strlen(qt))
        continue;
      assert_int_equal(it->rtl, ar);
      if(ar) {
        if(x1 < 0)
          x1 = it->r.x + it->r.w;
        assert_int_equal(it->r.x + it->r.w, x1);
      } else {
        if(x0 < 0)
          x0 = it->r.x;
        assert_int_equal(it->r.x, x0);
      }
    }
    assert_true(ar ? x1 > W * 9 / 10 : (x0 >= 0 && x0 < W / 10));
    /* the option label sits after its icon, read from the start side */
    for(int i = 0; i < g->l->n; i++) {
      const struct lay_item *it = &g->l->it[i];
      if(it->kind == LAY_ICON && inside(it->r, opt0->r)) {
        const struct lay_item *lab = NULL;
        for(int j = 0; j < g->l->n; j++)
          if(g->l->it[j].kind == LAY_TEXT && inside(g->l->it[j].r, opt0->r))
            lab = &g->l->it[j];
        assert_non_null(lab);
        assert_true(ar ? it->r.x > lab->r.x : it->r.x < lab->r.x);
      }
    }

    /* the keyboard: keys in a physical keyboard's order in both */
    to_question(p, bat);
    layout_build(p, &e, g->l);
    assert_int_equal(g->l->rtl, ar);
    {
      const struct osk_layout *k = osk_for_lang(lang);
      int idx = 0;
      for(int row = 0; row < k->n_rows; row++) {
        const struct lay_item *prev = NULL;
        for(int i = 0; i < k->n_keys[row]; i++, idx++) {
          const struct lay_item *key = layout_find(g->l, PT_T_KEY, idx);
          assert_non_null(key);
          if(prev)
            assert_true(key->r.x > prev->r.x);
          prev = key;
        }
      }
      /* "1" is at the left in both */
      assert_true(centre_x(layout_find(g->l, PT_T_KEY, 0)) < W / 2);
    }
    back = layout_find(g->l, PT_T_BACK, 0);
    assert_true(ar ? centre_x(back) > W / 2 : centre_x(back) < W / 2);
    {
      const struct lay_item *done = layout_find(g->l, PT_T_DONE, 0);
      assert_non_null(done);
      assert_true(ar ? centre_x(done) < W / 2 : centre_x(done) > W / 2);
    }
  }
  /* the staff screens are Swedish and never mirrored */
  reset_model(p, set, "ar", 0);
  p->screen = PT_PIN;
  layout_build(p, &e, g->l);
  assert_int_equal(g->l->rtl, 0);
  p->screen = PT_STAFF;
  layout_build(p, &e, g->l);
  assert_int_equal(g->l->rtl, 0);
  assert_true(layout_lang_rtl("ar"));
  assert_false(layout_lang_rtl("sv"));
  assert_false(layout_lang_rtl(NULL));
}

/* ---- targets, hits, corner ---------------------------------------------- */

static void test_targets_on_real_screens(void **state)
{
  struct patient *p = g->p;
  int set = set_index("kiosk-besok");
  (void)state;
  for(size_t k = 0; k < PR_ARRAY_LEN(screens); k++) {
    const struct screen *sc = &screens[k];
    struct lay_env e = env_for(sc, fake_measure, NULL);
    int need = a11y_mm_to_px(A11Y_MIN_TARGET_MM, sc->inch, sc->sw, sc->sh);
    int smallest = 1 << 30;
    for(int large = 0; large < 2; large++) {
      reset_model(p, set, "sv", large);
      for(int q = -1; q < g->sets[set]->n_questions; q++) {
        if(q >= 0)
          to_question(p, q);
        layout_build(p, &e, g->l);
        assert_true(g->l->target_px >= need);
        for(int i = 0; i < g->l->n; i++) {
          const struct lay_item *it = &g->l->it[i];
          if(!patient_target(it->target))
            continue;
          if(it->r.w < smallest)
            smallest = it->r.w;
          if(it->r.h < smallest)
            smallest = it->r.h;
        }
      }
    }
    printf("  %-36s 15 mm = %3d px, smallest patient target %3d px "
           "(%.1f mm)\n", sc->name, need, smallest,
           smallest / e.px_per_mm);
    assert_true(smallest >= need);
  }
}

static void test_hit_and_staff_corner(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct patient *p = g->p;
  struct lay_rect c = layout_staff_corner(e.w, e.h);
  const struct lay_item *start, *hit;
  (void)state;
  reset_model(p, set_index("kiosk-besok"), "ar", 0);
  layout_build(p, &e, g->l);
  start = layout_find(g->l, PT_T_START, 0);
  assert_non_null(start);
  hit = layout_hit(g->l, start->r.x + start->r.w / 2,
                   start->r.y + start->r.h / 2);
  assert_ptr_equal(hit, start);
  /* edges: inclusive at the start, exclusive at the end */
  assert_ptr_equal(layout_hit(g->l, start->r.x, start->r.y), start);
  hit = layout_hit(g->l, start->r.x + start->r.w, start->r.y);
  assert_true(hit != start);
  /* the corner is top-left, never mirrored, and holds no control */
  assert_int_equal(c.x, 0);
  assert_int_equal(c.y, 0);
  assert_true(c.w > 0 && c.h > 0);
  for(int y = c.y; y < c.y + c.h; y += 4)
    for(int x = c.x; x < c.x + c.w; x += 4)
      assert_null(layout_hit(g->l, x, y));
  assert_null(layout_find(g->l, PT_T_STAFF_EXIT, 0));
}

/* What a patient typed is not on any screen the next one sees. */
static void test_typed_text_only_on_its_screen(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct patient *p = g->p;
  int set = set_index("samordnare-kontakt");
  int found = 0;
  (void)state;
  reset_model(p, set, "sv", 0);
  to_question(p, qset_find_question(g->sets[set], "battre"));
  pr_strlcpy(p->typing, "Anna Andersson ringde", sizeof(p->typing));
  layout_build(p, &e, g->l);
  for(int i = 0; i < g->l->n; i++)
    if(g->l->it[i].kind == LAY_TEXT && g->l->it[i].len >= 4 &&
       memcmp(g->l->it[i].text, "Anna", 4) == 0)
      found = 1;
  assert_true(found);
  /* walking away: "Är du kvar?" and then welcome show none of it */
  p->screen = PT_STILL_THERE;
  p->still_until = e.now + 20000;
  for(int k = 0; k < 2; k++) {
    layout_build(p, &e, g->l);
    for(int i = 0; i < g->l->n; i++) {
      const struct lay_item *it = &g->l->it[i];
      if(it->kind == LAY_TEXT && it->text >= p->typing &&
         it->text < p->typing + sizeof(p->typing))
        fail_msg("typed text shown on screen %d", p->screen);
    }
    p->screen = PT_WELCOME;
  }
}

/* The text item that holds needle (a composed or a borrowed string). */
static const struct lay_item *text_with(const struct lay *l,
                                        const char *needle)
{
  size_t n = strlen(needle);
  for(int i = 0; i < l->n; i++) {
    const struct lay_item *it = &l->it[i];
    if(it->kind != LAY_TEXT || it->len < n)
      continue;
    for(size_t k = 0; k + n <= it->len; k++)
      if(memcmp(it->text + k, needle, n) == 0)
        return it;
  }
  return NULL;
}

/* What the patient must be told is on the screen: a failed save, a full
 * text, the countdown, the PIN lockout, the progress. */
static void test_messages_shown(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct patient *p = g->p;
  int set = set_index("samordnare-kontakt");
  const struct lay_item *it;
  (void)state;
  reset_model(p, set, "sv", 0);
  to_question(p, 1);
  p->answers[1] = QSET_UNANSWERED;      /* nojdhet not answered yet */
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, "Fråga 2 av 2"));
  assert_null(text_with(g->l, uitext_get(g->ui, "sv", UT_SAVE_FAILED)));
  p->save_failed = 1;
  layout_build(p, &e, g->l);
  it = text_with(g->l, uitext_get(g->ui, "sv", UT_SAVE_FAILED));
  assert_non_null(it);
  assert_int_equal(it->fg, TH_ERR_TEXT);
  /* satisfied: still two; not satisfied: "how could we do better?" is
   * added and the count grows */
  p->save_failed = 0;
  p->answers[1] = 0;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, "Fråga 2 av 2"));
  p->answers[1] = 1;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, "Fråga 2 av 3"));

  to_question(p, 2);
  p->text_full = 1;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, uitext_get(g->ui, "sv", UT_TEXT_FULL)));
  p->text_full = 0;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, uitext_get(g->ui, "sv", UT_TEXT_HINT)));

  p->screen = PT_STILL_THERE;
  p->still_until = e.now + 12400;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, "om 13 sekunder"));
  assert_non_null(layout_find(g->l, PT_T_STILL_YES, 0));

  reset_model(p, set, "sv", 0);
  p->screen = PT_PIN;
  p->guard.failures = 3;
  p->guard.locked_until = (time_t)(e.now / 1000u) + 30;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, "Vänta 30 sekunder"));
  p->pin_none = 1;
  layout_build(p, &e, g->l);
  assert_non_null(text_with(g->l, "Ingen PIN-kod"));
  assert_null(layout_find(g->l, PT_T_PIN_OK, 0));
  assert_non_null(layout_find(g->l, PT_T_CANCEL, 0));
  memset(&p->guard, 0, sizeof(p->guard));
}

/* Every screen's colours come from the pair list, in both themes. */
static void test_colour_pairs_drawn_are_checked(void **state)
{
  struct lay_env e = env_for(&screens[0], fake_measure, NULL);
  struct patient *p = g->p;
  int set = set_index("samordnare-kontakt");
  struct report r = {0, 0, ""};
  (void)state;
  for(int scr = 0; scr < 9; scr++) {
    reset_model(p, set, "sv", 0);
    switch(scr) {
    case 0: break;
    case 1: to_question(p, 0); break;
    case 2: to_question(p, 0); p->answers[0] = 1; p->save_failed = 1; break;
    case 3: to_question(p, 2); break;
    case 4: to_question(p, 2); pr_strlcpy(p->typing, "Text", 5);
            p->text_full = 1; p->shift = 1; break;
    case 5: p->screen = PT_STILL_THERE; p->still_until = e.now + 9000; break;
    case 6: p->screen = PT_THANKS; break;
    case 7: p->screen = PT_PIN; pr_strlcpy(p->pin, "12", 3);
            p->pin_wrong = 1; break;
    case 8: p->screen = PT_STAFF; break;
    }
    p->hc = 1;                            /* no effect on the layout */
    layout_build(p, &e, g->l);
    snprintf(r.where, sizeof(r.where), "screen %d", scr);
    check_pairs(g->l, &r);
    p->hc = 0;
  }
  assert_int_equal(r.failures, 0);
}

/* ---- every screen, real fonts -------------------------------------------- */

static const char *typed_for(const char *lang)
{
  if(strcmp(lang, "ar") == 0)
    return "كان الانتظار طويلا جدا ولم يشرح لي أحد ما سيحدث بعد ذلك. "
           "أريد أن يتصل بي أحد من المركز الصحي قريبا. شكرا لكم على "
           "المساعدة والوقت. كان الانتظار طويلا جدا ولم يشرح لي أحد.";
  if(strcmp(lang, "en") == 0)
    return "The wait was very long and nobody told me what would happen "
           "next. I would like someone from the health centre to call me "
           "soon. Thank you for the help and for your time today.";
  return "Väntan var väldigt lång och ingen berättade vad som skulle hända "
         "sedan. Jag vill att någon från vårdcentralen ringer mig snart. "
         "Tack för hjälpen och för er tid i dag. Åsa Öberg-Ärlig";
}

/* The smallest keyboard key allowed on a 7-inch panel, in mm: about 9 mm
 * on a plain free-text screen, 7 and a bit with a banner over it in
 * Arabic large text. */
#define KEY_MM_7INCH 7.0

struct sweep {
  struct report r;
  int layouts;
  int min_px;                /* smallest text anywhere on patient screens */
  double min_key_mm;         /* smallest key side, this screen size */
  double min_target_mm;      /* smallest patient target side, this size */
  char min_key_where[200];   /* the screen with the smallest key */
  double min_key_plain_mm;   /* the same with no banner on the screen */
  int pages_max;             /* most pages the staff menu took */
  double min_enrol_key_mm;   /* smallest key on "Anslut till server" */
};

static void check_one(const struct lay_env *e, const struct screen *sc,
                      const char *screen_name, struct sweep *sw)
{
  struct patient *p = g->p;
  int patient_screen = p->screen != PT_PIN && p->screen != PT_STAFF &&
                       p->screen != PT_ENROL;
  int need = a11y_mm_to_px(A11Y_MIN_TARGET_MM, sc->inch, sc->sw, sc->sh);
  int rtl = patient_screen && layout_lang_rtl(p->lang);
  int before = sw->r.failures;
  layout_build(p, e, g->l);
  sw->layouts++;
  snprintf(sw->r.where, sizeof(sw->r.where), "%s %s %s%s %s", sc->name,
           patient_set(p)->id, p->lang, p->large ? " large" : "",
           screen_name);
  check_geometry(g->l, e, need, patient_screen, &sw->r);
  if(g->l->overflow)
    bad(&sw->r, "text too long to show readably: \"%.60s\"",
        g->l->overflow_text ? g->l->overflow_text : "?");
  if(!patient_screen)
    /* staff controls are full targets too: a coordinator in a hurry, a
     * panel at arm's length */
    for(int i = 0; i < g->l->n; i++) {
      const struct lay_item *it = &g->l->it[i];
      char d[160];
      if(it->target == PT_T_NONE || it->target == PT_T_KEY ||
         (it->r.w >= need && it->r.h >= need))
        continue;
      describe(it, d, sizeof(d));
      bad(&sw->r, "staff target smaller than %d px (%.0f mm): %s", need,
          A11Y_MIN_TARGET_MM, d);
    }
  if(g->l->rtl != rtl)
    bad(&sw->r, "mirrored %d, expected %d", g->l->rtl, rtl);
  if(patient_screen && g->l->min_px && g->l->min_px < sw->min_px)
    sw->min_px = g->l->min_px;
  if(rtl) {
    /* back (where there is one) at the right */
    const struct lay_item *b = layout_find(g->l, PT_T_BACK, 0);
    if(b && centre_x(b) < e->w / 2)
      bad(&sw->r, "back button not on the right in Arabic");
  }
  if(getenv("LAYOUT_DUMP") && sw->r.failures > before) {
    /* LAYOUT_DUMP=1: every item of a screen that failed */
    char d[160];
    for(int i = 0; i < g->l->n; i++) {
      describe(&g->l->it[i], d, sizeof(d));
      printf("    %3d px %3d %s\n", i, g->l->it[i].px, d);
    }
  }
  for(int i = 0; i < g->l->n; i++) {
    const struct lay_item *k = &g->l->it[i];
    double mm = (k->r.w < k->r.h ? k->r.w : k->r.h) / e->px_per_mm;
    if(k->target == PT_T_KEY && !p->save_failed && !p->text_full &&
       mm < sw->min_key_plain_mm)
      sw->min_key_plain_mm = mm;
    if(k->target == PT_T_KEY && p->screen == PT_ENROL &&
       mm < sw->min_enrol_key_mm)
      sw->min_enrol_key_mm = mm;
    if(k->target == PT_T_KEY && mm < sw->min_key_mm) {
      sw->min_key_mm = mm;
      pr_strlcpy(sw->min_key_where, sw->r.where, sizeof(sw->min_key_where));
    }
    if(patient_target(k->target) && mm < sw->min_target_mm)
      sw->min_target_mm = mm;
  }
}

/* Every page of the staff menu: each checked as a screen, and together
 * they hold every control and every set, the pager leading from each page
 * to the next. */
static void check_staff_menu(const struct lay_env *e, const struct screen *sc,
                             struct sweep *sw)
{
  static const enum pt_target all[] = {
    PT_T_STAFF_HC, PT_T_STAFF_LARGE, PT_T_STAFF_EASY, PT_T_STAFF_AUTO,
    PT_T_STAFF_PHONE, PT_T_STAFF_SYNC, PT_T_STAFF_BACK, PT_T_STAFF_EXIT,
    PT_T_STAFF_ENROL, PT_T_STAFF_LANG};
  struct patient *p = g->p;
  int found[PR_ARRAY_LEN(all)] = {0}, sets[64] = {0}, pages = 0;
  char name[64];
  for(int page = 0; page < 10; page++) {
    const struct lay_item *next;
    p->staff_page = page;
    snprintf(name, sizeof(name), "staff page %d", page + 1);
    check_one(e, sc, name, sw);
    pages++;
    for(size_t i = 0; i < PR_ARRAY_LEN(all); i++)
      found[i] += layout_find(g->l, all[i], 0) != NULL;
    for(int i = 0; i < p->n_sets && i < 64; i++)
      sets[i] += layout_find(g->l, PT_T_STAFF_SET, i) != NULL;
    /* back and leaving are on every page */
    if(!layout_find(g->l, PT_T_STAFF_BACK, 0) ||
       !layout_find(g->l, PT_T_STAFF_EXIT, 0))
      bad(&sw->r, "'Tillbaka' or 'Avsluta' missing");
    if(page > 0 && !layout_find(g->l, PT_T_STAFF_PAGE, page - 1))
      bad(&sw->r, "no way back to page %d", page);
    next = layout_find(g->l, PT_T_STAFF_PAGE, page + 1);
    if(!next)
      break;
  }
  if(sw->pages_max < pages)
    sw->pages_max = pages;
  for(size_t i = 0; i < PR_ARRAY_LEN(all); i++)
    if(found[i] != 1 && !(found[i] == pages && (all[i] == PT_T_STAFF_BACK ||
                                                 all[i] == PT_T_STAFF_EXIT)))
      bad(&sw->r, "staff control %d shown on %d pages (want 1)", all[i],
          found[i]);
  for(int i = 0; i < p->n_sets && i < 64; i++)
    if(sets[i] != 1)
      bad(&sw->r, "question set %d offered to staff on %d pages (want 1)", i,
          sets[i]);
  p->staff_page = 0;
}

static void sweep_set(const struct lay_env *e, const struct screen *sc,
                      int set, const char *lang, int large, int easy,
                      struct sweep *sw)
{
  struct patient *p = g->p;
  const struct qset *s = g->sets[set];
  char name[128];

  reset_model(p, set, lang, large);
  p->easy = easy;
  if(!easy)                    /* easy words change the questions only */
    check_one(e, sc, "welcome", sw);
  for(int q = 0; q < s->n_questions; q++) {
    if(!(s->questions[q].modes & QSET_MODE_KIOSK))
      continue;
    reset_model(p, set, lang, large);
    p->easy = easy;
    to_question(p, q);
    snprintf(name, sizeof(name), "question %s", s->questions[q].id);
    check_one(e, sc, name, sw);
    if(p->screen == PT_QUESTION) {
      /* chosen answer, and the "could not save" banner */
      p->answers[q] = 1;
      p->save_failed = 1;
      snprintf(name, sizeof(name), "question %s, save failed",
               s->questions[q].id);
      check_one(e, sc, name, sw);
    } else {
      pr_strlcpy(p->typing, typed_for(lang), sizeof(p->typing));
      p->shift = 1;
      snprintf(name, sizeof(name), "text %s, typed", s->questions[q].id);
      check_one(e, sc, name, sw);
      p->text_full = 1;
      snprintf(name, sizeof(name), "text %s, full", s->questions[q].id);
      check_one(e, sc, name, sw);
    }
  }
  if(easy)
    return;
  reset_model(p, set, lang, large);
  p->screen = PT_STILL_THERE;
  p->still_until = e->now + 20000;
  check_one(e, sc, "still there", sw);
  p->screen = PT_THANKS;
  check_one(e, sc, "thanks", sw);
  p->screen = PT_PIN;
  pr_strlcpy(p->pin, "123", sizeof(p->pin));
  p->pin_wrong = 1;
  check_one(e, sc, "pin, wrong", sw);
  p->guard.failures = 5;
  p->guard.locked_until = (time_t)(e->now / 1000u) + 240;
  check_one(e, sc, "pin, locked", sw);
  p->pin_none = 1;
  check_one(e, sc, "pin, none set", sw);
  reset_model(p, set, lang, large);
  p->easy = easy;
  p->screen = PT_STAFF;
  check_staff_menu(e, sc, sw);
  pr_strlcpy(p->enrolled_as, "Väntrum plan 2, Vårdcentralen Exempelby "
             "(SE2321000032-LY0001)", sizeof(p->enrolled_as));
  check_staff_menu(e, sc, sw);
  p->screen = PT_ENROL;
  pr_strlcpy(p->enrol_addr, "aggregator.region.example:8443",
             sizeof(p->enrol_addr));
  pr_strlcpy(p->enrol_code, "ABCD-EFGH-JKMN", sizeof(p->enrol_code));
  p->enrol_field = 1;
  check_one(e, sc, "enrol, typed", sw);
  pr_strlcpy(p->enrol_msg, "Inte ansluten: servern svarar inte "
             "(aggregator.region.example:8443), kontrollera adressen",
             sizeof(p->enrol_msg));
  p->enrol_failed = 1;
  check_one(e, sc, "enrol, refused", sw);
  p->enrol_busy = 1;
  check_one(e, sc, "enrol, busy", sw);
  reset_model(p, set, lang, large);
}

static void test_every_screen_real_fonts(void **state)
{
  struct kdraw *kd = NULL;
  char err[PR_ERR_LEN] = "";
  struct sweep sw;
  struct timespec t0, t1;
  (void)state;
  memset(&sw, 0, sizeof(sw));
  sw.min_px = 1 << 30;
  sw.min_key_mm = 1e9;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if(TTF_Init() != 0)
    fail_msg("TTF_Init: %s", TTF_GetError());
  if(kdraw_open(PR_ASSETS_DIR, &kd, err) != PR_OK)
    fail_msg("kdraw_open: %s", err);
  for(size_t k = 0; k < PR_ARRAY_LEN(screens); k++) {
    struct lay_env e = env_for(&screens[k], kdraw_measure, kd);
    int n_kiosk = 0, before = sw.layouts;
    sw.min_key_mm = sw.min_target_mm = sw.min_key_plain_mm = 1e9;
    sw.pages_max = 0;
    sw.min_enrol_key_mm = 1e9;
    for(int set = 0; set < N_SHIPPED; set++) {
      const struct qset *s = g->sets[set];
      if(!flow_has_mode(s, QSET_MODE_KIOSK))
        continue;                 /* the phone follow-up is never shown */
      n_kiosk++;
      for(int l = 0; l < s->n_langs; l++)
        for(int large = 0; large < 2; large++)
          for(int easy = 0; easy < 2; easy++) {
            e.audio = !(large && l == 1); /* also without speaker buttons */
            sweep_set(&e, &screens[k], set, s->langs[l], large, easy, &sw);
          }
    }
    assert_int_equal(n_kiosk, 3);
    printf("  %-36s %4d screens, smallest target %.1f mm, smallest key "
           "%.1f mm (%.1f mm with no banner; smallest: %s); staff menu "
           "%d page(s), enrol keys %.1f mm\n",
           screens[k].name, sw.layouts - before, sw.min_target_mm,
           sw.min_key_mm, sw.min_key_plain_mm, sw.min_key_where,
           sw.pages_max, sw.min_enrol_key_mm);
    /* the 10-inch panel the kiosk is sold with shows the whole staff menu
     * at once */
    if(k == 0 && sw.pages_max != 1)
      bad(&sw.r, "%s: staff menu on %d pages", screens[k].name,
          sw.pages_max);
    /* keys: 10 mm on a 10-inch screen and up; a 7-inch panel gets what
     * fits under 15 mm controls and the question */
    if(sw.min_key_mm < (screens[k].inch >= 10 ? 10.0 : KEY_MM_7INCH))
      bad(&sw.r, "%s: keys of %.1f mm", screens[k].name, sw.min_key_mm);
    if(sw.min_target_mm < A11Y_MIN_TARGET_MM)
      bad(&sw.r, "%s: targets of %.1f mm", screens[k].name,
          sw.min_target_mm);
  }
  kdraw_close(kd);
  TTF_Quit();
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("  %d layouts in %.1f s; smallest patient text %d px; %d "
         "problems\n", sw.layouts,
         (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
         sw.min_px, sw.r.failures);
  assert_int_equal(sw.r.failures, 0);
}

/* ---- screenshots ---------------------------------------------------------- */

/* Draw what the model shows on sc into <test-out>/screens/<tag>-WxH.png
 * with the real fonts and a software renderer, and read it back. */
static void shoot(struct kdraw *kd, const struct screen *sc, const char *tag)
{
  struct lay_env e = env_for(sc, kdraw_measure, kd);
  SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, sc->w, sc->h, 32,
                                                     SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer *r;
  SDL_Surface *back;
  char path[700], err[PR_ERR_LEN] = "";
  assert_non_null(surf);
  r = SDL_CreateSoftwareRenderer(surf);
  assert_non_null(r);
  layout_build(g->p, &e, g->l);
  kdraw_render(kd, r, g->l, theme_get(g->p->hc));
  snprintf(path, sizeof(path), "%s/screens/%s-%dx%d.png", PR_TEST_OUT, tag,
           sc->w, sc->h);
  if(kdraw_screenshot(r, path, err) != PR_OK)
    fail_msg("%s", err);
  back = IMG_Load(path);
  assert_non_null(back);
  assert_int_equal(back->w, sc->w);
  assert_int_equal(back->h, sc->h);
  SDL_FreeSurface(back);
  SDL_DestroyRenderer(r);
  SDL_FreeSurface(surf);
}

/* Pictures to look at: welcome, a four-answer question, the keyboard and
 * Arabic, on both 7-inch panels and the 10-inch one. */
static void test_screenshots_small_panels(void **state)
{
  static const int which[] = {0, 5, 6};
  struct kdraw *kd = NULL;
  char err[PR_ERR_LEN] = "", dir[600];
  struct patient *p = g->p;
  int set = set_index("kiosk-besok");
  const struct qset *s = g->sets[set];
  (void)state;
  snprintf(dir, sizeof(dir), "%s/screens", PR_TEST_OUT);
  mkdir(dir, 0755);
  if(TTF_Init() != 0)
    fail_msg("TTF_Init: %s", TTF_GetError());
  if(kdraw_open(PR_ASSETS_DIR, &kd, err) != PR_OK)
    fail_msg("kdraw_open: %s", err);
  for(size_t k = 0; k < PR_ARRAY_LEN(which); k++) {
    const struct screen *sc = &screens[which[k]];
    reset_model(p, set, "sv", 0);
    shoot(kd, sc, "welcome-sv");
    reset_model(p, set, "sv", 1);
    shoot(kd, sc, "welcome-sv-large");
    reset_model(p, set, "sv", 0);
    to_question(p, qset_find_question(s, "delaktighet"));
    shoot(kd, sc, "question-sv");
    reset_model(p, set, "sv", 1);
    to_question(p, qset_find_question(s, "delaktighet"));
    p->answers[p->q] = 1;
    p->save_failed = 1;
    shoot(kd, sc, "question-sv-large-savefailed");
    reset_model(p, set, "ar", 0);
    to_question(p, qset_find_question(s, "nojdhet"));
    shoot(kd, sc, "question-ar");
    reset_model(p, set, "ar", 0);
    shoot(kd, sc, "welcome-ar");
    reset_model(p, set, "sv", 0);
    to_question(p, qset_find_question(s, "kommentar"));
    pr_strlcpy(p->typing, "Väntan var lång", sizeof(p->typing));
    shoot(kd, sc, "keyboard-sv");
    reset_model(p, set, "ar", 1);
    to_question(p, qset_find_question(s, "kommentar"));
    shoot(kd, sc, "keyboard-ar-large");
    reset_model(p, set, "sv", 0);
    p->screen = PT_STAFF;
    shoot(kd, sc, "staff");
    p->staff_page = 1;                /* one page on 10 inches: the same */
    shoot(kd, sc, "staff-page2");
    p->staff_page = 0;
    p->screen = PT_ENROL;
    pr_strlcpy(p->enrol_addr, "agg.region.example:8443",
               sizeof(p->enrol_addr));
    pr_strlcpy(p->enrol_code, "ABCD-EF", sizeof(p->enrol_code));
    p->enrol_field = 1;
    shoot(kd, sc, "enrol");
  }
  reset_model(p, set, "sv", 0);
  kdraw_close(kd);
  TTF_Quit();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_wrap_at_spaces),
    cmocka_unit_test(test_wrap_breaks_long_word_between_characters),
    cmocka_unit_test(test_long_question_shrinks_then_overflows),
    cmocka_unit_test(test_arabic_mirrors_but_keyboard_does_not),
    cmocka_unit_test(test_targets_on_real_screens),
    cmocka_unit_test(test_hit_and_staff_corner),
    cmocka_unit_test(test_typed_text_only_on_its_screen),
    cmocka_unit_test(test_messages_shown),
    cmocka_unit_test(test_colour_pairs_drawn_are_checked),
    cmocka_unit_test(test_every_screen_real_fonts),
    cmocka_unit_test(test_screenshots_small_panels),
  };
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_ERROR);
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
