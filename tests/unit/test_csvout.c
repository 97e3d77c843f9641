/* test_csvout.c — This file contains the tests of the CSV writer: BOM,
 * separator, decimal comma, quoting and formula defusing, as Swedish Excel
 * would read the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "csvout.h"
#include "pr.h"

static void test_csv_shape(void **state)
{
  struct dashbuf b;
  struct csvout c;
  char *out;
  size_t len;
  (void)state;
  dashbuf_init(&b);
  csvout_begin(&c, &b);
  csvout_text(&c, "Enhet");
  csvout_text(&c, "Andel positiva");
  csvout_eol(&c);
  csvout_text(&c, "Vårdcentral Öst; norra");
  csvout_num(&c, 0.8126, 3);
  csvout_int(&c, 16);
  csvout_eol(&c);
  csvout_text(&c, "=HYPERLINK(\"http://x\";\"klick\")");
  csvout_text(&c, "+46 70");
  csvout_text(&c, "-1");
  csvout_text(&c, "@SUM(A1)");
  csvout_text(&c, "\tdold");
  csvout_text(&c, "rad1\nrad2");
  csvout_text(&c, NULL);
  csvout_num(&c, -0.0001, 1);
  csvout_eol(&c);
  out = dashbuf_take(&b, &len);
  assert_non_null(out);
  assert_memory_equal(out, "\xEF\xBB\xBF", 3);
  assert_string_equal(out + 3,
    "Enhet;Andel positiva\r\n"
    "\"Vårdcentral Öst; norra\";0,813;16\r\n"
    "\"'=HYPERLINK(\"\"http://x\"\";\"\"klick\"\")\";\"'+46 70\";\"'-1\";"
    "\"'@SUM(A1)\";\"'\tdold\";\"rad1\nrad2\";;0,0\r\n");
  assert_true(csvout_is_dangerous("=1"));
  assert_false(csvout_is_dangerous("1=1"));
  assert_false(csvout_is_dangerous(""));
  pr_free(out);
}

static void test_buf_failure_is_sticky(void **state)
{
  struct dashbuf b;
  (void)state;
  dashbuf_init(&b);
  pr_alloc_fail_after(0);
  dashbuf_add(&b, "x");
  dashbuf_add(&b, "y");
  assert_int_equal(dashbuf_status(&b), PR_ENOMEM);
  assert_null(dashbuf_take(&b, NULL));
  dashbuf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_csv_shape),
    cmocka_unit_test(test_buf_failure_is_sticky),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
