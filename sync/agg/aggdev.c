/* This file contains device enrolment and token authentication.  The
 * secret half of a token is hashed with libsodium's generichash (BLAKE2b)
 * and compared with sodium_memcmp so timing does not leak how much of a
 * guess matched. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "aggdev.h"

#define SECRET_BYTES 32

int aggdev_valid_unit(const char *u)
{
  size_t i, n;

  if(!u || strncmp(u, "SE", 2))
    return 0;
  for(i = 2; i < 12; i++)
    if(!isdigit((unsigned char)u[i]))
      return 0;
  if(u[12] != '-')
    return 0;
  n = strlen(u + 13);
  if(n < 1 || n > 31)
    return 0;
  for(i = 13; u[i]; i++)
    if(!isupper((unsigned char)u[i]) && !isdigit((unsigned char)u[i]))
      return 0;
  return 1;
}

static void hash_secret(const char *hex_secret, char out[65])
{
  unsigned char h[32];

  crypto_generichash(h, sizeof(h), (const unsigned char *)hex_secret,
                     strlen(hex_secret), NULL, 0);
  sodium_bin2hex(out, 65, h, sizeof(h));
}

enum pr_rc aggdev_check_unit_name(const char *unit, const char *name,
                                  char *err)
{
  if(!aggdev_valid_unit(unit)) {
    pr_seterr(err, "unit must be an HSA-id like SE2321000032-ABC123");
    return PR_EINVAL;
  }
  if(!aggdev_valid_name(name)) {
    pr_seterr(err, "name must be 1-%d printable characters",
              AGGDEV_NAME_LEN - 1);
    return PR_EINVAL;
  }
  return PR_OK;
}

int aggdev_valid_name(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;

  if(!s || !*p || strlen(s) >= AGGDEV_NAME_LEN)
    return 0;
  for(; *p; p++)
    if(*p < 0x20 || *p == 0x7f)
      return 0;
  return 1;
}

enum pr_rc aggdev_enrol(struct aggdb *db, const char *unit, const char *name,
                        char token[AGGDEV_TOKEN_LEN], struct aggdev *dev,
                        char *err)
{
  unsigned char idb[8], secret[SECRET_BYTES];
  char id[AGGDEV_ID_LEN], sec_hex[2 * SECRET_BYTES + 1], hash[65];
  struct aggdb_param p[5];
  enum pr_rc rc;
  long long now = pr_now();

  token[0] = '\0';
  if(aggdev_check_unit_name(unit, name, err) != PR_OK)
    return PR_EINVAL;
  randombytes_buf(idb, sizeof(idb));
  randombytes_buf(secret, sizeof(secret));
  id[0] = 'k';
  sodium_bin2hex(id + 1, sizeof(id) - 1, idb, sizeof(idb));
  sodium_bin2hex(sec_hex, sizeof(sec_hex), secret, sizeof(secret));
  sodium_memzero(secret, sizeof(secret));
  hash_secret(sec_hex, hash);
  p[0] = AGGDB_TEXT(id);
  p[1] = AGGDB_TEXT(unit);
  p[2] = AGGDB_TEXT(name);
  p[3] = AGGDB_TEXT(hash);
  p[4] = AGGDB_INT(now);
  rc = aggdb_exec1(db, "INSERT INTO devices (id, unit, name, token_hash, "
                   "created_at) VALUES ($1, $2, $3, $4, $5)", p, 5, NULL, err);
  if(rc == PR_OK) {
    int w = snprintf(token, AGGDEV_TOKEN_LEN, "%s.%s", id, sec_hex);
    if(w < 0 || w >= AGGDEV_TOKEN_LEN) {
      token[0] = '\0';
      rc = PR_EINTERNAL;
    }
    if(dev) {
      memset(dev, 0, sizeof(*dev));
      pr_strlcpy(dev->id, id, sizeof(dev->id));
      pr_strlcpy(dev->unit, unit, sizeof(dev->unit));
      pr_strlcpy(dev->name, name, sizeof(dev->name));
      dev->created_at = now;
    }
  }
  sodium_memzero(sec_hex, sizeof(sec_hex));
  return rc;
}

enum pr_rc aggdev_revoke(struct aggdb *db, const char *id, char *err)
{
  struct aggdb_param p[2] = { AGGDB_TEXT(id), AGGDB_INT(pr_now()) };
  long changes = 0;
  enum pr_rc rc;

  rc = aggdb_exec1(db, "UPDATE devices SET revoked_at = $2 WHERE id = $1 "
                   "AND revoked_at IS NULL", p, 2, &changes, err);
  if(rc != PR_OK)
    return rc;
  if(changes == 0) {
    pr_seterr(err, "no active device with id %s", id);
    return PR_ENOTFOUND;
  }
  return PR_OK;
}

static long long ll_or0(const char *v, int isnull)
{
  return isnull ? 0 : strtoll(v, NULL, 10);
}

static void fill_dev(struct aggdev *d, const char *const *v, const int *nul)
{
  memset(d, 0, sizeof(*d));
  pr_strlcpy(d->id, nul[0] ? "" : v[0], sizeof(d->id));
  pr_strlcpy(d->unit, nul[1] ? "" : v[1], sizeof(d->unit));
  pr_strlcpy(d->name, nul[2] ? "" : v[2], sizeof(d->name));
  d->created_at = ll_or0(v[3], nul[3]);
  d->revoked_at = ll_or0(v[4], nul[4]);
  d->last_sync = ll_or0(v[5], nul[5]);
}

#define DEV_COLS "id, unit, name, created_at, revoked_at, last_sync"

struct auth_row {
  struct aggdev dev;
  char hash[65];
  int found;
};

static int auth_row(void *ctx, int ncol, const char *const *v, const int *nul)
{
  struct auth_row *a = ctx;

  if(ncol < 7)
    return 1;
  fill_dev(&a->dev, v, nul);
  pr_strlcpy(a->hash, nul[6] ? "" : v[6], sizeof(a->hash));
  a->found = 1;
  return 1;
}

enum pr_rc aggdev_auth(struct aggdb_conn *c, const char *token,
                       struct aggdev *dev, char *err)
{
  struct auth_row a;
  char id[AGGDEV_ID_LEN], hash[65];
  const char *dot;
  struct aggdb_param p[1];
  enum pr_rc rc;
  size_t i, idlen;

  memset(&a, 0, sizeof(a));
  memset(dev, 0, sizeof(*dev));
  dot = token ? strchr(token, '.') : NULL;
  idlen = dot ? (size_t)(dot - token) : 0;
  if(!dot || idlen < 2 || idlen >= sizeof(id) ||
     strlen(dot + 1) != 2 * SECRET_BYTES) {
    pr_seterr(err, "malformed token");
    return PR_EAUTH;
  }
  for(i = 0; i < idlen; i++)
    if(!isalnum((unsigned char)token[i])) {
      pr_seterr(err, "malformed token");
      return PR_EAUTH;
    }
  memcpy(id, token, idlen);
  id[idlen] = '\0';
  p[0] = AGGDB_TEXT(id);
  rc = aggdb_query(c, "SELECT " DEV_COLS ", token_hash FROM devices "
                   "WHERE id = $1", p, 1, auth_row, &a, err);
  if(rc != PR_OK)
    return rc;
  /* Hash even for an unknown id so both paths take the same time. */
  hash_secret(dot + 1, hash);
  if(!a.found || strlen(a.hash) != 64 ||
     sodium_memcmp(hash, a.hash, 64) != 0) {
    pr_seterr(err, "unknown token");
    return PR_EAUTH;
  }
  if(a.dev.revoked_at) {
    pr_seterr(err, "revoked token (device %s)", a.dev.id);
    return PR_EAUTH;
  }
  *dev = a.dev;
  return PR_OK;
}

struct dev_list {
  struct aggdev *v;
  int n, cap, oom;
};

static int list_row(void *ctx, int ncol, const char *const *v, const int *nul)
{
  struct dev_list *l = ctx;

  if(ncol < 6)
    return 1;
  if(PR_GROW(l->v, l->n, l->cap, 16) != 0) {
    l->oom = 1;
    return 1;
  }
  fill_dev(&l->v[l->n++], v, nul);
  return 0;
}

enum pr_rc aggdev_list(struct aggdb *db, struct aggdev **out, int *n,
                       char *err)
{
  struct dev_list l = { NULL, 0, 0, 0 };
  enum pr_rc rc;

  *out = NULL;
  *n = 0;
  rc = aggdb_query1(db, "SELECT " DEV_COLS " FROM devices ORDER BY "
                    "COALESCE(last_sync, 0), id", NULL, 0, list_row, &l, err);
  if(rc == PR_OK && l.oom)
    rc = PR_ENOMEM;
  if(rc != PR_OK) {
    pr_free(l.v);
    return rc;
  }
  *out = l.v;
  *n = l.n;
  return PR_OK;
}

long long aggdev_seen_grain(long long now)
{
  return now - ((now % AGGDEV_SEEN_GRAIN) + AGGDEV_SEEN_GRAIN) %
                   AGGDEV_SEEN_GRAIN;
}

enum pr_rc aggdev_seen(struct aggdb_conn *c, const struct aggdev *dev,
                       long long now, char *err)
{
  long long at = aggdev_seen_grain(now);
  struct aggdb_param p[2] = { AGGDB_TEXT(dev->id), AGGDB_INT(at) };

  /* At most one write per device and hour (the token check read the row
   * just before); never backwards when a clock steps. */
  if(dev->last_sync >= at)
    return PR_OK;
  return aggdb_exec(c, "UPDATE devices SET last_sync = $2 WHERE id = $1 AND"
                    " (last_sync IS NULL OR last_sync < $2)", p, 2, NULL,
                    err);
}
