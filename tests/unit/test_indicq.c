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

#include "agg_testdb.h"
#include "aggr_seed.h"
#include "indicq.h"
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
  /* UA's span total would let a query for January-March minus one for
   * January and March give February away: it is hidden too. */
  assert_int_not_equal(indicq_cell(r, 3, a).mark, SUPP_SHOW);
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

  /* v2: the same definitions; v3: "lite" also counts as positive. */
  fp = fopen(PR_ASSETS_DIR "/surveys/kiosk-besok.json", "rb");
  assert_non_null(fp);
  body = calloc(1, 1 << 20);
  len = fread(body, 1, (1 << 20) - 1, fp);
  fclose(fp);
  v = strstr(body, "\"version\": 1");
  assert_non_null(v);
  v[11] = '2';
  if(aggsets_publish(s->db, "v2", body, len, NULL, err) != PR_OK)
    fail_msg("publish v2: %s", err);

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
  struct indicq_phone ph;
  struct indicq_comment *cm = NULL;
  char err[PR_ERR_LEN] = "";
  int n = 0, hidden = 0;

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

  assert_int_equal(indicq_phone_counts(s->db, UA, day("2026-01-01"),
                                       day("2026-03-31"), 5, &ph, err), PR_OK);
  assert_int_equal(ph.suppressed, 0);
  assert_int_equal(ph.complete, 14);
  assert_int_equal(ph.partial, 6);
  /* Not whole months: counted from the responses, same figures. */
  assert_int_equal(indicq_phone_counts(s->db, UA, day("2026-01-02"),
                                       day("2026-03-30"), 5, &ph, err), PR_OK);
  assert_int_equal(ph.complete, 14);
  assert_int_equal(ph.partial, 6);
  assert_int_equal(indicq_phone_counts(s->db, UA, day("2026-03-01"),
                                       day("2026-03-31"), 7, &ph, err), PR_OK);
  assert_int_equal(ph.suppressed, 1);        /* 6 started < 7 */
  assert_int_equal(ph.partial, 0);

  /* Comments follow up nojdhet ("if not satisfied ..."). */
  assert_int_equal(indicq_comments(s->db, UA, "nojdhet", day("2026-01-01"),
                                   day("2026-03-31"), 5, 50, &cm, &n, &hidden,
                                   err), PR_OK);
  assert_int_equal(hidden, 0);
  assert_int_equal(n, 4);                    /* the four negative answers */
  assert_string_equal(cm[0].text, "Jag hade velat få tider tidigare.");
  assert_string_equal(cm[0].period, "2026-02");
  assert_string_equal(cm[0].indicator, "nojdhet");
  indicq_comments_free(cm, n);
  assert_int_equal(indicq_comments(s->db, UA, "trygghet", day("2026-01-01"),
                                   day("2026-03-31"), 5, 50, &cm, &n, &hidden,
                                   err), PR_OK);
  assert_int_equal(n, 0);
  indicq_comments_free(cm, n);
  /* A unit with fewer responses than the threshold shows none. */
  assert_int_equal(indicq_comments(s->db, UA, "", day("2026-01-01"),
                                   day("2026-03-31"), 1000, 50, &cm, &n,
                                   &hidden, err), PR_OK);
  assert_int_equal(hidden, 1);
  assert_int_equal(n, 0);
  assert_null(cm);
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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_unit_region_and_suppression, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_mixed_versions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_phone_cuts_comments, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cut_differencing, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
