/* ingest.h — the response-upload path of the aggregator: decode and fully
 * validate a POST /api/v1/responses body (protocol 1, sync/PROTOCOL.md),
 * check each response against its question-set version, store a batch in
 * one transaction (responses, answers, pre-aggregated counts, device last
 * sync) and build the per-uuid reply.  Nothing is acknowledged that was not
 * committed.  No HTTP here; the server maps the result codes to statuses. */
#ifndef INGEST_H
#define INGEST_H

#include <stddef.h>

#include "aggdb.h"
#include "aggdev.h"
#include "aggsets.h"
#include "qset.h"

#define INGEST_PROTOCOL   1
#define INGEST_UUID_LEN   37
#define INGEST_MAX_TEXT   4000    /* bytes of one free-text answer */
#define INGEST_MAX_STR    64      /* any other string member */
#define INGEST_REASON_LEN 160

enum ingest_status { INGEST_PENDING = 0, INGEST_STORED, INGEST_DUPLICATE,
                     INGEST_REJECTED };

struct ingest_answer {
  char q[QSET_ID_LEN];
  char a[QSET_ID_LEN];     /* option code; "" for free text */
  char *text;              /* owned; NULL for a choice */
};

struct ingest_resp {
  char uuid[INGEST_UUID_LEN];               /* lower-cased */
  char set[QSET_ID_LEN];
  int version;
  char mode[INGEST_MAX_STR], lang[INGEST_MAX_STR], status[INGEST_MAX_STR];
  char period[INGEST_MAX_STR];
  char track[INGEST_MAX_STR], care[INGEST_MAX_STR];  /* "" when null */
  int proxy;
  int n_answers;
  struct ingest_answer *answers;
  /* Filled by ingest_prepare / ingest_check / ingest_store. */
  const struct qset *qs;                    /* checked against this set */
  const char *period_kind;                  /* "week" / "month" */
  long period_start;                        /* day number */
  char hash[65];                            /* canonical content hash */
  enum ingest_status result;
  char reason[INGEST_REASON_LEN];
};

struct ingest_batch {
  int n;
  struct ingest_resp *r;
};

struct ingest_tally {
  long stored, duplicates, rejected;
};

/* Decode a request body.  Structural problems — not JSON, not UTF-8,
 * wrong types, unknown or missing members, malformed uuid, wrong protocol,
 * strings or lists over their limits — give PR_EINVAL (HTTP 400) with err
 * naming the member and response index; more than max_batch responses give
 * PR_ELIMIT (429).  Value problems of one response (unknown mode, text too
 * long, a question answered twice ...) mark that response rejected.
 * *out is the caller's (ingest_batch_free); NULL on failure. */
enum pr_rc ingest_decode(const char *body, size_t len, int max_batch,
                         struct ingest_batch **out, char *err) PR_MUST;
void ingest_batch_free(struct ingest_batch *b);             /* NULL-safe */

/* Check response r against its set version qs (period, mode, language,
 * track/care, every answer's question and option, questions asked only
 * when their condition holds, completeness) and compute its content hash.
 * `today` is the server's day number (periods after today + 31 days are
 * refused).  Returns 0, or -1 with r->result = INGEST_REJECTED and
 * r->reason set. */
int ingest_check(struct ingest_resp *r, const struct qset *qs, long today);

/* Look up each response's set (cache, database only on a miss) and run
 * ingest_check, outside the writer's transaction so request threads do
 * this work in parallel.  Optional: ingest_store does what is left.
 * Returns the database's error class when a set cannot be read. */
enum pr_rc ingest_prepare(struct aggdb *db, struct aggsets_cache *sc,
                          struct ingest_batch *b, char *err) PR_MUST;

/* Store every not yet rejected response of b for device dev in ONE
 * transaction, setting each result.  Any database failure rolls the whole
 * batch back and returns its class (PR_EBUSY -> 503): then no result may
 * be sent.  t (may be NULL) receives the counts. */
enum pr_rc ingest_store(struct aggdb *db, struct aggsets_cache *sc,
                        const struct aggdev *dev, struct ingest_batch *b,
                        struct ingest_tally *t, char *err) PR_MUST;

/* Several batches (from several requests) in ONE transaction: one commit
 * (one fsync on SQLite) for all of them.  Each job's results and tally are
 * set; on failure every job is rolled back together and nothing may be
 * acknowledged. */
struct ingest_job {
  const struct aggdev *dev;
  struct ingest_batch *b;
  struct ingest_tally t;      /* out */
};
enum pr_rc ingest_store_group(struct aggdb *db, struct aggsets_cache *sc,
                              struct ingest_job *jobs, int n,
                              char *err) PR_MUST;

/* Schema component "ingest" (aggroutes.c, after every component that
 * makes agg's tables or indexes): the storage shape of the write path.
 * Step 1 drops two indexes on responses no query reads any more and turns
 * answers into an append-only table (no (uuid, question) key; a partial
 * index on uuid for the free-text answers, the only ones read by uuid),
 * converting an existing database in place without losing a row. */
enum pr_rc ingest_migrate(struct aggdb *db, char *err) PR_MUST;

/* The 200 reply body; *out is the caller's (pr_free). */
enum pr_rc ingest_reply(const struct ingest_batch *b, char **out,
                        size_t *len) PR_MUST;

#endif
