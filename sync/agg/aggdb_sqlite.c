/* This file contains the SQLite driver of aggdb: one connection per open
 * database behind a mutex (every read and write of the process goes
 * through it — Debian 12's SQLite has a race between concurrent WAL
 * writers), $n parameters bound by name, a small prepared-statement cache
 * and the mapping of SQLite result codes to aggdb's error classes. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "aggdb.h"

#define SQ_CACHE 64          /* prepared statements kept per connection */
#define SQ_BUSY_MS 5000      /* wait for another process's write lock */

struct sq_cached {
  char *sql;
  sqlite3_stmt *st;
  int positional;    /* "$k" is parameter k for every k: bind by number */
};

struct sq_db {
  pthread_mutex_t mu;
  sqlite3 *h;
  struct sq_cached cache[SQ_CACHE];
  int n_cache;
  int next_evict;
};

static enum pr_rc sq_map(struct sq_db *d, int src, const char *what,
                         char *err)
{
  int ext = sqlite3_extended_errcode(d->h);

  pr_seterr(err, "sqlite %s: %s", what, sqlite3_errmsg(d->h));
  switch(src & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_PROTOCOL:
    return PR_EBUSY;
  case SQLITE_FULL:
    return PR_EFULL;
  case SQLITE_NOMEM:
    return PR_ENOMEM;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return PR_ECORRUPT;
  case SQLITE_CONSTRAINT:
    if(ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
      return PR_ECONFLICT;
    return PR_EDB;
  default:
    return PR_EDB;
  }
}

static void sq_close(void *impl)
{
  struct sq_db *d = impl;
  int i;

  if(!d)
    return;
  for(i = 0; i < d->n_cache; i++) {
    sqlite3_finalize(d->cache[i].st);
    pr_free(d->cache[i].sql);
  }
  if(d->h)
    sqlite3_close(d->h);
  pthread_mutex_destroy(&d->mu);
  pr_free(d);
}

static enum pr_rc sq_open(const char *path, void **impl, char *err)
{
  enum pr_rc rc = PR_EBUSY;
  struct sq_db *d;
  char *emsg = NULL;
  int src;

  *impl = NULL;
  d = pr_calloc(1, sizeof(*d));
  if(!d)
    return PR_ENOMEM;
  if(pthread_mutex_init(&d->mu, NULL) != 0) {
    pr_free(d);
    pr_seterr(err, "sqlite: cannot create mutex");
    return PR_EINTERNAL;
  }
  /* NOMUTEX: every use of the handle is already serialised by d->mu
   * (sq_acquire .. sq_release), so SQLite's own per-call mutex would only
   * be taken again for every column of every row. */
  src = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE |
                        SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if(src != SQLITE_OK) {
    pr_seterr(err, "sqlite: cannot open database file %s: %s", path,
              d->h ? sqlite3_errmsg(d->h) : "out of memory");
    goto out;
  }
  sqlite3_busy_timeout(d->h, SQ_BUSY_MS);
  sqlite3_extended_result_codes(d->h, 1);
  /* WAL + synchronous=FULL: a COMMIT that returned is on disk, so nothing
   * is acknowledged to a kiosk that a power cut could take back. */
  src = sqlite3_exec(d->h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                     " PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=4000;",
                     NULL, NULL, &emsg);
  if(src != SQLITE_OK) {
    pr_seterr(err, "sqlite: cannot set up %s: %s", path,
              emsg ? emsg : "unknown error");
    sqlite3_free(emsg);
    rc = (src & 0xff) == SQLITE_NOTADB ? PR_ECORRUPT : PR_EBUSY;
    goto out;
  }
  *impl = d;
  d = NULL;
  rc = PR_OK;
out:
  sq_close(d);
  return rc;
}

static enum pr_rc sq_acquire(void *impl, void **c, char *err)
{
  struct sq_db *d = impl;

  pthread_mutex_lock(&d->mu);
  *c = d;
  return PR_OK;
}

static void sq_release(void *impl, void *c)
{
  struct sq_db *d = impl;

  (void)c;
  pthread_mutex_unlock(&d->mu);
}

/* Whether every parameter k of st is named "$k" (SQLite numbers named
 * parameters by first appearance, so "$1 ... $2 ... $1" qualifies). */
static int is_positional(sqlite3_stmt *st)
{
  int k, n = sqlite3_bind_parameter_count(st);
  char name[16];

  for(k = 1; k <= n; k++) {
    const char *pn = sqlite3_bind_parameter_name(st, k);
    snprintf(name, sizeof(name), "$%d", k);
    if(!pn || strcmp(pn, name))
      return 0;
  }
  return 1;
}

/* A prepared statement for sql, reset and unbound; owned by the cache.
 * *positional tells sq_bind it may skip the name lookups. */
static enum pr_rc sq_prepare(struct sq_db *d, const char *sql,
                             sqlite3_stmt **out, int *positional, char *err)
{
  sqlite3_stmt *st = NULL;
  struct sq_cached *slot;
  char *copy;
  int i, src;

  *out = NULL;
  for(i = 0; i < d->n_cache; i++) {
    if(!strcmp(d->cache[i].sql, sql)) {
      *out = d->cache[i].st;
      *positional = d->cache[i].positional;
      return PR_OK;
    }
  }
  src = sqlite3_prepare_v2(d->h, sql, -1, &st, NULL);
  if(src != SQLITE_OK)
    return sq_map(d, src, "prepare", err);
  copy = pr_strdup(sql);
  if(!copy) {
    sqlite3_finalize(st);
    return PR_ENOMEM;
  }
  if(d->n_cache < SQ_CACHE) {
    slot = &d->cache[d->n_cache++];
  } else {
    slot = &d->cache[d->next_evict];
    d->next_evict = (d->next_evict + 1) % SQ_CACHE;
    sqlite3_finalize(slot->st);
    pr_free(slot->sql);
  }
  slot->sql = copy;
  slot->st = st;
  slot->positional = is_positional(st);
  *positional = slot->positional;
  *out = st;
  return PR_OK;
}

static enum pr_rc sq_bind(struct sq_db *d, sqlite3_stmt *st, int positional,
                          const struct aggdb_param *p, int n, char *err)
{
  int i, idx, src = SQLITE_OK;
  char name[16];

  if(positional && n != sqlite3_bind_parameter_count(st)) {
    pr_seterr(err, "sqlite bind: %d parameters given, statement has %d", n,
              sqlite3_bind_parameter_count(st));
    return PR_EDB;
  }
  if(!positional && n != sqlite3_bind_parameter_count(st) && n > 0) {
    /* $1 used twice counts once, so only check the highest index exists. */
    snprintf(name, sizeof(name), "$%d", n);
    if(!sqlite3_bind_parameter_index(st, name)) {
      pr_seterr(err, "sqlite bind: statement has no parameter %s", name);
      return PR_EDB;
    }
  }
  for(i = 0; i < n; i++) {
    if(positional) {
      idx = i + 1;
    } else {
      snprintf(name, sizeof(name), "$%d", i + 1);
      idx = sqlite3_bind_parameter_index(st, name);
    }
    if(!idx) {
      pr_seterr(err, "sqlite bind: statement has no parameter %s", name);
      return PR_EDB;
    }
    switch(p[i].type) {
    case AGGDB_PTEXT:
      src = sqlite3_bind_text(st, idx, p[i].text, -1, SQLITE_STATIC);
      break;
    case AGGDB_PINT:
      src = sqlite3_bind_int64(st, idx, p[i].i);
      break;
    default:
      src = sqlite3_bind_null(st, idx);
      break;
    }
    if(src != SQLITE_OK)
      return sq_map(d, src, "bind", err);
  }
  return PR_OK;
}

/* Run st to the end (or until fn asks to stop), always leaving it reset. */
static enum pr_rc sq_run(struct sq_db *d, sqlite3_stmt *st, aggdb_row_fn fn,
                         void *ctx, char *err)
{
  enum pr_rc rc = PR_OK;
  const char *vals[64];
  int isnull[64];
  int src, ncol, i;

  for(;;) {
    src = sqlite3_step(st);
    if(src == SQLITE_DONE)
      break;
    if(src != SQLITE_ROW) {
      rc = sq_map(d, src, "step", err);
      break;
    }
    if(!fn)
      continue;
    ncol = sqlite3_column_count(st);
    if(ncol > (int)PR_ARRAY_LEN(vals)) {
      pr_seterr(err, "sqlite: a query may return at most %d columns",
                (int)PR_ARRAY_LEN(vals));
      rc = PR_EINVAL;
      goto out;
    }
    for(i = 0; i < ncol; i++) {
      /* column_text is NULL for a NULL value, or when out of memory: only
       * then is the type asked. */
      vals[i] = (const char *)sqlite3_column_text(st, i);
      isnull[i] = !vals[i] && sqlite3_column_type(st, i) == SQLITE_NULL;
      if(!isnull[i] && !vals[i]) {
        rc = PR_ENOMEM;
        goto out;
      }
    }
    if(fn(ctx, ncol, vals, isnull))
      break;
  }
out:
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}

static enum pr_rc sq_query(void *c, const char *sql,
                           const struct aggdb_param *p, int n,
                           aggdb_row_fn fn, void *ctx, char *err)
{
  struct sq_db *d = c;
  sqlite3_stmt *st = NULL;
  int positional = 0;
  enum pr_rc rc;

  rc = sq_prepare(d, sql, &st, &positional, err);
  if(rc != PR_OK)
    return rc;
  rc = sq_bind(d, st, positional, p, n, err);
  if(rc != PR_OK) {
    sqlite3_clear_bindings(st);
    return rc;
  }
  return sq_run(d, st, fn, ctx, err);
}

static enum pr_rc sq_exec(void *c, const char *sql,
                          const struct aggdb_param *p, int n, long *changes,
                          char *err)
{
  struct sq_db *d = c;
  enum pr_rc rc = sq_query(c, sql, p, n, NULL, NULL, err);

  if(rc == PR_OK && changes)
    *changes = (long)sqlite3_changes(d->h);
  return rc;
}

static enum pr_rc sq_script(void *c, const char *sql, char *err)
{
  struct sq_db *d = c;
  char *emsg = NULL;
  int src = sqlite3_exec(d->h, sql, NULL, NULL, &emsg);
  enum pr_rc rc = PR_OK;

  if(src != SQLITE_OK) {
    rc = sq_map(d, src, "script", err);
    if(emsg)
      pr_seterr(err, "sqlite: %s", emsg);
  }
  sqlite3_free(emsg);
  return rc;
}

const struct aggdb_driver aggdb_sqlite_driver = {
  .name = "sqlite",
  .dialect = AGGDB_SQLITE,
  .open = sq_open,
  .close = sq_close,
  .acquire = sq_acquire,
  .release = sq_release,
  .exec = sq_exec,
  .query = sq_query,
  .script = sq_script,
  .begin_sql = "BEGIN IMMEDIATE",
};
