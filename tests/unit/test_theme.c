/* test_theme.c — This file contains the unit tests of the kiosk colours
 * (kiosk/theme.c): every foreground/background pair that carries text or
 * marks a control meets its theme's minimum by the WCAG 2.2 formula (7:1
 * in high contrast, 4.5:1 in the normal theme), computed here from the
 * colour data on its own and checked against a11y_contrast.  The ratios
 * are printed so a person can see the margins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "a11y.h"
#include "theme.h"

/* WCAG 2.2 relative luminance, written out from the definition. */
static double channel(unsigned v)
{
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lum(uint32_t rgb)
{
  return 0.2126 * channel((rgb >> 16) & 0xFF) +
         0.7152 * channel((rgb >> 8) & 0xFF) + 0.0722 * channel(rgb & 0xFF);
}

static double ratio(uint32_t a, uint32_t b)
{
  double la = lum(a), lb = lum(b);
  return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void check_theme(const struct theme *t, double want)
{
  int bad = 0;
  assert_true(t->min_contrast >= want);
  printf("theme %s (at least %.1f:1)\n", t->name, t->min_contrast);
  for(int i = 0; i < theme_n_pairs; i++) {
    const struct theme_pair *p = &theme_pairs[i];
    uint32_t fg = t->c[p->fg], bg = t->c[p->bg];
    double r = ratio(fg, bg);
    printf("  %6.2f:1  #%06X on #%06X  %s%s\n", r, (unsigned)fg, (unsigned)bg,
           p->what, r < t->min_contrast ? "  <-- TOO LOW" : "");
    assert_true(fabs(r - a11y_contrast(fg, bg)) < 0.01);
    if(r < t->min_contrast)
      bad++;
  }
  assert_int_equal(bad, 0);
}

static void test_formula_known_values(void **state)
{
  (void)state;
  assert_true(fabs(ratio(0x000000, 0xFFFFFF) - 21.0) < 1e-9);
  assert_true(fabs(ratio(0x777777, 0xFFFFFF) - 4.48) < 0.01);
  assert_true(fabs(a11y_contrast(0xFFFFFF, 0x000000) - 21.0) < 1e-6);
  assert_true(fabs(a11y_contrast(0x767676, 0xFFFFFF) - 4.54) < 0.01);
}

static void test_normal_theme_pairs(void **state)
{
  (void)state;
  check_theme(&theme_normal, A11Y_MIN_CONTRAST);
}

static void test_high_contrast_theme_pairs(void **state)
{
  (void)state;
  check_theme(&theme_hc, A11Y_MIN_CONTRAST_HC);
}

/* The pair list covers what the layout draws text and controls with. */
static void test_pairs_cover_the_roles(void **state)
{
  static const enum theme_role text_roles[] = {
    TH_TEXT, TH_MUTED, TH_BAR_TEXT, TH_BTN_TEXT, TH_SEL_TEXT,
    TH_PRIMARY_TEXT, TH_KEY_TEXT, TH_FIELD_TEXT, TH_ERR_TEXT, TH_BTN_EDGE,
    TH_FIELD_EDGE, TH_PROGRESS};
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(text_roles); i++) {
    int found = 0;
    for(int k = 0; k < theme_n_pairs; k++)
      found |= theme_pairs[k].fg == text_roles[i];
    if(!found)
      fail_msg("role %d is drawn but in no contrast pair", text_roles[i]);
  }
  assert_ptr_equal(theme_get(0), &theme_normal);
  assert_ptr_equal(theme_get(1), &theme_hc);
}

/* A chosen answer must stand out from the others (WCAG 1.4.11, 3:1 for
 * the state of a control), in both themes. */
static void test_chosen_answer_stands_out(void **state)
{
  const struct theme *th[2] = {&theme_normal, &theme_hc};
  (void)state;
  for(int i = 0; i < 2; i++) {
    double r = ratio(th[i]->c[TH_SEL], th[i]->c[TH_BTN]);
    printf("theme %s: chosen vs other answer face %.2f:1\n", th[i]->name, r);
    assert_true(r >= 3.0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_formula_known_values),
    cmocka_unit_test(test_normal_theme_pairs),
    cmocka_unit_test(test_high_contrast_theme_pairs),
    cmocka_unit_test(test_pairs_cover_the_roles),
    cmocka_unit_test(test_chosen_answer_stands_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
