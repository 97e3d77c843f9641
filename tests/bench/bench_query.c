/* bench_query.c — This file contains the aggregates benchmark: 1,000,000
 * stored responses (bulk-loaded in SQL: the responses rows and the
 * pre-aggregated counts they would have produced, 100 units, 104 ISO weeks,
 * kiosk and phone), then
 *   1. the aggregate query — one indicator, one unit against the region,
 *      24 months, suppression included (indicq_run) — goal p95 <= 50 ms;
 *   2. the whole dashboard page generated server-side (every indicator's
 *      query, phone counts, comments, HTML + SVG) — goal <= 200 ms.
 * Prints "BENCH ..." lines with median, p95, p99 and max; never fails for
 * being slow.  Database: PR_AGG_TEST_DB or a SQLite file in PR_TEST_OUT.
 * Usage: bench_query [RESPONSES] [ROUNDS] [reuse]   ("reuse": keep the
 * SQLite file loaded by the previous run, for profiling). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg_testdb.h"
#include "aggschema.h"
#include "aggsets.h"
#include "auth.h"
#include "dashroutes.h"
#include "indicq.h"
#include "pdate.h"

#include "bench_env.h"

#define UNITS 100
#define WEEKS 104

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* One BENCH line (tests/bench/bench_report.py reads them): figure
 * WHAT.DRIVER.N, the spread of the n timings and the goal on p95. */
static void report(const char *what, const char *driver, long total,
                   double *t, int n, double goal_p95_ms)
{
  qsort(t, (size_t)n, sizeof(double), cmp_d);
  printf("BENCH %s.%s.%ld responses=%ld n=%d median_ms=%.2f p95_ms=%.2f "
         "p99_ms=%.2f min_ms=%.2f max_ms=%.2f goal=p95_ms<=%.0f\n", what,
         driver, total, total, n, t[n / 2], t[(int)(n * 0.95)],
         t[(int)(n * 0.99)], t[0], t[n - 1], goal_p95_ms);
}

/* Responses rows and counts rows for `total` responses in one go.  Week w
 * of unit u gets r = total / (UNITS * WEEKS) responses; 80 % kiosk visits
 * (4 indicators), 20 % phone follow-ups (6 indicators, track and care). */
static enum pr_rc bulk_load(struct aggdb *db, long total, long first_week,
                            char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;
  int pg = aggdb_dialect(db) == AGGDB_POSTGRES;
  long per = total / (UNITS * WEEKS);
  long kiosk = per * 4 / 5, phone = per - per * 4 / 5;
  char sql[3000];

  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_begin(c, err);
  if(rc != PR_OK)
    goto out;
  /* Responses: one row each, the columns agg stores (no answers rows: the
   * figures come from counts, as in production). */
  if(pg) {
    snprintf(sql, sizeof(sql),
             "INSERT INTO responses SELECT 'b' || i,"
             " 'SE2321000032-B' || lpad((i %% %d)::text, 4, '0'), 'kbench',"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'ring-upp-utskrivning'"
             " ELSE 'kiosk-besok' END, 1,"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'phone' ELSE 'kiosk' END, 'sv', 0,"
             " CASE WHEN i %% 37 = 0 THEN 'abandoned' ELSE 'complete' END,"
             " 'week', %ld + 7 * ((i / %d) %% %d), 'v',"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'gul' ELSE '' END,"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'somatisk' ELSE '' END, 'h'"
             " FROM generate_series(0, %ld) AS i",
             UNITS, first_week, UNITS, WEEKS, total - 1);
  }
  else {
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s"
             " WHERE i < %ld) INSERT INTO responses SELECT 'b' || i,"
             " printf('SE2321000032-B%%04d', i %% %d), 'kbench',"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'ring-upp-utskrivning'"
             " ELSE 'kiosk-besok' END, 1,"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'phone' ELSE 'kiosk' END, 'sv', 0,"
             " CASE WHEN i %% 37 = 0 THEN 'abandoned' ELSE 'complete' END,"
             " 'week', %ld + 7 * ((i / %d) %% %d), 'v',"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'gul' ELSE '' END,"
             " CASE WHEN (i / 7) %% 5 = 0 THEN 'somatisk' ELSE '' END, 'h'"
             " FROM s",
             total - 1, UNITS, first_week, UNITS, WEEKS);
  }
  rc = aggdb_exec(c, sql, NULL, 0, NULL, err);
  if(rc != PR_OK)
    goto out;
  /* Counts: per unit, week and indicator, the answers those responses
   * gave — computed arithmetically for the same units and weeks (kiosk
   * visits: 4 indicators; phone: 6), 62-86 % positive, 5 % vet ej. */
  snprintf(sql, sizeof(sql),
           "%s INSERT INTO counts SELECT"
           " %s, 'week', %ld + 7 * w.i, q.ind, q.mode, q.track, q.care, q.s, 1,"
           " (q.per * (62 + (u.i * 7 + w.i * 3) %% 25)) / 100,"
           " q.per - (q.per * (62 + (u.i * 7 + w.i * 3) %% 25)) / 100"
           "   - q.per / 20, q.per / 20"
           " FROM %s, %s, (SELECT 'kiosk-besok' AS s, 'nojdhet' AS ind,"
           "  'kiosk' AS mode, '' AS track, '' AS care, %ld AS per"
           "  UNION ALL SELECT 'kiosk-besok', 'delaktighet', 'kiosk', '', '', %ld"
           "  UNION ALL SELECT 'kiosk-besok', 'trygghet', 'kiosk', '', '', %ld"
           "  UNION ALL SELECT 'kiosk-besok', 'respekt', 'kiosk', '', '', %ld"
           "  UNION ALL SELECT 'ring-upp-utskrivning', 'delaktighet', 'phone',"
           "   'gul', 'somatisk', %ld"
           "  UNION ALL SELECT 'ring-upp-utskrivning', 'samordning', 'phone',"
           "   'gul', 'somatisk', %ld"
           "  UNION ALL SELECT 'ring-upp-utskrivning', 'trygghet', 'phone',"
           "   'gul', 'somatisk', %ld"
           "  UNION ALL SELECT 'ring-upp-utskrivning', 'hansyn', 'phone',"
           "   'gul', 'somatisk', %ld"
           "  UNION ALL SELECT 'ring-upp-utskrivning', 'information', 'phone',"
           "   'gul', 'somatisk', %ld"
           "  UNION ALL SELECT 'ring-upp-utskrivning', 'skriftlig_vardplan',"
           "   'phone', 'gul', 'somatisk', %ld) q",
           pg ? "" : "WITH RECURSIVE uu(i) AS (SELECT 0 UNION ALL SELECT i + 1"
                     " FROM uu WHERE i < 99), ww(i) AS (SELECT 0 UNION ALL"
                     " SELECT i + 1 FROM ww WHERE i < 103)",
           pg ? "'SE2321000032-B' || lpad(u.i::text, 4, '0')"
              : "printf('SE2321000032-B%04d', u.i)",
           first_week,
           pg ? "generate_series(0, 99) AS u(i)" : "uu u",
           pg ? "generate_series(0, 103) AS w(i)" : "ww w",
           kiosk, kiosk, kiosk, kiosk, phone, phone, phone, phone, phone, phone);
  rc = aggdb_exec(c, sql, NULL, 0, NULL, err);
  if(rc != PR_OK)
    goto out;
  snprintf(sql, sizeof(sql),
           pg ? "INSERT INTO devices (id, unit, name, token_hash, created_at)"
                " SELECT 'kb' || i, 'SE2321000032-B' ||"
                " lpad(i::text, 4, '0'), 'Bänk', 'x', 0"
                " FROM generate_series(0, 99) AS i"
              : "WITH RECURSIVE uu(i) AS (SELECT 0 UNION ALL SELECT i + 1"
                " FROM uu WHERE i < 99) INSERT INTO devices (id, unit, name,"
                " token_hash, created_at) SELECT 'kb' || i,"
                " printf('SE2321000032-B%%04d', i), 'Bänk', 'x', 0 FROM uu");
  rc = aggdb_exec(c, sql, NULL, 0, NULL, err);
  if(rc != PR_OK)
    goto out;
  rc = aggdb_commit(c, err);
out:
  if(rc != PR_OK)
    aggdb_rollback(c);
  aggdb_release(c);
  return rc;
}

int main(int argc, char **argv)
{
  struct aggdb *db = NULL;
  char url[600], err[PR_ERR_LEN] = "";
  long total = 1000000, rounds = 200, first_week, today;
  double *t = NULL, t0, load_ms;
  long long n_counts = 0, n_resp = 0;
  int i, found, reuse, cached;
  struct aggdb_conn *c = NULL;

  /* PR_BENCH_TINY (check.sh): 2,000 responses, 12 rounds. */
  total = bench_size(total, 2000);
  rounds = bench_size(rounds, 12);
  if(argc > 1 && pr_parse_long(argv[1], 1000, 100000000, &total) != 0)
    return 2;
  if(argc > 2 && pr_parse_long(argv[2], 10, 100000, &rounds) != 0)
    return 2;
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_WARN);
  reuse = argc > 3 && strcmp(argv[3], "reuse") == 0 && !agg_testdb_is_pg();
  if(reuse)
    snprintf(url, sizeof(url), "sqlite:%s/bench_query.db", PR_TEST_OUT);
  else
    agg_testdb_url("bench_query", url, sizeof(url));
  if(aggdb_open(url, &db, err) != PR_OK ||
     (!reuse && agg_testdb_drop_all(db) != 0) ||
     aggschema_migrate_all(db, err) != PR_OK ||
     aggsets_seed_dir(db, PR_ASSETS_DIR "/surveys", NULL, err) != PR_OK) {
    fprintf(stderr, "bench_query: %s\n", err);
    return 1;
  }
  today = pdate_from_ymd(2026, 11, 23);
  first_week = indic_bucket_start(INDIC_WEEK, today, 0) - 7 * (WEEKS - 1);
  t0 = now_ms();
  if(!reuse && bulk_load(db, total, first_week, err) != PR_OK) {
    fprintf(stderr, "bench_query: load: %s\n", err);
    return 1;
  }
  load_ms = now_ms() - t0;
  if(aggdb_acquire(db, &c, err) != PR_OK ||
     aggdb_query_long(c, "SELECT COUNT(*) FROM responses", NULL, 0, &n_resp,
                      &found, err) != PR_OK ||
     aggdb_query_long(c, "SELECT COUNT(*) FROM counts", NULL, 0, &n_counts,
                      &found, err) != PR_OK) {
    fprintf(stderr, "bench_query: %s\n", err);
    return 1;
  }
  if(aggdb_dialect(db) == AGGDB_SQLITE &&
     aggdb_exec(c, "ANALYZE", NULL, 0, NULL, err) != PR_OK)
    fprintf(stderr, "bench_query: analyze: %s\n", err);
  aggdb_release(c);
  printf("BENCH query_load.%s.%ld responses=%lld counts_rows=%lld units=%d "
         "weeks=%d load_ms=%.0f\n", aggdb_driver_name(db), total, n_resp,
         n_counts, UNITS, WEEKS, load_ms);

  t = calloc((size_t)rounds, sizeof(double));
  /* Cold (every query computed, as after an ingest commits), then as
   * served: the region's suppressed tables cached (indicq.h). */
  for(cached = 0; cached <= 1; cached++) {
  indicq_cache_enable(cached);
  for(i = 0; i < rounds; i++) {
    struct indicq_filter f;
    struct indicq_result *r = NULL;
    struct indicq_cell cell;
    indicq_filter_default(&f);
    f.period = INDIC_MONTH;
    f.from = pdate_from_ymd(2024, 12, 1);
    f.to = pdate_from_ymd(2026, 11, 30);
    snprintf(f.unit, sizeof(f.unit), "SE2321000032-B%04d", (i * 37) % UNITS);
    t0 = now_ms();
    if(indicq_run(db, &f, &r, err) != PR_OK) {
      fprintf(stderr, "bench_query: %s\n", err);
      return 1;
    }
    cell = indicq_cell(r, indicq_n_buckets(r), indicq_n_units(r));
    t[i] = now_ms() - t0;
    if(i == 0)
      printf("bench_query: check: %d months x %d units, region n=%ld share=%.3f\n",
             indicq_n_buckets(r), indicq_n_units(r), cell.s.n, cell.s.share);
    indicq_free(r);
  }
  report(cached ? "query_indicator_unit_vs_region_24m"
                : "query_indicator_unit_vs_region_24m.cold",
         aggdb_driver_name(db), total, t, (int)rounds, 25);

  for(i = 0; i < rounds / 4; i++) {
    struct indicq_filter f;
    struct auth_principal p;
    char *page = NULL;
    size_t len = 0;
    memset(&p, 0, sizeof(p));
    pr_strlcpy(p.name, "bench", sizeof(p.name));
    p.role = AUTH_REGION;
    indicq_filter_default(&f);
    f.period = INDIC_MONTH;
    f.from = pdate_from_ymd(2024, 12, 1);
    f.to = pdate_from_ymd(2026, 11, 30);
    snprintf(f.unit, sizeof(f.unit), "SE2321000032-B%04d", (i * 13) % UNITS);
    t0 = now_ms();
    if(dash_build_page(db, NULL, &p, &f, NULL, "", &page, &len, err) != PR_OK) {
      fprintf(stderr, "bench_query: page: %s\n", err);
      return 1;
    }
    t[i] = now_ms() - t0;
    if(i == 0)
      printf("bench_query: check: page of %zu bytes\n", len);
    pr_free(page);
  }
  report(cached ? "dashboard_page_server_side"
                : "dashboard_page_server_side.cold", aggdb_driver_name(db),
         total, t, (int)(rounds / 4), aggdb_dialect(db) == AGGDB_SQLITE ? 50 : 100);
  }
  free(t);
  aggdb_close(db);
  return 0;
}
