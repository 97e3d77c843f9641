/* bench_store.c — This file contains the survey core's benchmark: the
 * time to durably save one answer (store_answer returns after COMMIT with
 * WAL + synchronous=FULL), and the time to load and validate every
 * shipped question set.  It prints "BENCH ..." lines with median and
 * spread; it never fails for being slow.
 *
 * usage: bench_store DIR [SETS_DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qset.h"
#include "store.h"

#include "bench_env.h"

#define N_RESPONSES 300
#define ANSWERS_PER 6
#define N_LOADS 50

static double now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* goal: "" or " goal=median_ms<=N". */
static void report(const char *name, double *v, int n, const char *goal)
{
  qsort(v, (size_t)n, sizeof(*v), cmp_d);
  int p99 = (int)((n - 1) * 0.99 + 0.5);
  printf("BENCH %s median_ms=%.3f p99_ms=%.3f min_ms=%.3f max_ms=%.3f n=%d%s\n",
         name, v[n / 2], v[p99], v[0], v[n - 1], n, goal);
}

int main(int argc, char **argv)
{
  static const char *const q[ANSWERS_PER] = {
    "delaktighet", "samordning", "trygghet", "hansyn", "information",
    "skriftlig_vardplan"};
  static double save[N_RESPONSES * ANSWERS_PER], load[N_LOADS];
  char path[4096], err[PR_ERR_LEN] = "";
  const char *sets_dir;
  struct store *s = NULL;
  int n = 0;
  /* PR_BENCH_TINY: a few saves and loads (check.sh). */
  int n_resp = (int)bench_size(N_RESPONSES, 5);
  int n_loads = (int)bench_size(N_LOADS, 2);

  if(argc < 2) {
    fprintf(stderr, "usage: bench_store DIR [SETS_DIR]\n");
    return 2;
  }
  sets_dir = argc > 2 ? argv[2] : PR_ASSETS_DIR "/surveys";
  if(pr_init() != PR_OK)
    return 1;
  mkdir(argv[1], 0700);
  snprintf(path, sizeof(path), "%s/bench.db", argv[1]);
  unlink(path);
  if(store_open(path, &s, err) != PR_OK) {
    fprintf(stderr, "bench_store: %s\n", err);
    return 1;
  }
  for(int r = 0; r < n_resp; r++) {
    char uuid[STORE_UUID_LEN];
    struct store_new nw = {"ring-upp-utskrivning", 1, "SE2321000032-ABC123",
                           QSET_MODE_PHONE, "sv", 0, "rod", "somatisk",
                           NULL};
    if(store_begin(s, &nw, uuid, err) != PR_OK) {
      fprintf(stderr, "bench_store: %s\n", err);
      return 1;
    }
    for(int k = 0; k < ANSWERS_PER; k++) {
      double t = now_ms();
      if(store_answer(s, uuid, q[k], k % 2 ? "stammer_helt" : "ja", NULL,
                      err) != PR_OK) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
      }
      save[n++] = now_ms() - t;
    }
    if(store_finish(s, uuid, STORE_COMPLETE, err) != PR_OK)
      return 1;
  }
  store_close(s);
  report("store_answer_durable", save, n, " goal=median_ms<=5");

  for(int i = 0; i < n_loads; i++) {
    struct qset **sets = NULL;
    int ns = 0;
    double t = now_ms();
    if(qset_load_dir(sets_dir, &sets, &ns, err) != PR_OK) {
      fprintf(stderr, "bench_store: %s\n", err);
      return 1;
    }
    load[i] = now_ms() - t;
    qset_free_all(sets, ns);
  }
  report("qset_load_validate_all_shipped", load, n_loads, "");
  return 0;
}
