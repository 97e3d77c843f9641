/* calllist_outcome.c — This file contains what a call ended with
 * (calllist.h): one attempt's disposition applied to its entry (dispo.c
 * decides when an entry closes), the SIP offer and answer, and the weekly
 * counts each adds to (callstat.c). */
#include "calllist.h"

#include <string.h>

#include "calllist_db.h"
#include "callstat.h"
#include "pdate.h"

struct rec_ctx {
  const struct calllist_cfg *cfg;
  long id;
  enum dispo d;
  time_t callback_at, now;
  enum dispo final;
  int offered, accepted;
};

static enum pr_rc record_cb(sqlite3 *db, void *vctx, char *err)
{
  struct rec_ctx *c = vctx;
  struct calllist_entry e;
  long today = pdate_local_today(c->now);
  time_t next_at = 0;
  enum pr_rc rc = calllist_db_begin(db, err);

  if(rc != PR_OK)
    return rc;
  rc = calllist_db_load(db, c->id, &e, err);
  if(rc == PR_OK && e.closed_day >= 0) {
    pr_seterr(err, "call entry %ld already has its final outcome", c->id);
    rc = PR_EINVAL;
  }
  if(rc == PR_OK) {
    c->final = dispo_apply(c->d, e.attempts, c->cfg->max_attempts, c->now,
                           c->callback_at, &next_at);
    /* A final outcome closes the entry (closed_day); else both stay
     * NULL. */
    rc = calllist_db_run(db, "record", NULL, err,
                         "UPDATE call_entry SET attempts = attempts + 1,"
                         " last_dispo = ?1, next_at = ?2, final_dispo = ?3,"
                         " closed_day = CASE WHEN ?3 IS NULL THEN NULL"
                         " ELSE ?4 END WHERE id = ?5", "tTnll",
                         dispo_info(c->d)->code, next_at,
                         c->final ? dispo_info(c->final)->code : "",
                         calllist_closing_day(today), c->id);
  }
  if(rc == PR_OK)
    rc = callstat_add(db, today, e.unit, "attempts", 1, err);
  if(rc == PR_OK && c->final)
    rc = callstat_add(db, today, e.unit, dispo_info(c->final)->code, 1, err);
  return calllist_db_end(db, rc, err);
}

enum pr_rc calllist_record(struct store *s, const struct calllist_cfg *cfg,
                           long id, enum dispo d, time_t callback_at,
                           time_t now, enum dispo *final, char *err)
{
  struct rec_ctx c;
  enum pr_rc rc;
  if(final)
    *final = DISPO_NONE;
  if(!dispo_info(d) || d == DISPO_NOTREACHED) {
    pr_seterr(err, "not an outcome a call can have");
    return PR_EINVAL;
  }
  if(d == DISPO_CALLBACK && callback_at <= now) {
    pr_seterr(err, "the call-back time must be in the future");
    return PR_EINVAL;
  }
  memset(&c, 0, sizeof(c));
  c.cfg = cfg;
  c.id = id;
  c.d = d;
  c.callback_at = callback_at;
  c.now = now;
  rc = store_with_db(s, record_cb, &c, err);
  if(!rc) {
    pr_log(PR_LOG_INFO, "call_outcome", "entry=%ld outcome=%s final=%s", id,
           dispo_info(d)->code, c.final ? dispo_info(c.final)->code : "-");
    if(final)
      *final = c.final;
  }
  return rc;
}

static enum pr_rc sip_cb(sqlite3 *db, void *vctx, char *err)
{
  struct rec_ctx *c = vctx;
  struct calllist_entry e;
  long today = pdate_local_today(c->now);
  enum pr_rc rc = calllist_db_begin(db, err);

  if(rc != PR_OK)
    return rc;
  rc = calllist_db_load(db, c->id, &e, err);
  if(rc == PR_OK)
    rc = calllist_db_run(db, "sip", NULL, err, "UPDATE call_entry SET"
                         " sip_offered = ?1, sip_accepted = ?2 WHERE id = ?3",
                         "iil", c->offered, c->accepted, c->id);
  /* Count the change only, so correcting the answer does not count twice. */
  if(rc == PR_OK)
    rc = callstat_add(db, today, e.unit, "sip_offered",
                      (c->offered == 1) - (e.sip_offered == 1), err);
  if(rc == PR_OK)
    rc = callstat_add(db, today, e.unit, "sip_accepted",
                      (c->accepted == 1) - (e.sip_accepted == 1), err);
  return calllist_db_end(db, rc, err);
}

enum pr_rc calllist_set_sip(struct store *s, long id, int offered,
                            int accepted, time_t now, char *err)
{
  struct rec_ctx c;
  if(offered < 0 || offered > 1 || accepted < 0 || accepted > 1 ||
     (accepted && !offered)) {
    pr_seterr(err, "SIP: accepted needs offered; values are 0 or 1");
    return PR_EINVAL;
  }
  memset(&c, 0, sizeof(c));
  c.id = id;
  c.now = now;
  c.offered = offered;
  c.accepted = accepted;
  return store_with_db(s, sip_cb, &c, err);
}
