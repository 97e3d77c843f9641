/* This file contains the tests of aggdb, the aggregator's portable SQL
 * layer: URL handling, $n parameters of each type, NULLs, transactions,
 * conflict and bad-statement error classes, migrations per component, and
 * one connection shared safely by many threads.  Runs on SQLite by
 * default and on PostgreSQL when PR_AGG_TEST_DB is a postgresql:// URL. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"

static struct aggdb *open_fresh(const char *name)
{
  char url[600], err[PR_ERR_LEN] = "";
  struct aggdb *db = NULL;

  agg_testdb_url(name, url, sizeof(url));
  if(aggdb_open(url, &db, err) != PR_OK)
    fail_msg("open %s: %s", url, err);
  assert_int_equal(agg_testdb_drop_all(db), 0);
  return db;
}

struct rows {
  int n;
  char first[4][64];
  int nulls;
};

static int collect(void *ctx, int ncol, const char *const *vals,
                   const int *isnull)
{
  struct rows *r = ctx;
  int i;

  for(i = 0; i < ncol; i++) {
    if(isnull[i]) {
      assert_null(vals[i]);
      r->nulls++;
    } else if(r->n < 4 && i == 0) {
      snprintf(r->first[r->n], sizeof(r->first[0]), "%s", vals[i]);
    }
  }
  r->n++;
  return 0;
}

static void test_url_errors(void **state)
{
  struct aggdb *db = (struct aggdb *)1;
  char err[PR_ERR_LEN] = "";

  assert_int_equal(aggdb_open("", &db, err), PR_EINVAL);
  assert_null(db);
  assert_int_equal(aggdb_open("mysql://x", &db, err), PR_EINVAL);
  assert_non_null(strstr(err, "unknown scheme"));
  assert_int_equal(aggdb_open("sqlite:", &db, err), PR_EINVAL);
  assert_int_not_equal(aggdb_open("sqlite:/nonexistent-dir/x/y.db", &db, err),
                       PR_OK);
  assert_null(db);
  assert_non_null(strstr(err, "/nonexistent-dir/x/y.db"));
}

static const struct aggdb_step steps_v1[] = {
  { 1, "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, note TEXT)", NULL, NULL },
  { 2, NULL, "CREATE INDEX t_n ON t (n)", "CREATE INDEX t_n ON t (n)" },
};
static const struct aggdb_step steps_v2[] = {
  { 1, "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, note TEXT)", NULL, NULL },
  { 2, NULL, "CREATE INDEX t_n ON t (n)", "CREATE INDEX t_n ON t (n)" },
  { 3, "ALTER TABLE t ADD COLUMN extra TEXT; "
       "CREATE TABLE u (id BIGINT PRIMARY KEY)", NULL, NULL },
};
static const struct aggdb_step steps_bad[] = {
  { 4, "CREATE TABLE v (a TEXT); THIS IS NOT SQL", NULL, NULL },
};

static void test_params_tx_conflict(void **state)
{
  struct aggdb *db = open_fresh("agg_db_params");
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  struct rows r;
  long changes = -1;
  long long v = 0;
  int found = 0, ver = -1;
  char *txt = NULL;

  assert_int_equal(aggdb_migrate(db, "t", steps_v1, 2, err), PR_OK);
  assert_int_equal(aggdb_schema_version(db, "t", &ver, err), PR_OK);
  assert_int_equal(ver, 2);
  /* Re-running is a no-op; a new step is applied on top. */
  assert_int_equal(aggdb_migrate(db, "t", steps_v1, 2, err), PR_OK);
  assert_int_equal(aggdb_migrate(db, "t", steps_v2, 3, err), PR_OK);
  assert_int_equal(aggdb_schema_version(db, "t", &ver, err), PR_OK);
  assert_int_equal(ver, 3);
  /* A broken step names itself and leaves the version where it was. */
  assert_int_not_equal(aggdb_migrate(db, "t", steps_bad, 1, err), PR_OK);
  assert_non_null(strstr(err, "step 4"));
  assert_int_equal(aggdb_schema_version(db, "t", &ver, err), PR_OK);
  assert_int_equal(ver, 3);
  assert_int_equal(aggdb_schema_version(db, "other", &ver, err), PR_OK);
  assert_int_equal(ver, 0);

  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  {
    struct aggdb_param p[3] = { AGGDB_TEXT("a'b; DROP TABLE t"),
                                AGGDB_INT(9000000000LL), AGGDB_NULL };
    assert_int_equal(aggdb_exec(c, "INSERT INTO t (k, n, note) VALUES "
                                "($1, $2, $3)", p, 3, &changes, err), PR_OK);
    assert_int_equal(changes, 1);
    /* Same key again: the conflict class, and nothing changed. */
    assert_int_equal(aggdb_exec(c, "INSERT INTO t (k, n, note) VALUES "
                                "($1, $2, $3)", p, 3, &changes, err),
                     PR_ECONFLICT);
    /* ON CONFLICT DO NOTHING reports 0 rows. */
    assert_int_equal(aggdb_exec(c, "INSERT INTO t (k, n, note) VALUES "
                                "($1, $2, $3) ON CONFLICT DO NOTHING", p, 3,
                                &changes, err), PR_OK);
    assert_int_equal(changes, 0);
    assert_int_equal(aggdb_query_long(c, "SELECT n FROM t WHERE k = $1", p, 1,
                                      &v, &found, err), PR_OK);
    assert_true(found);
    assert_true(v == 9000000000LL);
  }
  /* Rolled back work is gone; committed work stays. */
  assert_int_equal(aggdb_begin(c, err), PR_OK);
  {
    struct aggdb_param p[2] = { AGGDB_TEXT("rolled"), AGGDB_INT(1) };
    assert_int_equal(aggdb_exec(c, "INSERT INTO t (k, n) VALUES ($1, $2)",
                                p, 2, NULL, err), PR_OK);
  }
  aggdb_rollback(c);
  assert_int_equal(aggdb_begin(c, err), PR_OK);
  {
    struct aggdb_param p[2] = { AGGDB_TEXT("kept åäö"), AGGDB_INT(-5) };
    assert_int_equal(aggdb_exec(c, "INSERT INTO t (k, n) VALUES ($1, $2) "
                                "RETURNING k", p, 2, NULL, err), PR_OK);
  }
  assert_int_equal(aggdb_commit(c, err), PR_OK);
  memset(&r, 0, sizeof(r));
  assert_int_equal(aggdb_query(c, "SELECT k, note FROM t ORDER BY n", NULL, 0,
                               collect, &r, err), PR_OK);
  assert_int_equal(r.n, 2);
  assert_string_equal(r.first[0], "kept åäö");
  assert_string_equal(r.first[1], "a'b; DROP TABLE t");
  assert_int_equal(r.nulls, 2);
  /* A parameter reused ($1 twice) binds once. */
  {
    struct aggdb_param p[1] = { AGGDB_TEXT("kept åäö") };
    assert_int_equal(aggdb_query_text(c, "SELECT k FROM t WHERE k = $1 AND "
                                      "note IS NULL AND k = $1", p, 1, &txt,
                                      err), PR_OK);
    assert_string_equal(txt, "kept åäö");
    pr_free(txt);
  }
  /* Parameters first used out of order still bind by number. */
  {
    struct aggdb_param p[2] = { AGGDB_TEXT("a"), AGGDB_TEXT("b") };
    assert_int_equal(aggdb_query_text(c, "SELECT CAST($2 AS TEXT) || "
                                      "CAST($1 AS TEXT)", p, 2, &txt, err),
                     PR_OK);
    assert_string_equal(txt, "ba");
    pr_free(txt);
    /* Too few parameters for the statement is an error, never a silent
     * NULL (SQLite: PR_EDB; PostgreSQL reports a protocol violation). */
    assert_int_not_equal(aggdb_query_text(c, "SELECT CAST($1 AS TEXT) || "
                                          "CAST($2 AS TEXT)", p, 1, &txt,
                                          err), PR_OK);
    /* PostgreSQL's driver drops a connection after such a protocol error;
     * go on with a fresh one. */
    aggdb_release(c);
    c = NULL;
    assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  }
  /* A bad statement is PR_EDB, not "unavailable". */
  assert_int_equal(aggdb_exec(c, "INSERT INTO nosuchtable VALUES (1)", NULL,
                              0, NULL, err), PR_EDB);
  /* Released with an open transaction: rolled back. */
  assert_int_equal(aggdb_begin(c, err), PR_OK);
  {
    struct aggdb_param p[2] = { AGGDB_TEXT("dangling"), AGGDB_INT(2) };
    assert_int_equal(aggdb_exec(c, "INSERT INTO t (k, n) VALUES ($1, $2)",
                                p, 2, NULL, err), PR_OK);
  }
  aggdb_release(c);
  c = NULL;
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  assert_int_equal(aggdb_query_long(c, "SELECT COUNT(*) FROM t", NULL, 0, &v,
                                    &found, err), PR_OK);
  assert_true(v == 2);
  aggdb_release(c);
  aggdb_close(db);
}

struct worker {
  struct aggdb *db;
  int id, failures;
};

static void *worker_main(void *arg)
{
  struct worker *w = arg;
  char key[32], err[PR_ERR_LEN];
  int i;

  for(i = 0; i < 200; i++) {
    struct aggdb_conn *c = NULL;
    struct aggdb_param p[2];

    snprintf(key, sizeof(key), "w%d-%d", w->id, i);
    p[0] = AGGDB_TEXT(key);
    p[1] = AGGDB_INT(i);
    if(aggdb_acquire(w->db, &c, err) != PR_OK) {
      w->failures++;
      continue;
    }
    if(aggdb_begin(c, err) != PR_OK ||
       aggdb_exec(c, "INSERT INTO t (k, n) VALUES ($1, $2)", p, 2, NULL,
                  err) != PR_OK ||
       aggdb_commit(c, err) != PR_OK)
      w->failures++;
    aggdb_release(c);
  }
  return NULL;
}

static void test_threads(void **state)
{
  struct aggdb *db = open_fresh("agg_db_threads");
  struct worker w[4];
  pthread_t th[4];
  char err[PR_ERR_LEN] = "";
  long long v = 0;
  struct aggdb_conn *c = NULL;
  int i;

  assert_int_equal(aggdb_migrate(db, "t", steps_v1, 2, err), PR_OK);
  for(i = 0; i < 4; i++) {
    w[i] = (struct worker){ db, i, 0 };
    assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
  }
  for(i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(w[i].failures, 0);
  }
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  assert_int_equal(aggdb_query_long(c, "SELECT COUNT(*) FROM t", NULL, 0, &v,
                                    NULL, err), PR_OK);
  assert_true(v == 800);
  aggdb_release(c);
  aggdb_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_url_errors),
    cmocka_unit_test(test_params_tx_conflict),
    cmocka_unit_test(test_threads),
  };
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_WARN);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
