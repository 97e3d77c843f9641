/* sync.h — one sync round of the kiosk: take finished, unsynced responses
 * from the store in batches, anonymise them (anon.h), upload them
 * (uplink.h, wire.h), mark synced exactly what the aggregator acknowledged,
 * send the phone follow-up's weekly call statistics (callsync.h), and
 * fetch new question-set versions (setfetch.h).  It never sleeps or
 * retries by itself: the worker (sync_worker.h) or rostctl decides when. */
#ifndef SYNC_H
#define SYNC_H

#include <time.h>

#include "pr.h"
#include "store.h"
#include "sync_config.h"
#include "uplink.h"

struct sync_client;

/* What one round did, for the staff menu, the log and the tests. */
struct sync_report {
  enum pr_rc rc;            /* PR_OK: queue drained and sets checked */
  char err[PR_ERR_LEN];     /* "" on success; never personal data */
  long http_status;         /* last HTTP status seen, 0 if none */
  long retry_after;         /* from the server, -1 if none */
  int requests;             /* upload requests made */
  int sent;                 /* responses sent (resends included) */
  int stored, duplicates;   /* acknowledged, now marked synced */
  int rejected;             /* refused by the server this round */
  int unsendable;           /* could not be anonymised (kept, logged) */
  int scrubbed;             /* identifiers replaced in free text */
  int queue;                /* still waiting after the round, -1 unknown */
  int sets_saved;           /* new set versions written to sets_dir */
  int sets_problem;         /* 1: everything went but a set the server
                               offers was refused (broken, or other bytes
                               under a version held here): rc and err say
                               which; responses and counts did go */
  int callstat_weeks;       /* weeks of call statistics acknowledged */
  int batch;                /* batch size in use after the round */
  double upload_wait_s;     /* seconds spent in upload requests (network
                               and server), for benchmarks and logs */
};

/* The client borrows store (it must outlive the client) and copies cfg.
 * *out is the caller's (sync_client_free); NULL on failure. */
enum pr_rc sync_client_new(struct store *store, const struct sync_config *cfg,
                           struct sync_client **out, char *err) PR_MUST;
void sync_client_free(struct sync_client *c);      /* NULL-safe */

/* Every byte handed to TLS goes to fn as well (tests). */
void sync_client_set_tap(struct sync_client *c, uplink_tap_fn fn, void *ctx);
/* fn is polled during requests; non-zero aborts the round (PR_ENET). */
void sync_client_set_abort(struct sync_client *c, uplink_abort_fn fn,
                           void *ctx);

/* Run one round.  Returns rep->rc:
 *  PR_OK      everything finished is acknowledged (or parked as rejected)
 *  PR_ENET / PR_ETLS  transport failure (down, cut, timeout, certificate,
 *             pin); nothing is marked that was not acknowledged
 *  PR_EAUTH   401: "token revoked/unknown" — stop until re-enrolled
 *  PR_EBUSY   429/503: rep->retry_after says how long at least
 *  PR_EPROTO  a reply that is not the protocol (captive portal HTML, a
 *             truncated body, 5xx, 400)
 *  PR_EDB / PR_EIO    the store or the token file failed.
 * A 413 halves the batch size and goes on within the round; a response
 * refused as too large on its own is parked like a rejected one.
 * Responses the server rejects are parked in the store's sync_rejected
 * table with the reason and offered again after a day (a set may have
 * been published meanwhile). */
enum pr_rc sync_round(struct sync_client *c, struct sync_report *rep);

/* How many responses are parked as rejected; -1 on error. */
int sync_rejected_count(struct sync_client *c);

/* The one-line summary of a report for a person ("synkade 12 svar ...").
 * Writes into buf (truncating safely). */
void sync_report_text(const struct sync_report *rep, char *buf, size_t cap);

#endif
