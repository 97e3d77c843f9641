/* bench_phone_key.c — This file contains the benchmark "key press to
 * answer durably stored" in phone mode: a digit key handed to the phone
 * model (phone_key) until the answer's COMMIT returned (WAL,
 * synchronous=FULL, so it includes the fsync).  200 presses; prints
 * "BENCH phone_key ..." with median, p99 and max.  Goal: <= 10 ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pdate.h"
#include "phone.h"

#include "bench_env.h"

#define PRESSES 200

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

int main(void)
{
  static const char csv[] = "namn;telefon;utskrivningsdatum;spår;vårdtyp;"
    "samtycke\nBench Benchsson;0705550999;2026-11-20;röd;somatisk;ja\n";
  char path[512], err[PR_ERR_LEN] = "";
  struct store *s = NULL;
  struct qset *set = NULL;
  struct phone *p = NULL;
  struct calllist_cfg cfg;
  struct calllist_report rep;
  double t[PRESSES];
  time_t now = (time_t)pdate_from_ymd(2026, 11, 24) * 86400 + 10 * 3600;
  const char *unit = "SE2321000032-BENCH1";

  if(pr_init())
    return 1;
  pr_log_set_level(PR_LOG_WARN);
  setenv("TZ", "UTC", 1);
  snprintf(path, sizeof(path), "%s/bench-phone-key.db", PR_TEST_OUT);
  unlink(path);
  calllist_cfg_default(&cfg);
  if(store_open(path, &s, err) || calllist_init(s, err) ||
     calllist_import_buffer(s, "b.csv", csv, sizeof(csv) - 1, unit, NULL, now,
                            &rep, err) ||
     qset_load_file(PR_ASSETS_DIR "/surveys/ring-upp-utskrivning.json", &set,
                    err) ||
     phone_open(s, set, &cfg, unit, now, &p, err))
    goto fail;
  calllist_report_free(&rep);
  /* list -> intro -> consent -> proxy -> first question */
  if(phone_key(p, PHONE_K_ENTER, 0, now, err) ||
     phone_key(p, PHONE_K_ENTER, 0, now, err) ||
     phone_key(p, PHONE_K_CHAR, '1', now, err) ||
     phone_key(p, PHONE_K_CHAR, '1', now, err) || p->step != PHONE_QUESTION)
    goto fail;
  int presses = (int)bench_size(PRESSES, 10);   /* PR_BENCH_TINY */

  for(int i = 0; i < presses; i++) {
    double t0 = now_ms();
    if(phone_key(p, PHONE_K_CHAR, i % 2 ? '3' : '4', now, err))
      goto fail;
    t[i] = now_ms() - t0;
    /* back to the same question (no write) */
    if(phone_key(p, PHONE_K_BACKSPACE, 0, now, err))
      goto fail;
  }
  qsort(t, (size_t)presses, sizeof(t[0]), cmp_d);
  printf("BENCH phone_key presses=%d median_ms=%.2f p99_ms=%.2f max_ms=%.2f "
         "goal=median_ms<=10\n", presses, t[presses / 2], t[presses * 99 / 100],
         t[presses - 1]);
  phone_close(p);
  qset_free(set);
  store_close(s);
  return 0;
fail:
  fprintf(stderr, "bench_phone_key: %s\n", err);
  return 1;
}
