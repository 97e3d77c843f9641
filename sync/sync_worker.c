/* sync_worker.c — This file contains the kiosk's sync thread declared in
 * sync_worker.h.  The thread sleeps on a condition variable (monotonic
 * clock) until the next attempt, a kick or stop; it never spins. */
#include "sync_worker.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "backoff.h"
#include "enrolcli.h"
#include "sync.h"

struct sync_worker {
  struct store *store;
  struct sync_config cfg;
  sync_notify_fn notify;
  void *ctx;
  pthread_t thread;
  int thread_ok;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  atomic_int stop;             /* read by the transfer's abort poll */
  int kick;
  struct timespec wake;       /* monotonic deadline of the next round */
  struct sync_status st;
  struct backoff bo;
  /* After a 401: the token file's change time then; rounds wait for a
   * new token (re-enrolment) or a kick instead of retrying a dead one. */
  struct timespec auth_token_time;
};

#define SYNC_TOKEN_POLL_S 10

/* How often to look at the token file after a 401. */
static long token_poll(const struct sync_worker *w)
{
  return w->cfg.interval_s < SYNC_TOKEN_POLL_S ? w->cfg.interval_s
                                               : SYNC_TOKEN_POLL_S;
}

static struct timespec token_time(const char *path)
{
  struct stat st;
  struct timespec z = {0, 0};
  if(stat(path, &st) != 0)
    return z;
  return st.st_mtim;
}

static void add_seconds(struct timespec *t, long s)
{
  clock_gettime(CLOCK_MONOTONIC, t);
  t->tv_sec += s;
}

static int should_abort(void *ctx)
{
  struct sync_worker *w = ctx;
  return atomic_load(&w->stop);
}

static void *run(void *arg)
{
  struct sync_worker *w = arg;
  struct sync_client *cl = NULL;
  char err[PR_ERR_LEN];

  pthread_mutex_lock(&w->lock);
  while(!w->stop) {
    struct sync_report rep;
    struct sync_status snap;
    struct timespec now;
    long delay;
    enum pr_rc rc;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if(!w->kick && (now.tv_sec < w->wake.tv_sec ||
                    (now.tv_sec == w->wake.tv_sec &&
                     now.tv_nsec < w->wake.tv_nsec))) {
      int r = pthread_cond_timedwait(&w->cond, &w->lock, &w->wake);
      (void)r;   /* timeout, kick, stop or spurious: re-check all */
      continue;
    }
    if(!w->kick && w->st.auth_failed) {
      struct timespec tt = token_time(w->cfg.token_file);
      if(tt.tv_sec == w->auth_token_time.tv_sec &&
         tt.tv_nsec == w->auth_token_time.tv_nsec) {
        add_seconds(&w->wake, token_poll(w));   /* still the old one */
        continue;
      }
    }
    w->kick = 0;
    w->st.running = 1;
    pthread_mutex_unlock(&w->lock);

    /* A new client per round: the token file and a re-enrolment are
     * read afresh, and a broken connection is never reused. */
    rc = sync_client_new(w->store, &w->cfg, &cl, err);
    if(rc == PR_OK) {
      sync_client_set_abort(cl, should_abort, w);
      (void)sync_round(cl, &rep);
    } else {
      memset(&rep, 0, sizeof(rep));
      rep.rc = rc;
      rep.retry_after = -1;
      rep.queue = store_outbox_count(w->store);
      pr_strlcpy(rep.err, err, sizeof(rep.err));
    }
    pthread_mutex_lock(&w->lock);
    w->st.running = 0;
    w->st.rounds++;
    w->st.last_attempt = pr_now();
    w->st.last_rc = rep.rc;
    w->st.queue = rep.queue;
    w->st.rejected = cl ? sync_rejected_count(cl) : w->st.rejected;
    pr_strlcpy(w->st.last_error, rep.err, sizeof(w->st.last_error));
    w->st.auth_failed = rep.rc == PR_EAUTH;
    if(rep.rc == PR_OK || rep.sets_problem) {
      /* a refused question set keeps its message on the staff menu but
       * does not make the kiosk back off: the responses went */
      w->st.last_ok = w->st.last_attempt;
      backoff_reset(&w->bo);
      delay = w->cfg.interval_s;
    } else if(rep.rc == PR_EAUTH) {
      /* Stop until re-enrolled: look at the token file now and then and
       * try again only when it changed (or when kicked). */
      w->auth_token_time = token_time(w->cfg.token_file);
      delay = token_poll(w);
    } else {
      delay = backoff_fail(&w->bo, rep.retry_after, randombytes_random());
    }
    add_seconds(&w->wake, delay);
    w->st.next_attempt = w->st.last_attempt + delay;
    snap = w->st;
    pthread_mutex_unlock(&w->lock);
    sync_client_free(cl);
    cl = NULL;
    if(w->notify)
      w->notify(&snap, w->ctx);
    pthread_mutex_lock(&w->lock);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

enum pr_rc sync_worker_start(struct store *store, const struct sync_config *cfg,
                             sync_notify_fn notify, void *ctx,
                             struct sync_worker **out, char *err)
{
  enum pr_rc rc;
  struct sync_worker *w = NULL;
  pthread_condattr_t ca;
  char buf[32];
  long v;

  *out = NULL;
  rc = sync_config_check(cfg, err);
  if(rc != PR_OK)
    return rc;
  w = pr_calloc(1, sizeof(*w));
  if(!w)
    return PR_ENOMEM;
  w->store = store;
  w->cfg = *cfg;
  w->notify = notify;
  w->ctx = ctx;
  w->bo.base_s = cfg->backoff_base_s;
  w->bo.cap_s = cfg->backoff_cap_s;
  w->st.queue = store_outbox_count(store);
  if(store_meta_get(store, "sync_last_ok", buf, sizeof(buf)) == PR_OK &&
     pr_parse_long(buf, 0, 1L << 40, &v) == 0)
    w->st.last_ok = (time_t)v;
  clock_gettime(CLOCK_MONOTONIC, &w->wake);
  w->st.next_attempt = pr_now();
  pthread_mutex_init(&w->lock, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w->cond, &ca);
  pthread_condattr_destroy(&ca);
  if(pthread_create(&w->thread, NULL, run, w) != 0) {
    pr_seterr(err, "sync: cannot start the sync thread");
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    pr_free(w);
    return PR_EINTERNAL;
  }
  w->thread_ok = 1;
  *out = w;
  return PR_OK;
}

enum pr_rc sync_worker_from_config(struct store *store, const char *path,
                                   sync_notify_fn notify, void *ctx,
                                   struct sync_worker **out, char *err)
{
  struct sync_config c;
  enum pr_rc rc;

  *out = NULL;
  sync_config_defaults(&c);
  rc = sync_config_load(path, &c, err);
  if(rc != PR_OK)
    return rc;
  (void)enrolcli_apply(&c);      /* enrolled by code: sync is on */
  if(!c.url[0])
    return rc;
  return sync_worker_start(store, &c, notify, ctx, out, err);
}

void sync_worker_stop(struct sync_worker *w)
{
  if(!w)
    return;
  pthread_mutex_lock(&w->lock);
  w->stop = 1;
  pthread_cond_broadcast(&w->cond);
  pthread_mutex_unlock(&w->lock);
  if(w->thread_ok)
    pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->cond);
  pthread_mutex_destroy(&w->lock);
  pr_free(w);
}

void sync_worker_kick(struct sync_worker *w)
{
  pthread_mutex_lock(&w->lock);
  w->kick = 1;
  pthread_cond_broadcast(&w->cond);
  pthread_mutex_unlock(&w->lock);
}

void sync_worker_status(struct sync_worker *w, struct sync_status *out)
{
  pthread_mutex_lock(&w->lock);
  *out = w->st;
  pthread_mutex_unlock(&w->lock);
}

/* What the last failure means, in plain Swedish for staff. */
static const char *sv_reason(enum pr_rc rc)
{
  switch(rc) {
  case PR_ENET: return "ingen kontakt med servern";
  case PR_ETLS: return "servern kunde inte verifieras (certifikat/nyckel)";
  case PR_EAUTH: return "nyckeln är återkallad eller okänd - registrera "
                        "kiosken på nytt";
  case PR_EBUSY: return "servern är upptagen, försöker senare";
  case PR_EPROTO: return "oväntat svar från nätet (inloggningssida?)";
  case PR_ECONFLICT: return "ett frågeformulär från servern skiljer sig "
                            "från kioskens med samma version";
  case PR_EDB: case PR_EIO: case PR_EFULL: return "fel i kioskens lagring";
  default: return "fel";
  }
}

void sync_status_text(const struct sync_status *st, char *buf, size_t cap)
{
  char last[PR_ERR_LEN + 96];
  char when[32] = "aldrig";
  if(st->last_ok) {
    struct tm tm;
    time_t t = st->last_ok;
    if(localtime_r(&t, &tm))
      strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
  }
  if(st->last_rc == PR_OK || !st->last_attempt)
    snprintf(last, sizeof(last), "inget");
  else
    snprintf(last, sizeof(last), "%s (%s)", sv_reason(st->last_rc),
             st->last_error);
  snprintf(buf, cap, "Senast synkad: %s\nI kö: %d svar%s\nSenaste fel: %s",
           when, st->queue < 0 ? 0 : st->queue,
           st->rejected > 0 ? " (några avvisade av servern)" : "", last);
}
