/* test_pdate.c — This file contains the tests of calendar arithmetic:
 * strict date parsing, ISO weeks across New Year (week 53, week 1 in the
 * previous December), months, and a brute-force cross-check of ISO weeks
 * against the C library's strftime("%G-W%V") for 40 years of days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pdate.h"

static long day_of(const char *s)
{
  long d = -1;
  if(pdate_parse(s, &d) != 0)
    fail_msg("could not parse %s", s);
  return d;
}

static void test_parse_and_format(void **state)
{
  static const char *const bad[] = {
    "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31",
    "2026-1-01", " 2026-01-01", "2026-01-01 ", "2026/01/01", "20260101",
    "2026-01-0x", "", "abcd-ef-gh", "1899-12-31"};
  char out[11];
  long d = 0;
  (void)state;
  assert_int_equal(day_of("1970-01-01"), 0);
  assert_int_equal(day_of("1970-01-02"), 1);
  assert_int_equal(day_of("1969-12-31"), -1);
  assert_int_equal(day_of("2024-02-29") + 1, day_of("2024-03-01"));
  assert_int_equal(day_of("2000-02-29") + 1, day_of("2000-03-01"));
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++)
    if(pdate_parse(bad[i], &d) == 0)
      fail_msg("accepted bad date \"%s\"", bad[i]);
  assert_int_equal(pdate_parse(NULL, &d), -1);
  pdate_format(day_of("2026-11-24"), out);
  assert_string_equal(out, "2026-11-24");
  pdate_format(day_of("1999-12-31") + 1, out);
  assert_string_equal(out, "2000-01-01");
  assert_int_equal(pdate_weekday(day_of("2026-11-24")), 2);   /* Tuesday */
  assert_int_equal(pdate_weekday(day_of("2026-11-29")), 7);   /* Sunday */
  assert_int_equal(pdate_weekday(day_of("1969-12-29")), 1);   /* Monday */
}

static void test_iso_weeks_across_new_year(void **state)
{
  struct { const char *date; const char *week; } cases[] = {
    {"2026-01-01", "2026-W01"},   /* Thursday: week 1 of 2026 */
    {"2025-12-29", "2026-W01"},   /* Monday before: already 2026-W01 */
    {"2025-12-28", "2025-W52"},
    {"2020-12-31", "2020-W53"},
    {"2021-01-03", "2020-W53"},   /* Sunday in January, last year's week */
    {"2021-01-04", "2021-W01"},
    {"2027-01-01", "2026-W53"},   /* 2026 has 53 ISO weeks */
    {"2026-12-31", "2026-W53"},
    {"2027-01-04", "2027-W01"},
    {"2026-11-24", "2026-W48"},
  };
  char out[9];
  long monday = 0;
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(cases); i++) {
    pdate_format_week(day_of(cases[i].date), out);
    if(strcmp(out, cases[i].week) != 0)
      fail_msg("%s: got %s, want %s", cases[i].date, out, cases[i].week);
  }
  assert_int_equal(pdate_parse_week("2026-W01", &monday), 0);
  assert_int_equal(monday, day_of("2025-12-29"));
  assert_int_equal(pdate_parse_week("2026-W53", &monday), 0);
  assert_int_equal(monday, day_of("2026-12-28"));
  assert_int_equal(pdate_parse_week("2025-W53", &monday), -1); /* 52 weeks */
  assert_int_equal(pdate_parse_week("2026-W00", &monday), -1);
  assert_int_equal(pdate_parse_week("2026W01", &monday), -1);
  assert_int_equal(pdate_parse_week("2026-w01", &monday), -1);
}

static void test_iso_week_matches_libc(void **state)
{
  long start = day_of("2000-01-01"), end = day_of("2040-12-31");
  (void)state;
  for(long d = start; d <= end; d++) {
    char mine[9], libc[16];
    struct tm tm;
    time_t t = (time_t)d * 86400;
    gmtime_r(&t, &tm);
    strftime(libc, sizeof(libc), "%G-W%V", &tm);
    pdate_format_week(d, mine);
    if(strcmp(mine, libc) != 0)
      fail_msg("day %ld: mine %s, libc %s", d, mine, libc);
    int y, w;
    pdate_iso_week(d, &y, &w);
    long mon = pdate_iso_week_start(y, w);
    assert_true(d - mon >= 0 && d - mon < 7);
    assert_int_equal(pdate_weekday(mon), 1);
  }
}

static void test_months(void **state)
{
  char out[8];
  long first = 0;
  (void)state;
  pdate_format_month(day_of("2026-12-31"), out);
  assert_string_equal(out, "2026-12");
  assert_int_equal(pdate_parse_month("2027-01", &first), 0);
  assert_int_equal(first, day_of("2026-12-31") + 1);
  assert_int_equal(pdate_parse_month("2027-13", &first), -1);
  assert_int_equal(pdate_parse_month("2027-1", &first), -1);
  assert_int_equal(pdate_parse_month("2027-01-01", &first), -1);
}

static void test_local_today(void **state)
{
  /* 2026-11-24 12:00 UTC is the 24th in every time zone within +-11 h. */
  time_t noon = (time_t)day_of("2026-11-24") * 86400 + 12 * 3600;
  (void)state;
  assert_int_equal(pdate_local_today(noon), day_of("2026-11-24"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse_and_format),
    cmocka_unit_test(test_iso_weeks_across_new_year),
    cmocka_unit_test(test_iso_week_matches_libc),
    cmocka_unit_test(test_months),
    cmocka_unit_test(test_local_today),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
