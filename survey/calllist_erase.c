/* calllist_erase.c — This file contains the end of an entry's personal
 * data (calllist.h): entries whose window passed are closed, entries
 * closed retention_days ago are erased, one entry is erased on request —
 * always with secure_delete and the WAL cut to zero bytes after. */
#include "calllist.h"

#include <stdio.h>
#include <string.h>

#include "calllist_db.h"
#include "callstat.h"
#include "pdate.h"

struct hk_ctx {
  const struct calllist_cfg *cfg;
  time_t now;
  long id;          /* erase: this id */
  int closed, erased;
};

/* After deleting personal data: copy the WAL into the main file and cut
 * the WAL to zero bytes, so no old page with a name survives in it; with
 * secure_delete the freed space in the main file is already zeroed. */
static enum pr_rc wipe_wal(sqlite3 *db, char *err)
{
  int logn = 0, ckpt = 0;
  if(sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &logn,
                               &ckpt) != SQLITE_OK)
    return calllist_db_err(db, "checkpoint", err);
  return PR_OK;
}

static enum pr_rc housekeep_cb(sqlite3 *db, void *vctx, char *err)
{
  struct hk_ctx *h = vctx;
  long today = pdate_local_today(h->now);
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_EDB;
  int r;

  if(calllist_db_exec(db, "PRAGMA secure_delete=ON", err) ||
     calllist_db_begin(db, err))
    return PR_EDB;
  /* 1. Window passed without a final outcome: not reached (with consent)
   * or simply closed (no consent: never called, no outcome counted).  A
   * call-back agreed for later keeps the entry open until a day after. */
  if(sqlite3_prepare_v2(db, "SELECT id, unit, consent FROM call_entry"
                        " WHERE closed_day IS NULL AND discharge + ?1 < ?2"
                        " AND NOT (last_dispo = 'callback' AND"
                        " next_at > ?3)", -1, &st, NULL) != SQLITE_OK)
    goto dberr;
  sqlite3_bind_int(st, 1, h->cfg->day_to);
  sqlite3_bind_int64(st, 2, today);
  sqlite3_bind_int64(st, 3, (sqlite3_int64)h->now - 86400);
  while((r = sqlite3_step(st)) == SQLITE_ROW) {
    long id = (long)sqlite3_column_int64(st, 0);
    char unit[STORE_UNIT_LEN];
    int consent = sqlite3_column_int(st, 2);
    calllist_db_text(st, 1, unit, sizeof(unit));
    if(calllist_db_run(db, "housekeeping", NULL, err, "UPDATE call_entry"
                       " SET closed_day = ?1, final_dispo = CASE WHEN ?2"
                       " THEN 'notreached' ELSE final_dispo END"
                       " WHERE id = ?3", "lil",
                       calllist_closing_day(today), consent, id))
      goto out;
    if(consent && callstat_add(db, today, unit, "notreached", 1, err))
      goto out;
    h->closed++;
  }
  if(r != SQLITE_DONE)
    goto dberr;
  sqlite3_finalize(st);
  st = NULL;
  /* 2. Erase personal data after the retention period. */
  rc = calllist_db_run(db, "housekeeping", &h->erased, err,
                       "DELETE FROM call_entry WHERE closed_day IS NOT NULL"
                       " AND closed_day + ?1 <= ?2", "il",
                       h->cfg->retention_days, today);
  rc = calllist_db_end(db, rc, err);
  if(rc == PR_OK && h->erased)
    rc = wipe_wal(db, err);
  return rc;
dberr:
  rc = calllist_db_err(db, "housekeeping", err);
out:
  sqlite3_finalize(st);
  return calllist_db_end(db, rc, err);
}

enum pr_rc calllist_housekeep(struct store *s, const struct calllist_cfg *cfg,
                              time_t now, int *closed, int *erased,
                              char *err)
{
  struct hk_ctx h;
  enum pr_rc rc;
  memset(&h, 0, sizeof(h));
  h.cfg = cfg;
  h.now = now;
  rc = store_with_db(s, housekeep_cb, &h, err);
  if(closed)
    *closed = rc ? 0 : h.closed;
  if(erased)
    *erased = rc ? 0 : h.erased;
  if(!rc && (h.closed || h.erased))
    pr_log(PR_LOG_INFO, "calls_housekeep", "closed=%d erased=%d", h.closed,
           h.erased);
  return rc;
}

static enum pr_rc erase_cb(sqlite3 *db, void *vctx, char *err)
{
  struct hk_ctx *h = vctx;
  int changed = 0;
  enum pr_rc rc = calllist_db_exec(db, "PRAGMA secure_delete=ON", err);

  if(rc == PR_OK)
    rc = calllist_db_run(db, "erase", &changed, err,
                         "DELETE FROM call_entry WHERE id = ?1", "l", h->id);
  if(rc == PR_OK && changed != 1) {
    pr_seterr(err, "call entry %ld does not exist", h->id);
    rc = PR_ENOTFOUND;
  }
  return rc == PR_OK ? wipe_wal(db, err) : rc;
}

enum pr_rc calllist_erase(struct store *s, long id, char *err)
{
  struct hk_ctx h;
  enum pr_rc rc;
  memset(&h, 0, sizeof(h));
  h.id = id;
  rc = store_with_db(s, erase_cb, &h, err);
  if(!rc)
    pr_log(PR_LOG_INFO, "calls_erase", "entry=%ld", id);
  return rc;
}
