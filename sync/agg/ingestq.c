/* This file contains the group-commit queue between the request threads
 * and the one writer thread.  Waiters sleep on a condition variable; the
 * writer sleeps until work arrives — nothing spins. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "ingestq.h"

struct qjob {
  struct ingest_job job;
  enum pr_rc rc;
  char err[PR_ERR_LEN];
  int done;
  struct qjob *next;
};

struct ingestq {
  struct aggdb *db;
  struct aggsets_cache *sc;
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t work, done;
  struct qjob *head, *tail;
  int stop, started;
};

static double mono_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *writer(void *arg)
{
  struct ingestq *q = arg;
  struct ingest_job jobs[256];
  struct qjob *taken[256];

  pthread_setname_np(pthread_self(), "agg-writer");
  pthread_mutex_lock(&q->mu);
  for(;;) {
    int n = 0, total = 0, i;
    enum pr_rc rc;
    char err[PR_ERR_LEN] = "";
    double t0;

    while(!q->head && !q->stop)
      pthread_cond_wait(&q->work, &q->mu);
    if(!q->head && q->stop)
      break;
    /* Take what is waiting, up to the group limits (always at least one). */
    while(q->head && n < (int)PR_ARRAY_LEN(jobs) &&
          (n == 0 || total + q->head->job.b->n <= INGESTQ_MAX_GROUP)) {
      struct qjob *j = q->head;
      q->head = j->next;
      if(!q->head)
        q->tail = NULL;
      taken[n] = j;
      jobs[n] = j->job;
      total += j->job.b->n;
      n++;
    }
    pthread_mutex_unlock(&q->mu);
    t0 = mono_ms();
    rc = ingest_store_group(q->db, q->sc, jobs, n, err);
    pr_log(PR_LOG_DEBUG, "ingest_group", "batches=%d responses=%d ms=%.1f "
           "rc=%s", n, total, mono_ms() - t0, pr_strerror(rc));
    pthread_mutex_lock(&q->mu);
    for(i = 0; i < n; i++) {
      taken[i]->job = jobs[i];
      taken[i]->rc = rc;
      memcpy(taken[i]->err, err, sizeof(err));
      taken[i]->done = 1;
    }
    pthread_cond_broadcast(&q->done);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

enum pr_rc ingestq_new(struct aggdb *db, struct aggsets_cache *sc,
                       struct ingestq **out)
{
  struct ingestq *q = pr_calloc(1, sizeof(*q));

  *out = NULL;
  if(!q)
    return PR_ENOMEM;
  q->db = db;
  q->sc = sc;
  if(pthread_mutex_init(&q->mu, NULL) || pthread_cond_init(&q->work, NULL) ||
     pthread_cond_init(&q->done, NULL) ||
     pthread_create(&q->th, NULL, writer, q)) {
    pr_free(q);                 /* init failures leak nothing on Linux */
    return PR_EINTERNAL;
  }
  q->started = 1;
  *out = q;
  return PR_OK;
}

enum pr_rc ingestq_submit(struct ingestq *q, const struct aggdev *dev,
                          struct ingest_batch *b, struct ingest_tally *t,
                          char *err)
{
  struct qjob j;

  memset(&j, 0, sizeof(j));
  j.job.dev = dev;
  j.job.b = b;
  pthread_mutex_lock(&q->mu);
  if(q->tail)
    q->tail->next = &j;
  else
    q->head = &j;
  q->tail = &j;
  pthread_cond_signal(&q->work);
  while(!j.done)
    pthread_cond_wait(&q->done, &q->mu);
  pthread_mutex_unlock(&q->mu);
  if(t)
    *t = j.job.t;
  if(j.rc != PR_OK)
    pr_seterr(err, "%s", j.err);
  return j.rc;
}

void ingestq_free(struct ingestq *q)
{
  if(!q)
    return;
  if(q->started) {
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->th, NULL);
  }
  pthread_cond_destroy(&q->work);
  pthread_cond_destroy(&q->done);
  pthread_mutex_destroy(&q->mu);
  pr_free(q);
}
