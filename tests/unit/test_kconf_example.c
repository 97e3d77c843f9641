/* test_kconf_example.c — the documented kiosk config
 * (assets/kiosk/kiosk.conf.example) names every key the kiosk reads, and
 * the demo config (assets/kiosk/demo.conf, filled in by demo.sh) loads.
 * That the example's values are the defaults is test_kconf's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kconf.h"

#define EXAMPLE PR_ASSETS_DIR "/kiosk/kiosk.conf.example"

/* The keys rost-kiosk reads besides sync_* and phone_* (kconf.c). */
static const char *const kiosk_keys[] = {
  "unit", "store", "sets_dir", "assets", "sets", "set", "lang",
  "high_contrast", "large_text", "easy_read", "auto_read", "audio",
  "idle_timeout_s", "still_there_s", "thanks_s", "tap_guard_ms",
  "staff_press_ms", "staff_timeout_s", "fullscreen", "renderer", "width", "height",
  "screen_inch", "screen_res"};
static const char *const sync_keys[] = {
  "sync_url", "sync_token_file", "sync_ca_file", "sync_pins",
  "sync_sets_dir", "sync_period", "sync_batch", "sync_connect_timeout_ms",
  "sync_timeout_ms", "sync_low_speed_bytes", "sync_low_speed_time_s",
  "sync_interval_s", "sync_backoff_base_s", "sync_backoff_cap_s",
  "sync_max_reply"};
static const char *const phone_keys[] = {
  "phone_days", "phone_hours", "phone_max_attempts", "phone_retention"};

static int example_has(const char *key)
{
  FILE *f = fopen(EXAMPLE, "r");
  char line[1024];
  int found = 0;
  assert_non_null(f);
  while(!found && fgets(line, sizeof(line), f)) {
    size_t n = strlen(key);
    if(strncmp(line, key, n) == 0 && (line[n] == ' ' || line[n] == '='))
      found = 1;
  }
  fclose(f);
  return found;
}

static void test_every_key_is_documented(void **state)
{
  (void)state;
  for(size_t i = 0; i < sizeof(kiosk_keys) / sizeof(kiosk_keys[0]); i++)
    if(!example_has(kiosk_keys[i]))
      fail_msg("%s is not in kiosk.conf.example", kiosk_keys[i]);
  for(size_t i = 0; i < sizeof(sync_keys) / sizeof(sync_keys[0]); i++)
    if(!example_has(sync_keys[i]))
      fail_msg("%s is not in kiosk.conf.example", sync_keys[i]);
  for(size_t i = 0; i < sizeof(phone_keys) / sizeof(phone_keys[0]); i++)
    if(!example_has(phone_keys[i]))
      fail_msg("%s is not in kiosk.conf.example", phone_keys[i]);
}

static void test_demo_config_loads(void **state)
{
  /* demo.sh fills in the placeholders; with paths put in it must load */
  FILE *in = fopen(PR_ASSETS_DIR "/kiosk/demo.conf", "r");
  FILE *out = fopen(PR_TEST_OUT "/demo-test.conf", "w");
  char line[1024], err[PR_ERR_LEN] = "";
  struct kconf c;
  (void)state;
  assert_non_null(in);
  assert_non_null(out);
  while(fgets(line, sizeof(line), in)) {
    char buf[2048];
    size_t o = 0;
    for(const char *p = line; *p && o < sizeof(buf) - 64; ) {
      if(strncmp(p, "@DEMO@", 6) == 0) { o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", PR_TEST_OUT); p += 6; }
      else if(strncmp(p, "@PORT@", 6) == 0) { o += (size_t)snprintf(buf + o, sizeof(buf) - o, "8443"); p += 6; }
      else if(strncmp(p, "@ASSETS@", 8) == 0) { o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", PR_ASSETS_DIR); p += 8; }
      else buf[o++] = *p++;
    }
    buf[o] = '\0';
    fputs(buf, out);
  }
  fclose(in);
  fclose(out);
  if(kconf_load(PR_TEST_OUT "/demo-test.conf", &c, err) != PR_OK)
    fail_msg("demo.conf does not load: %s", err);
  assert_string_equal(c.sync.url, "https://127.0.0.1:8443");
  assert_int_equal(c.fullscreen, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_key_is_documented),
    cmocka_unit_test(test_demo_config_loads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
