/* indic.c — This file contains the indicator engine: Wilson intervals,
 * period buckets (ISO week, month, quarter, year, range), the units x
 * periods table built from pre-aggregated counts, and the question-set
 * version compatibility rule.  See indic.h for the contracts. */
#include "indic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdate.h"

void indic_wilson(long pos, long n, double z, double *lo, double *hi)
{
  double p, z2, denom, centre, half;

  if(n <= 0) {
    *lo = 0.0;
    *hi = 0.0;
    return;
  }
  if(pos < 0)
    pos = 0;
  if(pos > n)
    pos = n;
  p = (double)pos / (double)n;
  z2 = z * z;
  denom = 1.0 + z2 / (double)n;
  centre = (p + z2 / (2.0 * (double)n)) / denom;
  half = z * sqrt(p * (1.0 - p) / (double)n + z2 / (4.0 * (double)n * (double)n))
         / denom;
  *lo = centre - half;
  *hi = centre + half;
  /* Rounding can push the exact 0 / 1 ends a hair outside [0, 1]. */
  if(*lo < 0.0 || pos == 0)
    *lo = 0.0;
  if(*hi > 1.0 || pos == n)
    *hi = 1.0;
}

struct indic_share indic_share_of(struct indic_counts c)
{
  struct indic_share s;

  memset(&s, 0, sizeof(s));
  s.pos = c.pos;
  s.n = c.pos + c.neg;
  s.dk = c.dk;
  if(s.n > 0) {
    s.valid = 1;
    s.share = (double)s.pos / (double)s.n;
    indic_wilson(s.pos, s.n, INDIC_Z95, &s.lo, &s.hi);
  }
  return s;
}

static const struct {
  const char *name;
  enum indic_period p;
} period_names[] = {
  {"week", INDIC_WEEK},       {"vecka", INDIC_WEEK},
  {"month", INDIC_MONTH},     {"manad", INDIC_MONTH},
  {"månad", INDIC_MONTH},     {"quarter", INDIC_QUARTER},
  {"kvartal", INDIC_QUARTER}, {"year", INDIC_YEAR},
  {"ar", INDIC_YEAR},         {"år", INDIC_YEAR},
  {"range", INDIC_RANGE},     {"intervall", INDIC_RANGE},
};

int indic_period_parse(const char *s, enum indic_period *out)
{
  size_t i;
  if(!s)
    return -1;
  for(i = 0; i < PR_ARRAY_LEN(period_names); i++) {
    if(strcmp(s, period_names[i].name) == 0) {
      *out = period_names[i].p;
      return 0;
    }
  }
  return -1;
}

const char *indic_period_name(enum indic_period p)
{
  switch(p) {
  case INDIC_WEEK: return "week";
  case INDIC_MONTH: return "month";
  case INDIC_QUARTER: return "quarter";
  case INDIC_YEAR: return "year";
  case INDIC_RANGE: return "range";
  }
  return "?";
}

long indic_bucket_start(enum indic_period p, long day, long range_from)
{
  int y, m, d;

  switch(p) {
  case INDIC_WEEK:
    return day - (pdate_weekday(day) - 1);
  case INDIC_MONTH:
    pdate_ymd(day, &y, &m, &d);
    return pdate_from_ymd(y, m, 1);
  case INDIC_QUARTER:
    pdate_ymd(day, &y, &m, &d);
    return pdate_from_ymd(y, ((m - 1) / 3) * 3 + 1, 1);
  case INDIC_YEAR:
    pdate_ymd(day, &y, &m, &d);
    return pdate_from_ymd(y, 1, 1);
  case INDIC_RANGE:
    return range_from;
  }
  return day;
}

long indic_bucket_next(enum indic_period p, long start, long range_to)
{
  int y, m, d;

  pdate_ymd(start, &y, &m, &d);
  switch(p) {
  case INDIC_WEEK:
    return start + 7;
  case INDIC_MONTH:
    return m == 12 ? pdate_from_ymd(y + 1, 1, 1) : pdate_from_ymd(y, m + 1, 1);
  case INDIC_QUARTER:
    return m >= 10 ? pdate_from_ymd(y + 1, 1, 1)
                   : pdate_from_ymd(y, m + 3, 1);
  case INDIC_YEAR:
    return pdate_from_ymd(y + 1, 1, 1);
  case INDIC_RANGE:
    return range_to + 1;
  }
  return start + 1;
}

void indic_bucket_label(enum indic_period p, long start, long range_to,
                        char out[INDIC_LABEL_LEN])
{
  int y, m, d;
  char a[11], b[11];

  pdate_ymd(start, &y, &m, &d);
  switch(p) {
  case INDIC_WEEK:
    pdate_format_week(start, out);
    return;
  case INDIC_MONTH:
    pdate_format_month(start, out);
    return;
  case INDIC_QUARTER:
    snprintf(out, INDIC_LABEL_LEN, "%04d-K%d", y, (m - 1) / 3 + 1);
    return;
  case INDIC_YEAR:
    snprintf(out, INDIC_LABEL_LEN, "%04d", y);
    return;
  case INDIC_RANGE:
    pdate_format(start, a);
    pdate_format(range_to, b);
    snprintf(out, INDIC_LABEL_LEN, "%s–%s", a, b);
    return;
  }
  out[0] = '\0';
}

static int cmp_unit(const void *a, const void *b)
{
  return strcmp((const char *)a, (const char *)b);
}

static void add_counts(struct indic_counts *to, const struct indic_counts *c)
{
  to->pos += c->pos;
  to->neg += c->neg;
  to->dk += c->dk;
}

/* c into cell (b, u) of t and into its margins. */
static void table_add(struct indic_table *t, int b, int u,
                      const struct indic_counts *c)
{
  add_counts(indic_cell(t, b, u), c);
  add_counts(&t->region[b], c);
  add_counts(&t->unit_total[u], c);
  add_counts(&t->total, c);
}

void indic_table_free(struct indic_table *t)
{
  if(!t)
    return;
  pr_free(t->bucket_start);
  pr_free(t->units);
  pr_free(t->cells);
  pr_free(t->region);
  pr_free(t->unit_total);
  pr_free(t);
}

/* Column of unit among the first n sorted units of t, or -1. */
static int indic_table_unit_n(const struct indic_table *t, size_t n,
                              const char *unit)
{
  const char(*hit)[INDIC_UNIT_LEN];
  char key[INDIC_UNIT_LEN];

  if(n == 0 || pr_strlcpy(key, unit, sizeof(key)) != 0)
    return -1;
  hit = bsearch(key, t->units, n, INDIC_UNIT_LEN, cmp_unit);
  return hit ? (int)(hit - t->units) : -1;
}

int indic_table_unit(const struct indic_table *t, const char *unit)
{
  const char(*hit)[INDIC_UNIT_LEN];
  char key[INDIC_UNIT_LEN];

  if(!t || !unit || t->n_units == 0)
    return -1;
  if(pr_strlcpy(key, unit, sizeof(key)) != 0)
    return -1;
  hit = bsearch(key, t->units, (size_t)t->n_units, INDIC_UNIT_LEN, cmp_unit);
  return hit ? (int)(hit - t->units) : -1;
}

/* Index of the bucket holding day, by binary search on bucket starts. */
static int bucket_of(const struct indic_table *t, long day)
{
  int lo = 0, hi = t->n_buckets - 1;

  if(day < t->from || day > t->to)
    return -1;
  while(lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if(t->bucket_start[mid] <= day)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

enum pr_rc indic_table_build(enum indic_period p, long from, long to,
                             const struct indic_row *rows, size_t n_rows,
                             const char *const *extra_units, size_t n_extra,
                             indic_keep_fn keep, void *keep_ctx,
                             struct indic_table **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct indic_table *t = NULL;
  size_t i, k, nu = 0, n_in, nslot;
  size_t *slot = NULL, *ids = NULL, *first = NULL, *order = NULL;
  long s;
  int nb = 0;

  *out = NULL;
  if(from > to) {
    pr_seterr(err, "period: start after end");
    return PR_EINVAL;
  }
  for(s = indic_bucket_start(p, from, from); s <= to;
      s = indic_bucket_next(p, s, to)) {
    if(++nb > INDIC_MAX_PERIODS) {
      pr_seterr(err, "period: more than %d %s buckets", INDIC_MAX_PERIODS,
                indic_period_name(p));
      return PR_EINVAL;
    }
  }
  t = pr_calloc(1, sizeof(*t));
  if(!t)
    goto out;
  t->period = p;
  t->from = from;
  t->to = to;
  t->n_buckets = nb;
  t->bucket_start = pr_calloc((size_t)nb, sizeof(long));
  if(!t->bucket_start)
    goto out;
  nb = 0;
  for(s = indic_bucket_start(p, from, from); s <= to;
      s = indic_bucket_next(p, s, to))
    t->bucket_start[nb++] = s;

  /* Units: every unit seen plus the extra ones, sorted and unique.  Tens
   * of thousands of rows name about a thousand units: each distinct name
   * is found once through a hash set (slot[] holds 1 + its first index
   * in the input, ids[] each input's distinct name), so only the distinct
   * names are sorted and no row needs a search afterwards. */
  n_in = n_rows + n_extra;
  for(nslot = 64; nslot < 2 * (n_in + 1); nslot *= 2)
    ;
  slot = pr_calloc(nslot, sizeof(*slot));
  ids = pr_calloc(n_in ? n_in : 1, sizeof(*ids));
  first = pr_calloc(n_in ? n_in : 1, sizeof(*first));
  if(!slot || !ids || !first)
    goto out;
  for(i = 0; i < n_in; i++) {
    const char *u = i < n_rows ? rows[i].unit : extra_units[i - n_rows];
    size_t h = 5381, len;
    ids[i] = (size_t)-1;
    if(!u || !*u)
      continue;
    len = strlen(u);
    if(len >= INDIC_UNIT_LEN) {
      pr_seterr(err, "unit id too long");
      rc = PR_EINVAL;
      goto out;
    }
    for(k = 0; k < len; k++)
      h = h * 33 + (unsigned char)u[k];
    for(h &= nslot - 1;; h = (h + 1) & (nslot - 1)) {
      if(slot[h] == 0) {
        slot[h] = nu + 1;
        first[nu] = i;
        ids[i] = nu++;
        break;
      }
      k = first[slot[h] - 1];
      if(strcmp(k < n_rows ? rows[k].unit : extra_units[k - n_rows], u) ==
         0) {
        ids[i] = slot[h] - 1;
        break;
      }
    }
  }
  if(nu > INDIC_MAX_UNITS) {
    pr_seterr(err, "more than %d units", INDIC_MAX_UNITS);
    rc = PR_ELIMIT;
    goto out;
  }
  t->units = pr_calloc(nu ? nu : 1, INDIC_UNIT_LEN);
  order = pr_calloc(nu ? nu : 1, sizeof(*order));
  if(!t->units || !order)
    goto out;
  for(k = 0; k < nu; k++) {
    i = first[k];
    pr_strlcpy(t->units[k], i < n_rows ? rows[i].unit
                                       : extra_units[i - n_rows],
               INDIC_UNIT_LEN);
  }
  qsort(t->units, nu, INDIC_UNIT_LEN, cmp_unit);
  /* order[distinct name] = its column in the sorted units. */
  for(k = 0; k < nu; k++) {
    i = first[k];
    order[k] = (size_t)indic_table_unit_n(t, nu, i < n_rows ? rows[i].unit
                                                  : extra_units[i - n_rows]);
  }
  t->n_units = (int)nu;
  t->cells = pr_calloc((size_t)t->n_buckets * (nu ? nu : 1),
                       sizeof(struct indic_counts));
  t->region = pr_calloc((size_t)t->n_buckets, sizeof(struct indic_counts));
  t->unit_total = pr_calloc(nu ? nu : 1, sizeof(struct indic_counts));
  if(!t->cells || !t->region || !t->unit_total)
    goto out;

  for(i = 0; i < n_rows; i++) {
    int b, u;
    if(ids[i] == (size_t)-1)
      continue;
    if(keep && !keep(keep_ctx, rows[i].set_id ? rows[i].set_id : "",
                     rows[i].set_version))
      continue;
    b = bucket_of(t, rows[i].day);
    u = (int)order[ids[i]];
    if(b < 0)
      continue;
    table_add(t, b, u, &rows[i].c);
  }
  *out = t;
  t = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory building the indicator table");
  pr_free(slot);
  pr_free(ids);
  pr_free(first);
  pr_free(order);
  indic_table_free(t);
  return rc;
}

enum pr_rc indic_table_rebucket(const struct indic_table *src,
                                enum indic_period p, long from, long to,
                                struct indic_table **out, char *err)
{
  struct indic_table *t = NULL;
  const char **names = NULL;
  enum pr_rc rc = PR_ENOMEM;
  int m, u, nu = src->n_units;

  *out = NULL;
  names = pr_calloc((size_t)(nu > 0 ? nu : 1), sizeof(*names));
  if(!names)
    goto out;
  for(u = 0; u < nu; u++)
    names[u] = src->units[u];
  rc = indic_table_build(p, from, to, NULL, 0, names, (size_t)nu, NULL, NULL,
                         &t, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_EINVAL;
  if(t->n_units != nu) {
    pr_seterr(err, "regrouping a table: unit columns differ");
    goto out;
  }
  for(m = 0; m < src->n_buckets; m++) {
    long first = src->bucket_start[m];
    long last = m + 1 < src->n_buckets ? src->bucket_start[m + 1] - 1
                                       : src->to;
    int b = bucket_of(t, first);

    if(last < from || first > to)
      continue;                 /* wholly outside */
    if(b < 0 || bucket_of(t, last) != b) {
      pr_seterr(err, "regrouping a table: a bucket is cut");
      goto out;
    }
    for(u = 0; u < nu; u++)
      table_add(t, b, u, indic_cell(src, m, u));
  }
  *out = t;
  t = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory building the indicator table");
  pr_free(names);
  indic_table_free(t);
  return rc;
}

int indic_version_compatible(const struct indic_def *defs, size_t n_defs,
                             const char *indicator, const char *set_id,
                             int version)
{
  const struct indic_def *newest = NULL, *mine = NULL;
  size_t i;

  for(i = 0; i < n_defs; i++) {
    const struct indic_def *d = &defs[i];
    if(strcmp(d->set_id, set_id) != 0 || strcmp(d->indicator, indicator) != 0)
      continue;
    if(!newest || d->version > newest->version)
      newest = d;
    if(d->version == version)
      mine = d;
  }
  if(!newest || !mine)
    return 1;
  return strcmp(newest->signature, mine->signature) == 0;
}
