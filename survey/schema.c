/* schema.c — This file contains the store's migration steps and the code
 * that applies them.  Steps are append-only: never edit a released step,
 * add a new one.  Response and answer tables hold no personal data and
 * never reference tables added for the phone call list. */
#include "schema.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>

struct schema_step {
  int version;
  const char *sql;
};

static const struct schema_step steps[] = {
  {1,
   "CREATE TABLE response("
   "  id INTEGER PRIMARY KEY,"
   "  uuid TEXT NOT NULL UNIQUE,"
   "  set_id TEXT NOT NULL,"
   "  set_version INTEGER NOT NULL,"
   "  unit TEXT NOT NULL,"
   "  mode INTEGER NOT NULL,"
   "  lang TEXT NOT NULL,"
   "  proxy INTEGER NOT NULL DEFAULT 0,"
   "  status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1, 2)),"
   "  day TEXT NOT NULL,"            /* YYYY-MM-DD: a date, never a time */
   "  synced INTEGER NOT NULL DEFAULT 0);"
   "CREATE TABLE answer("
   "  response INTEGER NOT NULL REFERENCES response(id) ON DELETE CASCADE,"
   "  question TEXT NOT NULL,"
   "  option TEXT,"
   "  text TEXT,"
   "  PRIMARY KEY(response, question)) WITHOUT ROWID;"
   "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"},
  /* v2: phone follow-up carries discharge track and care type; the outbox
   * query gets an index. */
  {2,
   "ALTER TABLE response ADD COLUMN track TEXT;"
   "ALTER TABLE response ADD COLUMN care TEXT;"
   "CREATE INDEX response_outbox ON response(synced, status, id);"},
  /* v3 (phone mode, calllist.c): the call list.  Personal data lives only
   * in call_entry and is deleted after the outcome + retention; call_stat
   * keeps counts per week, unit and item.  No response column refers to
   * either table.  IF NOT EXISTS: calllist_init creates the same tables. */
  {3,
   "CREATE TABLE IF NOT EXISTS call_entry("
   "  id INTEGER PRIMARY KEY,"
   "  name TEXT NOT NULL, phone TEXT NOT NULL, pnr TEXT,"
   "  discharge INTEGER NOT NULL,"
   "  track TEXT NOT NULL, care TEXT NOT NULL, consent INTEGER NOT NULL,"
   "  unit TEXT NOT NULL,"
   "  attempts INTEGER NOT NULL DEFAULT 0, last_dispo TEXT,"
   "  next_at INTEGER NOT NULL DEFAULT 0, final_dispo TEXT,"
   "  closed_day INTEGER,"
   "  sip_offered INTEGER NOT NULL DEFAULT -1,"
   "  sip_accepted INTEGER NOT NULL DEFAULT -1);"
   "CREATE INDEX IF NOT EXISTS call_entry_pnr ON call_entry(pnr, discharge);"
   "CREATE INDEX IF NOT EXISTS call_entry_np ON call_entry(name, phone,"
   "  discharge);"
   "CREATE TABLE IF NOT EXISTS call_stat("
   "  week TEXT NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,"
   "  n INTEGER NOT NULL, PRIMARY KEY(week, unit, item));"},
};

enum pr_rc schema_rc(int rc)
{
  switch(rc & 0xff) {
  case SQLITE_OK:
  case SQLITE_DONE:
  case SQLITE_ROW:
    return PR_OK;
  case SQLITE_NOMEM:
    return PR_ENOMEM;
  case SQLITE_FULL:
    return PR_EFULL;
  case SQLITE_IOERR:
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_PERM:
    return PR_EIO;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return PR_ECORRUPT;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return PR_EBUSY;
  default:
    return PR_EDB;
  }
}

int schema_latest(void)
{
  return steps[PR_ARRAY_LEN(steps) - 1].version;
}

static int user_version(sqlite3 *db, int *out)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
  if(rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
      *out = sqlite3_column_int(st, 0);
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

enum pr_rc schema_migrate_to(sqlite3 *db, int upto, char *err)
{
  int have = 0;
  int rc;
  /* Steps are numbered 1, 2, 3, ... in order: an appended step that breaks
   * this would skip or repeat a migration on real kiosks. */
  for(size_t i = 0; i < PR_ARRAY_LEN(steps); i++)
    assert(steps[i].version == (int)i + 1);
  rc = user_version(db, &have);
  if(rc != SQLITE_OK) {
    pr_seterr(err, "reading schema version: %s", sqlite3_errmsg(db));
    return schema_rc(rc);
  }
  if(have > schema_latest()) {
    pr_seterr(err, "the store has schema version %d, newer than this "
              "program knows (%d); use a newer program", have,
              schema_latest());
    return PR_EINVAL;
  }
  for(size_t i = 0; i < PR_ARRAY_LEN(steps); i++) {
    char setv[64];
    if(steps[i].version <= have || steps[i].version > upto)
      continue;
    snprintf(setv, sizeof(setv), "PRAGMA user_version = %d", steps[i].version);
    rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if(rc == SQLITE_OK)
      rc = sqlite3_exec(db, steps[i].sql, NULL, NULL, NULL);
    if(rc == SQLITE_OK)
      rc = sqlite3_exec(db, setv, NULL, NULL, NULL);
    if(rc == SQLITE_OK)
      rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if(rc != SQLITE_OK) {
      pr_seterr(err, "migrating the store to schema version %d: %s",
                steps[i].version, sqlite3_errmsg(db));
      sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
      return schema_rc(rc);
    }
    have = steps[i].version;
  }
  return PR_OK;
}

enum pr_rc schema_migrate(sqlite3 *db, char *err)
{
  return schema_migrate_to(db, schema_latest(), err);
}
