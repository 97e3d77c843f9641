/* enrol.h — one-time enrolment codes on the aggregator: make a code for a
 * unit and device name (kept only as an Argon2id hash, valid for a while,
 * usable once), and exchange a code a kiosk sends for a device token, with
 * failures counted per client address and in all (rate limit), per code
 * (a code whose check part keeps failing is locked), and written to the
 * audit log.  The code itself is enrolcode.h; HTTP is the handler only. */
#ifndef ENROL_H
#define ENROL_H

#include "aggdev.h"
#include "aggsrv.h"
#include "enrolcode.h"

#define ENROL_DEFAULT_VALID (24 * 3600)
#define ENROL_MAX_VALID (30 * 24 * 3600)
#define ENROL_CODE_ATTEMPTS 5       /* wrong check parts before a lock */
#define ENROL_WINDOW 900            /* seconds the failure counts look at */
#define ENROL_IP_FAILURES 10        /* per client address and window */
#define ENROL_ALL_FAILURES 200      /* over all addresses and window */

/* Tables enrol_codes and enrol_failures (component "enrol"). */
enum pr_rc enrol_migrate(struct aggdb *db, char *err) PR_MUST;

/* A new code for unit and name (checked as aggdev_enrol checks them),
 * bound to the server key pin, valid valid_s seconds from now.  code gets
 * the 12 characters; *expires (may be NULL) the end of validity. */
enum pr_rc enrol_create(struct aggdb *db, const char *unit, const char *name,
                        const char *pin, long valid_s,
                        char code[ENROLCODE_LEN + 1], long long *expires,
                        char *err) PR_MUST;

enum enrol_outcome {
  ENROL_OK = 0,
  ENROL_BAD_FORMAT,   /* 400: not a code at all */
  ENROL_UNKNOWN,      /* 403: no such code */
  ENROL_MISMATCH,     /* 403: check part not for this server's key */
  ENROL_LOCKED,       /* 403: too many wrong check parts for this code */
  ENROL_USED,         /* 410 */
  ENROL_EXPIRED,      /* 410 */
  ENROL_LIMITED       /* 429: too many failures from here / in all */
};

struct enrol_result {
  enum enrol_outcome outcome;
  char msg[PR_ERR_LEN];             /* Swedish, for the kiosk's staff */
  char token[AGGDEV_TOKEN_LEN];     /* ENROL_OK: show once, never log */
  struct aggdev dev;                /* ENROL_OK: the new device */
  int revoked;                      /* old tokens revoked */
};

/* Exchange the typed code for a device token.  pin is this server's key
 * pin, peer the client address (rate limit and audit), old_device the id
 * the kiosk was enrolled as before (may be NULL; revoked when it belongs
 * to the code's unit).  Any device of the same unit and name is revoked
 * too.  PR_OK with r->outcome saying how it went (refusals are audited),
 * or a database error class. */
enum pr_rc enrol_redeem(struct aggdb *db, const char *typed, const char *pin,
                        const char *peer, const char *old_device,
                        struct enrol_result *r, char *err) PR_MUST;

/* POST /api/v1/enrol {"code": "...", "old_device": "k..."}. */
void enrol_h_redeem(struct agg_server *s, struct agg_req *rq,
                    struct agg_resp *rs);

/* HTTP status of an outcome. */
int enrol_status(enum enrol_outcome o);

#endif
