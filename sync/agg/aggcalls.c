/* aggcalls.c — This file contains the call statistics endpoint
 * (aggcalls.h): decoding and checking the kiosk's weekly counts, storing
 * them per unit, device and week (a resend replaces), and the SQL of the
 * response and cooperation rates. */
#include "aggcache.h"
#include "aggcalls.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "agghandlers.h"
#include "aggdev.h"
#include "dispo.h"
#include "indic.h"
#include "pdate.h"

static const char *const items[AGGCALLS_N_ITEMS] = {
  "entries", "attempts", "sip_offered", "sip_accepted",
  "complete", "partial", "refused", "noanswer", "busy", "voicemail",
  "wrongnumber", "callback", "deceased", "readmitted", "language", "unable",
  "notreached",
};
#define FIRST_OUTCOME 4

const char *aggcalls_item(int i)
{
  return i >= 0 && i < AGGCALLS_N_ITEMS ? items[i] : NULL;
}

void aggcalls_batch_free(struct aggcalls_batch *b)
{
  if(!b)
    return;
  pr_free(b->w);
  pr_free(b);
}

static int get_count(json_t *v, long *out)
{
  json_int_t x;
  if(!json_is_integer(v))
    return -1;
  x = json_integer_value(v);
  if(x < 0 || x > AGGCALLS_MAX_COUNT)
    return -1;
  *out = (long)x;
  return 0;
}

static int item_index(const char *k, int outcomes)
{
  int i;
  for(i = outcomes ? FIRST_OUTCOME : 0;
      i < (outcomes ? AGGCALLS_N_ITEMS : FIRST_OUTCOME); i++)
    if(!strcmp(items[i], k))
      return i;
  return -1;
}

static enum pr_rc decode_week(json_t *o, int idx, long today,
                              struct aggcalls_week *w, char *err)
{
  const char *k;
  json_t *v;
  int have_week = 0;

  memset(w, 0, sizeof(*w));
  if(!json_is_object(o)) {
    pr_seterr(err, "weeks[%d]: not an object", idx);
    return PR_EINVAL;
  }
  json_object_foreach(o, k, v) {
    int i;
    if(!strcmp(k, "week")) {
      char label[9];
      if(!json_is_string(v) || pdate_parse_week(json_string_value(v),
                                                &w->week_start) != 0) {
        pr_seterr(err, "weeks[%d].week: an ISO week like 2026-W48", idx);
        return PR_EINVAL;
      }
      pdate_format_week(w->week_start, label);
      if(w->week_start < pdate_from_ymd(2020, 1, 1) ||
         w->week_start > today + 7) {
        pr_seterr(err, "weeks[%d].week: %s is before 2020 or in the future",
                  idx, label);
        return PR_EINVAL;
      }
      have_week = 1;
    }
    else if(!strcmp(k, "outcomes")) {
      const char *ok;
      json_t *ov;
      if(!json_is_object(v)) {
        pr_seterr(err, "weeks[%d].outcomes: not an object", idx);
        return PR_EINVAL;
      }
      json_object_foreach(v, ok, ov) {
        i = item_index(ok, 1);
        if(i < 0 || dispo_from_code(ok) == DISPO_NONE) {
          pr_seterr(err, "weeks[%d].outcomes: unknown disposition '%.40s'",
                    idx, ok);
          return PR_EINVAL;
        }
        if(get_count(ov, &w->n[i]) != 0) {
          pr_seterr(err, "weeks[%d].outcomes.%s: a whole number 0-%ld", idx,
                    ok, AGGCALLS_MAX_COUNT);
          return PR_EINVAL;
        }
      }
    }
    else if((i = item_index(k, 0)) >= 0) {
      if(get_count(v, &w->n[i]) != 0) {
        pr_seterr(err, "weeks[%d].%s: a whole number 0-%ld", idx, k,
                  AGGCALLS_MAX_COUNT);
        return PR_EINVAL;
      }
    }
    else {
      pr_seterr(err, "weeks[%d]: unknown member '%.40s'", idx, k);
      return PR_EINVAL;
    }
  }
  if(!have_week) {
    pr_seterr(err, "weeks[%d]: no \"week\"", idx);
    return PR_EINVAL;
  }
  return PR_OK;
}

enum pr_rc aggcalls_decode(const char *body, size_t len, long today,
                           struct aggcalls_batch **out, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  struct aggcalls_batch *b = NULL;
  json_t *root = NULL, *weeks, *v;
  json_error_t je;
  const char *k;
  size_t i, j;

  *out = NULL;
  root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  if(!root || !json_is_object(root)) {
    pr_seterr(err, "not a JSON object: %s", root ? "wrong type" : je.text);
    goto out;
  }
  json_object_foreach(root, k, v) {
    if(strcmp(k, "protocol") && strcmp(k, "weeks")) {
      pr_seterr(err, "unknown member '%.40s'", k);
      goto out;
    }
  }
  v = json_object_get(root, "protocol");
  if(!json_is_integer(v) || json_integer_value(v) != AGGCALLS_PROTOCOL) {
    pr_seterr(err, "protocol must be %d", AGGCALLS_PROTOCOL);
    goto out;
  }
  weeks = json_object_get(root, "weeks");
  if(!json_is_array(weeks)) {
    pr_seterr(err, "\"weeks\" must be an array");
    goto out;
  }
  if(json_array_size(weeks) > AGGCALLS_MAX_WEEKS) {
    pr_seterr(err, "at most %d weeks per request", AGGCALLS_MAX_WEEKS);
    rc = PR_ELIMIT;
    goto out;
  }
  rc = PR_ENOMEM;
  b = pr_calloc(1, sizeof(*b));
  if(!b)
    goto out;
  b->w = pr_calloc(json_array_size(weeks) ? json_array_size(weeks) : 1,
                   sizeof(*b->w));
  if(!b->w)
    goto out;
  for(i = 0; i < json_array_size(weeks); i++) {
    rc = decode_week(json_array_get(weeks, i), (int)i, today, &b->w[i], err);
    if(rc != PR_OK)
      goto out;
    for(j = 0; j < i; j++)
      if(b->w[j].week_start == b->w[i].week_start) {
        pr_seterr(err, "weeks[%zu]: the same week twice", i);
        rc = PR_EINVAL;
        goto out;
      }
    b->n++;
  }
  *out = b;
  b = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory");
  json_decref(root);
  aggcalls_batch_free(b);
  return rc;
}

enum pr_rc aggcalls_store(struct aggdb *db, const char *unit,
                          const char *device, const struct aggcalls_batch *b,
                          char *err)
{
  struct aggdb_param p[4 + AGGCALLS_N_ITEMS];
  struct aggdb_conn *c = NULL;
  char sql[1600];
  int len, i, k;
  enum pr_rc rc;

  /* A resend replaces the week (every column), so it never doubles. */
  len = snprintf(sql, sizeof(sql), "INSERT INTO callstats (unit, device,"
                 " week_start, month_start");
  for(i = 0; i < AGGCALLS_N_ITEMS; i++)
    len += snprintf(sql + len, sizeof(sql) - (size_t)len, ", %s", items[i]);
  len += snprintf(sql + len, sizeof(sql) - (size_t)len, ") VALUES ($1, $2,"
                  " $3, $4");
  for(i = 0; i < AGGCALLS_N_ITEMS; i++)
    len += snprintf(sql + len, sizeof(sql) - (size_t)len, ", $%d", i + 5);
  len += snprintf(sql + len, sizeof(sql) - (size_t)len, ") ON CONFLICT (unit,"
                  " device, week_start) DO UPDATE SET month_start ="
                  " excluded.month_start");
  for(i = 0; i < AGGCALLS_N_ITEMS; i++)
    len += snprintf(sql + len, sizeof(sql) - (size_t)len, ", %s = excluded.%s",
                    items[i], items[i]);
  if(len < 0 || (size_t)len >= sizeof(sql)) {
    pr_seterr(err, "call statistics: query text too long");
    return PR_EINTERNAL;
  }
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_begin(c, err);
  for(k = 0; rc == PR_OK && k < b->n; k++) {
    const struct aggcalls_week *w = &b->w[k];
    p[0] = AGGDB_TEXT(unit);
    p[1] = AGGDB_TEXT(device);
    p[2] = AGGDB_INT(w->week_start);
    /* In the month of its Monday, as every weekly figure (indic.h). */
    p[3] = AGGDB_INT(indic_bucket_start(INDIC_MONTH, w->week_start, 0));
    for(i = 0; i < AGGCALLS_N_ITEMS; i++)
      p[4 + i] = AGGDB_INT(w->n[i]);
    rc = aggdb_exec(c, sql, p, 4 + AGGCALLS_N_ITEMS, NULL, err);
  }
  if(rc == PR_OK && b->n > 0)
    rc = aggcache_bump(c, err);           /* cached rates are old now */
  if(rc == PR_OK)
    rc = aggdb_commit(c, err);
  aggdb_release(c);                       /* rolls back when not committed */
  return rc;
}

int aggcalls_is_rate(const char *indicator)
{
  return indicator && (!strcmp(indicator, AGGCALLS_RR1) ||
                       !strcmp(indicator, AGGCALLS_COOP1));
}

void aggcalls_rate_sql(int coop, char *pos, size_t pos_cap, char *neg,
                       size_t neg_cap)
{
  size_t lp = 0, ln = 0;
  int d;

  pos[0] = neg[0] = '\0';
  for(d = 1; d < DISPO_COUNT; d++) {
    const struct dispo_info *in = dispo_info((enum dispo)d);
    char *dst;
    size_t *l, cap;
    int w;
    if(!in || item_index(in->code, 1) < 0)
      continue;
    if(in->cat == DISPO_CAT_I) {
      dst = pos;
      l = &lp;
      cap = pos_cap;
    }
    else if(in->cat == DISPO_CAT_P || in->cat == DISPO_CAT_R ||
            (in->cat == DISPO_CAT_NC && !coop)) {
      dst = neg;
      l = &ln;
      cap = neg_cap;
    }
    else
      continue;
    w = snprintf(dst + *l, cap - *l, "%s%s", *l ? " + " : "", in->code);
    if(w > 0 && (size_t)w < cap - *l)
      *l += (size_t)w;
  }
  if(!lp)
    snprintf(pos, pos_cap, "0");
  if(!ln)
    snprintf(neg, neg_cap, "0");
}

void agg_h_callstats(struct agg_server *s, struct agg_req *rq,
                     struct agg_resp *rs)
{
  const char *ct = agg_req_header(rq, "Content-Type");
  struct aggcalls_batch *b = NULL;
  const char *body;
  char err[PR_ERR_LEN] = "";
  size_t len;
  enum pr_rc rc;

  if(!ct || strncmp(ct, "application/json", 16)) {
    agg_resp_error(rs, 415, "media_type", "Content-Type must be "
                   "application/json");
    return;
  }
  body = agg_req_body(rq, &len);
  rc = aggcalls_decode(body, len, (long)(pr_now() / 86400), &b, err);
  if(rc == PR_EINVAL || rc == PR_ELIMIT) {
    pr_log(PR_LOG_INFO, "request_refused", "device=%s route=callstats "
           "why=\"%s\"", agg_req_device_id(rq), err);
    agg_resp_error(rs, rc == PR_ELIMIT ? 413 : 400,
                   rc == PR_ELIMIT ? "too_large" : "bad_request", err);
    return;
  }
  if(rc != PR_OK) {
    agg_resp_error(rs, 500, "internal", "internal error");
    return;
  }
  rc = aggcalls_store(agg_server_db(s), agg_req_device_unit(rq),
                      agg_req_device_id(rq), b, err);
  if(rc != PR_OK) {
    pr_log(PR_LOG_ERROR, "callstats_failed", "device=%s rc=%s",
           agg_req_device_id(rq), pr_strerror(rc));
    aggcalls_batch_free(b);
    agg_resp_db_error(s, rs, rc);
    return;
  }
  agg_resp_json(rs, 200, json_pack("{s:i, s:i}", "protocol",
                                   AGGCALLS_PROTOCOL, "stored", b->n));
  aggcalls_batch_free(b);
  agg_device_seen(s, rq);
}
