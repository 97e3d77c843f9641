/* This file contains the aggregator's ingest benchmark through the real
 * HTTPS path: a rost-agg server (in process, the same libagg) on SQLite
 * (or PR_AGG_TEST_DB), a test CA made here, then
 *  1. ingest rate: several client threads with keep-alive connections
 *     POSTing batches of 500 new responses; three rounds, median and
 *     min/max of responses/s, per-batch latency median and p99;
 *  2. 500 kiosks syncing at once: 500 devices, each its own TLS connection
 *     and token, one batch of 20 each, all started together; errors and
 *     p50/p99/max latency.
 * Prints "BENCH ..." lines; never fails for being slow, only for errors. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "aggconf.h"
#include "aggdev.h"
#include "aggsets.h"
#include "aggsrv.h"

#include "bench_env.h"

#define BATCH 500
#define CLIENTS 8
#define ROUNDS 3
#define BATCHES_PER_ROUND 80            /* 40,000 responses per round */
#define KIOSKS 500
#define KIOSK_BATCH 20

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1-minute load average, to read the figures against (the machine is
 * shared). */
static double load1(void)
{
  FILE *f = fopen("/proc/loadavg", "r");
  double l = -1;

  if(f) {
    if(fscanf(f, "%lf", &l) != 1)
      l = -1;
    fclose(f);
  }
  return l;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
  int i;
  qsort(v, (size_t)n, sizeof(*v), cmp_d);
  i = (int)(p * (n - 1) + 0.5);
  return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* A batch body of n responses with uuids from `serial`. */
static char *make_batch(long serial, int n)
{
  size_t cap = (size_t)n * 400 + 64, off = 0;
  char *b = malloc(cap);
  int i;

  off += (size_t)snprintf(b, cap, "{\"protocol\":1,\"responses\":[");
  for(i = 0; i < n; i++) {
    long u = serial + i;
    off += (size_t)snprintf(b + off, cap - off,
        "%s{\"uuid\":\"%08lx-%04lx-4000-8000-%012lx\",\"set\":\"agg-test\","
        "\"version\":1,\"mode\":\"kiosk\",\"lang\":\"sv\",\"proxy\":false,"
        "\"status\":\"complete\",\"period\":\"2026-W%02d\",\"track\":null,"
        "\"care\":null,\"answers\":[{\"q\":\"nojdhet\",\"a\":\"%s\"},"
        "{\"q\":\"delaktighet\",\"a\":\"%s\"}]}",
        i ? "," : "", (u >> 20) & 0xffffffffL, (u >> 4) & 0xffff, u,
        1 + (int)(u % 47), u % 3 ? "mycket" : "inte_alls",
        u % 5 ? "lite" : "vet_ej");
  }
  snprintf(b + off, cap - off, "]}");
  return b;
}

struct buf {
  char *p;
  size_t n;
};

static size_t on_data(char *d, size_t sz, size_t nm, void *ud)
{
  struct buf *b = ud;
  size_t n = sz * nm;
  char *np = realloc(b->p, b->n + n + 1);
  if(!np)
    return 0;
  b->p = np;
  memcpy(b->p + b->n, d, n);
  b->n += n;
  b->p[b->n] = '\0';
  return n;
}

static int count_stored(const char *s)
{
  int n = 0;
  while((s = strstr(s, "\"stored\"")) != NULL) {
    n++;
    s += 8;
  }
  return n;
}

struct ctx {
  char url[128], ca[512];
  char token[AGGDEV_TOKEN_LEN];
};

static CURL *mk_easy(const struct ctx *c, struct curl_slist **hdr,
                     const char *token, struct buf *out)
{
  CURL *e = curl_easy_init();
  char auth[160];

  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
  *hdr = curl_slist_append(NULL, auth);
  *hdr = curl_slist_append(*hdr, "Content-Type: application/json");
  curl_easy_setopt(e, CURLOPT_URL, c->url);
  curl_easy_setopt(e, CURLOPT_CAINFO, c->ca);
  curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, *hdr);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(e, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  return e;
}

struct worker {
  const struct ctx *c;
  const char *token;                 /* one device per client thread */
  char **bodies;
  int n_bodies;
  double *lat;
  long stored;
  int errors;
};

static void *worker_main(void *arg)
{
  struct worker *w = arg;
  struct curl_slist *hdr = NULL;
  struct buf out = { NULL, 0 };
  CURL *e = mk_easy(w->c, &hdr, w->token, &out);
  int i;

  for(i = 0; i < w->n_bodies; i++) {
    long code = 0;
    double t0 = now_s();
    out.n = 0;
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, w->bodies[i]);
    if(curl_easy_perform(e) != CURLE_OK ||
       curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK ||
       code != 200 || !out.p) {
      w->errors++;
      continue;
    }
    w->lat[i] = (now_s() - t0) * 1000.0;
    w->stored += count_stored(out.p);
  }
  free(out.p);
  curl_slist_free_all(hdr);
  curl_easy_cleanup(e);
  return NULL;
}

static int run(const char *dir, const char *db_url)
{
  struct aggconf conf;
  struct agg_server *s = NULL;
  struct ctx c;
  char err[PR_ERR_LEN], cmd[2048];
  double rates[ROUNDS], lat_all[ROUNDS * BATCHES_PER_ROUND];
  int n_lat = 0, r, i, errors = 0;
  /* PR_BENCH_TINY: one round of 16 batches, 16 kiosks (check.sh). */
  int rounds = (int)bench_size(ROUNDS, 1);
  int per_round = (int)bench_size(BATCHES_PER_ROUND, 2 * CLIENTS);
  int kiosks = (int)bench_size(KIOSKS, 16);
  long serial = 1;
  char (*client_tokens)[AGGDEV_TOKEN_LEN] = NULL;

  snprintf(cmd, sizeof(cmd),
    "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
    "-nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=bench-ca 2>/dev/null "
    "&& openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
    "-keyout srv.key -out srv.csr -subj /CN=127.0.0.1 2>/dev/null && "
    "printf 'subjectAltName=IP:127.0.0.1\\n' > ext && openssl x509 -req "
    "-in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
    "-days 2 -extfile ext 2>/dev/null && mkdir -p sets && cp %s/agg/test-set-v1.json "
    "sets/", dir, PR_TEST_DATA);
  if(system(cmd) != 0) {
    fprintf(stderr, "bench: cannot make certificates\n");
    return 1;
  }
  aggconf_defaults(&conf);
  pr_strlcpy(conf.db, db_url, sizeof(conf.db));
  pr_strlcpy(conf.listen_addr, "127.0.0.1", sizeof(conf.listen_addr));
  conf.port = 0;
  snprintf(conf.cert, sizeof(conf.cert), "%s/srv.pem", dir);
  snprintf(conf.key, sizeof(conf.key), "%s/srv.key", dir);
  snprintf(conf.sets_dir, sizeof(conf.sets_dir), "%s/sets", dir);
  conf.threads = 0;                   /* thread per connection */
  conf.per_ip_limit = 2000;
  conf.conn_limit = 2000;
  conf.conn_timeout = 60;
  conf.request_deadline = 60;
  if(agg_server_start(&conf, &s, err) != PR_OK) {
    fprintf(stderr, "bench: server: %s\n", err);
    return 1;
  }
  memset(&c, 0, sizeof(c));
  snprintf(c.url, sizeof(c.url), "https://127.0.0.1:%d/api/v1/responses",
           agg_server_port(s));
  snprintf(c.ca, sizeof(c.ca), "%s/ca.pem", dir);
  {
    static char ctoks[CLIENTS][AGGDEV_TOKEN_LEN];
    for(i = 0; i < CLIENTS; i++)
      if(aggdev_enrol(agg_server_db(s), "SE2321000032-BENCH1", "bench",
                      ctoks[i], NULL, err) != PR_OK) {
        fprintf(stderr, "bench: enrol: %s\n", err);
        agg_server_stop(s, 0);
        return 1;
      }
    client_tokens = ctoks;
  }

  /* 1. ingest rate */
  for(r = 0; r < rounds; r++) {
    struct worker w[CLIENTS];
    pthread_t th[CLIENTS];
    char *bodies[BATCHES_PER_ROUND];
    double lat[BATCHES_PER_ROUND], t0, el;
    long stored = 0;

    for(i = 0; i < per_round; i++) {
      bodies[i] = make_batch(serial, BATCH);
      serial += BATCH;
    }
    memset(lat, 0, sizeof(lat));
    t0 = now_s();
    for(i = 0; i < CLIENTS; i++) {
      int per = per_round / CLIENTS;
      w[i] = (struct worker){ &c, client_tokens[i], bodies + i * per, per,
                              lat + i * per, 0, 0 };
      pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    for(i = 0; i < CLIENTS; i++) {
      pthread_join(th[i], NULL);
      stored += w[i].stored;
      errors += w[i].errors;
    }
    el = now_s() - t0;
    rates[r] = (double)stored / el;
    for(i = 0; i < per_round; i++) {
      lat_all[n_lat++] = lat[i];
      free(bodies[i]);
    }
    if(stored != (long)per_round * BATCH) {
      fprintf(stderr, "bench: round %d stored %ld of %d\n", r, stored,
              per_round * BATCH);
      errors++;
    }
  }
  {
    double med = pct(rates, rounds, 0.5), lo = rates[0], hi = rates[rounds - 1];
    printf("BENCH ingest_https.%s batch=%d clients=%d server_threads=%s "
           "rounds=%d responses_per_round=%d rate_median_per_s=%.0f "
           "rate_min_per_s=%.0f rate_max_per_s=%.0f batch_ms_median=%.1f "
           "batch_ms_p99=%.1f errors=%d goal=rate_median_per_s>=20000 "
           "load1=%.1f\n", aggdb_driver_name(agg_server_db(s)), BATCH,
           CLIENTS, conf.threads ? "pool" : "per-connection", rounds,
           per_round * BATCH, med, lo, hi, pct(lat_all, n_lat, 0.5),
           pct(lat_all, n_lat, 0.99), errors, load1());
  }

  /* 2. 500 kiosks at once */
  {
    static char tokens[KIOSKS][AGGDEV_TOKEN_LEN];
    char *bodies[KIOSKS];
    CURL *easy[KIOSKS];
    struct curl_slist *hdrs[KIOSKS];
    struct buf outs[KIOSKS];
    double lat[KIOSKS];
    CURLM *m = curl_multi_init();
    int running = 0, ok = 0, kerr = 0;
    long stored = 0;
    double t0;
    CURLMsg *msg;
    int left;

    for(i = 0; i < kiosks; i++) {
      char unit[40], name[32];
      snprintf(unit, sizeof(unit), "SE2321000032-K%04d", i);
      snprintf(name, sizeof(name), "kiosk %d", i);
      if(aggdev_enrol(agg_server_db(s), unit, name, tokens[i], NULL, err)) {
        fprintf(stderr, "bench: enrol: %s\n", err);
        return 1;
      }
      bodies[i] = make_batch(serial, KIOSK_BATCH);
      serial += KIOSK_BATCH;
      outs[i] = (struct buf){ NULL, 0 };
      easy[i] = mk_easy(&c, &hdrs[i], tokens[i], &outs[i]);
      curl_easy_setopt(easy[i], CURLOPT_POSTFIELDS, bodies[i]);
      curl_easy_setopt(easy[i], CURLOPT_PRIVATE, (void *)(long)i);
      curl_multi_add_handle(m, easy[i]);
    }
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)kiosks);
    t0 = now_s();
    do {
      curl_multi_perform(m, &running);
      if(running)
        curl_multi_poll(m, NULL, 0, 100, NULL);
      while((msg = curl_multi_info_read(m, &left)) != NULL) {
        long code = 0, idx = 0;
        void *priv = NULL;
        if(msg->msg != CURLMSG_DONE)
          continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        idx = (long)priv;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
        lat[ok + kerr] = (now_s() - t0) * 1000.0;
        if(msg->data.result == CURLE_OK && code == 200 && outs[idx].p) {
          ok++;
          stored += count_stored(outs[idx].p);
        } else {
          kerr++;
          fprintf(stderr, "bench: kiosk %ld: curl %d http %ld\n", idx,
                  (int)msg->data.result, code);
        }
      }
    } while(running);
    printf("BENCH kiosks_at_once kiosks=%d batch=%d ok=%d errors=%d "
           "stored=%ld p50_ms=%.0f p99_ms=%.0f max_ms=%.0f all_done_s=%.2f "
           "load1=%.1f\n",
           kiosks, KIOSK_BATCH, ok, kerr, stored,
           pct(lat, ok + kerr, 0.5), pct(lat, ok + kerr, 0.99),
           pct(lat, ok + kerr, 1.0), now_s() - t0, load1());
    errors += kerr;
    for(i = 0; i < kiosks; i++) {
      curl_multi_remove_handle(m, easy[i]);
      curl_easy_cleanup(easy[i]);
      curl_slist_free_all(hdrs[i]);
      free(outs[i].p);
      free(bodies[i]);
    }
    curl_multi_cleanup(m);
  }
  agg_server_stop(s, 5);
  return errors ? 1 : 0;
}

int main(void)
{
  char dir[512], url[1200];
  const char *env = getenv("PR_AGG_TEST_DB");
  int rc;

  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(getenv("BENCH_DEBUG") ? PR_LOG_DEBUG : PR_LOG_WARN);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  snprintf(dir, sizeof(dir), "%s/bench_ingest", PR_TEST_OUT);
  snprintf(url, sizeof(url), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
  if(system(url) != 0)
    return 1;
  if(env && *env)
    snprintf(url, sizeof(url), "%s", env);
  else
    snprintf(url, sizeof(url), "sqlite:%s/bench.db", dir);
  rc = run(dir, url);
  curl_global_cleanup();
  return rc;
}
