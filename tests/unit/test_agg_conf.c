/* This file contains the tests of the aggregator's configuration: the
 * shipped example file parses and states the real defaults, flags-style
 * keys override, and every kind of bad line is refused with FILE:LINE and
 * what is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "aggconf.h"

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_example_matches_defaults(void **state)
{
  struct aggconf def, ex;
  char err[PR_ERR_LEN] = "";

  aggconf_defaults(&def);
  aggconf_defaults(&ex);
  if(aggconf_load(&ex, PR_ASSETS_DIR "/agg/rost-agg.conf.example", err))
    fail_msg("%s", err);
  /* The example documents the defaults: numbers must agree. */
  assert_int_equal(ex.threads, def.threads);
  assert_int_equal(ex.conn_timeout, def.conn_timeout);
  assert_int_equal(ex.request_deadline, def.request_deadline);
  assert_int_equal(ex.conn_limit, def.conn_limit);
  assert_int_equal(ex.per_ip_limit, def.per_ip_limit);
  assert_int_equal(ex.max_body, def.max_body);
  assert_int_equal(ex.max_batch, def.max_batch);
  assert_int_equal(ex.retry_after, def.retry_after);
  assert_int_equal(ex.device_inflight, def.device_inflight);
  assert_int_equal(ex.port, def.port);
  assert_string_equal(ex.db, def.db);
  assert_string_equal(ex.tls_priority, def.tls_priority);
  assert_string_equal(ex.cert, "/etc/rost-agg/server.pem");
}

static void test_values_and_extras(void **state)
{
  struct aggconf c;
  char err[PR_ERR_LEN] = "", path[512];

  snprintf(path, sizeof(path), "%s/agg_conf_ok.conf", PR_TEST_OUT);
  write_file(path, "# comment\n\n  listen = 0.0.0.0:9443  \nthreads=3\n"
             "db = postgresql://agg@db/agg\nsuppress_threshold = 7\n");
  aggconf_defaults(&c);
  if(aggconf_load(&c, path, err))
    fail_msg("%s", err);
  assert_string_equal(c.listen_addr, "0.0.0.0");
  assert_int_equal(c.port, 9443);
  assert_int_equal(c.threads, 3);
  assert_string_equal(c.db, "postgresql://agg@db/agg");
  assert_string_equal(aggconf_get(&c, "suppress_threshold"), "7");
  assert_null(aggconf_get(&c, "nothing"));
  assert_int_equal(aggconf_set(&c, "threads", "5", err), PR_OK);
  assert_int_equal(c.threads, 5);
}

static void test_bad_lines(void **state)
{
  static const struct { const char *text, *msg; } cases[] = {
    { "threads = many\n", ":1: threads: expected a whole number" },
    { "\nthreads = -1\n", ":2: threads: expected a whole number from 0" },
    { "listen = 127.0.0.1\n", ":1: listen: expected ADDRESS:PORT" },
    { "listen = 127.0.0.1:99999\n", "listen port" },
    { "just words\n", ":1: expected \"key = value\"" },
    { " = 5\n", ":1: missing key" },
    { "max_body = 10\n", "max_body: expected a whole number from 1024" },
    { "timeout = 1e3\n", "timeout" },
  };
  char err[PR_ERR_LEN], path[512];
  size_t i;

  snprintf(path, sizeof(path), "%s/agg_conf_bad.conf", PR_TEST_OUT);
  for(i = 0; i < PR_ARRAY_LEN(cases); i++) {
    struct aggconf c;
    aggconf_defaults(&c);
    write_file(path, cases[i].text);
    err[0] = '\0';
    assert_int_equal(aggconf_load(&c, path, err), PR_EINVAL);
    if(!strstr(err, cases[i].msg) || !strstr(err, path))
      fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].msg);
  }
  {
    struct aggconf c;
    aggconf_defaults(&c);
    assert_int_equal(aggconf_load(&c, "/nonexistent/rost-agg.conf", err),
                     PR_EIO);
    assert_non_null(strstr(err, "cannot read"));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_example_matches_defaults),
    cmocka_unit_test(test_values_and_extras),
    cmocka_unit_test(test_bad_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
