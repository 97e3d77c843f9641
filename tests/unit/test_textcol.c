/* test_textcol.c — This file contains the tests of the table-cell helpers
 * (textcol.c) rostctl's call list prints with: display width of Swedish
 * and Arabic text, line breaks and control characters kept on one line,
 * bad UTF-8 shown as "?", a cut never splitting a character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pr.h"
#include "textcol.h"

static void test_width(void **state)
{
  static const struct {
    const char *s;
    size_t w;
  } cases[] = {
    {"", 0}, {"Bo Ek", 5}, {"Åsa Öberg", 9}, {"Ärlig-Åström", 12},
    {"e\xCC\x81", 1},                         /* e + combining acute */
    {"\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", 4},  /* سلام */
    {"\xD9\x85\xD9\x8E", 1},                  /* meem + fatha */
    {"\xE6\x97\xA5\xE6\x9C\xAC", 4},          /* two wide CJK */
  };
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(cases); i++)
    assert_int_equal(textcol_width(cases[i].s), cases[i].w);
}

static void test_clean(void **state)
{
  char out[64];
  (void)state;
  textcol_clean("Åsa\nÖberg", out, sizeof(out));
  assert_string_equal(out, "Åsa ⏎ Öberg");
  textcol_clean("a\r\nb\rc", out, sizeof(out));
  assert_string_equal(out, "a ⏎ b ⏎ c");
  textcol_clean("a\tb\x1b[31mc\x7f", out, sizeof(out));
  assert_string_equal(out, "a b [31mc ");
  textcol_clean("x\xC3(y\xC2\x85z", out, sizeof(out));   /* bad, then NEL */
  assert_string_equal(out, "x?(y z");
  textcol_clean(NULL, out, sizeof(out));
  assert_string_equal(out, "");
  /* "Åsa" needs 5 bytes with its NUL: in 4 the Å-and-s fit, never half
   * of Å. */
  textcol_clean("Åsa", out, 4);
  assert_string_equal(out, "Ås");
  textcol_clean("ÅÅ", out, 4);
  assert_string_equal(out, "Å");
}

static void test_utf8_next(void **state)
{
  uint32_t cp = 0;
  (void)state;
  assert_int_equal(textcol_utf8_next((const unsigned char *)"Ö", 2, &cp), 2);
  assert_int_equal(cp, 0xD6);
  assert_int_equal(textcol_utf8_next((const unsigned char *)"Ö", 1, &cp), 0);
  assert_int_equal(textcol_utf8_next((const unsigned char *)"\xC0\xAF", 2,
                                     NULL), 0);               /* overlong */
  assert_int_equal(textcol_utf8_next((const unsigned char *)"\xED\xA0\x80",
                                     3, NULL), 0);            /* surrogate */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_width),
    cmocka_unit_test(test_clean),
    cmocka_unit_test(test_utf8_next),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
