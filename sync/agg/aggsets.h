/* aggsets.h — question sets on the aggregator: publish a set version
 * (validated with the kiosk's own validator, immutable afterwards), seed
 * from a directory at first start, list the current version of each set,
 * fetch a version's file, and a thread-safe cache of parsed sets that the
 * ingest validation reads.  No HTTP here. */
#ifndef AGGSETS_H
#define AGGSETS_H

#include <stddef.h>

#include "aggdb.h"
#include "qset.h"

#define AGGSETS_MAX_BODY (1024 * 1024)

/* Publish buf as a new set version.  PR_EINVAL with the validator's
 * message for a broken set; PR_ECONFLICT when that id+version exists with
 * different content (a published version never changes); PR_OK also when
 * the identical file was published before (*already = 1). */
enum pr_rc aggsets_publish(struct aggdb *db, const char *name,
                           const char *buf, size_t len, int *already,
                           char *err) PR_MUST;

/* Publish every *.json of dir that is not yet published (same rules);
 * stops at the first broken file.  *n_new (may be NULL) counts new ones. */
enum pr_rc aggsets_seed_dir(struct aggdb *db, const char *dir, int *n_new,
                            char *err) PR_MUST;

struct aggsets_item {
  char id[QSET_ID_LEN];
  int version;
  char sha256[65];
};

/* The highest version of each set.  *out is the caller's (pr_free). */
enum pr_rc aggsets_current(struct aggdb *db, struct aggsets_item **out,
                           int *n, char *err) PR_MUST;

/* The file of id+version exactly as published.  *body is the caller's
 * (pr_free), NUL-terminated, *len bytes; PR_ENOTFOUND when unknown. */
enum pr_rc aggsets_get(struct aggdb *db, const char *id, int version,
                       char **body, size_t *len, char *err) PR_MUST;

/* Cache of parsed sets, keyed by id+version.  Entries are never evicted
 * (a version never changes), so a returned set stays valid until
 * aggsets_cache_free. */
struct aggsets_cache;
enum pr_rc aggsets_cache_new(struct aggsets_cache **out) PR_MUST;
void aggsets_cache_free(struct aggsets_cache *sc);       /* NULL-safe */
/* Find id+version, loading it from the database on a miss (c is a
 * connection the caller holds).  PR_ENOTFOUND when not published. */
enum pr_rc aggsets_cache_get(struct aggsets_cache *sc, struct aggdb_conn *c,
                             const char *id, int version,
                             const struct qset **out, char *err) PR_MUST;
/* The cached set or NULL, without touching the database. */
const struct qset *aggsets_cache_peek(struct aggsets_cache *sc,
                                      const char *id, int version);

#endif
