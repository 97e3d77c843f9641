/* aggcalls.h — the phone follow-up's weekly call statistics sent by the
 * kiosks (POST /api/v1/callstats, sync/PROTOCOL.md): per ISO week, the
 * entries added, calls made, each final disposition (survey/dispo.h) and
 * SIPs offered/accepted — counts only, no personal data.  Stored per unit
 * (always the token's), device and week; a resend replaces that week's
 * counts for the device, it never adds to them.  The response rate (AAPOR
 * RR1) and cooperation rate (COOP1) are read from here as the indicators
 * AGGCALLS_RR1 / AGGCALLS_COOP1 (indicq.h), suppressed like any other. */
#ifndef AGGCALLS_H
#define AGGCALLS_H

#include "aggdb.h"
#include "aggsrv.h"

#define AGGCALLS_PROTOCOL 1
#define AGGCALLS_MAX_WEEKS 520      /* ten years in one request */
#define AGGCALLS_MAX_COUNT 1000000L
#define AGGCALLS_RR1 "svarsfrekvens"
#define AGGCALLS_COOP1 "samarbetsgrad"

/* The counted items, in column order: "entries", "attempts",
 * "sip_offered", "sip_accepted", then every disposition code of
 * survey/dispo.h. */
#define AGGCALLS_N_ITEMS 17
const char *aggcalls_item(int i);

struct aggcalls_week {
  long week_start;                  /* day number of the Monday */
  long n[AGGCALLS_N_ITEMS];
};

struct aggcalls_batch {
  int n;
  struct aggcalls_week *w;
};

/* Decode and check a request body (bytes from the network): protocol 1,
 * "weeks" an array of at most AGGCALLS_MAX_WEEKS objects with "week"
 * ("2026-W48", from 2020 up to a week after today) and counts 0..
 * AGGCALLS_MAX_COUNT ("outcomes" keyed by disposition code); unknown or
 * duplicate members and weeks are refused.  PR_EINVAL with err (400),
 * PR_ELIMIT over the week limit (413).  *out: aggcalls_batch_free. */
enum pr_rc aggcalls_decode(const char *body, size_t len, long today,
                           struct aggcalls_batch **out, char *err) PR_MUST;
void aggcalls_batch_free(struct aggcalls_batch *b);    /* NULL-safe */

/* Replace the weeks of b for (unit, device) in one transaction. */
enum pr_rc aggcalls_store(struct aggdb *db, const char *unit,
                          const char *device, const struct aggcalls_batch *b,
                          char *err) PR_MUST;

/* 1 for AGGCALLS_RR1 / AGGCALLS_COOP1. */
int aggcalls_is_rate(const char *indicator);
/* SQL sums for a rate: pos = completed interviews (AAPOR I), neg = the
 * rest of its denominator — RR1: partial, refused and not contacted
 * (P + R + NC); COOP1: P + R.  Not eligible and not-yet-final outcomes
 * are in neither.  Built from dispo.h's categories. */
void aggcalls_rate_sql(int coop, char *pos, size_t pos_cap, char *neg,
                       size_t neg_cap);

/* POST /api/v1/callstats (device token). */
void agg_h_callstats(struct agg_server *s, struct agg_req *rq,
                     struct agg_resp *rs);

/* Schema: the table "callstats" (agg component, aggschema.c step 3). */
#define AGGCALLS_SCHEMA \
  "CREATE TABLE callstats (" \
  " unit TEXT NOT NULL, device TEXT NOT NULL, week_start BIGINT NOT NULL," \
  " month_start BIGINT NOT NULL," \
  " entries BIGINT NOT NULL DEFAULT 0, attempts BIGINT NOT NULL DEFAULT 0," \
  " sip_offered BIGINT NOT NULL DEFAULT 0," \
  " sip_accepted BIGINT NOT NULL DEFAULT 0," \
  " complete BIGINT NOT NULL DEFAULT 0, partial BIGINT NOT NULL DEFAULT 0," \
  " refused BIGINT NOT NULL DEFAULT 0, noanswer BIGINT NOT NULL DEFAULT 0," \
  " busy BIGINT NOT NULL DEFAULT 0, voicemail BIGINT NOT NULL DEFAULT 0," \
  " wrongnumber BIGINT NOT NULL DEFAULT 0," \
  " callback BIGINT NOT NULL DEFAULT 0, deceased BIGINT NOT NULL DEFAULT 0," \
  " readmitted BIGINT NOT NULL DEFAULT 0," \
  " language BIGINT NOT NULL DEFAULT 0, unable BIGINT NOT NULL DEFAULT 0," \
  " notreached BIGINT NOT NULL DEFAULT 0," \
  " PRIMARY KEY (unit, device, week_start));" \
  "CREATE INDEX callstats_month ON callstats (month_start, unit);" \
  "CREATE INDEX callstats_week ON callstats (week_start, unit);"

#endif
