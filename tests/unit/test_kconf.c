/* test_kconf.c — This file contains the unit tests of the kiosk config
 * file (kiosk/kconf.c): the defaults, the shipped example documenting
 * them, every key read back, wrong values refused with the file, the line
 * number and the key, unknown keys refused (a typo never silently
 * ignored), the sync_* and phone_* keys handed on, and a missing unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconf.h"

#define UNIT "SE2321000032-ABC123"

static char dir[512];

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  if(!f || fputs(text, f) < 0 || fclose(f) != 0)
    fail_msg("cannot write %s", path);
}

static enum pr_rc load_text(const char *name, const char *text,
                            struct kconf *c, char *path, size_t cap,
                            char *err)
{
  snprintf(path, cap, "%s/%s", dir, name);
  write_file(path, text);
  err[0] = '\0';
  return kconf_load(path, c, err);
}

static void test_defaults(void **state)
{
  struct kconf c;
  (void)state;
  memset(&c, 0x5A, sizeof(c));
  kconf_defaults(&c);
  assert_string_equal(c.unit, "");
  assert_string_equal(c.store, "/var/lib/patientrost/kiosk.db");
  assert_string_equal(c.sets_dir, PR_ASSETS_DIR "/surveys");
  assert_string_equal(c.assets, PR_ASSETS_DIR);
  assert_int_equal(c.n_sets, 0);
  assert_string_equal(c.set, "");
  assert_string_equal(c.lang, "sv");
  assert_int_equal(c.idle_s, 60);
  assert_int_equal(c.still_there_s, 20);
  assert_int_equal(c.thanks_s, 8);
  assert_int_equal(c.tap_guard_ms, 400);
  assert_int_equal(c.staff_press_ms, 3000);
  assert_int_equal(c.staff_timeout_s, 120);
  assert_int_equal(c.fullscreen, 1);
  assert_int_equal(c.width, 1280);
  assert_int_equal(c.height, 800);
  assert_true(fabs(c.screen_inch - 15.6) < 1e-9);
  assert_int_equal(c.screen_w, 1920);
  assert_int_equal(c.screen_h, 1080);
  assert_int_equal(c.high_contrast, 0);
  assert_int_equal(c.large_text, 0);
  assert_int_equal(c.auto_read, 0);
  assert_int_equal(c.easy_read, 0);
  assert_int_equal(c.audio, 1);
  assert_string_equal(c.sync.url, "");             /* sync off */
  assert_int_equal(c.sync.batch, 500);
  assert_int_equal(c.phone.day_from, 3);
  assert_int_equal(c.phone.day_to, 7);
  /* every set is offered when none is listed */
  assert_true(kconf_offers(&c, "kiosk-besok"));
  assert_true(kconf_offers(&c, "anything"));
}

/* The example says "every key is listed here with its default": loading
 * it must give the defaults, apart from the install paths it names. */
static void test_example_documents_the_defaults(void **state)
{
  struct kconf d, c;
  char err[PR_ERR_LEN] = "";
  (void)state;
  kconf_defaults(&d);
  if(kconf_load(PR_ASSETS_DIR "/kiosk/kiosk.conf.example", &c, err) != PR_OK)
    fail_msg("%s", err);
  assert_string_equal(c.unit, UNIT);
  assert_string_equal(c.store, d.store);
  assert_string_equal(c.sets_dir, "/usr/share/patientrost/surveys");
  assert_string_equal(c.assets, "/usr/share/patientrost");
  /* the rest is exactly the defaults */
  pr_strlcpy(c.unit, d.unit, sizeof(c.unit));
  pr_strlcpy(c.sets_dir, d.sets_dir, sizeof(c.sets_dir));
  pr_strlcpy(c.assets, d.assets, sizeof(c.assets));
  /* the example fills in where a token and fetched sets would go once
   * sync_url is set; sync itself is off */
  assert_string_equal(c.sync.url, "");
  memcpy(c.sync.token_file, d.sync.token_file, sizeof(c.sync.token_file));
  memcpy(c.sync.sets_dir, d.sync.sets_dir, sizeof(c.sync.sets_dir));
  assert_int_equal(c.n_sets, d.n_sets);
  assert_string_equal(c.set, d.set);
  assert_string_equal(c.lang, d.lang);
  assert_int_equal(c.idle_s, d.idle_s);
  assert_int_equal(c.still_there_s, d.still_there_s);
  assert_int_equal(c.thanks_s, d.thanks_s);
  assert_int_equal(c.tap_guard_ms, d.tap_guard_ms);
  assert_int_equal(c.staff_press_ms, d.staff_press_ms);
  assert_int_equal(c.staff_timeout_s, d.staff_timeout_s);
  assert_int_equal(c.fullscreen, d.fullscreen);
  assert_int_equal(c.width, d.width);
  assert_int_equal(c.height, d.height);
  assert_true(fabs(c.screen_inch - d.screen_inch) < 1e-9);
  assert_int_equal(c.screen_w, d.screen_w);
  assert_int_equal(c.screen_h, d.screen_h);
  assert_int_equal(c.high_contrast, d.high_contrast);
  assert_int_equal(c.large_text, d.large_text);
  assert_int_equal(c.auto_read, d.auto_read);
  assert_int_equal(c.easy_read, d.easy_read);
  assert_int_equal(c.audio, d.audio);
  assert_memory_equal(&c.sync, &d.sync, sizeof(c.sync));
  assert_memory_equal(&c.phone, &d.phone, sizeof(c.phone));
}

static void test_every_key(void **state)
{
  static const char text[] =
    "# a kiosk by the exit\n"
    "\n"
    "unit = SE2321000032-VC0042\n"
    "store=/srv/kiosk/store.db\n"
    "  sets_dir\t=\t/srv/kiosk/surveys  \n"
    "assets = /srv/kiosk/assets\r\n"
    "sets = kiosk-besok, samordnare-kontakt,samordnare-vardplan\n"
    "set = samordnare-kontakt\n"
    "lang = ar\n"
    "idle_timeout_s = 90\n"
    "still_there_s = 15\n"
    "thanks_s = 5\n"
    "tap_guard_ms = 250\n"
    "staff_press_ms = 4000\n"
    "staff_timeout_s = 60\n"
    "fullscreen = nej\n"
    "width = 1024\n"
    "height = 600\n"
    "screen_inch = 10.1\n"
    "screen_res = 1024x600\n"
    "high_contrast = ja\n"
    "large_text = on\n"
    "auto_read = true\n"
    "easy_read = 1\n"
    "audio = off\n"
    "sync_url = https://agg.region.se:8443\n"
    "sync_token_file = /etc/patientrost/kiosk.token\n"
    "sync_batch = 50\n"
    "sync_period = month\n"
    "sync_interval_s = 600\n"
    "phone_days = 2-5\n"
    "phone_hours = 08:30-16:00\n"
    "phone_max_attempts = 4\n"
    "phone_retention = 30\n";
  struct kconf c;
  char path[700], err[PR_ERR_LEN];
  (void)state;
  if(load_text("every.conf", text, &c, path, sizeof(path), err) != PR_OK)
    fail_msg("%s", err);
  assert_string_equal(c.unit, "SE2321000032-VC0042");
  assert_string_equal(c.store, "/srv/kiosk/store.db");
  assert_string_equal(c.sets_dir, "/srv/kiosk/surveys");
  assert_string_equal(c.assets, "/srv/kiosk/assets");
  assert_int_equal(c.n_sets, 3);
  assert_string_equal(c.sets[0], "kiosk-besok");
  assert_string_equal(c.sets[1], "samordnare-kontakt");
  assert_string_equal(c.sets[2], "samordnare-vardplan");
  assert_true(kconf_offers(&c, "samordnare-kontakt"));
  assert_false(kconf_offers(&c, "ring-upp-utskrivning"));
  assert_string_equal(c.set, "samordnare-kontakt");
  assert_string_equal(c.lang, "ar");
  assert_int_equal(c.idle_s, 90);
  assert_int_equal(c.still_there_s, 15);
  assert_int_equal(c.thanks_s, 5);
  assert_int_equal(c.tap_guard_ms, 250);
  assert_int_equal(c.staff_press_ms, 4000);
  assert_int_equal(c.staff_timeout_s, 60);
  assert_int_equal(c.fullscreen, 0);
  assert_int_equal(c.width, 1024);
  assert_int_equal(c.height, 600);
  assert_true(fabs(c.screen_inch - 10.1) < 1e-9);
  assert_int_equal(c.screen_w, 1024);
  assert_int_equal(c.screen_h, 600);
  assert_int_equal(c.high_contrast, 1);
  assert_int_equal(c.large_text, 1);
  assert_int_equal(c.auto_read, 1);
  assert_int_equal(c.easy_read, 1);
  assert_int_equal(c.audio, 0);
  assert_string_equal(c.sync.url, "https://agg.region.se:8443");
  assert_string_equal(c.sync.token_file, "/etc/patientrost/kiosk.token");
  assert_int_equal(c.sync.batch, 50);
  assert_int_equal(c.sync.period, ANON_MONTH);
  assert_int_equal(c.sync.interval_s, 600);
  assert_int_equal(c.phone.day_from, 2);
  assert_int_equal(c.phone.day_to, 5);
  assert_int_equal(c.phone.hour_from, 8 * 60 + 30);
  assert_int_equal(c.phone.hour_to, 16 * 60);
  assert_int_equal(c.phone.max_attempts, 4);
  assert_int_equal(c.phone.retention_days, 30);

  /* "sets =" empty again: every set */
  assert_int_equal(kconf_set(&c, "sets", "", err), PR_OK);
  assert_int_equal(c.n_sets, 0);
  assert_true(kconf_offers(&c, "ring-upp-utskrivning"));
  /* "set =" empty: the first offered */
  assert_int_equal(kconf_set(&c, "set", "", err), PR_OK);
  assert_string_equal(c.set, "");
}

/* One bad line after two good ones: refused, naming file, line 4, key. */
static void expect_bad_line(const char *line, const char *key,
                            const char *what)
{
  struct kconf c;
  char text[1024], path[700], err[PR_ERR_LEN], want[800];
  snprintf(text, sizeof(text), "# kiosk\nunit = " UNIT "\n\n%s\nwidth = 1024\n",
           line);
  assert_int_equal(load_text("bad.conf", text, &c, path, sizeof(path), err),
                   PR_EINVAL);
  printf("  %-36s -> %s\n", line, err);
  snprintf(want, sizeof(want), "%s:4: ", path);
  if(strncmp(err, want, strlen(want)) != 0)
    fail_msg("\"%s\": message does not start with %s: %s", line, want, err);
  if(key && !strstr(err, key))
    fail_msg("\"%s\": message does not name %s: %s", line, key, err);
  if(what && !strstr(err, what))
    fail_msg("\"%s\": message does not say %s: %s", line, what, err);
}

static void test_wrong_values_named_with_line(void **state)
{
  (void)state;
  expect_bad_line("idle_timeout_s = 5", "idle_timeout_s", "10 to 3600");
  expect_bad_line("idle_timeout_s = 60s", "idle_timeout_s", "\"60s\"");
  expect_bad_line("idle_timeout_s =", "idle_timeout_s", NULL);
  expect_bad_line("still_there_s = 9999", "still_there_s", NULL);
  expect_bad_line("thanks_s = 1", "thanks_s", NULL);
  expect_bad_line("tap_guard_ms = -1", "tap_guard_ms", NULL);
  expect_bad_line("staff_press_ms = 100", "staff_press_ms", NULL);
  expect_bad_line("staff_timeout_s = 0x10", "staff_timeout_s", NULL);
  expect_bad_line("width = 100", "width", NULL);
  expect_bad_line("height = 99999", "height", NULL);
  expect_bad_line("fullscreen = kanske", "fullscreen", "yes or no");
  expect_bad_line("audio = Yes please", "audio", "yes or no");
  expect_bad_line("screen_inch = 15,6", "screen_inch", NULL);
  expect_bad_line("screen_inch = 2", "screen_inch", NULL);
  expect_bad_line("screen_res = 1920*1080", "screen_res", "WIDTHxHEIGHT");
  expect_bad_line("screen_res = 1920x", "screen_res", NULL);
  expect_bad_line("unit = se2321000032-abc123", "unit", "HSA-id");
  expect_bad_line("lang = Svenska", "lang", "language code");
  expect_bad_line("sets = kiosk-besok, Kiosk!", "sets", "Kiosk!");
  expect_bad_line("set = ../etc", "set", NULL);
  expect_bad_line("store =", "store", NULL);
  expect_bad_line("sync_url = http://agg.region.se", "url", "https://");
  expect_bad_line("sync_batch = 0", "batch", NULL);
  expect_bad_line("sync_period = day", "period", NULL);
  expect_bad_line("phone_days = 7-3", "phone_days", NULL);
  expect_bad_line("phone_hours = 25:00-26:00", "phone_hours", NULL);
  expect_bad_line("phone_max_attempts = 99", "phone_max_attempts", NULL);
  expect_bad_line("just some words", NULL, "key = value");
}

static void test_unknown_keys_refused(void **state)
{
  struct kconf c;
  char err[PR_ERR_LEN];
  (void)state;
  expect_bad_line("idle_timeout = 60", "idle_timeout", "unknown key");
  expect_bad_line("hig_contrast = yes", "hig_contrast", "unknown key");
  expect_bad_line("sync_urll = https://x.se", "sync_urll", "unknown key");
  expect_bad_line("phone_day = 3-7", "phone_day", "unknown key");
  /* sync's own short names are not keys of the kiosk's file */
  expect_bad_line("url = https://agg.region.se", "url", "unknown key");
  expect_bad_line("timeout_ms = 5000", "timeout_ms", "unknown key");
  kconf_defaults(&c);
  assert_int_equal(kconf_set(&c, "Unit", UNIT, err), PR_ENOTFOUND);
  assert_non_null(strstr(err, "Unit"));
  assert_int_equal(kconf_set(&c, "batch", "10", err), PR_ENOTFOUND);
  assert_int_equal(c.sync.batch, 500);
}

static void test_bad_value_leaves_setting(void **state)
{
  struct kconf c;
  char err[PR_ERR_LEN];
  (void)state;
  kconf_defaults(&c);
  assert_int_equal(kconf_set(&c, "idle_timeout_s", "120", err), PR_OK);
  assert_int_equal(kconf_set(&c, "idle_timeout_s", "1", err), PR_EINVAL);
  assert_int_equal(c.idle_s, 120);
  assert_int_equal(kconf_set(&c, "screen_res", "800x", err), PR_EINVAL);
  assert_int_equal(c.screen_w, 1920);
  assert_int_equal(c.screen_h, 1080);
  assert_int_equal(kconf_set(&c, "sets", "a, B", err), PR_EINVAL);
  assert_int_equal(c.n_sets, 0);
  assert_int_equal(kconf_set(&c, "phone_days", "9-1", err), PR_EINVAL);
  assert_int_equal(c.phone.day_from, 3);
}

static void test_missing_unit_and_unreadable(void **state)
{
  struct kconf c;
  char path[700], err[PR_ERR_LEN], big[3000];
  (void)state;
  assert_int_equal(load_text("nounit.conf", "# no unit\nlang = sv\n", &c, path,
                             sizeof(path), err), PR_EINVAL);
  assert_non_null(strstr(err, path));
  assert_non_null(strstr(err, "unit"));
  assert_int_equal(load_text("empty.conf", "", &c, path, sizeof(path), err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "unit"));
  /* the last line may lack its newline */
  assert_int_equal(load_text("nonl.conf", "unit = " UNIT, &c, path,
                             sizeof(path), err), PR_OK);
  assert_string_equal(c.unit, UNIT);
  /* a line too long for the reader is refused with its number */
  memset(big, 'x', sizeof(big));
  {
    static const char head[] = "unit = " UNIT "\nstore = ";
    memcpy(big, head, sizeof(head) - 1);
  }
  big[sizeof(big) - 2] = '\n';
  big[sizeof(big) - 1] = '\0';
  assert_int_equal(load_text("long.conf", big, &c, path, sizeof(path), err),
                   PR_EINVAL);
  assert_non_null(strstr(err, ":2:"));
  snprintf(path, sizeof(path), "%s/no-such.conf", dir);
  assert_int_equal(kconf_load(path, &c, err), PR_EIO);
  assert_non_null(strstr(err, path));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_defaults),
    cmocka_unit_test(test_example_documents_the_defaults),
    cmocka_unit_test(test_every_key),
    cmocka_unit_test(test_wrong_values_named_with_line),
    cmocka_unit_test(test_unknown_keys_refused),
    cmocka_unit_test(test_bad_value_leaves_setting),
    cmocka_unit_test(test_missing_unit_and_unreadable),
  };
  char cmd[1200];
  if(pr_init() != PR_OK)
    return 1;
  snprintf(dir, sizeof(dir), "%s/test_kconf", PR_TEST_OUT);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
  if(system(cmd) != 0)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
