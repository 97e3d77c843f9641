/* auth.c — This file contains accounts, Argon2id password checks,
 * dashboard sessions, API tokens and the sign-in slow-down (auth.h).
 * Password hashing runs without holding a database connection: with
 * SQLite's single connection a 0.1 s Argon2id would stall every request. */
#include "auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct aggdb_step auth_steps[] = {
  {1,
   "CREATE TABLE IF NOT EXISTS accounts ("
   " name TEXT PRIMARY KEY, role TEXT NOT NULL, unit TEXT,"
   " pwhash TEXT NOT NULL, failures BIGINT NOT NULL DEFAULT 0,"
   " wait_until BIGINT NOT NULL DEFAULT 0, created BIGINT NOT NULL);"
   "CREATE TABLE IF NOT EXISTS sessions ("
   " id_hash TEXT PRIMARY KEY, name TEXT NOT NULL,"
   " expires BIGINT NOT NULL);"
   "CREATE TABLE IF NOT EXISTS api_tokens ("
   " id_hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
   " unit TEXT, created BIGINT NOT NULL,"
   " revoked BIGINT NOT NULL DEFAULT 0);",
   NULL, NULL},
};

enum pr_rc auth_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "aggregates-auth", auth_steps,
                       (int)PR_ARRAY_LEN(auth_steps), err);
}

int auth_role_parse(const char *s, enum auth_role *out)
{
  if(!s)
    return -1;
  if(strcmp(s, "unit") == 0 || strcmp(s, "enhet") == 0)
    *out = AUTH_UNIT;
  else if(strcmp(s, "region") == 0)
    *out = AUTH_REGION;
  else if(strcmp(s, "admin") == 0)
    *out = AUTH_ADMIN;
  else
    return -1;
  return 0;
}

const char *auth_role_name(enum auth_role r)
{
  switch(r) {
  case AUTH_UNIT: return "unit";
  case AUTH_REGION: return "region";
  case AUTH_ADMIN: return "admin";
  }
  return "?";
}

int auth_may_read_unit(const struct auth_principal *p, const char *unit)
{
  if(!p)
    return 0;
  if(!unit || !*unit)
    return 1;
  if(p->role == AUTH_REGION || p->role == AUTH_ADMIN)
    return 1;
  return p->role == AUTH_UNIT && p->unit[0] && strcmp(p->unit, unit) == 0;
}

void auth_random_hex(char out[AUTH_TOKEN_LEN])
{
  unsigned char raw[32];
  randombytes_buf(raw, sizeof(raw));
  sodium_bin2hex(out, AUTH_TOKEN_LEN, raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
}

/* What the database keeps of a session id or token: its BLAKE2b hash. */
static void hash_hex(const char *secret, char out[AUTH_TOKEN_LEN])
{
  unsigned char h[32];
  crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
                     strlen(secret), NULL, 0);
  sodium_bin2hex(out, AUTH_TOKEN_LEN, h, sizeof(h));
}

int auth_equal(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if(la != lb)
    return 0;
  return sodium_memcmp(a, b, la) == 0;
}

static int valid_name(const char *s)
{
  size_t n = s ? strlen(s) : 0;
  size_t i;
  if(n == 0 || n >= AUTH_NAME_LEN)
    return 0;
  for(i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(!isalnum(c) && c != '.' && c != '_' && c != '@' && c != '-')
      return 0;
  }
  return 1;
}

static int valid_hex(const char *s)
{
  size_t i;
  if(!s || strlen(s) != AUTH_TOKEN_LEN - 1)
    return 0;
  for(i = 0; s[i]; i++)
    if(!isxdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

static enum pr_rc check_role_unit(enum auth_role role, const char *unit,
                                  char *err)
{
  if(role == AUTH_UNIT && (!unit || !*unit || strlen(unit) >= AUTH_UNIT_LEN)) {
    pr_seterr(err, "a unit reader needs a unit (HSA-id, under %d chars)",
              AUTH_UNIT_LEN);
    return PR_EINVAL;
  }
  if(role != AUTH_UNIT && unit && *unit) {
    pr_seterr(err, "only a unit reader has a unit; %s reads every unit",
              auth_role_name(role));
    return PR_EINVAL;
  }
  return PR_OK;
}

enum pr_rc auth_user_add(struct aggdb *db, const char *name,
                         enum auth_role role, const char *unit,
                         const char *password, char *err)
{
  char hash[crypto_pwhash_STRBYTES];
  enum pr_rc rc;
  struct aggdb_param p[5];

  if(!valid_name(name)) {
    pr_seterr(err, "account name must be 1-63 of A-Z a-z 0-9 . _ @ -");
    return PR_EINVAL;
  }
  if(!password || strlen(password) < 10) {
    pr_seterr(err, "password must be at least 10 characters");
    return PR_EINVAL;
  }
  rc = check_role_unit(role, unit, err);
  if(rc != PR_OK)
    return rc;
  if(crypto_pwhash_str(hash, password, strlen(password),
                       crypto_pwhash_OPSLIMIT_INTERACTIVE,
                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    pr_seterr(err, "out of memory hashing the password");
    return PR_ENOMEM;
  }
  p[0] = AGGDB_TEXT(name);
  p[1] = AGGDB_TEXT(auth_role_name(role));
  p[2] = (role == AUTH_UNIT) ? AGGDB_TEXT(unit) : AGGDB_NULL;
  p[3] = AGGDB_TEXT(hash);
  p[4] = AGGDB_INT(pr_now());
  return aggdb_exec1(db,
                     "INSERT INTO accounts (name, role, unit, pwhash, created)"
                     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE"
                     " SET role = excluded.role, unit = excluded.unit,"
                     " pwhash = excluded.pwhash, failures = 0, wait_until = 0",
                     p, 5, NULL, err);
}

struct account_row {
  int found;
  char role[16];
  char unit[AUTH_UNIT_LEN];
  char pwhash[crypto_pwhash_STRBYTES];
  long failures, wait_until;
};

static int account_cb(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  struct account_row *a = ctx;
  long x;
  if(ncol < 5)
    return 1;
  a->found = 1;
  pr_strlcpy(a->role, isnull[0] ? "" : v[0], sizeof(a->role));
  pr_strlcpy(a->unit, isnull[1] ? "" : v[1], sizeof(a->unit));
  pr_strlcpy(a->pwhash, isnull[2] ? "" : v[2], sizeof(a->pwhash));
  a->failures = (!isnull[3] && pr_parse_long(v[3], 0, 1L << 30, &x) == 0) ? x : 0;
  a->wait_until = (!isnull[4] && pr_parse_long(v[4], 0, 1L << 62, &x) == 0) ? x : 0;
  return 1;
}

enum pr_rc auth_login(struct aggdb *db, const char *name, const char *password,
                      time_t now, char session[AUTH_TOKEN_LEN],
                      long *retry_after, char *err)
{
  struct account_row a;
  struct aggdb_param p[3];
  char idhash[AUTH_TOKEN_LEN];
  enum pr_rc rc;

  session[0] = '\0';
  *retry_after = 0;
  memset(&a, 0, sizeof(a));
  if(!valid_name(name) || !password || strlen(password) > 1024) {
    pr_seterr(err, "wrong account name or password");
    return PR_EAUTH;
  }
  p[0] = AGGDB_TEXT(name);
  rc = aggdb_query1(db, "SELECT role, unit, pwhash, failures, wait_until"
                        " FROM accounts WHERE name = $1",
                    p, 1, account_cb, &a, err);
  if(rc != PR_OK)
    return rc;
  if(!a.found) {
    /* Spend the same effort as a real check so timing does not tell
     * which account names exist. */
    char dummy[crypto_pwhash_STRBYTES];
    if(crypto_pwhash_str(dummy, password, strlen(password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
      return PR_ENOMEM;
    pr_seterr(err, "wrong account name or password");
    return PR_EAUTH;
  }
  if(a.wait_until > (long)now) {
    *retry_after = a.wait_until - (long)now;
    pr_seterr(err, "too many failed sign-ins; wait %ld s", *retry_after);
    return PR_EBUSY;
  }
  if(crypto_pwhash_str_verify(a.pwhash, password, strlen(password)) != 0) {
    long fails = a.failures + 1, wait = 0;
    if(fails >= AUTH_FREE_FAILURES) {
      long k = fails - AUTH_FREE_FAILURES + 1;
      wait = k >= 10 ? AUTH_MAX_DELAY : (1L << k);
      if(wait > AUTH_MAX_DELAY)
        wait = AUTH_MAX_DELAY;
    }
    p[0] = AGGDB_INT(fails);
    p[1] = AGGDB_INT((long)now + wait);
    p[2] = AGGDB_TEXT(name);
    rc = aggdb_exec1(db, "UPDATE accounts SET failures = $1, wait_until = $2"
                         " WHERE name = $3", p, 3, NULL, err);
    if(rc != PR_OK)
      return rc;
    pr_log(PR_LOG_WARN, "signin_failed", "failures=%ld wait=%ld", fails, wait);
    *retry_after = wait;
    pr_seterr(err, "wrong account name or password");
    return PR_EAUTH;
  }
  auth_random_hex(session);
  hash_hex(session, idhash);
  p[0] = AGGDB_TEXT(idhash);
  p[1] = AGGDB_TEXT(name);
  p[2] = AGGDB_INT((long)now + AUTH_SESSION_SECONDS);
  rc = aggdb_exec1(db, "INSERT INTO sessions (id_hash, name, expires)"
                       " VALUES ($1, $2, $3)", p, 3, NULL, err);
  if(rc == PR_OK) {
    p[0] = AGGDB_TEXT(name);
    rc = aggdb_exec1(db, "UPDATE accounts SET failures = 0, wait_until = 0"
                         " WHERE name = $1", p, 1, NULL, err);
  }
  if(rc == PR_OK) {
    p[0] = AGGDB_INT((long)now);
    rc = aggdb_exec1(db, "DELETE FROM sessions WHERE expires < $1", p, 1,
                     NULL, err);
  }
  if(rc != PR_OK)
    session[0] = '\0';
  return rc;
}

struct principal_ctx {
  int found;
  struct auth_principal *out;
};

static int principal_cb(void *ctx, int ncol, const char *const *v,
                        const int *isnull)
{
  struct principal_ctx *pc = ctx;
  enum auth_role r;
  if(ncol < 3 || isnull[0] || isnull[1] || auth_role_parse(v[1], &r) != 0)
    return 1;
  pr_strlcpy(pc->out->name, v[0], sizeof(pc->out->name));
  pc->out->role = r;
  pr_strlcpy(pc->out->unit, isnull[2] ? "" : v[2], sizeof(pc->out->unit));
  pc->found = 1;
  return 1;
}

enum pr_rc auth_session(struct aggdb *db, const char *session, time_t now,
                        struct auth_principal *out, char *err)
{
  struct aggdb_param p[2];
  struct principal_ctx pc = {0, out};
  char idhash[AUTH_TOKEN_LEN];
  enum pr_rc rc;

  memset(out, 0, sizeof(*out));
  if(!valid_hex(session)) {
    pr_seterr(err, "not signed in");
    return PR_EAUTH;
  }
  hash_hex(session, idhash);
  p[0] = AGGDB_TEXT(idhash);
  p[1] = AGGDB_INT((long)now);
  rc = aggdb_query1(db, "SELECT a.name, a.role, a.unit FROM sessions s"
                        " JOIN accounts a ON a.name = s.name"
                        " WHERE s.id_hash = $1 AND s.expires > $2",
                    p, 2, principal_cb, &pc, err);
  if(rc != PR_OK)
    return rc;
  if(!pc.found) {
    memset(out, 0, sizeof(*out));
    pr_seterr(err, "session unknown or expired");
    return PR_EAUTH;
  }
  return PR_OK;
}

enum pr_rc auth_logout(struct aggdb *db, const char *session, char *err)
{
  struct aggdb_param p[1];
  char idhash[AUTH_TOKEN_LEN];
  if(!valid_hex(session))
    return PR_OK;
  hash_hex(session, idhash);
  p[0] = AGGDB_TEXT(idhash);
  return aggdb_exec1(db, "DELETE FROM sessions WHERE id_hash = $1", p, 1,
                     NULL, err);
}

enum pr_rc auth_token_add(struct aggdb *db, const char *name,
                          enum auth_role role, const char *unit,
                          char token[AUTH_TOKEN_LEN], char *err)
{
  struct aggdb_param p[5];
  char idhash[AUTH_TOKEN_LEN];
  enum pr_rc rc;

  token[0] = '\0';
  if(!valid_name(name)) {
    pr_seterr(err, "token name must be 1-63 of A-Z a-z 0-9 . _ @ -");
    return PR_EINVAL;
  }
  rc = check_role_unit(role, unit, err);
  if(rc != PR_OK)
    return rc;
  auth_random_hex(token);
  hash_hex(token, idhash);
  p[0] = AGGDB_TEXT(idhash);
  p[1] = AGGDB_TEXT(name);
  p[2] = AGGDB_TEXT(auth_role_name(role));
  p[3] = role == AUTH_UNIT ? AGGDB_TEXT(unit) : AGGDB_NULL;
  p[4] = AGGDB_INT(pr_now());
  rc = aggdb_exec1(db, "INSERT INTO api_tokens (id_hash, name, role, unit,"
                       " created) VALUES ($1, $2, $3, $4, $5)",
                   p, 5, NULL, err);
  if(rc != PR_OK)
    sodium_memzero(token, AUTH_TOKEN_LEN);
  return rc;
}

enum pr_rc auth_token_check(struct aggdb *db, const char *token,
                            struct auth_principal *out, char *err)
{
  struct aggdb_param p[1];
  struct principal_ctx pc = {0, out};
  char idhash[AUTH_TOKEN_LEN];
  enum pr_rc rc;

  memset(out, 0, sizeof(*out));
  if(!valid_hex(token)) {
    pr_seterr(err, "unknown API token");
    return PR_EAUTH;
  }
  hash_hex(token, idhash);
  p[0] = AGGDB_TEXT(idhash);
  rc = aggdb_query1(db, "SELECT name, role, unit FROM api_tokens"
                        " WHERE id_hash = $1 AND revoked = 0",
                    p, 1, principal_cb, &pc, err);
  if(rc != PR_OK)
    return rc;
  if(!pc.found) {
    memset(out, 0, sizeof(*out));
    pr_seterr(err, "unknown or revoked API token");
    return PR_EAUTH;
  }
  out->via_token = 1;
  return PR_OK;
}

int auth_cookie_get(const char *header, const char *name, char *out,
                    size_t cap)
{
  size_t nl = strlen(name);
  const char *p = header;

  if(!header || cap == 0)
    return -1;
  while(*p) {
    const char *end;
    while(*p == ' ' || *p == ';')
      p++;
    end = strchr(p, ';');
    if(!end)
      end = p + strlen(p);
    if((size_t)(end - p) > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
      size_t vl = (size_t)(end - p) - nl - 1;
      if(vl >= cap)
        return -1;
      memcpy(out, p + nl + 1, vl);
      out[vl] = '\0';
      return 0;
    }
    p = end;
  }
  return -1;
}
