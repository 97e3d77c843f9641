/* This file contains pg_load, the many-kiosks load client of the PostgreSQL
 * tests and benchmark: threads act as kiosks that POST batches of
 * responses over HTTPS (libcurl, TLS 1.2+, the test CA) to one or more
 * aggregator processes, resend overlapping batches concurrently, honour
 * Retry-After, and count per response what the servers acknowledged.
 *
 * The universe is N responses with deterministic uuids and content, so a
 * check script can compare the database with what was acknowledged.
 * Kiosk k (token k of --tokens) owns responses i with i % K == k; every
 * kiosk has --per-kiosk threads racing each other (a resend after a lost
 * reply that reaches another aggregator while the first is still working).
 *
 *   pg_load --ca CA --tokens FILE --url URL [--url URL ...] --n N
 *           [--per-kiosk T] [--batch B] [--seconds S] [--sweep]
 *           [--acked FILE] [--max-wait-ms MS]
 *
 * Phase "random" (--seconds S > 0): each thread sends windows of B of its
 * kiosk's responses starting at random offsets until S seconds passed.
 * Phase "sweep" (--sweep): each thread sends its kiosk's whole slice in
 * order, repeating every batch until the server acknowledged it.
 * Prints one "pg_load: ..." summary line; --acked writes every uuid that
 * was acknowledged (stored or duplicate), one per line.  Exit 0 unless a
 * response was rejected or acknowledged twice as "stored". */
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#define MAX_URLS 8
#define MAX_KIOSKS 256

struct opts {
  const char *ca;
  const char *urls[MAX_URLS];
  int n_urls;
  char tokens[MAX_KIOSKS][256];
  int n_kiosks;
  long n;
  int per_kiosk;
  int batch;
  double seconds;
  int sweep;
  const char *acked_path;
  long max_wait_ms;
};

struct stats {
  atomic_long requests, ok, s503, s503_no_retry_after, other_http, neterr;
  atomic_long stored_acks, dup_acks, rejected;
};

#define MAX_LAT 1000000

struct shared {
  const struct opts *o;
  struct stats st;
  double *lat_ms;        /* per successful request */
  atomic_long n_lat;
  atomic_int *stored;    /* per response: "stored" answers received */
  atomic_int *acked;     /* per response: 1 when stored or duplicate */
};

struct worker {
  struct shared *sh;
  int kiosk;
  int index;             /* thread number */
  unsigned long long rng;
};

static double now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static unsigned long long rnd(unsigned long long *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Deterministic uuid v4 of response i. */
static void uuid_of(long i, char out[37])
{
  snprintf(out, 37, "%08lx-7e57-4000-8000-%012lx",
           (unsigned long)(i * 2654435761UL) & 0xffffffffUL,
           (unsigned long)i & 0xffffffffffffUL);
}

/* Parse the index back from a uuid we made (the last group). */
static long index_of(const char *uuid)
{
  const char *p = strrchr(uuid, '-');
  char *end = NULL;
  long v;

  if(!p || strlen(uuid) != 36)
    return -1;
  v = strtol(p + 1, &end, 16);
  return end && *end == '\0' ? v : -1;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
  size_t n = strlen(s);

  if(*len + n + 1 > *cap) {
    *cap = (*len + n + 1) * 2;
    *buf = realloc(*buf, *cap);
    if(!*buf)
      abort();
  }
  memcpy(*buf + *len, s, n + 1);
  *len += n;
}

/* The wire form of response i: kiosk-besok v2, four choice answers and
 * sometimes a comment, an ISO week of 2026 up to W40. */
static void response_json(long i, char *out, size_t cap)
{
  static const char *const opt[] = { "mycket", "lite", "inte_alls", "vet_ej" };
  unsigned long h = (unsigned long)i * 0x9E3779B97F4A7C15UL;
  char uuid[37];

  uuid_of(i, uuid);
  snprintf(out, cap,
           "{\"uuid\":\"%s\",\"set\":\"kiosk-besok\",\"version\":2,"
           "\"mode\":\"kiosk\",\"lang\":\"%s\",\"proxy\":false,"
           "\"status\":\"complete\",\"period\":\"2026-W%02lu\","
           "\"track\":null,\"care\":null,\"answers\":["
           "{\"q\":\"nojdhet\",\"a\":\"%s\"},"
           "{\"q\":\"delaktighet\",\"a\":\"%s\"},"
           "{\"q\":\"trygghet\",\"a\":\"%s\"},"
           "{\"q\":\"respekt\",\"a\":\"%s\"}%s]}",
           uuid, (h >> 3) % 5 == 0 ? "en" : "sv", 1 + (h >> 5) % 40,
           opt[(h >> 11) % 4], opt[(h >> 13) % 4], opt[(h >> 17) % 4],
           opt[(h >> 19) % 4],
           (h >> 23) % 10 == 0
               ? ",{\"q\":\"kommentar\",\"text\":\"Bra bemötande i dag.\"}"
               : "");
}

struct body {
  char *p;
  size_t n;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
  struct body *b = ud;
  size_t add = size * nmemb;
  char *np;

  if(b->n + add > (8u << 20))
    return 0;
  np = realloc(b->p, b->n + add + 1);
  if(!np)
    return 0;
  b->p = np;
  memcpy(b->p + b->n, ptr, add);
  b->n += add;
  b->p[b->n] = '\0';
  return add;
}

/* POST responses idx[0..k) once.  Returns 1 when the server answered 200
 * with a result for every uuid, 0 otherwise (after waiting as told). */
static int post_batch(struct worker *w, CURL *h, const long *idx, int k)
{
  struct shared *sh = w->sh;
  const struct opts *o = sh->o;
  char *req = NULL, one[1024], auth[300];
  size_t len = 0, cap = 0;
  struct body resp = { NULL, 0 };
  struct curl_slist *hdr = NULL;
  long code = 0;
  curl_off_t retry_after = -1;
  CURLcode cc;
  int i, done = 0;
  double t_req;
  json_t *root = NULL, *results;

  append(&req, &len, &cap, "{\"protocol\":1,\"responses\":[");
  for(i = 0; i < k; i++) {
    response_json(idx[i], one, sizeof(one));
    if(i)
      append(&req, &len, &cap, ",");
    append(&req, &len, &cap, one);
  }
  append(&req, &len, &cap, "]}");
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
           o->tokens[w->kiosk]);
  hdr = curl_slist_append(hdr, auth);
  hdr = curl_slist_append(hdr, "Content-Type: application/json");
  curl_easy_setopt(h, CURLOPT_URL,
                   o->urls[rnd(&w->rng) % (unsigned)o->n_urls]);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, req);
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
  atomic_fetch_add(&sh->st.requests, 1);
  t_req = now_s();
  cc = curl_easy_perform(h);
  if(cc != CURLE_OK) {
    atomic_fetch_add(&sh->st.neterr, 1);
    usleep(100 * 1000);
    goto out;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  if(code == 503 || code == 429 || code == 413) {
    long ms;

    curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
    if(code == 503)
      atomic_fetch_add(&sh->st.s503, 1);
    else
      atomic_fetch_add(&sh->st.other_http, 1);
    if(retry_after <= 0) {
      atomic_fetch_add(&sh->st.s503_no_retry_after, 1);
      retry_after = 1;
    }
    /* Honour Retry-After; tests may cap the wait to stay fast. */
    ms = (long)retry_after * 1000;
    if(o->max_wait_ms >= 0 && ms > o->max_wait_ms)
      ms = o->max_wait_ms;
    usleep((useconds_t)ms * 1000);
    goto out;
  }
  if(code != 200) {
    atomic_fetch_add(&sh->st.other_http, 1);
    if(atomic_load(&sh->st.other_http) < 5)
      fprintf(stderr, "pg_load: HTTP %ld: %.200s\n", code,
              resp.p ? resp.p : "");
    goto out;
  }
  root = json_loads(resp.p ? resp.p : "", 0, NULL);
  results = root ? json_object_get(root, "results") : NULL;
  if(!json_is_array(results) || (int)json_array_size(results) != k) {
    atomic_fetch_add(&sh->st.other_http, 1);
    goto out;
  }
  atomic_fetch_add(&sh->st.ok, 1);
  {
    long slot = atomic_fetch_add(&sh->n_lat, 1);

    if(slot < MAX_LAT)
      sh->lat_ms[slot] = (now_s() - t_req) * 1000.0;
  }
  for(i = 0; i < k; i++) {
    json_t *r = json_array_get(results, (size_t)i);
    const char *u = json_string_value(json_object_get(r, "uuid"));
    const char *s = json_string_value(json_object_get(r, "status"));
    long x = u ? index_of(u) : -1;

    if(x != idx[i] || !s) {
      atomic_fetch_add(&sh->st.other_http, 1);
      continue;
    }
    if(!strcmp(s, "stored")) {
      atomic_fetch_add(&sh->st.stored_acks, 1);
      atomic_fetch_add(&sh->stored[x], 1);
      atomic_store(&sh->acked[x], 1);
    } else if(!strcmp(s, "duplicate")) {
      atomic_fetch_add(&sh->st.dup_acks, 1);
      atomic_store(&sh->acked[x], 1);
    } else {
      atomic_fetch_add(&sh->st.rejected, 1);
      if(atomic_load(&sh->st.rejected) < 5)
        fprintf(stderr, "pg_load: rejected %s: %s\n", u,
                json_string_value(json_object_get(r, "reason")));
    }
  }
  done = 1;
out:
  json_decref(root);
  curl_slist_free_all(hdr);
  free(resp.p);
  free(req);
  return done;
}

static CURL *make_handle(const struct opts *o)
{
  CURL *h = curl_easy_init();

  if(!h)
    return NULL;
  curl_easy_setopt(h, CURLOPT_CAINFO, o->ca);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  return h;
}

static void *worker_main(void *arg)
{
  struct worker *w = arg;
  const struct opts *o = w->sh->o;
  long K = o->n_kiosks;
  long slice = (o->n - w->kiosk + K - 1) / K;    /* responses of kiosk */
  long *idx = calloc((size_t)o->batch, sizeof(*idx));
  CURL *h = make_handle(o);
  double end = now_s() + o->seconds;
  int k;

  if(!idx || !h || slice <= 0)
    goto out;
  while(o->seconds > 0 && now_s() < end) {
    long start = (long)(rnd(&w->rng) % (unsigned long)slice);

    for(k = 0; k < o->batch && k < slice; k++)
      idx[k] = w->kiosk + ((start + k) % slice) * K;
    (void)post_batch(w, h, idx, k);
  }
  if(o->sweep) {
    long pos;

    for(pos = 0; pos < slice; pos += o->batch) {
      int tries = 0;

      for(k = 0; k < o->batch && pos + k < slice; k++)
        idx[k] = w->kiosk + (pos + k) * K;
      while(!post_batch(w, h, idx, k)) {
        if(++tries > 600) {
          fprintf(stderr, "pg_load: kiosk %d gives up on a batch\n",
                  w->kiosk);
          break;
        }
      }
    }
  }
out:
  curl_easy_cleanup(h);
  free(idx);
  return NULL;
}

static int load_tokens(struct opts *o, const char *path)
{
  FILE *f = fopen(path, "r");
  char line[200];

  if(!f)
    return -1;
  while(fgets(line, sizeof(line), f) && o->n_kiosks < MAX_KIOSKS) {
    line[strcspn(line, "\r\n")] = '\0';
    if(!*line)
      continue;
    snprintf(o->tokens[o->n_kiosks++], sizeof(o->tokens[0]), "%s", line);
  }
  fclose(f);
  return o->n_kiosks > 0 ? 0 : -1;
}

static void usage(void)
{
  fprintf(stderr, "usage: pg_load --ca CA --tokens FILE --url URL [--url URL]"
          " --n N [--per-kiosk T] [--batch B] [--seconds S] [--sweep]"
          " [--acked FILE] [--max-wait-ms MS]\n");
  exit(2);
}

static long num(const char *s, long lo, long hi)
{
  char *end = NULL;
  long v = s ? strtol(s, &end, 10) : 0;

  if(!s || end == s || *end || v < lo || v > hi) {
    fprintf(stderr, "pg_load: bad number '%s'\n", s ? s : "");
    usage();
  }
  return v;
}

int main(int argc, char **argv)
{
  static struct opts o;
  struct shared sh;
  struct worker *w;
  pthread_t *th;
  int i, nt, doubles = 0;
  long acked = 0, j;
  double t0, el;

  o.n = 1000;
  o.per_kiosk = 2;
  o.batch = 50;
  o.max_wait_ms = -1;
  for(i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

    if(!strcmp(a, "--ca") && v) { o.ca = v; i++; }
    else if(!strcmp(a, "--url") && v && o.n_urls < MAX_URLS) {
      o.urls[o.n_urls++] = v; i++;
    }
    else if(!strcmp(a, "--tokens") && v) {
      if(load_tokens(&o, v) != 0) {
        fprintf(stderr, "pg_load: no tokens in %s\n", v);
        return 2;
      }
      i++;
    }
    else if(!strcmp(a, "--n") && v) { o.n = num(v, 1, 100000000); i++; }
    else if(!strcmp(a, "--per-kiosk") && v) { o.per_kiosk = (int)num(v, 1, 64); i++; }
    else if(!strcmp(a, "--batch") && v) { o.batch = (int)num(v, 1, 5000); i++; }
    else if(!strcmp(a, "--seconds") && v) { o.seconds = (double)num(v, 0, 3600); i++; }
    else if(!strcmp(a, "--sweep")) o.sweep = 1;
    else if(!strcmp(a, "--acked") && v) { o.acked_path = v; i++; }
    else if(!strcmp(a, "--max-wait-ms") && v) { o.max_wait_ms = num(v, 0, 600000); i++; }
    else usage();
  }
  if(!o.ca || !o.n_urls || !o.n_kiosks)
    usage();
  curl_global_init(CURL_GLOBAL_DEFAULT);
  memset(&sh, 0, sizeof(sh));
  sh.o = &o;
  sh.stored = calloc((size_t)o.n, sizeof(*sh.stored));
  sh.acked = calloc((size_t)o.n, sizeof(*sh.acked));
  sh.lat_ms = calloc(MAX_LAT, sizeof(*sh.lat_ms));
  nt = o.n_kiosks * o.per_kiosk;
  w = calloc((size_t)nt, sizeof(*w));
  th = calloc((size_t)nt, sizeof(*th));
  if(!sh.stored || !sh.acked || !sh.lat_ms || !w || !th)
    return 1;
  t0 = now_s();
  for(i = 0; i < nt; i++) {
    w[i].sh = &sh;
    w[i].kiosk = i % o.n_kiosks;
    w[i].index = i;
    w[i].rng = 0x9E3779B97F4A7C15ULL * (unsigned long long)(i + 1) + 12345;
    if(pthread_create(&th[i], NULL, worker_main, &w[i]) != 0)
      return 1;
  }
  for(i = 0; i < nt; i++)
    pthread_join(th[i], NULL);
  el = now_s() - t0;
  for(j = 0; j < o.n; j++) {
    acked += atomic_load(&sh.acked[j]);
    if(atomic_load(&sh.stored[j]) > 1)
      doubles++;
  }
  if(o.acked_path) {
    FILE *f = fopen(o.acked_path, "w");
    char u[37];

    if(!f)
      return 1;
    for(j = 0; j < o.n; j++) {
      if(!atomic_load(&sh.acked[j]))
        continue;
      uuid_of(j, u);
      fprintf(f, "%s\n", u);
    }
    fclose(f);
  }
  printf("pg_load: kiosks %d threads %d servers %d requests %ld ok %ld "
         "http503 %ld (without Retry-After %ld) other_http %ld neterr %ld "
         "acked %ld/%ld stored_acks %ld duplicate_acks %ld rejected %ld "
         "stored_twice %d elapsed %.2f s rate %.0f responses/s\n",
         o.n_kiosks, nt, o.n_urls, atomic_load(&sh.st.requests),
         atomic_load(&sh.st.ok), atomic_load(&sh.st.s503),
         atomic_load(&sh.st.s503_no_retry_after),
         atomic_load(&sh.st.other_http), atomic_load(&sh.st.neterr), acked,
         o.n, atomic_load(&sh.st.stored_acks), atomic_load(&sh.st.dup_acks),
         atomic_load(&sh.st.rejected), doubles, el,
         el > 0 ? (double)(atomic_load(&sh.st.stored_acks) +
                           atomic_load(&sh.st.dup_acks)) / el : 0.0);
  {
    long nl = atomic_load(&sh.n_lat);

    if(nl > MAX_LAT)
      nl = MAX_LAT;
    if(nl > 0) {
      qsort(sh.lat_ms, (size_t)nl, sizeof(double), cmp_d);
      printf("pg_load: request latency ms median %.1f p99 %.1f max %.1f "
             "(n %ld)\n", sh.lat_ms[nl / 2],
             sh.lat_ms[(nl * 99 + 99) / 100 - 1], sh.lat_ms[nl - 1], nl);
    }
  }
  free(sh.lat_ms);
  free(sh.stored);
  free(sh.acked);
  free(w);
  free(th);
  curl_global_cleanup();
  return (doubles || atomic_load(&sh.st.rejected)) ? 1 : 0;
}
