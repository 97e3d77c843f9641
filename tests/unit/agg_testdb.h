/* agg_testdb.h — shared by the aggregator's tests: which database to run
 * against.  PR_AGG_TEST_DB (a postgresql:// URL) runs the suite against
 * PostgreSQL; unset, each test gets a fresh SQLite file under PR_TEST_OUT.
 * agg_testdb_fresh() empties every table the aggregator's migrations made
 * so each test starts from nothing on either store. */
#ifndef AGG_TESTDB_H
#define AGG_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggdb.h"

/* URL for test `name` in buf; removes an old SQLite file first. */
static inline const char *agg_testdb_url(const char *name, char *buf,
                                         size_t cap)
{
  const char *env = getenv("PR_AGG_TEST_DB");
  char path[512];
  int w;

  if(env && *env) {
    snprintf(buf, cap, "%s", env);
    return buf;
  }
  w = snprintf(path, sizeof(path), "%s/%s.db", PR_TEST_OUT, name);
  if(w < 0 || (size_t)w >= sizeof(path))
    abort();
  unlink(path);
  {
    char side[600];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
  }
  snprintf(buf, cap, "sqlite:%s", path);
  return buf;
}

static inline int agg_testdb_is_pg(void)
{
  const char *env = getenv("PR_AGG_TEST_DB");
  return env && !strncmp(env, "postgres", 8);
}

/* The first column of the first row of sql as an integer (0 when there is
 * no row or it is NULL); a query that fails is reported on stderr and aborts the
 * test. */
static inline long long agg_testdb_long(struct aggdb *db, const char *sql)
{
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";
  long long v = 0;

  if(aggdb_acquire(db, &c, err) != PR_OK ||
     aggdb_query_long(c, sql, NULL, 0, &v, NULL, err) != PR_OK) {
    fprintf(stderr, "%s: %s\n", sql, err);
    abort();
  }
  aggdb_release(c);
  return v;
}

/* Drop every table in the public schema (PostgreSQL only; SQLite tests use
 * a new file).  Returns 0 on success. */
static inline int agg_testdb_drop_all(struct aggdb *db)
{
  if(aggdb_dialect(db) != AGGDB_POSTGRES)
    return 0;
  return aggdb_exec1(db,
      "DO $$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM "
      "pg_tables WHERE schemaname = current_schema() LOOP EXECUTE "
      "'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE'; "
      "END LOOP; END $$", NULL, 0, NULL, NULL) == PR_OK ? 0 : -1;
}

#endif
