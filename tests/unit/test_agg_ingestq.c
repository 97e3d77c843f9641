/* This file contains the test of the group-commit queue: many request
 * threads submit overlapping batches at once (the same uuids from several
 * threads, as resends racing each other); afterwards every uuid is stored
 * exactly once, each thread got a verdict for each of its responses, the
 * verdicts add up (stored once, duplicate otherwise), and the counts table
 * equals the answers.  Database from PR_AGG_TEST_DB or a SQLite file. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"
#include "aggdev.h"
#include "aggschema.h"
#include "aggsets.h"
#include "ingestq.h"

#define THREADS 8
#define ROUNDS 15
#define BATCH 12
#define UNIVERSE 300        /* distinct uuids; threads overlap heavily */

struct shared {
  struct aggdb *db;
  struct aggsets_cache *sc;
  struct ingestq *q;
  struct aggdev dev[2];
};

struct worker {
  struct shared *sh;
  int id;
  long stored, dup, rejected, failures, verdicts;
};

static void make_body(char *buf, size_t cap, int first, int step)
{
  size_t off = (size_t)snprintf(buf, cap, "{\"protocol\":1,\"responses\":[");
  int i;

  for(i = 0; i < BATCH; i++) {
    int u = (first + i * step) % UNIVERSE;
    off += (size_t)snprintf(buf + off, cap - off,
        "%s{\"uuid\":\"00000000-0000-4000-8000-%012d\",\"set\":\"agg-test\","
        "\"version\":1,\"mode\":\"kiosk\",\"lang\":\"sv\",\"proxy\":false,"
        "\"status\":\"complete\",\"period\":\"2026-W%02d\",\"answers\":["
        "{\"q\":\"nojdhet\",\"a\":\"%s\"},{\"q\":\"delaktighet\",\"a\":\"lite\"}"
        "]}", i ? "," : "", u, 1 + u % 40, u % 3 ? "mycket" : "lite");
  }
  snprintf(buf + off, cap - off, "]}");
}

static void *worker_main(void *arg)
{
  struct worker *w = arg;
  char body[8192], err[PR_ERR_LEN];
  int r, i;

  for(r = 0; r < ROUNDS; r++) {
    struct ingest_batch *b = NULL;
    struct ingest_tally t;

    make_body(body, sizeof(body), (w->id * 37 + r * 11) % UNIVERSE, 7);
    if(ingest_decode(body, strlen(body), 100, &b, err) != PR_OK ||
       ingest_prepare(w->sh->db, w->sh->sc, b, err) != PR_OK ||
       ingestq_submit(w->sh->q, &w->sh->dev[w->id % 2], b, &t, err) != PR_OK) {
      w->failures++;
      ingest_batch_free(b);
      continue;
    }
    for(i = 0; i < b->n; i++)
      w->verdicts += b->r[i].result != INGEST_PENDING;
    w->stored += t.stored;
    w->dup += t.duplicates;
    w->rejected += t.rejected;
    ingest_batch_free(b);
  }
  return NULL;
}

static long long one(struct aggdb *db, const char *sql)
{
  struct aggdb_conn *c = NULL;
  long long v = -1;
  char err[PR_ERR_LEN];

  assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
  if(aggdb_query_long(c, sql, NULL, 0, &v, NULL, err) != PR_OK)
    fail_msg("%s: %s", sql, err);
  aggdb_release(c);
  return v;
}

static void test_racing_resends_stored_once(void **state)
{
  struct shared sh;
  struct worker w[THREADS];
  pthread_t th[THREADS];
  char url[600], err[PR_ERR_LEN] = "", tok[AGGDEV_TOKEN_LEN];
  long stored = 0, dup = 0, verdicts = 0;
  FILE *f;
  char *buf;
  size_t len;
  int i;

  memset(&sh, 0, sizeof(sh));
  agg_testdb_url("agg_ingestq", url, sizeof(url));
  if(aggdb_open(url, &sh.db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(sh.db), 0);
  assert_int_equal(aggschema_migrate(sh.db, err), PR_OK);
  f = fopen(PR_TEST_DATA "/agg/test-set-v1.json", "rb");
  assert_non_null(f);
  buf = pr_malloc(65536);
  len = fread(buf, 1, 65535, f);
  fclose(f);
  assert_int_equal(aggsets_publish(sh.db, "v1", buf, len, NULL, err), PR_OK);
  pr_free(buf);
  assert_int_equal(aggdev_enrol(sh.db, "SE2321000032-VC0001", "a", tok,
                                &sh.dev[0], err), PR_OK);
  assert_int_equal(aggdev_enrol(sh.db, "SE2321000032-VC0001", "b", tok,
                                &sh.dev[1], err), PR_OK);
  assert_int_equal(aggsets_cache_new(&sh.sc), PR_OK);
  assert_int_equal(ingestq_new(sh.db, sh.sc, &sh.q), PR_OK);

  for(i = 0; i < THREADS; i++) {
    w[i] = (struct worker){ &sh, i, 0, 0, 0, 0, 0 };
    assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
  }
  for(i = 0; i < THREADS; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(w[i].failures, 0);
    assert_int_equal(w[i].rejected, 0);
    stored += w[i].stored;
    dup += w[i].dup;
    verdicts += w[i].verdicts;
  }
  ingestq_free(sh.q);
  printf("ingestq: %d threads x %d batches x %d: stored %ld, duplicates %ld\n",
         THREADS, ROUNDS, BATCH, stored, dup);
  assert_int_equal(verdicts, THREADS * ROUNDS * BATCH);
  assert_int_equal(stored + dup, THREADS * ROUNDS * BATCH);
  /* Each uuid stored exactly once, and only once reported "stored". */
  assert_int_equal(one(sh.db, "SELECT COUNT(*) FROM responses"), stored);
  assert_true(stored <= UNIVERSE);
  assert_int_equal(one(sh.db, "SELECT COUNT(*) FROM answers"), 2 * stored);
  assert_int_equal(one(sh.db, "SELECT SUM(pos + neg + dontknow) FROM counts"),
                   2 * stored);
  assert_int_equal(one(sh.db, "SELECT SUM(pos) FROM counts WHERE indicator "
                       "= 'nojdhet'"),
                   one(sh.db, "SELECT COUNT(*) FROM answers WHERE question = "
                       "'nojdhet' AND option = 'mycket'"));
  aggsets_cache_free(sh.sc);
  aggdb_close(sh.db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_racing_resends_stored_once),
  };
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_WARN);
  setenv("PATIENTROST_NOW", "1795478400", 1);   /* 2026-11-24 */
  return cmocka_run_group_tests(tests, NULL, NULL);
}
