/* letterdb.h — the letters' tables (schema component "letters"): who gets
 * the monthly letters and alerts (per unit, and region-wide), the outbox
 * of composed messages with their sending state, and the ledger of alerts
 * already raised.  It stores and hands out; composing is lettermake.h,
 * sending lettersend.h.
 *
 * Outbox states: pending -> sending -> sent, or back to pending with a
 * later next_at after a failed attempt (failed after max attempts), or
 * uncertain when a "sending" row outlived the send timeout (the process
 * died between handing the message to the server and recording it: it
 * may or may not have been delivered, so it is never resent on its own;
 * `rost-agg letters resend ID` does it on an admin's word). */
#ifndef LETTERDB_H
#define LETTERDB_H

#include "aggdb.h"
#include "indic.h"

#define LETTERDB_EMAIL_LEN 128
#define LETTERDB_ID_LEN 320      /* kind:unit:indicator:period:address */

/* Create or update the tables.  Idempotent. */
enum pr_rc letterdb_migrate(struct aggdb *db, char *err) PR_MUST;

/* 1 when s is a plain address we accept: local@domain, printable ASCII,
 * no spaces, quotes, angle brackets, commas or CR/LF, < EMAIL_LEN. */
int letterdb_valid_email(const char *s);

struct letterdb_recipient {
  char unit[INDIC_UNIT_LEN];         /* "" = region-wide */
  char email[LETTERDB_EMAIL_LEN];
  char role[24];                     /* kvalitet | verksamhetschef | region */
};

/* Add (or change the role of) a recipient.  unit "" with role "region";
 * a unit needs "kvalitet" or "verksamhetschef" and must be known
 * (indicq_check_names).  PR_EINVAL / PR_ENOTFOUND naming what is wrong. */
enum pr_rc letterdb_recipient_add(struct aggdb *db, const char *unit,
                                  const char *email, const char *role,
                                  char *err) PR_MUST;
/* PR_ENOTFOUND when there was no such recipient. */
enum pr_rc letterdb_recipient_remove(struct aggdb *db, const char *unit,
                                     const char *email, char *err) PR_MUST;
/* Every recipient, by unit ("" first) then address.  *out is the caller's
 * (pr_free), *n how many. */
enum pr_rc letterdb_recipients(struct aggdb *db,
                               struct letterdb_recipient **out, int *n,
                               char *err) PR_MUST;

/* One message to queue: id is the natural key that makes it unique
 * ("monthly:2026-09:SE...:a@b"), so queueing it twice does nothing. */
struct letterdb_new {
  const char *id, *kind, *recipient, *subject, *message;
};

/* Queue msgs in one transaction.  When alert_unit is not NULL the alert
 * (unit, indicator, period) is written to the ledger in the same
 * transaction, and if it was raised before nothing is queued.  *added =
 * messages newly queued; fresh (may be NULL, n entries) says which. */
enum pr_rc letterdb_enqueue(struct aggdb *db, const struct letterdb_new *msgs,
                            int n, int *fresh, const char *alert_unit,
                            const char *alert_indicator,
                            const char *alert_period, const char *alert_rule,
                            const char *alert_detail, long long now,
                            int *added, char *err) PR_MUST;
/* 1 in *found when id is in the outbox / the alert in the ledger. */
enum pr_rc letterdb_queued(struct aggdb *db, const char *id, int *found,
                           char *err) PR_MUST;
enum pr_rc letterdb_alert_raised(struct aggdb *db, const char *unit,
                                 const char *indicator, const char *period,
                                 int *found, char *err) PR_MUST;

struct letterdb_msg {
  char id[LETTERDB_ID_LEN];
  char kind[16];
  char recipient[LETTERDB_EMAIL_LEN];
  char subject[256];
  char state[16];
  long attempts;
  long long next_at, created_at, sent_at;
  char last_error[256];
  char *message;                     /* only from claim; pr_free */
};

/* Claim the next due message (state pending, next_at <= now): it is set
 * to "sending" with claimed_at = now and committed before this returns,
 * so no other process sends it.  *found 0 when none is due. */
enum pr_rc letterdb_claim(struct aggdb *db, long long now,
                          struct letterdb_msg *out, int *found,
                          char *err) PR_MUST;
/* After the server accepted the message. */
enum pr_rc letterdb_sent(struct aggdb *db, const char *id, long long now,
                         char *err) PR_MUST;
/* After a failed attempt: back to pending at next_at, or "failed" when
 * give_up; why is kept for the listing. */
enum pr_rc letterdb_retry(struct aggdb *db, const char *id, long long next_at,
                          int give_up, const char *why, char *err) PR_MUST;
/* "sending" rows claimed before now - stale become "uncertain"; *n how
 * many. */
enum pr_rc letterdb_expire(struct aggdb *db, long long now, long stale,
                           int *n, char *err) PR_MUST;
/* An admin's resend: an uncertain or failed message back to pending, due
 * now.  PR_ENOTFOUND when id is not uncertain/failed. */
enum pr_rc letterdb_resend(struct aggdb *db, const char *id, long long now,
                           char *err) PR_MUST;
/* Outbox rows (without the message), newest first, at most max. */
typedef int (*letterdb_row_fn)(void *ctx, const struct letterdb_msg *m);
enum pr_rc letterdb_list(struct aggdb *db, int max, letterdb_row_fn fn,
                         void *ctx, char *err) PR_MUST;

#endif
