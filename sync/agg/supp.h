/* supp.h — small-cell suppression for every table that leaves the
 * aggregator (API, dashboard, CSV, Excel, CLI).  A cell whose n is above 0
 * and below the threshold is suppressed (primary); further cells are then
 * suppressed (complementary) until no primary cell can be recovered exactly
 * from the published cells and the row and column totals.  It works on
 * counts only and knows nothing of indicators, formats or the database. */
#ifndef SUPP_H
#define SUPP_H

#include "pr.h"

#define SUPP_DEFAULT_THRESHOLD 5

enum supp_mark {
  SUPP_SHOW = 0,
  SUPP_PRIMARY = 1,     /* 0 < n < threshold */
  SUPP_COMPLEMENT = 2   /* hidden so a primary cannot be recovered */
};

/* A table with margins, rows x cols interior cells plus a total column and
 * a total row, laid out row-major as (rows + 1) x (cols + 1):
 * n[r * (cols + 1) + c]; column `cols` holds each row's total, row `rows`
 * each column's total, and n[rows * (cols + 1) + cols] the grand total.
 * Totals must be the sums of their lines (PR_EINVAL otherwise).
 *
 * Writes one enum supp_mark per element into mark (same layout).  After
 * the call, every primary cell lies on a cycle of hidden cells, which is
 * exactly the condition for it not to be determined by the linear row and
 * column equations (for a two-way table with margins the equations are an
 * incidence system of a bipartite graph, whose kernel is spanned by its
 * even cycles).  Zero cells (n == 0) are not sensitive and stay visible
 * unless chosen as complements.  threshold < 1 is PR_EINVAL. */
enum pr_rc supp_apply(int rows, int cols, const long *n, int threshold,
                      unsigned char *mark, char *err) PR_MUST;

/* The same, with extra primary cells: force (same layout, may be NULL)
 * non-zero marks a cell that must be hidden whatever its n — e.g. one
 * that another published table would give away by subtraction. */
enum pr_rc supp_apply_forced(int rows, int cols, const long *n,
                             const unsigned char *force, int threshold,
                             unsigned char *mark, char *err) PR_MUST;

/* How a cell may be treated beyond its own n (supp_apply_fixed). */
enum supp_fix {
  SUPP_FIX_NONE = 0,
  SUPP_FIX_SHOWN = 1,   /* published elsewhere (or a zero, which protects
                           nothing): never chosen as a complement */
  SUPP_FIX_HIDDEN = 2   /* published nowhere: hidden from the start, needs
                           no protection itself, closes cycles for free */
};

/* supp_apply_forced with fixed cells (same layout, may be NULL; one enum
 * supp_fix each).  Complements are only chosen among cells not fixed as
 * shown; a primary in such a cell is still hidden.  PR_ELIMIT (mark then
 * incomplete) when a primary cannot be put on a 4-cycle that avoids the
 * cells fixed as shown: the caller must then hide more on its own terms. */
enum pr_rc supp_apply_fixed(int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            unsigned char *mark, char *err) PR_MUST;

/* Threshold from a string ("5"); 0 / -1 (must be 1..1000). */
int supp_parse_threshold(const char *s, int *out) PR_MUST;

#endif
