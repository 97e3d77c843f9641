/* suppshare.h — how much the suppression leaves to see: synthetic regions
 * (units x months, whole quarters) and the share of the figures that are
 * not small (n >= threshold) which the canonical grid (canon.h) still
 * shows — unit months, and every canonical figure (unit months, region
 * months, unit and region quarters).  Header-only: shared by test_supp.c
 * and bench_supp.c.  Build with SUPPSHARE_BEFORE against the canon.c of
 * before the cost option (no cost argument) to measure the old choice. */
#ifndef SUPPSHARE_H
#define SUPPSHARE_H

#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "supp.h"

#define SUPPSHARE_MAX_UNITS 200
#define SUPPSHARE_MONTHS 24

struct suppshare_region {
  int units, months;
  long n[SUPPSHARE_MONTHS * SUPPSHARE_MAX_UNITS];   /* months x units */
};

struct suppshare {
  long small, cells;              /* unit months: small ones, all */
  long month_big, month_shown;    /* unit months n >= threshold */
  long all_big, all_shown;        /* every canonical figure n >= threshold */
  long n_big, n_shown;            /* responses in those unit months */
  double worst_unit;              /* least share of a unit's months shown */
  long regions;
};

/* A deterministic generator (rand() differs between libcs). */
static inline unsigned suppshare_rand(unsigned *s)
{
  *s = *s * 1103515245u + 12345u;
  return (*s >> 8) & 0xffffff;
}

/* The aggregator suite's seeded region (tests/aggr/aggr_seed_main.c): 6
 * units over 24 months, "kiosk-besok" n per unit and month; the smallest
 * unit is below 5 one month in four. */
static inline void suppshare_seed6(struct suppshare_region *g)
{
  int m, u;
  memset(g, 0, sizeof(*g));
  g->units = 6;
  g->months = 24;
  for(m = 0; m < 24; m++)
    for(u = 0; u < 6; u++)
      g->n[m * 6 + u] = u == 5 ? (m % 4 == 1 ? 3 : 8 + m % 5)
                               : 14 + 5 * u + (m * 7 + u * 3) % 11;
}

/* A random region: units of very different sizes (a few patients a month
 * up to a hundred), months varying around the unit's size, and about
 * small_pct % of the unit months below 5 (a thin unit's quiet months, and
 * any unit's holiday month). */
static inline void suppshare_random(struct suppshare_region *g, int units,
                                    int small_pct, unsigned *seed)
{
  int m, u;
  long size[SUPPSHARE_MAX_UNITS];
  memset(g, 0, sizeof(*g));
  g->units = units;
  g->months = SUPPSHARE_MONTHS;
  for(u = 0; u < units; u++)
    size[u] = 10 + (long)(suppshare_rand(seed) % 90);
  for(m = 0; m < g->months; m++)
    for(u = 0; u < units; u++) {
      long v = size[u] * (60 + (long)(suppshare_rand(seed) % 81)) / 100;
      if((int)(suppshare_rand(seed) % 1000) < small_pct * 10)
        v = 1 + (long)(suppshare_rand(seed) % 4);
      g->n[m * units + u] = v;
    }
}

static inline void suppshare_count(const struct canon *c,
                                   const struct suppshare_region *g,
                                   int threshold, struct suppshare *s)
{
  int m, u, q, nu = g->units;
  double worst = 1.0;
  for(u = 0; u <= nu; u++) {
    long big = 0, shown = 0;
    for(m = 0; m < g->months; m++) {
      long v = 0;
      int k, vis = canon_month_mark(c, m, u) == SUPP_SHOW;
      if(u < nu)
        v = g->n[m * nu + u];
      else
        for(k = 0; k < nu; k++)
          v += g->n[m * nu + k];
      if(u < nu) {
        s->cells++;
        s->small += v > 0 && v < threshold;
      }
      if(v < threshold)
        continue;
      s->all_big++;
      s->all_shown += vis;
      if(u == nu)
        continue;
      big++;
      shown += vis;
      s->month_big++;
      s->month_shown += vis;
      s->n_big += v;
      s->n_shown += vis ? v : 0;
    }
    if(u < nu && big > 0 && (double)shown / (double)big < worst)
      worst = (double)shown / (double)big;
    for(q = 0; q < g->months / 3; q++) {
      long v = 0;
      int k;
      for(m = 3 * q; m < 3 * q + 3; m++)
        for(k = 0; k < nu; k++)
          if(u == nu || k == u)
            v += g->n[m * nu + k];
      if(v < threshold)
        continue;
      s->all_big++;
      s->all_shown += canon_quarter_mark(c, q, u) == SUPP_SHOW;
    }
  }
  s->worst_unit = s->regions == 0 || worst < s->worst_unit ? worst
                                                           : s->worst_unit;
  s->regions++;
}

/* Suppress g's grid with cost and add what it shows to s.  0 / -1. */
static inline int suppshare_add(const struct suppshare_region *g,
                                int threshold, int cost, struct suppshare *s)
{
  struct canon *c = NULL;
#ifdef SUPPSHARE_BEFORE
  (void)cost;
  if(canon_new(g->months / 3, g->units, g->n, NULL, threshold, &c, NULL) !=
     PR_OK)
    return -1;
#else
  if(canon_new(g->months / 3, g->units, g->n, NULL, threshold,
               (enum supp_cost)cost, &c, NULL) != PR_OK)
    return -1;
#endif
  suppshare_count(c, g, threshold, s);
  canon_free(c);
  return 0;
}

static inline double suppshare_ratio(long a, long b)
{
  return b > 0 ? (double)a / (double)b : 1.0;
}

#endif
