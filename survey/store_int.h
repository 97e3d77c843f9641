/* store_int.h — internals shared by the store's two files (store.c:
 * opening, writing, settings; store_read.c: reading responses back).  Not
 * for other modules: they use store.h. */
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
};

/* Record an SQLite failure as "store PATH: doing: sqlite message", log it
 * without personal data, and return the matching enum pr_rc. */
enum pr_rc store_db_fail(struct store *s, int rc, const char *doing,
                         char *err);

/* Finished, answered, not yet synced: what the outbox holds. */
#define STORE_OUTBOX_WHERE \
  "synced = 0 AND status IN (1, 2) AND " \
  "EXISTS (SELECT 1 FROM answer WHERE answer.response = response.id)"

#endif
