/* This file contains the fuzz target for the aggregator's call-statistics
 * decoder (aggcalls_decode): arbitrary bytes in; when they decode, every
 * week must be within the documented bounds.  Built as a libFuzzer target
 * with clang (PR_FUZZ=ON) and, linked with fuzz_agg_replay.c, as a plain
 * program for the gcc+ASan suite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "aggcalls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct aggcalls_batch *b = NULL;
  char err[PR_ERR_LEN];
  enum pr_rc rc;
  int i, k;

  rc = aggcalls_decode((const char *)data, size, 20789, &b, err);
  if(rc == PR_OK) {
    if(b->n < 0 || b->n > AGGCALLS_MAX_WEEKS)
      abort();
    for(i = 0; i < b->n; i++) {
      if(b->w[i].week_start > 20789 + 7)
        abort();
      for(k = 0; k < AGGCALLS_N_ITEMS; k++)
        if(b->w[i].n[k] < 0 || b->w[i].n[k] > AGGCALLS_MAX_COUNT)
          abort();
    }
  }
  else if(b)
    abort();                    /* *out is NULL on failure */
  aggcalls_batch_free(b);
  return 0;
}
