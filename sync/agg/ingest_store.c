/* This file contains storing a decoded batch: one transaction holding the
 * new responses, their answers, the pre-aggregated counts and the device's
 * last sync.  Count deltas are summed in memory per key first and written
 * in key order, so concurrent transactions (several processes on
 * PostgreSQL) lock counts rows in the same order and cannot deadlock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ingest.h"
#include "pdate.h"

struct delta {
  char *key;                /* NUL-separated fields, see delta_key */
  size_t key_len;
  const char *unit, *indicator, *mode, *track, *care, *set, *period_kind;
  long period_start;
  int set_version;
  long pos, neg, dk;
};

struct deltas {
  struct delta *v;
  int n, cap;
  int *slots;               /* open addressing: index + 1, 0 = empty */
  int n_slots;
};

static double mono_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned long fnv(const char *s, size_t n)
{
  unsigned long h = 1469598103934665603UL;
  size_t i;

  for(i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211UL;
  }
  return h;
}

static int deltas_grow(struct deltas *d)
{
  int ns = d->n_slots ? d->n_slots * 2 : 64, i;
  int *slots = pr_calloc((size_t)ns, sizeof(*slots));

  if(!slots)
    return -1;
  for(i = 0; i < d->n; i++) {
    unsigned long h = fnv(d->v[i].key, d->v[i].key_len) & (unsigned long)(ns - 1);
    while(slots[h])
      h = (h + 1) & (unsigned long)(ns - 1);
    slots[h] = i + 1;
  }
  pr_free(d->slots);
  d->slots = slots;
  d->n_slots = ns;
  return 0;
}

static void deltas_free(struct deltas *d)
{
  int i;

  for(i = 0; i < d->n; i++)
    pr_free(d->v[i].key);
  pr_free(d->v);
  pr_free(d->slots);
}

/* Find or add the delta for one answer of response r; NULL on ENOMEM. */
static struct delta *deltas_get(struct deltas *d, const struct ingest_resp *r,
                                const char *unit, const char *indicator)
{
  char key[512];
  int w;
  unsigned long h;
  struct delta *e;

  w = snprintf(key, sizeof(key), "%s%c%s%c%s%c%ld%c%s%c%s%c%s%c%s%c%d",
               unit, 0, indicator, 0, r->period_kind, 0, r->period_start, 0, r->mode,
               0, r->track, 0, r->care, 0, r->set, 0, r->version);
  if(w < 0 || (size_t)w >= sizeof(key))
    return NULL;                         /* ids are bounded; cannot happen */
  if(2 * (d->n + 1) > d->n_slots && deltas_grow(d))
    return NULL;
  h = fnv(key, (size_t)w) & (unsigned long)(d->n_slots - 1);
  while(d->slots[h]) {
    e = &d->v[d->slots[h] - 1];
    if(e->key_len == (size_t)w && !memcmp(e->key, key, (size_t)w))
      return e;
    h = (h + 1) & (unsigned long)(d->n_slots - 1);
  }
  if(d->n == d->cap) {
    int cap = d->cap ? 2 * d->cap : 32;
    struct delta *nv = pr_realloc(d->v, (size_t)cap * sizeof(*nv));
    if(!nv)
      return NULL;
    d->v = nv;
    d->cap = cap;
  }
  e = &d->v[d->n];
  memset(e, 0, sizeof(*e));
  e->key = pr_malloc((size_t)w + 1);
  if(!e->key)
    return NULL;
  memcpy(e->key, key, (size_t)w + 1);
  e->key_len = (size_t)w;
  /* Fields point into the key copy: each is NUL-terminated there. */
  {
    const char *p = e->key;
    e->unit = p;       p += strlen(p) + 1;
    e->indicator = p;  p += strlen(p) + 1;
    e->period_kind = p; p += strlen(p) + 1;
    p += strlen(p) + 1;                  /* period_start, kept as a number */
    e->mode = p;       p += strlen(p) + 1;
    e->track = p;      p += strlen(p) + 1;
    e->care = p;       p += strlen(p) + 1;
    e->set = p;
  }
  e->period_start = r->period_start;
  e->set_version = r->version;
  d->slots[h] = d->n + 1;
  d->n++;
  return e;
}

static int delta_cmp(const void *a, const void *b)
{
  const struct delta *x = a, *y = b;
  size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
  int c = memcmp(x->key, y->key, n);

  if(c)
    return c;
  return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

/* No time of arrival is kept per response: kiosks sync soon after a
 * patient finishes, so it would be the finish time (aggschema.c, step 2). */
static const char SQL_RESPONSE[] =
    "INSERT INTO responses (uuid, unit, device, set_id, set_version, mode, "
    "lang, proxy, status, period_kind, period_start, period, track, care, "
    "content_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING";
/* Answers go in up to ANSWER_ROWS rows per statement: one statement per
 * response for the usual 2-6 answers instead of one per answer. */
#define ANSWER_ROWS 5
#define ANSWER_SQL_HEAD "INSERT INTO answers (uuid, question, indicator, " \
                        "option, value, text) VALUES "
static const char *const SQL_ANSWERS[ANSWER_ROWS] = {
  ANSWER_SQL_HEAD "($1, $2, $3, $4, $5, $6)",
  ANSWER_SQL_HEAD "($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)",
  ANSWER_SQL_HEAD "($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12), "
                  "($13, $14, $15, $16, $17, $18)",
  ANSWER_SQL_HEAD "($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12), "
                  "($13, $14, $15, $16, $17, $18), ($19, $20, $21, $22, $23, "
                  "$24)",
  ANSWER_SQL_HEAD "($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12), "
                  "($13, $14, $15, $16, $17, $18), ($19, $20, $21, $22, $23, "
                  "$24), ($25, $26, $27, $28, $29, $30)",
};
static const char SQL_COUNTS[] =
    "INSERT INTO counts (unit, period_kind, period_start, indicator, mode, "
    "track, care, set_id, set_version, pos, neg, dontknow) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (unit, "
    "period_kind, period_start, indicator, mode, track, care, set_id, "
    "set_version) DO UPDATE SET pos = counts.pos + excluded.pos, "
    "neg = counts.neg + excluded.neg, "
    "dontknow = counts.dontknow + excluded.dontknow";

static enum pr_rc store_answers(struct aggdb_conn *c, const struct qset *qs,
                                const struct ingest_resp *r, const char *unit,
                                struct deltas *d, char *err)
{
  static const char *const vnames[] = { "neg", "pos", "dontknow" };
  struct aggdb_param all[ANSWER_ROWS * 6];
  enum pr_rc rc;
  int i, rows = 0;

  for(i = 0; i < r->n_answers; i++) {
    const struct ingest_answer *an = &r->answers[i];
    int qi = qset_find_question(qs, an->q);
    const struct qset_question *q = &qs->questions[qi];
    struct aggdb_param *p = &all[rows * 6];
    enum qset_value val = QSET_NEGATIVE;

    p[0] = AGGDB_TEXT(r->uuid);
    p[1] = AGGDB_TEXT(an->q);
    p[2] = AGGDB_TEXT(q->indicator);
    if(an->text) {
      p[3] = AGGDB_NULL;
      p[4] = AGGDB_NULL;
      p[5] = AGGDB_TEXT(an->text);
    } else {
      int opt = qset_option_index(qset_question_scale(qs, qi), an->a);
      val = qset_classify(qs, qi, opt);
      p[3] = AGGDB_TEXT(an->a);
      p[4] = AGGDB_TEXT(vnames[val]);
      p[5] = AGGDB_NULL;
    }
    rows++;
    if(rows == ANSWER_ROWS || i == r->n_answers - 1) {
      rc = aggdb_exec(c, SQL_ANSWERS[rows - 1], all, rows * 6, NULL, err);
      if(rc != PR_OK)
        return rc;
      rows = 0;
    }
    if(!an->text && q->indicator[0]) {
      struct delta *e = deltas_get(d, r, unit, q->indicator);
      if(!e)
        return PR_ENOMEM;
      if(val == QSET_POSITIVE)
        e->pos++;
      else if(val == QSET_DONTKNOW)
        e->dk++;
      else
        e->neg++;
    }
  }
  return PR_OK;
}

/* Insert r; on a uuid already present decide duplicate or conflict. */
static enum pr_rc store_one(struct aggdb_conn *c, const struct aggdev *dev,
                            const struct qset *qs, struct ingest_resp *r,
                            struct deltas *d, char *err)
{
  struct aggdb_param p[15];
  long changes = 0;
  char *old = NULL;
  enum pr_rc rc;

  p[0] = AGGDB_TEXT(r->uuid);
  p[1] = AGGDB_TEXT(dev->unit);
  p[2] = AGGDB_TEXT(dev->id);
  p[3] = AGGDB_TEXT(r->set);
  p[4] = AGGDB_INT(r->version);
  p[5] = AGGDB_TEXT(r->mode);
  p[6] = AGGDB_TEXT(r->lang);
  p[7] = AGGDB_INT(r->proxy);
  p[8] = AGGDB_TEXT(r->status);
  p[9] = AGGDB_TEXT(r->period_kind);
  p[10] = AGGDB_INT(r->period_start);
  p[11] = AGGDB_TEXT(r->period);
  p[12] = AGGDB_TEXT(r->track);
  p[13] = AGGDB_TEXT(r->care);
  p[14] = AGGDB_TEXT(r->hash);
  rc = aggdb_exec(c, SQL_RESPONSE, p, 15, &changes, err);
  if(rc != PR_OK)
    return rc;
  if(changes == 1) {
    r->result = INGEST_STORED;
    return store_answers(c, qs, r, dev->unit, d, err);
  }
  rc = aggdb_query_text(c, "SELECT content_hash FROM responses WHERE "
                        "uuid = $1", p, 1, &old, err);
  if(rc != PR_OK)
    return rc;
  if(old && !strcmp(old, r->hash)) {
    r->result = INGEST_DUPLICATE;
  } else {
    r->result = INGEST_REJECTED;
    snprintf(r->reason, sizeof(r->reason), "conflict: uuid already stored "
             "with different content");
    pr_log(PR_LOG_WARN, "response_conflict", "uuid=%s device=%s unit=%s",
           r->uuid, dev->id, dev->unit);
  }
  pr_free(old);
  return PR_OK;
}

/* Validate and insert the responses of one batch inside the open
 * transaction, filling results and the tally. */
static enum pr_rc store_batch(struct aggdb_conn *c, struct aggsets_cache *sc,
                              struct ingest_job *j, struct deltas *d,
                              long long now, char *err)
{
  long today = (long)(now / 86400);
  enum pr_rc rc;
  int i, logged = 0;

  memset(&j->t, 0, sizeof(j->t));
  for(i = 0; i < j->b->n; i++) {
    struct ingest_resp *r = &j->b->r[i];
    const struct qset *qs = NULL;
    char sub[PR_ERR_LEN];

    if(r->result == INGEST_PENDING && r->qs) {
      rc = store_one(c, j->dev, r->qs, r, d, err);   /* prepared */
      if(rc != PR_OK)
        return rc;
    } else if(r->result == INGEST_PENDING) {
      rc = aggsets_cache_get(sc, c, r->set, r->version, &qs, sub);
      if(rc == PR_ENOTFOUND) {
        snprintf(r->reason, sizeof(r->reason), "unknown set or version: "
                 "%s v%d", r->set, r->version);
        r->result = INGEST_REJECTED;
      } else if(rc != PR_OK) {
        pr_seterr(err, "%s", sub);
        return rc;
      } else if(ingest_check(r, qs, today) == 0) {
        rc = store_one(c, j->dev, qs, r, d, err);
        if(rc != PR_OK)
          return rc;
      }
    }
    if(r->result == INGEST_STORED)
      j->t.stored++;
    else if(r->result == INGEST_DUPLICATE)
      j->t.duplicates++;
    else if(r->result == INGEST_REJECTED) {
      j->t.rejected++;
      if(logged++ < 5)
        pr_log(PR_LOG_INFO, "response_rejected", "uuid=%s device=%s "
               "reason=\"%s\"", r->uuid, j->dev->id, r->reason);
    }
  }
  /* The device's last contact, to the hour (aggdev.h): nothing here may
   * time a single response. */
  return aggdev_seen(c, j->dev, now, err);
}

enum pr_rc ingest_prepare(struct aggdb *db, struct aggsets_cache *sc,
                          struct ingest_batch *b, char *err)
{
  struct aggdb_conn *c = NULL;
  long today = (long)(pr_now() / 86400);
  enum pr_rc rc = PR_OK;
  int i;

  for(i = 0; i < b->n; i++) {
    struct ingest_resp *r = &b->r[i];
    const struct qset *qs;

    if(r->result != INGEST_PENDING)
      continue;
    qs = aggsets_cache_peek(sc, r->set, r->version);
    if(!qs) {
      if(!c && (rc = aggdb_acquire(db, &c, err)) != PR_OK)
        break;
      rc = aggsets_cache_get(sc, c, r->set, r->version, &qs, err);
      if(rc == PR_ENOTFOUND) {
        snprintf(r->reason, sizeof(r->reason), "unknown set or version: "
                 "%s v%d", r->set, r->version);
        r->result = INGEST_REJECTED;
        rc = PR_OK;
        continue;
      }
      if(rc != PR_OK)
        break;
    }
    if(ingest_check(r, qs, today) == 0)
      r->qs = qs;
  }
  aggdb_release(c);
  return rc;
}

enum pr_rc ingest_store_group(struct aggdb *db, struct aggsets_cache *sc,
                              struct ingest_job *jobs, int n, char *err)
{
  struct aggdb_conn *c = NULL;
  struct deltas d;
  long long now = pr_now();
  double t_start = mono_ms(), t_commit;
  enum pr_rc rc;
  int i, k;

  memset(&d, 0, sizeof(d));
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    goto out;
  rc = aggdb_begin(c, err);
  if(rc != PR_OK)
    goto out;
  for(k = 0; k < n; k++) {
    rc = store_batch(c, sc, &jobs[k], &d, now, err);
    if(rc != PR_OK)
      goto out;
  }
  if(d.n > 1)
    qsort(d.v, (size_t)d.n, sizeof(*d.v), delta_cmp);
  for(i = 0; i < d.n; i++) {
    const struct delta *e = &d.v[i];
    struct aggdb_param p[12] = {
      AGGDB_TEXT(e->unit), AGGDB_TEXT(e->period_kind),
      AGGDB_INT(e->period_start), AGGDB_TEXT(e->indicator),
      AGGDB_TEXT(e->mode), AGGDB_TEXT(e->track), AGGDB_TEXT(e->care),
      AGGDB_TEXT(e->set), AGGDB_INT(e->set_version), AGGDB_INT(e->pos),
      AGGDB_INT(e->neg), AGGDB_INT(e->dk) };
    rc = aggdb_exec(c, SQL_COUNTS, p, 12, NULL, err);
    if(rc != PR_OK)
      goto out;
  }
  t_commit = mono_ms();
  rc = aggdb_commit(c, err);
  pr_log(PR_LOG_DEBUG, "ingest_commit", "work_ms=%.1f commit_ms=%.1f",
         t_commit - t_start, mono_ms() - t_commit);
out:
  if(rc != PR_OK) {
    /* Nothing of these batches is stored: forget every verdict so a
     * caller cannot acknowledge by mistake. */
    for(k = 0; k < n; k++) {
      memset(&jobs[k].t, 0, sizeof(jobs[k].t));
      for(i = 0; i < jobs[k].b->n; i++)
        if(jobs[k].b->r[i].result != INGEST_REJECTED)
          jobs[k].b->r[i].result = INGEST_PENDING;
    }
  }
  aggdb_release(c);           /* rolls back when not committed */
  deltas_free(&d);
  return rc;
}

enum pr_rc ingest_store(struct aggdb *db, struct aggsets_cache *sc,
                        const struct aggdev *dev, struct ingest_batch *b,
                        struct ingest_tally *t, char *err)
{
  struct ingest_job j;
  enum pr_rc rc;

  memset(&j, 0, sizeof(j));
  j.dev = dev;
  j.b = b;
  rc = ingest_store_group(db, sc, &j, 1, err);
  if(t)
    *t = j.t;
  return rc;
}

/* A reason may quote ids from the request cut at a byte limit: drop a
 * split UTF-8 sequence at its end rather than fail the reply. */
static json_t *reason_json(const char *reason)
{
  size_t n = strlen(reason);
  json_t *j = NULL;
  int tries;

  for(tries = 0; tries < 4 && !j; tries++)
    j = json_stringn(reason, n >= (size_t)tries ? n - (size_t)tries : 0);
  return j ? j : json_string("rejected");
}

enum pr_rc ingest_reply(const struct ingest_batch *b, char **out, size_t *len)
{
  static const char *const names[] = { NULL, "stored", "duplicate",
                                       "rejected" };
  json_t *root = NULL, *arr = NULL;
  char *s = NULL;
  enum pr_rc rc = PR_ENOMEM;
  int i;

  *out = NULL;
  *len = 0;
  root = json_object();
  arr = json_array();
  if(!root || !arr || json_object_set_new(root, "protocol",
                                          json_integer(INGEST_PROTOCOL)))
    goto out;
  for(i = 0; i < b->n; i++) {
    const struct ingest_resp *r = &b->r[i];
    json_t *o;

    if(r->result == INGEST_PENDING) {
      rc = PR_EINTERNAL;         /* every response must have a verdict */
      goto out;
    }
    o = json_pack("{s:s, s:s}", "uuid", r->uuid, "status", names[r->result]);
    if(!o)
      goto out;
    if(r->result == INGEST_REJECTED &&
       json_object_set_new(o, "reason", reason_json(r->reason))) {
      json_decref(o);
      goto out;
    }
    if(json_array_append_new(arr, o))
      goto out;
  }
  if(json_object_set(root, "results", arr))
    goto out;
  s = json_dumps(root, JSON_COMPACT);
  if(!s)
    goto out;
  *len = strlen(s);
  *out = s;
  rc = PR_OK;
out:
  json_decref(arr);
  json_decref(root);
  return rc;
}
