/* test_csvimp.c — This file contains the unit tests of csvimp.c: every
 * encoding and separator, quoting with embedded newlines, header names in
 * Swedish and English, row errors with line numbers, and files that are not
 * CSV at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "csvimp.h"

static const char *const a_name[] = {"namn", "name", NULL};
static const char *const a_phone[] = {"telefon", "phone", NULL};
static const char *const a_pnr[] = {"personnummer", "personal number", NULL};
static const char *const a_track[] = {"spår", "track", NULL};
static const char *const a_other[] = {"övrigt", "notes", NULL};

static const struct csvimp_col cols[] = {
  {"namn", a_name, 1}, {"telefon", a_phone, 1}, {"personnummer", a_pnr, 0},
  {"spår", a_track, 1}, {"övrigt", a_other, 0},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

static struct csvimp *load(const char *file, enum pr_rc want, char *err)
{
  char path[512];
  struct csvimp *c = (struct csvimp *)1;
  snprintf(path, sizeof(path), "%s/calls/%s", PR_TEST_DATA, file);
  assert_int_equal(csvimp_read_file(path, cols, NCOLS, &c, err), want);
  if(want != PR_OK)
    assert_null(c);
  return c;
}

static void test_good_files(void **state)
{
  static const struct { const char *file, *enc; char sep; } good[] = {
    {"good_utf8_semicolon_crlf.csv", "UTF-8", ';'},
    {"good_utf8bom_comma_lf.csv", "UTF-8 BOM", ','},
    {"good_cp1252_semicolon_crlf.csv", "Windows-1252", ';'},
    {"good_cp1252_comma_lf.csv", "Windows-1252", ','},
    {"good_utf8_comma_crlf.csv", "UTF-8", ','},
    {"good_utf8bom_semicolon_lf.csv", "UTF-8 BOM", ';'},
  };
  char err[PR_ERR_LEN];
  (void)state;
  for(size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    struct csvimp *c = load(good[i].file, PR_OK, err);
    assert_string_equal(csvimp_encoding(c), good[i].enc);
    assert_int_equal(csvimp_separator(c), good[i].sep);
    assert_int_equal(csvimp_rows(c), 4);
    for(int r = 0; r < 4; r++)
      assert_null(csvimp_row_error(c, r));
    /* the same UTF-8 text whatever the file's encoding */
    assert_string_equal(csvimp_field(c, 0, 0), "Örjan Testsson");
    assert_string_equal(csvimp_field(c, 1, 0), "Åsa \"Lillan\" Provström");
    assert_string_equal(csvimp_field(c, 0, 3), "röd");
    assert_string_equal(csvimp_field(c, 2, 3), "grön");
    assert_string_equal(csvimp_field(c, 2, 2), "");    /* empty pnr */
    assert_string_equal(csvimp_field(c, 0, 4), "");    /* absent column */
    assert_int_equal(csvimp_line(c, 0), 2);
    assert_int_equal(csvimp_line(c, 3), 5);
    csvimp_free(c);
  }
}

static void test_embedded_newline(void **state)
{
  char err[PR_ERR_LEN];
  struct csvimp *c = load("good_embedded_newline.csv", PR_OK, err);
  (void)state;
  assert_int_equal(csvimp_rows(c), 2);
  assert_string_equal(csvimp_field(c, 0, 0), "Örjan\nTestsson");
  assert_int_equal(csvimp_line(c, 0), 2);
  assert_int_equal(csvimp_line(c, 1), 4);  /* line numbers stay physical */
  csvimp_free(c);
}

static void test_quoting_errors(void **state)
{
  char err[PR_ERR_LEN];
  struct csvimp *c = load("bad_quoting.csv", PR_OK, err);
  (void)state;
  assert_int_equal(csvimp_rows(c), 3);
  assert_null(csvimp_row_error(c, 0));
  assert_int_equal(csvimp_line(c, 1), 3);
  assert_non_null(strstr(csvimp_row_error(c, 1), "quote"));
  assert_int_equal(csvimp_line(c, 2), 4);
  assert_non_null(strstr(csvimp_row_error(c, 2), "never closed"));
  csvimp_free(c);

  c = load("bad_field_count.csv", PR_OK, err);
  assert_int_equal(csvimp_rows(c), 2);
  assert_null(csvimp_row_error(c, 0));
  assert_non_null(strstr(csvimp_row_error(c, 1), "has 3 field(s)"));
  csvimp_free(c);
}

static void test_inline(void **state)
{
  char err[PR_ERR_LEN];
  struct csvimp *c = NULL;
  /* trailing empty fields from Excel, spaces around, "" inside quotes,
   * a blank line, a last line without newline */
  static const char buf[] = "Name,Phone,Track,,\n"
    "  Anna A , \"07 \"\"1\"\"\",red,,\n\n"
    "Bo B,0702,\"gul\"  ,,,,\n"
    "Cy C,0703,text\"after,\n"
    "Di D,0704,x,y,z,w";
  (void)state;
  assert_int_equal(csvimp_parse("t.csv", buf, sizeof(buf) - 1, cols, NCOLS,
                                &c, err), PR_OK);
  assert_int_equal(csvimp_separator(c), ',');
  assert_int_equal(csvimp_rows(c), 4);
  assert_string_equal(csvimp_field(c, 0, 0), "Anna A");
  assert_string_equal(csvimp_field(c, 0, 1), "07 \"1\"");
  assert_null(csvimp_row_error(c, 1));
  assert_string_equal(csvimp_field(c, 1, 3), "gul");
  assert_int_equal(csvimp_line(c, 1), 4);
  assert_non_null(csvimp_row_error(c, 2));   /* stray quote */
  assert_non_null(strstr(csvimp_row_error(c, 3), "has 6 fields"));
  csvimp_free(c);
}

static void test_excel_sep_line(void **state)
{
  char err[PR_ERR_LEN];
  struct csvimp *c = NULL;
  static const char buf[] = "sep=,\r\nNamn,Telefon,Spår\r\nA;B,0701,gul\r\n";
  (void)state;
  assert_int_equal(csvimp_parse("x.csv", buf, sizeof(buf) - 1, cols, NCOLS,
                                &c, err), PR_OK);
  assert_int_equal(csvimp_separator(c), ',');
  assert_int_equal(csvimp_rows(c), 1);
  assert_string_equal(csvimp_field(c, 0, 0), "A;B");
  assert_int_equal(csvimp_line(c, 0), 3);
  csvimp_free(c);
}

static void test_not_csv(void **state)
{
  static const struct { const char *file, *says; } bad[] = {
    {"not_csv.html", "HTML"},
    {"not_csv.xlsx", "xlsx"},
    {"not_csv.png", "binary"},
    {"not_csv_utf16.csv", "UTF-16"},
    {"not_csv_prose.txt", "not a call list"},
    {"bad_wrong_columns.csv", "missing column(s): telefon, spår"},
  };
  char err[PR_ERR_LEN];
  (void)state;
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    err[0] = '\0';
    load(bad[i].file, PR_EINVAL, err);
    if(!strstr(err, bad[i].says))
      fail_msg("%s: '%s' lacks '%s'", bad[i].file, err, bad[i].says);
    assert_non_null(strstr(err, bad[i].file));  /* names the file */
  }
  {
    struct csvimp *c = NULL;
    char path[512];
    assert_int_equal(csvimp_parse("e.csv", "", 0, cols, NCOLS, &c, err),
                     PR_EINVAL);
    assert_non_null(strstr(err, "empty"));
    snprintf(path, sizeof(path), "%s/calls/no-such.csv", PR_TEST_DATA);
    assert_int_equal(csvimp_read_file(path, cols, NCOLS, &c, err), PR_EIO);
    assert_int_equal(csvimp_read_file(PR_TEST_DATA, cols, NCOLS, &c, err),
                     PR_EINVAL);
    /* Windows-1252 has five undefined bytes: 0x81 is no text */
    assert_int_equal(csvimp_parse("u.csv", "namn;telefon;sp\x81r\n", 17,
                                  cols, NCOLS, &c, err), PR_EINVAL);
  }
}

static void test_alloc_failures(void **state)
{
  static const char buf[] = "namn;telefon;spår\nA;1;röd\nB;2;\"gul\"\n";
  char err[PR_ERR_LEN];
  (void)state;
  for(long n = 0; n < 40; n++) {
    struct csvimp *c = NULL;
    enum pr_rc rc;
    pr_alloc_fail_after(n);
    rc = csvimp_parse("t.csv", buf, sizeof(buf) - 1, cols, NCOLS, &c, err);
    pr_alloc_fail_after(-1);
    assert_true(rc == PR_OK || rc == PR_ENOMEM);
    if(rc == PR_OK)
      assert_int_equal(csvimp_rows(c), 2);
    else
      assert_null(c);
    csvimp_free(c);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_good_files),
    cmocka_unit_test(test_embedded_newline),
    cmocka_unit_test(test_quoting_errors),
    cmocka_unit_test(test_inline),
    cmocka_unit_test(test_excel_sep_line),
    cmocka_unit_test(test_not_csv),
    cmocka_unit_test(test_alloc_failures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
