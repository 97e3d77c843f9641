/* test_indicq_cache.c — This file contains the tests of the indicator
 * query's cache (indicq.h, aggcache.h) on a real database (PR_AGG_TEST_DB,
 * default a fresh SQLite file): a repeated query is served from the cache
 * and equals the computed one; an ingest that changes a figure — in this
 * process, through a second handle, or in another PROCESS (a forked child
 * with its own connection, as a second rost-agg) — is never answered with
 * the cached figure; and call statistics invalidate as well. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agg_testdb.h"
#include "aggr_seed.h"
#include "commentq.h"
#include "indicq.h"
#include "pdate.h"

#define UA "SE2321000032-VC0001"
#define UB "SE2321000032-VC0002"

struct fx {
  struct aggr_seed s;
  char url[600];
};

static int setup(void **state)
{
  struct fx *x = calloc(1, sizeof(*x));
  char err[PR_ERR_LEN] = "";
  struct aggdb *db = NULL;

  agg_testdb_url("indicq_cache", x->url, sizeof(x->url));
  if(aggdb_open(x->url, &db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(db), 0);
  aggdb_close(db);
  if(aggr_seed_open(x->url, &x->s, err) != 0)
    fail_msg("seed open: %s", err);
  indicq_cache_enable(1);
  *state = x;
  return 0;
}

static int teardown(void **state)
{
  struct fx *x = *state;

  aggr_seed_close(&x->s);
  free(x);
  return 0;
}

static void seed(struct aggr_seed *s, const char *unit, const char *period,
                 int pos, int neg)
{
  char err[PR_ERR_LEN] = "";

  if(aggr_seed_batch(s, unit, "kiosk-besok", 1, "kiosk", period, NULL, NULL,
                     pos, neg, 0, NULL, "complete", err) != 0)
    fail_msg("seed %s %s: %s", unit, period, err);
}

/* January's (n, pos) of unit column `unit` ("" = the region). */
static void january(struct aggdb *db, const char *unit, long *n, long *pos)
{
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  struct indicq_cell c;
  char err[PR_ERR_LEN] = "";
  long d0 = 0, d1 = 0;

  assert_int_equal(pdate_parse("2026-01-01", &d0), 0);
  assert_int_equal(pdate_parse("2026-03-31", &d1), 0);
  indicq_filter_default(&f);
  pr_strlcpy(f.indicator, "nojdhet", sizeof(f.indicator));
  pr_strlcpy(f.unit, unit, sizeof(f.unit));
  f.period = INDIC_MONTH;
  f.from = d0;
  f.to = d1;
  if(indicq_run(db, &f, &r, err) != PR_OK)
    fail_msg("run: %s", err);
  c = indicq_cell(r, 0, *unit ? r->focus : indicq_n_units(r));
  assert_int_equal(c.mark, SUPP_SHOW);
  *n = c.s.n;
  *pos = c.s.pos;
  indicq_free(r);
}

static long hits(void)
{
  struct indicq_cache_stats st;

  indicq_cache_stats(&st);
  return st.hits;
}

static void test_repeat_is_a_hit_and_equal(void **state)
{
  struct fx *x = *state;
  long n1, p1, n2, p2, h;

  seed(&x->s, UA, "2026-01", 8, 2);
  seed(&x->s, UB, "2026-01", 12, 3);
  january(x->s.db, UA, &n1, &p1);
  h = hits();
  january(x->s.db, UA, &n2, &p2);
  assert_int_equal(hits(), h + 1);
  assert_int_equal(n1, 10);
  assert_int_equal(p1, 8);
  assert_int_equal(n2, n1);
  assert_int_equal(p2, p1);
  /* Another unit in focus is the same region table: a hit too. */
  january(x->s.db, UB, &n2, &p2);
  assert_int_equal(hits(), h + 2);
  assert_int_equal(n2, 15);
  january(x->s.db, "", &n2, &p2);
  assert_int_equal(n2, 25);
  assert_int_equal(p2, 20);
}

static void test_ingest_here_invalidates(void **state)
{
  struct fx *x = *state;
  long n, p;

  seed(&x->s, UA, "2026-01", 8, 2);
  seed(&x->s, UB, "2026-01", 12, 3);
  january(x->s.db, UA, &n, &p);
  assert_int_equal(n, 10);
  seed(&x->s, UA, "2026-01", 3, 0);            /* the same process */
  january(x->s.db, UA, &n, &p);
  assert_int_equal(n, 13);
  assert_int_equal(p, 11);
  january(x->s.db, "", &n, &p);
  assert_int_equal(n, 28);
}

static void test_other_handle_invalidates(void **state)
{
  struct fx *x = *state;
  struct aggr_seed other;
  char err[PR_ERR_LEN] = "";
  long n, p;

  seed(&x->s, UA, "2026-01", 8, 2);
  seed(&x->s, UB, "2026-01", 12, 3);
  january(x->s.db, UA, &n, &p);
  assert_int_equal(n, 10);
  if(aggr_seed_open(x->url, &other, err) != 0)
    fail_msg("second handle: %s", err);
  other.rng ^= 0xA5A5A5A5ULL;                /* uuids of its own */
  seed(&other, UA, "2026-01", 0, 4);
  aggr_seed_close(&other);
  january(x->s.db, UA, &n, &p);
  assert_int_equal(n, 14);
  assert_int_equal(p, 8);
}

static void test_other_process_invalidates(void **state)
{
  struct fx *x = *state;
  long n, p, h;
  int round, status = 0;

  seed(&x->s, UA, "2026-01", 8, 2);
  seed(&x->s, UB, "2026-01", 12, 3);
  for(round = 1; round <= 3; round++) {
    pid_t pid;

    january(x->s.db, UA, &n, &p);                /* cached now */
    h = hits();
    january(x->s.db, UA, &n, &p);
    assert_int_equal(hits(), h + 1);
    assert_int_equal(n, 10 + 5 * (round - 1));
    pid = fork();
    assert_true(pid >= 0);
    if(pid == 0) {
      /* A second aggregator: its own process and connection. */
      struct aggr_seed other;
      char err[PR_ERR_LEN] = "";

      if(aggr_seed_open(x->url, &other, err) != 0) {
        fprintf(stderr, "child: %s\n", err);
        _exit(2);
      }
      other.rng ^= (unsigned long long)getpid() << 20;
      seed(&other, UA, "2026-01", 5, 0);
      aggr_seed_close(&other);
      _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    january(x->s.db, UA, &n, &p);
    assert_int_equal(n, 10 + 5 * round);
    assert_int_equal(p, 8 + 5 * round);
  }
}

/* The dashboard's indicator list is cached too: a set with indicators of
 * its own, ingested after, shows in the next list. */
static void test_indicator_list_follows_ingest(void **state)
{
  struct fx *x = *state;
  char (*a)[INDIC_ID_LEN] = NULL, (*b)[INDIC_ID_LEN] = NULL, err[PR_ERR_LEN];
  int na = 0, nb = 0;

  seed(&x->s, UA, "2026-01", 8, 2);
  assert_int_equal(indicq_indicators(x->s.db, &a, &na, err), PR_OK);
  assert_true(na > 0);
  pr_free(b);
  assert_int_equal(indicq_indicators(x->s.db, &b, &nb, err), PR_OK);
  assert_int_equal(nb, na);
  assert_memory_equal(a, b, (size_t)na * INDIC_ID_LEN);
  pr_free(b);
  b = NULL;
  if(aggr_seed_batch(&x->s, UA, "ring-upp-utskrivning", 1, "phone",
                     "2026-01", "rod", "somatisk", 6, 1, 0, NULL, "complete",
                     err) != 0)
    fail_msg("seed phone: %s", err);
  assert_int_equal(indicq_indicators(x->s.db, &b, &nb, err), PR_OK);
  assert_true(nb > na);
  pr_free(a);
  pr_free(b);
}

/* Comments (commentq.h) are cached the same way: a new one ingested
 * after is in the next list. */
static int n_comments(struct aggdb *db)
{
  struct indicq_filter f;
  struct commentq_comment *c = NULL;
  char err[PR_ERR_LEN] = "";
  int n = 0;

  indicq_filter_default(&f);
  pr_strlcpy(f.unit, UA, sizeof(f.unit));
  f.period = INDIC_MONTH;
  f.from = pdate_from_ymd(2026, 1, 1);
  f.to = pdate_from_ymd(2026, 3, 31);
  if(commentq_list(db, &f, "", 50, NULL, 0, &c, &n, err) != PR_OK)
    fail_msg("comments: %s", err);
  commentq_free(c, n);
  return n;
}

static void test_comments_follow_ingest(void **state)
{
  struct fx *x = *state;
  char err[PR_ERR_LEN] = "";
  int n1;

  if(aggr_seed_batch(&x->s, UA, "kiosk-besok", 1, "kiosk", "2026-01", NULL,
                     NULL, 6, 1, 0, "Bra bemötande", "complete", err) != 0)
    fail_msg("seed: %s", err);
  n1 = n_comments(x->s.db);
  assert_true(n1 > 0);
  assert_int_equal(n_comments(x->s.db), n1);
  if(aggr_seed_batch(&x->s, UA, "kiosk-besok", 1, "kiosk", "2026-01", NULL,
                     NULL, 3, 0, 0, "Lång väntan", "complete", err) != 0)
    fail_msg("seed: %s", err);
  assert_true(n_comments(x->s.db) > n1);
}

static void test_disabled_computes_every_time(void **state)
{
  struct fx *x = *state;
  long n, p, h;

  seed(&x->s, UA, "2026-01", 8, 2);
  indicq_cache_enable(0);
  h = hits();
  january(x->s.db, UA, &n, &p);
  january(x->s.db, UA, &n, &p);
  assert_int_equal(hits(), h);
  assert_int_equal(n, 10);
  indicq_cache_enable(1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_repeat_is_a_hit_and_equal, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_ingest_here_invalidates, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_other_handle_invalidates, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_other_process_invalidates, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_indicator_list_follows_ingest, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_comments_follow_ingest, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_disabled_computes_every_time, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
