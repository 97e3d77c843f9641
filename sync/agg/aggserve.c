/* This file contains the aggregator's own HTTP handlers: health, metrics,
 * the response upload and the question-set downloads.  Each maps the
 * modules' result codes to the statuses documented in sync/PROTOCOL.md. */
#include <stdio.h>
#include <string.h>

#include "aggdev.h"
#include "agghandlers.h"
#include "aggsets.h"
#include "ingestq.h"

void agg_h_healthz(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs)
{
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN];
  long long one = 0;
  enum pr_rc rc;

  rc = aggdb_acquire(agg_server_db(s), &c, err);
  if(rc == PR_OK)
    rc = aggdb_query_long(c, "SELECT 1", NULL, 0, &one, NULL, err);
  aggdb_release(c);
  if(rc != PR_OK || one != 1) {
    agg_resp_text(rs, 503, "text/plain; charset=utf-8",
                  "database unavailable\n");
    agg_resp_header(rs, "Retry-After", "5");
    return;
  }
  agg_resp_text(rs, 200, "text/plain; charset=utf-8", "ok\n");
}

void agg_h_metrics(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs)
{
  char *text = NULL, err[PR_ERR_LEN];
  size_t len = 0;
  enum pr_rc rc = agg_server_metrics(s, &text, &len, err);

  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  agg_resp_take(rs, 200, "text/plain; version=0.0.4; charset=utf-8", text,
                len);
}

void agg_h_responses(struct agg_server *s, struct agg_req *rq,
                     struct agg_resp *rs)
{
  const struct aggconf *conf = agg_server_conf(s);
  struct ingest_batch *b = NULL;
  struct ingest_tally t;
  struct aggdev dev;
  const char *ct = agg_req_header(rq, "Content-Type");
  const char *body;
  char err[PR_ERR_LEN] = "", ra[16], *reply = NULL;
  size_t len, rlen = 0;
  enum pr_rc rc;

  if(!ct || strncmp(ct, "application/json", 16)) {
    agg_resp_error(rs, 415, "media_type", "Content-Type must be "
                   "application/json");
    return;
  }
  body = agg_req_body(rq, &len);
  rc = ingest_decode(body, len, conf->max_batch, &b, err);
  if(rc == PR_ELIMIT) {
    snprintf(ra, sizeof(ra), "%d", conf->retry_after);
    agg_resp_error(rs, 429, "too_many", err);
    agg_resp_header(rs, "Retry-After", ra);
    return;
  }
  if(rc == PR_EINVAL) {
    pr_log(PR_LOG_INFO, "request_refused", "device=%s why=\"%s\"",
           agg_req_device_id(rq), err);
    agg_resp_error(rs, 400, "bad_request", err);
    return;
  }
  if(rc != PR_OK) {
    agg_resp_error(rs, 500, "internal", "internal error");
    return;
  }
  memset(&dev, 0, sizeof(dev));
  if(agg_req_device(rq))
    dev = *agg_req_device(rq);
  rc = ingest_prepare(agg_server_db(s), agg_server_sets(s), b, err);
  if(rc == PR_OK)
    rc = ingestq_submit(agg_server_ingestq(s), &dev, b, &t, err);
  if(rc != PR_OK) {
    pr_log(PR_LOG_ERROR, "ingest_failed", "device=%s rc=%s n=%d",
           dev.id, pr_strerror(rc), b->n);
    ingest_batch_free(b);
    agg_resp_db_error(s, rs, rc);
    return;
  }
  agg_server_add_tally(s, t.stored, t.duplicates, t.rejected);
  pr_log(PR_LOG_INFO, "ingest", "device=%s unit=%s n=%d stored=%ld "
         "duplicate=%ld rejected=%ld", dev.id, dev.unit, b->n, t.stored,
         t.duplicates, t.rejected);
  rc = ingest_reply(b, &reply, &rlen);
  ingest_batch_free(b);
  if(rc != PR_OK) {
    agg_resp_error(rs, 500, "internal", "internal error");
    return;
  }
  agg_resp_take(rs, 200, "application/json", reply, rlen);
}

void agg_device_seen(struct agg_server *s, struct agg_req *rq)
{
  const struct aggdev *dev = agg_req_device(rq);
  struct aggdb_conn *c = NULL;
  char err[PR_ERR_LEN] = "";

  if(!dev || dev->last_sync >= aggdev_seen_grain(pr_now()))
    return;
  if(aggdb_acquire(agg_server_db(s), &c, err) != PR_OK ||
     aggdev_seen(c, dev, pr_now(), err) != PR_OK)
    pr_log(PR_LOG_WARN, "device_seen_failed", "device=%s", dev->id);
  aggdb_release(c);
}

/* 1 when set id+version asks its questions only at a meeting.  A set that
 * cannot be read is left in the list (the device decides, as before). */
static int aggserve_meeting_only(struct agg_server *s, const char *id,
                                 int version)
{
  const struct qset *q = aggsets_cache_peek(agg_server_sets(s), id, version);
  struct aggdb_conn *c = NULL;
  if(!q && aggdb_acquire(agg_server_db(s), &c, NULL) == PR_OK) {
    if(aggsets_cache_get(agg_server_sets(s), c, id, version, &q, NULL) !=
       PR_OK)
      q = NULL;
    aggdb_release(c);
  }
  if(!q)
    return 0;
  for(int i = 0; i < q->n_questions; i++)
    if(q->questions[i].modes & ~(unsigned)QSET_MODE_MEETING)
      return 0;
  return 1;
}

void agg_h_sets(struct agg_server *s, struct agg_req *rq, struct agg_resp *rs)
{
  struct aggsets_item *items = NULL;
  char err[PR_ERR_LEN];
  json_t *root, *arr;
  int n = 0, i;
  enum pr_rc rc;

  rc = aggsets_current(agg_server_db(s), &items, &n, err);
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  arr = json_array();
  for(i = 0; arr && i < n; i++) {
    /* A meeting form (samverkan) is filled in on the web pages; a device
     * never gets it (an older kiosk would refuse the unknown mode and with
     * it every fetched set). */
    if(aggserve_meeting_only(s, items[i].id, items[i].version))
      continue;
    json_array_append_new(arr, json_pack("{s:s, s:i, s:s}", "id", items[i].id,
                                         "version", items[i].version,
                                         "sha256", items[i].sha256));
  }
  pr_free(items);
  root = arr ? json_pack("{s:o}", "sets", arr) : NULL;
  agg_resp_json(rs, 200, root);
  /* Every round asks for the list: the device's heartbeat (aggdev.h). */
  agg_device_seen(s, rq);
}

void agg_h_set(struct agg_server *s, struct agg_req *rq, struct agg_resp *rs)
{
  const char *rest = agg_req_path(rq) + strlen("/api/v1/sets/");
  const char *slash = strchr(rest, '/');
  char id[QSET_ID_LEN], err[PR_ERR_LEN], *body = NULL;
  size_t idlen, len = 0;
  long version = 0;
  enum pr_rc rc;

  idlen = slash ? (size_t)(slash - rest) : 0;
  if(!slash || idlen == 0 || idlen >= sizeof(id) ||
     pr_parse_long(slash + 1, 1, 1000000, &version) != 0) {
    agg_resp_error(rs, 404, "not_found", "use /api/v1/sets/<id>/<version>");
    return;
  }
  memcpy(id, rest, idlen);
  id[idlen] = '\0';
  rc = aggsets_get(agg_server_db(s), id, (int)version, &body, &len, err);
  if(rc == PR_ENOTFOUND) {
    agg_resp_error(rs, 404, "not_found", "no such set version");
    return;
  }
  if(rc != PR_OK) {
    agg_resp_db_error(s, rs, rc);
    return;
  }
  agg_resp_take(rs, 200, "application/json", body, len);
}
