/* sync_driver.c — This file contains the test driver of the sync client's
 * end-to-end tests: it fills a real kiosk store with responses to a
 * shipped question set (free text full of planted identifiers, a call list
 * with names and numbers), runs sync rounds through the real client
 * (libsync) against the URLs it is given — through a fault proxy, with a
 * wrong pin, a revoked token, a server that is down — and finally drains
 * the queue directly.  It writes every uuid it created to a file so the
 * test can check the aggregator holds each exactly once, and (--tap)
 * every byte the client handed to TLS.
 *
 * usage: sync_driver --store F --config F --rounds N --seed S --uuids OUT
 *          [--proxy-url U] [--direct-url U] [--down-url U]
 *          [--revoked-token F] [--bad-pin P] [--add-max K] [--tap OUT]
 *          [--plant 1] [--initial N] [--drain 0] [--worker-secs S]
 *          [--set-version V] [--spread-days D] [--calls K]
 *
 * --worker-secs S: instead of rounds, run the kiosk's sync thread for S
 * seconds against --proxy-url (faults) while responses keep coming and
 * kicks arrive, then a second worker against --direct-url until the
 * status shows an empty queue and a success.
 *
 * --calls K: phone follow-up call statistics in the store as the call list
 * keeps them (survey/callstat.h): 10*K calls with outcomes spread over the
 * last four weeks at the start, then up to K more today before each round,
 * so weeks already acknowledged keep growing while faults cut replies. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calllist.h"
#include "callstat.h"
#include "pdate.h"
#include "pr.h"
#include "qset.h"
#include "store.h"
#include "sync.h"
#include "sync_worker.h"
#include <stdatomic.h>
#include <unistd.h>

/* Identifiers planted in free text and the call list; the leak test looks
 * for each of these (and their digits) in what the client sent. */
static const char *const plant_text[] = {
  "Jag heter Karin, pnr 19121212-1212, ring 070-174 06 05.",
  "Mejla mig: karin.lindqvist@example.se eller ring 08-123 456 78.",
  "Min mamma 194503152383 vill bli uppringd på +46 70 174 06 07.",
  "Samordningsnummer 850769-4237, hem 031-12 34 56.",
  "Bra bemötande, men lång väntan.",
};

struct rng {
  uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return (uint32_t)(r->s >> 11);
}

struct opts {
  const char *store, *config, *uuids, *proxy, *direct, *down, *revoked;
  const char *badpin, *tap;
  long rounds, seed, add_max, initial, drain, worker_secs, version, spread;
  long calls;
  int plant;
};

static void on_tap(const char *data, size_t len, void *ctx)
{
  fwrite(data, 1, len, (FILE *)ctx);
}

/* One finished response; every third one a phone interview (ring-upp
 * set, track and care type, sometimes a relative answering). */
/* Visit dates: 2026-11-24, or when spread_days > 0 one of the spread_days
 * days before it (a kiosk that was offline for weeks). */
static int add_response(struct store *st, const struct qset *kiosk,
                        const struct qset *phone, struct rng *r,
                        long spread_days, FILE *uuids)
{
  char date[11];
  static const char *const tracks[] = {"gron", "gul", "rod"};
  int is_phone = phone && rnd(r) % 3 == 0;
  const struct qset *qs = is_phone ? phone : kiosk;
  unsigned mode = is_phone ? QSET_MODE_PHONE : QSET_MODE_KIOSK;
  struct store_new n = {.set_id = qs->id, .set_version = qs->version,
                        .unit = "SE2321000032-TEST01",
                        .mode = mode, .lang = "sv",
                        .date = "2026-11-24"};
  int answers[QSET_MAX_QUESTIONS];
  char uuid[STORE_UUID_LEN], err[PR_ERR_LEN];

  if(spread_days > 0) {
    pdate_format(pdate_from_ymd(2026, 11, 24) -
                 (long)(rnd(r) % (uint32_t)spread_days), date);
    n.date = date;
  }
  if(is_phone) {
    n.track = tracks[rnd(r) % 3];
    n.care = rnd(r) % 2 ? "somatisk" : "psykiatrisk";
    n.proxy = rnd(r) % 4 == 0;
  }
  if(store_begin(st, &n, uuid, err) != PR_OK) {
    fprintf(stderr, "store_begin: %s\n", err);
    return -1;
  }
  for(int i = 0; i < qs->n_questions; i++)
    answers[i] = QSET_UNANSWERED;
  for(int i = 0; i < qs->n_questions; i++) {
    const struct qset_question *q = &qs->questions[i];
    enum pr_rc rc;
    if(!qset_applies(qs, i, mode, answers))
      continue;
    if(q->type == QSET_TEXT) {
      rc = store_answer(st, uuid, q->id, NULL,
                        plant_text[rnd(r) % PR_ARRAY_LEN(plant_text)], err);
      answers[i] = QSET_TEXT_ANSWERED;
    } else {
      const struct qset_scale *sc = qset_question_scale(qs, i);
      int k = (int)(rnd(r) % (uint32_t)sc->n_options);
      rc = store_answer(st, uuid, q->id, sc->options[k].code, NULL, err);
      answers[i] = k;
    }
    if(rc != PR_OK) {
      fprintf(stderr, "store_answer: %s\n", err);
      return -1;
    }
  }
  if(store_finish(st, uuid, STORE_COMPLETE, err) != PR_OK) {
    fprintf(stderr, "store_finish: %s\n", err);
    return -1;
  }
  fprintf(uuids, "%s\n", uuid);
  return 0;
}

struct calls_arg {
  struct rng *r;
  long n, days;
};

/* n calls, each with a final outcome, on today or one of the `days` days
 * before it: what the call list writes (attempts + the disposition). */
static enum pr_rc add_calls_db(struct sqlite3 *db, void *ctx, char *err)
{
  static const char *const codes[] = {"complete", "complete", "partial",
                                      "refused", "notreached", "wrongnumber",
                                      "deceased"};
  struct calls_arg *a = ctx;
  long today = pdate_local_today(pr_now());
  enum pr_rc rc = PR_OK;
  for(long i = 0; i < a->n && rc == PR_OK; i++) {
    long day = today - (a->days ? (long)(rnd(a->r) % (uint32_t)a->days) : 0);
    rc = callstat_add(db, day, "SE2321000032-TEST01", "attempts", 1, err);
    if(rc == PR_OK)
      rc = callstat_add(db, day, "SE2321000032-TEST01",
                        codes[rnd(a->r) % PR_ARRAY_LEN(codes)], 1, err);
    if(rc == PR_OK && rnd(a->r) % 5 == 0)
      rc = callstat_add(db, day, "SE2321000032-TEST01", "sip_offered", 1, err);
  }
  return rc;
}

static int add_calls(struct store *st, struct rng *r, long n, long days)
{
  struct calls_arg a = {r, n, days};
  char err[PR_ERR_LEN];
  if(n <= 0)
    return 0;
  if(store_with_db(st, add_calls_db, &a, err) != PR_OK) {
    fprintf(stderr, "call statistics: %s\n", err);
    return -1;
  }
  return 0;
}

static int plant_calllist(struct store *st)
{
  static const struct calllist_input in[] = {
    {"Karin Lindqvist", "0701740605", "19121212-1212", "2026-11-20", "gul",
     "somatisk", "ja"},
    {"Bengt Åkesson", "+46701740607", "194503152383", "2026-11-21", "rod",
     "psykiatrisk", "ja"},
  };
  char err[PR_ERR_LEN];
  long id;
  if(calllist_init(st, err) != PR_OK) {
    fprintf(stderr, "calllist_init: %s\n", err);
    return -1;
  }
  for(size_t i = 0; i < PR_ARRAY_LEN(in); i++)
    if(calllist_add(st, &in[i], "SE2321000032-TEST01", pr_now(), &id,
                    err) != PR_OK) {
      fprintf(stderr, "calllist_add: %s\n", err);
      return -1;
    }
  return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
  memset(o, 0, sizeof(*o));
  o->rounds = 10;
  o->seed = 1;
  o->add_max = 3;
  o->drain = 1;
  for(int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    long *num = NULL;
    if(!strcmp(k, "--store")) o->store = v;
    else if(!strcmp(k, "--config")) o->config = v;
    else if(!strcmp(k, "--uuids")) o->uuids = v;
    else if(!strcmp(k, "--proxy-url")) o->proxy = v;
    else if(!strcmp(k, "--direct-url")) o->direct = v;
    else if(!strcmp(k, "--down-url")) o->down = v;
    else if(!strcmp(k, "--revoked-token")) o->revoked = v;
    else if(!strcmp(k, "--bad-pin")) o->badpin = v;
    else if(!strcmp(k, "--tap")) o->tap = v;
    else if(!strcmp(k, "--plant")) o->plant = !strcmp(v, "1");
    else if(!strcmp(k, "--rounds")) num = &o->rounds;
    else if(!strcmp(k, "--seed")) num = &o->seed;
    else if(!strcmp(k, "--add-max")) num = &o->add_max;
    else if(!strcmp(k, "--initial")) num = &o->initial;
    else if(!strcmp(k, "--drain")) num = &o->drain;
    else if(!strcmp(k, "--worker-secs")) num = &o->worker_secs;
    else if(!strcmp(k, "--set-version")) num = &o->version;
    else if(!strcmp(k, "--spread-days")) num = &o->spread;
    else if(!strcmp(k, "--calls")) num = &o->calls;
    else {
      fprintf(stderr, "sync_driver: unknown option %s\n", k);
      return -1;
    }
    if(num && pr_parse_long(v, 0, 100000000, num) != 0) {
      fprintf(stderr, "sync_driver: %s needs a number\n", k);
      return -1;
    }
  }
  if(!o->store || !o->config || !o->uuids || !o->direct) {
    fprintf(stderr, "sync_driver: --store, --config, --uuids and "
            "--direct-url are required\n");
    return -1;
  }
  return 0;
}

static void on_notify(const struct sync_status *st, void *ctx)
{
  (void)st;
  atomic_fetch_add((atomic_int *)ctx, 1);
}

static double now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The worker scenario; returns 0 when the queue drained. */
static int run_worker(struct store *st, const struct qset *qs,
                      const struct qset *ph, const struct sync_config *base,
                      const struct opts *o,
                      struct rng *r, FILE *uuids, int *created)
{
  struct sync_config c = *base;
  struct sync_worker *w = NULL;
  struct sync_status ss;
  atomic_int notes = 0;
  char err[PR_ERR_LEN], text[600];
  double t0 = now_s();

  c.interval_s = 1;
  c.backoff_base_s = 1;
  c.backoff_cap_s = 2;
  pr_strlcpy(c.url, o->proxy ? o->proxy : o->direct, sizeof(c.url));
  if(sync_worker_start(st, &c, on_notify, &notes, &w, err) != PR_OK) {
    fprintf(stderr, "worker: %s\n", err);
    return -1;
  }
  while(now_s() - t0 < (double)o->worker_secs) {
    if(rnd(r) % 4 == 0) {
      if(add_response(st, qs, ph, r, o->spread, uuids) != 0)
        break;
      (*created)++;
      sync_worker_kick(w);   /* as the kiosk does after each patient */
    }
    usleep(100000);
  }
  sync_worker_status(w, &ss);
  sync_worker_stop(w);
  printf("driver: worker through faults: %d rounds, %d notifications, "
         "queue %d, last: %s\n", ss.rounds, atomic_load(&notes), ss.queue,
         pr_strerror(ss.last_rc));
  /* A round in flight when the status was read ends (and notifies) while
   * the stop joins the thread: one notification more is right. */
  if(ss.rounds < 3 || atomic_load(&notes) < ss.rounds ||
     atomic_load(&notes) > ss.rounds + 1) {
    fprintf(stderr, "worker: too few rounds or notifications\n");
    return -1;
  }
  /* A revoked token: one round, then nothing until the token file
   * changes (re-enrolment), then it syncs by itself. */
  if(o->revoked) {
    char tokpath[SYNC_PATH_LEN + 8], tok[600];
    FILE *in = fopen(base->token_file, "r"), *out;
    size_t tl = in ? fread(tok, 1, sizeof(tok) - 1, in) : 0;
    int rounds_before;
    if(in)
      fclose(in);
    tok[tl] = '\0';
    snprintf(tokpath, sizeof(tokpath), "%s.kiosk", o->revoked);
    out = fopen(tokpath, "w");
    in = fopen(o->revoked, "r");
    if(!out || !in) {
      fprintf(stderr, "worker: token files\n");
      return -1;
    }
    {
      char buf[600];
      size_t k = fread(buf, 1, sizeof(buf), in);
      fwrite(buf, 1, k, out);
    }
    fclose(in);
    fclose(out);
    pr_strlcpy(c.url, o->direct, sizeof(c.url));
    pr_strlcpy(c.token_file, tokpath, sizeof(c.token_file));
    atomic_store(&notes, 0);
    if(sync_worker_start(st, &c, on_notify, &notes, &w, err) != PR_OK)
      return -1;
    t0 = now_s();
    while(atomic_load(&notes) < 1 && now_s() - t0 < 20)
      usleep(20000);
    usleep(2500000);
    sync_worker_status(w, &ss);
    rounds_before = ss.rounds;
    sync_status_text(&ss, text, sizeof(text));
    printf("driver: worker with a revoked token: %d round(s) in 2.5 s, "
           "auth_failed %d\n--- staff menu ---\n%s\n------------------\n",
           ss.rounds, ss.auth_failed, text);
    if(ss.rounds != 1 || !ss.auth_failed || ss.last_rc != PR_EAUTH) {
      sync_worker_stop(w);
      fprintf(stderr, "worker: a revoked token was retried or not shown\n");
      return -1;
    }
    out = fopen(tokpath, "w");   /* re-enrolled: the new token arrives */
    if(!out) {
      sync_worker_stop(w);
      return -1;
    }
    fputs(tok, out);
    fclose(out);
    t0 = now_s();
    do {
      usleep(100000);
      sync_worker_status(w, &ss);
    } while(!(ss.last_rc == PR_OK && ss.queue == 0) && now_s() - t0 < 20);
    sync_worker_stop(w);
    printf("driver: after re-enrolment: %d rounds, queue %d, last %s\n",
           ss.rounds, ss.queue, pr_strerror(ss.last_rc));
    if(ss.rounds <= rounds_before || ss.last_rc != PR_OK || ss.queue != 0)
      return -1;
    pr_strlcpy(c.token_file, base->token_file, sizeof(c.token_file));
  }

  /* The network is back. */
  pr_strlcpy(c.url, o->direct, sizeof(c.url));
  if(sync_worker_start(st, &c, on_notify, &notes, &w, err) != PR_OK)
    return -1;
  t0 = now_s();
  do {
    usleep(100000);
    sync_worker_status(w, &ss);
  } while(!(ss.last_rc == PR_OK && ss.queue == 0 && ss.last_ok) &&
          now_s() - t0 < 30);
  sync_worker_stop(w);
  sync_status_text(&ss, text, sizeof(text));
  printf("driver: worker drained: queue %d, last %s\n--- staff menu ---\n%s\n"
         "------------------\n", ss.queue, pr_strerror(ss.last_rc), text);
  return ss.queue == 0 && ss.last_rc == PR_OK ? 0 : -1;
}

enum kind { K_PROXY, K_BADPIN, K_REVOKED, K_DOWN, K_DIRECT, K_N };
static const char *const kind_names[K_N] = {"proxy", "wrong-pin", "revoked",
                                            "down", "direct"};

int main(int argc, char **argv)
{
  struct opts o;
  struct store *st = NULL;
  struct qset *qs = NULL, *ph = NULL;
  struct sync_config base;
  struct rng r;
  FILE *uuids = NULL, *tap = NULL;
  char err[PR_ERR_LEN], path[1024];
  int by_rc[PR_EINTERNAL + 1][K_N], created = 0, ret = 1, drained = 0;
  struct timespec t0, t1;
  enum pr_rc rc;

  memset(by_rc, 0, sizeof(by_rc));
  if(parse(argc, argv, &o) != 0 || pr_init() != PR_OK)
    return 2;
  pr_log_set_level(PR_LOG_ERROR);
  r.s = (uint64_t)o.seed * 0x9E3779B97F4A7C15ull + 1;
  sync_config_defaults(&base);
  if(sync_config_load(o.config, &base, err) != PR_OK) {
    fprintf(stderr, "config: %s\n", err);
    return 2;
  }
  snprintf(path, sizeof(path), "%s/surveys/kiosk-besok.json", PR_ASSETS_DIR);
  rc = qset_load_file(path, &qs, err);
  if(rc == PR_OK) {
    snprintf(path, sizeof(path), "%s/surveys/ring-upp-utskrivning.json",
             PR_ASSETS_DIR);
    rc = qset_load_file(path, &ph, err);
  }
  if(rc == PR_OK)
    rc = store_open(o.store, &st, err);
  if(rc != PR_OK) {
    fprintf(stderr, "setup: %s\n", err);
    goto out;
  }
  if(o.plant && plant_calllist(st) != 0)
    goto out;
  uuids = fopen(o.uuids, "a");
  if(!uuids || (o.tap && !(tap = fopen(o.tap, "ab")))) {
    fprintf(stderr, "cannot open output files\n");
    goto out;
  }
  if(o.calls && add_calls(st, &r, 10 * o.calls, 28) != 0)
    goto out;
  if(o.version > 0)
    qs->version = (int)o.version;   /* responses to a version not published */
  for(long i = 0; i < o.initial; i++, created++)
    if(add_response(st, qs, o.version > 0 ? NULL : ph, &r, o.spread,
                    uuids) != 0)
      goto out;

  if(o.worker_secs) {
    ret = run_worker(st, qs, ph, &base, &o, &r, uuids, &created) == 0 ? 0 : 1;
    printf("driver: worker mode, created %d, queue %d\n", created,
           store_outbox_count(st));
    goto out;
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for(long round = 0; round < o.rounds; round++) {
    struct sync_config c = base;
    struct sync_client *cl = NULL;
    struct sync_report rep;
    uint32_t pick = rnd(&r) % 100;
    enum kind k = K_PROXY;
    long add = o.add_max ? (long)(rnd(&r) % (uint32_t)(o.add_max + 1)) : 0;

    for(long i = 0; i < add; i++, created++)
      if(add_response(st, qs, o.version > 0 ? NULL : ph, &r, o.spread,
                    uuids) != 0)
        goto out;
    if(o.calls &&
       add_calls(st, &r, (long)(rnd(&r) % (uint32_t)(o.calls + 1)), 0) != 0)
      goto out;
    if(!o.proxy)
      k = K_DIRECT;
    else if(pick < 5 && o.badpin)
      k = K_BADPIN;
    else if(pick < 10 && o.revoked)
      k = K_REVOKED;
    else if(pick < 13 && o.down)
      k = K_DOWN;
    pr_strlcpy(c.url, k == K_PROXY ? o.proxy : k == K_DOWN ? o.down :
               o.direct, sizeof(c.url));
    if(k == K_BADPIN)
      pr_strlcpy(c.pins, o.badpin, sizeof(c.pins));
    if(k == K_REVOKED)
      pr_strlcpy(c.token_file, o.revoked, sizeof(c.token_file));
    /* A new client per round: a new connection, so the proxy draws a new
     * fault each time. */
    if(sync_client_new(st, &c, &cl, err) != PR_OK) {
      fprintf(stderr, "sync_client_new: %s\n", err);
      goto out;
    }
    if(tap)
      sync_client_set_tap(cl, on_tap, tap);
    (void)sync_round(cl, &rep);
    by_rc[rep.rc][k]++;
    if((k == K_BADPIN && rep.rc != PR_ETLS) ||
       (k == K_REVOKED && rep.rc != PR_EAUTH) ||
       (k == K_DOWN && rep.rc != PR_ENET)) {
      fprintf(stderr, "round %ld (%s): unexpected result %s: %s\n", round,
              kind_names[k], pr_strerror(rep.rc), rep.err);
      sync_client_free(cl);
      goto out;
    }
    sync_client_free(cl);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);

  /* Drain directly, as the kiosk does once the network is back. */
  for(int i = 0; i < 50 && o.drain; i++) {
    struct sync_config c = base;
    struct sync_client *cl = NULL;
    struct sync_report rep;
    pr_strlcpy(c.url, o.direct, sizeof(c.url));
    if(sync_client_new(st, &c, &cl, err) != PR_OK)
      goto out;
    if(tap)
      sync_client_set_tap(cl, on_tap, tap);
    (void)sync_round(cl, &rep);
    sync_client_free(cl);
    if(rep.rc == PR_OK && rep.queue == 0) {
      drained = 1;
      break;
    }
    fprintf(stderr, "drain round %d: %s: %s\n", i, pr_strerror(rep.rc),
            rep.err);
  }
  printf("driver: rounds %ld in %.1f s, created %d, queue after drain %d\n",
         o.rounds, (double)(t1.tv_sec - t0.tv_sec) +
         (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, created,
         store_outbox_count(st));
  for(int k2 = 0; k2 <= PR_EINTERNAL; k2++)
    for(int k = 0; k < K_N; k++)
      if(by_rc[k2][k])
        printf("driver: %-9s -> %-22s %d\n", kind_names[k],
               pr_strerror((enum pr_rc)k2), by_rc[k2][k]);
  ret = (drained || !o.drain) ? 0 : 1;
out:
  if(uuids)
    fclose(uuids);
  if(tap)
    fclose(tap);
  qset_free(qs);
  qset_free(ph);
  store_close(st);
  return ret;
}
