/* aggr_seed.h — synthetic responses for the aggregates tests, stored
 * through the aggregator's REAL ingest path (ingest_decode + ingest_store:
 * validation against the published set, responses, answers and counts in
 * one transaction).  Header-only so each test executable and the seeding
 * program share it.  Every batch gives each choice question the same
 * classes: the first n_pos responses answer a positive option, the next
 * n_neg a negative one, the rest "vet ej" — so expected figures are exact.
 * All data is synthetic; the comment texts are invented. */
#ifndef AGGR_SEED_H
#define AGGR_SEED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggcalls.h"
#include "aggdev.h"
#include "aggschema.h"
#include "aggsets.h"
#include "aggsrv.h"
#include "dashbuf.h"
#include "dashroutes.h"
#include "indic.h"
#include "indicq.h"
#include "ingest.h"
#include "pdate.h"
#include "qset.h"

#define AGGR_SEED_MAX_DEV 64

struct aggr_seed {
  struct aggdb *db;
  struct aggsets_cache *sc;
  unsigned long long rng;
  int n_dev;
  struct aggdev dev[AGGR_SEED_MAX_DEV];
};

static unsigned long long aggr_seed_next(struct aggr_seed *s)
{
  /* xorshift64*: deterministic, good enough for synthetic ids. */
  s->rng ^= s->rng >> 12;
  s->rng ^= s->rng << 25;
  s->rng ^= s->rng >> 27;
  return s->rng * 2685821657736338717ULL;
}

static void aggr_seed_uuid(struct aggr_seed *s, char out[37])
{
  unsigned long long a = aggr_seed_next(s), b = aggr_seed_next(s);
  snprintf(out, 37, "%08llx-%04llx-4%03llx-%04llx-%012llx",
           (a >> 32) & 0xffffffffULL, (a >> 16) & 0xffffULL, a & 0xfffULL,
           ((b >> 48) & 0x3fffULL) | 0x8000ULL, b & 0xffffffffffffULL);
}

/* Open url, migrate the schema components (agg_components) that come
 * before the one named stop (NULL: every one, the database as this
 * release makes it; a name: as an earlier release left it), publish the
 * shipped sets and, before them, the versions 1 they replaced as they were
 * published (tests/data/sets-v1): a region's aggregator that has run since
 * version 1, so the seeded rows may carry either version.  0 / -1 with
 * err. */
static int aggr_seed_open_before(const char *url, const char *stop,
                                 struct aggr_seed *s, char *err)
{
  memset(s, 0, sizeof(*s));
  s->rng = 0x9E3779B97F4A7C15ULL;
  if(pr_init() != PR_OK)
    return -1;
  if(aggdb_open(url, &s->db, err) != PR_OK)
    return -1;
  for(int i = 0; i < agg_n_components; i++) {
    if(stop && !strcmp(agg_components[i].name, stop))
      break;
    if(agg_components[i].migrate(s->db, err) != PR_OK)
      return -1;
  }
  if(aggsets_seed_dir(s->db, PR_TEST_DATA "/sets-v1", NULL, err) != PR_OK ||
     aggsets_seed_dir(s->db, PR_ASSETS_DIR "/surveys", NULL, err) != PR_OK)
    return -1;
  if(aggsets_cache_new(&s->sc) != PR_OK)
    return -1;
  return 0;
}

/* Open url, migrate every schema component, publish the shipped sets. */
static inline int aggr_seed_open(const char *url, struct aggr_seed *s,
                                 char *err)
{
  return aggr_seed_open_before(url, NULL, s, err);
}

static void aggr_seed_close(struct aggr_seed *s)
{
  aggsets_cache_free(s->sc);
  aggdb_close(s->db);
  memset(s, 0, sizeof(*s));
}

static const struct aggdev *aggr_seed_dev(struct aggr_seed *s, const char *unit,
                                          char *err)
{
  char token[AGGDEV_TOKEN_LEN];
  int i;
  for(i = 0; i < s->n_dev; i++)
    if(strcmp(s->dev[i].unit, unit) == 0)
      return &s->dev[i];
  if(s->n_dev == AGGR_SEED_MAX_DEV)
    return NULL;
  if(aggdev_enrol(s->db, unit, "Testkiosk", token, &s->dev[s->n_dev], err) !=
     PR_OK)
    return NULL;
  return &s->dev[s->n_dev++];
}

/* First option of question qi in class cls, or -1. */
static int aggr_seed_option(const struct qset *qs, int qi, enum qset_value cls,
                            int nth)
{
  const struct qset_scale *sc = qset_question_scale(qs, qi);
  int k, seen = 0, first = -1;
  for(k = 0; sc && k < sc->n_options; k++)
    if(qset_classify(qs, qi, k) == cls) {
      if(first < 0)
        first = k;
      if(seen++ == nth)
        return k;
    }
  return first;
}

/* Store n_pos + n_neg + n_dk responses of set/version for unit in period
 * ("2026-03" or "2026-W10").  mode "kiosk" or "phone" (phone needs track
 * and care).  comment (may be NULL) goes into every free-text question
 * that applies.  status "complete" or "abandoned".  0 / -1 with err. */
static int aggr_seed_batch(struct aggr_seed *s, const char *unit,
                           const char *set, int version, const char *mode,
                           const char *period, const char *track,
                           const char *care, int n_pos, int n_neg, int n_dk,
                           const char *comment, const char *status, char *err)
{
  const struct aggdev *dev = aggr_seed_dev(s, unit, err);
  struct aggdb_conn *c = NULL;
  const struct qset *qs = NULL;
  struct ingest_batch *b = NULL;
  struct ingest_tally t;
  struct dashbuf body;
  int n = n_pos + n_neg + n_dk, i, q, ok = -1;
  char *text = NULL;
  size_t len;

  dashbuf_init(&body);
  if(!dev)
    return -1;
  if(aggdb_acquire(s->db, &c, err) != PR_OK)
    return -1;
  if(aggsets_cache_get(s->sc, c, set, version, &qs, err) != PR_OK) {
    aggdb_release(c);
    return -1;
  }
  aggdb_release(c);
  dashbuf_add(&body, "{\"protocol\":1,\"responses\":[");
  for(i = 0; i < n; i++) {
    enum qset_value cls = i < n_pos ? QSET_POSITIVE
                          : i < n_pos + n_neg ? QSET_NEGATIVE : QSET_DONTKNOW;
    int answers[QSET_MAX_QUESTIONS];
    char uuid[37];
    int first = 1;
    aggr_seed_uuid(s, uuid);
    dashbuf_addf(&body, "%s{\"uuid\":\"%s\",\"set\":\"%s\",\"version\":%d,"
                        "\"mode\":\"%s\",\"lang\":\"sv\",\"proxy\":false,"
                        "\"status\":\"%s\",\"period\":\"%s\",", i ? "," : "",
                 uuid, set, version, mode, status ? status : "complete",
                 period);
    if(track)
      dashbuf_addf(&body, "\"track\":\"%s\",\"care\":\"%s\",", track, care);
    else
      dashbuf_add(&body, "\"track\":null,\"care\":null,");
    dashbuf_add(&body, "\"answers\":[");
    for(q = 0; q < qs->n_questions; q++)
      answers[q] = QSET_UNANSWERED;
    for(q = 0; q < qs->n_questions; q++) {
      const struct qset_question *qq = &qs->questions[q];
      const struct qset_scale *sc;
      int opt;
      if(!qset_applies(qs, q, strcmp(mode, "phone") == 0 ? QSET_MODE_PHONE
                                                          : QSET_MODE_KIOSK,
                       answers))
        continue;
      if(qq->type == QSET_TEXT) {
        if(!comment)
          continue;
        dashbuf_addf(&body, "%s{\"q\":\"%s\",\"text\":", first ? "" : ",",
                     qq->id);
        dashbuf_json(&body, comment);
        dashbuf_add(&body, "}");
        answers[q] = QSET_TEXT_ANSWERED;
        first = 0;
        continue;
      }
      /* Alternate between the positive (negative) options of the scale so
       * both "ganska bra" and "helt" occur. */
      opt = aggr_seed_option(qs, q, cls, i % 2);
      if(opt < 0) {
        pr_seterr(err, "set %s question %s has no option of class %d", set,
                  qq->id, (int)cls);
        goto out;
      }
      sc = qset_question_scale(qs, q);
      answers[q] = opt;
      dashbuf_addf(&body, "%s{\"q\":\"%s\",\"a\":\"%s\"}", first ? "" : ",",
                   qq->id, sc->options[opt].code);
      first = 0;
    }
    dashbuf_add(&body, "]}");
  }
  dashbuf_add(&body, "]}");
  text = dashbuf_take(&body, &len);
  if(!text) {
    pr_seterr(err, "out of memory");
    goto out;
  }
  if(ingest_decode(text, len, 100000, &b, err) != PR_OK)
    goto out;
  if(ingest_store(s->db, s->sc, dev, b, &t, err) != PR_OK)
    goto out;
  for(i = 0; i < b->n; i++)
    if(b->r[i].result != INGEST_STORED) {
      pr_seterr(err, "response %d not stored: %s", i, b->r[i].reason);
      goto out;
    }
  ok = 0;
out:
  ingest_batch_free(b);
  pr_free(text);
  dashbuf_free(&body);
  return ok;
}

/* Weekly call statistics of unit for ISO week ("2026-W10"), stored
 * through the endpoint's own decoder and store (aggcalls.h), as the first
 * kiosk of the unit sends them.  0 / -1 with err. */
static inline int aggr_seed_calls(struct aggr_seed *s, const char *unit,
                                  const char *week, int complete,
                                  int partial, int refused, int notreached,
                                  int deceased, char *err)
{
  const struct aggdev *dev = aggr_seed_dev(s, unit, err);
  struct aggcalls_batch *b = NULL;
  char body[400];
  int ok = -1;

  if(!dev)
    return -1;
  snprintf(body, sizeof(body), "{\"protocol\":1,\"weeks\":[{\"week\":\"%s\","
           "\"attempts\":%d,\"outcomes\":{\"complete\":%d,\"partial\":%d,"
           "\"refused\":%d,\"notreached\":%d,\"deceased\":%d}}]}", week,
           complete + partial + refused + 2 * notreached + deceased, complete,
           partial, refused, notreached, deceased);
  if(aggcalls_decode(body, strlen(body), 100000, &b, err) == PR_OK &&
     aggcalls_store(s->db, dev->unit, dev->id, b, err) == PR_OK)
    ok = 0;
  aggcalls_batch_free(b);
  return ok;
}

/* The region's n of nöjdhet over January to March 2026 (months), as the
 * indicator query answers it: what the seeded rows add up to; -1 when the
 * query fails. */
static inline long aggr_seed_region_n(struct aggdb *db)
{
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  char err[PR_ERR_LEN] = "";
  long n;

  indicq_filter_default(&f);
  pr_strlcpy(f.indicator, "nojdhet", sizeof(f.indicator));
  f.period = INDIC_MONTH;
  f.from = pdate_from_ymd(2026, 1, 1);
  f.to = pdate_from_ymd(2026, 3, 31);
  if(indicq_run(db, &f, &r, err) != PR_OK)
    return -1;
  n = indicq_cell(r, 0, indicq_n_units(r)).s.n;
  indicq_free(r);
  return n;
}

#endif
