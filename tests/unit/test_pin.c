/* test_pin.c — This file contains the tests of the staff PIN: Argon2id
 * hashes that verify only the right PIN, refusal of malformed PINs and
 * hashes, and the growing lockout after wrong tries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "pin.h"

static void test_hash_and_verify(void **state)
{
  char h[PIN_HASH_LEN], h2[PIN_HASH_LEN];
  char err[PR_ERR_LEN] = "";
  (void)state;
  assert_int_equal(pin_hash("4711", h, err), PR_OK);
  assert_memory_equal(h, "$argon2id$", 10);
  assert_null(strstr(h, "4711"));
  assert_int_equal(pin_verify(h, "4711"), PR_OK);
  assert_int_equal(pin_verify(h, "4712"), PR_EAUTH);
  assert_int_equal(pin_verify(h, "47110"), PR_EAUTH);
  assert_int_equal(pin_verify(h, ""), PR_EAUTH);
  /* Salted: the same PIN hashes differently each time. */
  assert_int_equal(pin_hash("4711", h2, err), PR_OK);
  assert_string_not_equal(h, h2);
  assert_int_equal(pin_verify(h2, "4711"), PR_OK);
}

static void test_malformed(void **state)
{
  static const char *const bad[] = {"123", "1234567890123", "12a4", "12 34",
                                    "", "-1234", "１２３４"};
  char h[PIN_HASH_LEN];
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++) {
    char err[PR_ERR_LEN] = "";
    assert_int_equal(pin_hash(bad[i], h, err), PR_EINVAL);
    assert_non_null(strstr(err, "digits"));
    assert_string_equal(h, "");
  }
  assert_int_equal(pin_verify("plaintext-1234", "1234"), PR_EINVAL);
  assert_int_equal(pin_verify(NULL, "1234"), PR_EINVAL);
  assert_int_equal(pin_verify("$argon2id$garbage", "1234"), PR_EAUTH);
}

static void test_guard_delays(void **state)
{
  struct pin_guard g = {0, 0};
  time_t t = 1000000;
  (void)state;
  assert_int_equal(pin_guard_wait(&g, t), 0);
  pin_guard_failed(&g, t);
  assert_int_equal(pin_guard_wait(&g, t), 0);     /* 1st wrong: free */
  pin_guard_failed(&g, t);
  assert_int_equal(pin_guard_wait(&g, t), 0);     /* 2nd wrong: free */
  pin_guard_failed(&g, t);
  assert_int_equal(pin_guard_wait(&g, t), 30);    /* 3rd: 30 s */
  assert_int_equal(pin_guard_wait(&g, t + 10), 20);
  assert_int_equal(pin_guard_wait(&g, t + 30), 0);
  pin_guard_failed(&g, t + 30);
  assert_int_equal(pin_guard_wait(&g, t + 30), 60);
  pin_guard_failed(&g, t + 90);
  assert_int_equal(pin_guard_wait(&g, t + 90), 120);
  for(int i = 0; i < 20; i++)
    pin_guard_failed(&g, t + 100000);
  assert_int_equal(pin_guard_wait(&g, t + 100000), 15 * 60);   /* capped */
  pin_guard_ok(&g);
  assert_int_equal(pin_guard_wait(&g, t + 100000), 0);
  pin_guard_failed(&g, t + 100000);
  assert_int_equal(pin_guard_wait(&g, t + 100000), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hash_and_verify),
    cmocka_unit_test(test_malformed),
    cmocka_unit_test(test_guard_delays),
  };
  if(pr_init() != PR_OK)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
