/* aggcache.h — the figures' generation: a number in the database that
 * every transaction changing what the indicator queries read (counts,
 * call statistics, question sets) raises before it commits, so a cached
 * figure is served only while the generation it was computed under is
 * still current — in this process and in every other rost-agg on the same
 * database.  Schema component "cache" (table cache_gen). */
#ifndef AGGCACHE_H
#define AGGCACHE_H

#include "aggdb.h"

/* The component's migrations (one line in agg_components, aggroutes.c). */
enum pr_rc aggcache_migrate(struct aggdb *db, char *err) PR_MUST;

/* Raise the generation inside the caller's open transaction (after its
 * other writes, just before COMMIT: the row lock is then held only for the
 * commit).  Writers spread over AGGCACHE_SHARDS rows so concurrent
 * transactions of several processes seldom wait for each other. */
#define AGGCACHE_SHARDS 16
enum pr_rc aggcache_bump(struct aggdb_conn *c, char *err) PR_MUST;

/* The current generation (one cheap read).  Read it BEFORE computing what
 * is to be cached under it: a commit after the read changes it. */
enum pr_rc aggcache_gen(struct aggdb_conn *c, long long *gen,
                        char *err) PR_MUST;
/* The same on a connection of its own (acquired and released here). */
enum pr_rc aggcache_gen_db(struct aggdb *db, long long *gen,
                           char *err) PR_MUST;

#endif
