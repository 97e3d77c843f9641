/* sync_worker.h — the kiosk's sync thread: runs sync rounds off the UI
 * thread, every interval when all is well, after a backoff with jitter
 * (Retry-After as the minimum) when not, at once when kicked; keeps a
 * status the staff menu reads (last success, queue length, last error,
 * next attempt) and calls a notify callback after each round (the kiosk
 * turns it into an SDL event).  It never touches the UI itself. */
#ifndef SYNC_WORKER_H
#define SYNC_WORKER_H

#include <time.h>

#include "pr.h"
#include "store.h"
#include "sync_config.h"

struct sync_worker;

struct sync_status {
  time_t last_ok;             /* wall clock of the last good round; 0 never */
  time_t last_attempt;        /* 0 before the first round */
  time_t next_attempt;        /* when the next round starts (wall clock) */
  int queue;                  /* responses waiting; -1 unknown */
  int rejected;               /* parked as refused by the server */
  int rounds;                 /* rounds run since start */
  enum pr_rc last_rc;
  char last_error[PR_ERR_LEN];/* "" after a good round; never personal */
  int auth_failed;            /* 1: "token revoked/unknown", re-enrol;
                                 no new round until the token file
                                 changes or a kick */
  int running;                /* a round is in progress now */
};

/* Called on the worker thread after every round with a snapshot; must be
 * quick and thread-safe (e.g. SDL_PushEvent).  May be NULL. */
typedef void (*sync_notify_fn)(const struct sync_status *st, void *ctx);

/* Start the thread.  store is borrowed (thread-safe handle; it must
 * outlive the worker); cfg is copied and checked first (PR_EINVAL with
 * err).  The first round starts at once.  A previous last success is read
 * from the store ("sync_last_ok").  *out is the caller's
 * (sync_worker_stop); NULL on failure. */
enum pr_rc sync_worker_start(struct store *store, const struct sync_config *cfg,
                             sync_notify_fn notify, void *ctx,
                             struct sync_worker **out, char *err) PR_MUST;

/* For the kiosk program: read the sync keys from its config file and
 * start the worker when the file sets sync_url; PR_OK with *out NULL when
 * it does not (sync is off).  Errors as sync_config_load and
 * sync_worker_start, with err naming the file and line. */
enum pr_rc sync_worker_from_config(struct store *store, const char *path,
                                   sync_notify_fn notify, void *ctx,
                                   struct sync_worker **out,
                                   char *err) PR_MUST;

/* Ask the thread to end and join it.  A request in flight ends within its
 * timeouts.  NULL-safe. */
void sync_worker_stop(struct sync_worker *w);

/* Start a round now (a response was just finished, or staff pressed
 * "Synka nu"), also after a 401. */
void sync_worker_kick(struct sync_worker *w);

/* Copy the current status (safe from any thread). */
void sync_worker_status(struct sync_worker *w, struct sync_status *out);

/* The status as three Swedish lines for the staff menu, into buf:
 * "Senast synkad: 2026-11-24 10:02", "I kö: 12 svar", "Senaste fel: ...". */
void sync_status_text(const struct sync_status *st, char *buf, size_t cap);

#endif
