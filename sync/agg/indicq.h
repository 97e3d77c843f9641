/* indicq.h — indicator queries against the aggregator's database: read the
 * pre-aggregated counts for one indicator and a filter, build the units x
 * periods table (indic.h), suppress small cells once on the canonical
 * calendar grid of the whole region (canon.h: months by quarter, weeks by
 * month, whatever span was asked for), and hand out only published
 * figures.  Every way out (API, CSV, dashboard, Excel, CLI) reads cells
 * through indicq_cell, so none can see a suppressed number.  The phone
 * follow-up (phoneq.h) and the comments (commentq.h) live apart. */
#ifndef INDICQ_H
#define INDICQ_H

#include "aggdb.h"
#include "indic.h"
#include "supp.h"

/* Schema component "indicq": the indicator query's covering index on
 * counts_month (one line in agg_components, aggroutes.c). */
enum pr_rc indicq_migrate(struct aggdb *db, char *err) PR_MUST;

struct indicq_filter {
  char indicator[INDIC_ID_LEN];
  enum indic_period period;
  long from, to;                 /* inclusive day numbers */
  char unit[INDIC_UNIT_LEN];     /* unit in focus; "" = region only */
  char mode[8];                  /* "", "kiosk", "phone" */
  char track[8];                 /* "", "gron", "gul", "rod" */
  char care[16];                 /* "", "somatisk", "psykiatrisk" */
  char set_id[INDIC_ID_LEN];     /* "" = every set */
  int set_version;               /* 0 = every comparable version */
  int threshold;                 /* suppression threshold (>= 1) */
  enum supp_cost cost;           /* what complements minimise (supp.h) */
  double goal;                   /* 0..1 */
  int goal_given;                /* 1: goal came from the request */
};

/* Defaults: indicator "nojdhet", month, the last 12 whole months before
 * the current one (on 2026-12-03: 2025-12-01..2026-11-30; today from
 * pr_now), threshold SUPP_DEFAULT_THRESHOLD, cost SUPP_DEFAULT_COST, goal
 * INDIC_DEFAULT_GOAL. */
void indicq_filter_default(struct indicq_filter *f);

/* Fill f from query parameters read through get (name -> value or NULL):
 * indicator, unit, period (week|month|quarter|year|range or Swedish),
 * span ("2026", "2026-K1", "2025-11..2026-02"...) or from + to (dates),
 * mode, track, care (any spelling of vocab.h, kept canonical), set,
 * version, goal (percent 1..100).  Unknown values
 * are PR_EINVAL with err naming the parameter; f keeps what was parsed. */
typedef const char *(*indicq_get_fn)(void *ctx, const char *name);
enum pr_rc indicq_filter_parse(struct indicq_filter *f, indicq_get_fn get,
                               void *ctx, char *err) PR_MUST;

/* A published cell.  mark is SUPP_SHOW, SUPP_PRIMARY or SUPP_COMPLEMENT;
 * when it is not SUPP_SHOW every number in s is zero.  The "vet ej" count
 * is suppressed on its own (with its own complements): dk_hidden = 1 then,
 * and s.dk is 0 — print it as hidden ("dolt"), never as "<threshold":
 * a complement may be large. */
struct indicq_cell {
  int mark;
  int dk_hidden;
  struct indic_share s;
};

struct indicq_result {
  struct indicq_filter f;
  struct indic_table *t;             /* raw counts: never print from here */
  unsigned char *marks;              /* (n_buckets+1) x (n_units+1) */
  unsigned char *dk_marks;           /* the same for the "vet ej" counts */
  char (*labels)[INDIC_LABEL_LEN];   /* n_buckets */
  int focus;                         /* column of f.unit, or -1 */
  int n_excluded;                    /* set versions left out (not comparable) */
  char excluded[8][INDIC_ID_LEN + 8];/* "kiosk-besok v1" */
};

/* Widen [f->from, f->to] to whole buckets of f->period, and never less
 * than whole months (whole ISO weeks for INDIC_WEEK; INDIC_RANGE is whole
 * months), so no span cuts a canonical cell. */
void indicq_snap_span(struct indicq_filter *f);

/* Run the query.  r->f is f with the span snapped (indicq_snap_span): the
 * figures are for r->f.from..r->f.to.  Suppression is computed on the
 * canonical grid over every unit of the region, whatever the caller may
 * later show and whatever span it asked for, so two readers or two spans
 * never get patterns to combine; a coarser cell is shown only when it is
 * a sum of shown canonical cells.  Week buckets hold the responses
 * reported by ISO week only (one reported by month has no week).
 * *out is the caller's (indicq_free); NULL on failure. */
enum pr_rc indicq_run(struct aggdb *db, const struct indicq_filter *f,
                      struct indicq_result **out, char *err) PR_MUST;
void indicq_free(struct indicq_result *r);              /* NULL-safe */

/* indicq_run keeps the region's suppressed table per indicator, period,
 * span and filter in memory and serves copies while the figures'
 * generation (aggcache.h: raised by every ingest, call-statistics and
 * set commit, in any process) is unchanged; one cheap read per query
 * checks it.  On by default; indicq_cache_enable(0) turns it off and
 * empties it (benchmarks: the cold figure), (1) empties it. */
void indicq_cache_enable(int on);
struct indicq_cache_stats {
  long hits, misses;
};
void indicq_cache_stats(struct indicq_cache_stats *out);

/* Published cell of bucket b (n_buckets = the whole span) and unit column
 * u (n_units = the region). */
struct indicq_cell indicq_cell(const struct indicq_result *r, int b, int u);
static inline int indicq_n_buckets(const struct indicq_result *r)
{
  return r->t->n_buckets;
}
static inline int indicq_n_units(const struct indicq_result *r)
{
  return r->t->n_units;
}

/* Every unit known to the aggregator (enrolled devices), sorted; *out is
 * the caller's (pr_free), *n how many. */
enum pr_rc indicq_units(struct aggdb *db, char (**out)[INDIC_UNIT_LEN],
                        int *n, char *err) PR_MUST;
/* Every indicator name present in the counts, sorted (as above), then the
 * phone follow-up's call rates AGGCALLS_RR1 and AGGCALLS_COOP1
 * ("svarsfrekvens", "samarbetsgrad", aggcalls.h) when any kiosk has sent
 * call statistics.  Those two are indicators like the others (share =
 * completed interviews of the rate's denominator, n = the denominator),
 * read from the call statistics, with no mode/track/care/set cut. */
enum pr_rc indicq_indicators(struct aggdb *db, char (**out)[INDIC_ID_LEN],
                             int *n, char *err) PR_MUST;

/* PR_ENOTFOUND with err naming the parameter ("parameter indicator: ...")
 * when indicator (may be NULL or "") is neither in the counts nor in any
 * published set, or no kiosk was ever enrolled for unit (may be NULL or
 * ""); PR_OK when both are known. */
enum pr_rc indicq_check_names(struct aggdb *db, const char *indicator,
                              const char *unit, char *err) PR_MUST;

#endif
