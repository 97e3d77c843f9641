/* callstat.h — the phone follow-up's weekly statistics: counts per ISO week,
 * unit and item (entries, attempts, each final disposition, SIPs offered
 * and accepted) in the store's table call_stat.  They hold no personal
 * data and stay after the call list's entries are erased. */
#ifndef CALLSTAT_H
#define CALLSTAT_H

#include "dispo.h"
#include "pr.h"
#include "store.h"

struct sqlite3;

/* Add n to item ("entries", "attempts", "sip_offered", "sip_accepted" or a
 * disposition code) for the ISO week of day and unit, on db inside the
 * caller's transaction (a store_with_db callback).  n == 0: no-op. */
enum pr_rc callstat_add(struct sqlite3 *db, long day, const char *unit,
                        const char *item, long n, char *err) PR_MUST;

/* Weekly statistics, oldest week first.  *out: pr_free. */
enum pr_rc callstat_weeks(struct store *s, struct dispo_week **out, int *n,
                          char *err) PR_MUST;

#endif
