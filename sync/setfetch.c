/* setfetch.c — This file contains the download, validation and atomic
 * saving of new question-set versions declared in setfetch.h. */
#include "setfetch.h"

#include <dirent.h>
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

static void sha256_hex(const char *data, size_t len, char out[65])
{
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)data, len);
  hex(h, sizeof(h), out);
}

/* ---- what the sets directory already holds ----------------------------- */

#define SETFETCH_MAX_FILE (512 * 1024)   /* as the validator's file cap */
#define SETFETCH_NAME_LEN 256

/* One valid set file in the target directory, whatever its name: the
 * shipped "kiosk-besok.json" counts as much as a fetched
 * "kiosk-besok.v2.json". */
struct have {
  char id[QSET_ID_LEN];
  int version;
  char sha256[65];              /* of the file's bytes */
  char name[SETFETCH_NAME_LEN]; /* file name inside the directory */
};

static int is_set_name(const char *n)
{
  size_t l = strlen(n);
  return n[0] != '.' && l > 5 && strcmp(n + l - 5, ".json") == 0;
}

/* Read one file whole into *out (the caller's, pr_free).  Larger than
 * SETFETCH_MAX_FILE is PR_ELIMIT. */
static enum pr_rc slurp(const char *path, char **out, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n;
  enum pr_rc rc = PR_EIO;

  *out = NULL;
  *len = 0;
  if(!f)
    return PR_EIO;
  buf = pr_malloc(SETFETCH_MAX_FILE + 1);
  if(!buf) {
    rc = PR_ENOMEM;
    goto out;
  }
  n = fread(buf, 1, SETFETCH_MAX_FILE + 1, f);
  if(ferror(f))
    goto out;
  if(n > SETFETCH_MAX_FILE) {
    rc = PR_ELIMIT;
    goto out;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  buf = NULL;
  rc = PR_OK;
out:
  pr_free(buf);
  fclose(f);
  return rc;
}

/* Every *.json in dir that the validator accepts, with its id, version
 * and SHA-256.  A file the validator refuses is left out with a warning:
 * it says nothing about which set it is.  A directory that does not exist
 * holds nothing (saving will then report it).  *out is the caller's
 * (pr_free), *n its length. */
static enum pr_rc scan_dir(const char *dir, struct have **out, int *n,
                           char *err)
{
  DIR *d;
  struct dirent *e;
  struct have *h = NULL;
  int nh = 0, cap = 0;
  enum pr_rc rc = PR_OK;

  *out = NULL;
  *n = 0;
  d = opendir(dir);
  if(!d) {
    if(errno == ENOENT)
      return PR_OK;
    pr_seterr(err, "%s: cannot read the sets directory: %s", dir,
              strerror(errno));
    return PR_EIO;
  }
  while((e = readdir(d)) != NULL) {
    char path[1024], e2[PR_ERR_LEN], *buf = NULL;
    size_t len = 0;
    struct qset *qs = NULL;
    int w;

    if(!is_set_name(e->d_name) || strlen(e->d_name) >= SETFETCH_NAME_LEN)
      continue;
    w = snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
    if(w < 0 || (size_t)w >= sizeof(path))
      continue;
    rc = slurp(path, &buf, &len);
    if(rc == PR_ENOMEM)
      goto out;
    if(rc == PR_OK)
      rc = qset_load_buffer(e->d_name, buf, len, &qs, e2);
    if(rc == PR_ENOMEM) {
      pr_free(buf);
      goto out;
    }
    if(rc != PR_OK) {
      pr_log(PR_LOG_WARN, "sync.set_file_unusable", "dir=\"%s\" file=\"%s\" "
             "rc=%s", dir, e->d_name, pr_strerror(rc));
      pr_free(buf);
      rc = PR_OK;
      continue;
    }
    if(nh == cap) {
      int nc = cap ? cap * 2 : 8;
      struct have *nn = pr_realloc(h, (size_t)nc * sizeof(*nn));
      if(!nn) {
        qset_free(qs);
        pr_free(buf);
        rc = PR_ENOMEM;
        goto out;
      }
      h = nn;
      cap = nc;
    }
    pr_strlcpy(h[nh].id, qs->id, sizeof(h[nh].id));
    h[nh].version = qs->version;
    sha256_hex(buf, len, h[nh].sha256);
    pr_strlcpy(h[nh].name, e->d_name, sizeof(h[nh].name));
    nh++;
    qset_free(qs);
    pr_free(buf);
  }
out:
  closedir(d);
  if(rc != PR_OK) {
    pr_seterr(err, "%s: out of memory reading the sets directory", dir);
    pr_free(h);
    return rc;
  }
  *out = h;
  *n = nh;
  return PR_OK;
}

/* The first file in have[0..n) holding set id version, or NULL. */
static const struct have *have_find(const struct have *h, int n,
                                    const char *id, int version)
{
  for(int i = 0; i < n; i++)
    if(h[i].version == version && strcmp(h[i].id, id) == 0)
      return &h[i];
  return NULL;
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
                      struct uplink_reply *rep, long *retry_after, char *err)
{
  enum pr_rc rc = uplink_request(u, "GET", url, token, NULL, 0, rep, err);
  if(rc != PR_OK)
    return rc;
  if(rep->status == 401) {
    pr_seterr(err, "token revoked/unknown (401)");
    rc = PR_EAUTH;
  } else if(rep->status == 429 || rep->status == 503) {
    pr_seterr(err, "server busy (%ld), retry after %ld s", rep->status,
              rep->retry_after);
    if(retry_after && rep->retry_after >= 0)
      *retry_after = rep->retry_after;
    rc = PR_EBUSY;
  } else if(rep->status != 200) {
    pr_seterr(err, "unexpected HTTP status %ld", rep->status);
    rc = PR_EPROTO;
  }
  if(rc != PR_OK)
    uplink_reply_free(rep);
  return rc;
}

/* Fetch and check one set version: its bytes match the list's SHA-256
 * (when given) and the validator accepts it as that id and version.  On
 * PR_OK *rep holds the body (the caller frees it with uplink_reply_free)
 * and sum its SHA-256; otherwise *rep is empty. */
static enum pr_rc fetch_one(struct uplink *u, const char *base,
                            const char *token, const struct wire_set *ws,
                            struct uplink_reply *rep, char sum[65],
                            long *retry_after, char *err)
{
  struct qset *qs = NULL;
  char url[1024], e2[PR_ERR_LEN];
  enum pr_rc rc;

  memset(rep, 0, sizeof(*rep));
  if(snprintf(url, sizeof(url), "%s/api/v1/sets/%s/%d", base, ws->id,
              ws->version) >= (int)sizeof(url)) {
    pr_seterr(err, "set URL too long");
    return PR_EINVAL;
  }
  rc = get(u, url, token, rep, retry_after, err);
  if(rc != PR_OK)
    return rc;
  rc = PR_EPROTO;
  if(!rep->body) {
    pr_seterr(err, "set %s v%d: empty body", ws->id, ws->version);
    goto out;
  }
  sha256_hex(rep->body, rep->len, sum);
  if(ws->sha256[0] && strcmp(sum, ws->sha256) != 0) {
    pr_seterr(err, "set %s v%d: sha256 does not match the list", ws->id,
              ws->version);
    goto out;
  }
  if(qset_load_buffer(ws->id, rep->body, rep->len, &qs, e2) != PR_OK) {
    pr_seterr(err, "set %s v%d refused: %s", ws->id, ws->version, e2);
    goto out;
  }
  if(strcmp(qs->id, ws->id) != 0 || qs->version != ws->version) {
    pr_seterr(err, "set %s v%d: file says %s v%d", ws->id, ws->version,
              qs->id, qs->version);
    goto out;
  }
  rc = PR_OK;
out:
  qset_free(qs);
  if(rc != PR_OK)
    uplink_reply_free(rep);
  return rc;
}

/* The directory already has this id + version in file h: the same bytes
 * are nothing to do (PR_OK), other bytes are PR_ECONFLICT — the local file
 * is never replaced.  Without a SHA-256 in the list the server's copy is
 * fetched to compare. */
static enum pr_rc check_have(struct uplink *u, const char *base,
                             const char *token, const char *dir,
                             const struct wire_set *ws,
                             const struct have *h, long *retry_after,
                             char *err)
{
  struct uplink_reply rep;
  char sum[65];
  enum pr_rc rc;

  if(ws->sha256[0]) {
    pr_strlcpy(sum, ws->sha256, sizeof(sum));
  } else {
    rc = fetch_one(u, base, token, ws, &rep, sum, retry_after, err);
    if(rc != PR_OK)
      return rc;
    uplink_reply_free(&rep);
  }
  if(strcmp(sum, h->sha256) == 0)
    return PR_OK;
  pr_log(PR_LOG_WARN, "sync.set_conflict", "set=%s version=%d dir=\"%s\" "
         "file=\"%s\"", ws->id, ws->version, dir, h->name);
  pr_seterr(err, "set %s v%d: %s/%s holds other content under the same id "
            "and version; not replaced (a changed set needs a higher "
            "version)", ws->id, ws->version, dir, h->name);
  return PR_ECONFLICT;
}

/* Fetch one version the directory lacks and save it under path (which
 * must not exist: set files are never overwritten). */
static enum pr_rc fetch_new(struct uplink *u, const char *base,
                            const char *token, const char *dir,
                            const struct wire_set *ws, const char *path,
                            long *retry_after, char *err)
{
  struct uplink_reply rep;
  struct stat st;
  char sum[65];
  enum pr_rc rc;

  if(stat(path, &st) == 0) {
    /* Not in the scan, so the validator refuses what is there. */
    pr_seterr(err, "set %s v%d: %s exists and is not a valid set; not "
              "replaced", ws->id, ws->version, path);
    return PR_ECONFLICT;
  }
  rc = fetch_one(u, base, token, ws, &rep, sum, retry_after, err);
  if(rc != PR_OK)
    return rc;
  rc = save_atomic(dir, path, rep.body, rep.len, err);
  if(rc == PR_OK)
    pr_log(PR_LOG_INFO, "sync.set_saved", "set=%s version=%d", ws->id,
           ws->version);
  uplink_reply_free(&rep);
  return rc;
}

enum pr_rc setfetch_run(struct uplink *u, const char *base_url,
                        const char *token, const char *sets_dir, int *saved,
                        int *refused, long *retry_after, char *err)
{
  struct uplink_reply rep;
  struct wire_set *sets = NULL;
  struct have *have = NULL;
  int n = 0, got = 0, nh = 0;
  char url[1024], path[1024], e2[PR_ERR_LEN];
  enum pr_rc rc, first = PR_OK;

  if(saved)
    *saved = 0;
  if(refused)
    *refused = 0;
  if(snprintf(url, sizeof(url), "%s/api/v1/sets", base_url) >=
     (int)sizeof(url)) {
    pr_seterr(err, "sets URL too long");
    return PR_EINVAL;
  }
  rc = get(u, url, token, &rep, retry_after, err);
  if(rc != PR_OK)
    return rc;
  rc = wire_parse_sets(rep.body, rep.len, &sets, &n, e2);
  uplink_reply_free(&rep);
  if(rc != PR_OK)
    pr_seterr(err, "not an aggregator reply (set list): %s", e2);
  if(rc != PR_OK || !sets_dir)
    goto out;
  /* By id and version, not by file name: the shipped "<id>.json" already
   * is version 1, and a second copy of it would make the directory
   * ambiguous for every reader. */
  rc = scan_dir(sets_dir, &have, &nh, err);
  if(rc != PR_OK)
    goto out;
  for(int i = 0; i < n; i++) {
    const struct have *h = have_find(have, nh, sets[i].id, sets[i].version);
    if(h) {
      rc = check_have(u, base_url, token, sets_dir, &sets[i], h,
                      retry_after, e2);
    } else if(setfetch_path(sets_dir, sets[i].id, sets[i].version, path,
                            sizeof(path)) != 0) {
      pr_seterr(err, "sets directory path too long");
      rc = PR_EINVAL;
      goto out;
    } else {
      rc = fetch_new(u, base_url, token, sets_dir, &sets[i], path,
                     retry_after, e2);
      if(rc == PR_OK)
        got++;
    }
    if(rc == PR_OK)
      continue;
    pr_log(PR_LOG_WARN, "sync.set_refused", "set=%s version=%d rc=%s",
           sets[i].id, sets[i].version, pr_strerror(rc));
    if(first == PR_OK) {
      first = rc;
      if(err)
        pr_strlcpy(err, e2, PR_ERR_LEN);
    }
    /* Transport and auth failures end the fetch; a bad or conflicting
     * set does not. */
    if(rc != PR_EPROTO && rc != PR_ECONFLICT)
      break;
    if(refused)
      (*refused)++;
  }
  rc = first;
out:
  if(rc == PR_OK && err)
    err[0] = '\0';
  if(saved)
    *saved = got;
  pr_free(have);
  pr_free(sets);
  return rc;
}
