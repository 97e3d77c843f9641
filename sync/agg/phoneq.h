/* phoneq.h — the phone follow-up's interview counts for quality teams:
 * interviews complete and abandoned per unit or region over whole months,
 * read from the responses' monthly roll-up and suppressed on the
 * canonical calendar grid (canon.h) like every indicator.  The response
 * and cooperation rates (RR1, COOP1) are indicators of their own in
 * indicq.h ("svarsfrekvens", "samarbetsgrad"). */
#ifndef PHONEQ_H
#define PHONEQ_H

#include "aggdb.h"
#include "supp.h"

/* Schema component "phone-cut" (one line in agg_components): the table
 * phone_cut, interviews per unit, month, track, care type and status. */
enum pr_rc phoneq_migrate(struct aggdb *db, char *err) PR_MUST;

/* Schema component "phone-month-retired" (after "phone-cut" in
 * agg_components): drops phone_month and its trigger, the roll-up by unit,
 * month and status that "aggregates" step 4 made and nothing reads since
 * phone_cut (the trigger only cost every phone insert a write). */
enum pr_rc phoneq_migrate_retire(struct aggdb *db, char *err) PR_MUST;

/* Interviews complete and partial (abandoned) for unit (or the region when
 * unit is NULL or "") in the whole months from..to (widened to whole
 * months: out->from, out->to say which), of track and care type (canonical
 * values, vocab.h; NULL or "" = all).  Both are 0 and suppressed is 1
 * unless each of the two counts is a sum of shown canonical months (a
 * month with 1-4 of either is hidden, with complements chosen by cost). */
struct phoneq_counts {
  long complete, partial;
  int suppressed;
  long from, to;
};
enum pr_rc phoneq_counts(struct aggdb *db, const char *unit, long from,
                         long to, const char *track, const char *care,
                         int threshold, enum supp_cost cost,
                         struct phoneq_counts *out, char *err) PR_MUST;

#endif
