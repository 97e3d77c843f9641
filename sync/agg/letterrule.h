/* letterrule.h — when has an indicator really dropped?  Pure functions on
 * published cells (indicq_cell): the goal rule (the 95 % interval's upper
 * bound under the goal in N consecutive months) and the quarter rule
 * (this quarter's whole interval below last quarter's).  A hidden cell, an
 * empty one or one under min_n answers never counts as evidence, so noise
 * at small n (wide intervals) does not alert.  No database, no text. */
#ifndef LETTERRULE_H
#define LETTERRULE_H

#include "pr.h"

struct letterrule_cell {
  int shown;                 /* published with answers (mark SHOW, n > 0) */
  long n;
  double share, lo, hi;      /* 0..1 */
};

/* 1 when each of the last `need` cells of months[0..n-1] (oldest first)
 * is shown, has n >= min_n and hi < goal. */
int letterrule_goal(const struct letterrule_cell *months, int n, int need,
                    double goal, long min_n);

/* 1 when both quarters are shown with n >= min_n and cur.hi < prev.lo. */
int letterrule_quarter(const struct letterrule_cell *prev,
                       const struct letterrule_cell *cur, long min_n);

#endif
