/* test_phone_draw.c — This file contains the unit tests of the phone-mode
 * drawing without a window (a software renderer on a surface): every
 * screen of a call is drawn at desktop and at small window sizes, every
 * shortcut shown is a click target inside the window, list rows are click
 * targets, and a click on a target does what its key does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdate.h"
#include "phone_draw.h"
#include <SDL2/SDL_image.h>
#include <sys/stat.h>

#define UNIT "SE2321000032-PH0003"

struct fx {
  struct store *s;
  struct qset *set;
  struct phone *p;
  struct phone_gfx g;
  char path[512];
  time_t now;
};

static int setup(void **state)
{
  static const char csv[] = "Namn;Telefon;Utskrivningsdatum;Spår;Vårdtyp;"
    "Samtycke\nMaximiliana Långnamnsdotter-Västerbergsson;070-555 08 01;"
    "2026-11-20;röd;somatisk;ja\nB Kort;070-555 08 02;2026-11-21;grön;"
    "psykiatrisk;ja\n";
  struct fx *f = calloc(1, sizeof(*f));
  struct calllist_cfg cfg;
  struct calllist_report rep;
  char err[PR_ERR_LEN] = "";
  setenv("TZ", "UTC", 1);
  tzset();
  f->now = (time_t)pdate_from_ymd(2026, 11, 24) * 86400 + 10 * 3600;
  snprintf(f->path, sizeof(f->path), "%s/phone-draw-%d.db", PR_TEST_OUT,
           (int)getpid());
  unlink(f->path);
  calllist_cfg_default(&cfg);
  if(SDL_Init(0) || TTF_Init() || phone_gfx_open(&f->g, err) ||
     store_open(f->path, &f->s, err) || calllist_init(f->s, err) ||
     calllist_import_buffer(f->s, "t.csv", csv, sizeof(csv) - 1, UNIT, NULL,
                            f->now, &rep, err) ||
     qset_load_file(PR_ASSETS_DIR "/surveys/ring-upp-utskrivning.json",
                    &f->set, err) ||
     phone_open(f->s, f->set, &cfg, UNIT, f->now, &f->p, err)) {
    fprintf(stderr, "setup: %s %s\n", err, SDL_GetError());
    return -1;
  }
  calllist_report_free(&rep);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  char wal[600];
  phone_close(f->p);
  qset_free(f->set);
  store_close(f->s);
  phone_gfx_close(&f->g);
  TTF_Quit();
  SDL_Quit();
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  free(f);
  return 0;
}

/* Draw the current screen at w x h; every click target must lie inside.
 * With png set, the frame is also written under test-out/screens/. */
static void draw_png(struct fx *f, int w, int h, struct phone_hits *hits,
                     const char *png)
{
  SDL_Surface *sf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32,
                                                   SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer *r;
  assert_non_null(sf);
  r = SDL_CreateSoftwareRenderer(sf);
  assert_non_null(r);
  phone_draw(r, &f->g, f->p, f->now, w, h, hits);
  assert_true(hits->n > 0);
  for(int i = 0; i < hits->n; i++) {
    const SDL_Rect *b = &hits->h[i].r;
    if(b->x < 0 || b->y < 0 || b->x + b->w > w || b->y + b->h > h)
      fail_msg("step %d at %dx%d: target %d (%d,%d %dx%d) leaves the window",
               f->p->step, w, h, i, b->x, b->y, b->w, b->h);
  }
  if(png) {
    char path[600];
    snprintf(path, sizeof(path), "%s/screens/%s", PR_TEST_OUT, png);
    assert_int_equal(IMG_SavePNG(sf, path), 0);
  }
  SDL_DestroyRenderer(r);
  SDL_FreeSurface(sf);
}

static void draw_at(struct fx *f, int w, int h, struct phone_hits *hits)
{
  draw_png(f, w, h, hits, NULL);
}

static int has_key(const struct phone_hits *hits, enum phone_key k, int ch)
{
  for(int i = 0; i < hits->n; i++)
    if(hits->h[i].k == k && hits->h[i].ch == ch)
      return 1;
  return 0;
}

static void click_key(struct fx *f, enum phone_key k, int ch)
{
  struct phone_hits hits;
  char err[PR_ERR_LEN];
  draw_at(f, 1280, 800, &hits);
  for(int i = 0; i < hits.n; i++)
    if(hits.h[i].k == k && hits.h[i].ch == ch) {
      const SDL_Rect *b = &hits.h[i].r;
      const struct phone_hit *h = phone_hit_at(&hits, b->x + b->w / 2,
                                               b->y + b->h / 2);
      assert_non_null(h);
      assert_int_equal(phone_key(f->p, h->k, h->ch, f->now, err), PR_OK);
      return;
    }
  fail_msg("no click target for key %d '%c' on step %d", k, ch ? ch : ' ',
           f->p->step);
}

/* 40 people to call: moving down scrolls, the selected row stays a
 * visible click target. */
static void test_long_list(void **state)
{
  struct fx *f = *state;
  struct phone_hits hits;
  char csv[8192], err[PR_ERR_LEN];
  struct calllist_report rep;
  size_t k = (size_t)snprintf(csv, sizeof(csv), "namn;telefon;"
                              "utskrivningsdatum;spår;vårdtyp;samtycke\n");
  for(int i = 0; i < 40; i++)
    k += (size_t)snprintf(csv + k, sizeof(csv) - k, "Person %02d;07055590%02d;"
                          "2026-11-2%d;gul;somatisk;ja\n", i, i, i % 2);
  assert_int_equal(calllist_import_buffer(f->s, "l.csv", csv, k, UNIT, NULL,
                                          f->now, &rep, err), PR_OK);
  assert_int_equal(rep.added, 40);
  calllist_report_free(&rep);
  assert_int_equal(phone_refresh(f->p, f->now, err), PR_OK);
  assert_int_equal(f->p->n_queue, 42);
  for(int i = 0; i < 4; i++)
    assert_int_equal(phone_key(f->p, PHONE_K_PAGEDOWN, 0, f->now, err),
                     PR_OK);
  assert_int_equal(f->p->sel, 40);
  assert_int_equal(phone_key(f->p, PHONE_K_PAGEUP, 0, f->now, err), PR_OK);
  assert_int_equal(f->p->sel, 30);
  for(int i = 0; i < 14; i++)
    assert_int_equal(phone_key(f->p, PHONE_K_DOWN, 0, f->now, err), PR_OK);
  assert_int_equal(f->p->sel, 41);
  draw_png(f, 1280, 800, &hits, "phone-17-long-list-scrolled.png");
  {
    int seen = 0;
    for(int i = 0; i < hits.n; i++)
      seen |= hits.h[i].row == 41;
    assert_true(seen);
  }
}

static void test_every_screen(void **state)
{
  struct fx *f = *state;
  struct phone_hits hits;
  static const int sizes[][2] = {{1280, 800}, {1024, 700}};

  for(size_t s = 0; s < PR_ARRAY_LEN(sizes); s++) {
    draw_at(f, sizes[s][0], sizes[s][1], &hits);
    /* both rows are targets */
    int rows = 0;
    for(int i = 0; i < hits.n; i++)
      rows += hits.h[i].row >= 0;
    assert_int_equal(rows, 2);
  }
  {
    char dir[600];
    snprintf(dir, sizeof(dir), "%s/screens", PR_TEST_OUT);
    mkdir(dir, 0755);
  }
  draw_png(f, 1024, 700, &hits, "phone-small-01-call-list.png");
  for(size_t s = 0; s < PR_ARRAY_LEN(sizes); s++) {
    /* every shortcut of the list is shown, also in a small window */
    draw_at(f, sizes[s][0], sizes[s][1], &hits);
    assert_true(has_key(&hits, PHONE_K_ENTER, 0));
    assert_true(has_key(&hits, PHONE_K_CHAR, 'n'));
    assert_true(has_key(&hits, PHONE_K_CHAR, 'x'));
    assert_true(has_key(&hits, PHONE_K_CHAR, 's'));
    assert_true(has_key(&hits, PHONE_K_REFRESH, 0));
    assert_true(has_key(&hits, PHONE_K_ESC, 0));
  }
  /* a click on the second row selects it */
  for(int i = 0; i < hits.n; i++)
    if(hits.h[i].row == 1)
      phone_select(f->p, hits.h[i].row);
  assert_int_equal(f->p->sel, 1);
  phone_select(f->p, 0);

  click_key(f, PHONE_K_ENTER, 0);                 /* call */
  assert_int_equal(f->p->step, PHONE_INTRO);
  draw_at(f, 1024, 700, &hits);
  assert_true(has_key(&hits, PHONE_K_CHAR, 'i')); /* no answer */
  click_key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_CONSENT);
  click_key(f, PHONE_K_CHAR, '1');
  assert_int_equal(f->p->step, PHONE_PROXY);
  click_key(f, PHONE_K_CHAR, '1');
  assert_int_equal(f->p->step, PHONE_QUESTION);
  draw_png(f, 1024, 700, &hits, "phone-small-03-call-question.png");
  for(int q = 0; q < 6; q++) {
    for(size_t s = 0; s < PR_ARRAY_LEN(sizes); s++)
      draw_at(f, sizes[s][0], sizes[s][1], &hits);
    click_key(f, PHONE_K_CHAR, '2');              /* an alternative */
  }
  assert_true(phone_wants_text(f->p));
  draw_at(f, 1024, 700, &hits);
  click_key(f, PHONE_K_TAB, 0);                   /* skip the free text */
  assert_int_equal(f->p->step, PHONE_SIP);
  click_key(f, PHONE_K_CHAR, '1');
  assert_int_equal(f->p->step, PHONE_OUTCOME);
  draw_at(f, 1024, 700, &hits);
  assert_true(has_key(&hits, PHONE_K_CHAR, 't'));
  draw_png(f, 1024, 700, &hits, "phone-small-02-call-outcome.png");
  click_key(f, PHONE_K_CHAR, 'g');
  assert_int_equal(f->p->step, PHONE_LIST);
  assert_int_equal(f->p->n_queue, 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_every_screen, setup, teardown),
    cmocka_unit_test_setup_teardown(test_long_list, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
