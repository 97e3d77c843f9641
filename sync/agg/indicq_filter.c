/* indicq_filter.c — This file contains the indicator queries' filter
 * (indicq.h): its defaults, parsing it from request parameters or CLI
 * options, snapping its span to whole buckets, and telling an unknown
 * indicator or unit apart from one with no answers. */
#include "indicq.h"

#include <stdio.h>
#include <string.h>

#include "aggcalls.h"
#include "pdate.h"
#include "qset.h"
#include "vocab.h"

#define Q_COUNTS "counts"

void indicq_filter_default(struct indicq_filter *f)
{
  long today = pdate_local_today(pr_now());
  int y, m, d;

  memset(f, 0, sizeof(*f));
  pr_strlcpy(f->indicator, "nojdhet", sizeof(f->indicator));
  f->period = INDIC_MONTH;
  pdate_ymd(today, &y, &m, &d);
  /* No period or span asked for: the last 12 whole months, the current
   * (unfinished) month not included — what a reader of "the last year"
   * expects, and every month bar then holds a whole month. */
  f->from = pdate_from_ymd(y - 1, m, 1);
  f->to = pdate_from_ymd(y, m, 1) - 1;
  f->threshold = SUPP_DEFAULT_THRESHOLD;
  f->cost = SUPP_DEFAULT_COST;
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
  if((v = get(ctx, "span")) && *v && pdate_parse_span(v, &f->from, &f->to)) {
    pr_seterr(err, "parameter span: use 2026, 2026-K1, 2026-03, 2026-W05, "
                   "a date, or FROM..TO");
    return PR_EINVAL;
  }
  if((v = get(ctx, "from")) && *v) {
    long to;
    if(pdate_parse_span(v, &f->from, &to) != 0) {
      pr_seterr(err, "parameter from: not a date (YYYY-MM-DD)");
      return PR_EINVAL;
    }
  }
  if((v = get(ctx, "to")) && *v) {
    long from;
    if(pdate_parse_span(v, &from, &f->to) != 0) {
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
  /* Track and care type: any spelling of the shared vocabulary (vocab.h),
   * kept as the canonical value the counts hold. */
  if((v = get(ctx, "track")) && *v) {
    const char *t = vocab_track(v);
    if(!t) {
      pr_seterr(err, "parameter track: " VOCAB_TRACK_WORDS);
      return PR_EINVAL;
    }
    pr_strlcpy(f->track, t, sizeof(f->track));
  }
  if((v = get(ctx, "care")) && *v) {
    const char *c = vocab_care(v);
    if(!c) {
      pr_seterr(err, "parameter care: " VOCAB_CARE_WORDS);
      return PR_EINVAL;
    }
    pr_strlcpy(f->care, c, sizeof(f->care));
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

void indicq_snap_span(struct indicq_filter *f)
{
  enum indic_period p = f->period == INDIC_RANGE ? INDIC_MONTH : f->period;
  long last;

  /* Whole buckets of the period asked for, and never less than whole
   * months (weeks: whole ISO weeks): a range may not cut a canonical
   * cell, or two ranges could be subtracted down to a part of it. */
  f->from = indic_bucket_start(p, f->from, f->from);
  last = indic_bucket_start(p, f->to, f->to);
  f->to = indic_bucket_next(p, last, f->to) - 1;
}

/* ---- names ------------------------------------------------------------ */

struct seen {
  const char *indicator;
  int found;
};

static int seen_cb(void *ctx, int ncol, const char *const *v, const int *isnull)
{
  struct seen *sn = ctx;
  struct qset *s = NULL;
  int i;
  if(ncol < 1 || isnull[0])
    return 0;
  if(ncol == 1) {                    /* a counts row: the name is in use */
    sn->found = 1;
    return 1;
  }
  if(isnull[1] || qset_load_buffer("set", v[1], strlen(v[1]), &s, NULL) !=
     PR_OK)
    return 0;
  for(i = 0; i < s->n_questions && !sn->found; i++)
    sn->found = strcmp(s->questions[i].indicator, sn->indicator) == 0;
  qset_free(s);
  return sn->found;
}

enum pr_rc indicq_check_names(struct aggdb *db, const char *indicator,
                              const char *unit, char *err)
{
  struct aggdb_param p[1];
  struct seen sn = {indicator, 0};
  enum pr_rc rc;

  if(indicator && *indicator && !aggcalls_is_rate(indicator)) {
    p[0] = AGGDB_TEXT(indicator);
    rc = aggdb_query1(db, "SELECT indicator FROM " Q_COUNTS
                          " WHERE indicator = $1 LIMIT 1", p, 1, seen_cb,
                      &sn, err);
    /* No answers yet: a published set may still name it. */
    if(rc == PR_OK && !sn.found)
      rc = aggdb_query1(db, "SELECT id, body FROM sets", NULL, 0, seen_cb,
                        &sn, err);
    if(rc != PR_OK)
      return rc;
    if(!sn.found) {
      pr_seterr(err, "parameter indicator: no indicator '%s' in any "
                     "published question set", indicator);
      return PR_ENOTFOUND;
    }
  }
  if(unit && *unit) {
    sn.found = 0;
    p[0] = AGGDB_TEXT(unit);
    rc = aggdb_query1(db, "SELECT unit FROM devices WHERE unit = $1 LIMIT 1",
                      p, 1, seen_cb, &sn, err);
    if(rc != PR_OK)
      return rc;
    if(!sn.found) {
      pr_seterr(err, "parameter unit: no kiosk is enrolled for unit '%s'",
                unit);
      return PR_ENOTFOUND;
    }
  }
  return PR_OK;
}
