/* store.h — the kiosk's durable offline store (SQLite, WAL,
 * synchronous=FULL, secure_delete).  Every answer is committed in its own
 * short transaction; a function returns PR_OK only after COMMIT returned.
 * One connection per file, guarded by a mutex: a handle may be shared by the
 * UI thread and the sync thread; one writing program per file, kept so by
 * a lock (store_open_mode).  It knows nothing of the UI or network. */
#ifndef STORE_H
#define STORE_H

#include "pr.h"
#include "qset.h"

struct store;
struct sqlite3;

#define STORE_UUID_LEN 37       /* 36 chars + NUL */
#define STORE_UNIT_LEN 40       /* HSA-id */
#define STORE_DATE_LEN 11       /* YYYY-MM-DD + NUL */
#define STORE_MAX_TEXT 2000     /* bytes of free text kept per answer */

enum store_status { STORE_IN_PROGRESS = 0, STORE_COMPLETE = 1,
                    STORE_ABANDONED = 2 };

/* How a program opens a store file.  Every mode but STORE_READ takes the
 * writers' lock: an exclusive flock on PATH-lock, held until store_close,
 * so that two programs never write one file (Debian 12's SQLite 3.40 has
 * a race between concurrent WAL writers).  A second writer gets PR_EBUSY
 * with err naming the file and, when known, the program holding it. */
enum store_mode {
  STORE_KIOSK = 0, /* the kiosk and rost-phone: create a missing file,
                      migrate; a file that fails to open as a database or
                      fails integrity_check is renamed to
                      PATH.corrupt-<timestamp>, reported with pr_log, and a
                      fresh store is started (store_recovered_from) */
  STORE_WRITE,     /* a staff command that writes: an existing Patientröst
                      store only; migrated, never created, never moved */
  STORE_CREATE,    /* STORE_WRITE, but a missing file is created (rostctl
                      set-pin and calls import prepare a new store) */
  STORE_READ       /* a staff command that only reads: an existing,
                      up-to-date store, read-only (PRAGMA query_only), no
                      lock, so it works while the kiosk runs.  A store of
                      an older schema is first migrated by a STORE_WRITE
                      open.  Writes through such a handle fail. */
};

/* Open path in mode.  *out is the caller's (store_close); NULL on failure.
 * Results other than PR_OK, with err naming the path:
 *   PR_ENOTFOUND  STORE_WRITE/STORE_READ and no file at path;
 *   PR_EINVAL     (not STORE_KIOSK) the file is not a Patientröst store —
 *                 "lista.csv is not a Patientröst store (not an SQLite
 *                 database)", an empty file, another program's database;
 *                 or any mode: a store of a newer schema.  Left untouched;
 *   PR_ECORRUPT   (not STORE_KIOSK) the store is damaged; left as it is;
 *   PR_EBUSY      another program holds the writers' lock;
 *   PR_EIO        a missing directory, a directory or other non-file at
 *                 path, no permission to read (or write) the file or to
 *                 create files in its directory — said as such, with the
 *                 file's owner and mode and the program's uid. */
enum pr_rc store_open_mode(const char *path, enum store_mode mode,
                           struct store **out, char *err) PR_MUST;
/* store_open_mode(path, STORE_KIOSK, out, err). */
enum pr_rc store_open(const char *path, struct store **out, char *err) PR_MUST;
void store_close(struct store *s);               /* NULL-safe */
/* Opened with STORE_READ?  NULL-safe (0). */
int store_readonly(const struct store *s);
const char *store_recovered_from(const struct store *s); /* borrowed/NULL */
int store_schema_version(struct store *s);

/* What a new response carries.  No time of day, ever: only the date. */
struct store_new {
  const char *set_id;
  int set_version;
  const char *unit;        /* HSA-id of the unit */
  unsigned mode;           /* QSET_MODE_KIOSK or QSET_MODE_PHONE */
  const char *lang;
  int proxy;               /* a relative answers for the patient */
  const char *track;       /* phone: "gron"/"gul"/"rod", else NULL */
  const char *care;        /* phone: "somatisk"/"psykiatrisk", else NULL */
  const char *date;        /* YYYY-MM-DD; NULL = today (local, pr_now).
                              A phone response stores the Monday of this
                              date's ISO week instead, so no exact day can
                              join it to its call entry. */
};

/* Start a response with a fresh random UUID v4 (getrandom). */
enum pr_rc store_begin(struct store *s, const struct store_new *n,
                       char uuid[STORE_UUID_LEN], char *err) PR_MUST;
/* Save (or replace) the answer to question qid: an option code, or for a
 * free-text question the text (option NULL).  Text longer than
 * STORE_MAX_TEXT is PR_ELIMIT.  Committed before return. */
enum pr_rc store_answer(struct store *s, const char *uuid, const char *qid,
                        const char *option, const char *text,
                        char *err) PR_MUST;
/* Remove an answer (the patient went back and the question no longer
 * applies).  Missing answer: PR_OK. */
enum pr_rc store_unanswer(struct store *s, const char *uuid, const char *qid,
                          char *err) PR_MUST;
enum pr_rc store_set_proxy(struct store *s, const char *uuid, int proxy,
                           char *err) PR_MUST;
/* Finish as complete or abandoned.  Only in-progress responses change. */
enum pr_rc store_finish(struct store *s, const char *uuid,
                        enum store_status status, char *err) PR_MUST;
/* Mark every in-progress response abandoned (after a crash or restart);
 * *n (may be NULL) is how many. */
enum pr_rc store_abandon_open(struct store *s, int *n, char *err) PR_MUST;

struct store_answer {
  char question[QSET_ID_LEN];
  char option[QSET_ID_LEN];    /* "" for free text */
  char *text;                  /* NULL unless free text; owned */
};

struct store_response {
  char uuid[STORE_UUID_LEN];
  char set_id[QSET_ID_LEN];
  int set_version;
  char unit[STORE_UNIT_LEN];
  unsigned mode;
  char lang[QSET_LANG_LEN];
  int proxy;
  enum store_status status;
  char date[STORE_DATE_LEN];
  char track[16];              /* "" when not phone */
  char care[16];
  int synced;
  int n_answers;
  struct store_answer *answers; /* owned */
};

/* One response with its answers.  *out is the caller's
 * (store_responses_free(*out, 1)); NULL on failure. */
enum pr_rc store_get(struct store *s, const char *uuid,
                     struct store_response **out, char *err) PR_MUST;
/* Up to max finished (complete or abandoned, with at least one answer) and
 * not yet synced responses, oldest first.  *out is an array of *n, the
 * caller's (store_responses_free). */
enum pr_rc store_outbox(struct store *s, int max, struct store_response **out,
                        int *n, char *err) PR_MUST;
int store_outbox_count(struct store *s);         /* -1 on error */
void store_responses_free(struct store_response *r, int n);
/* Mark acknowledged responses synced (one transaction). */
enum pr_rc store_mark_synced(struct store *s, const char (*uuids)[STORE_UUID_LEN],
                             int n, char *err) PR_MUST;

/* Visit every response (with answers) in creation order; cb returns 0 to
 * go on, non-zero to stop.  The response is borrowed for the call. */
typedef int (*store_visit_fn)(const struct store_response *r, void *ctx);
enum pr_rc store_foreach(struct store *s, store_visit_fn cb, void *ctx,
                         char *err) PR_MUST;

/* Small key/value settings kept in the store: "staff_pin_hash",
 * "sync_last_ok", ...  get: PR_ENOTFOUND when absent; value truncated to
 * cap is PR_ELIMIT. */
enum pr_rc store_meta_get(struct store *s, const char *key, char *buf,
                          size_t cap) PR_MUST;
enum pr_rc store_meta_set(struct store *s, const char *key, const char *value,
                          char *err) PR_MUST;

/* PRAGMA integrity_check and schema version, as text for a person. */
enum pr_rc store_check(struct store *s, char *report, size_t cap) PR_MUST;

/* For sibling modules in survey/ that keep their own tables in the same
 * file (the phone call list): run fn on the store's one connection while
 * holding its lock.  fn must not call other store_* functions. */
typedef enum pr_rc (*store_db_fn)(struct sqlite3 *db, void *ctx, char *err);
enum pr_rc store_with_db(struct store *s, store_db_fn fn, void *ctx,
                         char *err) PR_MUST;

#endif
