/* phoneq.c — This file contains the phone follow-up's interview counts
 * (phoneq.h): its own schema component "phone-cut" (phone_cut, kept by an
 * insert trigger, with the track and care type the dashboard's filters
 * cut by; it replaced phone_month, which "phone-month-retired" drops), read for the whole quarters around the span, one
 * canonical grid per status. */
#include "phoneq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "indic.h"
#include "pdate.h"

/* phone_cut: phone interviews per unit, month, track, care type and
 * status.  Responses are never updated, so an insert trigger keeps it
 * equal to responses; the backfill reads what is there already. */
static const struct aggdb_step cut_steps[] = {
  {1, NULL,
   "CREATE TABLE phone_cut (unit TEXT NOT NULL, month_start BIGINT NOT NULL,"
   " track TEXT NOT NULL, care TEXT NOT NULL, status TEXT NOT NULL,"
   " n BIGINT NOT NULL,"
   " PRIMARY KEY (month_start, unit, track, care, status));"
   "INSERT INTO phone_cut SELECT unit, CAST(julianday(period_start * 86400,"
   " 'unixepoch', 'start of month') - 2440587.5 AS INTEGER), track, care,"
   " status, COUNT(*) FROM responses WHERE mode = 'phone'"
   " GROUP BY 1, 2, 3, 4, 5;"
   "CREATE TRIGGER phone_cut_ins AFTER INSERT ON responses"
   " WHEN NEW.mode = 'phone' BEGIN"
   " INSERT INTO phone_cut VALUES (NEW.unit, CAST(julianday("
   " NEW.period_start * 86400, 'unixepoch', 'start of month') - 2440587.5"
   " AS INTEGER), NEW.track, NEW.care, NEW.status, 1)"
   " ON CONFLICT (month_start, unit, track, care, status)"
   " DO UPDATE SET n = n + 1; END;",
   "CREATE TABLE phone_cut (unit TEXT NOT NULL, month_start BIGINT NOT NULL,"
   " track TEXT NOT NULL, care TEXT NOT NULL, status TEXT NOT NULL,"
   " n BIGINT NOT NULL,"
   " PRIMARY KEY (month_start, unit, track, care, status));"
   "INSERT INTO phone_cut SELECT unit, (date_trunc('month', DATE"
   " '1970-01-01' + period_start::int)::date - DATE '1970-01-01'), track,"
   " care, status, COUNT(*) FROM responses WHERE mode = 'phone'"
   " GROUP BY 1, 2, 3, 4, 5;"
   "CREATE OR REPLACE FUNCTION phone_cut_sync() RETURNS trigger AS $fn$"
   " BEGIN INSERT INTO phone_cut VALUES (NEW.unit, date_trunc('month',"
   " DATE '1970-01-01' + NEW.period_start::int)::date - DATE '1970-01-01',"
   " NEW.track, NEW.care, NEW.status, 1)"
   " ON CONFLICT (month_start, unit, track, care, status) DO UPDATE SET"
   " n = phone_cut.n + 1; RETURN NULL; END $fn$ LANGUAGE plpgsql;"
   "CREATE TRIGGER phone_cut_trg AFTER INSERT ON responses FOR EACH ROW"
   " WHEN (NEW.mode = 'phone') EXECUTE FUNCTION phone_cut_sync();"},
};

enum pr_rc phoneq_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "phone-cut", cut_steps,
                       (int)PR_ARRAY_LEN(cut_steps), err);
}

/* "aggregates" step 4 still makes phone_month on a new database (a
 * published step never changes); this drops it right after.  On
 * PostgreSQL the trigger on a partitioned responses takes its partitions'
 * copies with it. */
static const struct aggdb_step retire_steps[] = {
  {1, NULL,
   "DROP TRIGGER IF EXISTS phone_month_ins;"
   "DROP TABLE IF EXISTS phone_month;",
   "DROP TRIGGER IF EXISTS phone_month_trg ON responses;"
   "DROP FUNCTION IF EXISTS phone_month_sync();"
   "DROP TABLE IF EXISTS phone_month;"},
};

enum pr_rc phoneq_migrate_retire(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "phone-month-retired", retire_steps,
                       (int)PR_ARRAY_LEN(retire_steps), err);
}

struct prow {
  char unit[INDIC_UNIT_LEN];
  long month;
  int complete;
  long n;
};

struct pbuf {
  struct prow *v;
  int n, cap, failed;
};

/* unit, month_start, status, n */
static int prow_cb(void *ctx, int ncol, const char *const *v,
                   const int *isnull)
{
  struct pbuf *b = ctx;
  struct prow *r;
  if(ncol < 4 || isnull[0] || isnull[1] || isnull[2] || isnull[3])
    return 0;
  if(PR_GROW(b->v, b->n, b->cap, 128) != 0) {
    b->failed = 1;
    return 1;
  }
  r = &b->v[b->n];
  if(pr_strlcpy(r->unit, v[0], sizeof(r->unit)) != 0 ||
     pr_parse_long(v[1], -1000000, 10000000, &r->month) != 0 ||
     pr_parse_long(v[3], 0, 1L << 40, &r->n) != 0)
    return 0;
  r->complete = strcmp(v[2], "complete") == 0;
  b->n++;
  return 0;
}

static int cmp_unit(const void *a, const void *b)
{
  return strcmp(a, b);
}

static int month_index(long first, long day)
{
  int y0, m0, d0, y, m, d;
  pdate_ymd(first, &y0, &m0, &d0);
  pdate_ymd(day, &y, &m, &d);
  return (y - y0) * 12 + (m - m0);
}

enum pr_rc phoneq_counts(struct aggdb *db, const char *unit, long from,
                         long to, const char *track, const char *care,
                         int threshold, enum supp_cost cost,
                         struct phoneq_counts *out, char *err)
{
  struct aggdb_param p[4];
  char sql[400];
  int np = 2;
  struct pbuf b = {NULL, 0, 0, 0};
  char (*units)[INDIC_UNIT_LEN] = NULL;
  long *cells[2] = {NULL, NULL}, qfirst, qlast;
  struct canon *g[2] = {NULL, NULL};
  int nu = 0, nm, i, k, col, m0, m1;
  enum pr_rc rc;

  memset(out, 0, sizeof(*out));
  if(from > to || threshold < 1) {
    pr_seterr(err, "phone counts: empty span or threshold below 1");
    return PR_EINVAL;
  }
  out->from = indic_bucket_start(INDIC_MONTH, from, 0);
  out->to = indic_bucket_next(INDIC_MONTH,
                              indic_bucket_start(INDIC_MONTH, to, 0), 0) - 1;
  qfirst = indic_bucket_start(INDIC_QUARTER, out->from, 0);
  qlast = indic_bucket_next(INDIC_QUARTER,
                            indic_bucket_start(INDIC_QUARTER, out->to, 0),
                            0) - 1;
  nm = month_index(qfirst, qlast) + 1;
  p[0] = AGGDB_INT(qfirst);
  p[1] = AGGDB_INT(qlast);
  /* The cut is the same for every unit: the grid (and so what is
   * suppressed) is the region's for that track and care type, as for an
   * indicator filtered the same way. */
  if(track && *track)
    p[np++] = AGGDB_TEXT(track);
  if(care && *care)
    p[np++] = AGGDB_TEXT(care);
  snprintf(sql, sizeof(sql), "SELECT unit, month_start, status, SUM(n) FROM"
           " phone_cut WHERE month_start >= $1 AND month_start <= $2%s%s"
           " GROUP BY unit, month_start, status",
           track && *track ? " AND track = $3" : "",
           care && *care ? (track && *track ? " AND care = $4"
                                            : " AND care = $3") : "");
  rc = aggdb_query1(db, sql, p, np, prow_cb, &b, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(b.failed)
    goto out;
  /* Columns: every unit with data in the window, sorted — the same for
   * every reader (the one asked about plays no part). */
  units = pr_calloc((size_t)(b.n > 0 ? b.n : 1), INDIC_UNIT_LEN);
  if(!units)
    goto out;
  for(i = 0; i < b.n; i++)
    memcpy(units[i], b.v[i].unit, INDIC_UNIT_LEN);
  qsort(units, (size_t)b.n, INDIC_UNIT_LEN, cmp_unit);
  for(i = 0; i < b.n; i++)
    if(nu == 0 || strcmp(units[nu - 1], units[i]) != 0)
      memmove(units[nu++], units[i], INDIC_UNIT_LEN);
  for(k = 0; k < 2; k++) {
    cells[k] = pr_calloc((size_t)nm * (size_t)(nu > 0 ? nu : 1), sizeof(long));
    if(!cells[k])
      goto out;
  }
  for(i = 0; i < b.n; i++) {
    const char(*hit)[INDIC_UNIT_LEN] =
        bsearch(b.v[i].unit, units, (size_t)nu, INDIC_UNIT_LEN, cmp_unit);
    int m = month_index(qfirst, b.v[i].month);
    if(!hit || m < 0 || m >= nm)
      continue;
    cells[b.v[i].complete ? 0 : 1][(size_t)m * (size_t)nu +
                                   (size_t)(hit - units)] += b.v[i].n;
  }
  for(k = 0; k < 2; k++) {
    rc = canon_new(nm / 3, nu, cells[k], NULL, threshold, cost, &g[k], err);
    if(rc != PR_OK)
      goto out;
  }
  col = nu;
  if(unit && *unit) {
    const char(*hit)[INDIC_UNIT_LEN] =
        bsearch(unit, units, (size_t)nu, INDIC_UNIT_LEN, cmp_unit);
    col = hit ? (int)(hit - units) : -1;
  }
  m0 = month_index(qfirst, out->from);
  m1 = month_index(qfirst, out->to);
  if(col >= 0) {
    if(!canon_months_shown(g[0], m0, m1, col) ||
       !canon_months_shown(g[1], m0, m1, col)) {
      out->suppressed = 1;
    }
    else {
      int m;
      for(m = m0; m <= m1; m++)
        for(i = 0; i < (col < nu ? 1 : nu); i++) {
          int u = col < nu ? col : i;
          out->complete += cells[0][(size_t)m * (size_t)nu + (size_t)u];
          out->partial += cells[1][(size_t)m * (size_t)nu + (size_t)u];
        }
    }
  }
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory in the phone counts");
  canon_free(g[0]);
  canon_free(g[1]);
  pr_free(cells[0]);
  pr_free(cells[1]);
  pr_free(units);
  pr_free(b.v);
  return rc;
}
