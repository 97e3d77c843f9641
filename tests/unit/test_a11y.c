/* test_a11y.c — This file contains the unit tests of the accessibility
 * helpers: what the speaker button reads (question + alternatives, easy
 * read, per language), which recorded clip belongs to a question (never
 * another language's, never outside the assets), the WCAG 2.2 contrast
 * formula against known values, and millimetres on real screen sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "a11y.h"
#include "qset.h"

static struct qset *load_set(const char *id)
{
  char path[512], err[PR_ERR_LEN] = "";
  struct qset *s = NULL;
  snprintf(path, sizeof(path), "%s/surveys/%s.json", PR_ASSETS_DIR, id);
  if(qset_load_file(path, &s, err) != PR_OK)
    fail_msg("%s", err);
  return s;
}

static void test_read_text_has_question_and_every_alternative(void **state)
{
  struct qset *s = load_set("kiosk-besok");
  char buf[2048];
  int qi = qset_find_question(s, "nojdhet");
  const struct qset_scale *sc;

  (void)state;
  assert_true(qi >= 0);
  sc = qset_question_scale(s, qi);
  assert_int_equal(a11y_read_text(s, qi, "sv", 0, buf, sizeof(buf)), PR_OK);
  /* Question first, then each label, in order, each a sentence. */
  assert_memory_equal(buf, "Hur nöjd är du med ditt besök i dag?",
                      strlen("Hur nöjd är du med ditt besök i dag?"));
  {
    const char *p = buf;
    for(int i = 0; i < sc->n_options; i++) {
      const char *label = qset_text(&sc->options[i].label, "sv");
      const char *hit = strstr(p, label);
      if(!hit)
        fail_msg("alternative \"%s\" not read (or out of order): %s", label,
                 buf);
      p = hit + strlen(label);
      assert_true(*p == '.' || *p == '?' || *p == '!');
    }
  }
  /* Arabic reads Arabic, never Swedish. */
  assert_int_equal(a11y_read_text(s, qi, "ar", 0, buf, sizeof(buf)), PR_OK);
  assert_non_null(strstr(buf, "ما مدى رضاك"));
  assert_null(strstr(buf, "nöjd"));
  /* Too small a buffer: PR_ELIMIT, still a terminated string. */
  assert_int_equal(a11y_read_text(s, qi, "sv", 0, buf, 20), PR_ELIMIT);
  assert_true(strlen(buf) < 20);
  assert_int_equal(a11y_read_text(s, 999, "sv", 0, buf, sizeof(buf)),
                   PR_EINVAL);
  qset_free(s);
}

static void test_read_text_uses_easy_read_when_asked(void **state)
{
  struct qset *s = load_set("kiosk-besok");
  char normal[2048], easy[2048];
  int qi = qset_find_question(s, "delaktighet");

  (void)state;
  assert_true(qi >= 0);
  assert_true(s->questions[qi].easy.n > 0);
  assert_int_equal(a11y_read_text(s, qi, "sv", 0, normal, sizeof(normal)),
                   PR_OK);
  assert_int_equal(a11y_read_text(s, qi, "sv", 1, easy, sizeof(easy)), PR_OK);
  assert_string_not_equal(normal, easy);
  assert_non_null(strstr(easy, qset_question_text(&s->questions[qi], "sv",
                                                  1)));
  qset_free(s);
}

static void test_free_text_question_reads_only_the_question(void **state)
{
  struct qset *s = load_set("samordnare-kontakt");
  char buf[1024];
  int qi = qset_find_question(s, "battre");

  (void)state;
  assert_true(qi >= 0);
  assert_int_equal(a11y_read_text(s, qi, "en", 0, buf, sizeof(buf)), PR_OK);
  assert_string_equal(buf, qset_question_text(&s->questions[qi], "en", 0));
  qset_free(s);
}

static void test_audio_clip_exact_language_and_inside_assets(void **state)
{
  struct qset *s = load_set("kiosk-besok");
  struct qset_text *a = &s->questions[0].audio;
  char buf[1024];

  (void)state;
  /* Give question 0 a Swedish clip that exists, an English one that does
   * not, and an Arabic one that tries to leave the assets directory. */
  a->n = 3;
  pr_strlcpy(a->lang[0], "sv", QSET_LANG_LEN);
  a->text[0] = pr_strdup("a11y/tone-1200ms.ogg");
  pr_strlcpy(a->lang[1], "en", QSET_LANG_LEN);
  a->text[1] = pr_strdup("a11y/missing.ogg");
  pr_strlcpy(a->lang[2], "ar", QSET_LANG_LEN);
  a->text[2] = pr_strdup("../../etc/passwd");
  assert_int_equal(a11y_audio_path(s, 0, "sv", PR_TEST_DATA, buf,
                                   sizeof(buf)), 1);
  assert_string_equal(buf, PR_TEST_DATA "/a11y/tone-1200ms.ogg");
  assert_int_equal(a11y_audio_path(s, 0, "en", PR_TEST_DATA, buf,
                                   sizeof(buf)), 0);
  assert_string_equal(buf, "");
  assert_int_equal(a11y_audio_path(s, 0, "ar", PR_TEST_DATA, buf,
                                   sizeof(buf)), 0);
  /* No fallback to the Swedish clip for a language without one. */
  assert_int_equal(a11y_audio_path(s, 0, "fi", PR_TEST_DATA, buf,
                                   sizeof(buf)), 0);
  assert_int_equal(a11y_audio_path(s, 1, "sv", PR_TEST_DATA, buf,
                                   sizeof(buf)), 0);
  qset_free(s);
}

static void test_wcag_formula_known_values(void **state)
{
  (void)state;
  assert_true(a11y_contrast(0x000000, 0xFFFFFF) > 20.99);
  assert_true(a11y_contrast(0xFFFFFF, 0x000000) < 21.01);
  assert_true(a11y_contrast(0x123456, 0x123456) < 1.0001);
  /* #767676 on white is the classic just-passing AA grey (4.54:1);
   * #777777 just fails (4.48:1). */
  assert_true(a11y_contrast(0x767676, 0xFFFFFF) >= 4.5);
  assert_true(a11y_contrast(0x777777, 0xFFFFFF) < 4.5);
  /* #595959 on white is 7.0:1 (AAA boundary). */
  assert_true(a11y_contrast(0x595959, 0xFFFFFF) >= 7.0);
  assert_true(a11y_contrast(0x5A5A5A, 0xFFFFFF) < 7.0);
  assert_true(a11y_luminance(0xFFFFFF) > 0.9999);
  assert_true(a11y_luminance(0x000000) < 0.0001);
}

static void test_millimetres_on_real_screens(void **state)
{
  (void)state;
  /* 15.6" 1920x1080: 141.2 ppi = 5.56 px/mm: 15 mm is 84 px. */
  assert_int_equal(a11y_mm_to_px(15, 15.6, 1920, 1080), 84);
  /* 10.1" 1280x800: 149.4 ppi = 5.88 px/mm: 15 mm is 89 px. */
  assert_int_equal(a11y_mm_to_px(15, 10.1, 1280, 800), 89);
  /* 21.5" 1920x1080: 102.5 ppi = 4.03 px/mm: 15 mm is 61 px. */
  assert_int_equal(a11y_mm_to_px(15, 21.5, 1920, 1080), 61);
  assert_int_equal(a11y_mm_to_px(15, 0, 1920, 1080), 0);
  assert_true(a11y_px_per_mm(15.6, -1, 1080) == 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_read_text_has_question_and_every_alternative),
    cmocka_unit_test(test_read_text_uses_easy_read_when_asked),
    cmocka_unit_test(test_free_text_question_reads_only_the_question),
    cmocka_unit_test(test_audio_clip_exact_language_and_inside_assets),
    cmocka_unit_test(test_wcag_formula_known_values),
    cmocka_unit_test(test_millimetres_on_real_screens),
  };
  if(pr_init() != PR_OK)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
