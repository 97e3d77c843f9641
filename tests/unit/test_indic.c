/* test_indic.c — This file contains the unit tests of the indicator engine:
 * Wilson limits against published values, all "vet ej", one response,
 * mixed question-set versions, ISO weeks across New Year, period parsing
 * and the units x periods table with region margins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "indic.h"
#include "pdate.h"

static long day_of(const char *s)
{
  long d = 0;
  assert_int_equal(pdate_parse(s, &d), 0);
  return d;
}

/* Newcombe, "Two-sided confidence intervals for the single proportion",
 * Stat Med 1998;17:857-872, table I, method 3 (Wilson score). */
static void test_wilson_published(void **state)
{
  static const struct {
    long pos, n;
    double lo, hi;
  } cases[] = {
    {81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605},
    {0, 20, 0.0, 0.1611},      {1, 29, 0.0061, 0.1718},
  };
  size_t i;
  (void)state;
  for(i = 0; i < PR_ARRAY_LEN(cases); i++) {
    double lo, hi;
    indic_wilson(cases[i].pos, cases[i].n, INDIC_Z95, &lo, &hi);
    assert_true(fabs(lo - cases[i].lo) < 0.00006);
    assert_true(fabs(hi - cases[i].hi) < 0.00006);
  }
}

static void test_all_dontknow(void **state)
{
  struct indic_counts c = {0, 0, 7};
  struct indic_share s = indic_share_of(c);
  (void)state;
  assert_int_equal(s.n, 0);
  assert_int_equal(s.dk, 7);
  assert_int_equal(s.valid, 0);       /* no share: shown as "no answers" */
  assert_true(s.share == 0.0 && s.lo == 0.0 && s.hi == 0.0);
}

static void test_one_response(void **state)
{
  struct indic_counts c = {1, 0, 2};
  struct indic_share s = indic_share_of(c);
  (void)state;
  assert_int_equal(s.n, 1);           /* vet ej is not in the denominator */
  assert_true(s.valid);
  assert_true(fabs(s.share - 1.0) < 1e-12);
  assert_true(fabs(s.lo - 0.2065) < 0.0001);
  assert_true(s.hi == 1.0);
}

static void test_iso_weeks_new_year(void **state)
{
  enum indic_period p;
  char lab[INDIC_LABEL_LEN];
  long from, to;
  (void)state;
  /* 2026-01-01 is a Thursday: ISO week 2026-W01 starts Mon 2025-12-29. */
  assert_int_equal(indic_bucket_start(INDIC_WEEK, day_of("2026-01-01"), 0),
                   day_of("2025-12-29"));
  indic_bucket_label(INDIC_WEEK, day_of("2025-12-29"), 0, lab);
  assert_string_equal(lab, "2026-W01");
  /* 2027-01-01 is a Friday: it belongs to 2026-W53. */
  indic_bucket_label(INDIC_WEEK,
                     indic_bucket_start(INDIC_WEEK, day_of("2027-01-03"), 0),
                     0, lab);
  assert_string_equal(lab, "2026-W53");
  assert_int_equal(indic_bucket_next(INDIC_WEEK, day_of("2026-12-28"), 0),
                   day_of("2027-01-04"));
  assert_int_equal(pdate_parse_span("2026-W53", &from, &to), 0);
  assert_int_equal(from, day_of("2026-12-28"));
  assert_int_equal(to, day_of("2027-01-03"));
  assert_int_equal(pdate_parse_span("2026-K4", &from, &to), 0);
  assert_int_equal(from, day_of("2026-10-01"));
  assert_int_equal(to, day_of("2026-12-31"));
  assert_int_equal(pdate_parse_span("2025-11..2026-02", &from, &to), 0);
  assert_int_equal(from, day_of("2025-11-01"));
  assert_int_equal(to, day_of("2026-02-28"));
  assert_int_equal(pdate_parse_span("2026-13", &from, &to), -1);
  assert_int_equal(pdate_parse_span("2026-02..2025-01", &from, &to), -1);
  assert_int_equal(pdate_parse_span("2026-Q5", &from, &to), -1);
  assert_int_equal(pdate_parse_span("", &from, &to), -1);
  assert_int_equal(indic_period_parse("kvartal", &p), 0);
  assert_int_equal(p, INDIC_QUARTER);
  assert_int_equal(indic_period_parse("fortnight", &p), -1);
}

/* Weekly rows around New Year bucketed by ISO week and by month. */
static void test_table_weeks_and_region(void **state)
{
  struct indic_row rows[] = {
    {"SE-B", 0, "kiosk-besok", 1, {3, 1, 0}},
    {"SE-A", 0, "kiosk-besok", 1, {5, 5, 1}},
    {"SE-A", 0, "kiosk-besok", 1, {2, 0, 0}},
    {"SE-A", 0, "kiosk-besok", 1, {9, 9, 9}},   /* outside the range */
  };
  const char *extra[] = {"SE-C"};
  struct indic_table *t = NULL;
  int a, b, c;
  (void)state;
  rows[0].day = day_of("2025-12-29");   /* 2026-W01 */
  rows[1].day = day_of("2025-12-29");
  rows[2].day = day_of("2026-01-05");   /* 2026-W02 */
  rows[3].day = day_of("2026-03-02");
  assert_int_equal(indic_table_build(INDIC_WEEK, day_of("2025-12-29"),
                                     day_of("2026-01-11"), rows, 4, extra, 1,
                                     NULL, NULL, &t, NULL), PR_OK);
  assert_int_equal(t->n_buckets, 2);
  assert_int_equal(t->n_units, 3);
  a = indic_table_unit(t, "SE-A");
  b = indic_table_unit(t, "SE-B");
  c = indic_table_unit(t, "SE-C");
  assert_true(a == 0 && b == 1 && c == 2);
  assert_int_equal(indic_cell(t, 0, a)->pos, 5);
  assert_int_equal(indic_cell(t, 1, a)->pos, 2);
  assert_int_equal(indic_cell(t, 0, c)->pos + indic_cell(t, 0, c)->neg, 0);
  assert_int_equal(t->region[0].pos, 8);
  assert_int_equal(t->region[0].neg, 6);
  assert_int_equal(t->region[0].dk, 1);
  assert_int_equal(t->unit_total[a].pos, 7);
  assert_int_equal(t->total.pos, 10);
  indic_table_free(t);
  t = NULL;

  /* By month from 2026-01-01: the W01 rows (Monday 2025-12-29) fall before
   * the range and are left out; W02 counts in January. */
  assert_int_equal(indic_table_build(INDIC_MONTH, day_of("2026-01-01"),
                                     day_of("2026-03-31"), rows, 4, NULL, 0,
                                     NULL, NULL, &t, NULL), PR_OK);
  assert_int_equal(t->n_buckets, 3);
  assert_int_equal(t->region[0].pos, 2);
  assert_int_equal(t->region[2].pos, 9);
  indic_table_free(t);
  t = NULL;
  assert_int_equal(indic_table_build(INDIC_WEEK, day_of("2026-01-01"),
                                     day_of("2025-01-01"), rows, 4, NULL, 0,
                                     NULL, NULL, &t, NULL), PR_EINVAL);
  assert_null(t);
  indic_table_free(NULL);
}

static const struct indic_def defs[] = {
  {"kiosk-besok", 1, "nojdhet", "mycket:+,lite:-,inte_alls:-,vet_ej:?"},
  {"kiosk-besok", 2, "nojdhet", "mycket:+,lite:-,inte_alls:-,vet_ej:?"},
  /* v3 also counts "lite" as positive: not comparable with v1/v2 */
  {"kiosk-besok", 3, "nojdhet", "mycket:+,lite:+,inte_alls:-,vet_ej:?"},
  {"kiosk-besok", 4, "nojdhet", "mycket:+,lite:-,inte_alls:-,vet_ej:?"},
};

static int keep_compatible(void *ctx, const char *set_id, int version)
{
  return indic_version_compatible(defs, PR_ARRAY_LEN(defs), (const char *)ctx,
                                  set_id, version);
}

static void test_mixed_versions(void **state)
{
  struct indic_row rows[] = {
    {"SE-A", 0, "kiosk-besok", 1, {4, 1, 0}},
    {"SE-A", 0, "kiosk-besok", 2, {3, 2, 1}},
    {"SE-A", 0, "kiosk-besok", 3, {6, 0, 0}},
    {"SE-A", 0, "kiosk-besok", 4, {1, 1, 0}},
    {"SE-A", 0, "ring-upp", 1, {2, 2, 0}},      /* other set, same indicator */
  };
  struct indic_table *t = NULL;
  size_t i;
  (void)state;
  for(i = 0; i < PR_ARRAY_LEN(rows); i++)
    rows[i].day = day_of("2026-02-02");
  assert_true(indic_version_compatible(defs, 4, "nojdhet", "kiosk-besok", 1));
  assert_false(indic_version_compatible(defs, 4, "nojdhet", "kiosk-besok", 3));
  assert_true(indic_version_compatible(defs, 4, "nojdhet", "ring-upp", 1));
  assert_int_equal(indic_table_build(INDIC_MONTH, day_of("2026-02-01"),
                                     day_of("2026-02-28"), rows, 5, NULL, 0,
                                     keep_compatible, (void *)"nojdhet", &t,
                                     NULL), PR_OK);
  /* v1 + v2 + v4 + ring-upp together; v3's 6 positives are not mixed in. */
  assert_int_equal(t->total.pos, 4 + 3 + 1 + 2);
  assert_int_equal(t->total.neg, 1 + 2 + 1 + 2);
  assert_int_equal(t->total.dk, 1);
  indic_table_free(t);
}

/* indic_table_rebucket gives exactly the table indic_table_build makes
 * from the same rows: months regrouped into months, quarters, years and
 * a range, with a unit whose rows all lie outside the span; a cut bucket
 * is refused. */
static void test_rebucket_equals_build(void **state)
{
  static const char *units[] = {"U-c", "U-a", "U-b", "U-d"};
  const char *extra[] = {"U-z"};
  struct indic_row rows[300];
  long first = pdate_from_ymd(2025, 1, 1), last = pdate_from_ymd(2026, 12, 31);
  struct {
    enum indic_period p;
    long from, to;
  } cases[] = {
    {INDIC_MONTH, pdate_from_ymd(2025, 3, 1), pdate_from_ymd(2026, 2, 28)},
    {INDIC_QUARTER, pdate_from_ymd(2025, 4, 1), pdate_from_ymd(2026, 12, 31)},
    {INDIC_YEAR, pdate_from_ymd(2025, 1, 1), pdate_from_ymd(2026, 12, 31)},
    {INDIC_RANGE, pdate_from_ymd(2025, 2, 1), pdate_from_ymd(2025, 11, 30)},
  };
  struct indic_table *tm = NULL, *a = NULL, *b = NULL;
  unsigned seed = 7;
  size_t i, k;
  (void)state;

  for(i = 0; i < 300; i++) {
    int y, m;
    seed = seed * 1103515245u + 12345u;
    y = 2025 + (int)((seed >> 8) % 2);
    m = 1 + (int)((seed >> 12) % 12);
    rows[i].unit = units[(seed >> 16) % 4];
    /* "U-d" only in January 2025: outside every span but the year's. */
    if(rows[i].unit == units[3]) {
      y = 2025;
      m = 1;
    }
    rows[i].day = pdate_from_ymd(y, m, 1);
    rows[i].set_id = "s";
    rows[i].set_version = 1;
    rows[i].c.pos = (long)((seed >> 4) % 7);
    rows[i].c.neg = (long)((seed >> 7) % 5);
    rows[i].c.dk = (long)((seed >> 10) % 3);
  }
  assert_int_equal(indic_table_build(INDIC_MONTH, first, last, rows, 300,
                                     extra, 1, NULL, NULL, &tm, NULL), PR_OK);
  for(k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    int bb, u;
    assert_int_equal(indic_table_build(cases[k].p, cases[k].from, cases[k].to,
                                       rows, 300, extra, 1, NULL, NULL, &a,
                                       NULL), PR_OK);
    assert_int_equal(indic_table_rebucket(tm, cases[k].p, cases[k].from,
                                          cases[k].to, &b, NULL), PR_OK);
    assert_int_equal(a->n_buckets, b->n_buckets);
    assert_int_equal(a->n_units, b->n_units);
    assert_int_equal(a->n_units, 5);
    for(u = 0; u < a->n_units; u++) {
      assert_string_equal(a->units[u], b->units[u]);
      assert_memory_equal(&a->unit_total[u], &b->unit_total[u],
                          sizeof(struct indic_counts));
    }
    for(bb = 0; bb < a->n_buckets; bb++) {
      assert_int_equal(a->bucket_start[bb], b->bucket_start[bb]);
      assert_memory_equal(&a->region[bb], &b->region[bb],
                          sizeof(struct indic_counts));
      for(u = 0; u < a->n_units; u++)
        assert_memory_equal(indic_cell(a, bb, u), indic_cell(b, bb, u),
                            sizeof(struct indic_counts));
    }
    assert_memory_equal(&a->total, &b->total, sizeof(struct indic_counts));
    assert_true(a->total.pos + a->total.neg > 0);
    indic_table_free(a);
    indic_table_free(b);
    a = b = NULL;
  }
  /* Weeks cannot be made from months: refused, nothing handed out. */
  assert_int_equal(indic_table_rebucket(tm, INDIC_WEEK, pdate_from_ymd(2025, 3, 3),
                                        pdate_from_ymd(2025, 3, 30), &b, NULL),
                   PR_EINVAL);
  assert_null(b);
  indic_table_free(tm);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_wilson_published),
    cmocka_unit_test(test_all_dontknow),
    cmocka_unit_test(test_one_response),
    cmocka_unit_test(test_iso_weeks_new_year),
    cmocka_unit_test(test_table_weeks_and_region),
    cmocka_unit_test(test_mixed_versions),
    cmocka_unit_test(test_rebucket_equals_build),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
