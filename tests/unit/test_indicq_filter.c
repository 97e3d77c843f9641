/* test_indicq_filter.c — This file contains the tests of the indicator
 * filter every door parses (API, CSV, dashboard, rost-agg report): the
 * default span is the last 12 whole months, and track/care accept the
 * shared vocabulary (vocab.h) in any case, stored canonical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "indicq.h"
#include "pdate.h"

struct kv {
  const char *k[4], *v[4];
};

static const char *get(void *ctx, const char *name)
{
  const struct kv *p = ctx;
  for(int i = 0; i < 4 && p->k[i]; i++)
    if(strcmp(p->k[i], name) == 0)
      return p->v[i];
  return NULL;
}

static void test_default_span(void **state)
{
  struct indicq_filter f;
  char from[11], to[11];
  (void)state;
  indicq_filter_default(&f);
  pdate_format(f.from, from);
  pdate_format(f.to, to);
  /* PATIENTROST_NOW pins today at 2026-12-03 (main). */
  assert_string_equal(from, "2025-12-01");
  assert_string_equal(to, "2026-11-30");
  assert_int_equal(f.period, INDIC_MONTH);
  indicq_snap_span(&f);
  pdate_format(f.from, from);
  pdate_format(f.to, to);
  assert_string_equal(from, "2025-12-01");
  assert_string_equal(to, "2026-11-30");
}

static void test_vocab_params(void **state)
{
  static const struct {
    const char *track, *care, *want_track, *want_care;
  } ok[] = {
    {"röd", "psykiatri", "rod", "psykiatrisk"},
    {"RÖD", "Psykiatrisk", "rod", "psykiatrisk"},
    {"rod", "Somatisk", "rod", "somatisk"},
    {"grön", "somatik", "gron", "somatisk"},
    {"Gron", "psyk", "gron", "psykiatrisk"},
    {"gul", "SOMATISK", "gul", "somatisk"},
    {"green", "psychiatric", "gron", "psykiatrisk"},
  };
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(ok); i++) {
    struct indicq_filter f;
    struct kv p = {{"track", "care"}, {ok[i].track, ok[i].care}};
    char err[PR_ERR_LEN] = "";
    indicq_filter_default(&f);
    assert_int_equal(indicq_filter_parse(&f, get, &p, err), PR_OK);
    assert_string_equal(f.track, ok[i].want_track);
    assert_string_equal(f.care, ok[i].want_care);
  }
  {
    struct indicq_filter f;
    struct kv p = {{"care"}, {"ortopedi"}};
    char err[PR_ERR_LEN] = "";
    indicq_filter_default(&f);
    assert_int_equal(indicq_filter_parse(&f, get, &p, err), PR_EINVAL);
    assert_non_null(strstr(err, "parameter care: somatisk or psykiatrisk"));
  }
  {
    struct indicq_filter f;
    struct kv p = {{"track"}, {"blå"}};
    char err[PR_ERR_LEN] = "";
    indicq_filter_default(&f);
    assert_int_equal(indicq_filter_parse(&f, get, &p, err), PR_EINVAL);
    assert_non_null(strstr(err, "parameter track: grön, gul or röd"));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_default_span),
    cmocka_unit_test(test_vocab_params),
  };
  /* 2026-12-03 10:00 UTC, before the first pr_now() reads it. */
  setenv("PATIENTROST_NOW", "1796292000", 1);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
