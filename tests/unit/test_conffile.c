/* test_conffile.c — the one reader of the project's "key = value" files:
 * comments and blanks, trimming, the line numbers in errors, a line too
 * long, the callback's failure prefixed with file and line, and
 * conffile_get's last-wins lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conffile.h"

static const char *write_conf(const char *name, const char *text)
{
  static char path[512];
  FILE *f;
  snprintf(path, sizeof(path), "%s/%s", PR_TEST_OUT, name);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

struct seen {
  int n;
  char keys[8][32], vals[8][64];
  int lines[8];
  const char *fail_on;
};

static enum pr_rc collect(void *ctx, const char *key, const char *value,
                          int line, char *err)
{
  struct seen *s = ctx;
  if(s->fail_on && strcmp(key, s->fail_on) == 0) {
    pr_seterr(err, "%s: not liked", key);
    return PR_EINVAL;
  }
  if(s->n < 8) {
    snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
    snprintf(s->vals[s->n], sizeof(s->vals[0]), "%s", value);
    s->lines[s->n] = line;
    s->n++;
  }
  return PR_OK;
}

static void test_lines_trimmed_comments_skipped(void **state)
{
  struct seen s;
  char err[PR_ERR_LEN] = "";
  const char *p = write_conf("cf1.conf",
                             "# a comment\n\n  unit\t=  SE2321000032-ABC123  \r\n"
                             "sets = kiosk-besok, samordnare-kontakt\n"
                             "empty =\n"
                             "last=no newline");
  (void)state;
  memset(&s, 0, sizeof(s));
  assert_int_equal(conffile_each(p, collect, &s, err), PR_OK);
  assert_int_equal(s.n, 4);
  assert_string_equal(s.keys[0], "unit");
  assert_string_equal(s.vals[0], "SE2321000032-ABC123");
  assert_int_equal(s.lines[0], 3);
  assert_string_equal(s.vals[1], "kiosk-besok, samordnare-kontakt");
  assert_string_equal(s.vals[2], "");
  assert_string_equal(s.keys[3], "last");
  assert_string_equal(s.vals[3], "no newline");
}

static void test_errors_name_file_and_line(void **state)
{
  struct seen s;
  char err[PR_ERR_LEN], big[CONFFILE_LINE_MAX + 64];
  const char *p;
  (void)state;
  memset(&s, 0, sizeof(s));
  p = write_conf("cf2.conf", "a = 1\njust words\n");
  assert_int_equal(conffile_each(p, collect, &s, err), PR_EINVAL);
  assert_non_null(strstr(err, "cf2.conf:2: expected \"key = value\""));
  memset(&s, 0, sizeof(s));
  p = write_conf("cf3.conf", "a = 1\n = 5\n");
  assert_int_equal(conffile_each(p, collect, &s, err), PR_EINVAL);
  assert_non_null(strstr(err, "cf3.conf:2: missing key"));
  memset(&s, 0, sizeof(s));
  s.fail_on = "b";
  p = write_conf("cf4.conf", "a = 1\n\nb = 2\nc = 3\n");
  assert_int_equal(conffile_each(p, collect, &s, err), PR_EINVAL);
  assert_non_null(strstr(err, "cf4.conf:3: b: not liked"));
  assert_int_equal(s.n, 1);            /* stopped at the failure */
  memset(big, 'x', sizeof(big));
  memcpy(big, "k = ", 4);
  big[sizeof(big) - 2] = '\n';
  big[sizeof(big) - 1] = '\0';
  p = write_conf("cf5.conf", big);
  memset(&s, 0, sizeof(s));
  assert_int_equal(conffile_each(p, collect, &s, err), PR_EINVAL);
  assert_non_null(strstr(err, "cf5.conf:1: line longer than"));
  assert_int_equal(conffile_each(PR_TEST_OUT "/no-such.conf", collect, &s,
                                 err), PR_EIO);
  assert_non_null(strstr(err, "no-such.conf: cannot read"));
}

static void test_get_last_wins(void **state)
{
  char v[16];
  const char *p = write_conf("cf6.conf", "store = /a.db\nx = 1\n"
                                         "store = /b.db\n");
  (void)state;
  assert_int_equal(conffile_get(p, "store", v, sizeof(v)), 1);
  assert_string_equal(v, "/b.db");
  assert_int_equal(conffile_get(p, "nothere", v, sizeof(v)), 0);
  assert_string_equal(v, "");
  assert_int_equal(conffile_get(p, "store", v, 4), -1);   /* too long */
  assert_string_equal(v, "");
  assert_int_equal(conffile_get(PR_TEST_OUT "/no-such.conf", "store", v,
                                sizeof(v)), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_lines_trimmed_comments_skipped),
    cmocka_unit_test(test_errors_name_file_and_line),
    cmocka_unit_test(test_get_last_wins),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
