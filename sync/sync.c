/* sync.c — This file contains the kiosk's sync round declared in sync.h:
 * outbox -> anonymise -> upload in batches -> mark what was acknowledged,
 * the parking of responses the server refuses, and the set-version fetch.
 *
 * The rule that keeps every answer exactly once at the aggregator: a
 * response is marked synced only after a 2xx reply whose body parses as
 * the protocol and names its uuid as stored or duplicate.  Anything else
 * leaves it in the outbox, and the server's uuid check makes the resend
 * harmless. */
#include "sync.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anon.h"
#include "calllist.h"
#include "callsync.h"
#include "enrolcli.h"
#include "qset.h"
#include "setfetch.h"
#include "wire.h"

#define SYNC_TOKEN_LEN 512
#define SYNC_PARK_S (24L * 3600)    /* rejected responses retried after */
#define SYNC_PARK_MAX 5000          /* parked responses skipped per round */
#define SYNC_MAX_REQUESTS 100000    /* loop guard for one round */

struct sync_client {
  struct store *store;
  struct sync_config cfg;
  struct uplink *up;
  int batch;                        /* current, shrinks on 413 */
  /* Parked uuids for this round, sorted for bsearch. */
  char (*parked)[STORE_UUID_LEN];
  int n_parked;
  /* Name parts from the phone call list, scrubbed from free text; loaded
   * at the start of a round, freed at its end. */
  char **names;
  int n_names;
};

static void free_names(struct sync_client *c)
{
  for(int i = 0; i < c->n_names; i++)
    pr_free(c->names[i]);
  pr_free(c->names);
  c->names = NULL;
  c->n_names = 0;
}

/* Every name part (split at spaces and hyphens) of the call list's
 * entries.  A store without a call list has no names: not an error. */
static enum pr_rc load_names(struct sync_client *c)
{
  struct calllist_entry *e = NULL;
  int n = 0, cap = 0;
  enum pr_rc rc;

  free_names(c);
  if(calllist_all(c->store, &e, &n, NULL) != PR_OK)
    return PR_OK;
  rc = PR_ENOMEM;
  for(int i = 0; i < n; i++) {
    const char *p = e[i].name;
    while(*p) {
      size_t l = strcspn(p, " -\t");
      if(l >= 2) {
        int dup = 0;
        for(int k = 0; k < c->n_names && !dup; k++)
          dup = strlen(c->names[k]) == l && strncmp(c->names[k], p, l) == 0;
        if(!dup) {
          if(c->n_names == cap) {
            int nc = cap ? cap * 2 : 16;
            char **nn = pr_realloc(c->names, (size_t)nc * sizeof(*nn));
            if(!nn)
              goto out;
            c->names = nn;
            cap = nc;
          }
          if(!(c->names[c->n_names] = pr_strndup(p, l)))
            goto out;
          c->n_names++;
        }
      }
      p += l;
      while(*p == ' ' || *p == '-' || *p == '\t')
        p++;
    }
  }
  rc = PR_OK;
out:
  if(e)
    sodium_memzero(e, (size_t)n * sizeof(*e));
  pr_free(e);
  return rc;
}

/* ---- the sync_rejected table, kept in the store's file ---------------- */

static enum pr_rc db_exec(sqlite3 *db, void *ctx, char *err)
{
  const char *sql = ctx;
  if(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    pr_seterr(err, "sync table: %s", sqlite3_errmsg(db));
    return PR_EDB;
  }
  return PR_OK;
}

struct park_arg {
  const char *uuid, *reason;
  long now;
};

static enum pr_rc db_park(sqlite3 *db, void *ctx, char *err)
{
  struct park_arg *a = ctx;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO sync_rejected"
                              "(uuid, reason, at) VALUES(?1, ?2, ?3)", -1,
                              &st, NULL);
  if(rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, a->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->now);
    rc = sqlite3_step(st);
  }
  sqlite3_finalize(st);
  if(rc != SQLITE_DONE) {
    pr_seterr(err, "sync table: %s", sqlite3_errmsg(db));
    return PR_EDB;
  }
  return PR_OK;
}

static int uuid_cmp(const void *a, const void *b)
{
  return strcmp(a, b);
}

/* Forget parkings older than a day (they get another chance) and load
 * the rest into c->parked. */
static enum pr_rc db_load_parked(sqlite3 *db, void *ctx, char *err)
{
  struct sync_client *c = ctx;
  sqlite3_stmt *st = NULL;
  long now = (long)pr_now();
  char sql[128];
  int rc;

  snprintf(sql, sizeof(sql), "DELETE FROM sync_rejected WHERE at <= %ld "
           "OR at > %ld", now - SYNC_PARK_S, now + 60);
  if(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
    goto fail;
  c->n_parked = 0;
  rc = sqlite3_prepare_v2(db, "SELECT uuid FROM sync_rejected ORDER BY at "
                          "LIMIT ?1", -1, &st, NULL);
  if(rc != SQLITE_OK)
    goto fail;
  sqlite3_bind_int(st, 1, SYNC_PARK_MAX);
  while(sqlite3_step(st) == SQLITE_ROW) {
    const char *u = (const char *)sqlite3_column_text(st, 0);
    if(u && c->n_parked < SYNC_PARK_MAX)
      pr_strlcpy(c->parked[c->n_parked++], u, STORE_UUID_LEN);
  }
  sqlite3_finalize(st);
  qsort(c->parked, (size_t)c->n_parked, STORE_UUID_LEN, uuid_cmp);
  return PR_OK;
fail:
  sqlite3_finalize(st);
  pr_seterr(err, "sync table: %s", sqlite3_errmsg(db));
  return PR_EDB;
}

struct count_arg {
  int n;
};

static enum pr_rc db_count_parked(sqlite3 *db, void *ctx, char *err)
{
  struct count_arg *a = ctx;
  sqlite3_stmt *st = NULL;
  a->n = -1;
  if(sqlite3_prepare_v2(db, "SELECT count(*) FROM sync_rejected r JOIN "
                        "response p ON p.uuid = r.uuid WHERE p.synced = 0",
                        -1, &st, NULL) == SQLITE_OK &&
     sqlite3_step(st) == SQLITE_ROW)
    a->n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if(a->n < 0) {
    pr_seterr(err, "sync table: %s", sqlite3_errmsg(db));
    return PR_EDB;
  }
  return PR_OK;
}

static int is_parked(const struct sync_client *c, const char *uuid)
{
  return c->n_parked > 0 &&
         bsearch(uuid, c->parked, (size_t)c->n_parked, STORE_UUID_LEN,
                 uuid_cmp) != NULL;
}

static enum pr_rc park(struct sync_client *c, const char *uuid,
                       const char *reason, char *err)
{
  struct park_arg a = {uuid, reason, (long)pr_now()};
  enum pr_rc rc = store_with_db(c->store, db_park, &a, err);
  if(rc == PR_OK && c->n_parked < SYNC_PARK_MAX) {
    pr_strlcpy(c->parked[c->n_parked++], uuid, STORE_UUID_LEN);
    qsort(c->parked, (size_t)c->n_parked, STORE_UUID_LEN, uuid_cmp);
  }
  return rc;
}

int sync_rejected_count(struct sync_client *c)
{
  struct count_arg a = {-1};
  if(store_with_db(c->store, db_count_parked, &a, NULL) != PR_OK)
    return -1;
  return a.n;
}

/* ---- client ------------------------------------------------------------ */

void sync_client_free(struct sync_client *c)
{
  if(!c)
    return;
  uplink_close(c->up);
  free_names(c);
  pr_free(c->parked);
  pr_free(c);
}

enum pr_rc sync_client_new(struct store *store, const struct sync_config *cfg,
                           struct sync_client **out, char *err)
{
  enum pr_rc rc;
  struct sync_client *c = NULL;
  struct uplink_opts o;

  *out = NULL;
  rc = PR_ENOMEM;
  c = pr_calloc(1, sizeof(*c));
  if(!c)
    goto out;
  c->store = store;
  c->cfg = *cfg;
  /* A kiosk enrolled by code syncs to where it enrolled, trusting the key
   * it enrolled against (enrolcli.h); read afresh for every client. */
  (void)enrolcli_apply(&c->cfg);
  cfg = &c->cfg;
  rc = sync_config_check(cfg, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  c->batch = cfg->batch > 0 ? cfg->batch : 1;
  c->parked = pr_calloc(SYNC_PARK_MAX, STORE_UUID_LEN);
  if(!c->parked)
    goto out;
  o = (struct uplink_opts){
    .ca_file = cfg->ca_file[0] ? cfg->ca_file : NULL,
    .pins = cfg->pins[0] ? cfg->pins : NULL,
    .connect_timeout_ms = cfg->connect_timeout_ms,
    .timeout_ms = cfg->timeout_ms,
    .low_speed_bytes = cfg->low_speed_bytes,
    .low_speed_time_s = cfg->low_speed_time_s,
    .max_reply = (size_t)cfg->max_reply,
    .pin_only = cfg->pin_only,
  };
  rc = uplink_open(&o, &c->up);
  if(rc != PR_OK) {
    pr_seterr(err, "sync: cannot start libcurl");
    goto out;
  }
  rc = store_with_db(store, db_exec, (void *)
                     "CREATE TABLE IF NOT EXISTS sync_rejected("
                     "uuid TEXT PRIMARY KEY, reason TEXT NOT NULL, "
                     "at INTEGER NOT NULL)", err);
  if(rc != PR_OK)
    goto out;
  *out = c;
  c = NULL;
out:
  sync_client_free(c);
  return rc;
}

void sync_client_set_tap(struct sync_client *c, uplink_tap_fn fn, void *ctx)
{
  uplink_set_tap(c->up, fn, ctx);
}

void sync_client_set_abort(struct sync_client *c, uplink_abort_fn fn,
                           void *ctx)
{
  uplink_set_abort(c->up, fn, ctx);
}

/* ---- one batch ----------------------------------------------------------- */

/* Judge a reply to an upload.  PR_OK: the body is the protocol's results.
 * Otherwise rep->err is set and nothing may be marked. */
static enum pr_rc judge(struct sync_report *rep, const struct uplink_reply *r,
                        struct wire_result **res, int *n)
{
  char msg[120], e2[PR_ERR_LEN];
  enum pr_rc rc;

  rep->http_status = r->status;
  rep->retry_after = r->retry_after;
  wire_error_text(r->body, r->len, msg, sizeof(msg));
  switch(r->status) {
  case 401:
  case 403:
    pr_seterr(rep->err, "token revoked/unknown (HTTP %ld)%s%s", r->status,
              msg[0] ? ": " : "", msg);
    return PR_EAUTH;
  case 413:
    pr_seterr(rep->err, "batch too large (HTTP 413)");
    return PR_ELIMIT;
  case 429:
  case 503:
    pr_seterr(rep->err, "server busy (HTTP %ld), retry after %ld s%s%s",
              r->status, r->retry_after, msg[0] ? ": " : "", msg);
    return PR_EBUSY;
  default:
    break;
  }
  if(r->status < 200 || r->status > 299) {
    pr_seterr(rep->err, "server answered HTTP %ld%s%s", r->status,
              msg[0] ? ": " : "", msg);
    return PR_EPROTO;
  }
  rc = wire_parse_results(r->body, r->len, res, n, e2);
  if(rc != PR_OK) {
    /* A captive portal's login page arrives as a 200 with HTML. */
    pr_seterr(rep->err, "not an aggregator reply (HTTP %ld, %s): %s",
              r->status, r->content_type[0] ? r->content_type : "no type",
              e2);
    return rc == PR_ENOMEM ? PR_ENOMEM : PR_EPROTO;
  }
  return PR_OK;
}

/* Build, send and settle one batch.  *progress is set when at least one
 * response left the outbox (synced or parked). */
static enum pr_rc one_batch(struct sync_client *c, const char *token,
                            struct sync_report *rep, int *progress,
                            int *empty)
{
  struct store_response *rs = NULL;
  struct wire_result *res = NULL;
  struct uplink_reply reply = {0};
  char (*sent)[STORE_UUID_LEN] = NULL, (*ack)[STORE_UUID_LEN] = NULL;
  json_t *records = NULL;
  char *body = NULL, url[SYNC_PATH_LEN + 32], e2[PR_ERR_LEN];
  size_t blen = 0;
  int n = 0, n_sent = 0, n_ack = 0, n_res = 0, want;
  struct timespec t0, t1;
  enum pr_rc rc;

  *progress = 0;
  *empty = 0;
  want = c->batch + c->n_parked;
  rc = store_outbox(c->store, want, &rs, &n, rep->err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  records = json_array();
  sent = pr_calloc((size_t)(n ? n : 1), STORE_UUID_LEN);
  ack = pr_calloc((size_t)(n ? n : 1), STORE_UUID_LEN);
  if(!records || !sent || !ack)
    goto out;
  for(int i = 0; i < n && n_sent < c->batch; i++) {
    json_t *o = NULL;
    int scr = 0;
    if(is_parked(c, rs[i].uuid))
      continue;
    rc = anon_response_names(&rs[i], c->cfg.period,
                             (const char *const *)c->names, c->n_names, &o,
                             &scr, e2);
    if(rc == PR_ENOMEM)
      goto out;
    if(rc != PR_OK) {
      /* Cannot be sent as it is; keep it, park it, say so. */
      pr_log(PR_LOG_WARN, "sync.unsendable", "uuid=%s", rs[i].uuid);
      rep->unsendable++;
      rc = park(c, rs[i].uuid, "cannot anonymise", rep->err);
      if(rc != PR_OK)
        goto out;
      *progress = 1;
      continue;
    }
    rep->scrubbed += scr;
    if(json_array_append_new(records, o) != 0) {
      rc = PR_ENOMEM;
      goto out;
    }
    pr_strlcpy(sent[n_sent++], rs[i].uuid, STORE_UUID_LEN);
  }
  if(n_sent == 0) {
    *empty = !*progress;
    rc = PR_OK;
    goto out;
  }
  rc = wire_request(records, &body, &blen);
  if(rc != PR_OK)
    goto out;
  snprintf(url, sizeof(url), "%s/api/v1/responses", c->cfg.url);
  rep->requests++;
  rep->sent += n_sent;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  rc = uplink_request(c->up, "POST", url, token, body, blen, &reply, e2);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  rep->upload_wait_s += (double)(t1.tv_sec - t0.tv_sec) +
                        (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if(rc != PR_OK) {
    pr_seterr(rep->err, "upload failed: %s", e2);
    goto out;
  }
  rc = judge(rep, &reply, &res, &n_res);
  if(rc == PR_ELIMIT) {
    if(c->batch > 1) {
      c->batch = c->batch / 2;
      rep->err[0] = '\0';
      rc = PR_OK;
      *progress = 1;      /* a smaller batch is progress */
    } else {
      rc = park(c, sent[0], "too large for the server", rep->err);
      *progress = rc == PR_OK;
      rep->rejected++;
    }
    goto out;
  }
  if(rc != PR_OK)
    goto out;
  /* Only uuids we sent count; the reply cannot acknowledge others. */
  for(int k = 0; k < n_res; k++) {
    int mine = 0;
    for(int s = 0; s < n_sent && !mine; s++)
      mine = strcmp(res[k].uuid, sent[s]) == 0;
    if(!mine)
      continue;
    if(res[k].status == WIRE_STORED || res[k].status == WIRE_DUPLICATE) {
      pr_strlcpy(ack[n_ack++], res[k].uuid, STORE_UUID_LEN);
      if(res[k].status == WIRE_STORED)
        rep->stored++;
      else
        rep->duplicates++;
    } else {
      pr_log(PR_LOG_WARN, "sync.rejected", "uuid=%s reason=\"%s\"",
             res[k].uuid, res[k].reason);
      rep->rejected++;
      rc = park(c, res[k].uuid, res[k].reason, rep->err);
      if(rc != PR_OK)
        goto out;
      *progress = 1;
    }
  }
  rc = store_mark_synced(c->store, (const char (*)[STORE_UUID_LEN])ack,
                         n_ack, rep->err);
  if(rc != PR_OK)
    goto out;
  if(n_ack > 0)
    *progress = 1;
  if(!*progress) {
    pr_seterr(rep->err, "the reply acknowledged none of the %d responses "
              "sent", n_sent);
    rc = PR_EPROTO;
    goto out;
  }
  /* Grow back after a 413, one doubling per good request. */
  if(c->batch < c->cfg.batch)
    c->batch = c->batch * 2 > c->cfg.batch ? c->cfg.batch : c->batch * 2;
  rc = PR_OK;
out:
  uplink_reply_free(&reply);
  pr_free(res);
  pr_free(body);
  pr_free(sent);
  pr_free(ack);
  json_decref(records);
  store_responses_free(rs, n);
  return rc;
}

#ifndef PR_SOFTWARE_VERSION
#define PR_SOFTWARE_VERSION "0"
#endif

/* Add the (id, version) of every set in dir to arr, once each. */
static void status_sets(json_t *arr, const char *dir)
{
  struct qset **v = NULL;
  char e[PR_ERR_LEN];
  int n = 0, i;
  size_t k;

  if(!dir[0] || qset_load_dir(dir, &v, &n, e) != PR_OK)
    return;
  for(i = 0; i < n && json_array_size(arr) < 32; i++) {
    json_t *x;
    int dup = 0;
    json_array_foreach(arr, k, x)
      dup |= !strcmp(json_string_value(json_object_get(x, "id")), v[i]->id) &&
             json_integer_value(json_object_get(x, "version")) ==
                 v[i]->version;
    if(!dup)
      json_array_append_new(arr, json_pack("{s:s, s:i}", "id", v[i]->id,
                                           "version", v[i]->version));
  }
  qset_free_all(v, n);
}

/* Tell the aggregator what this kiosk runs: software version, the set
 * versions it holds, how many responses wait (PROTOCOL.md, "status").
 * Counts and versions only.  Its failure never fails the round; an older
 * aggregator answers 404. */
static void status_post(struct sync_client *c, const char *token)
{
  json_t *sets = json_array(), *j;
  struct uplink_reply r;
  char url[SYNC_PATH_LEN + 32], e[PR_ERR_LEN];
  char *body;
  int q = store_outbox_count(c->store);

  if(!sets)
    return;
  status_sets(sets, c->cfg.shipped_sets_dir);
  status_sets(sets, c->cfg.sets_dir);
  j = json_pack("{s:s, s:o, s:i}", "software", PR_SOFTWARE_VERSION, "sets",
                sets, "queue", q < 0 ? 0 : q);
  body = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  if(!body)
    return;
  snprintf(url, sizeof(url), "%s/api/v1/status", c->cfg.url);
  if(uplink_request(c->up, "POST", url, token, body, strlen(body), &r, e) ==
     PR_OK) {
    if(r.status != 200 && r.status != 404)
      pr_log(PR_LOG_WARN, "sync.status_refused", "http=%ld", r.status);
    uplink_reply_free(&r);
  } else {
    pr_log(PR_LOG_WARN, "sync.status_failed", "why=\"%s\"", e);
  }
  pr_free(body);
}

enum pr_rc sync_round(struct sync_client *c, struct sync_report *rep)
{
  char token[SYNC_TOKEN_LEN], now_s[32];
  enum pr_rc rc;

  memset(rep, 0, sizeof(*rep));
  rep->retry_after = -1;
  rep->queue = -1;
  rc = sync_config_token(&c->cfg, token, sizeof(token), rep->err);
  if(rc != PR_OK)
    goto out;
  rc = store_with_db(c->store, db_load_parked, c, rep->err);
  if(rc != PR_OK)
    goto out;
  rc = load_names(c);
  if(rc != PR_OK)
    goto out;
  for(int i = 0; i < SYNC_MAX_REQUESTS; i++) {
    int progress = 0, empty = 0;
    rc = one_batch(c, token, rep, &progress, &empty);
    if(rc != PR_OK || empty)
      break;
  }
  /* The phone follow-up's weekly call statistics (counts only). */
  if(rc == PR_OK)
    rc = callsync_run(c->store, c->up, c->cfg.url, token,
                      &rep->callstat_weeks, &rep->http_status,
                      &rep->retry_after, rep->err);
  /* Always ask for the set list: with an empty queue this is what tells
   * the staff menu that the server is reachable and the token valid. */
  if(rc == PR_OK) {
    int refused = 0;
    rc = setfetch_run(c->up, c->cfg.url, token,
                      c->cfg.sets_dir[0] ? c->cfg.sets_dir : NULL,
                      &rep->sets_saved, &refused, &rep->retry_after, rep->err);
    /* A refused set is for staff to see, not a reason to hold back the
     * next round: the uploads before it went through. */
    if(refused > 0 && (rc == PR_EPROTO || rc == PR_ECONFLICT)) {
      rep->sets_problem = 1;
      snprintf(now_s, sizeof(now_s), "%lld", (long long)pr_now());
      if(store_meta_set(c->store, "sync_last_ok", now_s, NULL) != PR_OK)
        pr_log(PR_LOG_WARN, "sync.last_ok_not_saved", "why=store");
    }
  }
  /* A new set version may be what an "unknown set or version" rejection
   * waited for: offer those again now (PROTOCOL.md). */
  if(rc == PR_OK && rep->sets_saved > 0)
    rc = store_with_db(c->store, db_exec, (void *)
                       "DELETE FROM sync_rejected WHERE reason LIKE "
                       "'unknown set%'", rep->err);
  if(rc == PR_OK || rep->sets_problem)
    status_post(c, token);
  if(rc == PR_OK) {
    snprintf(now_s, sizeof(now_s), "%lld", (long long)pr_now());
    rc = store_meta_set(c->store, "sync_last_ok", now_s, rep->err);
  }
out:
  sodium_memzero(token, sizeof(token));
  free_names(c);
  rep->rc = rc;
  if(rc == PR_OK)
    rep->err[0] = '\0';
  rep->queue = store_outbox_count(c->store);
  rep->batch = c->batch;
  pr_log(rc == PR_OK ? PR_LOG_INFO : PR_LOG_WARN, "sync.round",
         "rc=%s http=%ld requests=%d sent=%d stored=%d duplicates=%d "
         "rejected=%d queue=%d sets=%d callstat_weeks=%d", pr_strerror(rc),
         rep->http_status, rep->requests, rep->sent, rep->stored,
         rep->duplicates, rep->rejected, rep->queue, rep->sets_saved,
         rep->callstat_weeks);
  return rc;
}

void sync_report_text(const struct sync_report *rep, char *buf, size_t cap)
{
  if(rep->rc == PR_OK)
    snprintf(buf, cap, "ok: %d skickade, %d sparade, %d redan sparade, "
             "%d avvisade, %d kvar i kön, %d nya frågeformulär",
             rep->sent, rep->stored, rep->duplicates, rep->rejected,
             rep->queue, rep->sets_saved);
  else
    snprintf(buf, cap, "fel (%s): %s; %d sparade, %d kvar i kön",
             pr_strerror(rep->rc), rep->err, rep->stored + rep->duplicates,
             rep->queue);
}
