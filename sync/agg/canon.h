/* canon.h — small-cell suppression on ONE canonical calendar grid, so that
 * what is hidden never depends on the span or granularity a reader asks
 * for.  The grid is calendar months (units as columns, the region as their
 * margin), grouped by quarter: each quarter is one two-way table (3 months
 * x the units with data in it, with each unit's quarter and the region's
 * months as margins) suppressed by supp.h, so a month's pattern depends
 * only on its own quarter's data.  ISO weeks, counted in the month of their
 * Monday, are a finer grid inside each month: weeks x units with the month
 * figures as fixed margins.  A coarser cell (a quarter, a year, any run of
 * whole months, a span total) is published only when it is a sum of
 * published canonical cells, so it tells nothing they do not.
 * One quantity (a count) per grid; no dates, no database, no formatting. */
#ifndef CANON_H
#define CANON_H

#include "pr.h"
#include "supp.h"

struct canon;

/* Suppress the month grid of one quantity.  n_quarters whole quarters
 * (3 * n_quarters months, the first month starting a quarter), n_units
 * columns.  cells: months x n_units, row-major.  all (may be NULL): the
 * same months for the question without its cut (mode, track, ...) as
 * months x (n_units + 1), the region last; a cell whose rest (all minus
 * cut) is above 0 and below the threshold is hidden as well, or the uncut
 * figure minus this one would give the small rest away.  threshold >= 1;
 * cost: what the complements minimise (supp.h), for the weeks too.
 * *out is the caller's (canon_free); NULL on failure. */
enum pr_rc canon_new(int n_quarters, int n_units, const long *cells,
                     const long *all, int threshold, enum supp_cost cost,
                     struct canon **out, char *err) PR_MUST;
void canon_free(struct canon *c);                  /* NULL-safe */

/* Add the week grid.  week_month[w] is the month index (0-based, into the
 * grid above) of the Monday of week w, non-decreasing; every week whose
 * Monday lies in a month that has any week here must be given (the table
 * of a month is all its weeks).  cells: n_weeks x n_units; all as above
 * (n_weeks x (n_units + 1)) or NULL.  The month figures (which may also
 * hold responses reported by month, so they are the weeks' sum plus an
 * unknown rest) are fixed margins: a shown month is never hidden here and
 * a hidden one cannot be recovered from its weeks. */
enum pr_rc canon_add_weeks(struct canon *c, int n_weeks, const int *week_month,
                           const long *cells, const long *all,
                           char *err) PR_MUST;

/* Marks (enum supp_mark) of canonical cells; u == n_units is the region.
 * Out of range: SUPP_COMPLEMENT. */
int canon_month_mark(const struct canon *c, int m, int u);
int canon_quarter_mark(const struct canon *c, int q, int u);
int canon_week_mark(const struct canon *c, int w, int u);

/* 1 when the sum over months m0..m1 (inclusive) of column u may be
 * published: every quarter inside it is shown whole, or each of its months
 * in the run is shown.  Weeks likewise: every week w0..w1 shown. */
int canon_months_shown(const struct canon *c, int m0, int m1, int u);
int canon_weeks_shown(const struct canon *c, int w0, int w1, int u);

#endif
