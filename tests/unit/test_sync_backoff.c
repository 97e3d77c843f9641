/* test_sync_backoff.c — This file contains the tests of the retry timing
 * (sync/backoff.c) and of the sync settings and token file
 * (sync/sync_config.c): delays grow, are capped, jitter stays in bounds,
 * Retry-After is a minimum; wrong settings are named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "sync_config.h"

static void test_growth_and_cap(void **state)
{
  struct backoff b = {.base_s = 10, .cap_s = 300};
  long nominal[] = {10, 20, 40, 80, 160, 300, 300, 300};
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(nominal); i++) {
    struct backoff lo = b, hi = b;
    long dl = backoff_fail(&lo, -1, 0);           /* smallest jitter */
    long dh = backoff_fail(&hi, -1, 0xffffffffu); /* some jitter */
    long d = backoff_fail(&b, -1, 12345);
    assert_int_equal(dl, nominal[i] / 2);
    assert_true(dh >= nominal[i] / 2 && dh <= nominal[i]);
    assert_true(d >= nominal[i] / 2 && d <= nominal[i]);
  }
  /* Many failures never overflow past the cap. */
  for(int i = 0; i < 5000; i++)
    assert_true(backoff_fail(&b, -1, (uint32_t)i * 2654435761u) <= 300);
  backoff_reset(&b);
  assert_int_equal(backoff_fail(&b, -1, 0), 5);
}

static void test_retry_after_is_minimum(void **state)
{
  struct backoff b = {.base_s = 10, .cap_s = 300};
  (void)state;
  assert_int_equal(backoff_fail(&b, 120, 0), 120);    /* above jitter */
  assert_true(backoff_fail(&b, 1, 0) >= 10);          /* below: backoff */
  /* Above the cap it is still honoured, up to a day. */
  assert_int_equal(backoff_fail(&b, 3600, 0), 3600);
  assert_int_equal(backoff_fail(&b, 10L * 86400, 0), BACKOFF_MAX_RETRY_AFTER);
  /* Jitter spreads kiosks: 100 draws give many different delays. */
  {
    int seen[301] = {0}, distinct = 0;
    for(uint32_t r = 0; r < 100; r++) {
      struct backoff k = {.base_s = 10, .cap_s = 300, .failures = 6};
      long d = backoff_fail(&k, -1, r * 2654435761u);
      if(!seen[d]++)
        distinct++;
    }
    assert_true(distinct > 50);
  }
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_config(void **state)
{
  struct sync_config c;
  char err[PR_ERR_LEN], tok[128];
  const char *p = PR_TEST_OUT "/sync_cfg.conf";
  const char *t = PR_TEST_OUT "/sync_cfg.token";
  (void)state;

  sync_config_defaults(&c);
  assert_int_equal(c.batch, 500);
  assert_int_equal(sync_config_check(&c, err), PR_EINVAL);
  write_file(p, "# kiosk config\nlanguage = sv\nstore = /var/lib/x.db\n"
             "sync_url = https://agg.example.se:8443\n"
             "sync_token_file = " PR_TEST_OUT "/sync_cfg.token\n"
             "sync_period = month\nsync_batch = 50\n"
             "sync_pins = sha256//A=;sha256//B=\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_OK);
  assert_string_equal(c.url, "https://agg.example.se:8443");
  assert_int_equal(c.period, ANON_MONTH);
  assert_int_equal(c.batch, 50);
  assert_string_equal(c.pins, "sha256//A=;sha256//B=");
  assert_int_equal(sync_config_check(&c, err), PR_OK);

  /* The kiosk's own keys are not sync keys, whatever the order: its
   * "sets_dir" (shipped sets) never becomes the folder fetched sets are
   * saved into, and a bare "timeout_ms" is not the sync timeout. */
  sync_config_defaults(&c);
  write_file(p, "sync_sets_dir = /var/lib/patientrost/sets\n"
             "sets_dir = /usr/share/patientrost/surveys\n"
             "timeout_ms = 5\nurl = https://other.example.se\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_OK);
  assert_string_equal(c.sets_dir, "/var/lib/patientrost/sets");
  assert_int_equal(c.timeout_ms, 120000);
  assert_string_equal(c.url, "");
  sync_config_defaults(&c);
  write_file(p, "sets_dir = /usr/share/patientrost/surveys\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_OK);
  assert_string_equal(c.sets_dir, "");
  /* Options (rostctl sync --sets) still name keys without the prefix. */
  assert_int_equal(sync_config_set(&c, "sets_dir", "/x", err), PR_OK);
  assert_string_equal(c.sets_dir, "/x");

  /* The installed kiosk.conf before enrolment: empty values keep the
   * defaults (sync off), as the kiosk's own reader does. */
  sync_config_defaults(&c);
  write_file(p, "sync_url =\nsync_token_file = /var/lib/patientrost/t\n"
             "sync_ca_file =\nsync_pins =\nsync_batch =\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_OK);
  assert_string_equal(c.url, "");
  assert_string_equal(c.token_file, "/var/lib/patientrost/t");
  assert_int_equal(c.batch, 500);

  write_file(p, "sync_url = https://a\nsync_batch = 5000\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_EINVAL);
  assert_non_null(strstr(err, ":2: sync setting batch"));
  write_file(p, "sync_url = http://plain.example.se\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_EINVAL);
  assert_non_null(strstr(err, "https://"));
  write_file(p, "sync_period = day\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_EINVAL);
  assert_non_null(strstr(err, "week or month"));
  write_file(p, "just words\n");
  assert_int_equal(sync_config_load(p, &c, err), PR_EINVAL);
  assert_int_equal(sync_config_load(PR_TEST_OUT "/no/such.conf", &c, err),
                   PR_EIO);

  /* The token: trimmed, printable, never echoed in errors. */
  pr_strlcpy(c.token_file, t, sizeof(c.token_file));
  write_file(t, "  s3cr3t-token_value\n");
  assert_int_equal(sync_config_token(&c, tok, sizeof(tok), err), PR_OK);
  assert_string_equal(tok, "s3cr3t-token_value");
  write_file(t, "s3cr3t token\n");
  assert_int_equal(sync_config_token(&c, tok, sizeof(tok), err), PR_EINVAL);
  assert_null(strstr(err, "s3cr3t"));
  write_file(t, "\n");
  assert_int_equal(sync_config_token(&c, tok, sizeof(tok), err), PR_EINVAL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_growth_and_cap),
    cmocka_unit_test(test_retry_after_is_minimum),
    cmocka_unit_test(test_config),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
