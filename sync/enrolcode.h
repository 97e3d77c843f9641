/* enrolcode.h — the one-time enrolment code shared by the aggregator (which
 * makes it) and the kiosk (which types it): 12 characters from an alphabet
 * without 0/O, 1/I/L, shown as K7QM-4XPT-9HWN; the first 8 are the secret,
 * the last 4 a check bound to the server's key pin, so a kiosk can tell a
 * wrong server before it sends the code.  Also the key pin itself (SHA-256
 * of the certificate's SubjectPublicKeyInfo, as curl's "sha256//base64").
 * No network, no database. */
#ifndef ENROLCODE_H
#define ENROLCODE_H

#include <stddef.h>

#include "pr.h"

#define ENROLCODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define ENROLCODE_SECRET 8          /* characters of secret */
#define ENROLCODE_CHECK 4           /* characters bound to the pin */
#define ENROLCODE_LEN (ENROLCODE_SECRET + ENROLCODE_CHECK)
#define ENROLCODE_SHOWN 15          /* "XXXX-XXXX-XXXX" */
#define ENROLCODE_PIN_LEN 64        /* "sha256//" + 44 base64 + NUL, room */

/* A new code for the server whose key pin is pin: out gets 12 characters
 * and a NUL. */
void enrolcode_new(const char *pin, char out[ENROLCODE_LEN + 1]);

/* What a person typed -> the 12 characters: lower case is raised, spaces,
 * dashes, dots and underscores are dropped.  PR_EINVAL with a Swedish err
 * naming the character or the length when it cannot be a code (0, O, 1, I
 * and L are never in a code: err says so rather than guess). */
enum pr_rc enrolcode_normalise(const char *typed,
                               char out[ENROLCODE_LEN + 1],
                               char *err) PR_MUST;

/* The 4 check characters of secret (8 characters) for pin, into out (no
 * NUL written). */
void enrolcode_check(const char *secret, const char *pin,
                     char out[ENROLCODE_CHECK]);

/* 1 when the normalised code's check characters belong to pin. */
int enrolcode_matches_pin(const char *code, const char *pin);

/* "XXXX-XXXX-XXXX" of a normalised code. */
void enrolcode_format(const char *code, char out[ENROLCODE_SHOWN + 1]);

/* The key pin of the first certificate in pem (PEM text):
 * "sha256//<base64 of SHA-256 of its SubjectPublicKeyInfo>".  PR_EINVAL
 * with err when pem holds no certificate. */
enum pr_rc enrolcode_pin_from_pem(const char *pem,
                                  char out[ENROLCODE_PIN_LEN],
                                  char *err) PR_MUST;

/* The pin's base64 in groups of four for reading aloud
 * ("AbCd eFgH ..."), into out. */
void enrolcode_pin_grouped(const char *pin, char *out, size_t cap);

#endif
