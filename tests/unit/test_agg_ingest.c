/* This file contains the tests of the aggregator's ingest path without the
 * network: decoding hostile bodies, validating against a real question set
 * published into a real database, storing a batch with its counts,
 * idempotency (resend = duplicate), conflicts, and that a refused request
 * stores nothing.  Database from PR_AGG_TEST_DB (default: SQLite file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "agg_testdb.h"
#include "aggdev.h"
#include "aggschema.h"
#include "aggsets.h"
#include "ingest.h"

struct fx {
  struct aggdb *db;
  struct aggsets_cache *sc;
  struct aggdev dev;
  char token[AGGDEV_TOKEN_LEN];
};

static char *slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  size_t n;

  assert_non_null(f);
  buf = pr_malloc(1 << 20);
  assert_non_null(buf);
  n = fread(buf, 1, (1 << 20) - 1, f);
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

static int setup(void **state)
{
  struct fx *fx = calloc(1, sizeof(*fx));
  char url[600], err[PR_ERR_LEN] = "";
  size_t len;
  char *buf;

  agg_testdb_url("agg_ingest", url, sizeof(url));
  if(aggdb_open(url, &fx->db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(fx->db), 0);
  if(aggschema_migrate(fx->db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  buf = slurp(PR_TEST_DATA "/agg/test-set-v1.json", &len);
  if(aggsets_publish(fx->db, "v1", buf, len, NULL, err) != PR_OK)
    fail_msg("publish: %s", err);
  pr_free(buf);
  assert_int_equal(aggsets_cache_new(&fx->sc), PR_OK);
  assert_int_equal(aggdev_enrol(fx->db, "SE2321000032-VC0001", "Väntrum",
                                fx->token, &fx->dev, err), PR_OK);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fx *fx = *state;

  aggsets_cache_free(fx->sc);
  aggdb_close(fx->db);
  free(fx);
  return 0;
}

static long long count(struct fx *fx, const char *sql)
{
  struct aggdb_conn *c = NULL;
  long long v = -1;
  char err[PR_ERR_LEN];

  assert_int_equal(aggdb_acquire(fx->db, &c, err), PR_OK);
  if(aggdb_query_long(c, sql, NULL, 0, &v, NULL, err) != PR_OK)
    fail_msg("%s: %s", sql, err);
  aggdb_release(c);
  return v;
}

#define RESP(uuid, extra_answers) \
  "{\"uuid\":\"" uuid "\",\"set\":\"agg-test\",\"version\":1," \
  "\"mode\":\"kiosk\",\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\"," \
  "\"period\":\"2026-W47\",\"track\":null,\"care\":null,\"answers\":[" \
  extra_answers "]}"
#define GOOD_ANS "{\"q\":\"nojdhet\",\"a\":\"lite\"},{\"q\":\"battre\"," \
  "\"text\":\"Längre tider [telefonnummer]\"},{\"q\":\"delaktighet\",\"a\":\"mycket\"}"
#define U1 "3b1f0f3e-8a53-4f0e-9d0a-2f8f2c1a9b7e"
#define U2 "77aa0f3e-8a53-4f0e-9d0a-2f8f2c1a9b7e"
#define U3 "90c10f3e-8a53-4f0e-9d0a-2f8f2c1a9b7e"

static enum pr_rc post(struct fx *fx, const char *body, struct ingest_batch **b,
                       char *err)
{
  enum pr_rc rc = ingest_decode(body, strlen(body), 100, b, err);
  if(rc != PR_OK)
    return rc;
  return ingest_store(fx->db, fx->sc, &fx->dev, *b, NULL, err);
}

static void test_round_trip_and_idempotency(void **state)
{
  struct fx *fx = *state;
  struct ingest_batch *b = NULL;
  char err[PR_ERR_LEN] = "", *reply = NULL;
  size_t len;
  const char *body = "{\"protocol\":1,\"responses\":[" RESP(U1, GOOD_ANS) ","
      RESP(U2, "{\"q\":\"nojdhet\",\"a\":\"mycket\"},{\"q\":\"delaktighet\","
           "\"a\":\"vet_ej\"}") "]}";

  assert_int_equal(post(fx, body, &b, err), PR_OK);
  assert_int_equal(b->r[0].result, INGEST_STORED);
  assert_int_equal(b->r[1].result, INGEST_STORED);
  assert_int_equal(ingest_reply(b, &reply, &len), PR_OK);
  assert_non_null(strstr(reply, "\"status\":\"stored\""));
  pr_free(reply);
  ingest_batch_free(b);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM responses"), 2);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM answers"), 5);
  /* Counts: nojdhet 1 pos (mycket) + 1 neg (lite); delaktighet 1 pos
   * (mycket is positive in v1) + 1 dontknow. */
  assert_int_equal(count(fx, "SELECT pos FROM counts WHERE indicator = "
                         "'nojdhet'"), 1);
  assert_int_equal(count(fx, "SELECT neg FROM counts WHERE indicator = "
                         "'nojdhet'"), 1);
  assert_int_equal(count(fx, "SELECT dontknow FROM counts WHERE indicator = "
                         "'delaktighet'"), 1);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM counts WHERE unit = "
                         "'SE2321000032-VC0001' AND period_kind = 'week' AND "
                         "mode = 'kiosk' AND track = '' AND set_version = 1"),
                   2);
  /* The device's last contact, to the hour; nothing per response is timed. */
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM devices WHERE "
                         "last_sync IS NOT NULL AND last_sync % 3600 = 0"), 1);

  /* Resend after a lost reply: duplicates, nothing counted twice. */
  assert_int_equal(post(fx, body, &b, err), PR_OK);
  assert_int_equal(b->r[0].result, INGEST_DUPLICATE);
  assert_int_equal(b->r[1].result, INGEST_DUPLICATE);
  ingest_batch_free(b);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM responses"), 2);
  assert_int_equal(count(fx, "SELECT pos + neg + dontknow FROM counts WHERE "
                         "indicator = 'nojdhet'"), 2);

  /* Same uuid, different content: refused, never overwritten. */
  body = "{\"protocol\":1,\"responses\":[" RESP(U1, "{\"q\":\"nojdhet\","
         "\"a\":\"mycket\"},{\"q\":\"delaktighet\",\"a\":\"mycket\"}") "]}";
  assert_int_equal(post(fx, body, &b, err), PR_OK);
  assert_int_equal(b->r[0].result, INGEST_REJECTED);
  assert_non_null(strstr(b->r[0].reason, "conflict"));
  ingest_batch_free(b);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM answers WHERE uuid = '"
                         U1 "' AND option = 'lite'"), 1);
  assert_int_equal(count(fx, "SELECT pos FROM counts WHERE indicator = "
                         "'nojdhet'"), 1);
}

static void test_semantic_rejects(void **state)
{
  struct fx *fx = *state;
  static const struct { const char *resp, *reason; } cases[] = {
    { "{\"uuid\":\"" U3 "\",\"set\":\"nosuch\",\"version\":1,\"mode\":\"kiosk\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-W47\",\"answers\":[]}", "unknown set" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":9,\"mode\":\"kiosk\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-W47\",\"answers\":[]}", "unknown set or version" },
    { RESP(U3, "{\"q\":\"nojdhet\",\"a\":\"ja\"},{\"q\":\"delaktighet\","
           "\"a\":\"mycket\"}"), "unknown option" },
    { RESP(U3, "{\"q\":\"x\",\"a\":\"ja\"}"), "unknown question" },
    { RESP(U3, "{\"q\":\"nojdhet\",\"a\":\"mycket\"},{\"q\":\"nojdhet\","
           "\"a\":\"mycket\"}"), "answered twice" },
    { RESP(U3, "{\"q\":\"nojdhet\",\"a\":\"mycket\"}"), "lacks an answer" },
    { RESP(U3, "{\"q\":\"nojdhet\",\"a\":\"mycket\"},{\"q\":\"battre\","
           "\"text\":\"x\"},{\"q\":\"delaktighet\",\"a\":\"mycket\"}"),
      "not asked" },
    { RESP(U3, "{\"q\":\"trygghet\",\"a\":\"mycket\"}"), "not asked in kiosk" },
    { RESP(U3, "{\"q\":\"nojdhet\",\"text\":\"hej\"}"), "takes an option" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":1,\"mode\":\"kiosk\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-W54\",\"answers\":[]}", "malformed period" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":1,\"mode\":\"kiosk\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-11-24\",\"answers\":[]}", "malformed period" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":1,\"mode\":\"kiosk\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2031-01\",\"answers\":[]}", "out of range" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":1,\"mode\":\"kiosk\","
      "\"lang\":\"fi\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-11\",\"answers\":[]}", "language" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":1,\"mode\":\"kiosk\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-11\",\"track\":\"gul\",\"answers\":[]}", "phone responses only" },
    { "{\"uuid\":\"" U3 "\",\"set\":\"agg-test\",\"version\":1,\"mode\":\"tv\","
      "\"lang\":\"sv\",\"proxy\":false,\"status\":\"complete\",\"period\":"
      "\"2026-11\",\"answers\":[]}", "unknown mode" },
  };
  char body[4096], err[PR_ERR_LEN];
  size_t i;

  for(i = 0; i < PR_ARRAY_LEN(cases); i++) {
    struct ingest_batch *b = NULL;
    snprintf(body, sizeof(body), "{\"protocol\":1,\"responses\":[%s]}",
             cases[i].resp);
    if(post(fx, body, &b, err) != PR_OK)
      fail_msg("case %zu: %s", i, err);
    assert_int_equal(b->r[0].result, INGEST_REJECTED);
    if(!strstr(b->r[0].reason, cases[i].reason))
      fail_msg("case %zu: reason \"%s\", expected \"%s\"", i, b->r[0].reason,
               cases[i].reason);
    ingest_batch_free(b);
  }
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM responses"), 0);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM counts"), 0);
}

static void test_structural_refusals(void **state)
{
  static const struct { const char *body; enum pr_rc rc; const char *msg; }
  cases[] = {
    { "", PR_EINVAL, "not valid JSON" },
    { "<html>captive</html>", PR_EINVAL, "not valid JSON" },
    { "[1,2]", PR_EINVAL, "object" },
    { "{\"protocol\":2,\"responses\":[]}", PR_EINVAL, "protocol" },
    { "{\"protocol\":1,\"responses\":{}}", PR_EINVAL, "list" },
    { "{\"protocol\":1,\"responses\":[],\"x\":1}", PR_EINVAL, "unknown member" },
    { "{\"protocol\":1,\"protocol\":1,\"responses\":[]}", PR_EINVAL, "JSON" },
    { "{\"protocol\":1,\"responses\":[" RESP("not-a-uuid", "") "]}",
      PR_EINVAL, "not a UUID" },
    { "{\"protocol\":1,\"responses\":[{\"uuid\":\"" U1 "\",\"set\":1}]}",
      PR_EINVAL, "expected a string" },
    { "{\"protocol\":1,\"responses\":[{\"uuid\":\"" U1 "\",\"set\":\"a\","
      "\"mode\":\"kiosk\",\"lang\":\"sv\",\"status\":\"complete\",\"period\":"
      "\"2026-11\",\"version\":\"1\",\"proxy\":false,\"answers\":[]}]}",
      PR_EINVAL, "version" },
    { "{\"protocol\":1,\"responses\":[{\"uuid\":\"" U1 "\",\"set\":\"a\","
      "\"mode\":\"kiosk\",\"lang\":\"sv\",\"status\":\"complete\",\"period\":"
      "\"2026-11\",\"version\":1,\"proxy\":0,\"answers\":[]}]}",
      PR_EINVAL, "proxy" },
    { "{\"protocol\":1,\"responses\":[" RESP(U1, "{\"q\":\"nojdhet\"}") "]}",
      PR_EINVAL, "exactly one" },
    { "{\"protocol\":1,\"responses\":[" RESP(U1, "{\"q\":\"nojdhet\","
      "\"a\":\"x\",\"name\":\"Anna\"}") "]}", PR_EINVAL, "unknown member" },
    { "{\"protocol\":1,\"responses\":[\"" U1 "\"]}", PR_EINVAL, "object" },
    { "{\"protocol\":1,\"responses\":[" RESP(U1, "") "]} trailing",
      PR_EINVAL, "JSON" },
    { "{\"protocol\":1,\"responses\":[{\"uuid\":\"" U1 "\",\"set\":\"a\xff\"}]}",
      PR_EINVAL, "JSON" },
    { "{\"protocol\":1,\"responses\":[{\"uuid\":\"" U1 "\",\"set\":\"a\\u0000b\"}]}",
      PR_EINVAL, "JSON" },
  };
  char err[PR_ERR_LEN];
  size_t i;

  for(i = 0; i < PR_ARRAY_LEN(cases); i++) {
    struct ingest_batch *b = (struct ingest_batch *)1;
    enum pr_rc rc = ingest_decode(cases[i].body, strlen(cases[i].body), 100,
                                  &b, err);
    if(rc != cases[i].rc || !strstr(err, cases[i].msg))
      fail_msg("case %zu: rc %d err \"%s\", expected \"%s\"", i, rc, err,
               cases[i].msg);
    assert_null(b);
  }
  /* Too many responses is its own class (429). */
  {
    char big[20000];
    size_t off = (size_t)snprintf(big, sizeof(big),
                                  "{\"protocol\":1,\"responses\":[");
    struct ingest_batch *b = NULL;
    for(i = 0; i < 101; i++)
      off += (size_t)snprintf(big + off, sizeof(big) - off, "%s{}",
                              i ? "," : "");
    snprintf(big + off, sizeof(big) - off, "]}");
    assert_int_equal(ingest_decode(big, strlen(big), 100, &b, err),
                     PR_ELIMIT);
    assert_null(b);
  }
}

static void test_mixed_batch_and_versions(void **state)
{
  struct fx *fx = *state;
  struct ingest_batch *b = NULL;
  char err[PR_ERR_LEN] = "", *buf;
  size_t len;
  /* v2 makes "lite" negative for delaktighet; v1 responses stay valid. */
  buf = NULL;
  {
    FILE *f = fopen(PR_TEST_DATA "/agg/test-set-v2.json", "rb");
    assert_non_null(f);
    buf = pr_malloc(65536);
    len = fread(buf, 1, 65535, f);
    fclose(f);
  }
  assert_int_equal(aggsets_publish(fx->db, "v2", buf, len, NULL, err), PR_OK);
  pr_free(buf);
  {
    const char *body = "{\"protocol\":1,\"responses\":["
      RESP(U1, "{\"q\":\"nojdhet\",\"a\":\"mycket\"},{\"q\":\"delaktighet\","
           "\"a\":\"lite\"}") ","
      "{\"uuid\":\"" U2 "\",\"set\":\"agg-test\",\"version\":2,\"mode\":"
      "\"phone\",\"lang\":\"sv\",\"proxy\":true,\"status\":\"abandoned\","
      "\"period\":\"2026-11\",\"track\":\"gul\",\"care\":\"somatisk\","
      "\"answers\":[{\"q\":\"delaktighet\",\"a\":\"lite\"}]},"
      RESP(U3, "{\"q\":\"bogus\",\"a\":\"x\"}") "]}";
    assert_int_equal(post(fx, body, &b, err), PR_OK);
  }
  assert_int_equal(b->r[0].result, INGEST_STORED);
  assert_int_equal(b->r[1].result, INGEST_STORED);
  assert_int_equal(b->r[2].result, INGEST_REJECTED);
  ingest_batch_free(b);
  assert_int_equal(count(fx, "SELECT pos FROM counts WHERE indicator = "
                         "'delaktighet' AND set_version = 1"), 1);
  assert_int_equal(count(fx, "SELECT neg FROM counts WHERE indicator = "
                         "'delaktighet' AND set_version = 2 AND track = 'gul'"
                         " AND care = 'somatisk' AND period_kind = 'month'"),
                   1);
}

/* A database that cannot be written (another process holds an exclusive
 * lock) is "unavailable": PR_EBUSY (-> 503 + Retry-After), no verdict
 * left that could be acknowledged, and nothing stored. */
static void test_unavailable_acknowledges_nothing(void **state)
{
  struct fx *fx = *state;
  struct ingest_batch *b = NULL;
  char err[PR_ERR_LEN] = "", path[600];
  const char *body = "{\"protocol\":1,\"responses\":[" RESP(U1, GOOD_ANS) "]}";
  sqlite3 *h = NULL;
  int i;

  if(agg_testdb_is_pg())
    skip();                 /* "pg" kills its server mid-ingest instead */
  snprintf(path, sizeof(path), "%s/agg_ingest.db", PR_TEST_OUT);
  assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
  assert_int_equal(sqlite3_exec(h, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
                   SQLITE_OK);
  assert_int_equal(ingest_decode(body, strlen(body), 100, &b, err), PR_OK);
  assert_int_equal(ingest_store(fx->db, fx->sc, &fx->dev, b, NULL, err),
                   PR_EBUSY);
  for(i = 0; i < b->n; i++)
    assert_int_not_equal(b->r[i].result, INGEST_STORED);
  ingest_batch_free(b);
  sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(h);
  assert_int_equal(count(fx, "SELECT COUNT(*) FROM responses"), 0);
  /* And once the lock is gone the same batch goes in. */
  assert_int_equal(post(fx, body, &b, err), PR_OK);
  assert_int_equal(b->r[0].result, INGEST_STORED);
  ingest_batch_free(b);
}

/* No time of arrival per response (a kiosk syncs soon after a patient
 * finishes, so it would be the finish time), and an old database loses
 * the column and its values when it is migrated. */
static void test_no_arrival_time(void **state)
{
  struct aggdb *db = NULL;
  struct aggdb_conn *c = NULL;
  char url[600], err[PR_ERR_LEN] = "";
  long long n = -1, at = -1;
  int found = 0;
  (void)state;

  agg_testdb_url("agg_upgrade", url, sizeof(url));
  if(aggdb_open(url, &db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(db), 0);
  assert_int_equal(aggschema_migrate_to(db, 1, err), PR_OK);
  assert_int_equal(aggdb_exec1(db, "INSERT INTO devices (id, unit, name,"
                               " token_hash, created_at, last_sync, last_count)"
                               " VALUES ('kold', 'SE2321000032-VC0001', 'x',"
                               " 'h', 1, 1795001234, 3)", NULL, 0, NULL, err),
                   PR_OK);
  assert_int_equal(aggdb_exec1(db, "INSERT INTO responses VALUES ('u1',"
                               " 'SE2321000032-VC0001', 'kold', 's', 1,"
                               " 'kiosk', 'sv', 0, 'complete', 'week', 20000,"
                               " '2024-W40', '', '', 'h', 1795001234)", NULL, 0,
                               NULL, err), PR_OK);
  if(aggschema_migrate(db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  assert_int_equal(aggdb_query_long(c, aggdb_dialect(db) == AGGDB_POSTGRES
      ? "SELECT COUNT(*) FROM information_schema.columns WHERE table_name ="
        " 'responses' AND column_name IN ('received_at', 'created_at',"
        " 'stored_at', 'finished_at')"
      : "SELECT COUNT(*) FROM pragma_table_info('responses') WHERE name IN"
        " ('received_at', 'created_at', 'stored_at', 'finished_at')",
      NULL, 0, &n, &found, err), PR_OK);
  assert_int_equal(n, 0);
  assert_int_equal(aggdb_query_long(c, "SELECT last_sync FROM devices WHERE"
                                    " id = 'kold'", NULL, 0, &at, &found, err),
                   PR_OK);
  assert_int_equal(at, 1795001234LL - 1795001234LL % 3600);
  assert_int_equal(aggdb_query_long(c, "SELECT COUNT(*) FROM responses", NULL,
                                    0, &n, &found, err), PR_OK);
  assert_int_equal(n, 1);
  aggdb_release(c);
  aggdb_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_round_trip_and_idempotency, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_semantic_rejects, setup, teardown),
    cmocka_unit_test(test_structural_refusals),
    cmocka_unit_test(test_no_arrival_time),
    cmocka_unit_test_setup_teardown(test_mixed_batch_and_versions, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_unavailable_acknowledges_nothing,
                                    setup, teardown),
  };
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_ERROR);
  setenv("PATIENTROST_NOW", "1795478400", 1);   /* 2026-11-24 */
  return cmocka_run_group_tests(tests, NULL, NULL);
}
