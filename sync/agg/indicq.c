/* indicq.c — This file contains the indicator queries: counts read from
 * agg's pre-aggregated table, question-set version compatibility from the
 * published sets, suppression over the whole region table, the phone
 * follow-up counts and the free-text comments (indicq.h). */
#include "indicq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdate.h"
#include "qset.h"

/* agg's schema (sync/agg/aggschema.c): counts(unit, period_kind,
 * period_start BIGINT day number, indicator, mode 'kiosk'|'phone', track,
 * care ('' when none), set_id, set_version, pos, neg, dontknow);
 * responses(uuid, unit, mode, status, period_start, set_id, set_version
 * ...); answers(uuid, question, text); sets(id, version, body). */
#define Q_COUNTS "counts"

void indicq_filter_default(struct indicq_filter *f)
{
  long today = pdate_local_today(pr_now());
  int y, m, d;

  memset(f, 0, sizeof(*f));
  pr_strlcpy(f->indicator, "nojdhet", sizeof(f->indicator));
  f->period = INDIC_MONTH;
  pdate_ymd(today, &y, &m, &d);
  /* The last 12 whole months plus the current one. */
  f->from = pdate_from_ymd(y - 1, m, 1);
  f->to = today;
  f->threshold = SUPP_DEFAULT_THRESHOLD;
  f->goal = INDIC_DEFAULT_GOAL;
}

static int valid_id(const char *s, size_t cap)
{
  size_t i, n = strlen(s);
  if(n == 0 || n >= cap)
    return 0;
  for(i = 0; i < n; i++) {
    char c = s[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return 0;
  }
  return 1;
}

static enum pr_rc take_id(const char *name, const char *v, char *dst,
                          size_t cap, char *err)
{
  if(!valid_id(v, cap)) {
    pr_seterr(err, "parameter %s: not a valid name", name);
    return PR_EINVAL;
  }
  pr_strlcpy(dst, v, cap);
  return PR_OK;
}

enum pr_rc indicq_filter_parse(struct indicq_filter *f, indicq_get_fn get,
                               void *ctx, char *err)
{
  const char *v;
  long x;
  enum pr_rc rc;

  if((v = get(ctx, "indicator")) && *v &&
     (rc = take_id("indicator", v, f->indicator, sizeof(f->indicator), err)))
    return rc;
  if((v = get(ctx, "unit")) && *v &&
     (rc = take_id("unit", v, f->unit, sizeof(f->unit), err)))
    return rc;
  if((v = get(ctx, "period")) && *v &&
     indic_period_parse(v, &f->period) != 0) {
    pr_seterr(err, "parameter period: use week, month, quarter, year or range");
    return PR_EINVAL;
  }
  if((v = get(ctx, "span")) && *v && indic_parse_span(v, &f->from, &f->to)) {
    pr_seterr(err, "parameter span: use 2026, 2026-K1, 2026-03, 2026-W05, "
                   "a date, or FROM..TO");
    return PR_EINVAL;
  }
  if((v = get(ctx, "from")) && *v) {
    long to;
    if(indic_parse_span(v, &f->from, &to) != 0) {
      pr_seterr(err, "parameter from: not a date (YYYY-MM-DD)");
      return PR_EINVAL;
    }
  }
  if((v = get(ctx, "to")) && *v) {
    long from;
    if(indic_parse_span(v, &from, &f->to) != 0) {
      pr_seterr(err, "parameter to: not a date (YYYY-MM-DD)");
      return PR_EINVAL;
    }
  }
  if(f->from > f->to) {
    pr_seterr(err, "parameters from/to: start after end");
    return PR_EINVAL;
  }
  if((v = get(ctx, "mode")) && *v) {
    if(strcmp(v, "kiosk") && strcmp(v, "phone")) {
      pr_seterr(err, "parameter mode: kiosk or phone");
      return PR_EINVAL;
    }
    pr_strlcpy(f->mode, v, sizeof(f->mode));
  }
  if((v = get(ctx, "track")) && *v) {
    if(strcmp(v, "gron") && strcmp(v, "gul") && strcmp(v, "rod")) {
      pr_seterr(err, "parameter track: gron, gul or rod");
      return PR_EINVAL;
    }
    pr_strlcpy(f->track, v, sizeof(f->track));
  }
  if((v = get(ctx, "care")) && *v) {
    if(strcmp(v, "somatisk") && strcmp(v, "psykiatrisk")) {
      pr_seterr(err, "parameter care: somatisk or psykiatrisk");
      return PR_EINVAL;
    }
    pr_strlcpy(f->care, v, sizeof(f->care));
  }
  if((v = get(ctx, "set")) && *v &&
     (rc = take_id("set", v, f->set_id, sizeof(f->set_id), err)))
    return rc;
  if((v = get(ctx, "version")) && *v) {
    if(pr_parse_long(v, 1, 100000, &x) != 0) {
      pr_seterr(err, "parameter version: a number from 1");
      return PR_EINVAL;
    }
    f->set_version = (int)x;
  }
  if((v = get(ctx, "goal")) && *v) {
    if(pr_parse_long(v, 1, 100, &x) != 0) {
      pr_seterr(err, "parameter goal: percent 1-100");
      return PR_EINVAL;
    }
    f->goal = (double)x / 100.0;
    f->goal_given = 1;
  }
  return PR_OK;
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

static long field_long(const char *const *v, const int *isnull, int i)
{
  long x;
  if(isnull[i] || pr_parse_long(v[i], -(1L << 60), 1L << 60, &x) != 0)
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
  if(pr_parse_long(v[1], -1000000, 10000000, &day) != 0)
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
       strcmp(s->questions[i].indicator, ds->indicator) == 0)
      add_def(ds, s, &s->questions[i]);
  qset_free(s);
  return ds->failed;
}

struct keep_ctx {
  const struct defs *ds;
  const struct indicq_filter *f;
};

static int keep_row(void *ctx, const char *set_id, int version)
{
  const struct keep_ctx *k = ctx;
  /* An explicit version is shown on its own, comparable or not. */
  if(k->f->set_version > 0)
    return 1;
  return indic_version_compatible(k->ds->d, k->ds->n, k->f->indicator, set_id,
                                  version);
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

/* Suppress one quantity of the table: n (dk = 0) or the "vet ej" counts
 * (dk = 1), each with its own complements, into *marks.  all (may be NULL)
 * is the same table without the cut (mode, track, care, set, version):
 * a cut cell whose rest (all minus cut) is small is hidden too, or the
 * uncut figure minus this one would give the small rest away. */
static enum pr_rc suppress_one(const struct indicq_result *r,
                               const struct indic_table *all, int dk,
                               unsigned char **marks, char *err)
{
  const struct indic_table *t = r->t;
  int rows = t->n_buckets, cols = t->n_units > 0 ? t->n_units : 1;
  int w = cols + 1, b, u;
  long *n = NULL, *na = NULL;
  unsigned char *force = NULL;
  enum pr_rc rc = PR_ENOMEM;
  size_t cells = (size_t)(rows + 1) * (size_t)w, i;
#define QTY(c) (dk ? (c).dk : (c).pos + (c).neg)

  n = pr_calloc(cells, sizeof(long));
  na = pr_calloc(cells, sizeof(long));
  force = pr_calloc(cells, 1);
  *marks = pr_calloc(cells, 1);
  if(!n || !na || !force || !*marks)
    goto out;
  for(b = 0; b < rows; b++) {
    for(u = 0; u < t->n_units; u++) {
      n[b * w + u] = QTY(*indic_cell(t, b, u));
      if(all) {
        int au = indic_table_unit(all, t->units[u]);
        na[b * w + u] = au >= 0 ? QTY(*indic_cell(all, b, au)) : 0;
      }
    }
    n[b * w + cols] = QTY(t->region[b]);
    if(all)
      na[b * w + cols] = QTY(all->region[b]);
  }
  for(u = 0; u < t->n_units; u++) {
    n[rows * w + u] = QTY(t->unit_total[u]);
    if(all) {
      int au = indic_table_unit(all, t->units[u]);
      na[rows * w + u] = au >= 0 ? QTY(all->unit_total[au]) : 0;
    }
  }
  n[rows * w + cols] = QTY(t->total);
  if(all)
    na[rows * w + cols] = QTY(all->total);
#undef QTY
  if(all)
    for(i = 0; i < cells; i++) {
      long rest = na[i] - n[i];
      force[i] = n[i] > 0 && rest > 0 && rest < r->f.threshold;
    }
  rc = supp_apply_forced(rows, cols, n, all ? force : NULL, r->f.threshold,
                         *marks, err);
  /* A span total next to a hidden period would let another query with a
   * shorter span subtract its way to that period: hide the total too.
   * (Hiding more never reopens a cycle, so the guarantee above holds.) */
  if(rc == PR_OK)
    for(u = 0; u <= cols; u++)
      for(b = 0; b < rows; b++)
        if((*marks)[b * w + u] != SUPP_SHOW) {
          if((*marks)[rows * w + u] == SUPP_SHOW)
            (*marks)[rows * w + u] = SUPP_COMPLEMENT;
          break;
        }
out:
  pr_free(n);
  pr_free(na);
  pr_free(force);
  return rc;
}

static enum pr_rc run_suppression(struct indicq_result *r,
                                  const struct indic_table *all, char *err)
{
  enum pr_rc rc = suppress_one(r, all, 0, &r->marks, err);
  /* "Vet ej" is a group of people too: its counts get the same rule. */
  if(rc == PR_OK)
    rc = suppress_one(r, all, 1, &r->dk_marks, err);
  return rc;
}

enum pr_rc indicq_run(struct aggdb *db, const struct indicq_filter *f,
                      struct indicq_result **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct indicq_result *r = NULL, *all = NULL;
  struct rowbuf rb;
  struct defs ds;
  struct keep_ctx kc;
  struct aggdb_param p[8];
  const char **extra = NULL;
  char sql[768];
  int np = 0, b, len, monthly;
  size_t i;

  *out = NULL;
  memset(&rb, 0, sizeof(rb));
  memset(&ds, 0, sizeof(ds));
  if(f->threshold < 1) {
    pr_seterr(err, "threshold must be at least 1");
    return PR_EINVAL;
  }
  r = pr_calloc(1, sizeof(*r));
  if(!r)
    goto out;
  r->f = *f;
  r->focus = -1;
  p[np++] = AGGDB_TEXT(f->indicator);
  p[np++] = AGGDB_INT(f->from);
  p[np++] = AGGDB_INT(f->to);
  /* Whole months (the usual dashboard and API query) read the monthly
   * roll-up; anything else the weekly rows.  Both give the same buckets:
   * a week counts in the month of its Monday either way. */
  monthly = f->period != INDIC_WEEK &&
            indic_bucket_start(INDIC_MONTH, f->from, 0) == f->from &&
            indic_bucket_next(INDIC_MONTH,
                              indic_bucket_start(INDIC_MONTH, f->to, 0),
                              0) == f->to + 1;
  len = snprintf(sql, sizeof(sql),
                 "SELECT unit, %s, set_id, set_version, SUM(pos),"
                 " SUM(neg), SUM(dontknow) FROM %s"
                 " WHERE indicator = $1 AND %s >= $2 AND %s <= $3",
                 monthly ? "month_start" : "period_start",
                 monthly ? "counts_month" : Q_COUNTS,
                 monthly ? "month_start" : "period_start",
                 monthly ? "month_start" : "period_start");
#define COND(col, val)                                                      \
  do {                                                                      \
    len += snprintf(sql + len, sizeof(sql) - (size_t)len,                   \
                    " AND " col " = $%d", np + 1);                          \
    p[np++] = (val);                                                        \
  } while(0)
  if(f->mode[0])
    COND("mode", AGGDB_TEXT(f->mode));
  if(f->track[0])
    COND("track", AGGDB_TEXT(f->track));
  if(f->care[0])
    COND("care", AGGDB_TEXT(f->care));
  if(f->set_id[0])
    COND("set_id", AGGDB_TEXT(f->set_id));
  if(f->set_version > 0)
    COND("set_version", AGGDB_INT(f->set_version));
#undef COND
  len += snprintf(sql + len, sizeof(sql) - (size_t)len,
                  " GROUP BY %s, unit, set_id, set_version",
                  monthly ? "month_start" : "period_start");
  if(len < 0 || (size_t)len >= sizeof(sql)) {
    rc = PR_EINTERNAL;
    pr_seterr(err, "query text too long");
    goto out;
  }
  rc = aggdb_query1(db, sql, p, np, count_row_cb, &rb, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(rb.failed)
    goto out;
  for(i = 0; i < rb.n; i++) {
    rb.rows[i].unit = rb.units[i];
    rb.rows[i].set_id = rb.sets[i];
  }

  ds.indicator = f->indicator;
  rc = aggdb_query1(db, "SELECT id, version, body FROM sets", NULL, 0, set_cb,
                    &ds, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(ds.failed)
    goto out;
  kc.ds = &ds;
  kc.f = f;

  if(f->unit[0]) {
    extra = pr_calloc(1, sizeof(*extra));
    if(!extra)
      goto out;
    extra[0] = f->unit;
  }
  rc = indic_table_build(f->period, f->from, f->to, rb.rows, rb.n, extra,
                         extra ? 1 : 0, keep_row, &kc, &r->t, err);
  if(rc != PR_OK)
    goto out;
  /* Name the versions left out so the reader knows why totals differ. */
  for(i = 0; i < ds.n && f->set_version == 0; i++) {
    const struct indic_def *d = &ds.d[i];
    size_t k;
    int dup = 0;
    if(indic_version_compatible(ds.d, ds.n, f->indicator, d->set_id,
                                d->version))
      continue;
    for(k = 0; k < rb.n; k++)
      if(strcmp(rb.rows[k].set_id, d->set_id) == 0 &&
         rb.rows[k].set_version == d->version)
        break;
    if(k == rb.n)
      continue;
    for(k = 0; k < (size_t)r->n_excluded; k++) {
      char name[INDIC_ID_LEN + 8];
      snprintf(name, sizeof(name), "%s v%d", d->set_id, d->version);
      if(strcmp(r->excluded[k], name) == 0)
        dup = 1;
    }
    if(!dup && r->n_excluded < (int)PR_ARRAY_LEN(r->excluded)) {
      snprintf(r->excluded[r->n_excluded++], INDIC_ID_LEN + 8, "%s v%d",
               d->set_id, d->version);
    }
  }
  r->focus = f->unit[0] ? indic_table_unit(r->t, f->unit) : -1;
  rc = PR_ENOMEM;
  r->labels = pr_calloc((size_t)r->t->n_buckets, INDIC_LABEL_LEN);
  if(!r->labels)
    goto out;
  for(b = 0; b < r->t->n_buckets; b++)
    indic_bucket_label(f->period, r->t->bucket_start[b], f->to, r->labels[b]);
  /* A cut (mode, track, care, set, version) is also checked against the
   * same question without it. */
  if(f->mode[0] || f->track[0] || f->care[0] || f->set_id[0] ||
     f->set_version > 0) {
    struct indicq_filter fa = *f;
    fa.mode[0] = fa.track[0] = fa.care[0] = fa.set_id[0] = '\0';
    fa.set_version = 0;
    rc = indicq_run(db, &fa, &all, err);
    if(rc != PR_OK)
      goto out;
  }
  rc = run_suppression(r, all ? all->t : NULL, err);
  if(rc != PR_OK)
    goto out;
  *out = r;
  r = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory in the indicator query");
  pr_free(extra);
  pr_free(ds.d);
  rowbuf_free(&rb);
  indicq_free(r);
  indicq_free(all);
  return rc;
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

enum pr_rc indicq_indicators(struct aggdb *db, char (**out)[INDIC_ID_LEN],
                             int *n, char *err)
{
  char *v = NULL;
  enum pr_rc rc = list_names(db, "SELECT DISTINCT indicator FROM " Q_COUNTS
                                 " ORDER BY indicator", INDIC_ID_LEN, &v, n,
                             err);
  *out = (char(*)[INDIC_ID_LEN])v;
  return rc;
}

/* ---- phone follow-up ---------------------------------------------------- */

struct phone_ctx {
  long complete, partial;
};

static int phone_cb(void *ctx, int ncol, const char *const *v,
                    const int *isnull)
{
  struct phone_ctx *pc = ctx;
  long n;
  if(ncol < 2 || isnull[0])
    return 0;
  n = field_long(v, isnull, 1);
  if(strcmp(v[0], "complete") == 0)
    pc->complete += n;
  else
    pc->partial += n;
  return 0;
}

enum pr_rc indicq_phone_counts(struct aggdb *db, const char *unit, long from,
                               long to, int threshold,
                               struct indicq_phone *out, char *err)
{
  struct phone_ctx pc = {0, 0};
  struct aggdb_param p[3];
  enum pr_rc rc;
  int np = 2;

  memset(out, 0, sizeof(*out));
  p[0] = AGGDB_INT(from);
  p[1] = AGGDB_INT(to);
  if(unit && *unit)
    p[np++] = AGGDB_TEXT(unit);
  /* Whole months: the roll-up kept by a trigger (dashroutes.c); else the
   * responses themselves. */
  if(indic_bucket_start(INDIC_MONTH, from, 0) == from &&
     indic_bucket_next(INDIC_MONTH, indic_bucket_start(INDIC_MONTH, to, 0),
                       0) == to + 1)
    rc = aggdb_query1(db,
                      np == 3 ? "SELECT status, SUM(n) FROM phone_month"
                                " WHERE month_start >= $1 AND month_start <= $2"
                                " AND unit = $3 GROUP BY status"
                              : "SELECT status, SUM(n) FROM phone_month"
                                " WHERE month_start >= $1 AND month_start <= $2"
                                " GROUP BY status",
                      p, np, phone_cb, &pc, err);
  else
    rc = aggdb_query1(db,
                      np == 3 ? "SELECT status, COUNT(*) FROM responses"
                                " WHERE mode = 'phone' AND period_start >= $1"
                                " AND period_start <= $2 AND unit = $3"
                                " GROUP BY status"
                              : "SELECT status, COUNT(*) FROM responses"
                                " WHERE mode = 'phone' AND period_start >= $1"
                                " AND period_start <= $2 GROUP BY status",
                      p, np, phone_cb, &pc, err);
  if(rc != PR_OK)
    return rc;
  if(pc.complete + pc.partial < threshold ||
     (pc.partial > 0 && pc.partial < threshold) ||
     (pc.complete > 0 && pc.complete < threshold)) {
    /* Either count alone could point at a handful of people. */
    out->suppressed = 1;
    return PR_OK;
  }
  out->complete = pc.complete;
  out->partial = pc.partial;
  return PR_OK;
}

/* ---- comments ------------------------------------------------------------ */

/* Which indicator a free-text question follows up: the indicator of the
 * question its condition depends on ("if not satisfied, how could we ..."). */
struct textmap_entry {
  char set_id[INDIC_ID_LEN];
  int version;
  char question[INDIC_ID_LEN];
  char indicator[INDIC_ID_LEN];
};

struct textmap {
  struct textmap_entry *e;
  int n, cap, failed;
};

static int textmap_cb(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  struct textmap *tm = ctx;
  struct qset *s = NULL;
  int i;
  if(ncol < 3 || isnull[2])
    return 0;
  if(qset_load_buffer("set", v[2], strlen(v[2]), &s, NULL) != PR_OK)
    return 0;
  for(i = 0; i < s->n_questions; i++) {
    const struct qset_question *q = &s->questions[i];
    struct textmap_entry *e;
    if(q->type != QSET_TEXT)
      continue;
    if(tm->n == tm->cap) {
      int cap = tm->cap ? tm->cap * 2 : 16;
      void *a = pr_realloc(tm->e, (size_t)cap * sizeof(*tm->e));
      if(!a) {
        tm->failed = 1;
        break;
      }
      tm->e = a;
      tm->cap = cap;
    }
    e = &tm->e[tm->n++];
    memset(e, 0, sizeof(*e));
    pr_strlcpy(e->set_id, s->id, sizeof(e->set_id));
    e->version = s->version;
    pr_strlcpy(e->question, q->id, sizeof(e->question));
    if(q->cond.op != QSET_COND_NONE && q->cond.on >= 0 &&
       q->cond.on < s->n_questions)
      pr_strlcpy(e->indicator, s->questions[q->cond.on].indicator,
                 sizeof(e->indicator));
  }
  qset_free(s);
  return tm->failed;
}

static const char *textmap_find(const struct textmap *tm, const char *set_id,
                                int version, const char *question)
{
  int i;
  for(i = 0; i < tm->n; i++)
    if(tm->e[i].version == version && strcmp(tm->e[i].set_id, set_id) == 0 &&
       strcmp(tm->e[i].question, question) == 0)
      return tm->e[i].indicator;
  return "";
}

struct comment_ctx {
  const struct textmap *tm;
  const char *indicator;
  struct indicq_comment *c;
  int n, max, failed;
};

/* period_start, set_id, set_version, question, text */
static int comment_cb(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  struct comment_ctx *cc = ctx;
  struct indicq_comment *c;
  const char *ind;
  long day;
  if(ncol < 5 || isnull[0] || isnull[4] || !*v[4])
    return 0;
  ind = textmap_find(cc->tm, isnull[1] ? "" : v[1],
                     (int)field_long(v, isnull, 2), isnull[3] ? "" : v[3]);
  if(cc->indicator[0] && strcmp(ind, cc->indicator) != 0)
    return 0;
  if(pr_parse_long(v[0], -1000000, 10000000, &day) != 0)
    return 0;
  c = &cc->c[cc->n];
  memset(c, 0, sizeof(*c));
  pdate_format_month(day, c->period);
  pr_strlcpy(c->indicator, ind, sizeof(c->indicator));
  c->text = pr_strdup(v[4]);
  if(!c->text) {
    cc->failed = 1;
    return 1;
  }
  cc->n++;
  return cc->n >= cc->max;
}

void indicq_comments_free(struct indicq_comment *c, int n)
{
  int i;
  if(!c)
    return;
  for(i = 0; i < n; i++)
    pr_free(c[i].text);
  pr_free(c);
}

enum pr_rc indicq_comments(struct aggdb *db, const char *unit,
                           const char *indicator, long from, long to,
                           int threshold, int max,
                           struct indicq_comment **out, int *n, int *hidden,
                           char *err)
{
  struct textmap tm = {NULL, 0, 0, 0};
  struct comment_ctx cc;
  struct aggdb_param p[3], lim[4];
  long long total = 0;
  int found = 0;
  enum pr_rc rc;
  struct aggdb_conn *conn = NULL;

  *out = NULL;
  *n = 0;
  *hidden = 0;
  memset(&cc, 0, sizeof(cc));
  if(!unit || !*unit || max < 1) {
    pr_seterr(err, "comments need a unit");
    return PR_EINVAL;
  }
  p[0] = AGGDB_TEXT(unit);
  p[1] = AGGDB_INT(from);
  p[2] = AGGDB_INT(to);
  rc = aggdb_acquire(db, &conn, err);
  if(rc != PR_OK)
    return rc;
  /* Only "at least the threshold?" matters: stop counting there. */
  lim[0] = p[0];
  lim[1] = p[1];
  lim[2] = p[2];
  lim[3] = AGGDB_INT(threshold);
  rc = aggdb_query_long(conn, "SELECT COUNT(*) FROM (SELECT 1 FROM responses"
                              " WHERE unit = $1 AND period_start >= $2"
                              " AND period_start <= $3 LIMIT $4) AS x",
                        lim, 4, &total, &found, err);
  aggdb_release(conn);
  if(rc != PR_OK)
    return rc;
  if(total < threshold) {
    *hidden = 1;
    return PR_OK;
  }
  rc = aggdb_query1(db, "SELECT id, version, body FROM sets", NULL, 0,
                    textmap_cb, &tm, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(tm.failed)
    goto out;
  cc.tm = &tm;
  cc.indicator = indicator ? indicator : "";
  cc.max = max;
  cc.c = pr_calloc((size_t)max, sizeof(*cc.c));
  if(!cc.c)
    goto out;
  rc = aggdb_query1(db,
                    "SELECT r.period_start, r.set_id, r.set_version,"
                    " a.question, a.text FROM answers a"
                    " JOIN responses r ON r.uuid = a.uuid"
                    " WHERE r.unit = $1 AND r.period_start >= $2"
                    " AND r.period_start <= $3 AND a.text IS NOT NULL"
                    " ORDER BY r.period_start DESC, a.text",
                    p, 3, comment_cb, &cc, err);
  if(rc == PR_OK && cc.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK)
    goto out;
  *out = cc.c;
  *n = cc.n;
  cc.c = NULL;
  cc.n = 0;
out:
  indicq_comments_free(cc.c, cc.n);
  pr_free(tm.e);
  return rc;
}
