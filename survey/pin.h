/* pin.h — the staff PIN: Argon2id hashing with libsodium's
 * crypto_pwhash_str, and a lockout guard that makes each wrong PIN wait
 * longer.  It stores nothing; the hash lives in the store's meta table
 * under "staff_pin_hash". */
#ifndef PIN_H
#define PIN_H

#include <time.h>
#include "pr.h"

#define PIN_HASH_LEN 128   /* >= crypto_pwhash_STRBYTES */
#define PIN_MIN_DIGITS 4
#define PIN_MAX_DIGITS 12

/* Hash a PIN of PIN_MIN_DIGITS..PIN_MAX_DIGITS digits (anything else is
 * PR_EINVAL with a message).  out is PIN_HASH_LEN bytes. */
enum pr_rc pin_hash(const char *pin, char out[PIN_HASH_LEN], char *err) PR_MUST;
/* PR_OK when pin matches hash, PR_EAUTH when not, PR_EINVAL for a
 * malformed hash. */
enum pr_rc pin_verify(const char *hash, const char *pin) PR_MUST;

/* Growing delay after wrong PINs: 0 s for the first 2 failures, then
 * 30 s, 60 s, 120 s ... capped at 15 min.  A correct PIN resets it. */
struct pin_guard {
  int failures;
  time_t locked_until;
};
/* Seconds the caller must still wait before another try (0 = may try). */
long pin_guard_wait(const struct pin_guard *g, time_t now);
void pin_guard_failed(struct pin_guard *g, time_t now);
void pin_guard_ok(struct pin_guard *g);

#endif
