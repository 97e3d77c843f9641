/* aggdb_pg.h — what the PostgreSQL driver (aggdb_pg.c) adds beyond the
 * aggdb driver interface: its own schema component "pg", PostgreSQL-only
 * storage settings that keep the indicator queries fast at national scale
 * and the big tables (responses, answers) hash-partitioned by uuid (step
 * 2; see SCALE.md).  On SQLite the
 * component's steps are recorded and do nothing.  The driver
 * itself is reached through aggdb_open("postgresql://...") only. */
#ifndef AGGDB_PG_H
#define AGGDB_PG_H

#include "aggdb.h"

/* Bring the "pg" component up to date (after "agg" and "aggregates":
 * it tunes their tables).  PR_OK or the aggdb error class with the step named in err. */
enum pr_rc aggdb_pg_migrate(struct aggdb *db, char *err) PR_MUST;
/* Only up to step `version` (tests: a database as an older release left
 * it, then migrated). */
enum pr_rc aggdb_pg_migrate_to(struct aggdb *db, int version,
                               char *err) PR_MUST;

#endif
