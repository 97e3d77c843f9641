/* This file contains the PostgreSQL driver of aggdb.  PLACEHOLDER written
 * by "agg" so the build links: the real libpq driver (owner: "pg") replaces
 * this whole file.  Until then opening a postgresql:// URL fails clearly. */
#include "aggdb.h"

static enum pr_rc pgx_open(const char *url, void **impl, char *err)
{
  (void)url;
  *impl = NULL;
  pr_seterr(err, "PostgreSQL driver is not built yet (aggdb_pg.c); "
            "use a sqlite: URL");
  return PR_EINVAL;
}

static void pgx_close(void *impl) { (void)impl; }

static enum pr_rc pgx_acquire(void *impl, void **c, char *err)
{
  (void)impl;
  *c = NULL;
  pr_seterr(err, "PostgreSQL driver is not built");
  return PR_EINTERNAL;
}

static void pgx_release(void *impl, void *c) { (void)impl; (void)c; }

static enum pr_rc pgx_exec(void *c, const char *sql,
                           const struct aggdb_param *p, int n, long *changes,
                           char *err)
{
  return PR_EINTERNAL;
}

static enum pr_rc pgx_query(void *c, const char *sql,
                            const struct aggdb_param *p, int n,
                            aggdb_row_fn fn, void *ctx, char *err)
{
  return PR_EINTERNAL;
}

static enum pr_rc pgx_script(void *c, const char *sql, char *err)
{
  return PR_EINTERNAL;
}

const struct aggdb_driver aggdb_pg_driver = {
  .name = "postgresql",
  .dialect = AGGDB_POSTGRES,
  .open = pgx_open,
  .close = pgx_close,
  .acquire = pgx_acquire,
  .release = pgx_release,
  .exec = pgx_exec,
  .query = pgx_query,
  .script = pgx_script,
  .begin_sql = "BEGIN",
};
