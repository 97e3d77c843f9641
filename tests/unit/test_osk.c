/* test_osk.c — This file contains the unit tests of the on-screen
 * keyboards (kiosk/osk.c): typing å ä ö on the Swedish layout, shift for
 * one capital and then off, backspace removing one whole UTF-8 character
 * (Swedish and Arabic), no leading or double spaces, a full buffer refused
 * and left unchanged, and the Arabic layout in a physical keyboard's
 * order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "osk.h"

/* The key whose (unshifted) text is t, or of action a when t is NULL. */
static int key_of(const struct osk_layout *l, const char *t, enum osk_act a)
{
  for(int k = 0; k < osk_n_keys(l); k++) {
    const struct osk_key *key = osk_key_at(l, k);
    if(t ? (key->act == OSK_CHAR && strcmp(key->text, t) == 0)
         : key->act == a)
      return k;
  }
  fail_msg("no key %s (act %d) on layout %s", t ? t : "-", a, l->name);
  return -1;
}

/* Type every key text in keys[] (NULL-terminated); " " is the space bar,
 * "<" backspace, "^" shift. */
static void type(const struct osk_layout *l, char *buf, size_t cap,
                 int *shift, const char *const *keys)
{
  for(; *keys; keys++) {
    int k = strcmp(*keys, " ") == 0   ? key_of(l, NULL, OSK_SPACE)
            : strcmp(*keys, "<") == 0 ? key_of(l, NULL, OSK_BACKSPACE)
            : strcmp(*keys, "^") == 0 ? key_of(l, NULL, OSK_SHIFT)
                                      : key_of(l, *keys, OSK_CHAR);
    (void)osk_press(l, k, buf, cap, shift);
  }
}

static void test_layouts_by_language(void **state)
{
  const struct osk_layout *sv = osk_for_lang("sv");
  const struct osk_layout *ar = osk_for_lang("ar");
  (void)state;
  assert_string_equal(sv->name, "sv");
  assert_string_equal(ar->name, "ar");
  assert_ptr_equal(osk_for_lang("en"), sv);
  assert_ptr_equal(osk_for_lang(NULL), sv);
  assert_null(osk_key_at(sv, -1));
  assert_null(osk_key_at(sv, osk_n_keys(sv)));
  assert_non_null(osk_key_at(sv, osk_n_keys(sv) - 1));
  /* both have a space bar and a backspace; only Swedish has shift */
  (void)key_of(sv, NULL, OSK_SPACE);
  (void)key_of(ar, NULL, OSK_BACKSPACE);
  (void)key_of(sv, NULL, OSK_SHIFT);
  for(int k = 0; k < osk_n_keys(ar); k++)
    assert_int_not_equal(osk_key_at(ar, k)->act, OSK_SHIFT);
  /* Swedish physical order: ... p å / ... l ö ä */
  assert_int_equal(key_of(sv, "å", OSK_CHAR), key_of(sv, "p", OSK_CHAR) + 1);
  assert_int_equal(key_of(sv, "ö", OSK_CHAR), key_of(sv, "l", OSK_CHAR) + 1);
  assert_int_equal(key_of(sv, "ä", OSK_CHAR), key_of(sv, "ö", OSK_CHAR) + 1);
  /* Arabic physical order, not mirrored: ض is where Q is, ش where A is */
  assert_int_equal(key_of(ar, "ص", OSK_CHAR), key_of(ar, "ض", OSK_CHAR) + 1);
  assert_int_equal(key_of(ar, "س", OSK_CHAR), key_of(ar, "ش", OSK_CHAR) + 1);
  assert_true(key_of(ar, "ض", OSK_CHAR) < key_of(ar, "ش", OSK_CHAR));
  /* every key fits the layout's limits and has a label */
  for(int k = 0; k < osk_n_keys(ar); k++)
    assert_true(osk_key_at(ar, k)->text[0] != '\0');
}

static void test_swedish_letters_and_shift(void **state)
{
  const struct osk_layout *sv = osk_for_lang("sv");
  char buf[64] = "";
  int shift = 0;
  static const char *const keys[] = {"^", "å", "s", "a", " ", "ä", "r",
                                     " ", "^", "ö", "d", "e", "^", "?", NULL};
  (void)state;
  type(sv, buf, sizeof(buf), &shift, keys);
  assert_string_equal(buf, "Åsa är Öde!");
  assert_int_equal(shift, 0);

  /* shift on and off again without a letter: nothing typed, off */
  memset(buf, 0, sizeof(buf));
  assert_int_equal(osk_press(sv, key_of(sv, NULL, OSK_SHIFT), buf,
                             sizeof(buf), &shift), 0);
  assert_int_equal(shift, 1);
  assert_int_equal(osk_press(sv, key_of(sv, NULL, OSK_SHIFT), buf,
                             sizeof(buf), &shift), 0);
  assert_int_equal(shift, 0);
  assert_int_equal(osk_press(sv, key_of(sv, "q", OSK_CHAR), buf, sizeof(buf),
                             &shift), 1);
  assert_string_equal(buf, "q");
  /* a key out of range does nothing */
  assert_int_equal(osk_press(sv, 999, buf, sizeof(buf), &shift), 0);
  assert_int_equal(osk_press(sv, -1, buf, sizeof(buf), &shift), 0);
  assert_string_equal(buf, "q");
}

static void test_backspace_whole_characters(void **state)
{
  const struct osk_layout *sv = osk_for_lang("sv");
  const struct osk_layout *ar = osk_for_lang("ar");
  int bs_sv = key_of(sv, NULL, OSK_BACKSPACE);
  int bs_ar = key_of(ar, NULL, OSK_BACKSPACE);
  char buf[64];
  int shift = 0;
  (void)state;

  snprintf(buf, sizeof(buf), "%s", "Hå");
  assert_int_equal(osk_press(sv, bs_sv, buf, sizeof(buf), &shift), 1);
  assert_string_equal(buf, "H");
  snprintf(buf, sizeof(buf), "%s", "ÅÄÖ");
  assert_int_equal(osk_press(sv, bs_sv, buf, sizeof(buf), &shift), 1);
  assert_string_equal(buf, "ÅÄ");
  assert_int_equal(osk_press(sv, bs_sv, buf, sizeof(buf), &shift), 1);
  assert_int_equal(osk_press(sv, bs_sv, buf, sizeof(buf), &shift), 1);
  assert_string_equal(buf, "");
  /* on an empty text: nothing */
  assert_int_equal(osk_press(sv, bs_sv, buf, sizeof(buf), &shift), 0);
  assert_string_equal(buf, "");

  /* Arabic: two-byte letters, one at a time */
  buf[0] = '\0';
  {
    static const char *const keys[] = {"ش", "ك", "ر", "ا", NULL};
    type(ar, buf, sizeof(buf), &shift, keys);
  }
  assert_string_equal(buf, "شكرا");
  assert_int_equal(osk_press(ar, bs_ar, buf, sizeof(buf), &shift), 1);
  assert_string_equal(buf, "شكر");
  assert_int_equal(osk_press(ar, bs_ar, buf, sizeof(buf), &shift), 1);
  assert_string_equal(buf, "شك");
  /* a three-byte character (the Arabic comma is two, ⌫ would be three) */
  snprintf(buf, sizeof(buf), "%s", "a\xe2\x80\x94");        /* "a—" */
  assert_int_equal(osk_press(ar, bs_ar, buf, sizeof(buf), &shift), 1);
  assert_string_equal(buf, "a");
}

static void test_no_leading_or_double_spaces(void **state)
{
  const struct osk_layout *sv = osk_for_lang("sv");
  int sp = key_of(sv, NULL, OSK_SPACE);
  char buf[32] = "";
  int shift = 0;
  (void)state;
  assert_int_equal(osk_press(sv, sp, buf, sizeof(buf), &shift), 0);
  assert_string_equal(buf, "");
  assert_int_equal(osk_press(sv, key_of(sv, "j", OSK_CHAR), buf, sizeof(buf),
                             &shift), 1);
  assert_int_equal(osk_press(sv, sp, buf, sizeof(buf), &shift), 1);
  assert_int_equal(osk_press(sv, sp, buf, sizeof(buf), &shift), 0);
  assert_string_equal(buf, "j ");
  /* the Arabic space bar too */
  {
    const struct osk_layout *ar = osk_for_lang("ar");
    int asp = key_of(ar, NULL, OSK_SPACE);
    assert_int_equal(osk_press(ar, asp, buf, sizeof(buf), &shift), 0);
    assert_string_equal(buf, "j ");
  }
}

static void test_full_buffer_refused_unchanged(void **state)
{
  const struct osk_layout *sv = osk_for_lang("sv");
  const struct osk_layout *ar = osk_for_lang("ar");
  char buf[6] = "abcd";             /* room for one more byte */
  int shift = 1;
  (void)state;
  /* å is two bytes: refused whole, shift stays on for the next try */
  assert_int_equal(osk_press(sv, key_of(sv, "å", OSK_CHAR), buf, sizeof(buf),
                             &shift), -1);
  assert_string_equal(buf, "abcd");
  assert_int_equal(shift, 1);
  assert_int_equal(osk_press(ar, key_of(ar, "ش", OSK_CHAR), buf, sizeof(buf),
                             &shift), -1);
  assert_string_equal(buf, "abcd");
  /* one ASCII letter still fits; then nothing, not even a space */
  assert_int_equal(osk_press(sv, key_of(sv, "e", OSK_CHAR), buf, sizeof(buf),
                             &shift), 1);
  assert_string_equal(buf, "abcdE");
  assert_int_equal(osk_press(sv, key_of(sv, "e", OSK_CHAR), buf, sizeof(buf),
                             &shift), -1);
  assert_int_equal(osk_press(sv, key_of(sv, NULL, OSK_SPACE), buf,
                             sizeof(buf), &shift), -1);
  assert_string_equal(buf, "abcdE");
  /* backspace makes room again */
  assert_int_equal(osk_press(sv, key_of(sv, NULL, OSK_BACKSPACE), buf,
                             sizeof(buf), &shift), 1);
  assert_int_equal(osk_press(sv, key_of(sv, "f", OSK_CHAR), buf, sizeof(buf),
                             &shift), 1);
  assert_string_equal(buf, "abcdf");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_layouts_by_language),
    cmocka_unit_test(test_swedish_letters_and_shift),
    cmocka_unit_test(test_backspace_whole_characters),
    cmocka_unit_test(test_no_leading_or_double_spaces),
    cmocka_unit_test(test_full_buffer_refused_unchanged),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
