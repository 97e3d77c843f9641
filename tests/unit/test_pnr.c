/* test_pnr.c — This file contains the unit tests of pnr.c: the written
 * forms, the Luhn digit, samordningsnummer, century choice, future dates
 * and error texts that never repeat the number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pdate.h"
#include "pnr.h"

static long today(void)
{
  return pdate_from_ymd(2026, 11, 24);
}

static void test_forms(void **state)
{
  struct pnr p;
  char err[PR_ERR_LEN];
  static const char *const forms[] = {"19121212-1212", "191212121212",
    "121212+1212", " 19121212-1212 "};
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(forms); i++) {
    assert_int_equal(pnr_parse(forms[i], today(), &p, err), PR_OK);
    assert_string_equal(p.canon, "19121212-1212");
    assert_int_equal(p.year, 1912);
    assert_int_equal(p.coordination, 0);
  }
  /* short form without '+': the latest year not in the future */
  assert_int_equal(pnr_parse("121212-1212", today(), &p, err), PR_OK);
  assert_string_equal(p.canon, "20121212-1212");
  assert_int_equal(pnr_parse("4003121235", today(), &p, err), PR_OK);
  assert_string_equal(p.canon, "19400312-1235");
}

static void test_luhn(void **state)
{
  struct pnr p;
  char err[PR_ERR_LEN];
  (void)state;
  assert_int_equal(pnr_luhn_digit("811218987"), 6);
  assert_true(pnr_luhn_ok("8112189876"));
  assert_false(pnr_luhn_ok("8112189875"));
  assert_int_equal(pnr_parse("19811218-9875", today(), &p, err), PR_EINVAL);
  assert_non_null(strstr(err, "check digit"));
  assert_null(strstr(err, "9875"));       /* never echo the number */
  assert_string_equal(p.canon, "");
}

static void test_coordination(void **state)
{
  struct pnr p;
  char err[PR_ERR_LEN], num[16], d9[10];
  (void)state;
  /* born 1990-05-07 -> day 67 */
  memcpy(d9, "900567123", 10);
  snprintf(num, sizeof(num), "19900567-123%d", pnr_luhn_digit(d9));
  assert_int_equal(pnr_parse(num, today(), &p, err), PR_OK);
  assert_int_equal(p.coordination, 1);
  assert_int_equal(p.day, 7);
  assert_int_equal(p.month, 5);
  assert_string_equal(p.canon, num);
}

static void test_bad(void **state)
{
  struct pnr p;
  char err[PR_ERR_LEN];
  (void)state;
  static const char *const bad[] = {"", "abc", "1912121212", "19121212--1212",
    "19121312-1212", "19120230-1234", "191212-12121", "1912 1212 1212",
    "20261224-1231", "191212121212+"};
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++) {
    err[0] = '\0';
    assert_int_equal(pnr_parse(bad[i], today(), &p, err), PR_EINVAL);
    assert_true(strlen(err) > 10);
  }
  assert_int_equal(pnr_parse(NULL, today(), &p, err), PR_EINVAL);
  /* a date after today */
  {
    char num[16], d9[10];
    memcpy(d9, "261201123", 10);
    snprintf(num, sizeof(num), "20261201-123%d", pnr_luhn_digit(d9));
    assert_int_equal(pnr_parse(num, today(), &p, err), PR_EINVAL);
    assert_non_null(strstr(err, "future"));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_forms),
    cmocka_unit_test(test_luhn),
    cmocka_unit_test(test_coordination),
    cmocka_unit_test(test_bad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
