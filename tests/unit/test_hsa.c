/* test_hsa.c — This file contains the tests of the HSA-id check (hsa.c)
 * that every place taking a unit uses: the ids the tests and examples
 * use, and the ones that must be refused (spaces, punctuation, lower
 * case, a short organisation number, no suffix, too long). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hsa.h"
#include "store.h"

static void test_valid(void **state)
{
  static const char *const ok[] = {HSA_EXAMPLE, "SE2321000032-PH0001",
    "SE2321000032-A", "SE2321000016-15CQ", "SE2321000032-DEMO01"};
  char longest[STORE_UNIT_LEN];
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(ok); i++)
    assert_true(hsa_valid(ok[i]));
  /* the longest that fits the store's unit column */
  memset(longest, 'Z', sizeof(longest) - 1);
  longest[sizeof(longest) - 1] = '\0';
  memcpy(longest, "SE2321000032-", 13);
  assert_true(hsa_valid(longest));
}

static void test_refused(void **state)
{
  static const char *const bad[] = {"", "xx yy", "bad!unit", "bad unit!",
    "SE", "SE2321000032", "SE2321000032-", "se2321000032-abc123",
    "SE2321000032-abc", "SE232100003-ABC123", "SE23210000321-ABC",
    "SE2321000032_ABC123", "SE2321000032-ABC 123", " SE2321000032-ABC123",
    "SE2321000032-ABC123 ", "SE2321000032-ABC-123", "NO2321000032-ABC123",
    "SE2321000032-ÅÄÖ", "SE2321000032-ABC123'; DROP TABLE response;--",
    "SE2321000032-ABCDEFGHIJKLMNOPQRSTUVWXYZ0"};
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++)
    if(hsa_valid(bad[i]))
      fail_msg("accepted \"%s\"", bad[i]);
  assert_false(hsa_valid(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_valid),
    cmocka_unit_test(test_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
