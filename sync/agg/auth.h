/* auth.h — who may read aggregates: accounts with a role (unit reader of
 * one unit, region analyst, admin), Argon2id password hashes, dashboard
 * sessions (cookie) with an expiry, API tokens with the same roles, and
 * sign-in slow-down after failures.  Tokens and session ids are random and
 * only their hashes are stored.  It knows nothing of HTTP beyond the
 * cookie's text; the route layer decides what a principal may see. */
#ifndef AUTH_H
#define AUTH_H

#include "aggdb.h"
#include "pr.h"

#define AUTH_NAME_LEN   64
#define AUTH_UNIT_LEN   40
#define AUTH_TOKEN_LEN  65          /* 64 hex chars + NUL */
#define AUTH_SESSION_SECONDS (8 * 3600)
#define AUTH_COOKIE "pr_session"
#define AUTH_CSRF_COOKIE "pr_csrf"
#define AUTH_FREE_FAILURES 3        /* failures before the slow-down */
#define AUTH_MAX_DELAY 900          /* seconds, the longest wait */

enum auth_role { AUTH_UNIT = 1, AUTH_REGION = 2, AUTH_ADMIN = 3 };

struct auth_principal {
  char name[AUTH_NAME_LEN];     /* account or token name */
  enum auth_role role;
  char unit[AUTH_UNIT_LEN];     /* the unit of a unit reader, else "" */
  int via_token;                /* 1: API token, 0: session */
};

/* "unit"/"enhet", "region", "admin" -> role; 0 / -1. */
int auth_role_parse(const char *s, enum auth_role *out) PR_MUST;
const char *auth_role_name(enum auth_role r);

/* May p read figures of unit?  Region analysts and admins read every unit;
 * a unit reader only its own.  unit NULL or "" means the region as a
 * whole (every role may see the region average next to its unit). */
int auth_may_read_unit(const struct auth_principal *p, const char *unit);

/* Create the accounts, sessions and tokens tables (component
 * "aggregates-auth").  Idempotent. */
enum pr_rc auth_migrate(struct aggdb *db, char *err) PR_MUST;

/* Add an account (or replace its password, role and unit when it exists).
 * Names are 1..63 chars of [A-Za-z0-9._@-]; passwords at least 10 bytes.
 * A unit reader needs a unit; the other roles must not have one. */
enum pr_rc auth_user_add(struct aggdb *db, const char *name,
                         enum auth_role role, const char *unit,
                         const char *password, char *err) PR_MUST;

/* Sign in.  On success *session is a new random session id (hex, put it in
 * the cookie) valid AUTH_SESSION_SECONDS from now.  Wrong name or password:
 * PR_EAUTH (the same for both).  After AUTH_FREE_FAILURES failures in a
 * row, every further attempt must wait 2^(k) seconds (capped at
 * AUTH_MAX_DELAY): an attempt inside the wait is PR_EBUSY and *retry_after
 * says how long, without even checking the password. */
enum pr_rc auth_login(struct aggdb *db, const char *name, const char *password,
                      time_t now, char session[AUTH_TOKEN_LEN],
                      long *retry_after, char *err) PR_MUST;
/* The principal of a session id; PR_EAUTH when unknown or expired. */
enum pr_rc auth_session(struct aggdb *db, const char *session, time_t now,
                        struct auth_principal *out, char *err) PR_MUST;
enum pr_rc auth_logout(struct aggdb *db, const char *session,
                       char *err) PR_MUST;

/* New API token for scripts; printed once, only its hash is stored. */
enum pr_rc auth_token_add(struct aggdb *db, const char *name,
                          enum auth_role role, const char *unit,
                          char token[AUTH_TOKEN_LEN], char *err) PR_MUST;
enum pr_rc auth_token_check(struct aggdb *db, const char *token,
                            struct auth_principal *out, char *err) PR_MUST;

/* A fresh random hex string (CSRF values). */
void auth_random_hex(char out[AUTH_TOKEN_LEN]);
/* Constant-time equality of two NUL-terminated strings. */
int auth_equal(const char *a, const char *b);

/* Value of cookie `name` in a Cookie header into out; 0 / -1. */
int auth_cookie_get(const char *header, const char *name, char *out,
                    size_t cap) PR_MUST;

#endif
