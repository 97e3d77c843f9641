/* backoff.c — This file contains the retry-delay arithmetic declared in
 * backoff.h (exponential, capped, equal jitter, Retry-After as minimum). */
#include "backoff.h"

long backoff_fail(struct backoff *b, long retry_after, uint32_t rnd)
{
  long base = b->base_s > 0 ? b->base_s : 1;
  long cap = b->cap_s >= base ? b->cap_s : base;
  long d = base, half;

  if(b->failures < 1000)
    b->failures++;
  /* Double failures-1 times without overflowing past the cap. */
  for(int i = 1; i < b->failures && d < cap; i++)
    d = d > cap / 2 ? cap : d * 2;
  if(d > cap)
    d = cap;
  half = d / 2;
  d = half + (long)(rnd % (uint32_t)(d - half + 1));
  if(retry_after > BACKOFF_MAX_RETRY_AFTER)
    retry_after = BACKOFF_MAX_RETRY_AFTER;
  if(d < retry_after)
    d = retry_after;
  return d < 1 ? 1 : d;
}

void backoff_reset(struct backoff *b)
{
  b->failures = 0;
}
