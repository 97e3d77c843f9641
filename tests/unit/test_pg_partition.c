/* test_pg_partition.c — This file contains the test of the "pg"
 * component's step 2 (aggdb_pg.c): on PostgreSQL (PR_AGG_TEST_DB) a
 * database as the previous release left it (pg step 1), holding responses
 * stored through the real ingest path, is migrated to responses and
 * answers hash-partitioned by uuid; every row, index and trigger is still
 * there, uuids stay unique across partitions, ingest and the indicator
 * query go on working.  On SQLite the step is recorded and does nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "agg_testdb.h"
#include "aggdb_pg.h"
#include "aggr_seed.h"
#include "indicq.h"
#include "pdate.h"

#define UA "SE2321000032-VC0001"
#define UB "SE2321000032-VC0002"

#define q agg_testdb_long

static void seed(struct aggr_seed *s, const char *unit, const char *period,
                 int pos, int neg)
{
  char err[PR_ERR_LEN] = "";

  if(aggr_seed_batch(s, unit, "kiosk-besok", 1, "kiosk", period, NULL, NULL,
                     pos, neg, 0, NULL, "complete", err) != 0)
    fail_msg("seed %s %s: %s", unit, period, err);
}

static void test_existing_database_migrates(void **state)
{
  struct aggr_seed s;
  char url[600], err[PR_ERR_LEN] = "";
  long long resp, ans;
  int pg;

  (void)state;
  agg_testdb_url("pg_partition", url, sizeof(url));
  {
    struct aggdb *db = NULL;
    if(aggdb_open(url, &db, err) != PR_OK)
      fail_msg("open: %s", err);
    assert_int_equal(agg_testdb_drop_all(db), 0);
    aggdb_close(db);
  }
  /* "agg" and "aggregates" as they are, "pg" only up to step 1. */
  if(aggr_seed_open(url, &s, err) != 0 ||
     aggdb_pg_migrate_to(s.db, 1, err) != PR_OK)
    fail_msg("old schema: %s", err);
  pg = aggdb_dialect(s.db) == AGGDB_POSTGRES;
  seed(&s, UA, "2026-01", 8, 2);
  seed(&s, UB, "2026-01", 12, 3);
  if(aggr_seed_batch(&s, UA, "ring-upp-utskrivning", 1, "phone", "2026-01",
                     "rod", "somatisk", 6, 1, 0, NULL, "complete", err) != 0)
    fail_msg("seed phone: %s", err);
  resp = q(s.db, "SELECT COUNT(*) FROM responses");
  ans = q(s.db, "SELECT COUNT(*) FROM answers");
  assert_int_equal(resp, 32);
  assert_true(ans > resp);
  assert_int_equal(aggr_seed_region_n(s.db), 25);

  if(aggdb_pg_migrate(s.db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses"), resp);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM answers"), ans);
  if(pg) {
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_class WHERE relname IN"
                     " ('responses', 'answers') AND relkind = 'p'"), 2);
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_inherits WHERE"
                     " inhparent = 'responses'::regclass"), 8);
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_inherits WHERE"
                     " inhparent = 'answers'::regclass"), 8);
    /* The rows really are spread over the partitions. */
    assert_true(q(s.db, "SELECT COUNT(DISTINCT tableoid) FROM responses") > 1);
    /* Secondary indexes and the phone trigger made again (the two
     * responses_mode_* indexes are dropped by component "ingest"). */
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_indexes WHERE tablename"
                     " = 'responses' AND indexname IN ('responses_unit_period',"
                     " 'responses_pkey')"), 2);
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid ="
                     " 'responses'::regclass AND tgname = 'phone_cut_trg'"), 1);
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_class WHERE relname ="
                     " 'responses_unpartitioned'"), 0);
  }
  /* uuids stay unique over every partition. */
  assert_int_equal(aggdb_exec1(s.db, "INSERT INTO responses SELECT * FROM"
                               " responses LIMIT 1", NULL, 0, NULL, err),
                   PR_ECONFLICT);
  /* Ingest and the query go on: the phone trigger still counts. */
  {
    long long phone = q(s.db, "SELECT COALESCE(SUM(n), 0) FROM phone_cut");
    if(aggr_seed_batch(&s, UA, "ring-upp-utskrivning", 1, "phone", "2026-01",
                       "rod", "somatisk", 2, 0, 0, NULL, "complete", err) != 0)
      fail_msg("seed phone after: %s", err);
    assert_int_equal(q(s.db, "SELECT COALESCE(SUM(n), 0) FROM phone_cut"),
                     phone + 2);
  }
  seed(&s, UA, "2026-01", 4, 0);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses"), resp + 6);
  assert_int_equal(aggr_seed_region_n(s.db), 29);
  /* Running the migration again changes nothing. */
  if(aggschema_migrate_all(s.db, err) != PR_OK)
    fail_msg("again: %s", err);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses"), resp + 6);
  aggr_seed_close(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_existing_database_migrates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
