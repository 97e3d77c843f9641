/* calllist_queue.c — This file contains reading the call list
 * (calllist.h): one entry, every entry (of a unit), and the queue of who
 * to call now — due call-backs first, then red, yellow, green, oldest
 * discharge first, only inside calling hours and the calling window. */
#include "calllist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calllist_db.h"
#include "pdate.h"

struct get_ctx {
  long id;
  struct calllist_entry e;
};

static enum pr_rc get_cb(sqlite3 *db, void *vctx, char *err)
{
  struct get_ctx *gc = vctx;
  return calllist_db_load(db, gc->id, &gc->e, err);
}

enum pr_rc calllist_get(struct store *s, long id, struct calllist_entry *out,
                        char *err)
{
  struct get_ctx gc;
  enum pr_rc rc;
  memset(&gc, 0, sizeof(gc));
  memset(out, 0, sizeof(*out));
  gc.id = id;
  rc = store_with_db(s, get_cb, &gc, err);
  if(!rc)
    *out = gc.e;
  return rc;
}

struct list_ctx {
  const char *where;        /* "AND ..." or "" */
  const char *unit;         /* NULL: every unit */
  struct calllist_entry *v;
  int n;
};

static enum pr_rc list_cb(sqlite3 *db, void *vctx, char *err)
{
  struct list_ctx *lc = vctx;
  sqlite3_stmt *st = NULL;
  char sql[512];
  int cap = 0, r;
  enum pr_rc rc = PR_EDB;

  if(snprintf(sql, sizeof(sql), "SELECT " CALLLIST_DB_COLS " FROM call_entry"
              " WHERE (?1 IS NULL OR unit = ?1) %s ORDER BY id", lc->where)
     >= (int)sizeof(sql))
    return PR_EINTERNAL;
  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return calllist_db_err(db, "list", err);
  if(lc->unit)
    sqlite3_bind_text(st, 1, lc->unit, -1, SQLITE_STATIC);
  while((r = sqlite3_step(st)) == SQLITE_ROW) {
    if(lc->n == cap) {
      int ncap = cap ? cap * 2 : 32;
      struct calllist_entry *p = pr_realloc(lc->v, (size_t)ncap *
                                            sizeof(*p));
      if(!p) {
        rc = PR_ENOMEM;
        goto out;
      }
      lc->v = p;
      cap = ncap;
    }
    calllist_db_row(st, &lc->v[lc->n++]);
  }
  if(r != SQLITE_DONE) {
    rc = calllist_db_err(db, "list", err);
    goto out;
  }
  rc = PR_OK;
out:
  sqlite3_finalize(st);
  return rc;
}

static enum pr_rc list_where(struct store *s, const char *where,
                             const char *unit, struct calllist_entry **out,
                             int *n, char *err)
{
  struct list_ctx lc = {where, unit, NULL, 0};
  enum pr_rc rc = store_with_db(s, list_cb, &lc, err);
  *out = NULL;
  *n = 0;
  if(rc) {
    pr_free(lc.v);
    return rc;
  }
  *out = lc.v;
  *n = lc.n;
  return PR_OK;
}

enum pr_rc calllist_all(struct store *s, struct calllist_entry **out,
                        int *n, char *err)
{
  return list_where(s, "", NULL, out, n, err);
}

enum pr_rc calllist_for_unit(struct store *s, const char *unit,
                             struct calllist_entry **out, int *n, char *err)
{
  return list_where(s, "", unit, out, n, err);
}

static int track_rank(const char *t)
{
  if(strcmp(t, "rod") == 0)
    return 0;
  if(strcmp(t, "gul") == 0)
    return 1;
  return 2;
}

/* A due call-back sorts before everything else, earliest first. */
static int queue_cmp(const void *a, const void *b)
{
  const struct calllist_entry *x = a, *y = b;
  int cx = x->last == DISPO_CALLBACK, cy = y->last == DISPO_CALLBACK;
  if(cx != cy)
    return cy - cx;
  if(cx && x->next_at != y->next_at)
    return x->next_at < y->next_at ? -1 : 1;
  if(track_rank(x->track) != track_rank(y->track))
    return track_rank(x->track) - track_rank(y->track);
  if(x->discharge != y->discharge)
    return x->discharge < y->discharge ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int minute_of_day(time_t now)
{
  struct tm tm;
  if(!localtime_r(&now, &tm))
    return 0;
  return tm.tm_hour * 60 + tm.tm_min;
}

enum pr_rc calllist_queue(struct store *s, const struct calllist_cfg *cfg,
                          const char *unit, time_t now,
                          struct calllist_entry **out, int *n, int *closed,
                          char *err)
{
  struct calllist_entry *v = NULL;
  int nv = 0, k = 0, mod = minute_of_day(now);
  long today = pdate_local_today(now);
  enum pr_rc rc;

  *out = NULL;
  *n = 0;
  if(closed)
    *closed = 0;
  if(mod < cfg->hour_from || mod >= cfg->hour_to) {
    if(closed)
      *closed = 1;
    return PR_OK;
  }
  rc = list_where(s, "AND closed_day IS NULL AND consent = 1", unit, &v,
                  &nv, err);
  if(rc)
    return rc;
  for(int i = 0; i < nv; i++) {
    const struct calllist_entry *e = &v[i];
    long day = today - e->discharge;
    int ok;
    if(e->last == DISPO_CALLBACK)
      ok = e->next_at <= now;      /* agreed with the person: any day */
    else
      ok = day >= cfg->day_from && day <= cfg->day_to &&
           e->next_at <= now && e->attempts < cfg->max_attempts;
    if(ok)
      v[k++] = v[i];
  }
  if(k > 1)
    qsort(v, (size_t)k, sizeof(*v), queue_cmp);
  if(k == 0) {
    pr_free(v);
    v = NULL;
  }
  *out = v;
  *n = k;
  return PR_OK;
}
