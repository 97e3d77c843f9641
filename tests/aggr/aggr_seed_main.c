/* aggr_seed_main.c — This file contains aggr-seed, the test helper that
 * fills an aggregator database with a synthetic region through the real
 * ingest path (tests/unit/aggr_seed.h): six vårdcentraler, 24 months up to
 * November 2026, kiosk visits, coordinator contacts and phone follow-ups,
 * one small unit whose cells must be suppressed, invented comments, and
 * the phone follow-up's weekly call statistics (RR1/COOP1).
 * Usage: aggr-seed DB-URL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggr_seed.h"
#include "pdate.h"

static const char *const units[] = {
  "SE2321000032-VC0001", "SE2321000032-VC0002", "SE2321000032-VC0003",
  "SE2321000032-VC0004", "SE2321000032-VC0005", "SE2321000032-VC0006",
};

static const char *const comments[] = {
  "Svårt att komma fram på telefon.",
  "Jag hade velat få veta mer om mina mediciner.",
  "Bra bemötande men lång väntetid.",
  "Ingen ringde tillbaka som utlovat.",
};

int main(int argc, char **argv)
{
  struct aggr_seed s;
  char err[PR_ERR_LEN] = "", period[8];
  int u, m, total = 0;

  if(argc != 2) {
    fprintf(stderr, "usage: aggr-seed DB-URL\n");
    return 2;
  }
  if(aggr_seed_open(argv[1], &s, err) != 0) {
    fprintf(stderr, "aggr-seed: %s\n", err);
    return 1;
  }
  for(m = 0; m < 24; m++) {
    int y = 2024 + (m + 11) / 12, mon = (m + 11) % 12 + 1;  /* 2024-12.. */
    snprintf(period, sizeof(period), "%04d-%02d", y, mon);
    for(u = 0; u < 6; u++) {
      /* Sizes differ by unit; VC0006 is small, below the threshold one
       * month in four (those cells and their complements are hidden). */
      int base = u == 5 ? (m % 4 == 1 ? 3 : 8 + m % 5)
                        : 14 + 5 * u + (m * 7 + u * 3) % 11;
      int pos = base * (62 + (m * 3 + u * 5) % 30) / 100;
      int dk = base / 12;
      int neg = base - pos;
      const char *c = comments[(m + u) % 4];
      if(aggr_seed_batch(&s, units[u], "kiosk-besok", 1, "kiosk", period, NULL,
                         NULL, pos, neg, dk, (m + u) % 3 ? NULL : c,
                         "complete", err) != 0)
        goto fail;
      total += pos + neg + dk;
      if(u < 5 && aggr_seed_batch(&s, units[u], "samordnare-kontakt", 1,
                                  "kiosk", period, NULL, NULL, base / 3,
                                  base / 6 + 1, 0, c, "complete", err) != 0)
        goto fail;
      if(u < 5 && aggr_seed_batch(&s, units[u], "ring-upp-utskrivning", 1,
                                  "phone", period, m % 2 ? "gul" : "rod",
                                  u % 2 ? "psykiatrisk" : "somatisk",
                                  base / 3, base / 5 + 1, 1, NULL,
                                  "complete", err) != 0)
        goto fail;
      if(u < 5 && aggr_seed_batch(&s, units[u], "ring-upp-utskrivning", 1,
                                  "phone", period, "gul", "somatisk", 1, 1, 0,
                                  NULL, "abandoned", err) != 0)
        goto fail;
    }
  }
  /* Call statistics: every ISO week of the 24 months, units 1-5 (the
   * small unit has no phone follow-up); one unit's weeks are thin. */
  {
    long d0 = pdate_from_ymd(2024, 12, 2), d;     /* a Monday */
    int k = 0;
    for(d = d0; d < pdate_from_ymd(2026, 12, 1); d += 7, k++)
      for(u = 0; u < 5; u++) {
        char week[9];
        int c = u == 4 ? 1 + k % 2 : 3 + (k + u) % 4;
        pdate_format_week(d, week);
        if(aggr_seed_calls(&s, units[u], week, c, k % 3 == 0, (k + u) % 2,
                           (k + 2 * u) % 3, k % 7 == 0, err) != 0)
          goto fail;
      }
  }
  printf("aggr-seed: stored a synthetic region (%d kiosk responses and more)\n",
         total);
  aggr_seed_close(&s);
  return 0;
fail:
  fprintf(stderr, "aggr-seed: %s\n", err);
  aggr_seed_close(&s);
  return 1;
}
