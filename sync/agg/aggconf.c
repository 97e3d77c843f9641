/* This file contains the aggregator's configuration: defaults, the
 * "key = value" file reader and per-key validation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aggconf.h"

#include "conffile.h"

void aggconf_defaults(struct aggconf *c)
{
  memset(c, 0, sizeof(*c));
  pr_strlcpy(c->db, "sqlite:/var/lib/rost-agg/agg.db", sizeof(c->db));
  pr_strlcpy(c->listen_addr, "127.0.0.1", sizeof(c->listen_addr));
  c->port = 8443;
  pr_strlcpy(c->tls_priority,
             "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE",
             sizeof(c->tls_priority));
  pr_strlcpy(c->sets_dir, PR_ASSETS_DIR "/surveys", sizeof(c->sets_dir));
  c->threads = 0;
  c->conn_timeout = 15;
  c->request_deadline = 30;
  c->conn_limit = 1000;
  c->per_ip_limit = 64;
  c->max_body = 2L * 1024 * 1024;
  c->max_batch = 1000;
  c->retry_after = 30;
  c->device_inflight = 4;
}

static enum pr_rc set_str(char *dst, size_t cap, const char *key,
                          const char *val, char *err)
{
  if(pr_strlcpy(dst, val, cap) != 0) {
    pr_seterr(err, "%s: value longer than %zu bytes", key, cap - 1);
    return PR_EINVAL;
  }
  return PR_OK;
}

static enum pr_rc set_int(int *dst, const char *key, const char *val,
                          long min, long max, char *err)
{
  long v;

  if(pr_parse_long(val, min, max, &v) != 0) {
    pr_seterr(err, "%s: expected a whole number from %ld to %ld, got \"%s\"",
              key, min, max, val);
    return PR_EINVAL;
  }
  *dst = (int)v;
  return PR_OK;
}

static enum pr_rc set_listen(struct aggconf *c, const char *val, char *err)
{
  const char *colon = strrchr(val, ':');
  char host[64];
  size_t hl;

  if(!colon || colon == val) {
    pr_seterr(err, "listen: expected ADDRESS:PORT (e.g. 127.0.0.1:8443), "
              "got \"%s\"", val);
    return PR_EINVAL;
  }
  hl = (size_t)(colon - val);
  if(hl >= sizeof(host)) {
    pr_seterr(err, "listen: address too long");
    return PR_EINVAL;
  }
  memcpy(host, val, hl);
  host[hl] = '\0';
  if(set_int(&c->port, "listen port", colon + 1, 0, 65535, err) != PR_OK)
    return PR_EINVAL;
  pr_strlcpy(c->listen_addr, host, sizeof(c->listen_addr));
  return PR_OK;
}

enum pr_rc aggconf_set(struct aggconf *c, const char *key, const char *val,
                       char *err)
{
  int i, tmp;

  if(!strcmp(key, "db"))
    return set_str(c->db, sizeof(c->db), key, val, err);
  if(!strcmp(key, "listen"))
    return set_listen(c, val, err);
  if(!strcmp(key, "cert"))
    return set_str(c->cert, sizeof(c->cert), key, val, err);
  if(!strcmp(key, "key"))
    return set_str(c->key, sizeof(c->key), key, val, err);
  if(!strcmp(key, "tls_priority"))
    return set_str(c->tls_priority, sizeof(c->tls_priority), key, val, err);
  if(!strcmp(key, "sets_dir"))
    return set_str(c->sets_dir, sizeof(c->sets_dir), key, val, err);
  if(!strcmp(key, "threads"))
    return set_int(&c->threads, key, val, 0, 64, err);
  if(!strcmp(key, "timeout"))
    return set_int(&c->conn_timeout, key, val, 1, 3600, err);
  if(!strcmp(key, "request_deadline"))
    return set_int(&c->request_deadline, key, val, 1, 3600, err);
  if(!strcmp(key, "conn_limit"))
    return set_int(&c->conn_limit, key, val, 1, 100000, err);
  if(!strcmp(key, "per_ip_limit"))
    return set_int(&c->per_ip_limit, key, val, 1, 100000, err);
  if(!strcmp(key, "max_body")) {
    if(set_int(&tmp, key, val, 1024, 256L * 1024 * 1024, err) != PR_OK)
      return PR_EINVAL;
    c->max_body = tmp;
    return PR_OK;
  }
  if(!strcmp(key, "max_batch"))
    return set_int(&c->max_batch, key, val, 1, 100000, err);
  if(!strcmp(key, "device_inflight"))
    return set_int(&c->device_inflight, key, val, 1, 1000, err);
  if(!strcmp(key, "retry_after"))
    return set_int(&c->retry_after, key, val, 1, 86400, err);
  for(i = 0; i < c->n_extra; i++)
    if(!strcmp(c->extra_key[i], key))
      return set_str(c->extra_val[i], sizeof(c->extra_val[i]), key, val, err);
  if(c->n_extra >= AGGCONF_MAX_EXTRA) {
    pr_seterr(err, "%s: too many module-specific keys", key);
    return PR_ELIMIT;
  }
  if(pr_strlcpy(c->extra_key[c->n_extra], key, sizeof(c->extra_key[0]))) {
    pr_seterr(err, "key name too long: %.40s...", key);
    return PR_EINVAL;
  }
  if(set_str(c->extra_val[c->n_extra], sizeof(c->extra_val[0]), key, val,
             err) != PR_OK)
    return PR_EINVAL;
  c->n_extra++;
  return PR_OK;
}

enum pr_rc aggconf_set_kv(struct aggconf *c, const char *kv, char *err)
{
  char key[AGGCONF_STR + 64], *eq;

  if(pr_strlcpy(key, kv, sizeof(key)) || !(eq = strchr(key, '='))) {
    pr_seterr(err, "--set vill ha NYCKEL=VÄRDE");
    return PR_EINVAL;
  }
  *eq = '\0';
  return aggconf_set(c, key, eq + 1, err);
}

const char *aggconf_get(const struct aggconf *c, const char *key)
{
  int i;

  for(i = 0; i < c->n_extra; i++)
    if(!strcmp(c->extra_key[i], key))
      return c->extra_val[i];
  return NULL;
}

static enum pr_rc load_one(void *ctx, const char *key, const char *value,
                           int line, char *err)
{
  (void)line;
  return aggconf_set(ctx, key, value, err);
}

enum pr_rc aggconf_load(struct aggconf *c, const char *path, char *err)
{
  return conffile_each(path, load_one, c, err);
}
