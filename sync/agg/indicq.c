/* indicq.c — This file contains the indicator queries: counts read from
 * agg's pre-aggregated tables, question-set version compatibility from the
 * published sets, suppression on the canonical calendar grid (canon.h) and
 * the published cells read off it (indicq.h). */
#include "indicq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggcache.h"
#include "aggcalls.h"
#include "canon.h"
#include "pdate.h"
#include "qset.h"

/* agg's schema (sync/agg/aggschema.c): counts(unit, period_kind,
 * period_start BIGINT day number, indicator, mode 'kiosk'|'phone', track,
 * care ('' when none), set_id, set_version, pos, neg, dontknow);
 * responses(uuid, unit, mode, status, period_start, set_id, set_version
 * ...); answers(uuid, question, text); sets(id, version, body). */
#define Q_COUNTS "counts"

/* ---- schema: the indicator query's own index ---------------------------- */

/* Component "indicq" (after "aggregates", which makes counts_month): a
 * covering index on counts_month in the order read_rows reads it, so the
 * whole-region read of an indicator and span is one index range and never
 * visits the table (SQLite: counts_month is a rowid table whose primary
 * key holds no counts; PostgreSQL: an index-only scan).  An existing
 * database gets it when it migrates. */
static const struct aggdb_step indicq_steps[] = {
  { 1, NULL,
    "CREATE INDEX IF NOT EXISTS counts_month_cover ON counts_month"
    " (indicator, month_start, unit, set_id, set_version, mode, track, care,"
    " pos, neg, dontknow);",
    "CREATE INDEX IF NOT EXISTS counts_month_cover ON counts_month"
    " (indicator, month_start) INCLUDE (unit, set_id, set_version, mode,"
    " track, care, pos, neg, dontknow);" },
};

enum pr_rc indicq_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "indicq", indicq_steps,
                       (int)PR_ARRAY_LEN(indicq_steps), err);
}

/* ---- reading rows ---------------------------------------------------- */

struct rowbuf {
  struct indic_row *rows;
  char (*units)[INDIC_UNIT_LEN];
  char (*sets)[INDIC_ID_LEN];
  size_t n, cap;
  int failed;
};

static int grow_rows(struct rowbuf *rb)
{
  size_t cap = rb->cap ? rb->cap * 2 : 256;
  void *a = pr_realloc(rb->rows, cap * sizeof(*rb->rows));
  if(!a)
    return -1;
  rb->rows = a;
  a = pr_realloc(rb->units, cap * INDIC_UNIT_LEN);
  if(!a)
    return -1;
  rb->units = a;
  a = pr_realloc(rb->sets, cap * INDIC_ID_LEN);
  if(!a)
    return -1;
  rb->sets = a;
  rb->cap = cap;
  return 0;
}

/* s as a number in [min, max]: 0 / -1.  Plain decimal digits of up to 17
 * places (every count and day number the database returns) are read
 * here, anything else by pr_parse_long: tens of thousands of fields a
 * query, and strtol's locale and errno handling cost more than the row. */
static int parse_num(const char *s, long min, long max, long *out)
{
  long v = 0;
  int i;

  for(i = 0; i < 17 && s[i] >= '0' && s[i] <= '9'; i++)
    v = v * 10 + (s[i] - '0');
  if(i == 0 || i == 17 || s[i] != '\0')
    return pr_parse_long(s, min, max, out);
  if(v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

static long field_long(const char *const *v, const int *isnull, int i)
{
  long x;
  if(isnull[i] || parse_num(v[i], -(1L << 60), 1L << 60, &x) != 0)
    return 0;
  return x;
}

/* unit, period_start, set_id, set_version, pos, neg, dontknow */
static int count_row_cb(void *ctx, int ncol, const char *const *v,
                        const int *isnull)
{
  struct rowbuf *rb = ctx;
  struct indic_row *r;
  long day;

  if(ncol < 7 || isnull[0] || isnull[1])
    return 0;
  if(rb->n == rb->cap && grow_rows(rb) != 0) {
    rb->failed = 1;
    return 1;
  }
  if(parse_num(v[1], -1000000, 10000000, &day) != 0)
    return 0;                   /* not a day number: never produced by agg */
  r = &rb->rows[rb->n];
  if(pr_strlcpy(rb->units[rb->n], v[0], INDIC_UNIT_LEN) != 0)
    return 0;
  pr_strlcpy(rb->sets[rb->n], isnull[2] ? "" : v[2], INDIC_ID_LEN);
  r->day = day;
  r->set_version = (int)field_long(v, isnull, 3);
  r->c.pos = field_long(v, isnull, 4);
  r->c.neg = field_long(v, isnull, 5);
  r->c.dk = field_long(v, isnull, 6);
  rb->n++;
  return 0;
}

static void rowbuf_free(struct rowbuf *rb)
{
  pr_free(rb->rows);
  pr_free(rb->units);
  pr_free(rb->sets);
}

/* ---- set definitions -------------------------------------------------- */

struct defs {
  struct indic_def *d;
  size_t n, cap;
  const char *indicator;
  int failed;
};

static void add_def(struct defs *ds, const struct qset *s,
                    const struct qset_question *q)
{
  struct indic_def *d;
  const struct qset_scale *sc;
  size_t len = 0;
  int k;

  if(q->scale < 0 || q->scale >= s->n_scales)
    return;
  if(ds->n == ds->cap) {
    size_t cap = ds->cap ? ds->cap * 2 : 32;
    void *a = pr_realloc(ds->d, cap * sizeof(*ds->d));
    if(!a) {
      ds->failed = 1;
      return;
    }
    ds->d = a;
    ds->cap = cap;
  }
  d = &ds->d[ds->n++];
  memset(d, 0, sizeof(*d));
  pr_strlcpy(d->set_id, s->id, sizeof(d->set_id));
  d->version = s->version;
  pr_strlcpy(d->indicator, q->indicator, sizeof(d->indicator));
  sc = &s->scales[q->scale];
  for(k = 0; k < sc->n_options; k++) {
    const char *cls = sc->options[k].dontknow ? "?"
                      : ((q->positive >> k) & 1u) ? "+" : "-";
    int w = snprintf(d->signature + len, sizeof(d->signature) - len, "%s%s:%s",
                     k ? "," : "", sc->options[k].code, cls);
    if(w < 0 || (size_t)w >= sizeof(d->signature) - len)
      break;                    /* a long signature still compares */
    len += (size_t)w;
  }
}

/* id, version, body */
static int set_cb(void *ctx, int ncol, const char *const *v, const int *isnull)
{
  struct defs *ds = ctx;
  struct qset *s = NULL;
  int i;

  if(ncol < 3 || isnull[2])
    return 0;
  if(qset_load_buffer(isnull[0] ? "set" : v[0], v[2], strlen(v[2]), &s,
                      NULL) != PR_OK)
    return 0;
  for(i = 0; i < s->n_questions; i++)
    if(s->questions[i].type != QSET_TEXT &&
       (!ds->indicator ||
        strcmp(s->questions[i].indicator, ds->indicator) == 0))
      add_def(ds, s, &s->questions[i]);
  qset_free(s);
  return ds->failed;
}

static void *dup_mem(const void *p, size_t n);

/* The published sets' definitions, parsed once: the sets come back as the
 * same bytes from one query to the next until one is published, so the
 * bytes are compared with those last parsed and, when equal, the
 * definitions parsed from them are used again (a dashboard page asks for
 * every indicator, each of which used to parse every set).  Exact: the
 * definitions are a function of the bytes alone. */
struct setbuf {
  char *b;
  size_t len, cap;
  int failed;
};

static int setbuf_put(struct setbuf *sb, const char *v, size_t n)
{
  if(sb->len + n + 1 > sb->cap) {
    size_t cap = sb->cap ? sb->cap : 65536;
    void *a;
    while(sb->len + n + 1 > cap)
      cap *= 2;
    a = pr_realloc(sb->b, cap);
    if(!a)
      return -1;
    sb->b = a;
    sb->cap = cap;
  }
  memcpy(sb->b + sb->len, v, n);
  sb->b[sb->len + n] = '\0';
  sb->len += n + 1;
  return 0;
}

/* id, version, body -> "flag id\0version\0body\0" (flag 'n': id NULL) */
static int setrow_cb(void *ctx, int ncol, const char *const *v,
                     const int *isnull)
{
  struct setbuf *sb = ctx;

  if(ncol < 3 || isnull[2])
    return 0;                   /* no body: no definitions (as set_cb) */
  if(setbuf_put(sb, isnull[0] ? "n" : "y", 1) != 0 ||
     setbuf_put(sb, isnull[0] ? "" : v[0], isnull[0] ? 0 : strlen(v[0])) ||
     setbuf_put(sb, isnull[1] ? "" : v[1], isnull[1] ? 0 : strlen(v[1])) ||
     setbuf_put(sb, v[2], strlen(v[2])) != 0) {
    sb->failed = 1;
    return 1;
  }
  return 0;
}

static struct {
  char *b;                      /* the bytes last parsed (setbuf) */
  size_t len;
  struct indic_def *d;          /* every indicator's definitions */
  size_t n;
} sets_cache;
static pthread_mutex_t sets_mu = PTHREAD_MUTEX_INITIALIZER;

/* Definitions of indicator from every published set into ds (ds->d is
 * the caller's, pr_free). */
static enum pr_rc read_defs(struct aggdb *db, const char *indicator,
                            struct defs *ds, char *err)
{
  struct setbuf sb = {NULL, 0, 0, 0};
  struct defs all;
  enum pr_rc rc;
  size_t i;

  memset(&all, 0, sizeof(all));
  rc = aggdb_query1(db, "SELECT id, version, body FROM sets", NULL, 0,
                    setrow_cb, &sb, err);
  if(rc == PR_OK && sb.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK)
    goto out;
  pthread_mutex_lock(&sets_mu);
  if(sets_cache.b && sets_cache.len == sb.len &&
     (sb.len == 0 || memcmp(sets_cache.b, sb.b, sb.len) == 0)) {
    all.d = sets_cache.n ? dup_mem(sets_cache.d,
                                   sets_cache.n * sizeof(*all.d)) : NULL;
    all.n = all.cap = sets_cache.n;
    all.failed = sets_cache.n && !all.d;
    pthread_mutex_unlock(&sets_mu);
  }
  else {
    size_t at = 0;
    pthread_mutex_unlock(&sets_mu);
    while(at < sb.len && !all.failed) {
      const char *v[3];
      int isnull[3] = {0, 0, 0};
      isnull[0] = sb.b[at] == 'n';
      v[0] = sb.b + at + 2;       /* flag, its '\0', then the id */
      v[1] = v[0] + strlen(v[0]) + 1;
      v[2] = v[1] + strlen(v[1]) + 1;
      at = (size_t)(v[2] - sb.b) + strlen(v[2]) + 1;
      (void)set_cb(&all, 3, v, isnull);
    }
    if(!all.failed) {
      struct indic_def *keep = all.n ? dup_mem(all.d, all.n * sizeof(*all.d))
                                     : NULL;
      char *bytes = dup_mem(sb.b, sb.len);
      pthread_mutex_lock(&sets_mu);
      if(bytes && (keep || !all.n)) {
        pr_free(sets_cache.b);
        pr_free(sets_cache.d);
        sets_cache.b = bytes;
        sets_cache.len = sb.len;
        sets_cache.d = keep;
        sets_cache.n = all.n;
        bytes = NULL;
        keep = NULL;
      }
      pthread_mutex_unlock(&sets_mu);
      pr_free(bytes);
      pr_free(keep);
    }
  }
  rc = PR_ENOMEM;
  if(all.failed)
    goto out;
  for(i = 0; i < all.n; i++)
    if(strcmp(all.d[i].indicator, indicator) == 0) {
      if(ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 32;
        void *a = pr_realloc(ds->d, cap * sizeof(*ds->d));
        if(!a)
          goto out;
        ds->d = a;
        ds->cap = cap;
      }
      ds->d[ds->n++] = all.d[i];
    }
  rc = PR_OK;
out:
  pr_free(sb.b);
  pr_free(all.d);
  return rc;
}

struct keep_ctx {
  const struct defs *ds;
  const struct indicq_filter *f;
  /* The answer for the last (set, version) asked: rows come in runs of
   * one set, so most rows need no walk over the definitions. */
  char last_set[INDIC_ID_LEN];
  int last_version, last_keep, have_last;
};

static int keep_row(void *ctx, const char *set_id, int version)
{
  struct keep_ctx *k = ctx;
  /* An explicit version is shown on its own, comparable or not. */
  if(k->f->set_version > 0)
    return 1;
  if(k->have_last && k->last_version == version &&
     strcmp(k->last_set, set_id) == 0)
    return k->last_keep;
  k->last_keep = indic_version_compatible(k->ds->d, k->ds->n, k->f->indicator,
                                          set_id, version);
  k->have_last = pr_strlcpy(k->last_set, set_id, sizeof(k->last_set)) == 0;
  k->last_version = version;
  return k->last_keep;
}

/* ---- the query -------------------------------------------------------- */

void indicq_free(struct indicq_result *r)
{
  if(!r)
    return;
  indic_table_free(r->t);
  pr_free(r->marks);
  pr_free(r->dk_marks);
  pr_free(r->labels);
  pr_free(r);
}

/* Months since the month of first (both day numbers). */
static int month_index(long first, long day)
{
  int y0, m0, d0, y, m, d;
  pdate_ymd(first, &y0, &m0, &d0);
  pdate_ymd(day, &y, &m, &d);
  return (y - y0) * 12 + (m - m0);
}

static int any_cut(const struct indicq_filter *f)
{
  return f->mode[0] || f->track[0] || f->care[0] || f->set_id[0] ||
         f->set_version > 0;
}

/* Counts rows of f's indicator with start in [lo, hi] into rb: the monthly
 * roll-up (weeks = 0; a week row is in the month of its Monday) or the
 * rows reported by ISO week (weeks = 1).  cut = 0 leaves out f's mode,
 * track, care, set and version conditions. */
static enum pr_rc read_rows(struct aggdb *db, const struct indicq_filter *f,
                            int weeks, int cut, long lo, long hi,
                            struct rowbuf *rb, char *err)
{
  struct aggdb_param p[8];
  const char *col = weeks ? "period_start" : "month_start";
  char sql[768];
  int np = 0, len;
  size_t i;
  enum pr_rc rc;

  if(aggcalls_is_rate(f->indicator)) {
    /* The call rates: completed interviews positive, the rest of the
     * denominator negative.  COOP1 is "cut" from RR1 (its denominator
     * leaves out those not contacted), so the uncut question is RR1. */
    char pos[200], neg[300];
    aggcalls_rate_sql(cut && !strcmp(f->indicator, AGGCALLS_COOP1), pos,
                      sizeof(pos), neg, sizeof(neg));
    col = weeks ? "week_start" : "month_start";
    p[np++] = AGGDB_INT(lo);
    p[np++] = AGGDB_INT(hi);
    len = snprintf(sql, sizeof(sql), "SELECT unit, %s, '', 0, SUM(%s),"
                   " SUM(%s), 0 FROM callstats WHERE %s >= $1 AND %s <= $2"
                   " GROUP BY %s, unit", col, pos, neg, col, col, col);
    if(len < 0 || (size_t)len >= sizeof(sql)) {
      pr_seterr(err, "query text too long");
      return PR_EINTERNAL;
    }
    goto run;
  }
  p[np++] = AGGDB_TEXT(f->indicator);
  p[np++] = AGGDB_INT(lo);
  p[np++] = AGGDB_INT(hi);
  len = snprintf(sql, sizeof(sql),
                 "SELECT unit, %s, set_id, set_version, pos,"
                 " neg, dontknow FROM %s"
                 " WHERE indicator = $1 AND %s >= $2 AND %s <= $3%s",
                 col, weeks ? Q_COUNTS : "counts_month", col, col,
                 weeks ? " AND period_kind = 'week'" : "");
#define COND(name, val)                                                     \
  do {                                                                      \
    len += snprintf(sql + len, sizeof(sql) - (size_t)len,                   \
                    " AND " name " = $%d", np + 1);                         \
    p[np++] = (val);                                                        \
  } while(0)
  if(cut && f->mode[0])
    COND("mode", AGGDB_TEXT(f->mode));
  if(cut && f->track[0])
    COND("track", AGGDB_TEXT(f->track));
  if(cut && f->care[0])
    COND("care", AGGDB_TEXT(f->care));
  if(cut && f->set_id[0])
    COND("set_id", AGGDB_TEXT(f->set_id));
  if(cut && f->set_version > 0)
    COND("set_version", AGGDB_INT(f->set_version));
#undef COND
  /* No GROUP BY: the rows of one unit and month that differ in mode,
   * track or care are summed by indic_table_build anyway, and the rows
   * then stream straight off the covering index (indicq_migrate) in its
   * order, with no aggregate step in the database. */
  if(len < 0 || (size_t)len >= sizeof(sql)) {
    pr_seterr(err, "query text too long");
    return PR_EINTERNAL;
  }
run:
  rc = aggdb_query1(db, sql, p, np, count_row_cb, rb, err);
  if(rc != PR_OK)
    return rc;
  if(rb->failed) {
    pr_seterr(err, "out of memory reading counts");
    return PR_ENOMEM;
  }
  for(i = 0; i < rb->n; i++) {
    rb->rows[i].unit = rb->units[i];
    rb->rows[i].set_id = rb->sets[i];
  }
  return PR_OK;
}

/* Months x units (or weeks x units) of one quantity from t into *cells,
 * and, when all is given, the same figures of the uncut table mapped onto
 * t's columns (+ region) into *allv.  Arrays are the caller's (pr_free). */
static enum pr_rc grid_arrays(const struct indic_table *t,
                              const struct indic_table *all, int dk,
                              long **cells, long **allv)
{
  int nb = t->n_buckets, nu = t->n_units, b, u;
  *cells = pr_calloc((size_t)nb * (size_t)(nu > 0 ? nu : 1), sizeof(long));
  *allv = NULL;
  if(!*cells)
    return PR_ENOMEM;
#define QTY(c) (dk ? (c).dk : (c).pos + (c).neg)
  for(b = 0; b < nb; b++)
    for(u = 0; u < nu; u++)
      (*cells)[(size_t)b * (size_t)nu + (size_t)u] = QTY(*indic_cell(t, b, u));
  if(all) {
    *allv = pr_calloc((size_t)nb * (size_t)(nu + 1), sizeof(long));
    if(!*allv)
      return PR_ENOMEM;
    int *au = pr_calloc((size_t)(nu > 0 ? nu : 1), sizeof(int));
    if(!au)
      return PR_ENOMEM;
    for(u = 0; u < nu; u++)
      au[u] = indic_table_unit(all, t->units[u]);
    for(b = 0; b < nb; b++) {
      for(u = 0; u < nu; u++)
        (*allv)[(size_t)b * (size_t)(nu + 1) + (size_t)u] =
            au[u] >= 0 ? QTY(*indic_cell(all, b, au[u])) : 0;
      (*allv)[(size_t)b * (size_t)(nu + 1) + (size_t)nu] = QTY(all->region[b]);
    }
    pr_free(au);
  }
#undef QTY
  return PR_OK;
}

/* The canonical grid of one quantity: months of tm (and weeks of tw, may
 * be NULL), with the uncut tables tma / twa (may be NULL). */
static enum pr_rc grid_for(const struct indic_table *tm,
                           const struct indic_table *tma,
                           const struct indic_table *tw,
                           const struct indic_table *twa,
                           const int *week_month, int dk, int threshold,
                           enum supp_cost cost, struct canon **out,
                           char *err)
{
  long *cells = NULL, *allv = NULL;
  enum pr_rc rc;

  *out = NULL;
  rc = grid_arrays(tm, tma, dk, &cells, &allv);
  if(rc == PR_OK)
    rc = canon_new(tm->n_buckets / 3, tm->n_units, cells, allv, threshold,
                   cost, out, err);
  pr_free(cells);
  pr_free(allv);
  cells = allv = NULL;
  if(rc == PR_OK && tw) {
    rc = grid_arrays(tw, twa, dk, &cells, &allv);
    if(rc == PR_OK)
      rc = canon_add_weeks(*out, tw->n_buckets, week_month, cells, allv, err);
    pr_free(cells);
    pr_free(allv);
  }
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory in the indicator query");
  if(rc != PR_OK) {
    canon_free(*out);
    *out = NULL;
  }
  return rc;
}

/* The canonical rows bucket b (n_buckets = the whole span) of r covers:
 * months m0..m1 from mfirst, or weeks w0..w1 from wfirst (INDIC_WEEK).
 * The same for every column, so it is worked out once per bucket. */
static void bucket_rows(const struct indicq_result *r, long mfirst,
                        long wfirst, int b, int *i0, int *i1)
{
  const struct indic_table *t = r->t;
  long lo = r->f.from, hi = r->f.to;

  if(b < t->n_buckets) {
    lo = t->bucket_start[b] > lo ? t->bucket_start[b] : lo;
    if(b + 1 < t->n_buckets)
      hi = t->bucket_start[b + 1] - 1;
  }
  if(r->f.period == INDIC_WEEK) {
    *i0 = (int)((pdate_monday(lo) - wfirst) / 7);
    *i1 = (int)((pdate_monday(hi) - wfirst) / 7);
  }
  else {
    *i0 = month_index(mfirst, lo);
    *i1 = month_index(mfirst, hi);
  }
}

/* Mark of bucket b (n_buckets = the span) and column u (n_units = the
 * region) of r, whose canonical rows are i0..i1 (bucket_rows): read off
 * the canonical grid g.  A canonical cell keeps its own mark; a coarser
 * one is shown only when it is a sum of shown canonical cells, else
 * primary when it is small itself. */
static unsigned char cell_mark(const struct indicq_result *r,
                               const struct canon *g, int i0, int i1, int b,
                               int u, int dk)
{
  const struct indic_table *t = r->t;
  struct indic_counts k;
  long own;
  int shown;

  if(r->f.period == INDIC_WEEK) {
    if(i0 == i1)
      return (unsigned char)canon_week_mark(g, i0, u);
    shown = canon_weeks_shown(g, i0, i1, u);
  }
  else {
    if(i0 == i1)
      return (unsigned char)canon_month_mark(g, i0, u);
    shown = canon_months_shown(g, i0, i1, u);
  }
  if(shown)
    return SUPP_SHOW;
  if(b == t->n_buckets)
    k = u == t->n_units ? t->total : t->unit_total[u];
  else
    k = u == t->n_units ? t->region[b] : *indic_cell(t, b, u);
  own = dk ? k.dk : k.pos + k.neg;
  return own > 0 && own < r->f.threshold ? SUPP_PRIMARY : SUPP_COMPLEMENT;
}

static int same_units(const struct indic_table *a, const struct indic_table *b)
{
  int u;
  if(a->n_units != b->n_units)
    return 0;
  for(u = 0; u < a->n_units; u++)
    if(strcmp(a->units[u], b->units[u]) != 0)
      return 0;
  return 1;
}

static void name_excluded(struct indicq_result *r, const struct defs *ds,
                          const struct rowbuf *rb)
{
  size_t i;
  for(i = 0; i < ds->n && r->f.set_version == 0; i++) {
    const struct indic_def *d = &ds->d[i];
    char name[INDIC_ID_LEN + 8];
    size_t k;
    int dup = 0;
    if(indic_version_compatible(ds->d, ds->n, r->f.indicator, d->set_id,
                                d->version))
      continue;
    for(k = 0; k < rb->n; k++)
      if(strcmp(rb->rows[k].set_id, d->set_id) == 0 &&
         rb->rows[k].set_version == d->version)
        break;
    if(k == rb->n)
      continue;
    snprintf(name, sizeof(name), "%s v%d", d->set_id, d->version);
    for(k = 0; k < (size_t)r->n_excluded; k++)
      if(strcmp(r->excluded[k], name) == 0)
        dup = 1;
    if(!dup && r->n_excluded < (int)PR_ARRAY_LEN(r->excluded))
      pr_strlcpy(r->excluded[r->n_excluded++], name, INDIC_ID_LEN + 8);
  }
}

static enum pr_rc indicq_compute(struct aggdb *db,
                                 const struct indicq_filter *f_in,
                                 struct indicq_result **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct indicq_result *r = NULL;
  struct indic_table *tm = NULL, *tma = NULL, *tw = NULL, *twa = NULL;
  struct canon *gn = NULL, *gdk = NULL;
  struct rowbuf rb, rba, rw, rwa;
  struct defs ds;
  struct keep_ctx kc, kca;
  struct indicq_filter fa;
  const char **extra = NULL;
  int *week_month = NULL;
  long mfirst, mlast, qfirst, qlast, wfirst = 0, wlast = 0;
  int b, u, cut, week, cols;
  size_t cells;

  *out = NULL;
  memset(&rb, 0, sizeof(rb));
  memset(&rba, 0, sizeof(rba));
  memset(&rw, 0, sizeof(rw));
  memset(&rwa, 0, sizeof(rwa));
  memset(&ds, 0, sizeof(ds));
  if(f_in->threshold < 1) {
    pr_seterr(err, "threshold must be at least 1");
    return PR_EINVAL;
  }
  if(f_in->from > f_in->to) {
    pr_seterr(err, "period: start after end");
    return PR_EINVAL;
  }
  r = pr_calloc(1, sizeof(*r));
  if(!r)
    goto out;
  r->f = *f_in;
  r->focus = -1;
  indicq_snap_span(&r->f);
  week = r->f.period == INDIC_WEEK;
  cut = any_cut(&r->f);
  if(aggcalls_is_rate(r->f.indicator)) {
    if(cut) {
      rc = PR_EINVAL;
      pr_seterr(err, "parameters mode, track, care, set, version: the call "
                     "rates have no such cut");
      goto out;
    }
    cut = !strcmp(r->f.indicator, AGGCALLS_COOP1);
  }
  fa = r->f;
  fa.mode[0] = fa.track[0] = fa.care[0] = fa.set_id[0] = '\0';
  fa.set_version = 0;

  /* The canonical window: whole quarters around every month the span
   * touches (weeks by their Monday). */
  mfirst = indic_bucket_start(INDIC_MONTH, week ? pdate_monday(r->f.from)
                                                : r->f.from, 0);
  mlast = indic_bucket_start(INDIC_MONTH, week ? pdate_monday(r->f.to)
                                               : r->f.to, 0);
  qfirst = indic_bucket_start(INDIC_QUARTER, mfirst, 0);
  qlast = indic_bucket_next(INDIC_QUARTER,
                            indic_bucket_start(INDIC_QUARTER, mlast, 0), 0) - 1;

  ds.indicator = r->f.indicator;
  rc = read_defs(db, r->f.indicator, &ds, err);
  if(rc != PR_OK)
    goto out;
  memset(&kc, 0, sizeof(kc));
  memset(&kca, 0, sizeof(kca));
  kc.ds = kca.ds = &ds;
  kc.f = &r->f;
  kca.f = &fa;

  rc = read_rows(db, &r->f, 0, 1, qfirst, qlast, &rb, err);
  if(rc == PR_OK && cut)
    rc = read_rows(db, &r->f, 0, 0, qfirst, qlast, &rba, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(r->f.unit[0]) {
    extra = pr_calloc(1, sizeof(*extra));
    if(!extra)
      goto out;
    extra[0] = r->f.unit;
  }
  rc = indic_table_build(INDIC_MONTH, qfirst, qlast, rb.rows, rb.n, extra,
                         extra ? 1 : 0, keep_row, &kc, &tm, err);
  if(rc == PR_OK && cut)
    rc = indic_table_build(INDIC_MONTH, qfirst, qlast, rba.rows, rba.n, NULL,
                           0, keep_row, &kca, &tma, err);
  if(rc != PR_OK)
    goto out;

  if(week) {
    /* Every week whose Monday lies in the months of the span: the week
     * grid of a month is all of its weeks. */
    const char **units = NULL;
    wfirst = pdate_monday(mfirst);
    if(wfirst < mfirst)
      wfirst += 7;
    wlast = indic_bucket_next(INDIC_MONTH, mlast, 0) - 1;
    rc = read_rows(db, &r->f, 1, 1, wfirst, wlast, &rw, err);
    if(rc == PR_OK && cut)
      rc = read_rows(db, &r->f, 1, 0, wfirst, wlast, &rwa, err);
    if(rc != PR_OK)
      goto out;
    rc = PR_ENOMEM;
    units = pr_calloc((size_t)(tm->n_units > 0 ? tm->n_units : 1),
                      sizeof(*units));
    if(!units)
      goto out;
    for(u = 0; u < tm->n_units; u++)
      units[u] = tm->units[u];
    rc = indic_table_build(INDIC_WEEK, wfirst, wlast, rw.rows, rw.n, units,
                           (size_t)tm->n_units, keep_row, &kc, &tw, err);
    if(rc == PR_OK && cut)
      rc = indic_table_build(INDIC_WEEK, wfirst, wlast, rwa.rows, rwa.n, NULL,
                             0, keep_row, &kca, &twa, err);
    if(rc == PR_OK)
      rc = indic_table_build(INDIC_WEEK, r->f.from, r->f.to, rw.rows, rw.n,
                             units, (size_t)tm->n_units, keep_row, &kc, &r->t,
                             err);
    pr_free(units);
    if(rc != PR_OK)
      goto out;
    rc = PR_ENOMEM;
    week_month = pr_calloc((size_t)tw->n_buckets, sizeof(int));
    if(!week_month)
      goto out;
    for(b = 0; b < tw->n_buckets; b++)
      week_month[b] = month_index(qfirst, tw->bucket_start[b]);
  }
  else {
    /* The span's buckets are whole months inside the canonical window
     * (indicq_snap_span): sum tm's months rather than read the rows
     * again. */
    rc = indic_table_rebucket(tm, r->f.period, r->f.from, r->f.to, &r->t,
                              err);
    if(rc != PR_OK)
      goto out;
  }
  if(!same_units(r->t, tm) || (tw && !same_units(tw, tm))) {
    rc = PR_EINTERNAL;
    pr_seterr(err, "indicator query: unit columns differ between grids");
    goto out;
  }
  name_excluded(r, &ds, &rb);
  r->focus = r->f.unit[0] ? indic_table_unit(r->t, r->f.unit) : -1;
  rc = PR_ENOMEM;
  r->labels = pr_calloc((size_t)r->t->n_buckets, INDIC_LABEL_LEN);
  if(!r->labels)
    goto out;
  for(b = 0; b < r->t->n_buckets; b++)
    indic_bucket_label(r->f.period, r->t->bucket_start[b], r->f.to,
                       r->labels[b]);

  /* Suppression: once, on the canonical grid; "vet ej" is a group of
   * people too and gets its own grid. */
  rc = grid_for(tm, tma, tw, twa, week_month, 0, r->f.threshold, r->f.cost,
                &gn, err);
  if(rc == PR_OK)
    rc = grid_for(tm, tma, tw, twa, week_month, 1, r->f.threshold,
                  r->f.cost, &gdk, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  cols = r->t->n_units > 0 ? r->t->n_units : 1;
  cells = (size_t)(r->t->n_buckets + 1) * (size_t)(cols + 1);
  r->marks = pr_calloc(cells, 1);
  r->dk_marks = pr_calloc(cells, 1);
  if(!r->marks || !r->dk_marks)
    goto out;
  for(b = 0; b <= r->t->n_buckets; b++) {
    int i0, i1;
    bucket_rows(r, qfirst, wfirst, b, &i0, &i1);
    for(u = 0; u <= r->t->n_units; u++) {
      size_t i = (size_t)b * (size_t)(cols + 1) +
                 (size_t)(u == r->t->n_units ? cols : u);
      r->marks[i] = cell_mark(r, gn, i0, i1, b, u, 0);
      r->dk_marks[i] = cell_mark(r, gdk, i0, i1, b, u, 1);
    }
  }
  *out = r;
  r = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory in the indicator query");
  pr_free(extra);
  pr_free(week_month);
  pr_free(ds.d);
  rowbuf_free(&rb);
  rowbuf_free(&rba);
  rowbuf_free(&rw);
  rowbuf_free(&rwa);
  indic_table_free(tm);
  indic_table_free(tma);
  indic_table_free(tw);
  indic_table_free(twa);
  canon_free(gn);
  canon_free(gdk);
  indicq_free(r);
  return rc;
}

/* ---- the cache of suppressed tables ------------------------------------ */

/* The whole region's suppressed table per indicator, period, span and
 * filter (not per unit in focus: suppression never depends on it), kept
 * while the figures' generation (aggcache.h) is the one it was computed
 * under.  Hits are copies, so callers own and free what they get. */
#define IQC_SLOTS 32
struct iqc_entry {
  const struct aggdb *db;
  long long gen;
  char key[256];
  struct indicq_result *r;          /* focus -1, no unit */
  unsigned long used;
};
static struct iqc_entry iqc[IQC_SLOTS];
static pthread_mutex_t iqc_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long iqc_tick;
static int iqc_on = 1;
static struct indicq_cache_stats iqc_stats;

/* The indicator list of the last indicq_indicators call: reading it
 * walks an index of the whole counts table (it grows with the data), so
 * it is kept, like the tables, while the figures' generation holds. */
static struct {
  const struct aggdb *db;
  long long gen;
  char *v;
  int n;
} ind_cache;


void indicq_cache_enable(int on)
{
  int i;

  pthread_mutex_lock(&iqc_mu);
  iqc_on = on;
  pr_free(ind_cache.v);
  memset(&ind_cache, 0, sizeof(ind_cache));
  for(i = 0; i < IQC_SLOTS; i++) {
    indicq_free(iqc[i].r);
    memset(&iqc[i], 0, sizeof(iqc[i]));
  }
  pthread_mutex_unlock(&iqc_mu);
  pthread_mutex_lock(&sets_mu);
  pr_free(sets_cache.b);
  pr_free(sets_cache.d);
  memset(&sets_cache, 0, sizeof(sets_cache));
  pthread_mutex_unlock(&sets_mu);
}

void indicq_cache_stats(struct indicq_cache_stats *out)
{
  pthread_mutex_lock(&iqc_mu);
  *out = iqc_stats;
  pthread_mutex_unlock(&iqc_mu);
}

static void *dup_mem(const void *p, size_t n)
{
  void *q = pr_malloc(n ? n : 1);

  if(q && n)
    memcpy(q, p, n);
  return q;
}

/* A deep copy of r (NULL when out of memory). */
static struct indicq_result *result_copy(const struct indicq_result *r)
{
  struct indicq_result *c = dup_mem(r, sizeof(*r));
  const struct indic_table *t = r->t;
  struct indic_table *ct;
  size_t nb = (size_t)t->n_buckets, nu = (size_t)t->n_units;
  size_t cells = (nb + 1) * ((nu > 0 ? nu : 1) + 1);

  if(!c)
    return NULL;
  c->t = NULL;
  c->marks = dup_mem(r->marks, cells);
  c->dk_marks = dup_mem(r->dk_marks, cells);
  c->labels = dup_mem(r->labels, nb * INDIC_LABEL_LEN);
  c->t = ct = dup_mem(t, sizeof(*t));
  if(ct) {
    ct->bucket_start = dup_mem(t->bucket_start, nb * sizeof(*t->bucket_start));
    ct->units = dup_mem(t->units, nu * sizeof(*t->units));
    ct->cells = dup_mem(t->cells, nb * nu * sizeof(*t->cells));
    ct->region = dup_mem(t->region, nb * sizeof(*t->region));
    ct->unit_total = dup_mem(t->unit_total, nu * sizeof(*t->unit_total));
  }
  if(!c->marks || !c->dk_marks || !c->labels || !ct || !ct->bucket_start ||
     !ct->units || !ct->cells || !ct->region || !ct->unit_total) {
    indicq_free(c);
    return NULL;
  }
  return c;
}

/* The cache key of f (span snapped): everything but the unit in focus and
 * the goal, which only the reader uses. */
static int cache_key(const struct indicq_filter *f, char *key, size_t cap)
{
  int n = snprintf(key, cap, "%s|%d|%ld|%ld|%s|%s|%s|%s|%d|%d", f->indicator,
                   (int)f->period, f->from, f->to, f->mode, f->track, f->care,
                   f->set_id, f->set_version, f->threshold);

  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* A copy of the cached table for key at generation gen, focused on f's
 * unit; NULL on a miss (or a unit the table has no column for). */
static struct indicq_result *cache_get(const struct aggdb *db, long long gen,
                                       const char *key,
                                       const struct indicq_filter *f)
{
  struct indicq_result *c = NULL;
  int i;

  pthread_mutex_lock(&iqc_mu);
  for(i = 0; i < IQC_SLOTS; i++) {
    struct iqc_entry *e = &iqc[i];

    if(!e->r || e->db != db || e->gen != gen || strcmp(e->key, key))
      continue;
    if(f->unit[0] && indic_table_unit(e->r->t, f->unit) < 0)
      break;
    e->used = ++iqc_tick;
    c = result_copy(e->r);
    break;
  }
  if(c)
    iqc_stats.hits++;
  else
    iqc_stats.misses++;
  pthread_mutex_unlock(&iqc_mu);
  if(c) {
    struct indicq_filter snapped = *f;

    indicq_snap_span(&snapped);
    c->f = snapped;
    c->focus = f->unit[0] ? indic_table_unit(c->t, f->unit) : -1;
  }
  return c;
}

/* Keep a copy of r (computed without a unit) under key and gen, in place
 * of the least recently used entry or one of an older generation. */
static void cache_put(const struct aggdb *db, long long gen, const char *key,
                      const struct indicq_result *r)
{
  struct indicq_result *c = result_copy(r);
  int i, victim = 0;

  if(!c)
    return;
  pthread_mutex_lock(&iqc_mu);
  for(i = 0; i < IQC_SLOTS; i++) {
    if(!iqc[i].r || (iqc[i].db == db && iqc[i].gen != gen)) {
      victim = i;
      break;
    }
    if(iqc[i].used < iqc[victim].used)
      victim = i;
  }
  indicq_free(iqc[victim].r);
  iqc[victim].db = db;
  iqc[victim].gen = gen;
  pr_strlcpy(iqc[victim].key, key, sizeof(iqc[victim].key));
  iqc[victim].r = c;
  iqc[victim].used = ++iqc_tick;
  pthread_mutex_unlock(&iqc_mu);
}

enum pr_rc indicq_run(struct aggdb *db, const struct indicq_filter *f,
                      struct indicq_result **out, char *err)
{
  struct indicq_filter region = *f;
  struct indicq_result *r = NULL;
  long long gen = 0;
  char key[256];
  enum pr_rc rc;
  int on;

  *out = NULL;
  pthread_mutex_lock(&iqc_mu);
  on = iqc_on;
  pthread_mutex_unlock(&iqc_mu);
  indicq_snap_span(&region);
  if(!on || f->threshold < 1 || f->from > f->to ||
     cache_key(&region, key, sizeof(key)))
    return indicq_compute(db, f, out, err);
  /* The generation first: an ingest committing after this read changes
   * it, so what is computed below is never kept under a newer one. */
  rc = aggcache_gen_db(db, &gen, err);
  if(rc != PR_OK)
    return rc;
  *out = cache_get(db, gen, key, f);
  if(*out)
    return PR_OK;
  region.unit[0] = '\0';
  rc = indicq_compute(db, &region, &r, err);
  if(rc != PR_OK)
    return rc;
  cache_put(db, gen, key, r);
  if(f->unit[0] && indic_table_unit(r->t, f->unit) < 0) {
    /* A unit without a single response: its own column, uncached. */
    indicq_free(r);
    return indicq_compute(db, f, out, err);
  }
  r->f = *f;
  indicq_snap_span(&r->f);
  r->focus = f->unit[0] ? indic_table_unit(r->t, f->unit) : -1;
  *out = r;
  return PR_OK;
}

struct indicq_cell indicq_cell(const struct indicq_result *r, int b, int u)
{
  struct indicq_cell c;
  const struct indic_table *t = r->t;
  int cols = t->n_units > 0 ? t->n_units : 1;
  struct indic_counts k = {0, 0, 0};

  memset(&c, 0, sizeof(c));
  if(b < 0 || b > t->n_buckets || u < 0 || u > t->n_units) {
    c.mark = SUPP_COMPLEMENT;   /* out of range: publish nothing */
    return c;
  }
  c.mark = r->marks[(size_t)b * (size_t)(cols + 1) +
                    (size_t)(u == t->n_units ? cols : u)];
  if(c.mark != SUPP_SHOW)
    return c;
  c.dk_hidden = r->dk_marks[(size_t)b * (size_t)(cols + 1) +
                            (size_t)(u == t->n_units ? cols : u)] != SUPP_SHOW;
  if(b == t->n_buckets && u == t->n_units)
    k = t->total;
  else if(b == t->n_buckets)
    k = t->unit_total[u];
  else if(u == t->n_units)
    k = t->region[b];
  else
    k = *indic_cell(t, b, u);
  c.s = indic_share_of(k);
  if(c.dk_hidden)
    c.s.dk = 0;
  return c;
}

/* ---- lists ------------------------------------------------------------ */

struct namelist {
  char *v;
  size_t width;
  int n, cap, failed;
};

static int name_cb(void *ctx, int ncol, const char *const *v, const int *isnull)
{
  struct namelist *l = ctx;
  if(ncol < 1 || isnull[0])
    return 0;
  if(l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 64;
    char *a = pr_realloc(l->v, (size_t)cap * l->width);
    if(!a) {
      l->failed = 1;
      return 1;
    }
    l->v = a;
    l->cap = cap;
  }
  if(pr_strlcpy(l->v + (size_t)l->n * l->width, v[0], l->width) == 0)
    l->n++;
  return 0;
}

static enum pr_rc list_names(struct aggdb *db, const char *sql, size_t width,
                             char **out, int *n, char *err)
{
  struct namelist l = {NULL, width, 0, 0, 0};
  enum pr_rc rc;
  *out = NULL;
  *n = 0;
  rc = aggdb_query1(db, sql, NULL, 0, name_cb, &l, err);
  if(rc == PR_OK && l.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK) {
    pr_free(l.v);
    return rc;
  }
  *out = l.v;
  *n = l.n;
  return PR_OK;
}

enum pr_rc indicq_units(struct aggdb *db, char (**out)[INDIC_UNIT_LEN], int *n,
                        char *err)
{
  char *v = NULL;
  /* Every unit that ever had a kiosk: the devices table is tiny, where a
   * DISTINCT over counts would read every row. */
  enum pr_rc rc = list_names(db, "SELECT DISTINCT unit FROM devices"
                                 " ORDER BY unit", INDIC_UNIT_LEN, &v, n, err);
  *out = (char(*)[INDIC_UNIT_LEN])v;
  return rc;
}

static enum pr_rc indicators_read(struct aggdb *db, char **out, int *n,
                                  char *err);

enum pr_rc indicq_indicators(struct aggdb *db, char (**out)[INDIC_ID_LEN],
                             int *n, char *err)
{
  long long gen = 0;
  char *v = NULL;
  enum pr_rc rc;
  int on;

  *out = NULL;
  *n = 0;
  pthread_mutex_lock(&iqc_mu);
  on = iqc_on;
  pthread_mutex_unlock(&iqc_mu);
  if(!on)
    return indicators_read(db, (char **)out, n, err);
  rc = aggcache_gen_db(db, &gen, err);
  if(rc != PR_OK)
    return rc;
  pthread_mutex_lock(&iqc_mu);
  if(ind_cache.v && ind_cache.db == db && ind_cache.gen == gen) {
    v = dup_mem(ind_cache.v, (size_t)ind_cache.n * INDIC_ID_LEN);
    *n = ind_cache.n;
  }
  pthread_mutex_unlock(&iqc_mu);
  if(v) {
    *out = (char(*)[INDIC_ID_LEN])v;
    return PR_OK;
  }
  rc = indicators_read(db, &v, n, err);
  if(rc != PR_OK)
    return rc;
  pthread_mutex_lock(&iqc_mu);
  pr_free(ind_cache.v);
  ind_cache.v = dup_mem(v, (size_t)*n * INDIC_ID_LEN);
  ind_cache.n = ind_cache.v ? *n : 0;
  ind_cache.db = db;
  ind_cache.gen = gen;
  pthread_mutex_unlock(&iqc_mu);
  *out = (char(*)[INDIC_ID_LEN])v;
  return PR_OK;
}

static enum pr_rc indicators_read(struct aggdb *db, char **out, int *n,
                                  char *err)
{
  char *v = NULL;
  enum pr_rc rc = list_names(db, "SELECT DISTINCT indicator FROM " Q_COUNTS
                                 " ORDER BY indicator", INDIC_ID_LEN, &v, n,
                             err);
  long long calls = 0;
  int found = 0;
  struct aggdb_conn *c = NULL;

  /* The call rates, when any kiosk has sent call statistics. */
  if(rc == PR_OK && (rc = aggdb_acquire(db, &c, err)) == PR_OK) {
    rc = aggdb_query_long(c, "SELECT COUNT(*) FROM (SELECT 1 FROM callstats"
                             " LIMIT 1) AS x", NULL, 0, &calls, &found, err);
    aggdb_release(c);
  }
  if(rc == PR_OK && calls > 0) {
    char *a = pr_realloc(v, (size_t)(*n + 2) * INDIC_ID_LEN);
    if(!a)
      rc = PR_ENOMEM;
    else {
      v = a;
      pr_strlcpy(v + (size_t)(*n)++ * INDIC_ID_LEN, AGGCALLS_RR1,
                 INDIC_ID_LEN);
      pr_strlcpy(v + (size_t)(*n)++ * INDIC_ID_LEN, AGGCALLS_COOP1,
                 INDIC_ID_LEN);
    }
  }
  if(rc != PR_OK) {
    pr_free(v);
    v = NULL;
    *n = 0;
  }
  *out = v;
  return rc;
}


