/* store_int.h — internals shared by the store's files (store_open.c:
 * opening, the writers' lock, closing; store.c: writing, settings, check;
 * store_read.c: reading responses back).  Not for other modules: they use
 * store.h. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "store.h"

struct store {
  sqlite3 *db;
  pthread_mutex_t lock;
  int lock_ok;
  char *path;
  char *recovered_from;     /* where a corrupt file was moved, or NULL */
  int lock_fd;              /* PATH-lock held with flock, or -1 (reader) */
  int readonly;             /* opened with STORE_READ */
};

/* Run PRAGMA integrity_check on db; 0 when it says "ok", 1 when it reports
 * damage (the first line in first), or a negative SQLite error. */
int store_integrity(sqlite3 *db, char *first, size_t cap);

/* Record an SQLite failure as "store PATH: doing: sqlite message", log it
 * without personal data, and return the matching enum pr_rc. */
enum pr_rc store_db_fail(struct store *s, int rc, const char *doing,
                         char *err);

/* Finished, answered, not yet synced: what the outbox holds. */
#define STORE_OUTBOX_WHERE \
  "synced = 0 AND status IN (1, 2) AND " \
  "EXISTS (SELECT 1 FROM answer WHERE answer.response = response.id)"

#endif
