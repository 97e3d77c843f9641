/* bench_sync.c — This file contains the sync benchmark: 10,000 finished
 * responses queued in a real kiosk store are synced over loopback HTTPS to
 * the aggregator whose URL it is given (tests/e2e/sync_e2e.py "bench"
 * starts rost-agg); the time from the first request to an empty queue is
 * measured over several repetitions and printed as a BENCH line with the
 * median, min and max.  It never fails for being slow, only for not
 * draining the queue.
 *
 * usage: bench_sync --url U --ca F --token-file F --dir D [--n 10000]
 *                   [--reps 5] [--batch 500] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "anon.h"
#include "pr.h"
#include "qset.h"
#include "store.h"
#include "sync.h"

static double mono(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Test data only: fill the store fast.  Durability of the fill is not
 * what is measured here (bench_store measures saving an answer). */
static enum pr_rc fast_fill(struct sqlite3 *db, void *ctx, char *err)
{
  const char *sql = ctx;
  if(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    pr_seterr(err, "%s", sqlite3_errmsg(db));
    return PR_EDB;
  }
  return PR_OK;
}

static int fill(struct store *st, const struct qset *qs, int n)
{
  struct store_new nw = {.set_id = qs->id, .set_version = qs->version,
                         .unit = "SE2321000032-TEST01",
                         .mode = QSET_MODE_KIOSK, .lang = "sv",
                         .date = "2026-11-24"};
  char uuid[STORE_UUID_LEN], err[PR_ERR_LEN];
  if(store_with_db(st, fast_fill, (void *)"PRAGMA synchronous=OFF", err) !=
     PR_OK)
    return -1;
  for(int i = 0; i < n; i++) {
    int answers[QSET_MAX_QUESTIONS];
    if(store_begin(st, &nw, uuid, err) != PR_OK)
      return -1;
    for(int q = 0; q < qs->n_questions; q++)
      answers[q] = QSET_UNANSWERED;
    for(int q = 0; q < qs->n_questions; q++) {
      const struct qset_question *qq = &qs->questions[q];
      enum pr_rc rc;
      if(!qset_applies(qs, q, QSET_MODE_KIOSK, answers))
        continue;
      if(qq->type == QSET_TEXT) {
        rc = store_answer(st, uuid, qq->id, NULL,
                          "Bra bemötande, ring mig på 070-174 06 05.", err);
        answers[q] = QSET_TEXT_ANSWERED;
      } else {
        int k = (i + q) % qset_question_scale(qs, q)->n_options;
        rc = store_answer(st, uuid, qq->id,
                          qset_question_scale(qs, q)->options[k].code, NULL,
                          err);
        answers[q] = k;
      }
      if(rc != PR_OK)
        return -1;
    }
    if(store_finish(st, uuid, STORE_COMPLETE, err) != PR_OK)
      return -1;
  }
  return store_with_db(st, fast_fill, (void *)"PRAGMA synchronous=FULL",
                       err) == PR_OK ? 0 : -1;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
  const char *url = NULL, *ca = NULL, *tok = NULL, *dir = NULL;
  long n = 10000, reps = 5, batch = 500;
  double t[32], prep[32], wait[32];
  struct qset *qs = NULL;
  char err[PR_ERR_LEN], path[1024];
  int ret = 1;

  for(int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if(!strcmp(k, "--url")) url = v;
    else if(!strcmp(k, "--ca")) ca = v;
    else if(!strcmp(k, "--token-file")) tok = v;
    else if(!strcmp(k, "--dir")) dir = v;
    else if(!strcmp(k, "--n") && pr_parse_long(v, 1, 1000000, &n) == 0) ;
    else if(!strcmp(k, "--reps") && pr_parse_long(v, 1, 32, &reps) == 0) ;
    else if(!strcmp(k, "--batch") && pr_parse_long(v, 1, 1000, &batch) == 0) ;
    else {
      fprintf(stderr, "bench_sync: bad option %s\n", k);
      return 2;
    }
  }
  if(!url || !ca || !tok || !dir || pr_init() != PR_OK) {
    fprintf(stderr, "usage: bench_sync --url U --ca F --token-file F --dir D\n");
    return 2;
  }
  pr_log_set_level(PR_LOG_ERROR);
  snprintf(path, sizeof(path), "%s/surveys/kiosk-besok.json", PR_ASSETS_DIR);
  if(qset_load_file(path, &qs, err) != PR_OK) {
    fprintf(stderr, "bench_sync: %s\n", err);
    return 1;
  }
  for(long r = 0; r < reps; r++) {
    struct store *st = NULL;
    struct sync_client *cl = NULL;
    struct sync_config c;
    struct sync_report rep;
    double t0;
    int requests = 0;

    snprintf(path, sizeof(path), "%s/bench-%ld.db", dir, r);
    unlink(path);
    if(store_open(path, &st, err) != PR_OK || fill(st, qs, (int)n) != 0) {
      fprintf(stderr, "bench_sync: fill: %s\n", err);
      store_close(st);
      goto out;
    }
    /* The client's own share: read the whole queue and anonymise it. */
    {
      struct store_response *rs = NULL;
      int got = 0;
      double p0 = mono(), p1;
      if(store_outbox(st, (int)n, &rs, &got, err) != PR_OK) {
        fprintf(stderr, "bench_sync: outbox: %s\n", err);
        store_close(st);
        goto out;
      }
      p1 = mono();
      for(int i = 0; i < got; i++) {
        json_t *o = NULL;
        if(anon_response(&rs[i], ANON_WEEK, &o, NULL, err) == PR_OK)
          json_decref(o);
      }
      prep[r] = mono() - p0;
      printf("bench_sync: rep %ld: read queue %.3f s, anonymise %.3f s\n", r,
             p1 - p0, mono() - p1);
      store_responses_free(rs, got);
    }
    sync_config_defaults(&c);
    pr_strlcpy(c.url, url, sizeof(c.url));
    pr_strlcpy(c.ca_file, ca, sizeof(c.ca_file));
    pr_strlcpy(c.token_file, tok, sizeof(c.token_file));
    c.batch = (int)batch;
    if(sync_client_new(st, &c, &cl, err) != PR_OK) {
      fprintf(stderr, "bench_sync: %s\n", err);
      store_close(st);
      goto out;
    }
    t0 = mono();
    (void)sync_round(cl, &rep);
    t[r] = mono() - t0;
    requests = rep.requests;
    sync_client_free(cl);
    if(rep.rc != PR_OK || rep.queue != 0 || rep.stored != n) {
      fprintf(stderr, "bench_sync: round %ld: %s: %s (stored %d, queue %d)\n",
              r, pr_strerror(rep.rc), rep.err, rep.stored, rep.queue);
      store_close(st);
      goto out;
    }
    printf("bench_sync: rep %ld: %ld responses in %.3f s (%d requests, "
           "%.3f s of it waiting for the server)\n", r, n, t[r], requests,
           rep.upload_wait_s);
    wait[r] = rep.upload_wait_s;
    store_close(st);
    unlink(path);
  }
  qsort(t, (size_t)reps, sizeof(t[0]), cmp_d);
  qsort(prep, (size_t)reps, sizeof(prep[0]), cmp_d);
  qsort(wait, (size_t)reps, sizeof(wait[0]), cmp_d);
  /* upload_wait: time inside the POSTs (TLS, network, server ingest);
   * client_prep: read queue + anonymise, no network. */
  printf("BENCH sync_upload_wait n=%ld median_s=%.3f min_s=%.3f max_s=%.3f\n",
         n, wait[reps / 2], wait[0], wait[reps - 1]);
  printf("BENCH sync_client_prep n=%ld median_s=%.3f min_s=%.3f max_s=%.3f\n",
         n, prep[reps / 2], prep[0], prep[reps - 1]);
  printf("BENCH sync_https n=%ld batch=%ld reps=%ld median_s=%.3f "
         "min_s=%.3f max_s=%.3f rate_per_s=%.0f goal=median_s<=2\n", n, batch,
         reps, t[reps / 2], t[0], t[reps - 1], (double)n / t[reps / 2]);
  ret = 0;
out:
  qset_free(qs);
  return ret;
}
