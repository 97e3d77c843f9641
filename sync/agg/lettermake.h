/* lettermake.h — composing the monthly letters and the alerts.  On or
 * after the first weekday of a month it writes last month's letter to
 * every unit recipient (each indicator: share, n, 95 % interval, goal,
 * region, a 12-month trend chart) and to every region recipient (the
 * units side by side), and it checks the alert rules (letterrule.h) for
 * every unit with recipients of its own — every unit when there are
 * region recipients.  Every figure is read through indicq_run /
 * indicq_cell with the dashboard's own filter defaults, so suppression
 * applies exactly as on the dashboard.  Messages go to the outbox
 * (letterdb.h) or, in a dry run, to a callback; sending is lettersend.h. */
#ifndef LETTERMAKE_H
#define LETTERMAKE_H

#include "aggconf.h"
#include "aggdb.h"
#include "letterconf.h"
#include "letterdb.h"

struct lettermake_stats {
  int letters;        /* monthly letters composed (queued or printed) */
  int alerts;         /* alerts raised (each to one or more recipients) */
  int queued;         /* messages newly put in the outbox */
};

/* One composed message for a dry run: m (borrowed) and the plain-text
 * part. */
typedef void (*lettermake_show_fn)(void *ctx, const struct letterdb_new *m,
                                   const char *text);

/* Compose what is due at `now` (unix seconds, UTC calendar).  dry_run:
 * nothing is stored; each message that a real run would queue now (not
 * queued before, alert not raised before) goes to show(ctx, ...).
 * Otherwise messages are queued (once: natural ids) and each letter and
 * alert is written to the audit log as who "letters".  st may be NULL. */
enum pr_rc lettermake_run(struct aggdb *db, const struct aggconf *conf,
                          const struct letterconf *lc, long long now,
                          int dry_run, lettermake_show_fn show, void *ctx,
                          struct lettermake_stats *st, char *err) PR_MUST;

/* The first weekday (Monday..Friday) of the month holding day that is not
 * a Swedish public holiday (lettermake_holiday). */
long lettermake_first_weekday(long day);
/* 1 when day is a Swedish public holiday on a weekday's date, or a day
 * offices close: New Year's Day, Epiphany, Good Friday, Easter Monday,
 * 1 May, Ascension Day, 6 June, Christmas Eve, Christmas Day, Boxing Day,
 * New Year's Eve. */
int lettermake_holiday(long day);

#endif
