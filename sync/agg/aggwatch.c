/* This file contains the slow-connection watchdog.  Slots form a list
 * under one mutex; the thread wakes once a second (or at once when told to
 * stop) and calls shutdown() on overdue sockets.  shutdown() only makes the
 * server's next read see end-of-file, so libmicrohttpd closes and cleans up
 * the connection itself; the slot is removed in its close notification,
 * which runs before the socket is closed, and under the same mutex, so the
 * watchdog never touches a descriptor that may have been reused. */
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "aggwatch.h"

struct aggwatch_slot {
  int fd;
  int busy;
  int cut;
  double since;
  struct aggwatch_slot *prev, *next;
};

struct aggwatch {
  pthread_mutex_t mu;
  pthread_cond_t wake;
  pthread_t th;
  int started, stop;
  double deadline;
  struct aggwatch_slot *head;
  long cuts;
};

static double mono_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *watch_main(void *arg)
{
  struct aggwatch *w = arg;
  struct timespec until;

  pthread_setname_np(pthread_self(), "agg-watchdog");
  pthread_mutex_lock(&w->mu);
  while(!w->stop) {
    struct aggwatch_slot *s;
    double now = mono_s();

    for(s = w->head; s; s = s->next) {
      if(!s->busy && !s->cut && now - s->since > w->deadline) {
        shutdown(s->fd, SHUT_RDWR);
        s->cut = 1;
        w->cuts++;
        pr_log(PR_LOG_WARN, "slow_connection_cut", "after_s=%.0f",
               now - s->since);
      }
    }
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_cond_timedwait(&w->wake, &w->mu, &until);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

enum pr_rc aggwatch_new(int deadline_s, struct aggwatch **out)
{
  struct aggwatch *w = pr_calloc(1, sizeof(*w));

  *out = NULL;
  if(!w)
    return PR_ENOMEM;
  w->deadline = deadline_s;
  if(pthread_mutex_init(&w->mu, NULL) || pthread_cond_init(&w->wake, NULL) ||
     pthread_create(&w->th, NULL, watch_main, w)) {
    pr_free(w);
    return PR_EINTERNAL;
  }
  w->started = 1;
  *out = w;
  return PR_OK;
}

void aggwatch_free(struct aggwatch *w)
{
  if(!w)
    return;
  if(w->started) {
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
  }
  while(w->head) {                 /* only if connections outlived MHD */
    struct aggwatch_slot *s = w->head;
    w->head = s->next;
    pr_free(s);
  }
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->mu);
  pr_free(w);
}

struct aggwatch_slot *aggwatch_add(struct aggwatch *w, int fd)
{
  struct aggwatch_slot *s = pr_calloc(1, sizeof(*s));

  if(!s)
    return NULL;
  s->fd = fd;
  s->since = mono_s();
  pthread_mutex_lock(&w->mu);
  s->next = w->head;
  if(w->head)
    w->head->prev = s;
  w->head = s;
  pthread_mutex_unlock(&w->mu);
  return s;
}

void aggwatch_busy(struct aggwatch *w, struct aggwatch_slot *s)
{
  if(!s)
    return;
  pthread_mutex_lock(&w->mu);
  s->busy = 1;
  pthread_mutex_unlock(&w->mu);
}

void aggwatch_idle(struct aggwatch *w, struct aggwatch_slot *s)
{
  if(!s)
    return;
  pthread_mutex_lock(&w->mu);
  s->busy = 0;
  s->since = mono_s();
  pthread_mutex_unlock(&w->mu);
}

void aggwatch_remove(struct aggwatch *w, struct aggwatch_slot *s)
{
  if(!s)
    return;
  pthread_mutex_lock(&w->mu);
  if(s->prev)
    s->prev->next = s->next;
  else
    w->head = s->next;
  if(s->next)
    s->next->prev = s->prev;
  pthread_mutex_unlock(&w->mu);
  pr_free(s);
}

long aggwatch_cut_count(struct aggwatch *w)
{
  long n;

  pthread_mutex_lock(&w->mu);
  n = w->cuts;
  pthread_mutex_unlock(&w->mu);
  return n;
}
