/* store_read.c — This file contains reading responses back from the
 * store: one by id, the outbox of finished responses waiting to sync, and
 * a paged walk over all responses that releases the lock between pages. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define STORE_PAGE 200      /* responses read per lock hold in foreach */

void store_responses_free(struct store_response *r, int n)
{
  if(!r)
    return;
  for(int i = 0; i < n; i++) {
    for(int k = 0; k < r[i].n_answers; k++)
      pr_free(r[i].answers[k].text);
    pr_free(r[i].answers);
  }
  pr_free(r);
}

static void col_copy(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
  const char *t = (const char *)sqlite3_column_text(st, col);
  pr_strlcpy(dst, t ? t : "", cap);
}

#define RESPONSE_COLS \
  "id, uuid, set_id, set_version, unit, mode, lang, proxy, status, day, " \
  "track, care, synced"

static void row_to_response(sqlite3_stmt *st, struct store_response *r)
{
  col_copy(st, 1, r->uuid, sizeof(r->uuid));
  col_copy(st, 2, r->set_id, sizeof(r->set_id));
  r->set_version = sqlite3_column_int(st, 3);
  col_copy(st, 4, r->unit, sizeof(r->unit));
  r->mode = (unsigned)sqlite3_column_int(st, 5);
  col_copy(st, 6, r->lang, sizeof(r->lang));
  r->proxy = sqlite3_column_int(st, 7);
  r->status = (enum store_status)sqlite3_column_int(st, 8);
  col_copy(st, 9, r->date, sizeof(r->date));
  col_copy(st, 10, r->track, sizeof(r->track));
  col_copy(st, 11, r->care, sizeof(r->care));
  r->synced = sqlite3_column_int(st, 12);
}

/* Load the answers of response row id into r.  Caller holds the lock. */
static enum pr_rc load_answers(struct store *s, sqlite3_int64 id,
                               struct store_response *r, char *err)
{
  sqlite3_stmt *st = NULL;
  enum pr_rc rc = PR_ENOMEM;
  int src, cap = 0;

  src = sqlite3_prepare_v2(s->db, "SELECT question, option, text FROM "
                           "answer WHERE response = ? ORDER BY question",
                           -1, &st, NULL);
  if(src != SQLITE_OK)
    return store_db_fail(s, src, "reading answers", err);
  sqlite3_bind_int64(st, 1, id);
  while((src = sqlite3_step(st)) == SQLITE_ROW) {
    struct store_answer *a;
    if(r->n_answers == cap) {
      int ncap = cap ? cap * 2 : 8;
      struct store_answer *na = pr_realloc(r->answers,
                                           (size_t)ncap * sizeof(*na));
      if(!na)
        goto out;
      r->answers = na;
      cap = ncap;
    }
    a = &r->answers[r->n_answers];
    memset(a, 0, sizeof(*a));
    col_copy(st, 0, a->question, sizeof(a->question));
    col_copy(st, 1, a->option, sizeof(a->option));
    if(sqlite3_column_type(st, 2) != SQLITE_NULL) {
      a->text = pr_strdup((const char *)sqlite3_column_text(st, 2));
      if(!a->text)
        goto out;
    }
    r->n_answers++;
  }
  if(src != SQLITE_DONE) {
    rc = store_db_fail(s, src, "reading answers", err);
    goto out;
  }
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "store: out of memory reading answers");
  sqlite3_finalize(st);
  return rc;
}

/* Run a response query (bound by bind_fn-free convention: ?1 text, ?2
 * int) and collect up to max rows with answers.  Caller holds the lock. */
static enum pr_rc query_responses(struct store *s, const char *sql,
                                  const char *t1, sqlite3_int64 i2, int max,
                                  struct store_response **out, int *n,
                                  sqlite3_int64 *last_id, char *err)
{
  sqlite3_stmt *st = NULL;
  struct store_response *arr = NULL;
  enum pr_rc rc = PR_ENOMEM;
  int cnt = 0, cap = 0, src;

  *out = NULL;
  *n = 0;
  src = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
  if(src != SQLITE_OK) {
    rc = store_db_fail(s, src, "reading responses", err);
    goto out;
  }
  if(t1)
    sqlite3_bind_text(st, 1, t1, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64(st, 1, i2);
  sqlite3_bind_int(st, 2, max);
  while(cnt < max && (src = sqlite3_step(st)) == SQLITE_ROW) {
    if(cnt == cap) {
      int ncap = cap ? cap * 2 : 8;
      struct store_response *na = pr_realloc(arr, (size_t)ncap *
                                             sizeof(*na));
      if(!na)
        goto out;
      arr = na;
      cap = ncap;
    }
    assert(cnt < cap);
    memset(&arr[cnt], 0, sizeof(arr[cnt]));
    row_to_response(st, &arr[cnt]);
    cnt++;
    if(last_id)
      *last_id = sqlite3_column_int64(st, 0);
    rc = load_answers(s, sqlite3_column_int64(st, 0), &arr[cnt - 1], err);
    if(rc != PR_OK)
      goto out;
    rc = PR_ENOMEM;
  }
  if(cnt < max && src != SQLITE_DONE) {
    rc = store_db_fail(s, src, "reading responses", err);
    goto out;
  }
  *out = arr;
  *n = cnt;
  arr = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "store: out of memory reading responses");
  store_responses_free(arr, cnt);
  sqlite3_finalize(st);
  return rc;
}

enum pr_rc store_get(struct store *s, const char *uuid,
                     struct store_response **out, char *err)
{
  enum pr_rc rc;
  int n = 0;
  *out = NULL;
  if(!uuid) {
    pr_seterr(err, "store_get: no response id");
    return PR_EINVAL;
  }
  pthread_mutex_lock(&s->lock);
  rc = query_responses(s, "SELECT " RESPONSE_COLS " FROM response "
                       "WHERE uuid = ?1 LIMIT ?2", uuid, 0, 1, out, &n, NULL,
                       err);
  pthread_mutex_unlock(&s->lock);
  if(rc == PR_OK && n == 0) {
    pr_seterr(err, "no response %.36s in the store", uuid);
    store_responses_free(*out, 0);
    *out = NULL;
    rc = PR_ENOTFOUND;
  }
  return rc;
}

enum pr_rc store_outbox(struct store *s, int max, struct store_response **out,
                        int *n, char *err)
{
  enum pr_rc rc;
  *out = NULL;
  *n = 0;
  if(max <= 0) {
    pr_seterr(err, "store_outbox: max must be positive");
    return PR_EINVAL;
  }
  pthread_mutex_lock(&s->lock);
  rc = query_responses(s, "SELECT " RESPONSE_COLS " FROM response WHERE "
                       "id > ?1 AND " STORE_OUTBOX_WHERE " ORDER BY id LIMIT ?2",
                       NULL, 0, max, out, n, NULL, err);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

int store_outbox_count(struct store *s)
{
  sqlite3_stmt *st = NULL;
  int v = -1;
  pthread_mutex_lock(&s->lock);
  if(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM response WHERE "
                        STORE_OUTBOX_WHERE, -1, &st, NULL) == SQLITE_OK &&
     sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);
  return v;
}

enum pr_rc store_foreach(struct store *s, store_visit_fn cb, void *ctx,
                         char *err)
{
  sqlite3_int64 last = 0;
  for(;;) {
    struct store_response *page = NULL;
    int n = 0, stop = 0;
    enum pr_rc rc;
    /* Page through with the lock released during callbacks, so a
     * callback may itself use the store. */
    pthread_mutex_lock(&s->lock);
    rc = query_responses(s, "SELECT " RESPONSE_COLS " FROM response WHERE "
                         "id > ?1 ORDER BY id LIMIT ?2", NULL, last,
                         STORE_PAGE, &page, &n, &last, err);
    pthread_mutex_unlock(&s->lock);
    if(rc != PR_OK)
      return rc;
    for(int i = 0; i < n && !stop; i++)
      stop = cb(&page[i], ctx);
    store_responses_free(page, n);
    if(stop || n < STORE_PAGE)
      return PR_OK;
  }
}

