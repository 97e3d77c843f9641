/* This file contains publishing and serving question sets on the
 * aggregator, and the parsed-set cache used to validate uploads.  A set
 * version is stored byte for byte as published with its SHA-256, and
 * never replaced: a different file under the same id+version is refused. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "aggcache.h"
#include "aggsets.h"

static void sha256_hex(const char *buf, size_t len, char out[65])
{
  unsigned char h[crypto_hash_sha256_BYTES];

  crypto_hash_sha256(h, (const unsigned char *)buf, len);
  sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The comparability links of qs against the published set versions they
 * name (qset_check_links); a version not published is no error. */
static enum pr_rc check_links(struct aggdb_conn *c, struct qset *qs,
                              char *err)
{
  enum pr_rc rc = PR_OK;
  for(int i = 0; rc == PR_OK && i < qs->n_questions; i++) {
    const struct qset_question *x = &qs->questions[i];
    struct aggdb_param p[2];
    struct qset *target = NULL, *pair[2];
    char *body = NULL;
    int seen = 0;
    if(x->cmp_version <= 0)
      continue;
    for(int j = 0; j < i; j++)
      seen |= qs->questions[j].cmp_version == x->cmp_version &&
              strcmp(qs->questions[j].cmp_set, x->cmp_set) == 0;
    if(seen)
      continue;
    p[0] = AGGDB_TEXT(x->cmp_set);
    p[1] = AGGDB_INT(x->cmp_version);
    rc = aggdb_query_text(c, "SELECT body FROM sets WHERE id = $1 AND "
                          "version = $2", p, 2, &body, err);
    if(rc == PR_OK && body) {
      rc = qset_load_buffer(x->cmp_set, body, strlen(body), &target, err);
      pair[0] = qs;
      pair[1] = target;
      if(rc == PR_OK)
        rc = qset_check_links(pair, 2, err);
    }
    qset_free(target);
    pr_free(body);
  }
  if(rc == PR_OK)
    rc = qset_check_links(&qs, 1, err);   /* double mappings, no target */
  return rc;
}

enum pr_rc aggsets_publish(struct aggdb *db, const char *name,
                           const char *buf, size_t len, int *already,
                           char *err)
{
  struct qset *qs = NULL;
  struct aggdb_conn *c = NULL;
  char sha[65], *old = NULL, *body = NULL;
  struct aggdb_param p[5];
  enum pr_rc rc;
  long changes = 0;

  if(already)
    *already = 0;
  if(len > AGGSETS_MAX_BODY) {
    pr_seterr(err, "%s: larger than %d bytes", name, AGGSETS_MAX_BODY);
    return PR_ELIMIT;
  }
  if(memchr(buf, '\0', len)) {
    pr_seterr(err, "%s: contains a NUL byte", name);
    return PR_EINVAL;
  }
  rc = qset_load_buffer(name, buf, len, &qs, err);
  if(rc != PR_OK)
    return rc;
  body = pr_strndup(buf, len);
  if(!body) {
    rc = PR_ENOMEM;
    goto out;
  }
  sha256_hex(buf, len, sha);
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    goto out;
  rc = check_links(c, qs, err);
  if(rc != PR_OK)
    goto out;
  p[0] = AGGDB_TEXT(qs->id);
  p[1] = AGGDB_INT(qs->version);
  p[2] = AGGDB_TEXT(body);
  p[3] = AGGDB_TEXT(sha);
  p[4] = AGGDB_INT(pr_now());
  rc = aggdb_exec(c, "INSERT INTO sets (id, version, body, sha256, "
                  "published_at) VALUES ($1, $2, $3, $4, $5) "
                  "ON CONFLICT DO NOTHING", p, 5, &changes, err);
  if(rc != PR_OK)
    goto out;
  if(changes == 0) {
    rc = aggdb_query_text(c, "SELECT sha256 FROM sets WHERE id = $1 AND "
                          "version = $2", p, 2, &old, err);
    if(rc != PR_OK)
      goto out;
    if(!old || strcmp(old, sha)) {
      /* Said so an administrator can act (err is PR_ERR_LEN: the file,
       * the set and version, and the two ways out, in that order). */
      pr_seterr(err, "%s: set %s version %d is already published with "
                "different content; the published one stays: raise "
                "\"version\" in this file, or move the file out of "
                "sets_dir", name, qs->id, qs->version);
      rc = PR_ECONFLICT;
      goto out;
    }
    if(already)
      *already = 1;
  } else {
    pr_log(PR_LOG_INFO, "set_published", "set=%s version=%d sha256=%.16s",
           qs->id, qs->version, sha);
    /* Comparability of versions may change cached figures. */
    rc = aggcache_bump(c, err);
    if(rc != PR_OK)
      goto out;
  }
  rc = PR_OK;
out:
  aggdb_release(c);
  pr_free(old);
  pr_free(body);
  qset_free(qs);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum pr_rc read_file(const char *path, char **out, size_t *len,
                            char *err)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n;

  *out = NULL;
  if(!f) {
    pr_seterr(err, "%s: cannot open: %s", path, strerror(errno));
    return PR_EIO;
  }
  buf = pr_malloc(AGGSETS_MAX_BODY + 1);
  if(!buf) {
    fclose(f);
    return PR_ENOMEM;
  }
  n = fread(buf, 1, AGGSETS_MAX_BODY + 1, f);
  if(ferror(f) || n > AGGSETS_MAX_BODY) {
    int rd = ferror(f);
    pr_seterr(err, "%s: %s", path, rd ? "read error" : "too large");
    fclose(f);
    pr_free(buf);
    return rd ? PR_EIO : PR_ELIMIT;
  }
  fclose(f);
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return PR_OK;
}

enum pr_rc aggsets_seed_dir(struct aggdb *db, const char *dir, int *n_new,
                            char *err)
{
  enum pr_rc rc = PR_OK;
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL, path[1024];
  int n = 0, cap = 0, i;

  if(n_new)
    *n_new = 0;
  if(!d) {
    pr_seterr(err, "%s: cannot open directory: %s", dir, strerror(errno));
    return PR_EIO;
  }
  while((e = readdir(d)) != NULL) {
    size_t l = strlen(e->d_name);
    if(l < 6 || strcmp(e->d_name + l - 5, ".json") || e->d_name[0] == '.')
      continue;
    if(n == cap) {
      int nc = cap ? cap * 2 : 16;
      char **nn = pr_realloc(names, (size_t)nc * sizeof(*nn));
      if(!nn) {
        rc = PR_ENOMEM;
        goto out;
      }
      names = nn;
      cap = nc;
    }
    names[n] = pr_strdup(e->d_name);
    if(!names[n]) {
      rc = PR_ENOMEM;
      goto out;
    }
    n++;
  }
  if(n > 1)
    qsort(names, (size_t)n, sizeof(*names), cmp_str);
  for(i = 0; i < n; i++) {
    char *buf = NULL;
    size_t len = 0;
    int already = 0, w;

    w = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    if(w < 0 || (size_t)w >= sizeof(path)) {
      pr_seterr(err, "%s: path too long", names[i]);
      rc = PR_EINVAL;
      goto out;
    }
    rc = read_file(path, &buf, &len, err);
    if(rc == PR_OK)
      rc = aggsets_publish(db, path, buf, len, &already, err);
    pr_free(buf);
    if(rc != PR_OK)
      goto out;
    if(!already && n_new)
      (*n_new)++;
  }
out:
  for(i = 0; i < n; i++)
    pr_free(names[i]);
  pr_free(names);
  closedir(d);
  return rc;
}

struct cur_list {
  struct aggsets_item *v;
  int n, cap, oom;
};

static int cur_row(void *ctx, int ncol, const char *const *v, const int *nul)
{
  struct cur_list *l = ctx;
  struct aggsets_item *it;
  long ver = 0;

  if(ncol < 3 || nul[0] || nul[1] || nul[2])
    return 0;
  if(PR_GROW(l->v, l->n, l->cap, 8) != 0) {
    l->oom = 1;
    return 1;
  }
  it = &l->v[l->n];
  if(pr_parse_long(v[1], 1, 1000000, &ver) != 0)
    return 0;
  pr_strlcpy(it->id, v[0], sizeof(it->id));
  it->version = (int)ver;
  pr_strlcpy(it->sha256, v[2], sizeof(it->sha256));
  l->n++;
  return 0;
}

enum pr_rc aggsets_current(struct aggdb *db, struct aggsets_item **out,
                           int *n, char *err)
{
  struct cur_list l = { NULL, 0, 0, 0 };
  enum pr_rc rc;

  *out = NULL;
  *n = 0;
  rc = aggdb_query1(db, "SELECT s.id, s.version, s.sha256 FROM sets s "
                    "WHERE s.version = (SELECT MAX(t.version) FROM sets t "
                    "WHERE t.id = s.id) ORDER BY s.id", NULL, 0, cur_row, &l,
                    err);
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

static enum pr_rc get_body(struct aggdb_conn *c, const char *id, int version,
                           char **body, char *err)
{
  struct aggdb_param p[2] = { AGGDB_TEXT(id), AGGDB_INT(version) };
  enum pr_rc rc;

  rc = aggdb_query_text(c, "SELECT body FROM sets WHERE id = $1 AND "
                        "version = $2", p, 2, body, err);
  if(rc == PR_OK && !*body) {
    pr_seterr(err, "no set %s version %d", id, version);
    return PR_ENOTFOUND;
  }
  return rc;
}

enum pr_rc aggsets_get(struct aggdb *db, const char *id, int version,
                       char **body, size_t *len, char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;

  *body = NULL;
  *len = 0;
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = get_body(c, id, version, body, err);
  aggdb_release(c);
  if(rc == PR_OK)
    *len = strlen(*body);
  return rc;
}

struct aggsets_cache {
  pthread_mutex_t mu;
  struct qset **v;
  int n, cap;
};

enum pr_rc aggsets_cache_new(struct aggsets_cache **out)
{
  struct aggsets_cache *sc = pr_calloc(1, sizeof(*sc));

  *out = NULL;
  if(!sc)
    return PR_ENOMEM;
  if(pthread_mutex_init(&sc->mu, NULL)) {
    pr_free(sc);
    return PR_EINTERNAL;
  }
  *out = sc;
  return PR_OK;
}

void aggsets_cache_free(struct aggsets_cache *sc)
{
  if(!sc)
    return;
  qset_free_all(sc->v, sc->n);
  pthread_mutex_destroy(&sc->mu);
  pr_free(sc);
}

static const struct qset *cache_find(struct aggsets_cache *sc,
                                     const char *id, int version)
{
  int i;

  for(i = 0; i < sc->n; i++)
    if(sc->v[i]->version == version && !strcmp(sc->v[i]->id, id))
      return sc->v[i];
  return NULL;
}

const struct qset *aggsets_cache_peek(struct aggsets_cache *sc,
                                      const char *id, int version)
{
  const struct qset *qs;

  pthread_mutex_lock(&sc->mu);
  qs = cache_find(sc, id, version);
  pthread_mutex_unlock(&sc->mu);
  return qs;
}

enum pr_rc aggsets_cache_get(struct aggsets_cache *sc, struct aggdb_conn *c,
                             const char *id, int version,
                             const struct qset **out, char *err)
{
  struct qset *qs = NULL;
  char *body = NULL;
  enum pr_rc rc;

  *out = NULL;
  pthread_mutex_lock(&sc->mu);
  *out = cache_find(sc, id, version);
  pthread_mutex_unlock(&sc->mu);
  if(*out)
    return PR_OK;
  rc = get_body(c, id, version, &body, err);
  if(rc != PR_OK)
    return rc;
  rc = qset_load_buffer(id, body, strlen(body), &qs, err);
  pr_free(body);
  if(rc != PR_OK)
    return rc == PR_EINVAL ? PR_ECORRUPT : rc;
  pthread_mutex_lock(&sc->mu);
  *out = cache_find(sc, id, version);      /* another thread may have won */
  if(!*out) {
    if(PR_GROW(sc->v, sc->n, sc->cap, 8) != 0) {
      pthread_mutex_unlock(&sc->mu);
      qset_free(qs);
      return PR_ENOMEM;
    }
    sc->v[sc->n++] = qs;
    *out = qs;
    qs = NULL;
  }
  pthread_mutex_unlock(&sc->mu);
  qset_free(qs);
  return PR_OK;
}
