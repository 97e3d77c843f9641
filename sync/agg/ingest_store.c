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
#include <pthread.h>

#include "aggcache.h"
#include "dashbuf.h"
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
 * patient finishes, so it would be the finish time (aggschema.c, step 2).
 * Rows go in as multi-row INSERTs (aggdb_values_sql) of up to *_CHUNK rows:
 * one round trip per chunk of responses instead of one per response
 * (answers and counts are pipelined on PostgreSQL besides, aggdb_pg.c). */
#define RESP_COLS 15
#define RESP_CHUNK 64
#define ANS_COLS 6
#define ANS_CHUNK 128
#define CNT_COLS 12
#define CNT_CHUNK 64
#define SQL_CAP 32768
static const char SQL_RESPONSES_HEAD[] =
    "INSERT INTO responses (uuid, unit, device, set_id, set_version, mode, "
    "lang, proxy, status, period_kind, period_start, period, track, care, "
    "content_hash) VALUES ";
static const char SQL_RESPONSES_TAIL[] = " ON CONFLICT DO NOTHING RETURNING uuid";
static const char SQL_ANSWERS_HEAD[] =
    "INSERT INTO answers (uuid, question, indicator, option, value, text) "
    "VALUES ";
static const char SQL_COUNTS_HEAD[] =
    "INSERT INTO counts (unit, period_kind, period_start, indicator, mode, "
    "track, care, set_id, set_version, pos, neg, dontknow) VALUES ";
static const char SQL_COUNTS_TAIL[] =
    " ON CONFLICT (unit, "
    "period_kind, period_start, indicator, mode, track, care, set_id, "
    "set_version) DO UPDATE SET pos = counts.pos + excluded.pos, "
    "neg = counts.neg + excluded.neg, "
    "dontknow = counts.dontknow + excluded.dontknow";

/* Component "ingest": what one stored response costs to write.
 *
 * Measured through the HTTPS harness (tests/bench/bench_pg.sh, 50,000
 * responses): on SQLite every group commit wrote ~23 kB of WAL per
 * response, because each response landed on a random leaf of five uuid-
 * ordered B-trees (responses, its three secondary indexes, answers) and
 * each dirty 4 kB page is written whole.  Step 1:
 *  - drops responses_mode_period and responses_mode_unit_period
 *    ("aggregates"): the phone follow-up figures moved to phone_month and
 *    phone_cut (kept by triggers), and no query filters responses by mode
 *    any more — commentq.c reads responses by (unit, period_start), which
 *    agg's responses_unit_period serves;
 *  - makes answers append-only: rows in arrival order (a rowid table on
 *    SQLite, the heap on PostgreSQL) without the (uuid, question) key.
 *    Uniqueness holds by construction: answers are written only for a
 *    response whose row this transaction inserted (ON CONFLICT DO NOTHING
 *    RETURNING uuid), and ingest_decode refuses a question answered twice.
 *    The only read by uuid is of free-text answers (commentq.c's join), so
 *    a partial index on uuid WHERE text IS NOT NULL (one kiosk response in
 *    ten has a comment) replaces the key.
 * Written per stored response on SQLite (rost-agg's write bytes, WAL and
 * checkpoints): 23 kB before, 8.5 kB after step 1, 4.7 kB after step 2;
 * the PostgreSQL backend's CPU per response about halved by step 1.  An existing SQLite database is
 * copied into the new answers table in the step's transaction; on
 * PostgreSQL the key is dropped in place (all partitions). */
static const struct aggdb_step ingest_steps[] = {
  {1, NULL,
   "DROP INDEX IF EXISTS responses_mode_period;"
   "DROP INDEX IF EXISTS responses_mode_unit_period;"
   "CREATE TABLE answers_heap (uuid TEXT NOT NULL, question TEXT NOT NULL,"
   " indicator TEXT NOT NULL, option TEXT, value TEXT, text TEXT);"
   "INSERT INTO answers_heap (uuid, question, indicator, option, value, text)"
   " SELECT uuid, question, indicator, option, value, text FROM answers;"
   "DROP TABLE answers;"
   "ALTER TABLE answers_heap RENAME TO answers;"
   "CREATE INDEX answers_text ON answers (uuid) WHERE text IS NOT NULL;",
   /* Only once "pg" step 2 has partitioned answers: its conversion copies
    * the primary key and needs one. */
   "DROP INDEX IF EXISTS responses_mode_period;"
   "DROP INDEX IF EXISTS responses_mode_unit_period;"
   "DO $d$ BEGIN IF (SELECT relkind FROM pg_class WHERE oid ="
   " to_regclass('answers')) = 'p' THEN"
   " ALTER TABLE answers DROP CONSTRAINT IF EXISTS answers_pkey;"
   " END IF; END $d$;"
   "CREATE INDEX IF NOT EXISTS answers_text ON answers (uuid)"
   " WHERE text IS NOT NULL;"},
};

/* Step 2, SQLite only: responses becomes a rowid table — rows appended in
 * arrival order, the uuid key a slim UNIQUE index beside them — instead
 * of full rows ordered by random uuid (another ~4 kB written per response,
 * measured as for step 1).  ON CONFLICT DO NOTHING and the lookup by uuid
 * work as before.  SQLite cannot rename a table's indexes and triggers
 * onto a copy, so the step re-makes those of the old table (other
 * components' phone triggers, responses_unit_period) from their own
 * definitions, read just before; PostgreSQL's heap is append-only
 * already, so the step does nothing there.  The copy names every column:
 * a column added by a later step would make the INSERT fail, and the
 * whole step roll back, rather than be dropped. */
#define INGEST_RESP_HEAP \
    "CREATE TABLE responses_heap (uuid TEXT NOT NULL UNIQUE," \
    " unit TEXT NOT NULL, device TEXT NOT NULL, set_id TEXT NOT NULL," \
    " set_version BIGINT NOT NULL, mode TEXT NOT NULL, lang TEXT NOT NULL," \
    " proxy BIGINT NOT NULL, status TEXT NOT NULL, period_kind TEXT NOT NULL,"\
    " period_start BIGINT NOT NULL, period TEXT NOT NULL, track TEXT NOT NULL,"\
    " care TEXT NOT NULL, content_hash TEXT NOT NULL);" \
    "INSERT INTO responses_heap SELECT * FROM responses;" \
    "DROP TABLE responses;" \
    "ALTER TABLE responses_heap RENAME TO responses;"

static int schema_sql_cb(void *ctx, int ncol, const char *const *vals,
                         const int *isnull)
{
  struct dashbuf *b = ctx;

  if(ncol >= 1 && !isnull[0]) {
    dashbuf_add(b, vals[0]);
    dashbuf_add(b, ";");
  }
  return 0;
}

/* The step 2 script for this SQLite database; *out is the caller's. */
static enum pr_rc resp_heap_script(struct aggdb *db, char **out, char *err)
{
  struct aggdb_conn *c = NULL;
  struct dashbuf b;
  enum pr_rc rc;

  *out = NULL;
  dashbuf_init(&b);
  dashbuf_add(&b, INGEST_RESP_HEAP);
  rc = aggdb_acquire(db, &c, err);
  if(rc == PR_OK)
    rc = aggdb_query(c, "SELECT sql FROM sqlite_master WHERE tbl_name ="
                     " 'responses' AND type IN ('index', 'trigger') AND sql"
                     " IS NOT NULL ORDER BY type, name", NULL, 0,
                     schema_sql_cb, &b, err);
  aggdb_release(c);
  if(rc == PR_OK)
    rc = dashbuf_status(&b);
  if(rc == PR_OK)
    *out = dashbuf_take(&b, NULL);
  dashbuf_free(&b);
  return rc;
}

enum pr_rc ingest_migrate(struct aggdb *db, char *err)
{
  struct aggdb_step steps[PR_ARRAY_LEN(ingest_steps) + 1];
  char *heap = NULL;
  enum pr_rc rc;
  int ver = 0;

  memcpy(steps, ingest_steps, sizeof(ingest_steps));
  memset(&steps[PR_ARRAY_LEN(ingest_steps)], 0, sizeof(steps[0]));
  steps[PR_ARRAY_LEN(ingest_steps)].version = 2;
  /* Step 1 first: the definitions step 2 copies are those it left. */
  rc = aggdb_migrate(db, "ingest", ingest_steps,
                     (int)PR_ARRAY_LEN(ingest_steps), err);
  if(rc == PR_OK)
    rc = aggdb_schema_version(db, "ingest", &ver, err);
  if(rc == PR_OK && ver < 2 && aggdb_dialect(db) == AGGDB_SQLITE)
    rc = resp_heap_script(db, &heap, err);
  steps[PR_ARRAY_LEN(ingest_steps)].sql_sqlite = heap;
  if(rc == PR_OK)
    rc = aggdb_migrate(db, "ingest", steps, (int)PR_ARRAY_LEN(steps), err);
  pr_free(heap);
  return rc;
}

/* A response to insert, with the device and set it was checked against. */
struct cand {
  struct ingest_resp *r;
  const struct aggdev *dev;
  const struct qset *qs;
};

/* One group's scratch: parameters and statement text of one chunk, the
 * answer rows waiting for their statement, the counts deltas. */
struct work {
  struct aggdb_conn *c;
  struct aggdb_param *p;          /* AGGDB_MAX_PARAMS */
  struct aggdb_param *ans;        /* ANS_CHUNK rows of ANS_COLS */
  int n_ans;
  struct deltas d;
};

/* Rows in the next statement: the largest power of two <= left and max,
 * so a few statement texts serve every batch size. */
static int chunk_rows(int left, int max)
{
  int k = 1;

  while(k * 2 <= left && k * 2 <= max)
    k *= 2;
  return k;
}

/* The statement texts, built once per process: [table][log2 rows]. */
enum { T_RESP, T_ANS, T_CNT, N_TABLES };
#define N_SIZES 8                        /* 1 .. 128 rows */
static char *sql_text[N_TABLES][N_SIZES];
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

static void sql_build(void)
{
  static const struct { const char *head, *tail; int ncols, max; } t[] = {
    { SQL_RESPONSES_HEAD, SQL_RESPONSES_TAIL, RESP_COLS, RESP_CHUNK },
    { SQL_ANSWERS_HEAD, "", ANS_COLS, ANS_CHUNK },
    { SQL_COUNTS_HEAD, SQL_COUNTS_TAIL, CNT_COLS, CNT_CHUNK } };
  int i, k;

  for(i = 0; i < N_TABLES; i++)
    for(k = 0; k < N_SIZES && (1 << k) <= t[i].max; k++) {
      char *b = pr_malloc(SQL_CAP);

      if(b && aggdb_values_sql(b, SQL_CAP, t[i].head, t[i].ncols, 1 << k,
                               t[i].tail) == PR_OK)
        sql_text[i][k] = pr_strdup(b);   /* NULL: insert_rows says so */
      pr_free(b);
    }
}

/* One multi-row INSERT of `rows` rows (a power of two) of table t. */
static enum pr_rc insert_rows(struct work *w, int t, int ncols, int rows,
                              const struct aggdb_param *p,
                              aggdb_row_fn fn, void *ctx, char *err)
{
  int k = 0;

  pthread_once(&sql_once, sql_build);
  while((1 << k) < rows)
    k++;
  if(k >= N_SIZES || !sql_text[t][k]) {
    pr_seterr(err, "ingest: no statement for %d rows", rows);
    return PR_ENOMEM;
  }
  if(fn)
    return aggdb_query(w->c, sql_text[t][k], p, rows * ncols, fn, ctx, err);
  return aggdb_exec(w->c, sql_text[t][k], p, rows * ncols, NULL, err);
}

/* Write the waiting answer rows: all of them, or only full chunks. */
static enum pr_rc flush_answers(struct work *w, int all, char *err)
{
  int done = 0;
  enum pr_rc rc;

  while(w->n_ans - done >= (all ? 1 : ANS_CHUNK)) {
    int k = chunk_rows(w->n_ans - done, ANS_CHUNK);

    rc = insert_rows(w, T_ANS, ANS_COLS, k, w->ans + (size_t)done * ANS_COLS,
                     NULL, NULL, err);
    if(rc != PR_OK)
      return rc;
    done += k;
  }
  if(done && done < w->n_ans)
    memmove(w->ans, w->ans + (size_t)done * ANS_COLS,
            (size_t)(w->n_ans - done) * ANS_COLS * sizeof(*w->ans));
  w->n_ans -= done;
  return PR_OK;
}

/* Queue the answer rows of stored response r and add its counts. */
static enum pr_rc store_answers(struct work *w, const struct qset *qs,
                                const struct ingest_resp *r, const char *unit,
                                char *err)
{
  static const char *const vnames[] = { "neg", "pos", "dontknow" };
  enum pr_rc rc;
  int i;

  for(i = 0; i < r->n_answers; i++) {
    const struct ingest_answer *an = &r->answers[i];
    int qi = qset_find_question(qs, an->q);
    const struct qset_question *q = &qs->questions[qi];
    struct aggdb_param *p;
    enum qset_value val = QSET_NEGATIVE;

    if(w->n_ans == ANS_CHUNK && (rc = flush_answers(w, 0, err)) != PR_OK)
      return rc;
    p = &w->ans[(size_t)w->n_ans++ * ANS_COLS];
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
    if(!an->text && q->indicator[0]) {
      struct delta *e = deltas_get(&w->d, r, unit, q->indicator);
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

/* A uuid the INSERT skipped is stored already: the same content is a
 * duplicate, other content a conflict. */
static enum pr_rc judge_existing(struct work *w, const struct cand *k,
                                 char *err)
{
  struct aggdb_param p = AGGDB_TEXT(k->r->uuid);
  char *old = NULL;
  enum pr_rc rc;

  rc = aggdb_query_text(w->c, "SELECT content_hash FROM responses WHERE "
                        "uuid = $1", &p, 1, &old, err);
  if(rc != PR_OK)
    return rc;
  if(old && !strcmp(old, k->r->hash)) {
    k->r->result = INGEST_DUPLICATE;
  } else {
    k->r->result = INGEST_REJECTED;
    snprintf(k->r->reason, sizeof(k->r->reason), "conflict: uuid already "
             "stored with different content");
    pr_log(PR_LOG_WARN, "response_conflict", "uuid=%s device=%s unit=%s",
           k->r->uuid, k->dev->id, k->dev->unit);
  }
  pr_free(old);
  return PR_OK;
}

struct returned {
  const struct cand *k;
  int n;
};

/* RETURNING uuid: the rows this INSERT stored. */
static int on_returned(void *ctx, int ncol, const char *const *vals,
                       const int *isnull)
{
  struct returned *rt = ctx;
  int i;

  if(ncol < 1 || isnull[0])
    return 0;
  for(i = 0; i < rt->n; i++)
    if(rt->k[i].r->result == INGEST_PENDING &&
       !strcmp(rt->k[i].r->uuid, vals[0])) {
      rt->k[i].r->result = INGEST_STORED;
      break;
    }
  return 0;
}

/* Insert n candidates with distinct uuids, chunk by chunk, then their
 * answers; judge the ones already stored. */
static enum pr_rc insert_cands(struct work *w, const struct cand *k, int n,
                               char *err)
{
  enum pr_rc rc;
  int at = 0, i;

  while(at < n) {
    int rows = chunk_rows(n - at, RESP_CHUNK);
    struct returned rt = { k + at, rows };

    for(i = 0; i < rows; i++) {
      const struct ingest_resp *r = k[at + i].r;
      struct aggdb_param *p = &w->p[i * RESP_COLS];

      p[0] = AGGDB_TEXT(r->uuid);
      p[1] = AGGDB_TEXT(k[at + i].dev->unit);
      p[2] = AGGDB_TEXT(k[at + i].dev->id);
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
    }
    rc = insert_rows(w, T_RESP, RESP_COLS, rows, w->p, on_returned, &rt, err);
    if(rc != PR_OK)
      return rc;
    for(i = at; i < at + rows; i++) {
      if(k[i].r->result == INGEST_STORED)
        rc = store_answers(w, k[i].qs, k[i].r, k[i].dev->unit, err);
      else
        rc = judge_existing(w, &k[i], err);
      if(rc != PR_OK)
        return rc;
    }
    at += rows;
  }
  return PR_OK;
}

/* Insert every candidate: a uuid that comes twice in the group waits for
 * the next round, where the first one's row decides it (duplicate or
 * conflict), as if it had come in a later request. */
static enum pr_rc insert_all(struct work *w, struct cand *k, int n, char *err)
{
  int *seen = NULL, n_slots = 64, rounds;
  enum pr_rc rc = PR_OK;

  while(n_slots < 2 * n)
    n_slots *= 2;
  seen = pr_malloc((size_t)n_slots * sizeof(*seen));
  if(!seen)
    return PR_ENOMEM;
  for(rounds = 0; n > 0 && rc == PR_OK; rounds++) {
    int first = 0, i;

    memset(seen, 0, (size_t)n_slots * sizeof(*seen));
    /* Stable partition: first occurrences to the front. */
    for(i = 0; i < n; i++) {
      unsigned long h = fnv(k[i].r->uuid, strlen(k[i].r->uuid)) &
                        (unsigned long)(n_slots - 1);
      int dup = 0;

      while(seen[h]) {
        if(!strcmp(k[seen[h] - 1].r->uuid, k[i].r->uuid)) {
          dup = 1;
          break;
        }
        h = (h + 1) & (unsigned long)(n_slots - 1);
      }
      if(dup)
        continue;
      if(i != first) {
        struct cand t = k[i];
        memmove(k + first + 1, k + first, (size_t)(i - first) * sizeof(*k));
        k[first] = t;
      }
      seen[h] = first + 1;
      first++;
    }
    rc = insert_cands(w, k, first, err);
    k += first;
    n -= first;
  }
  pr_free(seen);
  return rc;
}

/* Check the responses of one batch (those ingest_prepare left) and add
 * the ones to insert to k[*n]. */
static enum pr_rc collect_batch(struct aggdb_conn *c, struct aggsets_cache *sc,
                                struct ingest_job *j, long today,
                                struct cand *k, int *n, char *err)
{
  enum pr_rc rc;
  int i;

  for(i = 0; i < j->b->n; i++) {
    struct ingest_resp *r = &j->b->r[i];
    const struct qset *qs = NULL;
    char sub[PR_ERR_LEN];

    if(r->result != INGEST_PENDING)
      continue;
    if(r->qs) {
      qs = r->qs;                                    /* prepared */
    } else {
      rc = aggsets_cache_get(sc, c, r->set, r->version, &qs, sub);
      if(rc == PR_ENOTFOUND) {
        snprintf(r->reason, sizeof(r->reason), "unknown set or version: "
                 "%s v%d", r->set, r->version);
        r->result = INGEST_REJECTED;
        continue;
      } else if(rc != PR_OK) {
        pr_seterr(err, "%s", sub);
        return rc;
      } else if(ingest_check(r, qs, today) != 0) {
        continue;
      }
    }
    k[(*n)++] = (struct cand){ r, j->dev, qs };
  }
  return PR_OK;
}

/* Results into the job's tally; the device's last contact, to the hour
 * (aggdev.h): nothing here may time a single response. */
static enum pr_rc finish_batch(struct aggdb_conn *c, struct ingest_job *j,
                               long long now, char *err)
{
  int i, logged = 0;

  memset(&j->t, 0, sizeof(j->t));
  for(i = 0; i < j->b->n; i++) {
    struct ingest_resp *r = &j->b->r[i];

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
  struct work w;
  struct cand *k = NULL;
  long long now = pr_now();
  double t_start = mono_ms(), t_commit;
  enum pr_rc rc;
  int i, nk = 0, total = 0, at;

  memset(&w, 0, sizeof(w));
  for(i = 0; i < n; i++)
    total += jobs[i].b->n;
  w.p = pr_malloc(AGGDB_MAX_PARAMS * sizeof(*w.p));
  w.ans = pr_malloc((size_t)ANS_CHUNK * ANS_COLS * sizeof(*w.ans));
  k = pr_malloc((size_t)(total ? total : 1) * sizeof(*k));
  if(!w.p || !w.ans || !k) {
    rc = PR_ENOMEM;
    goto out;
  }
  rc = aggdb_acquire(db, &w.c, err);
  if(rc != PR_OK)
    goto out;
  rc = aggdb_begin(w.c, err);
  if(rc != PR_OK)
    goto out;
  for(i = 0; i < n; i++) {
    rc = collect_batch(w.c, sc, &jobs[i], (long)(now / 86400), k, &nk, err);
    if(rc != PR_OK)
      goto out;
  }
  rc = insert_all(&w, k, nk, err);
  if(rc == PR_OK)
    rc = flush_answers(&w, 1, err);
  if(rc != PR_OK)
    goto out;
  if(w.d.n > 1)
    qsort(w.d.v, (size_t)w.d.n, sizeof(*w.d.v), delta_cmp);
  for(at = 0; at < w.d.n;) {
    int rows = chunk_rows(w.d.n - at, CNT_CHUNK);

    for(i = 0; i < rows; i++) {
      const struct delta *e = &w.d.v[at + i];
      struct aggdb_param *p = &w.p[i * CNT_COLS];

      p[0] = AGGDB_TEXT(e->unit);
      p[1] = AGGDB_TEXT(e->period_kind);
      p[2] = AGGDB_INT(e->period_start);
      p[3] = AGGDB_TEXT(e->indicator);
      p[4] = AGGDB_TEXT(e->mode);
      p[5] = AGGDB_TEXT(e->track);
      p[6] = AGGDB_TEXT(e->care);
      p[7] = AGGDB_TEXT(e->set);
      p[8] = AGGDB_INT(e->set_version);
      p[9] = AGGDB_INT(e->pos);
      p[10] = AGGDB_INT(e->neg);
      p[11] = AGGDB_INT(e->dk);
    }
    rc = insert_rows(&w, T_CNT, CNT_COLS, rows, w.p, NULL, NULL, err);
    if(rc != PR_OK)
      goto out;
    at += rows;
  }
  for(i = 0; i < n; i++) {
    rc = finish_batch(w.c, &jobs[i], now, err);
    if(rc != PR_OK)
      goto out;
  }
  /* Cached figures and comments (indicq.c, commentq.c) are old once
   * this commits, when it stored anything. */
  for(i = 0, at = 0; i < n; i++)
    at += jobs[i].t.stored > 0;
  if(at > 0 && (rc = aggcache_bump(w.c, err)) != PR_OK)
    goto out;
  t_commit = mono_ms();
  rc = aggdb_commit(w.c, err);
  pr_log(PR_LOG_DEBUG, "ingest_commit", "work_ms=%.1f commit_ms=%.1f",
         t_commit - t_start, mono_ms() - t_commit);
out:
  if(rc != PR_OK) {
    /* Nothing of these batches is stored: forget every verdict so a
     * caller cannot acknowledge by mistake. */
    for(i = 0; i < n; i++) {
      int r;

      memset(&jobs[i].t, 0, sizeof(jobs[i].t));
      for(r = 0; r < jobs[i].b->n; r++)
        if(jobs[i].b->r[r].result != INGEST_REJECTED)
          jobs[i].b->r[r].result = INGEST_PENDING;
    }
  }
  aggdb_release(w.c);           /* rolls back when not committed */
  deltas_free(&w.d);
  pr_free(w.p);
  pr_free(w.ans);
  pr_free(k);
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
