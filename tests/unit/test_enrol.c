/* This file contains the tests of enrolment by one-time code: the code's
 * alphabet, grouping and normalisation of what a person types (case,
 * dashes, spaces, the confusable 0/O/1/I/L named), the check part bound to
 * the key pin, the key pin of a certificate, and on the aggregator's side
 * the stored hash (never the code), use once, expiry, the per-code lock,
 * the rate limit per address and in all, re-enrolment revoking the old
 * token, and a kiosk's status report.  Database from PR_AGG_TEST_DB or a
 * fresh SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"
#include "aggdev.h"
#include "aggschema.h"
#include "enrol.h"
#include "enrolcode.h"
#include "fleet.h"

#define PIN "sha256//MEGkun9BcR+7FLg5KZJzxKeHhSMmN5EOZS/FgkUjZSQ="
#define PIN2 "sha256//AAAAun9BcR+7FLg5KZJzxKeHhSMmN5EOZS/FgkUjZSQ="
#define UNIT "SE2321000032-VC0001"

static struct aggdb *fresh(void)
{
  struct aggdb *db = NULL;
  char url[600], err[PR_ERR_LEN] = "";

  agg_testdb_url("enrol", url, sizeof(url));
  if(aggdb_open(url, &db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(db), 0);
  if(aggschema_migrate_all(db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  return db;
}

static long long count(struct aggdb *db, const char *sql)
{
  struct aggdb_conn *c = NULL;
  long long n = -1;
  int found = 0;

  assert_int_equal(aggdb_acquire(db, &c, NULL), PR_OK);
  assert_int_equal(aggdb_query_long(c, sql, NULL, 0, &n, &found, NULL),
                   PR_OK);
  aggdb_release(c);
  return n;
}

static void test_code_shape(void **state)
{
  char code[ENROLCODE_LEN + 1], shown[ENROLCODE_SHOWN + 1];
  int i, k, seen[256] = {0};

  for(i = 0; i < 300; i++) {
    enrolcode_new(PIN, code);
    assert_int_equal(strlen(code), ENROLCODE_LEN);
    for(k = 0; k < ENROLCODE_LEN; k++) {
      assert_non_null(strchr(ENROLCODE_ALPHABET, code[k]));
      seen[(unsigned char)code[k]]++;
    }
    assert_true(enrolcode_matches_pin(code, PIN));
    assert_false(enrolcode_matches_pin(code, PIN2));
  }
  /* no confusable character is ever made, and the alphabet is used */
  assert_int_equal(seen['0'] + seen['O'] + seen['1'] + seen['I'] +
                   seen['L'] + seen['l'], 0);
  for(k = 0; ENROLCODE_ALPHABET[k]; k++)
    assert_true(seen[(unsigned char)ENROLCODE_ALPHABET[k]] > 0);
  enrolcode_format("K7QM4XPT9HWN", shown);
  assert_string_equal(shown, "K7QM-4XPT-9HWN");
}

static void test_normalise(void **state)
{
  char out[ENROLCODE_LEN + 1], err[PR_ERR_LEN];

  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HWN", out, err), PR_OK);
  assert_string_equal(out, "K7QM4XPT9HWN");
  assert_int_equal(enrolcode_normalise("  k7qm 4xpt\t9hwn ", out, err),
                   PR_OK);
  assert_string_equal(out, "K7QM4XPT9HWN");
  assert_int_equal(enrolcode_normalise("k7qm.4xpt_9hwn", out, err), PR_OK);
  assert_string_equal(out, "K7QM4XPT9HWN");
  /* the confusables are named, never guessed */
  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HW0", out, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "\"0\""));
  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HWo", out, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "\"o\""));
  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HWl", out, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "inga 0, O, 1, I eller L"));
  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HW", out, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "för kort: 11 av 12"));
  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HWNN", out, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "för lång"));
  assert_int_equal(enrolcode_normalise("K7QM-4XPT-9HWÅ", out, err),
                   PR_EINVAL);
  assert_int_equal(enrolcode_normalise(NULL, out, err), PR_EINVAL);
  assert_int_equal(enrolcode_normalise("", out, err), PR_EINVAL);
}

/* A certificate made with openssl for this test; its pin as openssl
 * computes it (x509 -pubkey | pkey -pubin -outform der | dgst -sha256). */
static const char test_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBejCCASGgAwIBAgIUSLpGwpABin9ucVuEnrsulLkvIXowCgYIKoZIzj0EAwIw\n"
  "EzERMA8GA1UEAwwIcGluLXRlc3QwHhcNMjYxMjAzMDMxNzQxWhcNMzYxMTMwMDMx\n"
  "NzQxWjATMREwDwYDVQQDDAhwaW4tdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEH\n"
  "A0IABPdY9tDHu0nG4cJR5GPR4n++1gjY5SqhfxWkqNOKpSLnxCIBEswts8SuslzO\n"
  "I1QruJwbOyP3vt6urRyQac4dWSKjUzBRMB0GA1UdDgQWBBSbqwzan0nnCniyCR8M\n"
  "luZnfV4KVjAfBgNVHSMEGDAWgBSbqwzan0nnCniyCR8MluZnfV4KVjAPBgNVHRMB\n"
  "Af8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIAfeaciWzz7Uo3l7ep7rcBQRlcwr\n"
  "ZchS5YzPdwfLoOBKAiA3HoBYlqcI8h7B+dznmqcEJf/75oNZ050b6ZAD4W05CQ==\n"
  "-----END CERTIFICATE-----\n";
#define TEST_PEM_PIN "sha256//jiBpMAlQaZVuKgYIWRnHM0FfMIfvy+Q3r0igP6IA1Ps="

static void test_pin_from_pem(void **state)
{
  char pin[ENROLCODE_PIN_LEN], grouped[96], err[PR_ERR_LEN];

  assert_int_equal(enrolcode_pin_from_pem(test_pem, pin, err), PR_OK);
  assert_string_equal(pin, TEST_PEM_PIN);
  enrolcode_pin_grouped(pin, grouped, sizeof(grouped));
  assert_string_equal(grouped, "jiBp MAlQ aZVu KgYI WRnH M0Ff MIfv y+Q3 "
                      "r0ig P6IA 1Ps=");
  assert_int_equal(enrolcode_pin_from_pem("no pem here", pin, err),
                   PR_EINVAL);
  assert_string_equal(pin, "");
}

static void test_redeem(void **state)
{
  struct aggdb *db = fresh();
  struct enrol_result r;
  char code[ENROLCODE_LEN + 1], code2[ENROLCODE_LEN + 1], err[PR_ERR_LEN];
  char wrong[ENROLCODE_LEN + 1], typed[40];
  struct aggdb_param p[1];
  long long exp = 0;

  assert_int_equal(enrol_create(db, UNIT, "Väntrum plan 2", PIN, 86400,
                                code, &exp, err), PR_OK);
  assert_true(exp > 0);
  /* only a hash is stored: the code is nowhere in the table */
  assert_int_equal(count(db, "SELECT COUNT(*) FROM enrol_codes"), 1);
  {
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM enrol_codes WHERE "
             "hash LIKE '%%%.8s%%' OR name LIKE '%%%.8s%%'", code, code);
    assert_int_equal(count(db, sql), 0);
  }
  /* a wrong check part (another server's key): refused, counted */
  memcpy(wrong, code, sizeof(wrong));
  enrolcode_check(wrong, PIN2, wrong + ENROLCODE_SECRET);
  assert_int_equal(enrol_redeem(db, wrong, PIN, "10.0.0.1", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_MISMATCH);
  assert_int_equal(count(db, "SELECT attempts FROM enrol_codes"), 1);
  /* typed in lower case with spaces: the right code */
  snprintf(typed, sizeof(typed), "%.4s %.4s-%.4s", code, code + 4,
           code + 8);
  for(char *c = typed; *c; c++)
    if(*c >= 'A' && *c <= 'Z')
      *c = (char)(*c - 'A' + 'a');
  assert_int_equal(enrol_redeem(db, typed, PIN, "10.0.0.1", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_OK);
  assert_int_equal(strlen(r.token), 82);
  assert_string_equal(r.dev.unit, UNIT);
  assert_string_equal(r.dev.name, "Väntrum plan 2");
  assert_int_equal(count(db, "SELECT COUNT(*) FROM devices"), 1);
  /* used: once only */
  assert_int_equal(enrol_redeem(db, code, PIN, "10.0.0.1", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_USED);
  assert_int_equal(enrol_status(r.outcome), 410);
  assert_string_equal(r.token, "");
  /* re-enrolment of the same unit and name revokes the old token */
  assert_int_equal(enrol_create(db, UNIT, "Väntrum plan 2", PIN, 86400,
                                code2, NULL, err), PR_OK);
  assert_int_equal(enrol_redeem(db, code2, PIN, "10.0.0.2", "kdoesnotexist",
                                &r, err), PR_OK);
  assert_int_equal(r.outcome, ENROL_OK);
  assert_int_equal(r.revoked, 1);
  assert_int_equal(count(db, "SELECT COUNT(*) FROM devices WHERE "
                   "revoked_at IS NULL"), 1);
  /* re-enrolment under another name: the kiosk's old device id (from its
   * enrolment record) is revoked, in the code's unit only */
  {
    struct aggdev other, mine;
    char t1[AGGDEV_TOKEN_LEN], t2[AGGDEV_TOKEN_LEN];
    assert_int_equal(aggdev_enrol(db, UNIT, "Gammalt namn", t1, &mine, err),
                     PR_OK);
    assert_int_equal(aggdev_enrol(db, "SE2321000032-VC0099", "Annan enhet",
                                  t2, &other, err), PR_OK);
    assert_int_equal(enrol_create(db, UNIT, "Nytt namn", PIN, 86400, code2,
                                  NULL, err), PR_OK);
    assert_int_equal(enrol_redeem(db, code2, PIN, "10.0.0.4", mine.id, &r,
                                  err), PR_OK);
    assert_int_equal(r.outcome, ENROL_OK);
    assert_int_equal(r.revoked, 1);
    assert_int_equal(enrol_create(db, UNIT, "Tredje", PIN, 86400, code2,
                                  NULL, err), PR_OK);
    assert_int_equal(enrol_redeem(db, code2, PIN, "10.0.0.4", other.id, &r,
                                  err), PR_OK);
    assert_int_equal(r.outcome, ENROL_OK);
    assert_int_equal(r.revoked, 0);     /* another unit's device stays */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM devices WHERE name = "
                     "'Annan enhet' AND revoked_at IS NULL"), 1);
  }
  /* expired */
  assert_int_equal(enrol_create(db, UNIT, "Väntrum 3", PIN, 3600, code2,
                                NULL, err), PR_OK);
  p[0] = AGGDB_TEXT(UNIT);
  assert_int_equal(aggdb_exec1(db, "UPDATE enrol_codes SET expires_at = 1 "
                               "WHERE name = 'Väntrum 3' AND unit = $1", p, 1,
                               NULL, err), PR_OK);
  assert_int_equal(enrol_redeem(db, code2, PIN, "10.0.0.3", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_EXPIRED);
  assert_non_null(strstr(r.msg, "gått ut"));
  /* unknown and malformed */
  assert_int_equal(enrol_redeem(db, "2222-3333-4444", PIN, "10.0.0.3", NULL,
                                &r, err), PR_OK);
  assert_int_equal(r.outcome, ENROL_UNKNOWN);
  assert_int_equal(enrol_redeem(db, "hello", PIN, "10.0.0.3", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_BAD_FORMAT);
  assert_int_equal(count(db, "SELECT COUNT(*) FROM devices"), 6);
  /* every refusal is in the audit log */
  assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE what = "
                   "'enrol-refused'"), 5);
  assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE what = "
                   "'enrol'"), 4);
  /* bad input to create */
  assert_int_equal(enrol_create(db, "12345", "x", PIN, 86400, code2, NULL,
                                err), PR_EINVAL);
  assert_int_equal(enrol_create(db, UNIT, "x", PIN, 10, code2, NULL, err),
                   PR_EINVAL);
  aggdb_close(db);
}

static void test_limits(void **state)
{
  struct aggdb *db = fresh();
  struct enrol_result r;
  char code[ENROLCODE_LEN + 1], wrong[ENROLCODE_LEN + 1], err[PR_ERR_LEN];
  int i;

  /* per code: the check part wrong ENROL_CODE_ATTEMPTS times locks it,
   * even for the right code afterwards */
  assert_int_equal(enrol_create(db, UNIT, "Lås", PIN, 86400, code, NULL,
                                err), PR_OK);
  memcpy(wrong, code, sizeof(wrong));
  enrolcode_check(wrong, PIN2, wrong + ENROLCODE_SECRET);
  for(i = 0; i < ENROL_CODE_ATTEMPTS; i++) {
    char peer[32];
    snprintf(peer, sizeof(peer), "10.1.0.%d", i);   /* spread addresses */
    assert_int_equal(enrol_redeem(db, wrong, PIN, peer, NULL, &r, err),
                     PR_OK);
    assert_int_equal(r.outcome, ENROL_MISMATCH);
  }
  assert_int_equal(enrol_redeem(db, code, PIN, "10.1.1.1", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_LOCKED);
  /* per address: ENROL_IP_FAILURES guesses, then 429 even for a good
   * code, and nothing enrolled */
  assert_int_equal(enrol_create(db, UNIT, "Bra", PIN, 86400, code, NULL,
                                err), PR_OK);
  for(i = 0; i < ENROL_IP_FAILURES; i++) {
    char guess[ENROLCODE_LEN + 1];
    enrolcode_new(PIN, guess);
    assert_int_equal(enrol_redeem(db, guess, PIN, "10.2.0.1", NULL, &r, err),
                     PR_OK);
    assert_int_equal(r.outcome, ENROL_UNKNOWN);
  }
  assert_int_equal(enrol_redeem(db, code, PIN, "10.2.0.1", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_LIMITED);
  assert_int_equal(enrol_status(r.outcome), 429);
  assert_int_equal(count(db, "SELECT COUNT(*) FROM devices"), 0);
  /* another address still may */
  assert_int_equal(enrol_redeem(db, code, PIN, "10.2.0.2", NULL, &r, err),
                   PR_OK);
  assert_int_equal(r.outcome, ENROL_OK);
  aggdb_close(db);
}

static void test_fleet_report(void **state)
{
  struct aggdb *db = fresh();
  struct aggdev d;
  struct fleet_row *v = NULL;
  char tok[AGGDEV_TOKEN_LEN], err[PR_ERR_LEN], *m = NULL;
  int n = 0;
  const char *ok = "{\"software\":\"0.1.0\",\"sets\":[{\"id\":\"kiosk-besok\","
                   "\"version\":3},{\"id\":\"ringupp\",\"version\":1}],"
                   "\"queue\":12}";
  static const char *const bad[] = {
    "", "[]", "{\"software\":\"\",\"sets\":[],\"queue\":1}",
    "{\"software\":\"1<script>\",\"sets\":[],\"queue\":1}",
    "{\"software\":\"1\",\"sets\":[],\"queue\":-1}",
    "{\"software\":\"1\",\"sets\":[{\"id\":\"a b\",\"version\":1}],"
    "\"queue\":1}",
    "{\"software\":\"1\",\"sets\":[{\"id\":\"a\",\"version\":0}],\"queue\":1}",
    "{\"software\":\"1\",\"sets\":{},\"queue\":1}",
  };

  assert_int_equal(aggdev_enrol(db, UNIT, "A", tok, &d, err), PR_OK);
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++)
    if(fleet_report(db, d.id, bad[i], strlen(bad[i]), 7200, err) !=
       PR_EINVAL)
      fail_msg("accepted report %zu: %s", i, bad[i]);
  assert_int_equal(fleet_report(db, d.id, ok, strlen(ok), 7300, err), PR_OK);
  assert_int_equal(fleet_list(db, "-queue", &v, &n, err), PR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(v[0].software, "0.1.0");
  assert_string_equal(v[0].sets, "kiosk-besok v3, ringupp v1");
  assert_int_equal(v[0].queue, 12);
  assert_int_equal(v[0].reported_at, 7200);        /* to the hour */
  assert_true(fleet_stale(&v[0], 10 * 86400, 2));  /* never synced */
  pr_free(v);
  assert_int_equal(fleet_metrics(db, &m, err), PR_OK);
  assert_non_null(strstr(m, "rost_agg_device_queue{device=\""));
  assert_non_null(strstr(m, "unit=\"" UNIT "\"} 12\n"));
  assert_non_null(strstr(m, ",set=\"kiosk-besok\"} 3\n"));
  assert_non_null(strstr(m, "software=\"0.1.0\"} 1\n"));
  pr_free(m);
  aggdb_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_code_shape),
    cmocka_unit_test(test_normalise),
    cmocka_unit_test(test_pin_from_pem),
    cmocka_unit_test(test_redeem),
    cmocka_unit_test(test_limits),
    cmocka_unit_test(test_fleet_report),
  };
  if(pr_init() != PR_OK)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
