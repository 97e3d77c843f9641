/* This file contains the tests of the PostgreSQL driver of aggdb
 * (sync/agg/aggdb_pg.c) against a real PostgreSQL 15 server that the test
 * starts, crashes and restarts itself through tests/pg/pg.sh (its own data
 * directory, so the shared "pg" fixture server is never disturbed):
 * parameters and NULLs, conflicts, a COMMIT after a failed statement, the
 * prepared-statement cache, re-planning after a schema change, the server
 * crashing mid-transaction and coming back, and a database that is down
 * when the aggregator starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aggdb.h"

struct srv {
  char dir[512];
  char url[512];
};

static struct srv g_srv;   /* set up once for the group; read-only after */

static int pg_sh(const char *cmd)
{
  const char *sh = getenv("PR_PG_SH");
  char line[1200];

  if(!sh)
    return -1;
  if(snprintf(line, sizeof(line), "sh '%s' %s '%s'", sh, cmd, g_srv.dir) >=
     (int)sizeof(line))
    return -1;
  return system(line);
}

static double now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
  FILE *f;
  char path[600];

  if(snprintf(g_srv.dir, sizeof(g_srv.dir), "%s/pg-driver", PR_TEST_OUT) >=
     (int)sizeof(g_srv.dir))
    return -1;
  if(pg_sh("start") != 0) {
    fprintf(stderr, "cannot start PostgreSQL (PR_PG_SH=%s)\n",
            getenv("PR_PG_SH") ? getenv("PR_PG_SH") : "unset");
    return -1;
  }
  snprintf(path, sizeof(path), "%s/url", g_srv.dir);
  f = fopen(path, "r");
  if(!f || !fgets(g_srv.url, sizeof(g_srv.url), f)) {
    if(f)
      fclose(f);
    return -1;
  }
  fclose(f);
  g_srv.url[strcspn(g_srv.url, "\n")] = '\0';
  return 0;
}

static int group_teardown(void **state)
{
  return pg_sh("stop") == 0 ? 0 : -1;
}

static struct aggdb *open_ok(const char *suffix)
{
  char url[700], err[PR_ERR_LEN] = "";
  struct aggdb *db = NULL;

  snprintf(url, sizeof(url), "%s%s", g_srv.url, suffix);
  if(aggdb_open(url, &db, err) != PR_OK)
    fail_msg("open %s: %s", url, err);
  assert_int_equal(aggdb_dialect(db), AGGDB_POSTGRES);
  return db;
}

static void exec_ok(struct aggdb *db, const char *sql)
{
  char err[PR_ERR_LEN] = "";

  if(aggdb_exec1(db, sql, NULL, 0, NULL, err) != PR_OK)
    fail_msg("%s: %s", sql, err);
}

static void test_bad_urls(void **state)
{
  static const struct { const char *url, *needle; enum pr_rc rc; } cases[] = {
    { "postgresql://127.0.0.1/x?pool=0", "pool", PR_EINVAL },
    { "postgresql://127.0.0.1/x?pool=1000", "pool", PR_EINVAL },
    { "postgresql://127.0.0.1/x?start_wait=soon", "start_wait", PR_EINVAL },
    { "postgresql://127.0.0.1/x?colour=blue", "colour", PR_EINVAL },
    /* Nothing listens on port 1: unavailable, and the message says where. */
    { "postgresql://u:secret@127.0.0.1:1/x?start_wait=0", "127.0.0.1:1/x",
      PR_EBUSY },
  };
  size_t i;

  for(i = 0; i < PR_ARRAY_LEN(cases); i++) {
    char err[PR_ERR_LEN] = "";
    struct aggdb *db = (struct aggdb *)1;
    double t0 = now_s();
    enum pr_rc rc = aggdb_open(cases[i].url, &db, err);

    if(rc != cases[i].rc || !strstr(err, cases[i].needle))
      fail_msg("%s: rc %d err '%s'", cases[i].url, rc, err);
    assert_null(db);
    /* A password in the URL never shows in the message. */
    assert_null(strstr(err, "secret"));
    assert_true(now_s() - t0 < 8.0);
  }
}

struct rows {
  int n;
  char got[8][3][64];
  int null[8][3];
};

static int collect(void *ctx, int ncol, const char *const *vals,
                   const int *isnull)
{
  struct rows *r = ctx;
  int j;

  if(r->n >= 8)
    return 1;
  for(j = 0; j < ncol && j < 3; j++) {
    r->null[r->n][j] = isnull[j];
    if(!isnull[j])
      snprintf(r->got[r->n][j], sizeof(r->got[0][0]), "%s", vals[j]);
  }
  r->n++;
  return 0;
}

static void test_params_nulls_conflicts(void **state)
{
  struct aggdb *db = open_ok("");
  char err[PR_ERR_LEN] = "";
  long changes = -1;
  struct rows r;
  struct aggdb_param p[3];

  exec_ok(db, "DROP TABLE IF EXISTS t");
  exec_ok(db, "CREATE TABLE t (id BIGINT PRIMARY KEY, s TEXT, n BIGINT)");
  p[0] = AGGDB_INT(9000000000LL);
  p[1] = AGGDB_TEXT("Vårdcentral Åby — ”citat” ' ; DROP TABLE t");
  p[2] = AGGDB_NULL;
  assert_int_equal(aggdb_exec1(db, "INSERT INTO t (id, s, n) VALUES "
                               "($1, $2, $3)", p, 3, &changes, err), PR_OK);
  assert_int_equal(changes, 1);
  /* The same key again: ON CONFLICT DO NOTHING changes nothing ... */
  assert_int_equal(aggdb_exec1(db, "INSERT INTO t (id, s, n) VALUES "
                               "($1, $2, $3) ON CONFLICT DO NOTHING", p, 3,
                               &changes, err), PR_OK);
  assert_int_equal(changes, 0);
  /* ... and a plain INSERT is a conflict, not a generic failure. */
  assert_int_equal(aggdb_exec1(db, "INSERT INTO t (id, s, n) VALUES "
                               "($1, $2, $3)", p, 3, NULL, err),
                   PR_ECONFLICT);
  memset(&r, 0, sizeof(r));
  p[0] = AGGDB_INT(9000000000LL);
  assert_int_equal(aggdb_query1(db, "SELECT id, s, n FROM t WHERE id = $1",
                                p, 1, collect, &r, err), PR_OK);
  assert_int_equal(r.n, 1);
  assert_string_equal(r.got[0][0], "9000000000");
  assert_string_equal(r.got[0][1],
                      "Vårdcentral Åby — ”citat” ' ; DROP TABLE t");
  assert_int_equal(r.null[0][2], 1);
  /* A text parameter compared with a BIGINT column: typed by the server,
   * as SQLite would accept it. */
  p[0] = AGGDB_TEXT("9000000000");
  memset(&r, 0, sizeof(r));
  assert_int_equal(aggdb_query1(db, "SELECT count(*) FROM t WHERE id = $1",
                                p, 1, collect, &r, err), PR_OK);
  assert_string_equal(r.got[0][0], "1");
  /* A bad statement is PR_EDB with the server's words. */
  assert_int_equal(aggdb_exec1(db, "INSERT INTO nosuch VALUES (1)", NULL, 0,
                               NULL, err), PR_EDB);
  assert_non_null(strstr(err, "nosuch"));
  aggdb_close(db);
}

/* A failed statement inside a transaction fails the whole transaction:
 * PostgreSQL answers COMMIT of an aborted transaction with "ROLLBACK" and
 * no error, and statements nobody asked a row count of are pipelined (their
 * failure shows at COMMIT).  Either way COMMIT must fail and nothing of the
 * transaction may be stored, or an ingest would acknowledge rows that were
 * never committed. */
static void test_commit_after_failure(void **state)
{
  struct aggdb *db = open_ok("");
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  long long n = -1;
  long ch = -1;
  int found = 0, round;
  struct aggdb_param p[1];

  exec_ok(db, "DROP TABLE IF EXISTS u");
  exec_ok(db, "CREATE TABLE u (id BIGINT PRIMARY KEY)");
  exec_ok(db, "INSERT INTO u VALUES (1)");
  for(round = 0; round < 2; round++) {
    enum pr_rc rc;

    assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
    assert_int_equal(aggdb_begin(c, err), PR_OK);
    p[0] = AGGDB_INT(2);
    assert_int_equal(aggdb_exec(c, "INSERT INTO u VALUES ($1)", p, 1, NULL,
                                err), PR_OK);
    p[0] = AGGDB_INT(1);
    if(round == 0) {
      /* The caller wants the row count: answered at once. */
      rc = aggdb_exec(c, "INSERT INTO u VALUES ($1)", p, 1, &ch, err);
      assert_int_equal(rc, PR_ECONFLICT);
      assert_int_not_equal(aggdb_commit(c, err), PR_OK);
      assert_non_null(strstr(err, "rolled back"));
    } else {
      /* Pipelined: the conflict is COMMIT's error. */
      rc = aggdb_exec(c, "INSERT INTO u VALUES ($1)", p, 1, NULL, err);
      assert_true(rc == PR_OK || rc == PR_ECONFLICT);
      rc = aggdb_commit(c, err);
      assert_int_equal(rc, PR_ECONFLICT);
    }
    aggdb_release(c);
    /* Row 2 was never committed, and the pool still works. */
    assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
    assert_int_equal(aggdb_query_long(c, "SELECT count(*) FROM u", NULL, 0,
                                      &n, &found, err), PR_OK);
    assert_int_equal(n, 1);
    aggdb_release(c);
  }
  aggdb_close(db);
}

/* Many pipelined statements in one transaction (more than one drain's
 * worth), then a read that must see them all, then COMMIT. */
static void test_pipelined_batch(void **state)
{
  struct aggdb *db = open_ok("");
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  long long n = -1;
  int found = 0, i;

  exec_ok(db, "DROP TABLE IF EXISTS w");
  exec_ok(db, "CREATE TABLE w (id BIGINT PRIMARY KEY, s TEXT)");
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  assert_int_equal(aggdb_begin(c, err), PR_OK);
  for(i = 0; i < 1000; i++) {
    struct aggdb_param p[2] = { AGGDB_INT(i), AGGDB_TEXT("åäö") };

    assert_int_equal(aggdb_exec(c, "INSERT INTO w (id, s) VALUES ($1, $2)",
                                p, 2, NULL, err), PR_OK);
    if(i == 600) {
      assert_int_equal(aggdb_query_long(c, "SELECT count(*) FROM w", NULL, 0,
                                        &n, &found, err), PR_OK);
      assert_int_equal(n, 601);
    }
  }
  assert_int_equal(aggdb_commit(c, err), PR_OK);
  aggdb_release(c);
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  assert_int_equal(aggdb_query_long(c, "SELECT count(*) FROM w WHERE s = "
                                    "'åäö'", NULL, 0, &n, &found, err), PR_OK);
  assert_int_equal(n, 1000);
  aggdb_release(c);
  aggdb_close(db);
}

/* More distinct statements than the per-connection cache holds, twice,
 * on one connection; then a table changes shape under a cached SELECT *. */
static void test_statement_cache(void **state)
{
  struct aggdb *db = open_ok("?pool=1");
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "", sql[128];
  int round, k;
  struct rows r;

  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  for(round = 0; round < 2; round++) {
    for(k = 0; k < 150; k++) {
      struct aggdb_param p[1] = { AGGDB_INT(round * 1000) };
      long long v = 0;
      int found = 0;

      snprintf(sql, sizeof(sql), "SELECT $1::bigint + %d", k);
      if(aggdb_query_long(c, sql, p, 1, &v, &found, err) != PR_OK)
        fail_msg("%s: %s", sql, err);
      assert_int_equal(v, round * 1000 + k);
    }
  }
  assert_int_equal(aggdb_exec(c, "DROP TABLE IF EXISTS shape", NULL, 0, NULL,
                              err), PR_OK);
  assert_int_equal(aggdb_exec(c, "CREATE TABLE shape (a TEXT)", NULL, 0, NULL,
                              err), PR_OK);
  assert_int_equal(aggdb_exec(c, "INSERT INTO shape VALUES ('x')", NULL, 0,
                              NULL, err), PR_OK);
  memset(&r, 0, sizeof(r));
  assert_int_equal(aggdb_query(c, "SELECT * FROM shape", NULL, 0, collect, &r,
                               err), PR_OK);
  assert_int_equal(aggdb_exec(c, "DROP TABLE shape", NULL, 0, NULL, err),
                   PR_OK);
  assert_int_equal(aggdb_exec(c, "CREATE TABLE shape (a TEXT, b BIGINT)",
                              NULL, 0, NULL, err), PR_OK);
  assert_int_equal(aggdb_exec(c, "INSERT INTO shape VALUES ('y', 7)", NULL, 0,
                              NULL, err), PR_OK);
  memset(&r, 0, sizeof(r));
  if(aggdb_query(c, "SELECT * FROM shape", NULL, 0, collect, &r, err) !=
     PR_OK)
    fail_msg("re-plan after schema change: %s", err);
  assert_int_equal(r.n, 1);
  assert_string_equal(r.got[0][1], "7");
  aggdb_release(c);
  aggdb_close(db);
}

/* The server crashes (pg_ctl stop -m immediate) while a transaction is
 * open and while connections sit idle in the pool: the open COMMIT fails
 * as "unavailable" (503 for a kiosk), committed rows survive, and after the
 * restart the very first acquire works — dead pooled connections are
 * replaced, not handed out. */
static void test_crash_and_restart(void **state)
{
  struct aggdb *db = open_ok("?pool=3");
  struct aggdb_conn *c = NULL, *c2 = NULL;
  char err[PR_ERR_LEN] = "";
  long long n = -1;
  int found = 0;
  struct aggdb_param p[1];
  enum pr_rc rc;

  exec_ok(db, "DROP TABLE IF EXISTS v");
  exec_ok(db, "CREATE TABLE v (id BIGINT PRIMARY KEY)");
  exec_ok(db, "INSERT INTO v VALUES (1)");
  /* Two connections into the pool, one left idle. */
  assert_int_equal(aggdb_acquire(db, &c2, err), PR_OK);
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  aggdb_release(c2);
  assert_int_equal(aggdb_begin(c, err), PR_OK);
  p[0] = AGGDB_INT(2);
  assert_int_equal(aggdb_exec(c, "INSERT INTO v VALUES ($1)", p, 1, NULL,
                              err), PR_OK);
  assert_int_equal(pg_sh("kill"), 0);
  rc = aggdb_commit(c, err);
  assert_int_equal(rc, PR_EBUSY);
  aggdb_release(c);
  /* While it is down: unavailable, clearly. */
  rc = aggdb_exec1(db, "SELECT 1", NULL, 0, NULL, err);
  assert_int_equal(rc, PR_EBUSY);
  assert_non_null(strstr(err, "unavailable"));
  assert_int_equal(pg_sh("restart"), 0);
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  if(aggdb_query_long(c, "SELECT count(*) FROM v WHERE id = 1", NULL, 0, &n,
                      &found, err) != PR_OK)
    fail_msg("first statement after restart: %s", err);
  assert_int_equal(n, 1);
  assert_int_equal(aggdb_query_long(c, "SELECT count(*) FROM v WHERE id = 2",
                                    NULL, 0, &n, &found, err), PR_OK);
  assert_int_equal(n, 0);
  aggdb_release(c);
  aggdb_close(db);
}

static void *restart_later(void *arg)
{
  (void)arg;
  usleep(1500 * 1000);
  if(pg_sh("restart") != 0)
    fprintf(stderr, "restart failed\n");
  return NULL;
}

/* The database is down when the aggregator starts: open logs a clear
 * warning and retries with backoff until the server is back. */
static void test_down_at_start(void **state)
{
  pthread_t th;
  struct aggdb *db = NULL;
  double t0;

  assert_int_equal(pg_sh("stop"), 0);
  assert_int_equal(pthread_create(&th, NULL, restart_later, NULL), 0);
  t0 = now_s();
  db = open_ok("?start_wait=60");
  assert_true(now_s() - t0 >= 1.0);
  pthread_join(th, NULL);
  exec_ok(db, "SELECT 1");
  aggdb_close(db);
}

struct racer {
  struct aggdb *db;
  int round;
  int failures;
  char err[PR_ERR_LEN];
};

static void *create_race(void *arg)
{
  struct racer *r = arg;
  char sql[160];
  int k;

  for(k = 0; k < 15; k++) {
    snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS race_%d_%d "
             "(id BIGINT PRIMARY KEY, s TEXT)", r->round, k);
    if(aggdb_exec1(r->db, sql, NULL, 0, NULL, r->err) != PR_OK)
      r->failures++;
  }
  return NULL;
}

/* Several processes starting on a new database run the same
 * CREATE TABLE IF NOT EXISTS at once; PostgreSQL lets the loser fail on
 * the catalog's unique index.  None of them may fail. */
static void test_concurrent_create(void **state)
{
  struct racer rs[4];
  pthread_t th[4];
  int i, round;

  for(round = 0; round < 3; round++) {
    for(i = 0; i < 4; i++) {
      memset(&rs[i], 0, sizeof(rs[i]));
      rs[i].db = open_ok("");
      rs[i].round = round;
    }
    for(i = 0; i < 4; i++)
      assert_int_equal(pthread_create(&th[i], NULL, create_race, &rs[i]), 0);
    for(i = 0; i < 4; i++) {
      pthread_join(th[i], NULL);
      if(rs[i].failures)
        fail_msg("round %d racer %d: %d failures, last: %s", round, i,
                 rs[i].failures, rs[i].err);
      aggdb_close(rs[i].db);
    }
  }
}

struct holder {
  struct aggdb *db;
  struct aggdb_conn *c;
};

static void *release_later(void *arg)
{
  struct holder *h = arg;

  usleep(300 * 1000);
  aggdb_release(h->c);
  return NULL;
}

/* A full pool makes the next borrower wait for a release, not fail. */
static void test_pool_wait(void **state)
{
  struct aggdb *db = open_ok("?pool=1");
  struct holder h = { db, NULL };
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  pthread_t th;
  double t0;

  assert_int_equal(aggdb_acquire(db, &h.c, err), PR_OK);
  assert_int_equal(pthread_create(&th, NULL, release_later, &h), 0);
  t0 = now_s();
  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  assert_true(now_s() - t0 >= 0.2);
  pthread_join(th, NULL);
  aggdb_release(c);
  aggdb_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bad_urls),
    cmocka_unit_test(test_params_nulls_conflicts),
    cmocka_unit_test(test_commit_after_failure),
    cmocka_unit_test(test_pipelined_batch),
    cmocka_unit_test(test_statement_cache),
    cmocka_unit_test(test_pool_wait),
    cmocka_unit_test(test_concurrent_create),
    cmocka_unit_test(test_crash_and_restart),
    cmocka_unit_test(test_down_at_start),
  };

  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
