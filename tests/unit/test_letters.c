/* test_letters.c — the pure parts of the monthly letters and alerts: the
 * config keys and the shipped example agree (every key documented with its
 * default), bad values are named; the alert rules fire on a real drop and
 * not on the same drop at small n, nor on hidden cells; the backoff
 * doubles and is capped; MIME headers are encoded (RFC 2047 subject that
 * decodes back, lines under 78); addresses that could break a header are
 * refused; the chart is a PNG; the first weekday of a month, holidays
 * skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "aggconf.h"
#include "letterchart.h"
#include "letterconf.h"
#include "letterdb.h"
#include "lettermake.h"
#include "lettermime.h"
#include "letterrule.h"
#include "lettersend.h"
#include "pdate.h"

static void test_example_documents_every_key(void **state)
{
  FILE *f = fopen(PR_ASSETS_DIR "/agg/rost-agg.conf.example", "r");
  char line[1024], want[300];
  static char text[65536];
  size_t n;
  int i;
  struct aggconf c;
  struct letterconf def, ex;
  char err[PR_ERR_LEN] = "";

  assert_non_null(f);
  n = fread(text, 1, sizeof(text) - 1, f);
  fclose(f);
  text[n] = '\0';
  for(i = 0; i < letterconf_n_keys; i++) {
    int found = 0;
    const char *p = text;
    snprintf(want, sizeof(want), "%s =%s%s", letterconf_keys[i].key,
             letterconf_keys[i].def[0] ? " " : "", letterconf_keys[i].def);
    while(p && *p) {
      const char *e = strchr(p, '\n');
      size_t len = e ? (size_t)(e - p) : strlen(p);
      if(len < sizeof(line)) {
        memcpy(line, p, len);
        line[len] = '\0';
        if(!strcmp(line, want))
          found = 1;
      }
      p = e ? e + 1 : NULL;
    }
    if(!found)
      fail_msg("rost-agg.conf.example lacks the line \"%s\"", want);
  }
  /* Loaded, the example gives the same settings as the defaults. */
  aggconf_defaults(&c);
  if(aggconf_load(&c, PR_ASSETS_DIR "/agg/rost-agg.conf.example", err))
    fail_msg("%s", err);
  assert_int_equal(letterconf_load(NULL, 0, &def, err), PR_OK);
  assert_int_equal(letterconf_load(&c, 0, &ex, err), PR_OK);
  assert_memory_equal(&def, &ex, sizeof(def));
  assert_int_equal(def.rule, LETTERCONF_RULE_BOTH);
  assert_int_equal(def.goal_months, 2);
}

static void test_bad_values_named(void **state)
{
  struct aggconf c;
  struct letterconf lc;
  char err[PR_ERR_LEN] = "";

  aggconf_defaults(&c);
  assert_int_equal(aggconf_set(&c, "alert_rule", "sometimes", err), PR_OK);
  assert_int_equal(letterconf_load(&c, 0, &lc, err), PR_EINVAL);
  assert_non_null(strstr(err, "alert_rule"));
  aggconf_defaults(&c);
  assert_int_equal(aggconf_set(&c, "alert_goal_months", "0", err), PR_OK);
  assert_int_equal(letterconf_load(&c, 0, &lc, err), PR_EINVAL);
  assert_non_null(strstr(err, "alert_goal_months"));
  /* Sending needs an smtp:// or smtps:// URL and a sender. */
  aggconf_defaults(&c);
  assert_int_equal(letterconf_load(&c, 1, &lc, err), PR_EINVAL);
  assert_non_null(strstr(err, "smtp_url"));
  assert_int_equal(aggconf_set(&c, "smtp_url", "http://mail:25", err), PR_OK);
  assert_int_equal(letterconf_load(&c, 1, &lc, err), PR_EINVAL);
  assert_int_equal(aggconf_set(&c, "smtp_url", "smtps://mail:465", err), PR_OK);
  assert_int_equal(letterconf_load(&c, 1, &lc, err), PR_EINVAL);
  assert_non_null(strstr(err, "smtp_from"));
  assert_int_equal(aggconf_set(&c, "smtp_from", "a@b.se", err), PR_OK);
  assert_int_equal(letterconf_load(&c, 1, &lc, err), PR_OK);
  assert_int_equal(aggconf_set(&c, "smtp_password_file", "/nonexistent/pw",
                               err), PR_OK);
  assert_int_equal(letterconf_load(&c, 1, &lc, err), PR_EIO);
  assert_non_null(strstr(err, "smtp_password_file"));
  aggconf_defaults(&c);
  assert_int_equal(aggconf_set(&c, "letters_base_url", "http://x", err),
                   PR_OK);
  assert_int_equal(letterconf_load(&c, 0, &lc, err), PR_EINVAL);
}

static struct letterrule_cell cell(long pos, long n)
{
  struct letterrule_cell c = { 1, n, 0, 0, 0 };
  c.share = (double)pos / (double)n;
  indic_wilson(pos, n, INDIC_Z95, &c.lo, &c.hi);
  return c;
}

static void test_rules_drop_versus_noise(void **state)
{
  struct letterrule_cell big[4], small[4], hidden[4];
  struct letterrule_cell qa, qb;

  /* 85 of 100, then 50 of 100 twice: a real drop below a 75 % goal. */
  big[0] = cell(85, 100);
  big[1] = cell(85, 100);
  big[2] = cell(50, 100);
  big[3] = cell(50, 100);
  assert_true(letterrule_goal(big, 4, 2, 0.75, 5));
  /* One month under is not two. */
  assert_false(letterrule_goal(big, 3, 2, 0.75, 5));
  /* The same shares at n = 8: the interval still reaches the goal. */
  small[0] = cell(7, 8);
  small[1] = cell(7, 8);
  small[2] = cell(4, 8);
  small[3] = cell(4, 8);
  assert_false(letterrule_goal(small, 4, 2, 0.75, 5));
  /* A hidden cell is no evidence, nor a cell under min_n. */
  memcpy(hidden, big, sizeof(big));
  hidden[3].shown = 0;
  assert_false(letterrule_goal(hidden, 4, 2, 0.75, 5));
  assert_false(letterrule_goal(big, 4, 2, 0.75, 101));
  /* Quarters: 255/300 then 185/300 is a drop; 21/24 then 15/24 is not. */
  qa = cell(255, 300);
  qb = cell(185, 300);
  assert_true(letterrule_quarter(&qa, &qb, 5));
  qa = cell(21, 24);
  qb = cell(15, 24);
  assert_false(letterrule_quarter(&qa, &qb, 5));
  qb.shown = 0;
  assert_false(letterrule_quarter(&qa, &qb, 5));
}

static void test_backoff(void **state)
{
  struct letterconf lc;
  char err[PR_ERR_LEN];
  assert_int_equal(letterconf_load(NULL, 0, &lc, err), PR_OK);
  assert_int_equal(lettersend_backoff(&lc, 1), 300);
  assert_int_equal(lettersend_backoff(&lc, 2), 600);
  assert_int_equal(lettersend_backoff(&lc, 3), 1200);
  assert_int_equal(lettersend_backoff(&lc, 10), 21600);
  assert_int_equal(lettersend_backoff(&lc, 1000), 21600);
}

/* Decode every =?UTF-8?B?...?= word of a (folded) header value. */
static void decode_words(const char *hdr, char *out, size_t cap)
{
  const char *p = hdr;
  size_t o = 0;
  while((p = strstr(p, "=?UTF-8?B?")) != NULL) {
    const char *e = strstr(p + 10, "?=");
    unsigned char bin[200];
    size_t bl = 0;
    assert_non_null(e);
    assert_int_equal(sodium_base642bin(bin, sizeof(bin), p + 10,
                                       (size_t)(e - p - 10), NULL, &bl, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    assert_true(o + bl < cap);
    memcpy(out + o, bin, bl);
    o += bl;
    p = e + 2;
  }
  out[o] = '\0';
}

static void test_mime(void **state)
{
  const char *subj = "Patientröst: larm – Delaktighet har sjunkit "
                     "(SE2321000032-VC0001, 2026-K3) åäöÅÄÖ";
  unsigned char png[3] = { 1, 2, 3 };
  struct lettermime_img im;
  char *msg = NULL, dec[400];
  char err[PR_ERR_LEN] = "";
  size_t len = 0;
  const char *p, *s, *e;

  memset(&im, 0, sizeof(im));
  snprintf(im.cid, sizeof(im.cid), "trend-nojdhet@patientrost");
  snprintf(im.name, sizeof(im.name), "nojdhet.png");
  im.png = png;
  im.len = sizeof(png);
  assert_int_equal(lettermime_build("patientrost@region.se", "a@region.se",
                                    subj, 1790812800, "Hej – text",
                                    "<p>Hej</p><img src=\"cid:trend-nojdhet@"
                                    "patientrost\">", &im, 1, &msg, &len, err),
                   PR_OK);
  assert_non_null(strstr(msg, "Date: Thu, 01 Oct 2026 00:00:00 +0000\r\n"));
  assert_non_null(strstr(msg, "\r\nMessage-ID: <1790812800."));
  assert_non_null(strstr(msg, "@region.se>\r\n"));
  assert_non_null(strstr(msg, "MIME-Version: 1.0\r\n"));
  assert_non_null(strstr(msg, "multipart/alternative"));
  assert_non_null(strstr(msg, "multipart/related"));
  assert_non_null(strstr(msg, "Content-ID: <trend-nojdhet@patientrost>"));
  /* Every line under 78 characters, CRLF only. */
  for(p = msg; *p; ) {
    const char *nl = strstr(p, "\r\n");
    assert_non_null(nl);
    assert_true(nl - p <= 76);
    p = nl + 2;
  }
  /* The subject decodes back to the UTF-8 text. */
  s = strstr(msg, "\r\nSubject: ");
  assert_non_null(s);
  e = strstr(s, "\r\nDate:");
  assert_non_null(e);
  {
    char hdr[600];
    memcpy(hdr, s, (size_t)(e - s));
    hdr[e - s] = '\0';
    decode_words(hdr, dec, sizeof(dec));
  }
  assert_string_equal(dec, subj);
  pr_free(msg);
  /* An address that could inject a header is refused. */
  assert_int_equal(lettermime_build("patientrost@region.se",
                                    "a@region.se\r\nBcc: x@evil.example",
                                    "x", 0, "t", NULL, NULL, 0, &msg, &len,
                                    err), PR_EINVAL);
  assert_null(msg);
}

static void test_addresses(void **state)
{
  assert_true(letterdb_valid_email("kvalitet.vc1@region.example.se"));
  assert_false(letterdb_valid_email("ingen-snabel-a.se"));
  assert_false(letterdb_valid_email("a@b@c.se"));
  assert_false(letterdb_valid_email("a b@c.se"));
  assert_false(letterdb_valid_email("a@c.se\r\nBcc: x@y.se"));
  assert_false(letterdb_valid_email("<a@c.se>"));
  assert_false(letterdb_valid_email("a@localhost"));
  assert_false(letterdb_valid_email("a@c.se."));
  assert_false(letterdb_valid_email(""));
}

static void test_chart_png(void **state)
{
  struct letterchart_point u[12], r[12];
  char labels[12][INDIC_LABEL_LEN];
  unsigned char *png = NULL;
  size_t len = 0;
  char err[PR_ERR_LEN] = "";
  int i;

  for(i = 0; i < 12; i++) {
    u[i] = (struct letterchart_point){ i != 4, 0.7, 0.6, 0.8 };
    r[i] = (struct letterchart_point){ 1, 0.72, 0.7, 0.74 };
    snprintf(labels[i], sizeof(labels[i]), "2026-%02d", i + 1);
  }
  assert_int_equal(letterchart_png(u, r, 12, 0.75,
                                   (const char(*)[INDIC_LABEL_LEN])labels,
                                   &png, &len, err), PR_OK);
  assert_true(len > 200);
  assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
  pr_free(png);
  assert_int_equal(letterchart_png(u, r, 0, 0.75, NULL, &png, &len, err),
                   PR_EINVAL);
  letterchart_shutdown();
}

static void test_first_weekday(void **state)
{
  char d[11];
  /* 2026-08-01 is a Saturday: the letters go out on Monday the 3rd. */
  pdate_format(lettermake_first_weekday(pdate_from_ymd(2026, 8, 20)), d);
  assert_string_equal(d, "2026-08-03");
  pdate_format(lettermake_first_weekday(pdate_from_ymd(2026, 10, 1)), d);
  assert_string_equal(d, "2026-10-01");
  pdate_format(lettermake_first_weekday(pdate_from_ymd(2026, 11, 30)), d);
  assert_string_equal(d, "2026-11-02");
  /* Holidays: 1 January 2027 is a Friday; Easter Monday was 1 April 2024;
   * 1 May 2026 is a Friday; Good Friday 2029 is 30 March, Easter Monday
   * 2 April. */
  pdate_format(lettermake_first_weekday(pdate_from_ymd(2027, 1, 15)), d);
  assert_string_equal(d, "2027-01-04");
  pdate_format(lettermake_first_weekday(pdate_from_ymd(2024, 4, 9)), d);
  assert_string_equal(d, "2024-04-02");
  pdate_format(lettermake_first_weekday(pdate_from_ymd(2026, 5, 9)), d);
  assert_string_equal(d, "2026-05-04");
  assert_true(lettermake_holiday(pdate_from_ymd(2029, 3, 30)));
  assert_true(lettermake_holiday(pdate_from_ymd(2029, 4, 2)));
  assert_true(lettermake_holiday(pdate_from_ymd(2026, 5, 14)));  /* Ascension */
  assert_false(lettermake_holiday(pdate_from_ymd(2026, 5, 13)));
  assert_false(lettermake_holiday(pdate_from_ymd(2026, 10, 1)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_example_documents_every_key),
    cmocka_unit_test(test_bad_values_named),
    cmocka_unit_test(test_rules_drop_versus_noise),
    cmocka_unit_test(test_backoff),
    cmocka_unit_test(test_mime),
    cmocka_unit_test(test_addresses),
    cmocka_unit_test(test_chart_png),
    cmocka_unit_test(test_first_weekday),
  };
  if(pr_init() != PR_OK)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
