/* test_vocab.c — This file contains the table-driven tests of the one
 * track / care-type vocabulary (vocab.c): every accepted spelling in any
 * case gives the canonical value, everything else is refused, and the
 * labels people read are röd / gul / grön. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pr.h"
#include "vocab.h"

static const struct {
  const char *in, *canon;
} track_cases[] = {
  {"röd", "rod"}, {"RÖD", "rod"}, {"Röd", "rod"}, {"rod", "rod"},
  {"ROD", "rod"}, {"rött", "rod"}, {"Rött", "rod"}, {"red", "rod"},
  {"R", "rod"}, {" röd ", "rod"},
  {"gul", "gul"}, {"GUL", "gul"}, {"Gult", "gul"}, {"yellow", "gul"},
  {"y", "gul"},
  {"grön", "gron"}, {"GRÖN", "gron"}, {"Grönt", "gron"}, {"gron", "gron"},
  {"green", "gron"}, {"g", "gron"}, {"\tgrön", "gron"},
  {"", NULL}, {"   ", NULL}, {"blå", NULL}, {"rödd", NULL}, {"grå", NULL},
  {"somatisk", NULL}, {"r\xC3", NULL}, {"röd\n", NULL},
  {"gröööööööööööööööööööööööööööööööööön", NULL},
};

static const struct {
  const char *in, *canon;
} care_cases[] = {
  {"somatisk", "somatisk"}, {"Somatisk", "somatisk"},
  {"SOMATISK", "somatisk"}, {"somatik", "somatisk"}, {"somatic", "somatisk"},
  {"som", "somatisk"}, {"S", "somatisk"},
  {"psykiatrisk", "psykiatrisk"}, {"Psykiatrisk", "psykiatrisk"},
  {"psykiatri", "psykiatrisk"}, {"PSYKIATRI", "psykiatrisk"},
  {"psyk", "psykiatrisk"}, {"psychiatric", "psykiatrisk"},
  {"psychiatry", "psykiatrisk"}, {"p", "psykiatrisk"},
  {"", NULL}, {"röd", NULL}, {"psykiatriskt!", NULL}, {"somatisk vård", NULL},
};

static void test_track(void **state)
{
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(track_cases); i++) {
    const char *got = vocab_track(track_cases[i].in);
    if(!track_cases[i].canon ? got != NULL
                             : !got || strcmp(got, track_cases[i].canon)) {
      print_error("vocab_track(\"%s\") = %s, want %s\n", track_cases[i].in,
                  got ? got : "NULL",
                  track_cases[i].canon ? track_cases[i].canon : "NULL");
      fail();
    }
  }
  assert_null(vocab_track(NULL));
}

static void test_care(void **state)
{
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(care_cases); i++) {
    const char *got = vocab_care(care_cases[i].in);
    if(!care_cases[i].canon ? got != NULL
                            : !got || strcmp(got, care_cases[i].canon)) {
      print_error("vocab_care(\"%s\") = %s, want %s\n", care_cases[i].in,
                  got ? got : "NULL",
                  care_cases[i].canon ? care_cases[i].canon : "NULL");
      fail();
    }
  }
  assert_null(vocab_care(NULL));
}

static void test_canonical_and_labels(void **state)
{
  (void)state;
  assert_true(vocab_is_track("rod") && vocab_is_track("gul") &&
              vocab_is_track("gron"));
  assert_false(vocab_is_track("röd") || vocab_is_track("Rod") ||
               vocab_is_track("") || vocab_is_track(NULL));
  assert_true(vocab_is_care("somatisk") && vocab_is_care("psykiatrisk"));
  assert_false(vocab_is_care("psykiatri") || vocab_is_care(NULL));
  assert_string_equal(vocab_track_label("rod"), "röd");
  assert_string_equal(vocab_track_label("gul"), "gul");
  assert_string_equal(vocab_track_label("gron"), "grön");
  assert_string_equal(vocab_track_label("x"), "x");
  assert_string_equal(vocab_track_label(NULL), "");
  assert_string_equal(vocab_care_label("psykiatrisk"), "psykiatrisk");
  /* every label reads back as its canonical value */
  assert_string_equal(vocab_track(vocab_track_label("gron")), "gron");
  assert_string_equal(vocab_care(vocab_care_label("somatisk")), "somatisk");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_track),
    cmocka_unit_test(test_care),
    cmocka_unit_test(test_canonical_and_labels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
