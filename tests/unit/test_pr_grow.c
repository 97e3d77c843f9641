/* test_pr_grow.c — This file contains the test of pr_grow / PR_GROW
 * (survey/pr.h), the growing array the aggregator's row collectors use:
 * room made only when needed, doubling from the first size, items kept,
 * and a failed allocation leaving the array and its capacity as they were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "pr.h"

struct item {
  long a;
  char b[20];
};

static void test_grows_and_keeps(void **state)
{
  struct item *v = NULL;
  int n = 0, cap = 0;

  (void)state;
  for(int i = 0; i < 100; i++) {
    assert_int_equal(PR_GROW(v, n, cap, 4), 0);
    assert_true(n < cap);
    v[n].a = i;
    snprintf(v[n].b, sizeof(v[n].b), "rad %d", i);
    n++;
    /* 4, 8, 16, ...: a power of two times the first size */
    assert_true(cap == 4 || cap % 8 == 0);
  }
  assert_int_equal(cap, 128);
  for(int i = 0; i < n; i++) {
    char want[20];
    snprintf(want, sizeof(want), "rad %d", i);
    assert_int_equal(v[i].a, i);
    assert_string_equal(v[i].b, want);
  }
  /* room left: nothing allocated, even when allocations would fail */
  pr_alloc_fail_after(0);
  assert_int_equal(PR_GROW(v, n, cap, 4), 0);
  pr_alloc_fail_after(-1);
  pr_free(v);
}

static void test_out_of_memory_changes_nothing(void **state)
{
  struct item *v = NULL, *before;
  int n = 0, cap = 0;

  (void)state;
  pr_alloc_fail_after(0);
  assert_int_equal(PR_GROW(v, n, cap, 4), -1);
  assert_null(v);
  assert_int_equal(cap, 0);
  for(; n < 4; n++) {
    assert_int_equal(PR_GROW(v, n, cap, 4), 0);
    v[n].a = 7 * n;
  }
  before = v;
  pr_alloc_fail_after(0);
  assert_int_equal(PR_GROW(v, n, cap, 4), -1);
  pr_alloc_fail_after(-1);
  assert_ptr_equal(v, before);
  assert_int_equal(cap, 4);
  assert_int_equal(v[3].a, 21);
  /* a first size below one is refused, not an endless loop of 0 * 2 */
  {
    struct item *w = NULL;
    int wcap = 0;
    assert_int_equal(PR_GROW(w, 0, wcap, 0), -1);
  }
  pr_free(v);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_grows_and_keeps),
    cmocka_unit_test(test_out_of_memory_changes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
