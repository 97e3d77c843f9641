/* schema.h — the local store's SQLite schema as an ordered list of
 * migration steps, applied by PRAGMA user_version.  Modules that keep
 * their own tables in the store file (the phone call list) APPEND steps in
 * schema.c; no response row may reference such tables.  It does not open
 * files; store.c calls schema_migrate on its one connection. */
#ifndef SCHEMA_H
#define SCHEMA_H

#include "pr.h"

struct sqlite3;

/* The schema version a fully migrated store has. */
int schema_latest(void);

/* Bring db from its user_version up to schema_latest(), one transaction
 * per step (a crash mid-way leaves the last finished step).  A store from
 * a newer program (user_version > latest) is PR_EINVAL and is not touched.
 * SQLite errors map to PR_EDB / PR_EFULL / PR_EIO / PR_ECORRUPT. */
enum pr_rc schema_migrate(struct sqlite3 *db, char *err) PR_MUST;

/* Apply only the steps up to and including version `upto` (tests build
 * an older store with it). */
enum pr_rc schema_migrate_to(struct sqlite3 *db, int upto, char *err) PR_MUST;

/* Map an SQLite result code to enum pr_rc (shared with store.c). */
enum pr_rc schema_rc(int sqlite_rc);

#endif
