/* calllist.h — the phone follow-up call list, kept in its own tables in the
 * kiosk's store file (through store_with_db, on the store's one
 * connection): entries imported from CSV or typed by hand, the queue "who
 * to call now", outcomes of each call, SIP offered/accepted, and erasure of
 * the personal data (secure_delete + WAL checkpoint).  What is typed is
 * checked by callcheck.h; the weekly counts that stay are in callstat.h.
 * It never touches the responses: an interview's answers are stored by the
 * caller with only the entry's track and care type.  Names, numbers and
 * personnummer never go to logs or error texts. */
#ifndef CALLLIST_H
#define CALLLIST_H

#include <time.h>
#include "dispo.h"
#include "pnr.h"
#include "pr.h"
#include "store.h"

#define CALLLIST_NAME_LEN  101
#define CALLLIST_PHONE_LEN 21
#define CALLLIST_MAX_MSGS  1000   /* rejected-row messages kept per import */

struct calllist_cfg {
  int day_from, day_to;     /* eligible days after discharge: 3..7 */
  int max_attempts;         /* 3 */
  int hour_from, hour_to;   /* calling hours, minutes after local midnight,
                               [from, to): 9*60 .. 18*60 */
  int retention_days;       /* keep personal data after the outcome: 14 */
};
void calllist_cfg_default(struct calllist_cfg *c);
/* Set one setting from text, as a config file or command line gives it:
 *   phone_days          "3-7"          eligible days after discharge
 *   phone_hours         "09:00-18:00"  calling hours (local time)
 *   phone_max_attempts  "3"            1..20
 *   phone_retention     "14"           days, 0..365
 * PR_ENOTFOUND for another key; PR_EINVAL with err for a bad value (c is
 * then unchanged). */
enum pr_rc calllist_cfg_set(struct calllist_cfg *c, const char *key,
                            const char *value, char *err) PR_MUST;

/* Typed or imported input: all strings (NULL = empty).  pnr optional. */
struct calllist_input {
  const char *name, *phone, *pnr, *discharge, *track, *care, *consent;
};

struct calllist_entry {
  long id;
  char name[CALLLIST_NAME_LEN];
  char phone[CALLLIST_PHONE_LEN];  /* digits, optional leading '+' */
  char pnr[PNR_LEN];               /* canonical or "" */
  long discharge;                  /* day number (pdate) */
  char track[8];                   /* "gron" / "gul" / "rod" */
  char care[16];                   /* "somatisk" / "psykiatrisk" */
  int consent;
  char unit[STORE_UNIT_LEN];
  int attempts;
  enum dispo last;                 /* last attempt's disposition */
  time_t next_at;                  /* earliest next call, 0 = any time */
  enum dispo final;                /* DISPO_NONE while open */
  long closed_day;                 /* Monday of the week the entry closed,
                                      -1 open */
  int sip_offered, sip_accepted;   /* -1 not asked, 0 no, 1 yes */
};

/* Make sure the call-list tables exist (schema step 3 creates them; this
 * also serves a store opened by an older program) and switch on
 * secure_delete.  Call once after store_open. */
enum pr_rc calllist_init(struct store *s, char *err) PR_MUST;

struct calllist_report {
  int rows, added, duplicates, rejected;
  int n_msgs;                      /* <= CALLLIST_MAX_MSGS */
  char (*msgs)[PR_ERR_LEN];        /* "line 7: phone: ..."; owned */
  int warned;                      /* duplicates whose details differ */
  int n_warns;                     /* <= CALLLIST_MAX_MSGS */
  char (*warns)[PR_ERR_LEN];       /* "line 9: the same personnummer ...,
                                      but a different phone; ..." (field
                                      names only, never values); owned */
  char encoding[16];
  char sep;
};
void calllist_report_free(struct calllist_report *r);  /* NULL-safe */

/* Import a CSV call list for unit in one transaction: valid new rows are
 * added, duplicates (same personnummer, or same name + phone, with the same
 * discharge date) skipped — with a warning naming the line and which
 * fields differ when the row's name, phone, personnummer, track, care type
 * or consent is not what the list has — bad rows reported in *rep with
 * line numbers.  unit must be an HSA-id (hsa_valid), else PR_EINVAL.
 * A row whose calling window (cfg; NULL = defaults) has already passed is
 * rejected too: it can no longer be called, and re-importing an old list
 * after its entries were erased must not bring them back.
 * Nothing already in the list changes.  A file that is not a call list at
 * all is PR_EINVAL with err; then nothing is added.  *rep is filled on
 * PR_OK (free with calllist_report_free). */
enum pr_rc calllist_import_buffer(struct store *s, const char *name,
                                  const char *buf, size_t len,
                                  const char *unit,
                                  const struct calllist_cfg *cfg, time_t now,
                                  struct calllist_report *rep,
                                  char *err) PR_MUST;
enum pr_rc calllist_import_file(struct store *s, const char *path,
                                const char *unit,
                                const struct calllist_cfg *cfg, time_t now,
                                struct calllist_report *rep,
                                char *err) PR_MUST;

/* Add one entry by hand for unit (an HSA-id, else PR_EINVAL); *id its
 * id.  A duplicate is PR_ECONFLICT. */
enum pr_rc calllist_add(struct store *s, const struct calllist_input *in,
                        const char *unit, time_t now, long *id,
                        char *err) PR_MUST;
/* Correct an entry's personal fields, track, care type and consent. */
enum pr_rc calllist_update(struct store *s, long id,
                           const struct calllist_input *in, time_t now,
                           char *err) PR_MUST;
enum pr_rc calllist_get(struct store *s, long id, struct calllist_entry *out,
                        char *err) PR_MUST;

/* Unit's entries to call now (unit NULL: every unit's), in order: due
 * call-backs first, then red, yellow, green, then oldest discharge.
 * Outside calling hours *n is 0 and *closed (may be NULL) is 1.  *out is
 * the caller's (pr_free). */
enum pr_rc calllist_queue(struct store *s, const struct calllist_cfg *cfg,
                          const char *unit, time_t now,
                          struct calllist_entry **out, int *n, int *closed,
                          char *err) PR_MUST;
/* Every entry still holding personal data, by id.  *out: pr_free. */
enum pr_rc calllist_all(struct store *s, struct calllist_entry **out,
                        int *n, char *err) PR_MUST;
/* The same for one unit (NULL: every unit). */
enum pr_rc calllist_for_unit(struct store *s, const char *unit,
                             struct calllist_entry **out, int *n,
                             char *err) PR_MUST;

/* Record the outcome of one call attempt on entry id (callback_at: the
 * agreed time for DISPO_CALLBACK, must be after now).  *final (may be
 * NULL) is the entry's final disposition afterwards or DISPO_NONE.  An
 * entry already closed is PR_EINVAL. */
enum pr_rc calllist_record(struct store *s, const struct calllist_cfg *cfg,
                           long id, enum dispo d, time_t callback_at,
                           time_t now, enum dispo *final,
                           char *err) PR_MUST;
/* SIP offered / accepted (0/1) on the entry; counted in the week's stats. */
enum pr_rc calllist_set_sip(struct store *s, long id, int offered,
                            int accepted, time_t now, char *err) PR_MUST;

/* Close entries whose window has passed (not reached / no consent), then
 * erase the personal data of entries closed retention_days ago or more.
 * An entry keeps only the Monday of the week it closed (closed_day), as a
 * phone response keeps only the Monday of its week: nothing finer can
 * join the two.  Retention counts from that Monday, so personal data is
 * erased between retention_days - 6 and retention_days after the outcome,
 * never later.  *closed and *erased (may be NULL) count them. */
enum pr_rc calllist_housekeep(struct store *s, const struct calllist_cfg *cfg,
                              time_t now, int *closed, int *erased,
                              char *err) PR_MUST;
/* Erase entry id now (on request).  PR_ENOTFOUND when absent. */
enum pr_rc calllist_erase(struct store *s, long id, char *err) PR_MUST;

#endif
