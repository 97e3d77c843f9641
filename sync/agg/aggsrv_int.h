/* aggsrv_int.h — the server's private state, shared by aggsrv.c (the
 * HTTP loop), aggreq.c (request view and response helpers) and
 * aggmetrics.c (counters and the Prometheus text).  Not for handlers:
 * they use aggsrv.h. */
#ifndef AGGSRV_INT_H
#define AGGSRV_INT_H

#include <pthread.h>

#include <microhttpd.h>

#include "aggdev.h"
#include "aggsrv.h"
#include "enrolcode.h"

#define METRIC_SLOTS 128

struct metric {
  char label[32];
  int status;
  long long n;
};

struct agg_server {
  struct aggconf conf;
  struct aggdb *db;
  struct aggsets_cache *sets;
  struct ingestq *q;
  struct aggwatch *watch;           /* cuts connections that drip */
  struct MHD_Daemon *d;
  char *cert_pem, *key_pem;
  char pin[ENROLCODE_PIN_LEN];      /* key pin of cert_pem (enrolcode.h) */
  int port;
  pthread_mutex_t mu;               /* guards everything below */
  struct metric m[METRIC_SLOTS];
  int n_m;
  long long stored, duplicates, rejected;
  int inflight;
  /* Devices with requests in flight (AGG_AUTH_DEVICE routes): id + count.
   * Bounded by conn_limit, so a linear scan stays cheap. */
  struct dev_slot { char id[AGGDEV_ID_LEN]; int n; } *devs;
  int n_devs;
};

struct agg_req {
  struct MHD_Connection *conn;
  const char *method, *path;
  char *body;
  size_t len, cap;
  double started;
  const struct agg_route *route;
  int responded;                    /* a response was queued already */
  int counted;                      /* inflight was incremented */
  char peer[64];
  struct aggdev dev;
  int has_dev;
  int dev_counted;                  /* holds a slot in s->devs */
};

/* Count one answered request in /metrics (aggmetrics.c). */
void aggsrv_count_request(struct agg_server *s, const char *label,
                          int status);
/* Free a response's body (aggreq.c). */
void aggsrv_resp_reset(struct agg_resp *rs);

#endif
