/* This file contains the driver-independent half of aggdb: choosing a
 * driver by URL, borrowing connections, transactions, small query helpers
 * and per-component migrations tracked in schema_version. */
#include <assert.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "aggdb.h"

struct aggdb {
  const struct aggdb_driver *drv;
  void *impl;
};

struct aggdb_conn {
  struct aggdb *db;
  void *c;
  int in_tx;
};

enum pr_rc aggdb_open(const char *url, struct aggdb **out, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  struct aggdb *db = NULL;
  const struct aggdb_driver *drv = &aggdb_sqlite_driver;
  const char *rest = url;

  *out = NULL;
  if(!url || !*url) {
    pr_seterr(err, "database URL is empty");
    goto out;
  }
  if(!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
    drv = &aggdb_pg_driver;
  } else if(!strncmp(url, "sqlite://", 9)) {
    rest = url + 9;
  } else if(!strncmp(url, "sqlite:", 7)) {
    rest = url + 7;
  } else if(strstr(url, "://")) {
    pr_seterr(err, "database URL: unknown scheme (use sqlite:/path or "
              "postgresql://...)");
    goto out;
  }
  if(!*rest) {
    pr_seterr(err, "database URL: no file path after sqlite:");
    goto out;
  }
  db = pr_calloc(1, sizeof(*db));
  if(!db) {
    rc = PR_ENOMEM;
    goto out;
  }
  db->drv = drv;
  rc = drv->open(rest, &db->impl, err);
  if(rc != PR_OK)
    goto out;
  *out = db;
  db = NULL;
out:
  aggdb_close(db);
  return rc;
}

void aggdb_close(struct aggdb *db)
{
  if(!db)
    return;
  if(db->impl)
    db->drv->close(db->impl);
  pr_free(db);
}

enum aggdb_dialect aggdb_dialect(const struct aggdb *db)
{
  return db->drv->dialect;
}

const char *aggdb_driver_name(const struct aggdb *db)
{
  return db->drv->name;
}

enum pr_rc aggdb_acquire(struct aggdb *db, struct aggdb_conn **out, char *err)
{
  enum pr_rc rc;
  struct aggdb_conn *c;

  *out = NULL;
  c = pr_calloc(1, sizeof(*c));
  if(!c)
    return PR_ENOMEM;
  c->db = db;
  rc = db->drv->acquire(db->impl, &c->c, err);
  if(rc != PR_OK) {
    pr_free(c);
    return rc;
  }
  *out = c;
  return PR_OK;
}

void aggdb_release(struct aggdb_conn *c)
{
  if(!c)
    return;
  if(c->in_tx)
    aggdb_rollback(c);
  c->db->drv->release(c->db->impl, c->c);
  pr_free(c);
}

enum aggdb_dialect aggdb_conn_dialect(const struct aggdb_conn *c)
{
  return c->db->drv->dialect;
}

enum pr_rc aggdb_exec(struct aggdb_conn *c, const char *sql,
                      const struct aggdb_param *p, int n, long *changes,
                      char *err)
{
  if(changes)
    *changes = 0;
  if(n < 0 || n > AGGDB_MAX_PARAMS) {
    pr_seterr(err, "aggdb: %d parameters (max %d)", n, AGGDB_MAX_PARAMS);
    return PR_EINVAL;
  }
  return c->db->drv->exec(c->c, sql, p, n, changes, err);
}

enum pr_rc aggdb_query(struct aggdb_conn *c, const char *sql,
                       const struct aggdb_param *p, int n, aggdb_row_fn fn,
                       void *ctx, char *err)
{
  if(n < 0 || n > AGGDB_MAX_PARAMS) {
    pr_seterr(err, "aggdb: %d parameters (max %d)", n, AGGDB_MAX_PARAMS);
    return PR_EINVAL;
  }
  return c->db->drv->query(c->c, sql, p, n, fn, ctx, err);
}

enum pr_rc aggdb_values_sql(char *buf, size_t cap, const char *head,
                            int ncols, int rows, const char *tail)
{
  size_t off;
  int r, k, w;

  if(ncols < 1 || rows < 1 || ncols * rows > AGGDB_MAX_PARAMS)
    return PR_EINVAL;
  w = snprintf(buf, cap, "%s", head);
  if(w < 0 || (size_t)w >= cap)
    return PR_EINVAL;
  off = (size_t)w;
  for(r = 0; r < rows; r++) {
    for(k = 0; k < ncols; k++) {
      w = snprintf(buf + off, cap - off, "%s$%d%s",
                   k ? "" : (r ? ", (" : "("), r * ncols + k + 1,
                   k == ncols - 1 ? ")" : ", ");
      if(w < 0 || (size_t)w >= cap - off)
        return PR_EINVAL;
      off += (size_t)w;
    }
  }
  w = snprintf(buf + off, cap - off, "%s", tail);
  return w < 0 || (size_t)w >= cap - off ? PR_EINVAL : PR_OK;
}

enum pr_rc aggdb_script(struct aggdb_conn *c, const char *sql, char *err)
{
  return c->db->drv->script(c->c, sql, err);
}

enum pr_rc aggdb_begin(struct aggdb_conn *c, char *err)
{
  enum pr_rc rc;

  assert(!c->in_tx);
  rc = c->db->drv->exec(c->c, c->db->drv->begin_sql, NULL, 0, NULL, err);
  if(rc == PR_OK)
    c->in_tx = 1;
  return rc;
}

enum pr_rc aggdb_commit(struct aggdb_conn *c, char *err)
{
  enum pr_rc rc;

  assert(c->in_tx);
  rc = c->db->drv->exec(c->c, "COMMIT", NULL, 0, NULL, err);
  if(rc != PR_OK) {
    /* A failed COMMIT leaves the transaction open on SQLite (e.g. BUSY);
     * roll it back so nothing half-done lingers on the connection. */
    aggdb_rollback(c);
    return rc;
  }
  c->in_tx = 0;
  return PR_OK;
}

void aggdb_rollback(struct aggdb_conn *c)
{
  if(!c || !c->in_tx)
    return;
  /* Errors are ignored: a lost connection has rolled back by itself. */
  (void)c->db->drv->exec(c->c, "ROLLBACK", NULL, 0, NULL, NULL);
  c->in_tx = 0;
}

enum pr_rc aggdb_exec1(struct aggdb *db, const char *sql,
                       const struct aggdb_param *p, int n, long *changes,
                       char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc = aggdb_acquire(db, &c, err);

  if(rc != PR_OK)
    return rc;
  rc = aggdb_exec(c, sql, p, n, changes, err);
  aggdb_release(c);
  return rc;
}

enum pr_rc aggdb_query1(struct aggdb *db, const char *sql,
                        const struct aggdb_param *p, int n, aggdb_row_fn fn,
                        void *ctx, char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc = aggdb_acquire(db, &c, err);

  if(rc != PR_OK)
    return rc;
  rc = aggdb_query(c, sql, p, n, fn, ctx, err);
  aggdb_release(c);
  return rc;
}

struct first_text {
  char *val;
  int failed;
};

static int first_text_row(void *ctx, int ncol, const char *const *vals,
                          const int *isnull)
{
  struct first_text *ft = ctx;

  if(ncol > 0 && !isnull[0]) {
    ft->val = pr_strdup(vals[0]);
    if(!ft->val)
      ft->failed = 1;
  }
  return 1;
}

enum pr_rc aggdb_query_text(struct aggdb_conn *c, const char *sql,
                            const struct aggdb_param *p, int n, char **out,
                            char *err)
{
  struct first_text ft = { NULL, 0 };
  enum pr_rc rc;

  *out = NULL;
  rc = aggdb_query(c, sql, p, n, first_text_row, &ft, err);
  if(rc == PR_OK && ft.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK) {
    pr_free(ft.val);
    return rc;
  }
  *out = ft.val;
  return PR_OK;
}

struct first_long {
  long long val;
  int found, bad;
};

static int first_long_row(void *ctx, int ncol, const char *const *vals,
                          const int *isnull)
{
  struct first_long *fl = ctx;
  char *end = NULL;

  if(ncol > 0 && !isnull[0]) {
    fl->val = strtoll(vals[0], &end, 10);
    if(end == vals[0] || *end)
      fl->bad = 1;
    else
      fl->found = 1;
  }
  return 1;
}

enum pr_rc aggdb_query_long(struct aggdb_conn *c, const char *sql,
                            const struct aggdb_param *p, int n,
                            long long *out, int *found, char *err)
{
  struct first_long fl = { 0, 0, 0 };
  enum pr_rc rc;

  *out = 0;
  if(found)
    *found = 0;
  rc = aggdb_query(c, sql, p, n, first_long_row, &fl, err);
  if(rc != PR_OK)
    return rc;
  if(fl.bad) {
    pr_seterr(err, "aggdb: expected an integer column");
    return PR_EDB;
  }
  *out = fl.val;
  if(found)
    *found = fl.found;
  return PR_OK;
}

static const char SCHEMA_VERSION_SQL[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " component TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " applied_at BIGINT NOT NULL,"
    " PRIMARY KEY (component, version))";

static enum pr_rc current_version(struct aggdb_conn *c, const char *component,
                                  int *out, char *err)
{
  struct aggdb_param p[1] = { AGGDB_TEXT(component) };
  long long v = 0;
  int found = 0;
  enum pr_rc rc;

  *out = 0;
  rc = aggdb_query_long(c, "SELECT MAX(version) FROM schema_version "
                        "WHERE component = $1", p, 1, &v, &found, err);
  if(rc == PR_OK && found)
    *out = (int)v;
  return rc;
}

enum pr_rc aggdb_schema_version(struct aggdb *db, const char *component,
                                int *out, char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;

  *out = 0;
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_exec(c, SCHEMA_VERSION_SQL, NULL, 0, NULL, err);
  if(rc == PR_OK)
    rc = current_version(c, component, out, err);
  aggdb_release(c);
  return rc;
}

enum pr_rc aggdb_migrate(struct aggdb *db, const char *component,
                         const struct aggdb_step *steps, int n, char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;
  int cur = 0, i;
  char sub[PR_ERR_LEN];

  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_exec(c, SCHEMA_VERSION_SQL, NULL, 0, NULL, err);
  if(rc != PR_OK)
    goto out;
  for(i = 0; i < n; i++) {
    const struct aggdb_step *s = &steps[i];
    const char *sql = s->sql;
    struct aggdb_param p[3];

    if(i > 0 && s->version <= steps[i - 1].version) {
      pr_seterr(err, "migration %s: step versions not increasing at %d",
                component, s->version);
      rc = PR_EINTERNAL;
      goto out;
    }
    rc = aggdb_begin(c, err);
    if(rc != PR_OK)
      goto out;
    if(aggdb_conn_dialect(c) == AGGDB_POSTGRES) {
      /* Several aggregator processes may start at once on one database. */
      rc = aggdb_exec(c, "SELECT pg_advisory_xact_lock(724105)", NULL, 0,
                      NULL, err);
      if(rc != PR_OK)
        goto out;
    }
    /* Re-read inside the transaction: another process may have migrated. */
    rc = current_version(c, component, &cur, err);
    if(rc != PR_OK)
      goto out;
    if(s->version <= cur) {
      aggdb_rollback(c);
      continue;
    }
    if(aggdb_conn_dialect(c) == AGGDB_SQLITE && s->sql_sqlite)
      sql = s->sql_sqlite;
    if(aggdb_conn_dialect(c) == AGGDB_POSTGRES && s->sql_pg)
      sql = s->sql_pg;
    if(sql && *sql) {
      rc = aggdb_script(c, sql, sub);
      if(rc != PR_OK) {
        pr_seterr(err, "migration %s step %d: %s", component, s->version,
                  sub);
        goto out;
      }
    }
    p[0] = AGGDB_TEXT(component);
    p[1] = AGGDB_INT(s->version);
    p[2] = AGGDB_INT(pr_now());
    rc = aggdb_exec(c, "INSERT INTO schema_version (component, version, "
                    "applied_at) VALUES ($1, $2, $3)", p, 3, NULL, err);
    if(rc != PR_OK)
      goto out;
    rc = aggdb_commit(c, err);
    if(rc != PR_OK)
      goto out;
    pr_log(PR_LOG_INFO, "db_migrated", "component=%s version=%d", component,
           s->version);
  }
  rc = PR_OK;
out:
  aggdb_release(c);   /* rolls back an open step */
  return rc;
}
