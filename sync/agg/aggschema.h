/* aggschema.h — the aggregator's tables and their migrations (component
 * "agg" in schema_version).  Other modules keep their own tables as their
 * own component (see aggroutes.c, which lists every component to migrate).
 * The exact shape of every table, above all `counts` that the indicator
 * queries read, is documented in aggschema.c. */
#ifndef AGGSCHEMA_H
#define AGGSCHEMA_H

#include "aggdb.h"

/* Bring the "agg" tables up to date.  PR_OK, or the aggdb error class with
 * the failing step named in err. */
enum pr_rc aggschema_migrate(struct aggdb *db, char *err) PR_MUST;

/* The same, only up to step `version` (tests of an upgrade). */
enum pr_rc aggschema_migrate_to(struct aggdb *db, int version,
                                char *err) PR_MUST;

/* Migrate every component listed in aggroutes.c ("agg" first). */
enum pr_rc aggschema_migrate_all(struct aggdb *db, char *err) PR_MUST;

/* Open the database at url and migrate every component (what each
 * rost-agg command does first).  *out is the caller's (aggdb_close); NULL
 * on failure, with err saying "databas: ..." or "databasschema: ...". */
enum pr_rc aggschema_open(const char *url, struct aggdb **out,
                          char *err) PR_MUST;

#endif
