/* aggdb.h — a small portable SQL layer for the aggregator: one interface,
 * two drivers (SQLite in aggdb_sqlite.c, PostgreSQL in aggdb_pg.c), so each
 * domain module writes its SQL once.  Statements use $1..$n parameters
 * (text, integer or NULL), rows come back as text with NULL flags, and
 * ordered migrations are tracked per component in schema_version.
 * It knows nothing of responses, devices or HTTP.
 *
 * Portable SQL rules: TEXT and BIGINT columns, INSERT ... ON CONFLICT DO
 * NOTHING / DO UPDATE, RETURNING, no AUTOINCREMENT / SERIAL (make ids in C
 * or use natural keys), $n parameters only (never '?').  Where SQL must
 * differ, check aggdb_dialect() or give a migration step per-dialect SQL.
 *
 * Concurrency: SQLite has ONE connection behind a mutex (all reads and
 * writes of a process go through it, see STYLE.md); PostgreSQL has a small
 * pool.  Work happens on a borrowed connection between aggdb_acquire and
 * aggdb_release; never acquire twice on one thread (SQLite would deadlock).
 *
 * Error classes every driver maps to:
 *   PR_EBUSY     database unavailable / locked / connection lost: the HTTP
 *                layer answers 503 + Retry-After; nothing was committed.
 *   PR_ECONFLICT a UNIQUE / PRIMARY KEY violation.
 *   PR_EDB       anything else (bad statement, constraint, type): a bug.
 *   PR_ENOMEM, PR_EINVAL (bad URL / arguments). */
#ifndef AGGDB_H
#define AGGDB_H

#include "pr.h"

enum aggdb_dialect { AGGDB_SQLITE = 1, AGGDB_POSTGRES = 2 };

enum aggdb_ptype { AGGDB_PNULL = 0, AGGDB_PTEXT, AGGDB_PINT };

/* One statement parameter.  text is borrowed for the call only. */
struct aggdb_param {
  enum aggdb_ptype type;
  const char *text;
  long long i;
};
#define AGGDB_TEXT(s) ((struct aggdb_param){ AGGDB_PTEXT, (s), 0 })
#define AGGDB_INT(v)  ((struct aggdb_param){ AGGDB_PINT, NULL, (long long)(v) })
#define AGGDB_NULL    ((struct aggdb_param){ AGGDB_PNULL, NULL, 0 })
/* Text or NULL when s is NULL. */
#define AGGDB_TEXTN(s) ((s) ? AGGDB_TEXT(s) : AGGDB_NULL)

/* Per statement: room for multi-row INSERTs (aggdb_values_sql) of a whole
 * ingest chunk in one round trip; both drivers allow far more. */
#define AGGDB_MAX_PARAMS 1024
#define AGGDB_MAX_COLUMNS 64    /* per result row; more is PR_EINVAL */

/* Row callback.  vals[i] is the column as text (integers in decimal),
 * NULL exactly when isnull[i] is 1.  All borrowed until the callback
 * returns.  Return 0 to go on, non-zero to stop early (the query then
 * still returns PR_OK). */
typedef int (*aggdb_row_fn)(void *ctx, int ncol, const char *const *vals,
                            const int *isnull);

struct aggdb;        /* an open database (SQLite file or PostgreSQL pool) */
struct aggdb_conn;   /* one borrowed connection */

/* The driver interface: aggdb_sqlite.c and aggdb_pg.c each fill one.
 * `impl` is the driver's database object, `c` one of its connections.
 * Every function writes detail into err (may be NULL) and maps errors to
 * the classes above.  exec/query bind exactly n params as $1..$n. */
struct aggdb_driver {
  const char *name;                  /* "sqlite", "postgresql" */
  enum aggdb_dialect dialect;
  /* url is the part the driver understands (for SQLite the file path). */
  enum pr_rc (*open)(const char *url, void **impl, char *err);
  void (*close)(void *impl);         /* NULL-safe */
  enum pr_rc (*acquire)(void *impl, void **c, char *err);
  void (*release)(void *impl, void *c);
  /* One statement; *changes (may be NULL) = rows changed. */
  enum pr_rc (*exec)(void *c, const char *sql, const struct aggdb_param *p,
                     int n, long *changes, char *err);
  enum pr_rc (*query)(void *c, const char *sql, const struct aggdb_param *p,
                      int n, aggdb_row_fn fn, void *ctx, char *err);
  /* Several ';'-separated statements without parameters (migrations). */
  enum pr_rc (*script)(void *c, const char *sql, char *err);
  /* Transaction control text: SQLite "BEGIN IMMEDIATE", PG "BEGIN". */
  const char *begin_sql;
};

/* The PostgreSQL driver (aggdb_pg.c).  Its open returns a clear error
 * until the libpq driver is built. */
extern const struct aggdb_driver aggdb_pg_driver;
extern const struct aggdb_driver aggdb_sqlite_driver;

/* Open by URL: "sqlite:/path/file.db", "sqlite:///path/file.db", a plain
 * file path, or "postgresql://..." / "postgres://...".  *out is the
 * caller's (aggdb_close); NULL on failure.  Nothing is migrated here. */
enum pr_rc aggdb_open(const char *url, struct aggdb **out, char *err) PR_MUST;
void aggdb_close(struct aggdb *db);                       /* NULL-safe */
enum aggdb_dialect aggdb_dialect(const struct aggdb *db);
const char *aggdb_driver_name(const struct aggdb *db);

/* Borrow a connection (blocks while SQLite's one connection is in use or
 * the PG pool is empty).  Release exactly once with aggdb_release, which
 * rolls back a transaction left open. */
enum pr_rc aggdb_acquire(struct aggdb *db, struct aggdb_conn **out,
                         char *err) PR_MUST;
void aggdb_release(struct aggdb_conn *c);                 /* NULL-safe */
enum aggdb_dialect aggdb_conn_dialect(const struct aggdb_conn *c);

enum pr_rc aggdb_exec(struct aggdb_conn *c, const char *sql,
                      const struct aggdb_param *p, int n, long *changes,
                      char *err) PR_MUST;
enum pr_rc aggdb_query(struct aggdb_conn *c, const char *sql,
                       const struct aggdb_param *p, int n, aggdb_row_fn fn,
                       void *ctx, char *err) PR_MUST;
enum pr_rc aggdb_script(struct aggdb_conn *c, const char *sql,
                        char *err) PR_MUST;

/* Transactions on a borrowed connection.  aggdb_rollback is safe to call
 * when no transaction is open. */
enum pr_rc aggdb_begin(struct aggdb_conn *c, char *err) PR_MUST;
enum pr_rc aggdb_commit(struct aggdb_conn *c, char *err) PR_MUST;
void aggdb_rollback(struct aggdb_conn *c);

/* Convenience on the whole database: acquire, one statement, release. */
enum pr_rc aggdb_exec1(struct aggdb *db, const char *sql,
                       const struct aggdb_param *p, int n, long *changes,
                       char *err) PR_MUST;
enum pr_rc aggdb_query1(struct aggdb *db, const char *sql,
                        const struct aggdb_param *p, int n, aggdb_row_fn fn,
                        void *ctx, char *err) PR_MUST;
/* First column of the first row as a newly allocated string (*out is the
 * caller's, pr_free; NULL when there is no row or the value is NULL). */
enum pr_rc aggdb_query_text(struct aggdb_conn *c, const char *sql,
                            const struct aggdb_param *p, int n, char **out,
                            char *err) PR_MUST;
/* First column of the first row as an integer; *found = 0 (and *out 0)
 * when there is no row or it is NULL. */
enum pr_rc aggdb_query_long(struct aggdb_conn *c, const char *sql,
                            const struct aggdb_param *p, int n,
                            long long *out, int *found, char *err) PR_MUST;

/* Write "head($1, .., $ncols), ($ncols+1, ..), ... tail" for `rows` rows
 * into buf: one multi-row INSERT (... VALUES) instead of one statement per
 * row.  Callers keep to a few row counts (e.g. powers of two) so the
 * drivers' prepared-statement caches stay small.  PR_EINVAL when it does
 * not fit or rows * ncols > AGGDB_MAX_PARAMS. */
enum pr_rc aggdb_values_sql(char *buf, size_t cap, const char *head,
                            int ncols, int rows, const char *tail) PR_MUST;

/* One migration step.  sql runs on both dialects unless the dialect's own
 * text is given (then that runs instead).  Steps may hold several
 * statements.  Versions of one component are > 0 and strictly increasing;
 * a published step never changes — append a new one. */
struct aggdb_step {
  int version;
  const char *sql;          /* portable SQL, or NULL */
  const char *sql_sqlite;   /* overrides sql on SQLite, or NULL */
  const char *sql_pg;       /* overrides sql on PostgreSQL, or NULL */
};

/* Apply, in one transaction each, the steps of `component` ("agg",
 * "aggregates", ...) newer than its row in schema_version.  On PostgreSQL
 * an advisory lock makes concurrent processes migrate one at a time.
 * A failing step is rolled back and named in err; earlier steps stay. */
enum pr_rc aggdb_migrate(struct aggdb *db, const char *component,
                         const struct aggdb_step *steps, int n,
                         char *err) PR_MUST;
/* Highest applied version of component (0 when none). */
enum pr_rc aggdb_schema_version(struct aggdb *db, const char *component,
                                int *out, char *err) PR_MUST;

#endif
