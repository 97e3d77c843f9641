/* bench_env.h — the benchmarks' one size switch: PR_BENCH_TINY=1 (check.sh)
 * runs every benchmark once at a tiny size so none can rot; bench.sh leaves
 * it unset and gets the full sizes.  Header-only: each benchmark is one
 * program. */
#ifndef BENCH_ENV_H
#define BENCH_ENV_H
#include <stdlib.h>
#include <string.h>

/* Nonzero when PR_BENCH_TINY is set to anything but "" or "0". */
static inline int bench_tiny(void)
{
  const char *e = getenv("PR_BENCH_TINY");
  return e && *e && strcmp(e, "0") != 0;
}

/* full normally, tiny under PR_BENCH_TINY. */
static inline long bench_size(long full, long tiny)
{
  return bench_tiny() ? tiny : full;
}
#endif
