/* sync_config.c — This file contains the parsing of the kiosk's sync
 * settings and the reading of the device token (sync_config.h). */
#include "sync_config.h"

#include "conffile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void sync_config_defaults(struct sync_config *c)
{
  memset(c, 0, sizeof(*c));
  c->period = ANON_WEEK;
  c->batch = 500;
  c->connect_timeout_ms = 10000;
  c->timeout_ms = 120000;
  c->low_speed_bytes = 100;
  c->low_speed_time_s = 30;
  c->interval_s = 300;
  c->backoff_base_s = 10;
  c->backoff_cap_s = 1800;
  c->max_reply = 4L * 1024 * 1024;
}

struct num_key {
  const char *name;
  size_t off;
  long min, max;
};

#define NUM(f, lo, hi) {#f, offsetof(struct sync_config, f), lo, hi}
static const struct num_key num_keys[] = {
  NUM(connect_timeout_ms, 10, 600000),
  NUM(timeout_ms, 10, 3600000),
  NUM(low_speed_bytes, 1, 100000000),
  NUM(low_speed_time_s, 1, 3600),
  NUM(interval_s, 1, 86400),
  NUM(backoff_base_s, 1, 86400),
  NUM(backoff_cap_s, 1, 7 * 86400),
  NUM(max_reply, 1024, 256L * 1024 * 1024),
};

static const struct {
  const char *name;
  size_t off;
} str_keys[] = {
  {"url", offsetof(struct sync_config, url)},
  {"token_file", offsetof(struct sync_config, token_file)},
  {"ca_file", offsetof(struct sync_config, ca_file)},
  {"pins", offsetof(struct sync_config, pins)},
  {"sets_dir", offsetof(struct sync_config, sets_dir)},
};

enum pr_rc sync_config_set(struct sync_config *c, const char *key,
                           const char *value, char *err)
{
  long v;
  if(strncmp(key, "sync_", 5) == 0)
    key += 5;
  for(size_t i = 0; i < PR_ARRAY_LEN(str_keys); i++) {
    if(strcmp(key, str_keys[i].name) != 0)
      continue;
    if(strlen(value) >= SYNC_PATH_LEN) {
      pr_seterr(err, "sync setting %s: value is too long", key);
      return PR_EINVAL;
    }
    if(strcmp(key, "url") == 0 && strncmp(value, "https://", 8) != 0) {
      pr_seterr(err, "sync setting url: must start with https://");
      return PR_EINVAL;
    }
    pr_strlcpy((char *)c + str_keys[i].off, value, SYNC_PATH_LEN);
    return PR_OK;
  }
  if(strcmp(key, "period") == 0) {
    if(anon_period_parse(value, &c->period) != 0) {
      pr_seterr(err, "sync setting period: must be week or month");
      return PR_EINVAL;
    }
    return PR_OK;
  }
  if(strcmp(key, "batch") == 0) {
    if(pr_parse_long(value, 1, 1000, &v) != 0) {
      pr_seterr(err, "sync setting batch: must be a number 1..1000");
      return PR_EINVAL;
    }
    c->batch = (int)v;
    return PR_OK;
  }
  for(size_t i = 0; i < PR_ARRAY_LEN(num_keys); i++) {
    if(strcmp(key, num_keys[i].name) != 0)
      continue;
    if(pr_parse_long(value, num_keys[i].min, num_keys[i].max, &v) != 0) {
      pr_seterr(err, "sync setting %s: must be a number %ld..%ld", key,
                num_keys[i].min, num_keys[i].max);
      return PR_EINVAL;
    }
    *(long *)((char *)c + num_keys[i].off) = v;
    return PR_OK;
  }
  return PR_ENOTFOUND;
}

static enum pr_rc load_one(void *ctx, const char *key, const char *value,
                           int line, char *err)
{
  enum pr_rc rc;
  (void)line;
  /* In a file only sync_* names are sync keys, as the kiosk reads the
   * same file (kconf.c): its "sets_dir" is the shipped sets, never the
   * folder new versions are saved into. */
  if(strncmp(key, "sync_", 5) != 0)
    return PR_OK;
  /* "sync_url =" and the like, as the installed kiosk.conf has them before
   * enrolment: the default stays (as in kconf.c), so `rostctl enrol
   * --config` works on a kiosk that does not sync yet. */
  if(!*value)
    return PR_OK;
  rc = sync_config_set(ctx, key, value, err);
  return rc == PR_ENOTFOUND ? PR_OK : rc;
}

enum pr_rc sync_config_load(const char *path, struct sync_config *c,
                            char *err)
{
  return conffile_each(path, load_one, c, err);
}

enum pr_rc sync_config_check(const struct sync_config *c, char *err)
{
  if(strncmp(c->url, "https://", 8) != 0 || c->url[8] == '\0') {
    pr_seterr(err, "sync: url is missing or not https://");
    return PR_EINVAL;
  }
  if(!c->token_file[0]) {
    pr_seterr(err, "sync: token_file is missing");
    return PR_EINVAL;
  }
  if(c->backoff_cap_s < c->backoff_base_s) {
    pr_seterr(err, "sync: backoff_cap_s is below backoff_base_s");
    return PR_EINVAL;
  }
  return PR_OK;
}

enum pr_rc sync_config_token(const struct sync_config *c, char *tok,
                             size_t cap, char *err)
{
  FILE *f;
  char buf[1024];
  char *t;
  size_t n;

  if(cap)
    tok[0] = '\0';
  f = fopen(c->token_file, "r");
  if(!f) {
    pr_seterr(err, "token file %s: cannot read: %s", c->token_file,
              strerror(errno));
    return PR_EIO;
  }
  n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  t = conffile_trim(buf);
  n = strlen(t);
  if(n == 0 || n >= cap) {
    pr_seterr(err, "token file %s: empty or too long", c->token_file);
    return PR_EINVAL;
  }
  for(size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)t[i];
    if(ch <= 0x20 || ch >= 0x7f) {
      pr_seterr(err, "token file %s: token has a character that is not "
                "allowed", c->token_file);
      return PR_EINVAL;
    }
  }
  memcpy(tok, t, n + 1);
  return PR_OK;
}
