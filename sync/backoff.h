/* backoff.h — when to try again after a failed sync: exponential backoff
 * with jitter, capped, never sooner than a server's Retry-After.  Pure
 * arithmetic: the caller passes the random number, so tests are exact.
 * It does not sleep or keep time. */
#ifndef BACKOFF_H
#define BACKOFF_H

#include <stdint.h>

#define BACKOFF_MAX_RETRY_AFTER (24L * 3600)  /* a larger Retry-After counts as this */

struct backoff {
  long base_s;      /* delay after the first failure (before jitter) */
  long cap_s;       /* the exponential part never exceeds this */
  int failures;     /* consecutive failures so far */
};

/* Record one more failure and return the delay in seconds until the next
 * attempt: d = min(cap, base * 2^(failures-1)), then "equal jitter":
 * a value from d/2 to d picked by rnd, so attempts of many kiosks spread
 * out but never come sooner than half the nominal delay.  retry_after (seconds, <= 0 for
 * none) is a minimum: the result is at least retry_after, clamped to
 * BACKOFF_MAX_RETRY_AFTER.  Always >= 1. */
long backoff_fail(struct backoff *b, long retry_after, uint32_t rnd);

/* A success: the next failure starts again from base. */
void backoff_reset(struct backoff *b);

#endif
