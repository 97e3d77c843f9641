/* This file contains the aggregator's metrics: per-route request counters,
 * ingest tallies, and the Prometheus text exposition with each device's
 * last sync read from the database. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "aggsrv_int.h"
#include "fleet.h"
#include "aggwatch.h"

void agg_server_add_tally(struct agg_server *s, long stored, long duplicates,
                          long rejected)
{
  pthread_mutex_lock(&s->mu);
  s->stored += stored;
  s->duplicates += duplicates;
  s->rejected += rejected;
  pthread_mutex_unlock(&s->mu);
}

void aggsrv_count_request(struct agg_server *s, const char *label,
                          int status)
{
  int i;

  pthread_mutex_lock(&s->mu);
  for(i = 0; i < s->n_m; i++)
    if(s->m[i].status == status && !strcmp(s->m[i].label, label))
      break;
  if(i == s->n_m && s->n_m < METRIC_SLOTS) {
    pr_strlcpy(s->m[i].label, label, sizeof(s->m[i].label));
    s->m[i].status = status;
    s->m[i].n = 0;
    s->n_m++;
  }
  if(i < s->n_m)
    s->m[i].n++;
  pthread_mutex_unlock(&s->mu);
}

/* ---- metrics text ---- */

struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) PR_PRINTF(2, 3);
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
  va_list ap;
  int w;

  if(b->oom)
    return;
  for(;;) {
    size_t room = b->cap - b->len;
    va_start(ap, fmt);
    w = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0, fmt, ap);
    va_end(ap);
    if(w < 0) {
      b->oom = 1;
      return;
    }
    if(b->p && (size_t)w < room) {
      b->len += (size_t)w;
      return;
    }
    {
      size_t nc = (b->cap ? b->cap * 2 : 4096) + (size_t)w;
      char *np = pr_realloc(b->p, nc);
      if(!np) {
        b->oom = 1;
        return;
      }
      b->p = np;
      b->cap = nc;
    }
  }
}

/* Label values come from our own validated ids; still never let a quote
 * or newline through into the exposition format. */
static int label_safe(const char *s)
{
  for(; *s; s++)
    if(*s == '"' || *s == '\\' || *s == '\n')
      return 0;
  return 1;
}

enum pr_rc agg_server_metrics(struct agg_server *s, char **out, size_t *len,
                              char *err)
{
  struct sbuf b = { NULL, 0, 0, 0 };
  struct aggdev *devs = NULL;
  int n_dev = 0, i, active = 0;
  enum pr_rc rc;

  *out = NULL;
  *len = 0;
  rc = aggdev_list(s->db, &devs, &n_dev, err);
  if(rc != PR_OK)
    return rc;
  pthread_mutex_lock(&s->mu);
  sb_add(&b, "# HELP rost_agg_requests_total HTTP requests by route and "
         "status.\n# TYPE rost_agg_requests_total counter\n");
  for(i = 0; i < s->n_m; i++)
    sb_add(&b, "rost_agg_requests_total{route=\"%s\",status=\"%d\"} %lld\n",
           s->m[i].label, s->m[i].status, s->m[i].n);
  sb_add(&b, "# HELP rost_agg_responses_stored_total Responses stored.\n"
         "# TYPE rost_agg_responses_stored_total counter\n"
         "rost_agg_responses_stored_total %lld\n"
         "# HELP rost_agg_responses_duplicate_total Responses received again "
         "(already stored, same content).\n"
         "# TYPE rost_agg_responses_duplicate_total counter\n"
         "rost_agg_responses_duplicate_total %lld\n"
         "# HELP rost_agg_responses_rejected_total Responses refused "
         "(invalid, unknown set, conflict).\n"
         "# TYPE rost_agg_responses_rejected_total counter\n"
         "rost_agg_responses_rejected_total %lld\n"
         "# HELP rost_agg_requests_in_flight Requests being handled.\n"
         "# TYPE rost_agg_requests_in_flight gauge\n"
         "rost_agg_requests_in_flight %d\n"
         "# HELP rost_agg_slow_connections_cut_total Connections cut for not "
         "delivering a request within request_deadline.\n"
         "# TYPE rost_agg_slow_connections_cut_total counter\n"
         "rost_agg_slow_connections_cut_total %ld\n",
         s->stored, s->duplicates, s->rejected, s->inflight,
         s->watch ? aggwatch_cut_count(s->watch) : 0L);
  pthread_mutex_unlock(&s->mu);
  /* Per device and unit, but only to the hour and moved by every
   * round's set-list request as much as by uploads (aggdev.h): a kiosk
   * that stopped syncing shows, a patient finishing does not. */
  sb_add(&b, "# HELP rost_agg_device_last_sync_seconds Unix time, rounded "
         "down to the hour, of each device's last successful request "
         "(upload, set list or call statistics; 0 = never).\n"
         "# TYPE rost_agg_device_last_sync_seconds gauge\n");
  for(i = 0; i < n_dev; i++) {
    if(devs[i].revoked_at || !label_safe(devs[i].id) ||
       !label_safe(devs[i].unit))
      continue;
    active++;
    sb_add(&b, "rost_agg_device_last_sync_seconds{device=\"%s\",unit=\"%s\"}"
           " %lld\n", devs[i].id, devs[i].unit, devs[i].last_sync);
  }
  sb_add(&b, "# HELP rost_agg_devices Enrolled devices by state.\n"
         "# TYPE rost_agg_devices gauge\n"
         "rost_agg_devices{state=\"active\"} %d\n"
         "rost_agg_devices{state=\"revoked\"} %d\n", active, n_dev - active);
  pr_free(devs);
  {
    /* What the kiosks reported (fleet.c): queue, software, set versions. */
    char *ft = NULL, fe[PR_ERR_LEN];
    if(fleet_metrics(s->db, &ft, fe) == PR_OK)
      sb_add(&b, "%s", ft);
    else
      pr_log(PR_LOG_WARN, "metrics_fleet_failed", "why=\"%s\"", fe);
    pr_free(ft);
  }
  if(b.oom) {
    pr_free(b.p);
    return PR_ENOMEM;
  }
  *out = b.p;
  *len = b.len;
  return PR_OK;
}
