/* calllist_db.h — the SQL the parts of the call list share (internal to
 * calllist*.c, not a public API): reading an entry row, one transaction
 * with its end, one statement with its bindings, the duplicate check.
 * Each runs inside a store_with_db callback, on the store's connection. */
#ifndef CALLLIST_DB_H
#define CALLLIST_DB_H

#include <sqlite3.h>
#include "calllist.h"

#define CALLLIST_DB_COLS "id, name, phone, pnr, discharge, track, care," \
  " consent, unit, attempts, last_dispo, next_at, final_dispo, closed_day," \
  " sip_offered, sip_accepted"

/* PR_EDB with "call list: what: <sqlite message>" in err. */
enum pr_rc calllist_db_err(sqlite3 *db, const char *what, char *err);
/* Run sql without bindings; PR_EDB naming it on failure. */
enum pr_rc calllist_db_exec(sqlite3 *db, const char *sql, char *err);
/* BEGIN IMMEDIATE. */
enum pr_rc calllist_db_begin(sqlite3 *db, char *err);
/* End what calllist_db_begin began: COMMIT when rc is PR_OK (its failure
 * is the result then), else ROLLBACK.  Returns the result. */
enum pr_rc calllist_db_end(sqlite3 *db, enum pr_rc rc, char *err);

/* Prepare sql, bind the arguments types names ('t' text, 'n' text bound
 * as NULL when empty, 'i' int, 'l' long, 'T' time_t), step it to the end.
 * *changes (may be NULL) is sqlite3_changes afterwards.  PR_EDB naming
 * what on failure. */
enum pr_rc calllist_db_run(sqlite3 *db, const char *what, int *changes,
                           char *err, const char *sql, const char *types,
                           ...);

/* Copy column i of the current row (NULL as ""). */
void calllist_db_text(sqlite3_stmt *st, int i, char *o, size_t cap);
/* The current row of a "SELECT " CALLLIST_DB_COLS statement into *e. */
void calllist_db_row(sqlite3_stmt *st, struct calllist_entry *e);
/* Entry id into *e; PR_ENOTFOUND with err when absent. */
enum pr_rc calllist_db_load(sqlite3 *db, long id, struct calllist_entry *e,
                            char *err);

/* The duplicate check, for a caller that runs it many times (import):
 * prepare once, finalize with sqlite3_finalize. */
enum pr_rc calllist_db_dup_prepare(sqlite3 *db, sqlite3_stmt **st,
                                   char *err);
/* Does another entry (not skip_id) hold the same personnummer, or the same
 * name + phone, with the same discharge date?  st from dup_prepare, or
 * NULL to prepare one here.  1 yes (*old, may be NULL, is that entry; a
 * personnummer match preferred), 0 no, -1 error. */
int calllist_db_duplicate(sqlite3 *db, sqlite3_stmt *st,
                          const struct calllist_entry *e, long skip_id,
                          struct calllist_entry *old);
/* The same for one typed entry: PR_ECONFLICT with err = conflict_msg when
 * there is one, PR_EDB naming what on error. */
enum pr_rc calllist_db_unique(sqlite3 *db, const struct calllist_entry *e,
                              long skip_id, const char *what,
                              const char *conflict_msg, char *err);

/* The closing day kept on an entry: the Monday of today's week, as coarse
 * as the phone response's date (store_begin), so that neither the day nor
 * the order of closing within a week joins an entry to its answers.
 * Retention counts from it: personal data goes retention_days after that
 * Monday, which is never later than retention_days after the outcome. */
long calllist_closing_day(long today);

/* Insert e for unit (its personal fields, track, care, consent). */
enum pr_rc calllist_db_insert(sqlite3 *db, const struct calllist_entry *e,
                              const char *unit, char *err);

#endif
