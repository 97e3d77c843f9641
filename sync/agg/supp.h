/* supp.h — small-cell suppression for every table that leaves the
 * aggregator (API, dashboard, CSV, Excel, CLI).  A cell whose n is above 0
 * and below the threshold is suppressed (primary); further cells are then
 * suppressed (complementary), chosen to lose as little as possible, until
 * no primary cell can be recovered exactly from the published cells and the
 * row and column totals.  It works on counts only and knows nothing of
 * indicators, formats or the database. */
#ifndef SUPP_H
#define SUPP_H

#include "pr.h"

#define SUPP_DEFAULT_THRESHOLD 5

/* What a complement costs, i.e. what the choice of complements minimises
 * (as tau-ARGUS's cost functions).  A margin (a total) costs what it sums:
 * its own n, or as many cells as its line has cells above 0.  Ties are
 * broken by the other measure (fewest cells for n, least n for cells). */
enum supp_cost {
  SUPP_COST_N = 0,      /* the responses hidden ("frequency") */
  SUPP_COST_CELLS = 1   /* the figures hidden ("unity") */
};
#define SUPP_DEFAULT_COST SUPP_COST_N

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
 * unless chosen as complements.  threshold < 1 is PR_EINVAL.
 * Complements: for each primary on no cycle yet (largest n first), the
 * cheapest cycle through it — a shortest path from its row to its column
 * over the other cells, a hidden cell costing 0 — is hidden; then every
 * complement no primary needs any more is shown again (dearest first).
 * Cost SUPP_DEFAULT_COST.  Deterministic: the same table gives the same
 * marks. */
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
 * supp_fix each) and a cost.  Complements are only chosen among cells not
 * fixed as shown; a primary in such a cell is still hidden.  PR_ELIMIT
 * (mark then incomplete) when a primary cannot be put on a cycle that
 * avoids the cells fixed as shown: the caller must then hide more on its
 * own terms.  A table of at most SUPP_EXACT_MAX_CELLS elements (margins
 * included) then gets the exact search (supp_apply_exact) from the
 * heuristic's pattern, for at most SUPP_EXACT_NODES nodes: the optimum, or
 * the cheapest pattern reached. */
enum pr_rc supp_apply_fixed(int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            enum supp_cost cost, unsigned char *mark,
                            char *err) PR_MUST;

/* The same with the heuristic alone, whatever the size (for tests and
 * measurements). */
enum pr_rc supp_apply_heuristic(int rows, int cols, const long *n,
                                const unsigned char *force,
                                const unsigned char *fixed, int threshold,
                                enum supp_cost cost, unsigned char *mark,
                                char *err) PR_MUST;

/* The same problem solved exactly, for small tables (exponential in the
 * worst case; supp_apply_fixed uses it with SUPP_EXACT_NODES).  Branch and
 * bound: a primary on no cycle is a bridge, so another cell across the cut
 * it alone crosses must be hidden; branch on which, bounded by the
 * heuristic's pattern.  At most SUPP_EXACT_MAX_CELLS elements with margins
 * (PR_EINVAL beyond), at most max_nodes search nodes (PR_ELIMIT beyond:
 * mark then holds the cheapest pattern found, protected all the same).
 * *nodes (may be NULL) gets the nodes searched. */
#define SUPP_EXACT_MAX_CELLS 64
#define SUPP_EXACT_NODES 500
enum pr_rc supp_apply_exact(int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            enum supp_cost cost, long max_nodes,
                            unsigned char *mark, long *nodes,
                            char *err) PR_MUST;

/* What a pattern loses, in the measure of cost: the n of every complement
 * (a hidden 0 counted as the threshold), or the number of complements (a
 * total counted as the cells above 0 in its line).  Primaries and cells
 * fixed as hidden are not counted.  fixed may be NULL; -1 when out of
 * memory. */
long long supp_loss(int rows, int cols, const long *n,
                    const unsigned char *fixed, int threshold,
                    enum supp_cost cost, const unsigned char *mark);

/* Threshold from a string ("5"); 0 / -1 (must be 1..1000). */
int supp_parse_threshold(const char *s, int *out) PR_MUST;

/* Cost from a string ("n" or "cells"); 0 / -1.  supp_cost_name: the
 * same words back (static strings). */
int supp_parse_cost(const char *s, enum supp_cost *out) PR_MUST;
const char *supp_cost_name(enum supp_cost c);

#endif
