/* store.c — This file contains the kiosk's durable offline store: one
 * SQLite connection per file behind a mutex, WAL with synchronous=FULL so
 * that a call returns PR_OK only after its COMMIT is on disk, and the
 * response/answer/meta operations of store.h.  Opening, locking and
 * closing are in store_open.c. */
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsa.h"
#include "pdate.h"
#include "schema.h"
#include "store_int.h"
#include "uuid.h"
#include "vocab.h"

/* Record an SQLite failure as "store PATH: doing: sqlite message". */
enum pr_rc store_db_fail(struct store *s, int rc, const char *doing,
                         char *err)
{
  enum pr_rc r = schema_rc(rc);
  if(r == PR_OK)
    r = PR_EDB;
  /* A failed write was rolled back: say so, so nobody reports "saved". */
  const char *tail = strncmp(doing, "reading", 7) != 0 ? " - NOT saved" : "";
  if(r == PR_EFULL)
    pr_seterr(err, "store %s: %s: the disk is full%s", s->path, doing, tail);
  else
    pr_seterr(err, "store %s: %s: %s%s", s->path, doing,
              sqlite3_errmsg(s->db), tail);
  pr_log(PR_LOG_ERROR, "store.fail", "doing=\"%s\" rc=%s sqlite=%d", doing,
         pr_strerror(r), rc);
  return r;
}


enum pr_rc store_begin(struct store *s, const struct store_new *n,
                       char uuid[STORE_UUID_LEN], char *err)
{
  enum pr_rc rc;
  sqlite3_stmt *st = NULL;
  char day[STORE_DATE_LEN];
  long d;
  int src;

  uuid[0] = '\0';
  if(!qset_valid_id(n->set_id, QSET_ID_LEN) || n->set_version < 1) {
    pr_seterr(err, "store_begin: bad set id or version");
    return PR_EINVAL;
  }
  if(!hsa_valid(n->unit)) {
    pr_seterr(err, "store_begin: bad unit id (an HSA-id such as "
              HSA_EXAMPLE ")");
    return PR_EINVAL;
  }
  if(n->mode != QSET_MODE_KIOSK && n->mode != QSET_MODE_PHONE) {
    pr_seterr(err, "store_begin: mode must be kiosk or phone");
    return PR_EINVAL;
  }
  if(!n->lang || strlen(n->lang) < 2 || strlen(n->lang) >= QSET_LANG_LEN ||
     !qset_valid_id(n->lang, QSET_LANG_LEN)) {
    pr_seterr(err, "store_begin: bad language code");
    return PR_EINVAL;
  }
  if((n->track && !vocab_is_track(n->track)) ||
     (n->care && !vocab_is_care(n->care))) {
    pr_seterr(err, "store_begin: track must be gron/gul/rod and care "
              "somatisk/psykiatrisk");
    return PR_EINVAL;
  }
  if(n->mode == QSET_MODE_KIOSK && (n->track || n->care)) {
    pr_seterr(err, "store_begin: track and care are for phone mode only");
    return PR_EINVAL;
  }
  if(n->date) {
    if(pdate_parse(n->date, &d) != 0) {
      pr_seterr(err, "store_begin: date \"%.12s\" is not YYYY-MM-DD",
                n->date);
      return PR_EINVAL;
    }
  }
  else
    d = pdate_local_today(pr_now());
  /* A phone interview keeps only the Monday of its ISO week: its call
   * entry closes on a day of that week, and an exact day on both would
   * join them (calllist.c keeps the entry's closing day as coarse). */
  if(n->mode == QSET_MODE_PHONE)
    d = pdate_monday(d);
  pdate_format(d, day);
  if(uuid_v4(uuid) != PR_OK) {
    pr_seterr(err, "store_begin: no randomness from getrandom()");
    return PR_EIO;
  }

  pthread_mutex_lock(&s->lock);
  src = sqlite3_prepare_v2(s->db,
    "INSERT INTO response(uuid, set_id, set_version, unit, mode, lang, "
    "proxy, status, day, track, care) VALUES(?,?,?,?,?,?,?,0,?,?,?)",
    -1, &st, NULL);
  if(src == SQLITE_OK) {
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, n->set_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, n->set_version);
    sqlite3_bind_text(st, 4, n->unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, (int)n->mode);
    sqlite3_bind_text(st, 6, n->lang, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, n->proxy ? 1 : 0);
    sqlite3_bind_text(st, 8, day, -1, SQLITE_STATIC);
    if(n->track)
      sqlite3_bind_text(st, 9, n->track, -1, SQLITE_STATIC);
    if(n->care)
      sqlite3_bind_text(st, 10, n->care, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
  }
  if(src == SQLITE_DONE)
    rc = PR_OK;
  else {
    rc = store_db_fail(s, src, "starting a response", err);
    uuid[0] = '\0';
  }
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

/* Status of a response, or -1 when there is none.  Caller holds the
 * lock. */
static int response_status(struct store *s, const char *uuid)
{
  sqlite3_stmt *st = NULL;
  int status = -1;
  if(sqlite3_prepare_v2(s->db, "SELECT status FROM response WHERE uuid=?",
                        -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    if(sqlite3_step(st) == SQLITE_ROW)
      status = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  return status;
}

/* Why did an update by uuid touch no row?  Caller holds the lock. */
static enum pr_rc why_untouched(struct store *s, const char *uuid, char *err)
{
  if(response_status(s, uuid) < 0) {
    pr_seterr(err, "no response %.36s in the store", uuid);
    return PR_ENOTFOUND;
  }
  pr_seterr(err, "response %.36s is already finished", uuid);
  return PR_EINVAL;
}

enum pr_rc store_answer(struct store *s, const char *uuid, const char *qid,
                        const char *option, const char *text, char *err)
{
  enum pr_rc rc;
  sqlite3_stmt *st = NULL;
  int src;

  if(!uuid || !qset_valid_id(qid, QSET_ID_LEN)) {
    pr_seterr(err, "store_answer: bad response or question id");
    return PR_EINVAL;
  }
  if((option == NULL) == (text == NULL)) {
    pr_seterr(err, "store_answer: question %s: give an option or a text, "
              "not both or neither", qid);
    return PR_EINVAL;
  }
  if(option && !qset_valid_id(option, QSET_ID_LEN)) {
    pr_seterr(err, "store_answer: question %s: bad option code", qid);
    return PR_EINVAL;
  }
  if(text && strlen(text) > STORE_MAX_TEXT) {
    pr_seterr(err, "store_answer: question %s: text is longer than %d "
              "bytes", qid, STORE_MAX_TEXT);
    return PR_ELIMIT;
  }
  if(text && !*text)          /* an emptied text box is no answer */
    return store_unanswer(s, uuid, qid, err);

  pthread_mutex_lock(&s->lock);
  /* One autocommit statement = one short transaction, durable when
   * sqlite3_step returns SQLITE_DONE (WAL + synchronous=FULL). */
  src = sqlite3_prepare_v2(s->db,
    "INSERT INTO answer(response, question, option, text) "
    "SELECT id, ?2, ?3, ?4 FROM response WHERE uuid = ?1 AND status = 0 "
    "ON CONFLICT(response, question) DO UPDATE "
    "SET option = excluded.option, text = excluded.text",
    -1, &st, NULL);
  if(src == SQLITE_OK) {
    sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, qid, -1, SQLITE_STATIC);
    if(option)
      sqlite3_bind_text(st, 3, option, -1, SQLITE_STATIC);
    if(text)
      sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
  }
  if(src != SQLITE_DONE)
    rc = store_db_fail(s, src, "saving an answer", err);
  else if(sqlite3_changes(s->db) == 0)
    rc = why_untouched(s, uuid, err);
  else
    rc = PR_OK;
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

/* Run one write statement with a uuid and up to two ints / one text. */
static enum pr_rc exec_uuid(struct store *s, const char *sql, const char *uuid,
                            const char *t2, int i3, const char *doing,
                            int *changes, char *err)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc;
  int src = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
  if(src == SQLITE_OK) {
    if(uuid)
      sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
    if(t2)
      sqlite3_bind_text(st, 2, t2, -1, SQLITE_STATIC);
    else
      sqlite3_bind_int(st, 2, i3);
    src = sqlite3_step(st);
  }
  if(src == SQLITE_DONE) {
    rc = PR_OK;
    if(changes)
      *changes = sqlite3_changes(s->db);
  }
  else
    rc = store_db_fail(s, src, doing, err);
  sqlite3_finalize(st);
  return rc;
}

enum pr_rc store_unanswer(struct store *s, const char *uuid, const char *qid,
                          char *err)
{
  enum pr_rc rc;
  int ch = 0;
  if(!uuid || !qset_valid_id(qid, QSET_ID_LEN)) {
    pr_seterr(err, "store_unanswer: bad response or question id");
    return PR_EINVAL;
  }
  pthread_mutex_lock(&s->lock);
  rc = exec_uuid(s,
    "DELETE FROM answer WHERE question = ?2 AND response = "
    "(SELECT id FROM response WHERE uuid = ?1 AND status = 0)",
    uuid, qid, 0, "removing an answer", &ch, err);
  if(rc == PR_OK && ch == 0 && response_status(s, uuid) != STORE_IN_PROGRESS)
    rc = why_untouched(s, uuid, err);   /* missing or finished */
  /* An in-progress response without that answer is fine. */
  pthread_mutex_unlock(&s->lock);
  return rc;
}

enum pr_rc store_set_proxy(struct store *s, const char *uuid, int proxy,
                           char *err)
{
  enum pr_rc rc;
  int ch = 0;
  if(!uuid) {
    pr_seterr(err, "store_set_proxy: no response id");
    return PR_EINVAL;
  }
  pthread_mutex_lock(&s->lock);
  rc = exec_uuid(s, "UPDATE response SET proxy = ?2 WHERE uuid = ?1 AND "
                 "status = 0", uuid, NULL, proxy ? 1 : 0,
                 "setting the proxy flag", &ch, err);
  if(rc == PR_OK && ch == 0)
    rc = why_untouched(s, uuid, err);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

enum pr_rc store_finish(struct store *s, const char *uuid,
                        enum store_status status, char *err)
{
  enum pr_rc rc;
  int ch = 0;
  if(!uuid || (status != STORE_COMPLETE && status != STORE_ABANDONED)) {
    pr_seterr(err, "store_finish: status must be complete or abandoned");
    return PR_EINVAL;
  }
  pthread_mutex_lock(&s->lock);
  rc = exec_uuid(s, "UPDATE response SET status = ?2 WHERE uuid = ?1 AND "
                 "status = 0", uuid, NULL, (int)status,
                 "finishing a response", &ch, err);
  if(rc == PR_OK && ch == 0) {
    rc = why_untouched(s, uuid, err);
    if(rc == PR_EINVAL)       /* already finished: nothing changes */
      rc = PR_OK;
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

enum pr_rc store_abandon_open(struct store *s, int *n, char *err)
{
  enum pr_rc rc;
  int ch = 0;
  pthread_mutex_lock(&s->lock);
  rc = exec_uuid(s, "UPDATE response SET status = 2 WHERE status = 0",
                 NULL, NULL, 0, "abandoning open responses", &ch, err);
  pthread_mutex_unlock(&s->lock);
  if(n)
    *n = rc == PR_OK ? ch : 0;
  return rc;
}

enum pr_rc store_mark_synced(struct store *s,
                             const char (*uuids)[STORE_UUID_LEN], int n,
                             char *err)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_OK;
  int src;

  if(n <= 0)
    return PR_OK;
  pthread_mutex_lock(&s->lock);
  src = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if(src != SQLITE_OK) {
    rc = store_db_fail(s, src, "marking responses synced", err);
    goto out;
  }
  src = sqlite3_prepare_v2(s->db, "UPDATE response SET synced = 1 WHERE "
                           "uuid = ?", -1, &st, NULL);
  for(int i = 0; src == SQLITE_OK && i < n; i++) {
    sqlite3_bind_text(st, 1, uuids[i], -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    if(src == SQLITE_DONE)
      src = SQLITE_OK;
    sqlite3_reset(st);
  }
  if(src == SQLITE_OK)
    src = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
  if(src != SQLITE_OK) {
    rc = store_db_fail(s, src, "marking responses synced", err);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  }
out:
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

enum pr_rc store_meta_get(struct store *s, const char *key, char *buf,
                          size_t cap)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc;
  int src;
  if(cap)
    buf[0] = '\0';
  pthread_mutex_lock(&s->lock);
  src = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1,
                           &st, NULL);
  if(src == SQLITE_OK) {
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
  }
  if(src == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(st, 0);
    rc = pr_strlcpy(buf, v ? v : "", cap) == 0 ? PR_OK : PR_ELIMIT;
  }
  else if(src == SQLITE_DONE)
    rc = PR_ENOTFOUND;
  else
    rc = store_db_fail(s, src, "reading a setting", NULL);
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

enum pr_rc store_meta_set(struct store *s, const char *key, const char *value,
                          char *err)
{
  enum pr_rc rc;
  if(!key || !*key || !value) {
    pr_seterr(err, "store_meta_set: key and value are required");
    return PR_EINVAL;
  }
  pthread_mutex_lock(&s->lock);
  rc = exec_uuid(s, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 key, value, 0, "saving a setting", NULL, err);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

enum pr_rc store_check(struct store *s, char *report, size_t cap)
{
  sqlite3_stmt *st = NULL;
  char first[160];
  int bad, ver = -1, nresp = -1, nans = -1, nout = -1;
  enum pr_rc rc = PR_OK;
  int w;

  pthread_mutex_lock(&s->lock);
  bad = store_integrity(s->db, first, sizeof(first));
  if(sqlite3_prepare_v2(s->db, "SELECT (SELECT count(*) FROM response), "
                        "(SELECT count(*) FROM answer), "
                        "(SELECT count(*) FROM response WHERE " STORE_OUTBOX_WHERE
                        "), (SELECT user_version FROM pragma_user_version)",
                        -1, &st, NULL) == SQLITE_OK &&
     sqlite3_step(st) == SQLITE_ROW) {
    nresp = sqlite3_column_int(st, 0);
    nans = sqlite3_column_int(st, 1);
    nout = sqlite3_column_int(st, 2);
    ver = sqlite3_column_int(st, 3);
  }
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);

  if(bad < 0) {
    rc = schema_rc(-bad);
    if(rc == PR_OK)
      rc = PR_EDB;
  }
  else if(bad > 0)
    rc = PR_ECORRUPT;
  w = snprintf(report, cap,
               "integrity_check: %s\nschema version: %d (this program: %d)\n"
               "responses: %d\nanswers: %d\nwaiting to sync: %d\n",
               bad == 0 ? "ok" : bad > 0 ? first : "could not run", ver,
               schema_latest(), nresp, nans, nout);
  if(w < 0 || (size_t)w >= cap)
    return rc == PR_OK ? PR_ELIMIT : rc;
  return rc;
}

enum pr_rc store_with_db(struct store *s, store_db_fn fn, void *ctx,
                         char *err)
{
  enum pr_rc rc;
  pthread_mutex_lock(&s->lock);
  rc = fn(s->db, ctx, err);
  pthread_mutex_unlock(&s->lock);
  return rc;
}
