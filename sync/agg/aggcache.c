/* This file contains the figures' generation counter of aggcache.h: the
 * table cache_gen (AGGCACHE_SHARDS counters plus one random row made when
 * the table is, so a database made anew never repeats an old generation),
 * its bump and its read. */

#include "aggcache.h"

static const struct aggdb_step cache_steps[] = {
  { 1, NULL,
    "CREATE TABLE IF NOT EXISTS cache_gen (shard BIGINT PRIMARY KEY,"
    " gen BIGINT NOT NULL);"
    "INSERT INTO cache_gen SELECT -1, abs(random() % 1000000000000)"
    " WHERE NOT EXISTS (SELECT 1 FROM cache_gen);"
    "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s"
    " WHERE i < 15) INSERT INTO cache_gen SELECT i, 0 FROM s WHERE true"
    " ON CONFLICT DO NOTHING;",
    "CREATE TABLE IF NOT EXISTS cache_gen (shard BIGINT PRIMARY KEY,"
    " gen BIGINT NOT NULL);"
    "INSERT INTO cache_gen SELECT -1, (random() * 1e12)::bigint"
    " WHERE NOT EXISTS (SELECT 1 FROM cache_gen);"
    "INSERT INTO cache_gen SELECT i, 0 FROM generate_series(0, 15) i"
    " ON CONFLICT DO NOTHING;" },
};

enum pr_rc aggcache_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "cache", cache_steps,
                       (int)PR_ARRAY_LEN(cache_steps), err);
}

enum pr_rc aggcache_bump(struct aggdb_conn *c, char *err)
{
  static _Atomic unsigned next;
  struct aggdb_param p = AGGDB_INT(next++ % AGGCACHE_SHARDS);

  return aggdb_exec(c, "UPDATE cache_gen SET gen = gen + 1 WHERE shard = $1",
                    &p, 1, NULL, err);
}

enum pr_rc aggcache_gen(struct aggdb_conn *c, long long *gen, char *err)
{
  int found = 0;

  *gen = 0;
  return aggdb_query_long(c, "SELECT SUM(gen) FROM cache_gen", NULL, 0, gen,
                          &found, err);
}

enum pr_rc aggcache_gen_db(struct aggdb *db, long long *gen, char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc = aggdb_acquire(db, &c, err);

  *gen = 0;
  if(rc == PR_OK)
    rc = aggcache_gen(c, gen, err);
  aggdb_release(c);
  return rc;
}
