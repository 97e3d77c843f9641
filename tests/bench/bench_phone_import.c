/* bench_phone_import.c — This file contains the benchmark of importing a
 * 10,000-row call list (CSV, Swedish Excel style, with personnummer) into
 * a fresh store file: parse, validate, de-duplicate, one transaction.
 * Goal: <= 1 s.  Prints "BENCH phone_import ..." with median and min/max
 * over 5 runs; never fails for being slow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calllist.h"
#include "pdate.h"

#include "bench_env.h"

#define ROWS 10000
#define RUNS 5

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static char *make_csv(size_t *len)
{
  size_t cap = (size_t)ROWS * 128 + 256, k = 0;
  char *b = malloc(cap);
  static const char *const tr[] = {"röd", "gul", "grön"};
  if(!b)
    return NULL;
  k += (size_t)snprintf(b + k, cap - k, "Namn;Telefon;Personnummer;"
                        "Utskrivningsdatum;Spår;Vårdtyp;Samtycke\r\n");
  for(int i = 0; i < ROWS; i++) {
    char d9[10], pn[16];
    int y = 30 + i % 60, m = 1 + i % 12, d = 1 + i % 28;
    snprintf(d9, sizeof(d9), "%02d%02d%02d%03d", y, m, d, i % 1000);
    snprintf(pn, sizeof(pn), "19%.6s-%.3s%d", d9, d9 + 6, pnr_luhn_digit(d9));
    k += (size_t)snprintf(b + k, cap - k, "Testperson %05d Benchsson;"
                          "070-555 %02d %02d;%s;2026-11-%02d;%s;%s;ja\r\n",
                          i, (i / 100) % 100, i % 100, pn, 17 + i % 7,
                          tr[i % 3], i % 4 ? "somatisk" : "psykiatrisk");
  }
  *len = k;
  return b;
}

int main(void)
{
  char path[512], err[PR_ERR_LEN];
  double t[RUNS];
  size_t len = 0;
  char *csv;
  time_t now = (time_t)pdate_from_ymd(2026, 11, 24) * 86400 + 10 * 3600;

  if(pr_init())
    return 1;
  pr_log_set_level(PR_LOG_WARN);
  csv = make_csv(&len);
  if(!csv)
    return 1;
  /* PR_BENCH_TINY: one run (the list stays 10,000 rows: it takes ~1 s). */
  int runs = (int)bench_size(RUNS, 1);

  for(int r = 0; r < runs; r++) {
    struct store *s = NULL;
    struct calllist_report rep;
    double t0;
    snprintf(path, sizeof(path), "%s/bench-phone-import.db", PR_TEST_OUT);
    unlink(path);
    {
      char p2[600];
      snprintf(p2, sizeof(p2), "%s-wal", path);
      unlink(p2);
    }
    if(store_open(path, &s, err) || calllist_init(s, err)) {
      fprintf(stderr, "bench: %s\n", err);
      return 1;
    }
    t0 = now_ms();
    if(calllist_import_buffer(s, "bench.csv", csv, len, "SE2321000032-BENCH1", NULL,
                              now, &rep, err)) {
      fprintf(stderr, "bench: %s\n", err);
      return 1;
    }
    t[r] = now_ms() - t0;
    if(rep.added != ROWS) {
      fprintf(stderr, "bench: added %d of %d (%s)\n", rep.added, ROWS,
              rep.n_msgs ? rep.msgs[0] : "");
      return 1;
    }
    calllist_report_free(&rep);
    store_close(s);
  }
  qsort(t, (size_t)runs, sizeof(t[0]), cmp_d);
  printf("BENCH phone_import rows=%d bytes=%zu runs=%d median_ms=%.1f "
         "min_ms=%.1f max_ms=%.1f goal=median_ms<=1000\n", ROWS, len, runs,
         t[runs / 2], t[0], t[runs - 1]);
  free(csv);
  return 0;
}
