/* ingestq.h — group commit for uploads: request threads hand their decoded
 * batch to one writer thread, which stores everything waiting in ONE
 * transaction (ingest_store_group) and wakes each request with its own
 * results.  With SQLite's synchronous=FULL every commit is an fsync; this
 * shares it among all requests that arrived meanwhile, so durability does
 * not cost throughput.  No HTTP here. */
#ifndef INGESTQ_H
#define INGESTQ_H

#include "ingest.h"

#define INGESTQ_MAX_GROUP 10000   /* responses per transaction, at most */

struct ingestq;

/* Start the writer thread.  db and sc are borrowed and must outlive q. */
enum pr_rc ingestq_new(struct aggdb *db, struct aggsets_cache *sc,
                       struct ingestq **out) PR_MUST;
/* Store b for dev and wait for the commit.  Same contract as ingest_store:
 * on failure nothing of b is stored and no result may be sent. */
enum pr_rc ingestq_submit(struct ingestq *q, const struct aggdev *dev,
                          struct ingest_batch *b, struct ingest_tally *t,
                          char *err) PR_MUST;
/* Finish what is queued, stop the thread, free.  NULL-safe.  No submit
 * may be running or start. */
void ingestq_free(struct ingestq *q);

#endif
