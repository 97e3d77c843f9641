/* This file contains the aggregator's side of enrolment by one-time code
 * (enrol.h).  The secret part of a code is only 8 characters (about 40
 * bits), so it is stored as an Argon2id hash with a fixed salt (a copied
 * database does not hand out live codes; the lookup stays one indexed
 * read), and online guessing is held back by counting failures per
 * address and in all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "enrol.h"

static const struct aggdb_step enrol_steps[] = {
  {1,
   "CREATE TABLE IF NOT EXISTS enrol_codes ("
   " hash TEXT PRIMARY KEY, unit TEXT NOT NULL, name TEXT NOT NULL,"
   " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
   " used_at BIGINT, attempts BIGINT NOT NULL DEFAULT 0, device_id TEXT);"
   "CREATE TABLE IF NOT EXISTS enrol_failures ("
   " peer TEXT NOT NULL, at BIGINT NOT NULL);"
   "CREATE INDEX IF NOT EXISTS enrol_failures_peer ON enrol_failures"
   " (peer, at);"
   "CREATE INDEX IF NOT EXISTS enrol_failures_at ON enrol_failures (at);",
   NULL, NULL},
};

enum pr_rc enrol_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "enrol", enrol_steps,
                       (int)PR_ARRAY_LEN(enrol_steps), err);
}

/* Argon2id of the secret part, hex.  -1 when libsodium cannot (memory). */
static int hash_secret(const char *code, char out[65])
{
  static const unsigned char salt[crypto_pwhash_SALTBYTES] =
      "patientrost-enr1";
  unsigned char h[32];

  if(crypto_pwhash(h, sizeof(h), code, ENROLCODE_SECRET, salt,
                   crypto_pwhash_OPSLIMIT_MIN, 8u * 1024u * 1024u,
                   crypto_pwhash_ALG_ARGON2ID13) != 0)
    return -1;
  sodium_bin2hex(out, 65, h, sizeof(h));
  return 0;
}

enum pr_rc enrol_create(struct aggdb *db, const char *unit, const char *name,
                        const char *pin, long valid_s,
                        char code[ENROLCODE_LEN + 1], long long *expires,
                        char *err)
{
  long long now = pr_now();
  char hash[65];
  enum pr_rc rc = PR_ECONFLICT;
  int tries;

  code[0] = '\0';
  if(aggdev_check_unit_name(unit, name, err) != PR_OK)
    return PR_EINVAL;
  if(valid_s < 60 || valid_s > ENROL_MAX_VALID) {
    pr_seterr(err, "validity must be between 1 minute and 30 days");
    return PR_EINVAL;
  }
  /* A clash of two live secrets is one in 2^39; try again then. */
  for(tries = 0; tries < 4 && rc == PR_ECONFLICT; tries++) {
    struct aggdb_param p[5];
    enrolcode_new(pin, code);
    if(hash_secret(code, hash) != 0) {
      rc = PR_ENOMEM;
      break;
    }
    p[0] = AGGDB_TEXT(hash);
    p[1] = AGGDB_TEXT(unit);
    p[2] = AGGDB_TEXT(name);
    p[3] = AGGDB_INT(now);
    p[4] = AGGDB_INT(now + valid_s);
    rc = aggdb_exec1(db, "INSERT INTO enrol_codes (hash, unit, name, "
                     "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                     p, 5, NULL, err);
  }
  if(rc != PR_OK) {
    sodium_memzero(code, ENROLCODE_LEN + 1);
    return rc;
  }
  if(expires)
    *expires = now + valid_s;
  return PR_OK;
}

int enrol_status(enum enrol_outcome o)
{
  switch(o) {
  case ENROL_OK: return 200;
  case ENROL_BAD_FORMAT: return 400;
  case ENROL_UNKNOWN: case ENROL_MISMATCH: case ENROL_LOCKED: return 403;
  case ENROL_USED: case ENROL_EXPIRED: return 410;
  case ENROL_LIMITED: return 429;
  }
  return 500;
}

struct code_row {
  int found;
  char unit[AGGDEV_UNIT_LEN], name[AGGDEV_NAME_LEN];
  long long expires_at, used_at, attempts;
};

static int code_row(void *ctx, int ncol, const char *const *v, const int *nul)
{
  struct code_row *r = ctx;

  if(ncol < 5)
    return 1;
  r->found = 1;
  pr_strlcpy(r->unit, nul[0] ? "" : v[0], sizeof(r->unit));
  pr_strlcpy(r->name, nul[1] ? "" : v[1], sizeof(r->name));
  r->expires_at = nul[2] ? 0 : strtoll(v[2], NULL, 10);
  r->used_at = nul[3] ? 0 : strtoll(v[3], NULL, 10);
  r->attempts = nul[4] ? 0 : strtoll(v[4], NULL, 10);
  return 1;
}

static int count_row(void *ctx, int ncol, const char *const *v,
                     const int *nul)
{
  if(ncol >= 1 && !nul[0])
    *(long long *)ctx = strtoll(v[0], NULL, 10);
  return 1;
}

/* Note one failure from peer and write the audit entry.  A failure to
 * write is logged: the refusal stands either way. */
static void failed(struct aggdb *db, const char *peer, const char *reason,
                   const char *unit, long long now)
{
  struct aggdb_param p[2] = { AGGDB_TEXT(peer), AGGDB_INT(now) };
  char who[96], detail[200], err[PR_ERR_LEN];

  if(aggdb_exec1(db, "INSERT INTO enrol_failures (peer, at) VALUES ($1, $2)",
                 p, 2, NULL, err) != PR_OK)
    pr_log(PR_LOG_ERROR, "enrol_failure_not_counted", "why=\"%s\"", err);
  p[0] = AGGDB_INT(now - 86400);
  if(aggdb_exec1(db, "DELETE FROM enrol_failures WHERE at < $1", p, 1, NULL,
                 err) != PR_OK)
    pr_log(PR_LOG_WARN, "enrol_failures_not_pruned", "why=\"%s\"", err);
  snprintf(who, sizeof(who), "enrol:%s", peer);
  snprintf(detail, sizeof(detail), "reason=%s%s%s", reason,
           unit && *unit ? " unit=" : "", unit && *unit ? unit : "");
  if(audit_log(db, (time_t)now, who, "enrol-refused", detail, err) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=enrol-refused why=\"%s\"",
           err);
  pr_log(PR_LOG_WARN, "enrol_refused", "peer=%s reason=%s", peer, reason);
}

static void refuse(struct enrol_result *r, enum enrol_outcome o,
                   const char *msg)
{
  r->outcome = o;
  pr_strlcpy(r->msg, msg, sizeof(r->msg));
}

enum pr_rc enrol_redeem(struct aggdb *db, const char *typed, const char *pin,
                        const char *peer, const char *old_device,
                        struct enrol_result *r, char *err)
{
  long long now = pr_now(), n_ip = 0, n_all = 0;
  char code[ENROLCODE_LEN + 1], hash[65], sub[PR_ERR_LEN], who[96];
  char detail[200];
  struct code_row row;
  struct aggdb_param p[4];
  long changes = 0;
  enum pr_rc rc;

  memset(r, 0, sizeof(*r));
  memset(&row, 0, sizeof(row));
  p[0] = AGGDB_TEXT(peer);
  p[1] = AGGDB_INT(now - ENROL_WINDOW);
  rc = aggdb_query1(db, "SELECT COUNT(*) FROM enrol_failures WHERE peer = $1"
                    " AND at > $2", p, 2, count_row, &n_ip, err);
  if(rc == PR_OK)
    rc = aggdb_query1(db, "SELECT COUNT(*) FROM enrol_failures WHERE at > $1",
                      p + 1, 1, count_row, &n_all, err);
  if(rc != PR_OK)
    return rc;
  if(n_ip >= ENROL_IP_FAILURES || n_all >= ENROL_ALL_FAILURES) {
    /* Not counted again: a locked-out guesser cannot extend its lock
     * forever, and the window runs out by itself. */
    refuse(r, ENROL_LIMITED, "För många felaktiga koder. Vänta en stund "
           "och försök igen.");
    snprintf(who, sizeof(who), "enrol:%s", peer);
    if(audit_log(db, (time_t)now, who, "enrol-refused",
                 n_ip >= ENROL_IP_FAILURES ? "reason=rate-limit-address"
                                           : "reason=rate-limit-all",
                 sub) != PR_OK)
      pr_log(PR_LOG_ERROR, "audit_failed", "what=enrol-refused");
    pr_log(PR_LOG_WARN, "enrol_refused", "peer=%s reason=rate-limit", peer);
    return PR_OK;
  }
  if(enrolcode_normalise(typed, code, sub) != PR_OK) {
    char m[PR_ERR_LEN + 40];
    if(snprintf(m, sizeof(m), "Det är ingen giltig kod: %s.", sub) < 0)
      m[0] = '\0';
    refuse(r, ENROL_BAD_FORMAT, m);
    failed(db, peer, "malformed", NULL, now);
    return PR_OK;
  }
  if(hash_secret(code, hash) != 0) {
    sodium_memzero(code, sizeof(code));
    return PR_ENOMEM;
  }
  p[0] = AGGDB_TEXT(hash);
  rc = aggdb_query1(db, "SELECT unit, name, expires_at, used_at, attempts "
                    "FROM enrol_codes WHERE hash = $1", p, 1, code_row, &row,
                    err);
  if(rc != PR_OK)
    goto out;
  if(!row.found) {
    refuse(r, ENROL_UNKNOWN, "Koden finns inte. Kontrollera att den är "
           "rätt inskriven, eller be om en ny kod.");
    failed(db, peer, "unknown", NULL, now);
    goto out;
  }
  if(row.attempts >= ENROL_CODE_ATTEMPTS) {
    refuse(r, ENROL_LOCKED, "Koden är spärrad efter för många felaktiga "
           "försök. Be om en ny kod.");
    failed(db, peer, "locked", row.unit, now);
    goto out;
  }
  if(!enrolcode_matches_pin(code, pin)) {
    /* The secret is right but the check part is not for this server's
     * key: a typo in the last group, or a code made for another server. */
    if(aggdb_exec1(db, "UPDATE enrol_codes SET attempts = attempts + 1 "
                   "WHERE hash = $1", p, 1, NULL, sub) != PR_OK)
      pr_log(PR_LOG_ERROR, "enrol_attempt_not_counted", "why=\"%s\"", sub);
    refuse(r, ENROL_MISMATCH, "Koden hör inte till den här servern. "
           "Kontrollera sista gruppen i koden och serverns adress.");
    failed(db, peer, "check-mismatch", row.unit, now);
    goto out;
  }
  if(row.used_at) {
    refuse(r, ENROL_USED, "Koden är redan använd. En kod fungerar bara en "
           "gång — be om en ny kod.");
    failed(db, peer, "used", row.unit, now);
    goto out;
  }
  if(row.expires_at <= now) {
    refuse(r, ENROL_EXPIRED, "Koden har gått ut. Be om en ny kod.");
    failed(db, peer, "expired", row.unit, now);
    goto out;
  }
  /* Claim the code first: of two kiosks racing with one code, one wins. */
  p[1] = AGGDB_INT(now);
  rc = aggdb_exec1(db, "UPDATE enrol_codes SET used_at = $2 WHERE hash = $1 "
                   "AND used_at IS NULL", p, 2, &changes, err);
  if(rc != PR_OK)
    goto out;
  if(changes != 1) {
    refuse(r, ENROL_USED, "Koden är redan använd. En kod fungerar bara en "
           "gång — be om en ny kod.");
    failed(db, peer, "used", row.unit, now);
    goto out;
  }
  /* Re-enrolment: the kiosk's old token and any device of the same unit
   * and name stop working now. */
  p[0] = AGGDB_TEXT(row.unit);
  p[1] = AGGDB_TEXT(row.name);
  p[2] = AGGDB_INT(now);
  p[3] = AGGDB_TEXT(old_device ? old_device : "");
  rc = aggdb_exec1(db, "UPDATE devices SET revoked_at = $3 WHERE unit = $1 "
                   "AND (name = $2 OR id = $4) AND revoked_at IS NULL", p, 4,
                   &changes, err);
  if(rc == PR_OK) {
    r->revoked = (int)changes;
    rc = aggdev_enrol(db, row.unit, row.name, r->token, &r->dev, err);
  }
  if(rc != PR_OK) {
    /* Give the code back: nothing was enrolled. */
    p[0] = AGGDB_TEXT(hash);
    if(aggdb_exec1(db, "UPDATE enrol_codes SET used_at = NULL WHERE hash = "
                   "$1", p, 1, NULL, sub) != PR_OK)
      pr_log(PR_LOG_ERROR, "enrol_code_not_released", "why=\"%s\"", sub);
    goto out;
  }
  p[0] = AGGDB_TEXT(hash);
  p[1] = AGGDB_TEXT(r->dev.id);
  if(aggdb_exec1(db, "UPDATE enrol_codes SET device_id = $2 WHERE hash = $1",
                 p, 2, NULL, sub) != PR_OK)
    pr_log(PR_LOG_WARN, "enrol_device_not_noted", "why=\"%s\"", sub);
  snprintf(who, sizeof(who), "enrol:%s", peer);
  snprintf(detail, sizeof(detail), "device=%s unit=%s revoked=%d",
           r->dev.id, r->dev.unit, r->revoked);
  if(audit_log(db, (time_t)now, who, "enrol", detail, sub) != PR_OK)
    pr_log(PR_LOG_ERROR, "audit_failed", "what=enrol why=\"%s\"", sub);
  pr_log(PR_LOG_INFO, "enrolled", "device=%s unit=%s peer=%s revoked=%d",
         r->dev.id, r->dev.unit, peer, r->revoked);
  r->outcome = ENROL_OK;
out:
  sodium_memzero(code, sizeof(code));
  return rc;
}

void enrol_h_redeem(struct agg_server *s, struct agg_req *rq,
                    struct agg_resp *rs)
{
  static const char *const codes[] = {
    "ok", "bad_code", "unknown_code", "wrong_server", "code_locked",
    "code_used", "code_expired", "rate_limited"
  };
  struct enrol_result r;
  json_error_t je;
  json_t *j;
  const char *code, *old;
  size_t len;
  const char *body = agg_req_body(rq, &len);
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  code = j ? json_string_value(json_object_get(j, "code")) : NULL;
  old = j ? json_string_value(json_object_get(j, "old_device")) : NULL;
  if(!code) {
    json_decref(j);
    agg_resp_error(rs, 400, "bad_request", "body must be JSON "
                   "{\"code\": \"XXXX-XXXX-XXXX\"}");
    return;
  }
  rc = enrol_redeem(agg_server_db(s), code, agg_server_pin(s),
                    agg_req_peer(rq), old, &r, err);
  json_decref(j);
  if(rc != PR_OK) {
    pr_log(PR_LOG_ERROR, "db_error", "during=enrol rc=%s", pr_strerror(rc));
    agg_resp_db_error(s, rs, rc);
    return;
  }
  if(r.outcome != ENROL_OK) {
    agg_resp_error(rs, enrol_status(r.outcome), codes[r.outcome], r.msg);
    if(r.outcome == ENROL_LIMITED) {
      char ra[16];
      snprintf(ra, sizeof(ra), "%d", ENROL_WINDOW);
      agg_resp_header(rs, "Retry-After", ra);
    }
    return;
  }
  agg_resp_json(rs, 200, json_pack("{s:s, s:s, s:s, s:s}", "token", r.token,
                                   "device", r.dev.id, "unit", r.dev.unit,
                                   "name", r.dev.name));
  agg_resp_header(rs, "Cache-Control", "no-store");
  sodium_memzero(r.token, sizeof(r.token));
}
