/* pin.c — This file contains staff-PIN hashing (Argon2id through
 * libsodium's crypto_pwhash_str) and the growing lockout delay after wrong
 * PINs.  The caller keeps the guard; this file keeps no state. */
#include "pin.h"

#include <sodium.h>
#include <string.h>

_Static_assert(PIN_HASH_LEN >= crypto_pwhash_STRBYTES,
               "PIN_HASH_LEN too small for crypto_pwhash_str");

#define PIN_FREE_FAILURES 2
#define PIN_FIRST_DELAY 30L
#define PIN_MAX_DELAY (15L * 60L)

static int pin_well_formed(const char *pin)
{
  size_t n;
  if(!pin)
    return 0;
  n = strlen(pin);
  if(n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS)
    return 0;
  for(size_t i = 0; i < n; i++)
    if(pin[i] < '0' || pin[i] > '9')
      return 0;
  return 1;
}

enum pr_rc pin_hash(const char *pin, char out[PIN_HASH_LEN], char *err)
{
  out[0] = '\0';
  if(!pin_well_formed(pin)) {
    pr_seterr(err, "PIN must be %d to %d digits (0-9), nothing else",
              PIN_MIN_DIGITS, PIN_MAX_DIGITS);
    return PR_EINVAL;
  }
  /* Interactive limits: a kiosk unlock must take well under a second. */
  if(crypto_pwhash_str_alg(out, pin, strlen(pin),
                           crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE,
                           crypto_pwhash_ALG_ARGON2ID13) != 0) {
    out[0] = '\0';
    pr_seterr(err, "PIN hashing ran out of memory");
    return PR_ENOMEM;
  }
  return PR_OK;
}

enum pr_rc pin_verify(const char *hash, const char *pin)
{
  if(!hash || strncmp(hash, "$argon2id$", 10) != 0 ||
     strnlen(hash, PIN_HASH_LEN) >= PIN_HASH_LEN)
    return PR_EINVAL;
  if(!pin_well_formed(pin))
    return PR_EAUTH;
  if(crypto_pwhash_str_verify(hash, pin, strlen(pin)) != 0)
    return PR_EAUTH;
  return PR_OK;
}

long pin_guard_wait(const struct pin_guard *g, time_t now)
{
  if(g->locked_until <= now)
    return 0;
  return (long)(g->locked_until - now);
}

void pin_guard_failed(struct pin_guard *g, time_t now)
{
  long delay = 0;
  g->failures++;
  if(g->failures > PIN_FREE_FAILURES) {
    int k = g->failures - PIN_FREE_FAILURES - 1;  /* 0, 1, 2, ... */
    delay = PIN_FIRST_DELAY;
    while(k-- > 0 && delay < PIN_MAX_DELAY)
      delay *= 2;
    if(delay > PIN_MAX_DELAY)
      delay = PIN_MAX_DELAY;
  }
  g->locked_until = delay ? now + delay : 0;
}

void pin_guard_ok(struct pin_guard *g)
{
  g->failures = 0;
  g->locked_until = 0;
}
