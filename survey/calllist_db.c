/* calllist_db.c — This file contains the SQL helpers the parts of the
 * call list share (calllist_db.h): one transaction shape, one statement
 * runner, the entry row and the duplicate check, so import, queue,
 * outcomes and erasure each say only what is theirs. */
#include "calllist_db.h"

#include <stdarg.h>
#include <string.h>

#include "pdate.h"

enum pr_rc calllist_db_err(sqlite3 *db, const char *what, char *err)
{
  pr_seterr(err, "call list: %s: %s", what, sqlite3_errmsg(db));
  return PR_EDB;
}

enum pr_rc calllist_db_exec(sqlite3 *db, const char *sql, char *err)
{
  if(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return calllist_db_err(db, sql, err);
  return PR_OK;
}

enum pr_rc calllist_db_begin(sqlite3 *db, char *err)
{
  return calllist_db_exec(db, "BEGIN IMMEDIATE", err);
}

enum pr_rc calllist_db_end(sqlite3 *db, enum pr_rc rc, char *err)
{
  if(rc == PR_OK)
    rc = calllist_db_exec(db, "COMMIT", err);
  if(rc != PR_OK && !sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

enum pr_rc calllist_db_run(sqlite3 *db, const char *what, int *changes,
                           char *err, const char *sql, const char *types,
                           ...)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_OK;
  va_list ap;
  int i;

  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return calllist_db_err(db, what, err);
  va_start(ap, types);
  for(i = 0; types[i]; i++) {
    const char *t;
    switch(types[i]) {
    case 't':
      sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1,
                        SQLITE_TRANSIENT);
      break;
    case 'n':
      t = va_arg(ap, const char *);
      if(t && *t)
        sqlite3_bind_text(st, i + 1, t, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(st, i + 1);
      break;
    case 'i':
      sqlite3_bind_int(st, i + 1, va_arg(ap, int));
      break;
    case 'l':
      sqlite3_bind_int64(st, i + 1, va_arg(ap, long));
      break;
    case 'T':
      sqlite3_bind_int64(st, i + 1, (sqlite3_int64)va_arg(ap, time_t));
      break;
    default:
      pr_seterr(err, "call list: %s: bad binding type", what);
      rc = PR_EINTERNAL;
      break;
    }
  }
  va_end(ap);
  if(rc == PR_OK && sqlite3_step(st) != SQLITE_DONE)
    rc = calllist_db_err(db, what, err);
  if(rc == PR_OK && changes)
    *changes = sqlite3_changes(db);
  sqlite3_finalize(st);
  return rc;
}

void calllist_db_text(sqlite3_stmt *st, int i, char *o, size_t cap)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  pr_strlcpy(o, t ? (const char *)t : "", cap);
}

void calllist_db_row(sqlite3_stmt *st, struct calllist_entry *e)
{
  memset(e, 0, sizeof(*e));
  e->id = (long)sqlite3_column_int64(st, 0);
  calllist_db_text(st, 1, e->name, sizeof(e->name));
  calllist_db_text(st, 2, e->phone, sizeof(e->phone));
  calllist_db_text(st, 3, e->pnr, sizeof(e->pnr));
  e->discharge = (long)sqlite3_column_int64(st, 4);
  calllist_db_text(st, 5, e->track, sizeof(e->track));
  calllist_db_text(st, 6, e->care, sizeof(e->care));
  e->consent = sqlite3_column_int(st, 7);
  calllist_db_text(st, 8, e->unit, sizeof(e->unit));
  e->attempts = sqlite3_column_int(st, 9);
  e->last = dispo_from_code((const char *)sqlite3_column_text(st, 10));
  e->next_at = (time_t)sqlite3_column_int64(st, 11);
  e->final = dispo_from_code((const char *)sqlite3_column_text(st, 12));
  e->closed_day = sqlite3_column_type(st, 13) == SQLITE_NULL
                      ? -1 : (long)sqlite3_column_int64(st, 13);
  e->sip_offered = sqlite3_column_int(st, 14);
  e->sip_accepted = sqlite3_column_int(st, 15);
}

enum pr_rc calllist_db_load(sqlite3 *db, long id, struct calllist_entry *e,
                            char *err)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc;
  int r;
  if(sqlite3_prepare_v2(db, "SELECT " CALLLIST_DB_COLS " FROM call_entry"
                        " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
    return calllist_db_err(db, "get", err);
  sqlite3_bind_int64(st, 1, id);
  r = sqlite3_step(st);
  if(r == SQLITE_ROW) {
    calllist_db_row(st, e);
    rc = PR_OK;
  } else if(r == SQLITE_DONE) {
    pr_seterr(err, "call entry %ld does not exist", id);
    rc = PR_ENOTFOUND;
  } else {
    rc = calllist_db_err(db, "get", err);
  }
  sqlite3_finalize(st);
  return rc;
}

/* A match on the personnummer is preferred: it names the person. */
static const char dup_sql[] =
  "SELECT " CALLLIST_DB_COLS " FROM call_entry WHERE discharge = ?1"
  " AND id != ?5 AND ((?2 != '' AND pnr = ?2) OR (name = ?3 AND"
  " phone = ?4)) ORDER BY (?2 != '' AND pnr = ?2) DESC, id LIMIT 1";

enum pr_rc calllist_db_dup_prepare(sqlite3 *db, sqlite3_stmt **st, char *err)
{
  if(sqlite3_prepare_v2(db, dup_sql, -1, st, NULL) != SQLITE_OK)
    return calllist_db_err(db, "duplicates", err);
  return PR_OK;
}

int calllist_db_duplicate(sqlite3 *db, sqlite3_stmt *st,
                          const struct calllist_entry *e, long skip_id,
                          struct calllist_entry *old)
{
  int r, own = !st;
  if(own && sqlite3_prepare_v2(db, dup_sql, -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_reset(st);
  sqlite3_bind_int64(st, 1, e->discharge);
  sqlite3_bind_text(st, 2, e->pnr, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, e->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, e->phone, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, skip_id);
  r = sqlite3_step(st);
  if(r == SQLITE_ROW && old)
    calllist_db_row(st, old);
  if(own)
    sqlite3_finalize(st);
  else
    sqlite3_reset(st);
  return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

enum pr_rc calllist_db_unique(sqlite3 *db, const struct calllist_entry *e,
                              long skip_id, const char *what,
                              const char *conflict_msg, char *err)
{
  int dup = calllist_db_duplicate(db, NULL, e, skip_id, NULL);
  if(dup < 0)
    return calllist_db_err(db, what, err);
  if(dup) {
    pr_seterr(err, "%s", conflict_msg);
    return PR_ECONFLICT;
  }
  return PR_OK;
}

long calllist_closing_day(long today)
{
  return pdate_monday(today);
}

enum pr_rc calllist_db_insert(sqlite3 *db, const struct calllist_entry *e,
                              const char *unit, char *err)
{
  return calllist_db_run(db, "insert", NULL, err,
                         "INSERT INTO call_entry(name, phone, pnr, discharge,"
                         " track, care, consent, unit) VALUES(?1, ?2, ?3, ?4,"
                         " ?5, ?6, ?7, ?8)", "ttnlttit", e->name, e->phone,
                         e->pnr, e->discharge, e->track, e->care, e->consent,
                         unit);
}
