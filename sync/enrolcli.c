/* This file contains the kiosk's side of enrolment (enrolcli.h).  Two
 * connections: the first only reads the server's key (no trust needed),
 * the code's check part then says whether that key is the one the code was
 * made for; only then does the second connection, pinned to exactly that
 * key, carry the code.  A wrong address, a mistyped code or a machine in
 * between fails before the code leaves the kiosk. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "conffile.h"
#include "enrolcli.h"
#include "uplink.h"

int enrolcli_info_path(const struct sync_config *c, char *buf, size_t cap)
{
  int n = snprintf(buf, cap, "%s.enrol", c->token_file);

  return n < 0 || (size_t)n >= cap || !c->token_file[0] ? -1 : 0;
}

static enum pr_rc info_one(void *ctx, const char *key, const char *val,
                           int line, char *err)
{
  struct enrolcli_info *i = ctx;
  int r = 0;

  if(!strcmp(key, "url"))
    r = pr_strlcpy(i->url, val, sizeof(i->url));
  else if(!strcmp(key, "pin"))
    r = pr_strlcpy(i->pin, val, sizeof(i->pin));
  else if(!strcmp(key, "device"))
    r = pr_strlcpy(i->device, val, sizeof(i->device));
  else if(!strcmp(key, "unit"))
    r = pr_strlcpy(i->unit, val, sizeof(i->unit));
  else if(!strcmp(key, "name"))
    r = pr_strlcpy(i->name, val, sizeof(i->name));
  if(r) {
    pr_seterr(err, "%s is too long", key);
    return PR_EINVAL;
  }
  return PR_OK;
}

enum pr_rc enrolcli_info_read(const struct sync_config *c,
                              struct enrolcli_info *out)
{
  char path[SYNC_PATH_LEN + 8], err[PR_ERR_LEN];

  memset(out, 0, sizeof(*out));
  if(enrolcli_info_path(c, path, sizeof(path)) != 0 ||
     access(path, F_OK) != 0)
    return PR_ENOTFOUND;
  if(conffile_each(path, info_one, out, err) != PR_OK ||
     strncmp(out->url, "https://", 8) != 0 ||
     strncmp(out->pin, "sha256//", 8) != 0) {
    memset(out, 0, sizeof(*out));
    return PR_EINVAL;
  }
  return PR_OK;
}

int enrolcli_apply(struct sync_config *c)
{
  struct enrolcli_info i;

  if(enrolcli_info_read(c, &i) != PR_OK)
    return 0;
  pr_strlcpy(c->url, i.url, sizeof(c->url));
  pr_strlcpy(c->pins, i.pin, sizeof(c->pins));
  c->pin_only = 1;
  return 1;
}

/* Write data to path through a temporary file: mode 0600, fsync, rename,
 * so a cut power leaves the old file or the new, never half. */
static enum pr_rc write_private(const char *path, const char *data,
                                char *err)
{
  char tmp[SYNC_PATH_LEN + 16];
  size_t len = strlen(data), off = 0;
  int fd, n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);

  if(n < 0 || (size_t)n >= sizeof(tmp)) {
    pr_seterr(err, "sökvägen %s är för lång", path);
    return PR_EIO;
  }
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
            0600);
  if(fd < 0) {
    pr_seterr(err, "kan inte skriva %s: %s", tmp, strerror(errno));
    return PR_EIO;
  }
  if(fchmod(fd, 0600) != 0)
    goto fail;
  while(off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      goto fail;
    off += (size_t)w;
  }
  if(fsync(fd) != 0 || close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  if(rename(tmp, path) != 0) {
    pr_seterr(err, "kan inte spara %s: %s", path, strerror(errno));
    unlink(tmp);
    return PR_EIO;
  }
  return PR_OK;
fail:
  pr_seterr(err, "kan inte skriva %s: %s", tmp, strerror(errno));
  if(fd >= 0)
    close(fd);
  unlink(tmp);
  return PR_EIO;
}

static void opts_from(const struct sync_config *c, struct uplink_opts *o)
{
  *o = (struct uplink_opts){
    .connect_timeout_ms = c->connect_timeout_ms,
    .timeout_ms = c->timeout_ms < 30000 ? c->timeout_ms : 30000,
    .low_speed_bytes = c->low_speed_bytes,
    .low_speed_time_s = c->low_speed_time_s,
    .max_reply = 64 * 1024,
    .pin_only = 1,
  };
}

/* The server's key pin at base, read over a connection that trusts
 * nothing (it carries nothing but a GET /healthz). */
static enum pr_rc probe_pin(const struct sync_config *c, const char *base,
                            char pin[ENROLCODE_PIN_LEN], char *err)
{
  struct uplink_opts o;
  struct uplink *u = NULL;
  struct uplink_reply r;
  char url[SYNC_PATH_LEN + 16], sub[PR_ERR_LEN];
  enum pr_rc rc;

  pin[0] = '\0';
  opts_from(c, &o);
  o.certinfo = 1;
  snprintf(url, sizeof(url), "%s/healthz", base);
  rc = uplink_open(&o, &u);
  if(rc != PR_OK)
    return rc;
  rc = uplink_request(u, "GET", url, NULL, NULL, 0, &r, sub);
  if(rc == PR_OK) {
    uplink_reply_free(&r);
    pr_strlcpy(pin, uplink_peer_pin(u), ENROLCODE_PIN_LEN);
    if(!pin[0]) {
      pr_seterr(err, "servern på %s visade inget certifikat", base);
      rc = PR_ETLS;
    }
  } else {
    pr_seterr(err, "kan inte nå servern på %s: %s", base, sub);
  }
  uplink_close(u);
  return rc;
}

static enum pr_rc refused(const struct uplink_reply *r, char *err)
{
  json_t *j = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
  const char *m = j ? json_string_value(json_object_get(j, "message")) : NULL;
  enum pr_rc rc = r->status == 429 ? PR_EBUSY
                  : r->status == 400 || r->status == 403 ||
                    r->status == 410 ? PR_EAUTH : PR_EPROTO;

  if(rc == PR_EPROTO || !m)
    pr_seterr(err, "servern svarade oväntat (HTTP %ld); är det rätt "
              "adress?", r->status);
  else
    pr_seterr(err, "%s", m);
  json_decref(j);
  return rc;
}

enum pr_rc enrolcli_run(const struct sync_config *c, const char *url_in,
                        const char *typed, struct enrolcli_info *out,
                        char *err)
{
  char code[ENROLCODE_LEN + 1], base[SYNC_PATH_LEN], url[SYNC_PATH_LEN + 16];
  char path[SYNC_PATH_LEN + 8], *body = NULL, *rec = NULL;
  struct enrolcli_info old, now;
  struct uplink_opts o;
  struct uplink *u = NULL;
  struct uplink_reply r;
  json_t *j = NULL;
  const char *tok, *dev, *unit, *name;
  enum pr_rc rc;
  size_t n;

  memset(&r, 0, sizeof(r));
  memset(&now, 0, sizeof(now));
  if(out)
    memset(out, 0, sizeof(*out));
  rc = enrolcode_normalise(typed, code, err);
  if(rc != PR_OK)
    return rc;
  if(!url_in || strncmp(url_in, "https://", 8) != 0 || !url_in[8] ||
     pr_strlcpy(base, url_in, sizeof(base))) {
    pr_seterr(err, "adressen ska börja med https:// (till exempel "
              "https://rost.region.se:8443)");
    return PR_EINVAL;
  }
  n = strlen(base);
  while(n > 8 && base[n - 1] == '/')
    base[--n] = '\0';
  if(strchr(base + 8, '/') || strchr(base, ' ')) {
    pr_seterr(err, "adressen ska bara vara https://värd:port, utan sökväg");
    return PR_EINVAL;
  }
  if(enrolcli_info_path(c, path, sizeof(path)) != 0) {
    pr_seterr(err, "sync_token_file saknas i konfigurationen");
    return PR_EINVAL;
  }
  rc = probe_pin(c, base, now.pin, err);
  if(rc != PR_OK)
    goto out;
  if(!enrolcode_matches_pin(code, now.pin)) {
    pr_seterr(err, "koden hör inte till servern på %s — fel adress, fel "
              "kod eller något emellan. Koden skickades inte.", base);
    pr_log(PR_LOG_WARN, "enrol_pin_mismatch", "server_pin=%s", now.pin);
    rc = PR_ETLS;
    goto out;
  }
  /* The code went nowhere yet; from here on only the key just checked is
   * trusted (a second connection that reached another key fails). */
  opts_from(c, &o);
  o.pins = now.pin;
  rc = uplink_open(&o, &u);
  if(rc != PR_OK)
    goto out;
  if(enrolcli_info_read(c, &old) != PR_OK)
    memset(&old, 0, sizeof(old));
  j = json_pack("{s:s}", "code", code);
  if(j && old.device[0])
    json_object_set_new(j, "old_device", json_string(old.device));
  body = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  j = NULL;
  if(!body) {
    rc = PR_ENOMEM;
    goto out;
  }
  snprintf(url, sizeof(url), "%s/api/v1/enrol", base);
  rc = uplink_request(u, "POST", url, NULL, body, strlen(body), &r, err);
  if(rc != PR_OK)
    goto out;
  if(r.status != 200) {
    rc = refused(&r, err);
    goto out;
  }
  j = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
  tok = json_string_value(json_object_get(j, "token"));
  dev = json_string_value(json_object_get(j, "device"));
  unit = json_string_value(json_object_get(j, "unit"));
  name = json_string_value(json_object_get(j, "name"));
  if(!tok || !dev || !unit || !name || strlen(tok) >= SYNC_PATH_LEN ||
     strpbrk(tok, " \r\n") || strpbrk(name, "\r\n") ||
     strpbrk(unit, "\r\n=") || strpbrk(dev, "\r\n=")) {
    pr_seterr(err, "servern svarade oväntat på koden");
    rc = PR_EPROTO;
    goto out;
  }
  pr_strlcpy(now.url, base, sizeof(now.url));
  pr_strlcpy(now.device, dev, sizeof(now.device));
  pr_strlcpy(now.unit, unit, sizeof(now.unit));
  pr_strlcpy(now.name, name, sizeof(now.name));
  {
    size_t cap = strlen(tok) + 2;
    char *t = pr_malloc(cap);
    if(!t) {
      rc = PR_ENOMEM;
      goto out;
    }
    snprintf(t, cap, "%s\n", tok);
    /* The record first: a token without its record would sync to the
     * configured address, a record without its token cannot sync. */
    rec = pr_malloc(2048);
    if(!rec) {
      sodium_memzero(t, cap);
      pr_free(t);
      rc = PR_ENOMEM;
      goto out;
    }
    snprintf(rec, 2048, "# Written by the kiosk's enrolment by code; the "
             "sync uses this address\n# and trusts only this key.\n"
             "url = %s\npin = %s\ndevice = %s\nunit = %s\nname = %s\n",
             now.url, now.pin, now.device, now.unit, now.name);
    rc = write_private(path, rec, err);
    if(rc == PR_OK)
      rc = write_private(c->token_file, t, err);
    sodium_memzero(t, cap);
    pr_free(t);
  }
  if(rc != PR_OK)
    goto out;
  pr_log(PR_LOG_INFO, "enrolled", "device=%s unit=%s", now.device, now.unit);
  if(out)
    *out = now;
out:
  if(r.body)
    sodium_memzero(r.body, r.len);
  uplink_reply_free(&r);
  json_decref(j);
  pr_free(body);
  pr_free(rec);
  uplink_close(u);
  sodium_memzero(code, sizeof(code));
  return rc;
}
