/* This file contains the tests of schema component "ingest"
 * (ingest_store.c): an existing database — every other component
 * migrated, responses with answers and comments stored — is converted
 * without losing or changing a row, the comments and figures read the same
 * afterwards, the unused indexes are gone, SQLite's responses is a rowid
 * table with its triggers made again, and ingest goes on: a resent
 * response is a duplicate and adds no answer rows.  Runs on SQLite and,
 * as pg_test_ingest_schema, on PostgreSQL (PR_AGG_TEST_DB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"
#include "aggr_seed.h"
#include "aggsrv.h"
#include "commentq.h"
#include "indicq.h"
#include "pdate.h"

#define UA "SE2321000032-VC0001"
#define UB "SE2321000032-VC0002"

static long long q(struct aggdb *db, const char *sql)
{
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  long long v = -1;
  int found = 0;

  if(aggdb_acquire(db, &c, err) != PR_OK ||
     aggdb_query_long(c, sql, NULL, 0, &v, &found, err) != PR_OK)
    fail_msg("%s: %s", sql, err);
  aggdb_release(c);
  return v;
}

/* Every answer and response row folded into numbers, the same on both
 * stores. */
static void rows_print(struct aggdb *db, long long out[5])
{
  out[0] = q(db, "SELECT COUNT(*) FROM answers");
  out[1] = q(db, "SELECT COUNT(text) FROM answers");
  out[2] = q(db, "SELECT SUM(LENGTH(uuid || '|' || question || '|' ||"
             " indicator || '|' || COALESCE(option, '-') || '|' ||"
             " COALESCE(value, '-') || '|' || COALESCE(text, '-')))"
             " FROM answers");
  out[3] = q(db, "SELECT COUNT(*) FROM responses");
  out[4] = q(db, "SELECT SUM(LENGTH(uuid || unit || device || set_id ||"
             " set_version || mode || lang || proxy || status || period_kind"
             " || period_start || period || track || care || content_hash))"
             " FROM responses");
}

static int n_index(struct aggdb *db, const char *name)
{
  char sql[300];

  snprintf(sql, sizeof(sql), aggdb_dialect(db) == AGGDB_POSTGRES
           ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = '%s'"
           : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
             " AND name = '%s'", name);
  return (int)q(db, sql);
}

static int comments(struct aggdb *db, const char *unit)
{
  struct indicq_filter f;
  struct commentq_comment *cm = NULL;
  char err[PR_ERR_LEN] = "";
  int n = 0;

  indicq_filter_default(&f);
  pr_strlcpy(f.unit, unit, sizeof(f.unit));
  f.period = INDIC_MONTH;
  f.from = pdate_from_ymd(2026, 1, 1);
  f.to = pdate_from_ymd(2026, 3, 31);
  if(commentq_list(db, &f, "", 100, NULL, 0, &cm, &n, err) != PR_OK)
    fail_msg("comments: %s", err);
  commentq_free(cm, n);
  return n;
}

/* Store one fixed kiosk response with a comment for unit UA; returns its
 * verdict. */
static enum ingest_status store_fixed(struct aggr_seed *s)
{
  static const char body[] =
      "{\"protocol\":1,\"responses\":[{\"uuid\":"
      "\"0badc0de-7e57-4000-8000-000000000001\",\"set\":\"kiosk-besok\","
      "\"version\":1,\"mode\":\"kiosk\",\"lang\":\"sv\",\"proxy\":false,"
      "\"status\":\"complete\",\"period\":\"2026-02\",\"track\":null,"
      "\"care\":null,\"answers\":[{\"q\":\"nojdhet\",\"a\":\"lite\"},"
      "{\"q\":\"delaktighet\",\"a\":\"mycket\"},"
      "{\"q\":\"trygghet\",\"a\":\"mycket\"},"
      "{\"q\":\"respekt\",\"a\":\"mycket\"},"
      "{\"q\":\"kommentar\",\"text\":\"Väntetiden var lång.\"}]}]}";
  const struct aggdev *dev;
  struct ingest_batch *b = NULL;
  struct ingest_tally t;
  enum ingest_status st;
  char err[PR_ERR_LEN] = "";

  dev = aggr_seed_dev(s, UA, err);
  if(!dev)
    fail_msg("device: %s", err);
  if(ingest_decode(body, sizeof(body) - 1, 10, &b, err) != PR_OK)
    fail_msg("decode: %s", err);
  if(ingest_store(s->db, s->sc, dev, b, &t, err) != PR_OK)
    fail_msg("store: %s", err);
  if(b->r[0].result == INGEST_REJECTED)
    fail_msg("rejected: %s", b->r[0].reason);
  st = b->r[0].result;
  ingest_batch_free(b);
  return st;
}

static void test_existing_database_converts(void **state)
{
  struct aggr_seed s;
  char url[600], err[PR_ERR_LEN] = "";
  long long before[5], after[5], phone;
  long long resp, counted;
  int i, cm_a, cm_b, ver = -1;
  long region;

  (void)state;
  agg_testdb_url("ingest_schema", url, sizeof(url));
  memset(&s, 0, sizeof(s));
  s.rng = 0x9E3779B97F4A7C15ULL;
  assert_int_equal(pr_init(), PR_OK);
  if(aggdb_open(url, &s.db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(s.db), 0);
  /* The database as it was before this component existed. */
  for(i = 0; i < agg_n_components; i++)
    if(strcmp(agg_components[i].name, "ingest") &&
       agg_components[i].migrate(s.db, err) != PR_OK)
      fail_msg("migrate %s: %s", agg_components[i].name, err);
  assert_int_equal(aggdb_schema_version(s.db, "ingest", &ver, err), PR_OK);
  assert_int_equal(ver, 0);
  /* The sets as aggr_seed_open publishes them: versions 1, then today's. */
  if(aggsets_seed_dir(s.db, PR_TEST_DATA "/sets-v1", NULL, err) != PR_OK ||
     aggsets_seed_dir(s.db, PR_ASSETS_DIR "/surveys", NULL, err) != PR_OK)
    fail_msg("sets: %s", err);
  assert_int_equal(aggsets_cache_new(&s.sc), PR_OK);
  assert_int_equal(n_index(s.db, "responses_mode_period") +
                   n_index(s.db, "responses_mode_unit_period"), 2);

  if(aggr_seed_batch(&s, UA, "kiosk-besok", 1, "kiosk", "2026-01", NULL,
                     NULL, 4, 6, 1, "Personalen lyssnade inte.", NULL,
                     err) != 0 ||
     aggr_seed_batch(&s, UB, "kiosk-besok", 1, "kiosk", "2026-02", NULL,
                     NULL, 7, 5, 0, "Bra men rörigt.", NULL, err) != 0 ||
     aggr_seed_batch(&s, UA, "ring-upp-utskrivning", 1, "phone", "2026-02",
                     "gul", "somatisk", 5, 2, 1, NULL, NULL, err) != 0)
    fail_msg("seed: %s", err);
  assert_int_equal(store_fixed(&s), INGEST_STORED);
  resp = q(s.db, "SELECT COUNT(*) FROM responses");
  counted = q(s.db, "SELECT SUM(pos + neg + dontknow) FROM counts");
  rows_print(s.db, before);
  assert_true(before[1] > 0);
  cm_a = comments(s.db, UA);
  cm_b = comments(s.db, UB);
  assert_true(cm_a > 0);
  assert_true(cm_b > 0);
  region = aggr_seed_region_n(s.db);

  /* Convert, as the next rost-agg start does. */
  if(aggschema_migrate_all(s.db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  assert_int_equal(aggdb_schema_version(s.db, "ingest", &ver, err), PR_OK);
  assert_int_equal(ver, 2);
  rows_print(s.db, after);
  for(i = 0; i < 5; i++)
    assert_int_equal(after[i], before[i]);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses"), resp);
  assert_int_equal(comments(s.db, UA), cm_a);
  assert_int_equal(comments(s.db, UB), cm_b);
  assert_int_equal(aggr_seed_region_n(s.db), region);
  assert_int_equal(n_index(s.db, "responses_mode_period"), 0);
  assert_int_equal(n_index(s.db, "responses_mode_unit_period"), 0);
  assert_int_equal(n_index(s.db, "responses_unit_period"), 1);
  assert_true(n_index(s.db, "answers_text") >= 1);
  if(aggdb_dialect(s.db) == AGGDB_SQLITE) {
    /* Step 2: a rowid table whose old triggers were made again. */
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM sqlite_master WHERE"
                     " name = 'responses' AND sql LIKE '%WITHOUT ROWID%'"), 0);
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM sqlite_master WHERE"
                     " type = 'trigger' AND tbl_name = 'responses' AND name"
                     " = 'phone_cut_ins'"), 1);
  }
  /* uuids stay unique. */
  {
    char e_[PR_ERR_LEN] = "";
    assert_int_equal(aggdb_exec1(s.db, "INSERT INTO responses SELECT * FROM"
                                 " responses LIMIT 1", NULL, 0, NULL, e_),
                     PR_ECONFLICT);
  }

  /* Ingest goes on: a resend is a duplicate and writes no answer row; a
   * new response adds its rows and its comment. */
  assert_int_equal(store_fixed(&s), INGEST_DUPLICATE);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM answers"), after[0]);
  assert_int_equal(q(s.db, "SELECT SUM(pos + neg + dontknow) FROM counts"),
                   counted);
  /* The phone follow-up's triggers still count. */
  phone = q(s.db, "SELECT SUM(n) FROM phone_cut");
  if(aggr_seed_batch(&s, UA, "ring-upp-utskrivning", 1, "phone", "2026-03",
                     "gul", "somatisk", 2, 1, 0, NULL, NULL, err) != 0)
    fail_msg("seed phone after: %s", err);
  assert_int_equal(q(s.db, "SELECT SUM(n) FROM phone_cut"), phone + 3);
  if(aggr_seed_batch(&s, UA, "kiosk-besok", 1, "kiosk", "2026-03", NULL,
                     NULL, 3, 3, 0, "Svårt att hitta hit.", NULL, err) != 0)
    fail_msg("seed after: %s", err);
  assert_true(q(s.db, "SELECT COUNT(*) FROM answers") > after[0]);
  assert_true(q(s.db, "SELECT COUNT(text) FROM answers") > after[1]);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses"), resp + 9);
  /* Running the migration again changes nothing. */
  if(aggschema_migrate_all(s.db, err) != PR_OK)
    fail_msg("again: %s", err);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses"), resp + 9);
  aggr_seed_close(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_existing_database_converts),
  };
  (void)aggr_seed_open;      /* this test migrates all but one component */
  return cmocka_run_group_tests(tests, NULL, NULL);
}
