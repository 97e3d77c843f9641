/* This file contains the PostgreSQL driver of aggdb, on libpq: a small
 * connection pool per process (several aggregator processes share nothing
 * but the database), $n parameters sent as text and typed by the server,
 * a per-connection prepared-statement cache, and the mapping of SQLSTATEs
 * and lost connections to aggdb's error classes — above all PR_EBUSY
 * ("database unavailable"), which the HTTP layer answers with 503 +
 * Retry-After so that nothing uncommitted is ever acknowledged.
 *
 * The URL is a libpq connection URI (postgresql://user@host:port/db?...).
 * Two query parameters are the driver's own and are removed before libpq
 * sees the URI:
 *   pool=N         connections kept per process (1..64, default 8)
 *   start_wait=S   seconds to keep retrying, with exponential backoff,
 *                  when the database is down at start (0..3600, default 30)
 * The driver sets connect_timeout=5, TCP keepalives and
 * application_name=rost-agg unless the URI says otherwise. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libpq-fe.h>

#include "aggdb.h"
#include "aggdb_pg.h"

#define PGX_POOL_DEFAULT 8
#define PGX_POOL_MAX 64
#define PGX_START_WAIT_DEFAULT 30
#define PGX_ACQUIRE_WAIT_S 10     /* pool exhausted this long -> busy */
#define PGX_CACHE 64              /* prepared statements per connection */
#define PGX_URL_MAX 2048
#define PGX_PIPE_MAX 256         /* deferred statements before a drain */

struct pgx_stmt {
  char *sql;
  unsigned long hash;
  int id;                   /* server-side name "aggdb_<id>" */
};

struct pgx_db;

struct pgx_conn {
  struct pgx_db *db;
  PGconn *pg;
  int broken;               /* the connection is lost: close on release */
  struct pgx_stmt cache[PGX_CACHE];
  int n_cache;
  int next_evict;
  int next_id;
  int pipe;                 /* in libpq pipeline mode (see pgx_defer) */
  int pending;              /* statements sent whose results are unread */
  struct pgx_conn *next;    /* idle list */
};

struct pgx_db {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char *url;                /* the URI without the driver's own params */
  char where[160];          /* host:port/db for messages, never a password */
  int pool_max;
  int n_open;               /* connections that exist (idle + lent) */
  struct pgx_conn *idle;
};

/* ---------- URL handling ---------- */

/* Split the driver's own query parameters out of url.  *libpq_url is the
 * caller's (pr_free).  PR_EINVAL names the bad parameter. */
static enum pr_rc pgx_parse_url(const char *url, char **libpq_url,
                                int *pool, int *start_wait, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  const char *q = strchr(url, '?');
  char *out = NULL, *params = NULL, *tok, *amp;
  size_t cap, len;
  int first = 1;

  *libpq_url = NULL;
  *pool = PGX_POOL_DEFAULT;
  *start_wait = PGX_START_WAIT_DEFAULT;
  cap = strlen(url) + 1;
  if(cap > PGX_URL_MAX) {
    pr_seterr(err, "database URL is longer than %d bytes", PGX_URL_MAX);
    goto out;
  }
  out = pr_malloc(cap);
  if(!out) {
    rc = PR_ENOMEM;
    goto out;
  }
  len = q ? (size_t)(q - url) : strlen(url);
  memcpy(out, url, len);
  out[len] = '\0';
  if(q) {
    params = pr_strdup(q + 1);
    if(!params) {
      rc = PR_ENOMEM;
      goto out;
    }
    for(tok = params; tok; tok = amp) {
      long v;

      amp = strchr(tok, '&');
      if(amp)
        *amp++ = '\0';
      if(!*tok)
        continue;

      if(!strncmp(tok, "pool=", 5)) {
        if(pr_parse_long(tok + 5, 1, PGX_POOL_MAX, &v) != 0) {
          pr_seterr(err, "database URL: pool must be 1..%d, not '%s'",
                    PGX_POOL_MAX, tok + 5);
          goto out;
        }
        *pool = (int)v;
        continue;
      }
      if(!strncmp(tok, "start_wait=", 11)) {
        if(pr_parse_long(tok + 11, 0, 3600, &v) != 0) {
          pr_seterr(err, "database URL: start_wait must be 0..3600 "
                    "seconds, not '%s'", tok + 11);
          goto out;
        }
        *start_wait = (int)v;
        continue;
      }
      /* Everything else is libpq's (sslmode, connect_timeout, ...). */
      len = strlen(out);
      if(len + 1 + strlen(tok) + 1 > cap) {
        rc = PR_EINTERNAL;
        goto out;
      }
      out[len] = first ? '?' : '&';
      memcpy(out + len + 1, tok, strlen(tok) + 1);
      first = 0;
    }
  }
  *libpq_url = out;
  out = NULL;
  rc = PR_OK;
out:
  pr_free(out);
  pr_free(params);
  return rc;
}

/* host:port/dbname of a URI, for messages and logs (no user, no password). */
static void pgx_describe(const char *url, char *buf, size_t cap)
{
  PQconninfoOption *opts = PQconninfoParse(url, NULL);
  const char *host = "?", *port = "5432", *dbname = "?";
  PQconninfoOption *o;

  if(opts) {
    for(o = opts; o->keyword; o++) {
      if(!o->val || !*o->val)
        continue;
      if(!strcmp(o->keyword, "host"))
        host = o->val;
      else if(!strcmp(o->keyword, "port"))
        port = o->val;
      else if(!strcmp(o->keyword, "dbname"))
        dbname = o->val;
    }
  }
  if(snprintf(buf, cap, "%s:%s/%s", host, port, dbname) >= (int)cap)
    buf[cap - 1] = '\0';
  PQconninfoFree(opts);
}

/* libpq's messages span lines; logs and err are one line each. */
static void pgx_oneline(char *s)
{
  for(; *s; s++)
    if(*s == '\n' || *s == '\t' || *s == '\r')
      *s = ' ';
}

static void pgx_seterr(char *err, const char *what, const char *msg)
{
  char buf[PR_ERR_LEN];

  pr_strlcpy(buf, msg ? msg : "", sizeof(buf));
  pgx_oneline(buf);
  /* Trim trailing blanks left by the newline libpq ends with. */
  for(size_t n = strlen(buf); n > 0 && buf[n - 1] == ' '; n--)
    buf[n - 1] = '\0';
  pr_seterr(err, "postgresql %s: %s", what, buf);
}

/* ---------- connections ---------- */

static void pgx_conn_free(struct pgx_conn *c)
{
  int i;

  if(!c)
    return;
  for(i = 0; i < c->n_cache; i++)
    pr_free(c->cache[i].sql);
  if(c->pg)
    PQfinish(c->pg);
  pr_free(c);
}

/* Open one connection.  PR_EBUSY when the server cannot be reached. */
static enum pr_rc pgx_connect(struct pgx_db *d, struct pgx_conn **out,
                              char *err)
{
  /* Defaults first: a value in the URI (expanded from dbname) wins. */
  static const char *const keys[] = {
    "connect_timeout", "application_name", "keepalives", "keepalives_idle",
    "keepalives_interval", "keepalives_count", "client_encoding", "dbname",
    NULL
  };
  const char *vals[] = { "5", "rost-agg", "1", "30", "10", "3", "UTF8",
                         d->url, NULL };
  struct pgx_conn *c;
  enum pr_rc rc = PR_EBUSY;

  *out = NULL;
  c = pr_calloc(1, sizeof(*c));
  if(!c)
    return PR_ENOMEM;
  c->db = d;
  c->pg = PQconnectdbParams(keys, vals, 1);
  if(!c->pg) {
    rc = PR_ENOMEM;
    goto out;
  }
  if(PQstatus(c->pg) != CONNECTION_OK) {
    pgx_seterr(err, "connect", PQerrorMessage(c->pg));
    goto out;
  }
  /* Only warnings and errors; notices (e.g. "relation already exists,
   * skipping") would otherwise go to stderr as multi-line text. */
  {
    PGresult *r = PQexec(c->pg, "SET client_min_messages = warning");
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;

    PQclear(r);
    if(!ok) {
      pgx_seterr(err, "connect", PQerrorMessage(c->pg));
      goto out;
    }
  }
  *out = c;
  c = NULL;
  rc = PR_OK;
out:
  pgx_conn_free(c);
  return rc;
}

static void pgx_close(void *impl)
{
  struct pgx_db *d = impl;
  struct pgx_conn *c;

  if(!d)
    return;
  /* Every connection must have been released: aggdb's contract. */
  while((c = d->idle)) {
    d->idle = c->next;
    pgx_conn_free(c);
  }
  pthread_cond_destroy(&d->cv);
  pthread_mutex_destroy(&d->mu);
  pr_free(d->url);
  pr_free(d);
}

static void pgx_sleep_ms(long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while(nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

static enum pr_rc pgx_open(const char *url, void **impl, char *err)
{
  enum pr_rc rc;
  struct pgx_db *d = NULL;
  struct pgx_conn *c = NULL;
  int start_wait = 0;
  long waited_ms = 0, backoff_ms = 250;

  *impl = NULL;
  d = pr_calloc(1, sizeof(*d));
  if(!d)
    return PR_ENOMEM;
  pthread_mutex_init(&d->mu, NULL);
  pthread_cond_init(&d->cv, NULL);
  rc = pgx_parse_url(url, &d->url, &d->pool_max, &start_wait, err);
  if(rc != PR_OK)
    goto out;
  {
    char *perr = NULL;
    PQconninfoOption *o = PQconninfoParse(d->url, &perr);

    if(!o) {
      pgx_seterr(err, "URL", perr ? perr : "cannot be parsed");
      PQfreemem(perr);
      rc = PR_EINVAL;
      goto out;
    }
    PQconninfoFree(o);
  }
  pgx_describe(d->url, d->where, sizeof(d->where));
  /* Database down at start: say so clearly, then retry with exponential
   * backoff for up to start_wait seconds (a service manager may start us
   * before the database). */
  for(;;) {
    char sub[PR_ERR_LEN];

    rc = pgx_connect(d, &c, sub);
    if(rc == PR_OK)
      break;
    if(rc != PR_EBUSY || waited_ms >= start_wait * 1000L) {
      pr_seterr(err, "database %s unavailable: %s", d->where, sub);
      goto out;
    }
    pr_log(PR_LOG_WARN, "db_unavailable", "db=%s retry_in_ms=%ld error=\"%s\"",
           d->where, backoff_ms, sub);
    pgx_sleep_ms(backoff_ms);
    waited_ms += backoff_ms;
    backoff_ms = backoff_ms * 2 > 8000 ? 8000 : backoff_ms * 2;
  }
  c->next = NULL;
  d->idle = c;
  d->n_open = 1;
  c = NULL;
  pr_log(PR_LOG_INFO, "db_open", "driver=postgresql db=%s pool=%d", d->where,
         d->pool_max);
  *impl = d;
  d = NULL;
  rc = PR_OK;
out:
  pgx_conn_free(c);
  pgx_close(d);
  return rc;
}

/* True when an idle connection is still usable: reads whatever the server
 * sent meanwhile (a shutdown notice, EOF) without blocking. */
static int pgx_alive(struct pgx_conn *c)
{
  struct pollfd pfd;

  if(PQstatus(c->pg) != CONNECTION_OK)
    return 0;
  pfd.fd = PQsocket(c->pg);
  pfd.events = POLLIN;
  pfd.revents = 0;
  if(pfd.fd < 0)
    return 0;
  if(poll(&pfd, 1, 0) > 0) {
    if(pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
      return 0;
    if(!PQconsumeInput(c->pg))
      return 0;
    /* An idle connection has nothing to say but a fatal error. */
    if(PQisBusy(c->pg) || PQstatus(c->pg) != CONNECTION_OK)
      return 0;
    {
      PGresult *r;

      while((r = PQgetResult(c->pg)))
        PQclear(r);
    }
  }
  return PQstatus(c->pg) == CONNECTION_OK;
}

static enum pr_rc pgx_acquire(void *impl, void **out, char *err)
{
  struct pgx_db *d = impl;
  struct pgx_conn *c = NULL;
  struct timespec deadline;
  enum pr_rc rc;

  *out = NULL;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += PGX_ACQUIRE_WAIT_S;
  pthread_mutex_lock(&d->mu);
  for(;;) {
    if(d->idle) {
      c = d->idle;
      d->idle = c->next;
      c->next = NULL;
      break;
    }
    if(d->n_open < d->pool_max) {
      d->n_open++;
      break;
    }
    if(pthread_cond_timedwait(&d->cv, &d->mu, &deadline) == ETIMEDOUT) {
      pthread_mutex_unlock(&d->mu);
      pr_seterr(err, "database %s: all %d pooled connections busy for %d s",
                d->where, d->pool_max, PGX_ACQUIRE_WAIT_S);
      return PR_EBUSY;
    }
  }
  pthread_mutex_unlock(&d->mu);
  /* A pooled connection may have died while idle (server restarted):
   * replace it now rather than fail the caller's first statement. */
  if(c && !pgx_alive(c)) {
    pgx_conn_free(c);
    c = NULL;
  }
  if(!c) {
    char sub[PR_ERR_LEN];

    rc = pgx_connect(d, &c, sub);
    if(rc != PR_OK) {
      pr_seterr(err, "database %s unavailable: %s", d->where, sub);
      pthread_mutex_lock(&d->mu);
      d->n_open--;
      pthread_cond_signal(&d->cv);
      pthread_mutex_unlock(&d->mu);
      if(rc == PR_EBUSY)
        pr_log(PR_LOG_WARN, "db_unavailable", "db=%s", d->where);
      return rc;
    }
  }
  *out = c;
  return PR_OK;
}

static void pgx_release(void *impl, void *vc)
{
  struct pgx_db *d = impl;
  struct pgx_conn *c = vc;

  if(!c)
    return;
  /* Never hand on a connection that is lost or still inside a
   * transaction: the next borrower would inherit someone's half work. */
  if(c->broken || c->pipe || PQstatus(c->pg) != CONNECTION_OK ||
     PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
    pgx_conn_free(c);
    c = NULL;
  }
  pthread_mutex_lock(&d->mu);
  if(c) {
    c->next = d->idle;
    d->idle = c;
  } else {
    d->n_open--;
  }
  pthread_cond_signal(&d->cv);
  pthread_mutex_unlock(&d->mu);
}

/* ---------- statements ---------- */

/* Map a failed result (r may be NULL) to an error class.  Connection
 * loss and the server's "shutting down / starting up / too many
 * connections / lock or serialization trouble" are PR_EBUSY: retry later.
 * COMMIT of a lost connection is PR_EBUSY too — its fate is unknown, so
 * the caller acknowledges nothing; a resend is then stored or a duplicate. */
static enum pr_rc pgx_fail(struct pgx_conn *c, PGresult *r, char *err)
{
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = r ? PQresultErrorMessage(r) : NULL;

  if(!msg || !*msg)
    msg = PQerrorMessage(c->pg);
  if(PQstatus(c->pg) != CONNECTION_OK) {
    c->broken = 1;
    pgx_seterr(err, "unavailable (connection lost)", msg);
    return PR_EBUSY;
  }
  if(!state) {
    /* No SQLSTATE: libpq itself failed (out of memory, socket error). */
    c->broken = 1;
    pgx_seterr(err, "unavailable", msg);
    return r ? PR_EBUSY : PR_ENOMEM;
  }
  if(!strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
     !strcmp(state, "57P02") || !strcmp(state, "57P03") ||
     !strcmp(state, "57014") || !strcmp(state, "55P03") ||
     !strcmp(state, "40001") || !strcmp(state, "40P01") ||
     !strcmp(state, "53300") || !strcmp(state, "53200") ||
     !strncmp(state, "58", 2)) {
    if(!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4))
      c->broken = 1;
    pgx_seterr(err, "unavailable", msg);
    return PR_EBUSY;
  }
  if(!strcmp(state, "53100")) {
    pgx_seterr(err, "disk full", msg);
    return PR_EFULL;
  }
  if(!strcmp(state, "23505")) {
    pgx_seterr(err, "unique violation", msg);
    return PR_ECONFLICT;
  }
  pgx_seterr(err, state, msg);
  return PR_EDB;
}

/* FNV-1a: the cache lookup compares hashes before whole strings. */
static unsigned long pgx_hash(const char *s)
{
  unsigned long h = 1469598103UL;

  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619UL;
  return h;
}

/* Statements worth preparing once per connection: the ones that run again
 * and again (ingest, queries).  DDL and transaction control go unprepared. */
static int pgx_cacheable(const char *sql)
{
  static const char *const kw[] = { "SELECT", "INSERT", "UPDATE", "DELETE",
                                    "WITH" };
  size_t i;

  while(*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
    sql++;
  for(i = 0; i < PR_ARRAY_LEN(kw); i++)
    if(!strncasecmp(sql, kw[i], strlen(kw[i])))
      return 1;
  return 0;
}

static void pgx_stmt_name(int id, char *buf, size_t cap)
{
  if(snprintf(buf, cap, "aggdb_%d", id) >= (int)cap)
    buf[cap - 1] = '\0';
}

/* Drop cache entry i (and its server-side statement when asked). */
static void pgx_uncache(struct pgx_conn *c, int i, int deallocate)
{
  if(deallocate && !c->broken) {
    char sql[48];

    if(snprintf(sql, sizeof(sql), "DEALLOCATE aggdb_%d", c->cache[i].id) <
       (int)sizeof(sql))
      PQclear(PQexec(c->pg, sql));
  }
  pr_free(c->cache[i].sql);
  c->cache[i] = c->cache[--c->n_cache];
}

/* Find or prepare sql on c.  *name receives the statement name. */
static enum pr_rc pgx_prepare(struct pgx_conn *c, const char *sql, int n,
                              char *name, size_t cap, char *err)
{
  unsigned long h = pgx_hash(sql);
  struct pgx_stmt *s;
  PGresult *r;
  enum pr_rc rc;
  int i;

  for(i = 0; i < c->n_cache; i++) {
    if(c->cache[i].hash == h && !strcmp(c->cache[i].sql, sql)) {
      pgx_stmt_name(c->cache[i].id, name, cap);
      return PR_OK;
    }
  }
  if(c->n_cache == PGX_CACHE) {
    /* Inside a failed transaction DEALLOCATE would fail too; the evicted
     * name is then left on the server, harmless (names never repeat). */
    c->next_evict = (c->next_evict + 1) % PGX_CACHE;
    pgx_uncache(c, c->next_evict,
                PQtransactionStatus(c->pg) != PQTRANS_INERROR);
  }
  s = &c->cache[c->n_cache];
  s->sql = pr_strdup(sql);
  if(!s->sql)
    return PR_ENOMEM;
  s->hash = h;
  s->id = c->next_id++;
  pgx_stmt_name(s->id, name, cap);
  /* Parameter types are left to the server (0): a $n compared with a
   * BIGINT column is a bigint, one compared with TEXT is text — the same
   * freedom SQLite gives the portable SQL. */
  r = PQprepare(c->pg, name, sql, n, NULL);
  if(!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
    rc = pgx_fail(c, r, err);
    PQclear(r);
    pr_free(s->sql);
    s->sql = NULL;
    return rc;
  }
  PQclear(r);
  c->n_cache++;
  return PR_OK;
}

/* Name of sql in the cache, or 0 when it is not prepared yet. */
static int pgx_cached(struct pgx_conn *c, const char *sql, char *name,
                      size_t cap)
{
  unsigned long h = pgx_hash(sql);
  int i;

  for(i = 0; i < c->n_cache; i++) {
    if(c->cache[i].hash == h && !strcmp(c->cache[i].sql, sql)) {
      pgx_stmt_name(c->cache[i].id, name, cap);
      return 1;
    }
  }
  return 0;
}

/* Leave pipeline mode: send a Sync, read every deferred statement's
 * result and report the first failure (the transaction is then aborted
 * on the server and its COMMIT would come back as ROLLBACK).  Inside a
 * BEGIN block a Sync commits nothing. */
static enum pr_rc pgx_drain_keep(struct pgx_conn *c, PGresult **last,
                                 char *err)
{
  enum pr_rc rc = PR_OK;
  char sub[PR_ERR_LEN] = "";
  int synced = 0, nulls = 0, idx = 0, fail_idx = 0;

  if(last)
    *last = NULL;
  if(!c->pipe)
    return PR_OK;
  if(PQpipelineSync(c->pg) != 1) {
    c->broken = 1;
    pgx_seterr(err, "unavailable (connection lost)", PQerrorMessage(c->pg));
    return PR_EBUSY;
  }
  while(!synced) {
    PGresult *r = PQgetResult(c->pg);
    ExecStatusType st;

    if(!r) {
      /* NULL ends each statement's results; a lost connection gives
       * NULLs for ever, so stop once there cannot be more. */
      if(PQstatus(c->pg) != CONNECTION_OK || ++nulls > c->pending + 2) {
        c->broken = 1;
        if(rc == PR_OK) {
          pgx_seterr(sub, "unavailable (connection lost)",
                     PQerrorMessage(c->pg));
          rc = PR_EBUSY;
        }
        break;
      }
      continue;
    }
    st = PQresultStatus(r);
    if(st == PGRES_PIPELINE_SYNC) {
      synced = 1;
      PQclear(r);
      continue;
    }
    idx++;
    if(st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
       st != PGRES_PIPELINE_ABORTED && rc == PR_OK) {
      rc = pgx_fail(c, r, sub);
      fail_idx = idx;
    } else if(st == PGRES_PIPELINE_ABORTED && rc == PR_OK) {
      rc = PR_EDB;
      fail_idx = idx;
      pr_seterr(sub, "postgresql: a deferred statement was aborted");
    }
    if(last && idx == c->pending && rc == PR_OK && !*last) {
      *last = r;             /* the caller's statement: its result */
      continue;
    }
    PQclear(r);
  }
  if(!c->broken && PQexitPipelineMode(c->pg) != 1)
    c->broken = 1;
  c->pipe = 0;
  if(rc != PR_OK) {
    if(last && *last) {
      PQclear(*last);
      *last = NULL;
    }
    if(last && fail_idx == c->pending)
      pr_seterr(err, "%s", sub);
    else
      pr_seterr(err, "%s (a statement earlier in this transaction)", sub);
  }
  c->pending = 0;
  return rc;
}

static enum pr_rc pgx_drain(struct pgx_conn *c, char *err)
{
  return pgx_drain_keep(c, NULL, err);
}

/* Inside a transaction, a statement whose row count nobody asked for
 * (an answer row, a counts upsert) need not wait for its reply: it is
 * sent in libpq's pipeline mode and its result is read at the next
 * statement that needs a reply, at COMMIT at the latest.  An ingest batch
 * then costs one round trip per response instead of one per row.  A
 * failure surfaces as the error of that later call — and as a failed
 * COMMIT, so nothing of the transaction is acknowledged.  Returns 1 when
 * sql was sent (or failed: *rc says which), 0 to run it synchronously. */
static int pgx_defer(struct pgx_conn *c, const char *sql,
                     const char *const *vals, int n, enum pr_rc *rc,
                     char *err)
{
  char name[32];

  if(c->broken || !pgx_cacheable(sql))
    return 0;
  if(!c->pipe && PQtransactionStatus(c->pg) != PQTRANS_INTRANS)
    return 0;
  if(!pgx_cached(c, sql, name, sizeof(name))) {
    /* PQprepare is synchronous: out of pipeline mode first. */
    *rc = pgx_drain(c, err);
    if(*rc == PR_OK)
      *rc = pgx_prepare(c, sql, n, name, sizeof(name), err);
    if(*rc != PR_OK)
      return 1;
  }
  if(!c->pipe) {
    if(PQenterPipelineMode(c->pg) != 1)
      return 0;
    c->pipe = 1;
  }
  if(PQsendQueryPrepared(c->pg, name, n, vals, NULL, NULL, 0) != 1) {
    c->broken = 1;
    pgx_seterr(err, "unavailable (connection lost)", PQerrorMessage(c->pg));
    *rc = PR_EBUSY;
    return 1;
  }
  c->pending++;
  *rc = c->pending >= PGX_PIPE_MAX ? pgx_drain(c, err) : PR_OK;
  return 1;
}

static enum pr_rc pgx_run_vals(struct pgx_conn *c, const char *sql,
                               const struct aggdb_param *p, int n,
                               int may_defer, const char **vals,
                               char (*ints)[24], PGresult **res, char *err);

/* Run one statement.  *res is the caller's (PQclear) on PR_OK; with
 * may_defer and nobody needing the result, *res may stay NULL (deferred,
 * see pgx_defer). */
static enum pr_rc pgx_run(struct pgx_conn *c, const char *sql,
                          const struct aggdb_param *p, int n, int may_defer,
                          PGresult **res, char *err)
{
  const char *vals_s[32], **vals = vals_s;
  char ints_s[32][24], (*ints)[24] = ints_s;
  enum pr_rc rc;

  *res = NULL;
  if(c->broken) {
    pr_seterr(err, "postgresql unavailable: connection lost earlier");
    return PR_EBUSY;
  }
  /* Multi-row statements (aggdb_values_sql) have up to AGGDB_MAX_PARAMS. */
  if(n > 32) {
    vals = pr_malloc((size_t)n * sizeof(*vals));
    ints = pr_malloc((size_t)n * sizeof(*ints));
    if(!vals || !ints) {
      pr_free(vals);
      pr_free(ints);
      return PR_ENOMEM;
    }
  }
  rc = pgx_run_vals(c, sql, p, n, may_defer, vals, ints, res, err);
  if(vals != vals_s) {
    pr_free(vals);
    pr_free(ints);
  }
  return rc;
}

/* pgx_run with the parameter text arrays given (room for n each). */
static enum pr_rc pgx_run_vals(struct pgx_conn *c, const char *sql,
                               const struct aggdb_param *p, int n,
                               int may_defer, const char **vals,
                               char (*ints)[24], PGresult **res, char *err)
{
  char name[32];
  PGresult *r = NULL;
  ExecStatusType st;
  enum pr_rc rc;
  int i, attempt;

  for(i = 0; i < n; i++) {
    switch(p[i].type) {
    case AGGDB_PNULL:
      vals[i] = NULL;
      break;
    case AGGDB_PINT:
      snprintf(ints[i], sizeof(ints[i]), "%lld", p[i].i);
      vals[i] = ints[i];
      break;
    case AGGDB_PTEXT:
      vals[i] = p[i].text;
      break;
    default:
      pr_seterr(err, "aggdb: parameter $%d has an unknown type", i + 1);
      return PR_EINVAL;
    }
  }
  if(may_defer && pgx_defer(c, sql, vals, n, &rc, err))
    return rc;
  /* Statements are waiting in the pipeline and this one is prepared:
   * send it behind them and read everything in the same round trip. */
  if(c->pipe && pgx_cached(c, sql, name, sizeof(name))) {
    if(PQsendQueryPrepared(c->pg, name, n, vals, NULL, NULL, 0) != 1) {
      c->broken = 1;
      pgx_seterr(err, "unavailable (connection lost)",
                 PQerrorMessage(c->pg));
      return PR_EBUSY;
    }
    c->pending++;
    rc = pgx_drain_keep(c, &r, err);
    if(rc == PR_OK && !r) {
      pr_seterr(err, "postgresql: no result for a pipelined statement");
      rc = PR_EINTERNAL;
    }
    if(rc != PR_OK)
      return rc;
    *res = r;
    return PR_OK;
  }
  rc = pgx_drain(c, err);
  /* ROLLBACK still goes out after a deferred failure: it is the cure. */
  if(rc != PR_OK && (c->broken || strcasecmp(sql, "ROLLBACK") != 0))
    return rc;
  for(attempt = 0; attempt < 2; attempt++) {
    if(pgx_cacheable(sql)) {
      rc = pgx_prepare(c, sql, n, name, sizeof(name), err);
      if(rc != PR_OK)
        return rc;
      r = PQexecPrepared(c->pg, name, n, vals, NULL, NULL, 0);
    } else if(n == 0) {
      r = PQexec(c->pg, sql);
    } else {
      r = PQexecParams(c->pg, sql, n, NULL, vals, NULL, NULL, 0);
    }
    st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      *res = r;
      return PR_OK;
    }
    /* A table dropped and made anew with other columns invalidates a
     * cached statement ("cached plan must not change result type"):
     * prepare it again, once. */
    if(attempt == 0 && r && pgx_cacheable(sql) &&
       PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
      const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

      if(state && (!strcmp(state, "0A000") || !strcmp(state, "26000"))) {
        for(i = 0; i < c->n_cache; i++)
          if(!strcmp(c->cache[i].sql, sql))
            pgx_uncache(c, i, 1);
        PQclear(r);
        r = NULL;
        continue;
      }
    }
    /* CREATE ... IF NOT EXISTS is not safe against a concurrent creator
     * in PostgreSQL: when several aggregator processes start on a new
     * database at once, the loser fails with a unique violation on the
     * catalog (23505) or duplicate_table (42P07).  The winner has
     * committed by then, so running it again finds the object. */
    if(attempt == 0 && r && !pgx_cacheable(sql) &&
       PQtransactionStatus(c->pg) == PQTRANS_IDLE &&
       strstr(sql, "IF NOT EXISTS")) {
      const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

      if(state && (!strcmp(state, "23505") || !strcmp(state, "42P07") ||
                   !strcmp(state, "42710"))) {
        PQclear(r);
        r = NULL;
        continue;
      }
    }
    break;
  }
  rc = pgx_fail(c, r, err);
  PQclear(r);
  return rc;
}

static enum pr_rc pgx_exec(void *vc, const char *sql,
                           const struct aggdb_param *p, int n, long *changes,
                           char *err)
{
  struct pgx_conn *c = vc;
  PGresult *r = NULL;
  enum pr_rc rc;

  if(changes)
    *changes = 0;
  rc = pgx_run(c, sql, p, n, changes == NULL, &r, err);
  if(rc != PR_OK || !r)
    return rc;
  /* COMMIT of a transaction in which a statement failed is answered
   * "ROLLBACK", without an error: nothing was committed, and the caller
   * must not acknowledge anything. */
  if(!strcasecmp(sql, "COMMIT") && !strcmp(PQcmdStatus(r), "ROLLBACK")) {
    PQclear(r);
    pr_seterr(err, "postgresql: COMMIT rolled back (a statement in the "
              "transaction failed)");
    return PR_EDB;
  }
  if(changes) {
    const char *t = PQcmdTuples(r);
    long v = 0;

    if(t && *t && pr_parse_long(t, 0, LONG_MAX, &v) == 0)
      *changes = v;
  }
  PQclear(r);
  return PR_OK;
}

static enum pr_rc pgx_query(void *vc, const char *sql,
                            const struct aggdb_param *p, int n,
                            aggdb_row_fn fn, void *ctx, char *err)
{
  struct pgx_conn *c = vc;
  PGresult *r = NULL;
  const char **vals = NULL;
  int *isnull = NULL;
  int ncol, nrow, i, j;
  enum pr_rc rc;

  rc = pgx_run(c, sql, p, n, 0, &r, err);
  if(rc != PR_OK)
    return rc;
  ncol = PQnfields(r);
  nrow = PQntuples(r);
  if(ncol > 0) {
    vals = pr_calloc((size_t)ncol, sizeof(*vals));
    isnull = pr_calloc((size_t)ncol, sizeof(*isnull));
    if(!vals || !isnull) {
      rc = PR_ENOMEM;
      goto out;
    }
  }
  for(i = 0; i < nrow && fn; i++) {
    for(j = 0; j < ncol; j++) {
      isnull[j] = PQgetisnull(r, i, j);
      vals[j] = isnull[j] ? NULL : PQgetvalue(r, i, j);
    }
    if(fn(ctx, ncol, vals, isnull) != 0)
      break;
  }
  rc = PR_OK;
out:
  pr_free(vals);
  pr_free(isnull);
  PQclear(r);
  return rc;
}

static enum pr_rc pgx_script(void *vc, const char *sql, char *err)
{
  struct pgx_conn *c = vc;
  PGresult *r;
  enum pr_rc rc = PR_OK;

  if(c->broken) {
    pr_seterr(err, "postgresql unavailable: connection lost earlier");
    return PR_EBUSY;
  }
  rc = pgx_drain(c, err);
  if(rc != PR_OK)
    return rc;
  /* The simple-query protocol runs several statements in one round trip;
   * PQexec returns the last result, or the first failure. */
  r = PQexec(c->pg, sql);
  if(!r || (PQresultStatus(r) != PGRES_COMMAND_OK &&
            PQresultStatus(r) != PGRES_TUPLES_OK &&
            PQresultStatus(r) != PGRES_EMPTY_QUERY))
    rc = pgx_fail(c, r, err);
  PQclear(r);
  return rc;
}

/* PostgreSQL-only schema steps (runs after "agg" and "aggregates").
 * counts and counts_month are small tables whose rows are upserted again
 * and again by every ingest; their covering indexes answer the indicator
 * queries with index-only scans only while the visibility map is fresh.
 * The default autovacuum threshold (20 % of the table changed) lets it go
 * stale at national scale, so vacuum these two after 1 % instead.  (The
 * covering indexes themselves are "aggregates"' counts_indicator_cover
 * and counts_month's primary key.) */
static const struct aggdb_step pg_steps[] = {
  { 1, NULL, NULL,
    "ALTER TABLE IF EXISTS counts SET (autovacuum_vacuum_scale_factor = 0.01,"
    " autovacuum_analyze_scale_factor = 0.02);"
    "ALTER TABLE IF EXISTS counts_month SET"
    " (autovacuum_vacuum_scale_factor = 0.01,"
    " autovacuum_analyze_scale_factor = 0.02)" },
  /* Step 2: the two big tables, responses (one row per response) and
   * answers (4-6 per response), declaratively partitioned by HASH of
   * uuid into PG_PARTS partitions.  uuid is their key and the only column
   * every uniqueness check has, so ON CONFLICT (uuid) stays exact; a
   * period or unit key would have to join the primary key and let a
   * resent uuid in under another period or unit (SCALE.md).  An existing
   * database is converted in place: the old table is renamed, its rows
   * copied into the partitioned one, its secondary indexes and triggers
   * made again from their own definitions, then it is dropped. */
  { 2, NULL, NULL,
    "CREATE OR REPLACE FUNCTION pr_partition_by_uuid(tbl text, parts int)"
    " RETURNS void LANGUAGE plpgsql AS $f$"
    " DECLARE defs text[] := '{}'; d text; r record; old text := tbl ||"
    " '_unpartitioned'; pk text;"
    " BEGIN"
    "  IF to_regclass(tbl) IS NULL OR (SELECT relkind FROM pg_class WHERE"
    "   oid = to_regclass(tbl)) = 'p' THEN RETURN; END IF;"
    "  SELECT pg_get_constraintdef(oid) INTO pk FROM pg_constraint WHERE"
    "   conrelid = to_regclass(tbl) AND contype = 'p';"
    "  FOR r IN SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index"
    "   WHERE indrelid = to_regclass(tbl) AND NOT indisprimary LOOP"
    "   defs := defs || r.def; END LOOP;"
    "  FOR r IN SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger"
    "   WHERE tgrelid = to_regclass(tbl) AND NOT tgisinternal LOOP"
    "   defs := defs || r.def; END LOOP;"
    "  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);"
    "  FOR r IN SELECT c.relname FROM pg_index i JOIN pg_class c ON"
    "   c.oid = i.indexrelid WHERE i.indrelid = to_regclass(old) LOOP"
    "   IF r.relname LIKE tbl || '_pkey' THEN"
    "    EXECUTE format('ALTER INDEX %I RENAME TO %I', r.relname, old ||"
    "     '_pkey');"
    "   ELSE EXECUTE format('DROP INDEX %I', r.relname); END IF;"
    "  END LOOP;"
    "  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING"
    "   CONSTRAINTS) PARTITION BY HASH (uuid)', tbl, old);"
    "  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, tbl ||"
    "   '_pkey', pk);"
    "  FOR i IN 0 .. parts - 1 LOOP"
    "   EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH"
    "    (MODULUS %s, REMAINDER %s)', tbl || '_h' || i, tbl, parts, i);"
    "  END LOOP;"
    "  EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);"
    "  EXECUTE format('DROP TABLE %I', old);"
    "  FOREACH d IN ARRAY defs LOOP EXECUTE d; END LOOP;"
    "  EXECUTE format('ANALYZE %I', tbl);"
    " END $f$;"
    "SELECT pr_partition_by_uuid('responses', 8);"
    "SELECT pr_partition_by_uuid('answers', 8);" },
};

enum pr_rc aggdb_pg_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "pg", pg_steps, (int)PR_ARRAY_LEN(pg_steps), err);
}

enum pr_rc aggdb_pg_migrate_to(struct aggdb *db, int version, char *err)
{
  int n = 0;

  while(n < (int)PR_ARRAY_LEN(pg_steps) && pg_steps[n].version <= version)
    n++;
  return aggdb_migrate(db, "pg", pg_steps, n, err);
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
