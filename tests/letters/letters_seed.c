/* letters_seed.c — This file contains letters-seed, the test helper that
 * stores a small region through the real ingest path (aggr_seed.h) for the
 * alert tests: 12 months up to September 2026 of kiosk visits where
 *   VC0001 (100 answers a month) drops from 85 % to 50 % positive in the
 *          last two months — a real drop;
 *   VC0002 (8 answers a month) drops from 7 of 8 to 4 of 8 in the same
 *          months — the same size, but noise at that n;
 *   VC0003 (100 a month) stays at 85 %.
 * Every cell is above the suppression threshold, so nothing is hidden.
 * Usage: letters-seed DB-URL */
#include <stdio.h>

#include "aggr_seed.h"

int main(int argc, char **argv)
{
  struct aggr_seed s;
  char err[PR_ERR_LEN] = "", period[8];
  int m;

  if(argc != 2) {
    fprintf(stderr, "usage: letters-seed DB-URL\n");
    return 2;
  }
  if(aggr_seed_open(argv[1], &s, err) != 0) {
    fprintf(stderr, "letters-seed: %s\n", err);
    return 1;
  }
  for(m = 0; m < 12; m++) {
    int y = m < 3 ? 2025 : 2026, mon = m < 3 ? 10 + m : m - 2;
    int drop = m >= 10;                      /* 2026-08 and 2026-09 */
    snprintf(period, sizeof(period), "%04d-%02d", y, mon);
    if(aggr_seed_batch(&s, "SE2321000032-VC0001", "kiosk-besok", 1, "kiosk",
                       period, NULL, NULL, drop ? 50 : 85, drop ? 50 : 15, 0,
                       NULL, "complete", err) != 0 ||
       aggr_seed_batch(&s, "SE2321000032-VC0002", "kiosk-besok", 1, "kiosk",
                       period, NULL, NULL, drop ? 4 : 7, drop ? 4 : 1, 0,
                       NULL, "complete", err) != 0 ||
       aggr_seed_batch(&s, "SE2321000032-VC0003", "kiosk-besok", 1, "kiosk",
                       period, NULL, NULL, 85, 15, 0, NULL, "complete",
                       err) != 0) {
      fprintf(stderr, "letters-seed: %s: %s\n", period, err);
      aggr_seed_close(&s);
      return 1;
    }
  }
  aggr_seed_close(&s);
  return 0;
}
