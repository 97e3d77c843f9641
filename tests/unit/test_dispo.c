/* test_dispo.c — This file contains the unit tests of dispo.c: codes and
 * keys, retry rules, the attempt limit, call-backs and RR1/COOP1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "dispo.h"

static void test_codes(void **state)
{
  (void)state;
  for(int d = 1; d < DISPO_COUNT; d++) {
    const struct dispo_info *in = dispo_info((enum dispo)d);
    assert_non_null(in);
    assert_int_equal(dispo_from_code(in->code), d);
    if(in->key)
      assert_int_equal(dispo_from_key(in->key), d);
    /* shortcut keys are unique and never a digit (digits answer) */
    assert_false(in->key >= '0' && in->key <= '9');
  }
  assert_null(dispo_info(DISPO_NONE));
  assert_null(dispo_info(DISPO_COUNT));
  assert_int_equal(dispo_from_code("nonsense"), DISPO_NONE);
  assert_int_equal(dispo_from_code(NULL), DISPO_NONE);
  assert_int_equal(dispo_from_key('?'), DISPO_NONE);
}

static void test_retry(void **state)
{
  time_t now = 1795500000, next = -1;
  (void)state;
  assert_int_equal(dispo_apply(DISPO_NOANSWER, 0, 3, now, 0, &next),
                   DISPO_NONE);
  assert_int_equal(next, now + 3 * 3600);
  assert_int_equal(dispo_apply(DISPO_BUSY, 1, 3, now, 0, &next), DISPO_NONE);
  assert_int_equal(next, now + 30 * 60);
  assert_int_equal(dispo_apply(DISPO_VOICEMAIL, 0, 3, now, 0, &next),
                   DISPO_NONE);
  assert_int_equal(next, now + 3 * 3600);
  /* the third attempt is the last one */
  assert_int_equal(dispo_apply(DISPO_NOANSWER, 2, 3, now, 0, &next),
                   DISPO_NOTREACHED);
  assert_int_equal(next, 0);
  assert_int_equal(dispo_apply(DISPO_BUSY, 0, 1, now, 0, &next),
                   DISPO_NOTREACHED);
  /* a call-back is kept even past the limit */
  assert_int_equal(dispo_apply(DISPO_CALLBACK, 5, 3, now, now + 7200, &next),
                   DISPO_NONE);
  assert_int_equal(next, now + 7200);
  /* finals */
  static const enum dispo fin[] = {DISPO_COMPLETE, DISPO_PARTIAL,
    DISPO_REFUSED, DISPO_WRONGNUMBER, DISPO_DECEASED, DISPO_READMITTED,
    DISPO_LANGUAGE, DISPO_UNABLE};
  for(size_t i = 0; i < sizeof(fin) / sizeof(fin[0]); i++) {
    assert_int_equal(dispo_apply(fin[i], 0, 3, now, 0, &next), fin[i]);
    assert_int_equal(next, 0);
  }
}

static void test_rates(void **state)
{
  struct dispo_week w;
  (void)state;
  memset(&w, 0, sizeof(w));
  assert_true(dispo_week_rr1(&w) < 0);
  assert_true(dispo_week_coop1(&w) < 0);
  w.outcome[DISPO_COMPLETE] = 6;
  w.outcome[DISPO_PARTIAL] = 1;
  w.outcome[DISPO_REFUSED] = 1;
  w.outcome[DISPO_NOTREACHED] = 3;
  w.outcome[DISPO_WRONGNUMBER] = 1;
  w.outcome[DISPO_DECEASED] = 2;    /* not eligible: outside both rates */
  w.outcome[DISPO_LANGUAGE] = 1;    /* not eligible, but reached */
  assert_true(fabs(dispo_week_rr1(&w) - 6.0 / 12.0) < 1e-9);
  assert_true(fabs(dispo_week_coop1(&w) - 6.0 / 8.0) < 1e-9);
  assert_int_equal(dispo_week_reached(&w), 9);
  assert_int_equal(dispo_week_completed(&w), 6);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_codes),
    cmocka_unit_test(test_retry),
    cmocka_unit_test(test_rates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
