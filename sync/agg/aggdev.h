/* aggdev.h — enrolled kiosks: enrol (prints a token once, keeps only its
 * hash), revoke, authenticate a bearer token in constant time, list with
 * last sync.  A token is "<device id>.<64 hex secret>"; the id is public,
 * the secret is only ever compared as a BLAKE2b hash.  No HTTP here. */
#ifndef AGGDEV_H
#define AGGDEV_H

#include <time.h>

#include "aggdb.h"

#define AGGDEV_ID_LEN    24   /* "k" + 16 hex + NUL, with room */
#define AGGDEV_UNIT_LEN  40   /* HSA-id, e.g. SE2321000032-ABC123 */
#define AGGDEV_NAME_LEN  80
#define AGGDEV_TOKEN_LEN 96   /* id + '.' + 64 hex + NUL */

struct aggdev {
  char id[AGGDEV_ID_LEN];
  char unit[AGGDEV_UNIT_LEN];
  char name[AGGDEV_NAME_LEN];
  long long created_at, revoked_at, last_sync;  /* 0 = never / active */
};

/* Grain of last_sync: a device's last contact is kept to the hour, so the
 * device row (and /metrics, which shows it) cannot time a response. */
#define AGGDEV_SEEN_GRAIN 3600

/* Is unit a plausible HSA-id: "SE" + 10 digits + "-" + 1..31 of [A-Z0-9]?
 * 1 / 0. */
int aggdev_valid_unit(const char *unit);

/* Is name a device label: 1..AGGDEV_NAME_LEN-1 bytes, no control
 * characters?  1 / 0. */
int aggdev_valid_name(const char *name);
/* Both checks, for a device about to be enrolled: PR_OK, or PR_EINVAL
 * with err saying which of the two is wrong and what it must look like. */
enum pr_rc aggdev_check_unit_name(const char *unit, const char *name,
                                  char *err) PR_MUST;

/* Enrol a device for unit with an admin label.  token receives the full
 * token (show it once, never log it).  *dev (may be NULL) the new row. */
enum pr_rc aggdev_enrol(struct aggdb *db, const char *unit, const char *name,
                        char token[AGGDEV_TOKEN_LEN], struct aggdev *dev,
                        char *err) PR_MUST;

/* Revoke by device id.  PR_ENOTFOUND when there is no such device. */
enum pr_rc aggdev_revoke(struct aggdb *db, const char *id, char *err) PR_MUST;

/* Check a bearer token.  PR_OK with *dev filled, PR_EAUTH for a malformed,
 * unknown or revoked token (err says which, without the token), or the
 * database's error class. */
enum pr_rc aggdev_auth(struct aggdb_conn *c, const char *token,
                       struct aggdev *dev, char *err) PR_MUST;

/* Every device, ordered by last sync (never-synced first).  *out is the
 * caller's (pr_free), *n its length. */
enum pr_rc aggdev_list(struct aggdb *db, struct aggdev **out, int *n,
                       char *err) PR_MUST;

/* Record that dev (as read by aggdev_auth) was served a request at now:
 * last_sync becomes now rounded down to AGGDEV_SEEN_GRAIN.  Called for
 * every successful device request — uploads, the set list every round,
 * call statistics — so the value moves with the kiosk's schedule, not
 * with its patients.  Writes only when the rounded value grows. */
enum pr_rc aggdev_seen(struct aggdb_conn *c, const struct aggdev *dev,
                       long long now, char *err) PR_MUST;
/* now rounded down to AGGDEV_SEEN_GRAIN. */
long long aggdev_seen_grain(long long now);

#endif
