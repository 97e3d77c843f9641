/* callstat.c — This file contains the weekly call statistics declared in
 * callstat.h: counts per ISO week, unit and item in the table call_stat. */
#include "callstat.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "pdate.h"

static enum pr_rc db_err(sqlite3 *db, const char *what, char *err)
{
  pr_seterr(err, "call statistics: %s: %s", what, sqlite3_errmsg(db));
  return PR_EDB;
}

static void col_text(sqlite3_stmt *st, int i, char *o, size_t cap)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  pr_strlcpy(o, t ? (const char *)t : "", cap);
}

enum pr_rc callstat_add(struct sqlite3 *db, long day, const char *unit,
                        const char *item, long n, char *err)
{
  static const char sql[] =
    "INSERT INTO call_stat(week, unit, item, n) VALUES(?1, ?2, ?3, ?4)"
    " ON CONFLICT(week, unit, item) DO UPDATE SET n = n + excluded.n";
  sqlite3_stmt *st = NULL;
  char week[9];
  enum pr_rc rc = PR_OK;

  if(n == 0)
    return PR_OK;
  pdate_format_week(day, week);
  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return db_err(db, "stats", err);
  sqlite3_bind_text(st, 1, week, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, item, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, n);
  if(sqlite3_step(st) != SQLITE_DONE)
    rc = db_err(db, "stats", err);
  sqlite3_finalize(st);
  return rc;
}

struct stats_ctx {
  struct dispo_week *v;
  int n;
};

static enum pr_rc stats_cb(sqlite3 *db, void *vctx, char *err)
{
  struct stats_ctx *sc = vctx;
  sqlite3_stmt *st = NULL;
  int cap = 0, r;
  enum pr_rc rc = PR_EDB;

  if(sqlite3_prepare_v2(db, "SELECT week, unit, item, n FROM call_stat"
                        " ORDER BY week, unit", -1, &st, NULL) != SQLITE_OK)
    return db_err(db, "stats", err);
  while((r = sqlite3_step(st)) == SQLITE_ROW) {
    char week[9], unit[STORE_UNIT_LEN], item[32];
    struct dispo_week *w;
    long n = (long)sqlite3_column_int64(st, 3);
    enum dispo d;
    col_text(st, 0, week, sizeof(week));
    col_text(st, 1, unit, sizeof(unit));
    col_text(st, 2, item, sizeof(item));
    w = sc->n ? &sc->v[sc->n - 1] : NULL;
    if(!w || strcmp(w->week, week) || strcmp(w->unit, unit)) {
      if(sc->n == cap) {
        int ncap = cap ? cap * 2 : 16;
        struct dispo_week *p = pr_realloc(sc->v, (size_t)ncap * sizeof(*p));
        if(!p) {
          rc = PR_ENOMEM;
          goto out;
        }
        sc->v = p;
        cap = ncap;
      }
      w = &sc->v[sc->n++];
      memset(w, 0, sizeof(*w));
      pr_strlcpy(w->week, week, sizeof(w->week));
      pr_strlcpy(w->unit, unit, sizeof(w->unit));
    }
    if(strcmp(item, "entries") == 0)
      w->entries += n;
    else if(strcmp(item, "attempts") == 0)
      w->attempts += n;
    else if(strcmp(item, "sip_offered") == 0)
      w->sip_offered += n;
    else if(strcmp(item, "sip_accepted") == 0)
      w->sip_accepted += n;
    else if((d = dispo_from_code(item)) != DISPO_NONE)
      w->outcome[d] += n;
  }
  rc = r == SQLITE_DONE ? PR_OK : db_err(db, "stats", err);
out:
  sqlite3_finalize(st);
  return rc;
}

enum pr_rc callstat_weeks(struct store *s, struct dispo_week **out, int *n,
                          char *err)
{
  struct stats_ctx sc = {NULL, 0};
  enum pr_rc rc = store_with_db(s, stats_cb, &sc, err);
  *out = NULL;
  *n = 0;
  if(rc) {
    pr_free(sc.v);
    return rc;
  }
  *out = sc.v;
  *n = sc.n;
  return PR_OK;
}
