/* callsync.c — This file contains the call-statistics step of a sync round
 * (callsync.h): the weekly counts summed per week, the weeks still to
 * send, the request and the judging of its reply. */
#include "callsync.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "callstat.h"

#define META_FROM "sync_callstat_from"   /* newest week acknowledged */
#define META_HASH "sync_callstat_hash"   /* hash of what was acknowledged */

static int add_count(json_t *o, const char *k, long n)
{
  return n > 0 ? json_object_set_new(o, k, json_integer((json_int_t)n)) : 0;
}

enum pr_rc callsync_body(const struct dispo_week *w, int n, char **out,
                         size_t *len)
{
  json_t *root = json_object(), *arr = json_array();
  enum pr_rc rc = PR_ENOMEM;
  int i, d, bad = 0;

  *out = NULL;
  *len = 0;
  if(!root || !arr)
    goto out;
  for(i = 0; i < n; i++) {
    json_t *o = json_object(), *oc = json_object();
    if(!o || !oc) {
      json_decref(o);
      json_decref(oc);
      goto out;
    }
    bad |= json_object_set_new(o, "week", json_string(w[i].week));
    bad |= add_count(o, "entries", w[i].entries);
    bad |= add_count(o, "attempts", w[i].attempts);
    bad |= add_count(o, "sip_offered", w[i].sip_offered);
    bad |= add_count(o, "sip_accepted", w[i].sip_accepted);
    for(d = 1; d < DISPO_COUNT; d++)
      bad |= add_count(oc, dispo_info((enum dispo)d)->code, w[i].outcome[d]);
    bad |= json_object_set_new(o, "outcomes", oc);
    bad |= json_array_append_new(arr, o);
  }
  bad |= json_object_set_new(root, "protocol", json_integer(1));
  bad |= json_object_set(root, "weeks", arr);
  if(bad)
    goto out;
  *out = json_dumps(root, JSON_COMPACT);
  if(!*out)
    goto out;
  *len = strlen(*out);
  rc = PR_OK;
out:
  json_decref(arr);
  json_decref(root);
  return rc;
}

/* The store's rows (per week and unit, oldest first) summed per week; the
 * unit is the token's at the aggregator. */
static int merge_weeks(struct dispo_week *w, int n)
{
  int i, k = 0, d;
  for(i = 0; i < n; i++) {
    if(k > 0 && strcmp(w[k - 1].week, w[i].week) == 0) {
      struct dispo_week *a = &w[k - 1];
      a->entries += w[i].entries;
      a->attempts += w[i].attempts;
      a->sip_offered += w[i].sip_offered;
      a->sip_accepted += w[i].sip_accepted;
      for(d = 0; d < DISPO_COUNT; d++)
        a->outcome[d] += w[i].outcome[d];
      continue;
    }
    if(k != i)
      w[k] = w[i];
    w[k].unit[0] = '\0';
    k++;
  }
  return k;
}

static void hash_hex(const char *body, size_t len, char out[65])
{
  unsigned char h[32];
  crypto_generichash(h, sizeof(h), (const unsigned char *)body, len, NULL, 0);
  sodium_bin2hex(out, 65, h, sizeof(h));
}

/* 0 when body is {"protocol":1,"stored":want}. */
static int check_reply(const char *body, size_t len, int want)
{
  json_error_t je;
  json_t *j = body ? json_loadb(body, len, 0, &je) : NULL;
  int ok = j && json_is_object(j) &&
           json_integer_value(json_object_get(j, "protocol")) == 1 &&
           json_is_integer(json_object_get(j, "stored")) &&
           json_integer_value(json_object_get(j, "stored")) == want;
  json_decref(j);
  return ok ? 0 : -1;
}

enum pr_rc callsync_run(struct store *st, struct uplink *up, const char *url,
                        const char *token, int *sent, long *http_status,
                        long *retry_after, char *err)
{
  struct dispo_week *w = NULL;
  struct uplink_reply reply = {0};
  char from[16] = "", seen[65] = "", h[65], path[600], e2[PR_ERR_LEN];
  char *body = NULL;
  size_t len = 0;
  int n = 0, first, k;
  enum pr_rc rc;

  *sent = 0;
  rc = callstat_weeks(st, &w, &n, err);
  if(rc != PR_OK)
    return rc;
  n = merge_weeks(w, n);
  if(store_meta_get(st, META_FROM, from, sizeof(from)) != PR_OK)
    from[0] = '\0';
  if(store_meta_get(st, META_HASH, seen, sizeof(seen)) != PR_OK)
    seen[0] = '\0';
  /* ISO week labels sort as text ("2025-W52" < "2026-W01"). */
  for(first = 0; first < n && strcmp(w[first].week, from) < 0; first++)
    ;
  k = n - first;
  rc = PR_OK;
  if(k == 0)
    goto out;
  rc = callsync_body(w + first, k, &body, &len);
  if(rc != PR_OK)
    goto out;
  hash_hex(body, len, h);
  if(strcmp(h, seen) == 0)
    goto out;                             /* nothing new since */
  snprintf(path, sizeof(path), "%s/api/v1/callstats", url);
  rc = uplink_request(up, "POST", path, token, body, len, &reply, e2);
  if(rc != PR_OK) {
    pr_seterr(err, "call statistics: %s", e2);
    goto out;
  }
  *http_status = reply.status;
  if(reply.status == 404) {
    pr_log(PR_LOG_INFO, "sync.callstats_unsupported", "http=404");
    goto out;
  }
  if(reply.status == 401 || reply.status == 403) {
    pr_seterr(err, "token revoked/unknown (HTTP %ld)", reply.status);
    rc = PR_EAUTH;
    goto out;
  }
  if(reply.status == 429 || reply.status == 503) {
    *retry_after = reply.retry_after;
    pr_seterr(err, "server busy (HTTP %ld), retry after %ld s", reply.status,
              reply.retry_after);
    rc = PR_EBUSY;
    goto out;
  }
  if(reply.status < 200 || reply.status > 299 ||
     check_reply(reply.body, reply.len, k) != 0) {
    pr_seterr(err, "call statistics: not an aggregator reply (HTTP %ld)",
              reply.status);
    rc = PR_EPROTO;
    goto out;
  }
  /* Acknowledged.  Next time: from the newest week on (it may still
   * grow), and only when it changed. */
  pr_free(body);
  body = NULL;
  rc = callsync_body(w + n - 1, 1, &body, &len);
  if(rc != PR_OK)
    goto out;
  hash_hex(body, len, h);
  rc = store_meta_set(st, META_FROM, w[n - 1].week, err);
  if(rc == PR_OK)
    rc = store_meta_set(st, META_HASH, h, err);
  if(rc == PR_OK)
    *sent = k;
out:
  uplink_reply_free(&reply);
  pr_free(body);
  pr_free(w);
  return rc;
}
