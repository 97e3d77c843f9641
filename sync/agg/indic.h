/* indic.h — the indicator engine: share positive with n and a 95 % Wilson
 * interval, periods (ISO week, month, quarter, year, date range), a table of
 * units x periods built from pre-aggregated counts, trend series for one
 * unit against the region, and which question-set versions may be counted
 * together.  Pure data in, data out: no database, no suppression (supp.h),
 * no formatting.  "Vet ej / vill inte svara" is counted apart and never
 * enters the denominator. */
#ifndef INDIC_H
#define INDIC_H

#include "pr.h"

#define INDIC_ID_LEN   48    /* indicator, set id (QSET_ID_LEN) */
#define INDIC_UNIT_LEN 40    /* HSA-id */
#define INDIC_LABEL_LEN 24   /* "2026-W01", "2026-K1", "2026-01-05–2026-02-01" */
#define INDIC_MAX_PERIODS 600 /* ~11 years of weeks */
#define INDIC_MAX_UNITS 2000
#define INDIC_DEFAULT_GOAL 0.75
#define INDIC_Z95 1.959963984540054

/* Counts of one cell.  n = pos + neg; dk is reported on its own. */
struct indic_counts {
  long pos, neg, dk;
};

/* Share positive and its 95 % Wilson interval, all in [0, 1].  For n == 0
 * share, lo and hi are 0 and valid is 0. */
struct indic_share {
  long n, pos, dk;
  double share, lo, hi;
  int valid;
};

/* Wilson score interval for pos of n at normal quantile z.  n <= 0 gives
 * lo = hi = 0.  pos is clamped to [0, n]. */
void indic_wilson(long pos, long n, double z, double *lo, double *hi);
struct indic_share indic_share_of(struct indic_counts c);

enum indic_period {
  INDIC_WEEK = 1,   /* ISO 8601 week, Monday start */
  INDIC_MONTH,
  INDIC_QUARTER,
  INDIC_YEAR,
  INDIC_RANGE       /* one bucket: the whole [from, to] range */
};

/* "vecka"/"week", "manad"/"month", "kvartal"/"quarter", "ar"/"year",
 * "intervall"/"range" -> *out.  0 / -1 on an unknown name. */
int indic_period_parse(const char *s, enum indic_period *out) PR_MUST;
const char *indic_period_name(enum indic_period p);   /* "month" ... */

/* Start day (days since 1970-01-01) of the bucket of kind p holding day.
 * For INDIC_RANGE it is range_from. */
long indic_bucket_start(enum indic_period p, long day, long range_from);
/* First day of the bucket after the one starting at start. */
long indic_bucket_next(enum indic_period p, long start, long range_to);
/* Human label of the bucket starting at start: "2026-W01", "2026-01",
 * "2026-K1", "2026", or "2026-01-05–2026-02-01" for a range. */
void indic_bucket_label(enum indic_period p, long start, long range_to,
                        char out[INDIC_LABEL_LEN]);

/* Span expressions ("2026-K1", "2026-03..2026-05") are pdate_parse_span
 * (pdate.h), shared with rostctl. */

/* One stored row of pre-aggregated counts (agg's counts table, summed over
 * the dimensions the query did not cut by). */
struct indic_row {
  const char *unit;
  long day;                 /* period_start of the stored row */
  const char *set_id;
  int set_version;
  struct indic_counts c;
};

/* A table of units (columns) x buckets (rows) for one indicator, with the
 * region (all units) as margins.  cell(t, b, u) = t->cells[b * t->n_units
 * + u]; region[b] is the sum over all units of bucket b; unit_total[u] the
 * sum over buckets; total the grand total. */
struct indic_table {
  enum indic_period period;
  long from, to;
  int n_buckets;
  long *bucket_start;                 /* n_buckets */
  int n_units;
  char (*units)[INDIC_UNIT_LEN];      /* n_units, sorted */
  struct indic_counts *cells;         /* n_buckets * n_units */
  struct indic_counts *region;        /* n_buckets */
  struct indic_counts *unit_total;    /* n_units */
  struct indic_counts total;
};

/* Which (set, version) rows count for an indicator: a callback that says
 * 1 to keep the row, 0 to leave it out (e.g. an incompatible version).
 * NULL keeps every row. */
typedef int (*indic_keep_fn)(void *ctx, const char *set_id, int version);

/* Build the table from rows.  Rows outside [from, to] are ignored.  Units
 * are every unit seen in rows plus those in extra_units (may be NULL / 0),
 * so a unit with no responses still has a column.  *out is the caller's
 * (indic_table_free); NULL on failure.  PR_EINVAL when from > to or the
 * range has more than INDIC_MAX_PERIODS buckets, PR_ELIMIT on more than
 * INDIC_MAX_UNITS units. */
enum pr_rc indic_table_build(enum indic_period p, long from, long to,
                             const struct indic_row *rows, size_t n_rows,
                             const char *const *extra_units, size_t n_extra,
                             indic_keep_fn keep, void *keep_ctx,
                             struct indic_table **out, char *err) PR_MUST;
void indic_table_free(struct indic_table *t);          /* NULL-safe */
/* The table that indic_table_build(p, from, to, ...) would make from the
 * rows src was built from, made from src's cells instead of the rows:
 * the same units, src's buckets summed into p's.  Every bucket of src
 * must lie whole inside [from, to] and inside one bucket of p, or wholly
 * outside [from, to] (PR_EINVAL otherwise): e.g. months regrouped into a
 * span of whole months or quarters.  *out as indic_table_build. */
enum pr_rc indic_table_rebucket(const struct indic_table *src,
                                enum indic_period p, long from, long to,
                                struct indic_table **out, char *err) PR_MUST;
/* Column of unit in t, or -1. */
int indic_table_unit(const struct indic_table *t, const char *unit);
static inline struct indic_counts *indic_cell(const struct indic_table *t,
                                              int b, int u)
{
  return &t->cells[(size_t)b * (size_t)t->n_units + (size_t)u];
}

/* Question-set version compatibility.  A definition is the signature of how
 * one question of one set version maps to an indicator: its option codes,
 * each with its class (positive / negative / dontknow).  Versions of a set
 * count together for an indicator when their signatures equal the newest
 * version's; older versions with another signature are left out of the
 * combined figure (they can still be asked for by version). */
struct indic_def {
  char set_id[INDIC_ID_LEN];
  int version;
  char indicator[INDIC_ID_LEN];
  char signature[256];      /* e.g. "mycket:+,lite:-,inte_alls:-,vet_ej:?" */
};
/* 1 when (set_id, version) counts in the combined figure of indicator:
 * its signature equals that of the newest version of set_id that has the
 * indicator.  A set/version with no definition is kept (nothing known
 * against it). */
int indic_version_compatible(const struct indic_def *defs, size_t n_defs,
                             const char *indicator, const char *set_id,
                             int version);

#endif
