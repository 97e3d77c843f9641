/* calllist.c — This file contains the call list's settings (calllist_cfg)
 * and its tables (calllist_init).  The rest of calllist.h lives by
 * concept: calllist_import.c (entries in: CSV, by hand, corrections),
 * calllist_queue.c (reading entries, who to call now),
 * calllist_outcome.c (what a call ended with, SIP), calllist_erase.c
 * (closing and erasing personal data); calllist_db.c holds the SQL they
 * share. */
#include "calllist.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "calllist_db.h"

void calllist_cfg_default(struct calllist_cfg *c)
{
  c->day_from = 3;
  c->day_to = 7;
  c->max_attempts = 3;
  c->hour_from = 9 * 60;
  c->hour_to = 18 * 60;
  c->retention_days = 14;
}

/* "A-B" with A <= B, each in [lo, hi]; or "HH:MM-HH:MM" when clock. */
static int parse_range(const char *v, int clock, long lo, long hi, int *a,
                       int *b)
{
  char x[16], y[16];
  const char *dash = strchr(v, '-');
  long va, vb;
  if(!dash || (size_t)(dash - v) >= sizeof(x) || strlen(dash + 1) >= sizeof(y))
    return -1;
  memcpy(x, v, (size_t)(dash - v));
  x[dash - v] = '\0';
  pr_strlcpy(y, dash + 1, sizeof(y));
  if(clock) {
    long h1, m1, h2, m2;
    char hb[3] = {0}, mb[3] = {0};
    if(strlen(x) != 5 || x[2] != ':' || strlen(y) != 5 || y[2] != ':')
      return -1;
    memcpy(hb, x, 2); memcpy(mb, x + 3, 2);
    if(pr_parse_long(hb, 0, 24, &h1) || pr_parse_long(mb, 0, 59, &m1))
      return -1;
    memcpy(hb, y, 2); memcpy(mb, y + 3, 2);
    if(pr_parse_long(hb, 0, 24, &h2) || pr_parse_long(mb, 0, 59, &m2))
      return -1;
    va = h1 * 60 + m1;
    vb = h2 * 60 + m2;
  } else if(pr_parse_long(x, lo, hi, &va) || pr_parse_long(y, lo, hi, &vb)) {
    return -1;
  }
  if(va < lo || vb > hi || va >= vb + (clock ? 0 : 1))
    return -1;
  *a = (int)va;
  *b = (int)vb;
  return 0;
}

enum pr_rc calllist_cfg_set(struct calllist_cfg *c, const char *key,
                            const char *value, char *err)
{
  long v;
  int a, b;
  if(strcmp(key, "phone_days") == 0) {
    if(parse_range(value, 0, 0, 60, &a, &b)) {
      pr_seterr(err, "phone_days: expected FROM-TO days, e.g. 3-7");
      return PR_EINVAL;
    }
    c->day_from = a;
    c->day_to = b;
  } else if(strcmp(key, "phone_hours") == 0) {
    if(parse_range(value, 1, 0, 24 * 60, &a, &b)) {
      pr_seterr(err, "phone_hours: expected HH:MM-HH:MM, e.g. 09:00-18:00");
      return PR_EINVAL;
    }
    c->hour_from = a;
    c->hour_to = b;
  } else if(strcmp(key, "phone_max_attempts") == 0) {
    if(pr_parse_long(value, 1, 20, &v)) {
      pr_seterr(err, "phone_max_attempts: expected 1..20");
      return PR_EINVAL;
    }
    c->max_attempts = (int)v;
  } else if(strcmp(key, "phone_retention") == 0) {
    if(pr_parse_long(value, 0, 365, &v)) {
      pr_seterr(err, "phone_retention: expected 0..365 days");
      return PR_EINVAL;
    }
    c->retention_days = (int)v;
  } else {
    return PR_ENOTFOUND;
  }
  return PR_OK;
}

/* ---- schema --------------------------------------------------------- */

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS call_entry("
  " id INTEGER PRIMARY KEY,"
  " name TEXT NOT NULL, phone TEXT NOT NULL, pnr TEXT,"
  " discharge INTEGER NOT NULL,"
  " track TEXT NOT NULL, care TEXT NOT NULL, consent INTEGER NOT NULL,"
  " unit TEXT NOT NULL,"
  " attempts INTEGER NOT NULL DEFAULT 0, last_dispo TEXT,"
  " next_at INTEGER NOT NULL DEFAULT 0, final_dispo TEXT, closed_day INTEGER,"
  " sip_offered INTEGER NOT NULL DEFAULT -1,"
  " sip_accepted INTEGER NOT NULL DEFAULT -1);"
  "CREATE INDEX IF NOT EXISTS call_entry_pnr ON call_entry(pnr, discharge);"
  "CREATE INDEX IF NOT EXISTS call_entry_np ON call_entry(name, phone,"
  " discharge);"
  "CREATE TABLE IF NOT EXISTS call_stat("
  " week TEXT NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,"
  " n INTEGER NOT NULL, PRIMARY KEY(week, unit, item));";

static enum pr_rc init_cb(sqlite3 *db, void *ctx, char *err)
{
  (void)ctx;
  if(sqlite3_exec(db, "PRAGMA secure_delete=ON", NULL, NULL, NULL) !=
     SQLITE_OK || sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
    return calllist_db_err(db, "create tables", err);
  return PR_OK;
}

enum pr_rc calllist_init(struct store *s, char *err)
{
  return store_with_db(s, init_cb, NULL, err);
}
