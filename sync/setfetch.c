/* setfetch.c — This file contains the download, validation and atomic
 * saving of new question-set versions declared in setfetch.h. */
#include "setfetch.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qset.h"
#include "wire.h"

int setfetch_path(const char *dir, const char *id, int version, char *buf,
                  size_t cap)
{
  int w = snprintf(buf, cap, "%s/%s.v%d.json", dir, id, version);
  return (w < 0 || (size_t)w >= cap) ? -1 : 0;
}

static void hex(const unsigned char *in, size_t n, char *out)
{
  static const char d[] = "0123456789abcdef";
  for(size_t i = 0; i < n; i++) {
    out[2 * i] = d[in[i] >> 4];
    out[2 * i + 1] = d[in[i] & 15];
  }
  out[2 * n] = '\0';
}

/* Write data to path via a temp file in the same directory: a reader sees
 * the old state or the whole new file, never a part. */
static enum pr_rc save_atomic(const char *dir, const char *path,
                              const char *data, size_t len, char *err)
{
  char tmp[1024];
  int fd = -1, dfd = -1;
  size_t off = 0;
  enum pr_rc rc = PR_EIO;

  if(snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >=
     (int)sizeof(tmp)) {
    pr_seterr(err, "%s: path too long", dir);
    return PR_EINVAL;
  }
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0) {
    pr_seterr(err, "%s: cannot write: %s", dir, strerror(errno));
    goto out;
  }
  while(off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0) {
      rc = errno == ENOSPC ? PR_EFULL : PR_EIO;
      pr_seterr(err, "%s: cannot write: %s", dir, strerror(errno));
      goto out;
    }
    off += (size_t)w;
  }
  if(fsync(fd) != 0 || close(fd) != 0) {
    fd = -1;
    pr_seterr(err, "%s: cannot sync: %s", dir, strerror(errno));
    goto out;
  }
  fd = -1;
  if(rename(tmp, path) != 0) {
    pr_seterr(err, "%s: cannot rename: %s", dir, strerror(errno));
    goto out;
  }
  dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(dfd >= 0)
    (void)fsync(dfd);
  rc = PR_OK;
out:
  if(fd >= 0)
    close(fd);
  if(dfd >= 0)
    close(dfd);
  if(rc != PR_OK)
    unlink(tmp);
  return rc;
}

static enum pr_rc get(struct uplink *u, const char *url, const char *token,
                      struct uplink_reply *rep, char *err)
{
  enum pr_rc rc = uplink_request(u, "GET", url, token, NULL, 0, rep, err);
  if(rc != PR_OK)
    return rc;
  if(rep->status == 401) {
    pr_seterr(err, "token revoked/unknown (401)");
    rc = PR_EAUTH;
  } else if(rep->status == 429 || rep->status == 503) {
    pr_seterr(err, "server busy (%ld)", rep->status);
    rc = PR_EBUSY;
  } else if(rep->status != 200) {
    pr_seterr(err, "unexpected HTTP status %ld", rep->status);
    rc = PR_EPROTO;
  }
  if(rc != PR_OK)
    uplink_reply_free(rep);
  return rc;
}

/* Fetch, check and save one set version. */
static enum pr_rc fetch_one(struct uplink *u, const char *base,
                            const char *token, const char *dir,
                            const struct wire_set *ws, const char *path,
                            char *err)
{
  struct uplink_reply rep;
  struct qset *qs = NULL;
  char url[1024], e2[PR_ERR_LEN], sum[65];
  unsigned char h[crypto_hash_sha256_BYTES];
  enum pr_rc rc;

  if(snprintf(url, sizeof(url), "%s/api/v1/sets/%s/%d", base, ws->id,
              ws->version) >= (int)sizeof(url)) {
    pr_seterr(err, "set URL too long");
    return PR_EINVAL;
  }
  rc = get(u, url, token, &rep, err);
  if(rc != PR_OK)
    return rc;
  rc = PR_EPROTO;
  if(!rep.body) {
    pr_seterr(err, "set %s v%d: empty body", ws->id, ws->version);
    goto out;
  }
  crypto_hash_sha256(h, (const unsigned char *)rep.body, rep.len);
  hex(h, sizeof(h), sum);
  if(ws->sha256[0] && strcmp(sum, ws->sha256) != 0) {
    pr_seterr(err, "set %s v%d: sha256 does not match the list", ws->id,
              ws->version);
    goto out;
  }
  if(qset_load_buffer(ws->id, rep.body, rep.len, &qs, e2) != PR_OK) {
    pr_seterr(err, "set %s v%d refused: %s", ws->id, ws->version, e2);
    goto out;
  }
  if(strcmp(qs->id, ws->id) != 0 || qs->version != ws->version) {
    pr_seterr(err, "set %s v%d: file says %s v%d", ws->id, ws->version,
              qs->id, qs->version);
    goto out;
  }
  rc = save_atomic(dir, path, rep.body, rep.len, err);
  if(rc == PR_OK)
    pr_log(PR_LOG_INFO, "sync.set_saved", "set=%s version=%d", ws->id,
           ws->version);
out:
  qset_free(qs);
  uplink_reply_free(&rep);
  return rc;
}

enum pr_rc setfetch_run(struct uplink *u, const char *base_url,
                        const char *token, const char *sets_dir, int *saved,
                        char *err)
{
  struct uplink_reply rep;
  struct wire_set *sets = NULL;
  int n = 0, got = 0;
  char url[1024], path[1024], e2[PR_ERR_LEN];
  enum pr_rc rc, first = PR_OK;

  if(saved)
    *saved = 0;
  if(snprintf(url, sizeof(url), "%s/api/v1/sets", base_url) >=
     (int)sizeof(url)) {
    pr_seterr(err, "sets URL too long");
    return PR_EINVAL;
  }
  rc = get(u, url, token, &rep, err);
  if(rc != PR_OK)
    return rc;
  rc = wire_parse_sets(rep.body, rep.len, &sets, &n, e2);
  uplink_reply_free(&rep);
  if(rc != PR_OK)
    pr_seterr(err, "not an aggregator reply (set list): %s", e2);
  if(rc != PR_OK || !sets_dir)
    goto out;
  for(int i = 0; i < n; i++) {
    struct stat st;
    if(setfetch_path(sets_dir, sets[i].id, sets[i].version, path,
                     sizeof(path)) != 0) {
      pr_seterr(err, "sets directory path too long");
      rc = PR_EINVAL;
      goto out;
    }
    if(stat(path, &st) == 0)
      continue;     /* already here; set files are never overwritten */
    rc = fetch_one(u, base_url, token, sets_dir, &sets[i], path, e2);
    if(rc == PR_OK) {
      got++;
      continue;
    }
    pr_log(PR_LOG_WARN, "sync.set_refused", "set=%s version=%d rc=%s",
           sets[i].id, sets[i].version, pr_strerror(rc));
    if(first == PR_OK) {
      first = rc;
      if(err)
        pr_strlcpy(err, e2, PR_ERR_LEN);
    }
    /* Transport and auth failures end the fetch; a bad set does not. */
    if(rc != PR_EPROTO)
      break;
  }
  rc = first;
out:
  if(rc == PR_OK && err)
    err[0] = '\0';
  if(saved)
    *saved = got;
  pr_free(sets);
  return rc;
}
