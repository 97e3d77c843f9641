/* commentq.c — This file contains the comments query (commentq.h): which
 * indicator each free-text question follows up, the published month cells
 * of those indicators for the unit, and the size of each comment's own
 * group (unit, month, mode, track, care, set, version). */
#include "commentq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggcache.h"
#include "pdate.h"
#include "qset.h"

#define MAX_IND 16       /* distinct indicators followed up by text */

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
    if(PR_GROW(tm->e, tm->n, tm->cap, 16) != 0) {
      tm->failed = 1;
      break;
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

/* The months of the span in which an indicator's cell for the unit is
 * shown under the filter. */
struct gate {
  char indicator[INDIC_ID_LEN];
  unsigned char *shown;            /* n_months */
};

/* One finest group: the unit's responses of one month with the same
 * mode, track, care, set and version — every attribute a reader can
 * filter by.  A comment is shown only when its group is at least the
 * threshold, so no filter (or comparison of filters) narrows it down to
 * a smaller group. */
struct group {
  int month;
  char mode[8], track[8], care[16], set_id[INDIC_ID_LEN];
  long version, n;
};

struct groups {
  struct group *v;
  int n, cap, failed;
  long from;
  int n_months;
};

/* A comment read from the database, before its group is checked. */
struct cand {
  int month;
  char set_id[INDIC_ID_LEN], mode[8], track[8], care[16];
  long version;
  char indicator[INDIC_ID_LEN];
  char *text;                      /* owned */
};

#define MAX_CANDIDATES 5000        /* newest first; older ones are left */

struct comment_ctx {
  const struct textmap *tm;
  const char *indicator;
  long from;                       /* first day of the first month */
  int n_months;
  struct cand *c;
  int n, cap, failed;
};

static long field_long(const char *const *v, const int *isnull, int i)
{
  long x;
  if(isnull[i] || pr_parse_long(v[i], -(1L << 60), 1L << 60, &x) != 0)
    return 0;
  return x;
}

static int month_index(long first, long day)
{
  int y0, m0, d0, y, m, d;
  pdate_ymd(first, &y0, &m0, &d0);
  pdate_ymd(day, &y, &m, &d);
  return (y - y0) * 12 + (m - m0);
}

static const struct gate *gate_of(const struct gate *gates, int n_gates,
                                  const char *indicator)
{
  int i;
  for(i = 0; i < n_gates; i++)
    if(strcmp(gates[i].indicator, indicator) == 0)
      return &gates[i];
  return NULL;
}

static const struct group *group_of(const struct groups *gr,
                                    const struct cand *c)
{
  int i;
  for(i = 0; i < gr->n; i++) {
    const struct group *g = &gr->v[i];
    if(g->month == c->month && g->version == c->version &&
       !strcmp(g->set_id, c->set_id) && !strcmp(g->mode, c->mode) &&
       !strcmp(g->track, c->track) && !strcmp(g->care, c->care))
      return g;
  }
  return NULL;
}

/* period_start, set_id, set_version, question, text, mode, track, care */
static int comment_cb(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  struct comment_ctx *cc = ctx;
  struct cand *c;
  const char *ind;
  long day;
  int m;
  if(ncol < 8 || isnull[0] || isnull[4] || !*v[4])
    return 0;
  ind = textmap_find(cc->tm, isnull[1] ? "" : v[1],
                     (int)field_long(v, isnull, 2), isnull[3] ? "" : v[3]);
  if(cc->indicator[0] && strcmp(ind, cc->indicator) != 0)
    return 0;
  if(pr_parse_long(v[0], -1000000, 10000000, &day) != 0)
    return 0;
  m = month_index(cc->from, day);
  if(m < 0 || m >= cc->n_months)
    return 0;
  if(PR_GROW(cc->c, cc->n, cc->cap, 64) != 0) {
    cc->failed = 1;
    return 1;
  }
  c = &cc->c[cc->n];
  memset(c, 0, sizeof(*c));
  c->month = m;
  pr_strlcpy(c->set_id, isnull[1] ? "" : v[1], sizeof(c->set_id));
  c->version = field_long(v, isnull, 2);
  pr_strlcpy(c->mode, isnull[5] ? "" : v[5], sizeof(c->mode));
  pr_strlcpy(c->track, isnull[6] ? "" : v[6], sizeof(c->track));
  pr_strlcpy(c->care, isnull[7] ? "" : v[7], sizeof(c->care));
  pr_strlcpy(c->indicator, ind, sizeof(c->indicator));
  c->text = pr_strdup(v[4]);
  if(!c->text) {
    cc->failed = 1;
    return 1;
  }
  cc->n++;
  return cc->n >= MAX_CANDIDATES;
}

/* period_start, mode, track, care, set_id, set_version, count */
static int group_cb(void *ctx, int ncol, const char *const *v,
                    const int *isnull)
{
  struct groups *gr = ctx;
  struct group key, *g = NULL;
  long day;
  int i;
  if(ncol < 7 || isnull[0] ||
     pr_parse_long(v[0], -1000000, 10000000, &day) != 0)
    return 0;
  memset(&key, 0, sizeof(key));
  key.month = month_index(gr->from, day);
  if(key.month < 0 || key.month >= gr->n_months)
    return 0;
  pr_strlcpy(key.mode, isnull[1] ? "" : v[1], sizeof(key.mode));
  pr_strlcpy(key.track, isnull[2] ? "" : v[2], sizeof(key.track));
  pr_strlcpy(key.care, isnull[3] ? "" : v[3], sizeof(key.care));
  pr_strlcpy(key.set_id, isnull[4] ? "" : v[4], sizeof(key.set_id));
  key.version = field_long(v, isnull, 5);
  /* A month holds a kiosk's weeks as well as its months: sum them. */
  for(i = 0; i < gr->n && !g; i++)
    if(gr->v[i].month == key.month && gr->v[i].version == key.version &&
       !strcmp(gr->v[i].mode, key.mode) && !strcmp(gr->v[i].track, key.track) &&
       !strcmp(gr->v[i].care, key.care) && !strcmp(gr->v[i].set_id, key.set_id))
      g = &gr->v[i];
  if(!g) {
    if(PR_GROW(gr->v, gr->n, gr->cap, 32) != 0) {
      gr->failed = 1;
      return 1;
    }
    g = &gr->v[gr->n++];
    *g = key;
  }
  g->n += field_long(v, isnull, 6);
  return 0;
}

void commentq_free(struct commentq_comment *c, int n)
{
  int i;
  if(!c)
    return;
  for(i = 0; i < n; i++)
    pr_free(c[i].text);
  pr_free(c);
}

/* " AND r.mode = $k ..." for f's cut, parameters appended to p[*np]. */
static int cut_sql(const struct indicq_filter *f, char *sql, size_t cap,
                   struct aggdb_param *p, int *np)
{
  int len = 0;
#define COND(name, val)                                                     \
  do {                                                                      \
    len += snprintf(sql + len, cap - (size_t)len, " AND r." name " = $%d",  \
                    *np + 1);                                               \
    p[(*np)++] = (val);                                                     \
  } while(0)
  sql[0] = '\0';
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
  return len < 0 || (size_t)len >= cap ? -1 : 0;
}

static int same_cut(const struct indicq_filter *a,
                    const struct indicq_filter *b)
{
  return a->from == b->from && a->to == b->to && a->threshold == b->threshold &&
         strcmp(a->unit, b->unit) == 0 && strcmp(a->mode, b->mode) == 0 &&
         strcmp(a->track, b->track) == 0 && strcmp(a->care, b->care) == 0 &&
         strcmp(a->set_id, b->set_id) == 0 && a->set_version == b->set_version;
}

/* Shown months of indicator's cell for the unit under f (by month). */
static enum pr_rc gate_indicator(struct aggdb *db,
                                 const struct indicq_filter *f,
                                 struct indicq_result *const *known,
                                 int n_known, struct gate *g, int n_months,
                                 char *err)
{
  struct indicq_result *mine = NULL;
  const struct indicq_result *r = NULL;
  enum pr_rc rc = PR_OK;
  int i, m;

  for(i = 0; i < n_known && !r; i++)
    if(known[i] && known[i]->f.period == INDIC_MONTH &&
       strcmp(known[i]->f.indicator, g->indicator) == 0 &&
       same_cut(&known[i]->f, f))
      r = known[i];
  if(!r) {
    struct indicq_filter fi = *f;
    pr_strlcpy(fi.indicator, g->indicator, sizeof(fi.indicator));
    fi.period = INDIC_MONTH;
    rc = indicq_run(db, &fi, &mine, err);
    if(rc != PR_OK)
      return rc;
    r = mine;
  }
  for(m = 0; m < n_months && m < indicq_n_buckets(r); m++)
    g->shown[m] = r->focus >= 0 &&
                  indicq_cell(r, m, r->focus).mark == SUPP_SHOW;
  indicq_free(mine);
  return PR_OK;
}

static enum pr_rc comments_compute(struct aggdb *db,
                                   const struct indicq_filter *f_in,
                                   const char *indicator, int max,
                                   struct indicq_result *const *known,
                                   int n_known, struct commentq_comment **out,
                                   int *n, char *err);

/* The comments shown for a filter, kept like the indicator tables
 * (indicq.h) while the figures' generation (aggcache.h) holds: reading
 * them walks the unit's responses, which grow with the data. */
#define CQC_SLOTS 16
static struct {
  const struct aggdb *db;
  long long gen;
  char key[320];
  struct commentq_comment *c;
  int n;
  unsigned long used;
} cqc[CQC_SLOTS];
static pthread_mutex_t cqc_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long cqc_tick;

static struct commentq_comment *comments_copy(const struct commentq_comment *c,
                                              int n)
{
  struct commentq_comment *d = pr_calloc((size_t)(n > 0 ? n : 1), sizeof(*d));
  int i;

  for(i = 0; d && i < n; i++) {
    d[i] = c[i];
    d[i].text = pr_strdup(c[i].text ? c[i].text : "");
    if(!d[i].text) {
      commentq_free(d, i);
      d = NULL;
    }
  }
  return d;
}

enum pr_rc commentq_list(struct aggdb *db, const struct indicq_filter *f_in,
                         const char *indicator, int max,
                         struct indicq_result *const *known, int n_known,
                         struct commentq_comment **out, int *n, char *err)
{
  struct indicq_filter f = *f_in;
  long long gen = 0;
  char key[320];
  enum pr_rc rc;
  int i, k, victim = 0;

  *out = NULL;
  *n = 0;
  indicq_snap_span(&f);
  k = snprintf(key, sizeof(key), "%s|%s|%d|%ld|%ld|%s|%s|%s|%s|%d|%d|%d",
               f.unit, indicator ? indicator : "", (int)f.period, f.from, f.to,
               f.mode, f.track, f.care, f.set_id, f.set_version, f.threshold,
               max);
  if(k < 0 || (size_t)k >= sizeof(key) ||
     aggcache_gen_db(db, &gen, err) != PR_OK)
    return comments_compute(db, f_in, indicator, max, known, n_known, out,
                            n, err);
  pthread_mutex_lock(&cqc_mu);
  for(i = 0; i < CQC_SLOTS; i++)
    if(cqc[i].c && cqc[i].db == db && cqc[i].gen == gen &&
       !strcmp(cqc[i].key, key)) {
      *out = comments_copy(cqc[i].c, cqc[i].n);
      *n = *out ? cqc[i].n : 0;
      cqc[i].used = ++cqc_tick;
      break;
    }
  pthread_mutex_unlock(&cqc_mu);
  if(*out)
    return PR_OK;
  rc = comments_compute(db, f_in, indicator, max, known, n_known, out, n,
                        err);
  if(rc != PR_OK)
    return rc;
  {
    struct commentq_comment *keep = comments_copy(*out, *n);

    if(!keep)
      return PR_OK;
    pthread_mutex_lock(&cqc_mu);
    for(i = 0; i < CQC_SLOTS; i++) {
      if(!cqc[i].c || (cqc[i].db == db && cqc[i].gen != gen)) {
        victim = i;
        break;
      }
      if(cqc[i].used < cqc[victim].used)
        victim = i;
    }
    commentq_free(cqc[victim].c, cqc[victim].n);
    cqc[victim].db = db;
    cqc[victim].gen = gen;
    pr_strlcpy(cqc[victim].key, key, sizeof(cqc[victim].key));
    cqc[victim].c = keep;
    cqc[victim].n = *n;
    cqc[victim].used = ++cqc_tick;
    pthread_mutex_unlock(&cqc_mu);
  }
  return PR_OK;
}

static enum pr_rc comments_compute(struct aggdb *db,
                                   const struct indicq_filter *f_in,
                                   const char *indicator, int max,
                                   struct indicq_result *const *known,
                                   int n_known, struct commentq_comment **out,
                                   int *n, char *err)
{
  struct textmap tm = {NULL, 0, 0, 0};
  struct comment_ctx cc;
  struct indicq_filter f = *f_in;
  struct gate gates[MAX_IND];
  struct groups gr;
  struct commentq_comment *res = NULL;
  struct aggdb_param p[8];
  char cut[256], sql[900];
  int np, n_gates = 0, n_months, n_res = 0, i;
  enum pr_rc rc = PR_ENOMEM;

  *out = NULL;
  *n = 0;
  memset(&cc, 0, sizeof(cc));
  memset(gates, 0, sizeof(gates));
  memset(&gr, 0, sizeof(gr));
  if(!f.unit[0] || max < 1 || f.threshold < 1) {
    pr_seterr(err, "comments need a unit");
    return PR_EINVAL;
  }
  if(!indicator)
    indicator = "";
  f.period = INDIC_MONTH;
  indicq_snap_span(&f);
  n_months = month_index(f.from, f.to) + 1;
  rc = aggdb_query1(db, "SELECT id, version, body FROM sets", NULL, 0,
                    textmap_cb, &tm, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(tm.failed)
    goto out;

  /* 1. The comments under the filter, newest first. */
  cc.tm = &tm;
  cc.indicator = indicator;
  cc.from = f.from;
  cc.n_months = n_months;
  np = 0;
  p[np++] = AGGDB_TEXT(f.unit);
  p[np++] = AGGDB_INT(f.from);
  p[np++] = AGGDB_INT(f.to);
  if(cut_sql(&f, cut, sizeof(cut), p, &np) != 0 ||
     snprintf(sql, sizeof(sql), "SELECT r.period_start, r.set_id,"
              " r.set_version, a.question, a.text, r.mode, r.track, r.care"
              " FROM answers a JOIN responses r ON r.uuid = a.uuid"
              " WHERE r.unit = $1 AND r.period_start >= $2"
              " AND r.period_start <= $3 AND a.text IS NOT NULL%s"
              " ORDER BY r.period_start DESC, a.text", cut) >=
         (int)sizeof(sql)) {
    rc = PR_EINTERNAL;
    pr_seterr(err, "comments: query text too long");
    goto out;
  }
  rc = aggdb_query1(db, sql, p, np, comment_cb, &cc, err);
  if(rc == PR_OK && cc.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK || cc.n == 0)
    goto out;

  /* 2. The months in which each indicator they follow up is shown. */
  rc = PR_ENOMEM;
  for(i = 0; i < cc.n; i++) {
    const char *ind = cc.c[i].indicator;
    if(!ind[0] || gate_of(gates, n_gates, ind) || n_gates == MAX_IND)
      continue;
    pr_strlcpy(gates[n_gates].indicator, ind, INDIC_ID_LEN);
    gates[n_gates].shown = pr_calloc((size_t)n_months, 1);
    if(!gates[n_gates].shown)
      goto out;
    n_gates++;
    rc = gate_indicator(db, &f, known, n_known, &gates[n_gates - 1],
                        n_months, err);
    if(rc != PR_OK)
      goto out;
    rc = PR_ENOMEM;
  }

  /* 3. The finest groups of the unit in the span (whatever the filter). */
  gr.from = f.from;
  gr.n_months = n_months;
  rc = aggdb_query1(db, "SELECT period_start, mode, track, care, set_id,"
                        " set_version, COUNT(*) FROM responses WHERE unit = $1"
                        " AND period_start >= $2 AND period_start <= $3"
                        " GROUP BY period_start, mode, track, care, set_id,"
                        " set_version", p, 3, group_cb, &gr, err);
  if(rc == PR_OK && gr.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK)
    goto out;

  /* 4. Only those whose group and figure are shown. */
  rc = PR_ENOMEM;
  res = pr_calloc((size_t)max, sizeof(*res));
  if(!res)
    goto out;
  for(i = 0; i < cc.n && n_res < max; i++) {
    struct cand *c = &cc.c[i];
    const struct group *g = group_of(&gr, c);
    if(!g || g->n < f.threshold)
      continue;                    /* its own group is too small */
    if(c->indicator[0]) {
      const struct gate *gt = gate_of(gates, n_gates, c->indicator);
      if(!gt || !gt->shown[c->month])
        continue;                  /* its figure is not shown that month */
    }
    {
      /* The label: the month of the response. */
      int y, mo, d;
      pdate_ymd(f.from, &y, &mo, &d);
      mo += c->month;
      y += (mo - 1) / 12;
      mo = (mo - 1) % 12 + 1;
      pdate_format_month(pdate_from_ymd(y, mo, 1), res[n_res].period);
    }
    pr_strlcpy(res[n_res].indicator, c->indicator, INDIC_ID_LEN);
    res[n_res].text = c->text;
    c->text = NULL;
    n_res++;
  }
  *out = res;
  *n = n_res;
  res = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory reading comments");
  commentq_free(res, n_res);
  for(i = 0; i < cc.n; i++)
    pr_free(cc.c[i].text);
  pr_free(cc.c);
  for(i = 0; i < n_gates; i++)
    pr_free(gates[i].shown);
  pr_free(gr.v);
  pr_free(tm.e);
  return rc;
}
