/* test_indicq.c — This file contains the indicator-query tests on a real
 * database (PR_AGG_TEST_DB, default a fresh SQLite file): responses go in
 * through the real ingest path, figures come out through indicq_run, and
 * must match the hand-counted fixtures — unit and region, a small cell
 * suppressed together with its complements, mixed question-set versions,
 * phone-only cuts, the phone follow-up counts and the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "agg_testdb.h"
#include "aggr_seed.h"
#include "linattack.h"
#include "commentq.h"
#include "indicq.h"
#include "phoneq.h"
#include "pdate.h"

#define UA "SE2321000032-VC0001"
#define UB "SE2321000032-VC0002"
#define UC "SE2321000032-VC0003"

static int setup(void **state)
{
  struct aggr_seed *s = calloc(1, sizeof(*s));
  char url[600], err[PR_ERR_LEN] = "";
  agg_testdb_url("aggr_indicq", url, sizeof(url));
  {
    struct aggdb *db = NULL;
    if(aggdb_open(url, &db, err) != PR_OK)
      fail_msg("open: %s", err);
    assert_int_equal(agg_testdb_drop_all(db), 0);
    aggdb_close(db);
  }
  if(aggr_seed_open(url, s, err) != 0)
    fail_msg("seed open: %s", err);
  *state = s;
  return 0;
}

static int teardown(void **state)
{
  struct aggr_seed *s = *state;
  aggr_seed_close(s);
  free(s);
  return 0;
}

#define SEED(unit, set, ver, mode, period, track, care, p, n, d, comment)  \
  do {                                                                      \
    char e_[PR_ERR_LEN] = "";                                               \
    if(aggr_seed_batch(s, unit, set, ver, mode, period, track, care, p, n,  \
                       d, comment, "complete", e_) != 0)                   \
      fail_msg("seed %s %s: %s", unit, period, e_);                         \
  } while(0)

static long day(const char *s)
{
  long d = 0;
  assert_int_equal(pdate_parse(s, &d), 0);
  return d;
}

static void filter(struct indicq_filter *f, const char *ind, const char *unit)
{
  indicq_filter_default(f);
  pr_strlcpy(f->indicator, ind, sizeof(f->indicator));
  pr_strlcpy(f->unit, unit, sizeof(f->unit));
  f->period = INDIC_MONTH;
  f->from = day("2026-01-01");
  f->to = day("2026-03-31");
}

static void test_unit_region_and_suppression(void **state)
{
  struct aggr_seed *s = *state;
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  struct indicq_cell c;
  char err[PR_ERR_LEN] = "";
  int a, b, nu, hidden_row = 0, hidden_col = 0, i;

  SEED(UA, "kiosk-besok", 1, "kiosk", "2026-01", NULL, NULL, 8, 2, 1, NULL);
  SEED(UA, "kiosk-besok", 1, "kiosk", "2026-02", NULL, NULL, 3, 1, 0, NULL);
  SEED(UA, "kiosk-besok", 1, "kiosk", "2026-03", NULL, NULL, 5, 1, 0, NULL);
  SEED(UB, "kiosk-besok", 1, "kiosk", "2026-01", NULL, NULL, 20, 5, 0, NULL);
  SEED(UB, "kiosk-besok", 1, "kiosk", "2026-02", NULL, NULL, 10, 10, 2, NULL);
  SEED(UB, "kiosk-besok", 1, "kiosk", "2026-03", NULL, NULL, 12, 3, 0, NULL);
  SEED(UC, "kiosk-besok", 1, "kiosk", "2026-02", NULL, NULL, 7, 0, 0, NULL);
  /* Outside the span: must not count. */
  SEED(UA, "kiosk-besok", 1, "kiosk", "2025-12", NULL, NULL, 9, 9, 0, NULL);

  filter(&f, "nojdhet", UA);
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  assert_int_equal(indicq_n_buckets(r), 3);
  assert_string_equal(r->labels[0], "2026-01");
  nu = indicq_n_units(r);
  assert_int_equal(nu, 3);
  a = r->focus;
  b = indic_table_unit(r->t, UB);
  assert_int_equal(a, 0);

  c = indicq_cell(r, 0, a);                  /* UA January: 8/10, 1 vet ej */
  assert_int_equal(c.mark, SUPP_SHOW);
  assert_int_equal(c.s.n, 10);
  assert_int_equal(c.s.pos, 8);
  assert_int_equal(c.dk_hidden, 1);          /* one "vet ej": a small group */
  assert_int_equal(c.s.dk, 0);
  assert_true(fabs(c.s.share - 0.8) < 1e-9);
  assert_true(fabs(c.s.lo - 0.4902) < 0.0001);
  c = indicq_cell(r, 0, nu);                 /* region January: 28/35 */
  assert_int_equal(c.mark, SUPP_SHOW);
  assert_int_equal(c.s.n, 35);
  assert_int_equal(c.s.pos, 28);
  c = indicq_cell(r, 1, a);                  /* UA February: n = 4 < 5 */
  assert_int_equal(c.mark, SUPP_PRIMARY);
  assert_int_equal(c.s.n, 0);
  assert_int_equal(c.s.pos, 0);
  /* Complements: February's row and UA's column each hide another cell,
   * so neither the region nor UA's total gives February away. */
  for(i = 0; i <= nu; i++)
    hidden_row += indicq_cell(r, 1, i).mark != SUPP_SHOW;
  for(i = 0; i <= 3; i++)
    hidden_col += indicq_cell(r, i, a).mark != SUPP_SHOW;
  assert_true(hidden_row >= 2);
  assert_true(hidden_col >= 2);
  /* UA's span total (the quarter) may be shown only when February is not
   * the only month of UA hidden in it: else the quarter minus January and
   * March gives February away. */
  if(indicq_cell(r, 3, a).mark == SUPP_SHOW) {
    int hidden_months = 0;
    for(i = 0; i < 3; i++)
      hidden_months += indicq_cell(r, i, a).mark != SUPP_SHOW;
    assert_true(hidden_months >= 2);
  }
  (void)b;
  /* The same question not ending on a month's last day reads the weekly
   * rows instead of the monthly roll-up: the figures must agree. */
  {
    struct indicq_filter g = f;
    struct indicq_result *w = NULL;
    int bb, uu;
    g.to = day("2026-03-30");
    if(indicq_run(s->db, &g, &w, err) != PR_OK)
      fail_msg("run weekly: %s", err);
    for(bb = 0; bb < 3; bb++)
      for(uu = 0; uu <= nu; uu++) {
        struct indicq_cell x = indicq_cell(r, bb, uu), y = indicq_cell(w, bb, uu);
        assert_int_equal(x.mark, y.mark);
        assert_int_equal(x.s.n, y.s.n);
        assert_int_equal(x.s.pos, y.s.pos);
      }
    indicq_free(w);
  }
  indicq_free(r);

  /* Unknown names are told apart from "no answers". */
  assert_int_equal(indicq_check_names(s->db, "nojdhet", UA, err), PR_OK);
  assert_int_equal(indicq_check_names(s->db, "hansyn", NULL, err), PR_OK);
  assert_int_equal(indicq_check_names(s->db, "finnsinte", NULL, err),
                   PR_ENOTFOUND);
  assert_non_null(strstr(err, "parameter indicator"));
  assert_int_equal(indicq_check_names(s->db, "", "SE2321000032-VC9999", err),
                   PR_ENOTFOUND);
  assert_non_null(strstr(err, "parameter unit"));

  /* Bad filters. */
  {
    struct indicq_filter g;
    filter(&g, "nojdhet", UA);
    g.threshold = 0;
    assert_int_equal(indicq_run(s->db, &g, &r, err), PR_EINVAL);
    assert_null(r);
  }
}

static void test_mixed_versions(void **state)
{
  struct aggr_seed *s = *state;
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  struct indicq_cell c;
  char err[PR_ERR_LEN] = "";
  char *body = NULL, *v;
  size_t len;
  FILE *fp;

  /* v1 (published before the easy-read rewording, tests/data/sets-v1)
   * and v2 (shipped) are published by aggr_seed_open with the same
   * definitions; v3: "lite" also counts as positive. */
  fp = fopen(PR_ASSETS_DIR "/surveys/kiosk-besok.json", "rb");
  assert_non_null(fp);
  body = calloc(1, 1 << 20);
  len = fread(body, 1, (1 << 20) - 1, fp);
  fclose(fp);

  SEED(UA, "kiosk-besok", 1, "kiosk", "2026-01", NULL, NULL, 4, 1, 0, NULL);
  SEED(UA, "kiosk-besok", 2, "kiosk", "2026-01", NULL, NULL, 3, 2, 1, NULL);
  SEED(UB, "kiosk-besok", 2, "kiosk", "2026-01", NULL, NULL, 9, 1, 0, NULL);
  filter(&f, "nojdhet", UA);
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  c = indicq_cell(r, 0, r->focus);           /* v1 + v2 together: 7/10 */
  assert_int_equal(c.mark, SUPP_SHOW);
  assert_int_equal(c.s.n, 10);
  assert_int_equal(c.s.pos, 7);
  assert_int_equal(c.dk_hidden, 1);
  assert_int_equal(r->n_excluded, 0);
  indicq_free(r);
  r = NULL;

  /* v3 redefines "positive" for nojdhet: v1/v2 no longer mix with it. */
  v = strstr(body, "\"version\": 2");
  v[11] = '3';
  v = strstr(body, "\"positive\": [");
  assert_non_null(v);
  {
    /* The first "positive" list is nojdhet's: ["mycket"] -> add "lite". */
    char *end = strchr(v, ']');
    char *tmp = calloc(1, 1 << 20);
    size_t head = (size_t)(end - body);
    memcpy(tmp, body, head);
    strcpy(tmp + head, ", \"lite\"");
    strcat(tmp, end);
    free(body);
    body = tmp;
    len = strlen(body);
  }
  if(aggsets_publish(s->db, "v3", body, len, NULL, err) != PR_OK)
    fail_msg("publish v3: %s", err);
  SEED(UA, "kiosk-besok", 3, "kiosk", "2026-01", NULL, NULL, 5, 0, 0, NULL);
  SEED(UB, "kiosk-besok", 3, "kiosk", "2026-01", NULL, NULL, 5, 0, 0, NULL);
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  c = indicq_cell(r, 0, r->focus);           /* only v3 now */
  assert_int_equal(c.s.n, 5);
  assert_int_equal(c.s.pos, 5);
  assert_int_equal(r->n_excluded, 2);
  assert_string_equal(r->excluded[0], "kiosk-besok v1");
  indicq_free(r);
  r = NULL;
  /* delaktighet kept its definition in v3: all three versions count. */
  filter(&f, "delaktighet", UA);
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  c = indicq_cell(r, 0, r->focus);
  assert_int_equal(c.s.n, 5 + 5 + 5);
  assert_int_equal(r->n_excluded, 0);
  indicq_free(r);
  r = NULL;
  /* Asking for version 1 explicitly shows it on its own. */
  filter(&f, "nojdhet", UA);
  pr_strlcpy(f.set_id, "kiosk-besok", sizeof(f.set_id));
  f.set_version = 1;
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  c = indicq_cell(r, 0, r->focus);
  assert_int_equal(c.s.n, 5);
  assert_int_equal(c.s.pos, 4);
  indicq_free(r);
  free(body);
}

static void test_phone_cuts_comments(void **state)
{
  struct aggr_seed *s = *state;
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  struct indicq_cell c;
  struct phoneq_counts ph;
  struct commentq_comment *cm = NULL;
  char err[PR_ERR_LEN] = "";
  int n = 0;

  SEED(UA, "ring-upp-utskrivning", 1, "phone", "2026-02", "gul", "somatisk",
       5, 2, 1, NULL);
  SEED(UA, "ring-upp-utskrivning", 1, "phone", "2026-02", "rod",
       "psykiatrisk", 3, 3, 0, NULL);
  SEED(UA, "samordnare-kontakt", 1, "kiosk", "2026-02", NULL, NULL, 2, 4, 0,
       "Jag hade velat få tider tidigare.");
  {
    char e_[PR_ERR_LEN] = "";
    if(aggr_seed_batch(s, UA, "ring-upp-utskrivning", 1, "phone", "2026-03",
                       "gul", "somatisk", 4, 2, 0, NULL, "abandoned", e_) != 0)
      fail_msg("seed abandoned: %s", e_);
  }
  filter(&f, "delaktighet", UA);
  pr_strlcpy(f.mode, "phone", sizeof(f.mode));
  pr_strlcpy(f.track, "gul", sizeof(f.track));
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  c = indicq_cell(r, 1, r->focus);           /* phone, yellow, February */
  assert_int_equal(c.mark, SUPP_SHOW);
  assert_int_equal(c.s.n, 7);
  assert_int_equal(c.s.pos, 5);
  assert_int_equal(c.dk_hidden, 1);
  indicq_free(r);
  r = NULL;

  assert_int_equal(phoneq_counts(s->db, UA, day("2026-01-01"),
                                 day("2026-03-31"), NULL, NULL,
                                 5, SUPP_DEFAULT_COST, &ph, err), PR_OK);
  assert_int_equal(ph.suppressed, 0);
  assert_int_equal(ph.complete, 14);
  assert_int_equal(ph.partial, 6);
  /* Not whole months: widened to whole months, same figures. */
  /* The dashboard's Spår and Vårdform cut the phone table too. */
  assert_int_equal(phoneq_counts(s->db, UA, day("2026-01-01"),
                                 day("2026-03-31"), NULL, "psykiatrisk",
                                 5, SUPP_DEFAULT_COST, &ph, err), PR_OK);
  assert_int_equal(ph.suppressed, 0);
  assert_int_equal(ph.complete, 6);
  assert_int_equal(ph.partial, 0);
  assert_int_equal(phoneq_counts(s->db, UA, day("2026-01-01"),
                                 day("2026-03-31"), "gul", "somatisk",
                                 5, SUPP_DEFAULT_COST, &ph, err), PR_OK);
  assert_int_equal(ph.suppressed, 0);
  assert_int_equal(ph.complete, 8);
  assert_int_equal(ph.partial, 6);
  assert_int_equal(phoneq_counts(s->db, "", day("2026-01-01"),
                                 day("2026-03-31"), "gron", NULL,
                                 5, SUPP_DEFAULT_COST, &ph, err), PR_OK);
  assert_int_equal(ph.complete + ph.partial, 0);
  assert_int_equal(phoneq_counts(s->db, UA, day("2026-01-02"),
                                 day("2026-03-30"), NULL, NULL,
                                 5, SUPP_DEFAULT_COST, &ph, err), PR_OK);
  assert_int_equal(ph.from, day("2026-01-01"));
  assert_int_equal(ph.to, day("2026-03-31"));
  assert_int_equal(ph.complete, 14);
  assert_int_equal(ph.partial, 6);
  assert_int_equal(phoneq_counts(s->db, UA, day("2026-03-01"),
                                 day("2026-03-31"), NULL, NULL,
                                 7, SUPP_DEFAULT_COST, &ph, err), PR_OK);
  assert_int_equal(ph.suppressed, 1);        /* 6 started < 7 */
  assert_int_equal(ph.partial, 0);

  /* Comments follow up nojdhet ("if not satisfied ..."). */
  filter(&f, "nojdhet", UA);
  assert_int_equal(commentq_list(s->db, &f, "nojdhet", 50, NULL, 0, &cm, &n,
                                 err), PR_OK);
  assert_int_equal(n, 4);                    /* the four negative answers */
  assert_string_equal(cm[0].text, "Jag hade velat få tider tidigare.");
  assert_string_equal(cm[0].period, "2026-02");
  assert_string_equal(cm[0].indicator, "nojdhet");
  commentq_free(cm, n);
  assert_int_equal(commentq_list(s->db, &f, "trygghet", 50, NULL, 0, &cm, &n,
                                 err), PR_OK);
  assert_int_equal(n, 0);
  commentq_free(cm, n);
  /* A group below the threshold shows none. */
  f.threshold = 1000;
  assert_int_equal(commentq_list(s->db, &f, "", 50, NULL, 0, &cm, &n, err),
                   PR_OK);
  assert_int_equal(n, 0);
  commentq_free(cm, n);
}

/* Subtracting one cut from the whole must not reveal a small rest: with 10
 * kiosk answers and 2 phone answers for a unit, "kiosk only" (10) next to
 * "all" (12) would give the phone pair away — so the kiosk cell is hidden. */
static void test_cut_differencing(void **state)
{
  struct aggr_seed *s = *state;
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  char err[PR_ERR_LEN] = "";

  SEED(UA, "kiosk-besok", 1, "kiosk", "2026-02", NULL, NULL, 10, 0, 0, NULL);
  SEED(UA, "samordnare-kontakt", 1, "phone", "2026-02", "gul", "somatisk",
       1, 1, 0, NULL);
  SEED(UB, "kiosk-besok", 1, "kiosk", "2026-02", NULL, NULL, 20, 5, 0, NULL);
  SEED(UB, "samordnare-kontakt", 1, "phone", "2026-02", "gul", "somatisk",
       5, 5, 0, NULL);
  filter(&f, "nojdhet", UA);
  f.from = day("2026-02-01");
  f.to = day("2026-02-28");
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  assert_int_equal(indicq_cell(r, 0, r->focus).mark, SUPP_SHOW);
  assert_int_equal(indicq_cell(r, 0, r->focus).s.n, 12);
  indicq_free(r);
  r = NULL;
  pr_strlcpy(f.mode, "kiosk", sizeof(f.mode));
  if(indicq_run(s->db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  assert_int_not_equal(indicq_cell(r, 0, r->focus).mark, SUPP_SHOW);
  assert_int_equal(indicq_cell(r, 0, r->focus).s.n, 0);
  /* UB's kiosk cell (25 of 35; rest 10) needs no such protection, but
   * complements may hide it: only check that UA's is hidden. */
  indicq_free(r);
}


/* Comments never speak for a group too small to be shown: not through a
 * longer span (January has 3 responses: hidden alone, and still hidden
 * inside December-February), and not through the filters (one phone
 * interview on the red psychiatric track in a month: its comment is shown
 * neither under that filter nor mixed into the unit's other comments). */
static void test_comments_small_groups(void **state)
{
  struct aggr_seed *s = *state;
  struct indicq_filter f;
  struct commentq_comment *cm = NULL;
  char err[PR_ERR_LEN] = "";
  int n = 0, i;

  SEED(UC, "kiosk-besok", 1, "kiosk", "2025-12", NULL, NULL, 6, 2, 0,
       "December: bra.");
  SEED(UC, "kiosk-besok", 1, "kiosk", "2026-01", NULL, NULL, 1, 2, 0,
       "Januari: lång väntan.");
  SEED(UC, "kiosk-besok", 1, "kiosk", "2026-02", NULL, NULL, 6, 3, 0,
       "Februari: vänligt.");
  SEED(UC, "ring-upp-utskrivning", 1, "phone", "2026-02", "gul", "somatisk",
       4, 2, 0, "Telefon gul: bra samtal.");
  SEED(UC, "ring-upp-utskrivning", 1, "phone", "2026-02", "rod",
       "psykiatrisk", 1, 0, 0, "Telefon röd: ensam i gruppen.");

  filter(&f, "nojdhet", UC);
  f.from = day("2025-12-01");
  f.to = day("2026-02-28");
  assert_int_equal(commentq_list(s->db, &f, "", 100, NULL, 0, &cm, &n, err),
                   PR_OK);
  for(i = 0; i < n; i++) {
    assert_string_not_equal(cm[i].period, "2026-01");
    assert_null(strstr(cm[i].text, "Januari"));
    assert_null(strstr(cm[i].text, "röd"));
  }
  assert_true(n == 8 + 9 + 6);     /* December, February, phone gul */
  commentq_free(cm, n);
  /* January alone: nothing. */
  f.from = day("2026-01-01");
  f.to = day("2026-01-31");
  assert_int_equal(commentq_list(s->db, &f, "", 100, NULL, 0, &cm, &n, err),
                   PR_OK);
  assert_int_equal(n, 0);
  commentq_free(cm, n);
  /* The red psychiatric group of one, asked for by its own filter. */
  f.from = day("2026-02-01");
  f.to = day("2026-02-28");
  pr_strlcpy(f.mode, "phone", sizeof(f.mode));
  pr_strlcpy(f.track, "rod", sizeof(f.track));
  pr_strlcpy(f.care, "psykiatrisk", sizeof(f.care));
  assert_int_equal(commentq_list(s->db, &f, "", 100, NULL, 0, &cm, &n, err),
                   PR_OK);
  assert_int_equal(n, 0);
  commentq_free(cm, n);
  /* Phone only: the yellow group's six, none from the kiosk or red. */
  f.track[0] = f.care[0] = '\0';
  assert_int_equal(commentq_list(s->db, &f, "", 100, NULL, 0, &cm, &n, err),
                   PR_OK);
  assert_int_equal(n, 6);
  for(i = 0; i < n; i++)
    assert_non_null(strstr(cm[i].text, "gul"));
  commentq_free(cm, n);
}

/* The phone interview counts over any run of months, of each unit and the
 * region, never give a small month away (before, Jan-Mar minus Feb-Mar
 * did).  Atoms: completed interviews per unit and month. */
static void test_phone_counts_spans(void **state)
{
  struct aggr_seed *s = *state;
  static const int sizes[2][5] = {{9, 8, 2, 9, 7}, {20, 21, 19, 22, 18}};
  const char *units[2] = {UA, UB};
  struct linattack la;
  char err[PR_ERR_LEN] = "";
  double coef[10];
  long attacked = 0, recovered = 0, shown = 0;
  int u, m, a, b, col;

  for(u = 0; u < 2; u++)
    for(m = 0; m < 5; m++) {
      char period[8];
      pdate_format_month(pdate_from_ymd(m == 0 ? 2025 : 2026,
                                        m == 0 ? 12 : m, 1), period);
      SEED(units[u], "ring-upp-utskrivning", 1, "phone", period, "gul",
           "somatisk", sizes[u][m], 0, 0, NULL);
    }
  assert_int_equal(linattack_init(&la, 10), 0);
  for(col = 0; col < 3; col++)            /* UA, UB, the region */
    for(a = 0; a < 5; a++)
      for(b = a; b < 5; b++) {
        struct phoneq_counts ph;
        long from = pdate_from_ymd(a == 0 ? 2025 : 2026, a == 0 ? 12 : a, 1);
        long to = indic_bucket_next(INDIC_MONTH, pdate_from_ymd(
                      b == 0 ? 2025 : 2026, b == 0 ? 12 : b, 1), 0) - 1;
        assert_int_equal(phoneq_counts(s->db, col < 2 ? units[col] : "", from,
                                       to, NULL, NULL, 5, SUPP_DEFAULT_COST, &ph,
                                       err), PR_OK);
        if(ph.suppressed)
          continue;
        memset(coef, 0, sizeof(coef));
        for(u = 0; u < 2; u++)
          for(m = a; m <= b; m++)
            if(col == 2 || col == u)
              coef[u * 5 + m] = 1;
        shown++;
        linattack_add(&la, coef);
      }
  for(u = 0; u < 2; u++)
    for(m = 0; m < 5; m++) {
      if(sizes[u][m] >= 5)
        continue;
      attacked++;
      memset(coef, 0, sizeof(coef));
      coef[u * 5 + m] = 1;
      recovered += linattack_determined(&la, coef);
    }
  printf("phone counts attack: spans shown %ld, small months attacked %ld, "
         "recovered %ld\n", shown, attacked, recovered);
  linattack_free(&la);
  assert_true(shown > 10);
  assert_int_equal(attacked, 1);
  assert_int_equal(recovered, 0);
}

/* ---- the attack across granularities and ranges ------------------------ */

/* Six units, January-June 2026: two report by month, three by ISO week
 * (a kiosk's sync_period), one has kiosks of both kinds; sizes drawn so
 * that many months and weeks are small.  The attacker is a region analyst: every view below (each month
 * alone and every run of months, quarters, the year, arbitrary date
 * ranges, weeks) gives every unit's and the region's published cells.
 * Each published n (and "vet ej") is an equation over the stored rows;
 * a small month or week is recovered when its vector is in their span. */
#define AT_UNITS 6
#define AT_MONTHS 6
#define AT_WEEKS 26
#define AT_ATOMS (3 * AT_MONTHS + 4 * AT_WEEKS)

struct atom {
  int unit;          /* 0..AT_UNITS-1 */
  int weekly;        /* 1: a week row, 0: a month row */
  long start;        /* Monday / 1st of the month */
  long n, dk;
};

static unsigned at_rng = 12345u;
static int at_rand(int k)
{
  at_rng = at_rng * 1103515245u + 12345u;
  return (int)((at_rng >> 16) % (unsigned)k);
}

static void at_unit(int u, char out[INDIC_UNIT_LEN])
{
  snprintf(out, INDIC_UNIT_LEN, "SE2321000032-VC01%02d", u + 1);
}

/* One equation: atoms of column u (AT_UNITS = the region) whose start lies
 * in [lo, hi]; weeks_only for the week view (a month row has no week). */
static void at_coef(const struct atom *at, int u, long lo, long hi,
                    int weeks_only, double *coef)
{
  int i;
  for(i = 0; i < AT_ATOMS; i++)
    coef[i] = (u == AT_UNITS || at[i].unit == u) && at[i].start >= lo &&
              at[i].start <= hi && (!weeks_only || at[i].weekly)
                  ? 1.0 : 0.0;
}

static long at_dot(const struct atom *at, const double *coef, int dk)
{
  long s = 0;
  int i;
  for(i = 0; i < AT_ATOMS; i++)
    if(coef[i] > 0.5)
      s += dk ? at[i].dk : at[i].n;
  return s;
}

static void attack_granularities(void **state, enum supp_cost cost)
{
  struct aggr_seed *s = *state;
  static struct atom at[AT_ATOMS];
  struct linattack la_n, la_dk;
  char units[AT_UNITS][INDIC_UNIT_LEN], err[PR_ERR_LEN] = "";
  /* Canonical month marks seen in month views: -1 not yet seen. */
  int seen_mark[AT_MONTHS][AT_UNITS + 1];
  long m0 = day("2026-01-01"), months[AT_MONTHS + 1];
  static const char *const cut_days[] = {
    "2026-01-01", "2026-01-10", "2026-01-15", "2026-02-01", "2026-02-10",
    "2026-03-01", "2026-03-20", "2026-04-01", "2026-05-05", "2026-06-30",
  };
  long views = 0, published = 0, mismatch = 0, attacked = 0, recovered = 0;
  long inconsistent = 0, small_shown = 0;
  double coef[AT_ATOMS];
  int na = 0, u, m, w, i, j, q;

  assert_int_equal(linattack_init(&la_n, AT_ATOMS), 0);
  assert_int_equal(linattack_init(&la_dk, AT_ATOMS), 0);
  memset(seen_mark, 0xff, sizeof(seen_mark));
  for(m = 0; m <= AT_MONTHS; m++)
    months[m] = pdate_from_ymd(2026, m + 1, 1);
  for(u = 0; u < AT_UNITS; u++) {
    at_unit(u, units[u]);
    if(u < 3) {
      for(m = 0; m < AT_MONTHS; m++) {
        int x = at_rand(100);
        struct atom *a = &at[na++];
        a->unit = u;
        a->start = months[m];
        a->n = x < 10 ? 0 : x < 40 ? 1 + at_rand(4) : 5 + at_rand(16);
        a->dk = at_rand(3);
      }
    }
    if(u >= 2) {
      long mon = pdate_monday(m0) < m0 ? pdate_monday(m0) + 7
                                       : pdate_monday(m0);
      for(w = 0; w < AT_WEEKS; w++, mon += 7) {
        int x = at_rand(100);
        struct atom *a = &at[na++];
        a->unit = u;
        a->weekly = 1;
        a->start = mon;
        a->n = x < 15 ? 0 : x < 50 ? 1 + at_rand(4) : 5 + at_rand(8);
        a->dk = at_rand(2);
      }
    }
  }
  assert_int_equal(na, AT_ATOMS);
  for(i = 0; i < AT_ATOMS; i++) {
    char period[12];
    long pos = at[i].n * 3 / 5;
    if(at[i].n == 0 && at[i].dk == 0)
      continue;
    if(at[i].weekly)
      pdate_format_week(at[i].start, period);
    else
      pdate_format_month(at[i].start, period);
    SEED(units[at[i].unit], "kiosk-besok", 1, "kiosk", period, NULL, NULL,
         (int)pos, (int)(at[i].n - pos), (int)at[i].dk, NULL);
  }

  /* The views: (period, from, to). */
  for(q = 0;; q++) {
    struct indicq_filter f;
    struct indicq_result *r = NULL;
    int nb, nu, b, col;
    filter(&f, "nojdhet", "");
    f.cost = cost;
    if(q < 21) {                          /* every run of whole months */
      int k = 0, a0, a1;
      for(a0 = 0; a0 < AT_MONTHS; a0++)
        for(a1 = a0; a1 < AT_MONTHS; a1++, k++)
          if(k == q)
            goto got_run;
      continue;
    got_run:
      f.period = INDIC_MONTH;
      f.from = months[a0];
      f.to = months[a1 + 1] - 1;
    }
    else if(q < 25) {
      static const char *const spans[] = {"2026-K1", "2026-K2", "2026",
                                          "2026-02..2026-05"};
      f.period = INDIC_QUARTER;
      assert_int_equal(pdate_parse_span(spans[q - 21], &f.from, &f.to), 0);
    }
    else if(q < 27) {
      f.period = q == 25 ? INDIC_YEAR : INDIC_MONTH;
      assert_int_equal(pdate_parse_span("2026", &f.from, &f.to), 0);
    }
    else if(q < 27 + 45) {                /* arbitrary date ranges */
      int k = 0, found = 0;
      for(i = 0; i < 10 && !found; i++)
        for(j = i + 1; j < 10 && !found; j++, k++)
          if(k == q - 27) {
            f.period = INDIC_RANGE;
            f.from = day(cut_days[i]);
            f.to = day(cut_days[j]);
            found = 1;
          }
    }
    else if(q < 27 + 45 + 8) {            /* weeks: each month, H1, odd */
      f.period = INDIC_WEEK;
      if(q - 72 < AT_MONTHS) {
        f.from = months[q - 72];
        f.to = months[q - 72 + 1] - 1;
      }
      else if(q - 72 == 6) {
        f.from = months[0];
        f.to = months[AT_MONTHS] - 1;
      }
      else {
        f.from = day("2026-01-14");
        f.to = day("2026-03-11");
      }
    }
    else
      break;
    if(indicq_run(s->db, &f, &r, err) != PR_OK)
      fail_msg("view %d: %s", q, err);
    views++;
    nb = indicq_n_buckets(r);
    nu = indicq_n_units(r);
    for(b = 0; b <= nb; b++) {
      long lo = r->f.from, hi = r->f.to;
      if(b < nb) {
        lo = r->t->bucket_start[b] > lo ? r->t->bucket_start[b] : lo;
        if(b + 1 < nb && r->t->bucket_start[b + 1] - 1 < hi)
          hi = r->t->bucket_start[b + 1] - 1;
      }
      for(col = 0; col <= nu; col++) {
        struct indicq_cell c = indicq_cell(r, b, col);
        int au = AT_UNITS;
        if(col < nu) {
          for(au = 0; au < AT_UNITS; au++)
            if(strcmp(units[au], r->t->units[col]) == 0)
              break;
          if(au == AT_UNITS)
            continue;                     /* another test's unit */
        }
        /* A month cell's mark must not depend on the span asked for. */
        if(r->f.period == INDIC_MONTH && b < nb) {
          int mi = -1;
          for(m = 0; m < AT_MONTHS; m++)
            if(months[m] == r->t->bucket_start[b])
              mi = m;
          if(mi >= 0) {
            int shown = c.mark == SUPP_SHOW;
            if(seen_mark[mi][au] >= 0 && seen_mark[mi][au] != shown)
              inconsistent++;
            seen_mark[mi][au] = shown;
          }
        }
        if(c.mark != SUPP_SHOW)
          continue;
        at_coef(at, au, lo, hi, r->f.period == INDIC_WEEK, coef);
        if(at_dot(at, coef, 0) != c.s.n) {
          mismatch++;
          continue;
        }
        if(c.s.n > 0 && c.s.n < f.threshold)
          small_shown++;
        published++;
        linattack_add(&la_n, coef);
        if(!c.dk_hidden && at_dot(at, coef, 1) == c.s.dk)
          linattack_add(&la_dk, coef);
      }
    }
    indicq_free(r);
  }

  /* Targets: every small month and week, of each unit and the region. */
  for(u = 0; u <= AT_UNITS; u++) {
    for(i = 0; i < AT_MONTHS + AT_WEEKS; i++) {
      long lo, hi;
      int dk;
      if(i < AT_MONTHS) {
        lo = months[i];
        hi = months[i + 1] - 1;
      }
      else {
        lo = at[3 * AT_MONTHS + (i - AT_MONTHS)].start;
        hi = lo;
      }
      at_coef(at, u, lo, hi, i >= AT_MONTHS, coef);
      for(dk = 0; dk < 2; dk++) {
        long v = at_dot(at, coef, dk);
        if(v <= 0 || v >= 5)
          continue;
        attacked++;
        if(linattack_determined(dk ? &la_dk : &la_n, coef)) {
          recovered++;
          fprintf(stderr, "recovered: %s %s starting %ld: %s = %ld\n",
                  u == AT_UNITS ? "region" : units[u],
                  i < AT_MONTHS ? "month" : "week", lo, dk ? "dk" : "n", v);
        }
      }
    }
  }
  printf("granularity attack (cost %s): views %ld, published cells %ld "
         "(model mismatches %ld), small cells attacked %ld, recovered %ld, "
         "small cells shown %ld, month marks differing between spans %ld\n",
         supp_cost_name(cost), views, published, mismatch, attacked,
         recovered, small_shown, inconsistent);
  linattack_free(&la_n);
  linattack_free(&la_dk);
  assert_true(attacked > 40);
  assert_int_equal(small_shown, 0);
  assert_int_equal(inconsistent, 0);
  assert_int_equal(recovered, 0);
}

static void test_attack_granularities(void **state)
{
  attack_granularities(state, SUPP_COST_N);
}

/* The other cost (suppression_cost = cells) chooses other complements. */
static void test_attack_granularities_cells(void **state)
{
  attack_granularities(state, SUPP_COST_CELLS);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_unit_region_and_suppression, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_mixed_versions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_phone_cuts_comments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cut_differencing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_phone_counts_spans, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_comments_small_groups, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_attack_granularities, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_attack_granularities_cells, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
