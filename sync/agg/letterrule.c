/* letterrule.c — This file contains the alert rules (letterrule.h). */
#include "letterrule.h"

static int usable(const struct letterrule_cell *c, long min_n)
{
  return c->shown && c->n > 0 && c->n >= min_n;
}

int letterrule_goal(const struct letterrule_cell *months, int n, int need,
                    double goal, long min_n)
{
  int i;
  if(need < 1 || n < need)
    return 0;
  for(i = n - need; i < n; i++)
    if(!usable(&months[i], min_n) || !(months[i].hi < goal))
      return 0;
  return 1;
}

int letterrule_quarter(const struct letterrule_cell *prev,
                       const struct letterrule_cell *cur, long min_n)
{
  return usable(prev, min_n) && usable(cur, min_n) && cur->hi < prev->lo;
}
