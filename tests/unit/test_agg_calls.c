/* test_agg_calls.c — This file contains the tests of the phone follow-up's
 * call statistics at the aggregator (aggcalls.h) on a real database
 * (PR_AGG_TEST_DB, default a fresh SQLite file): hostile bodies refused,
 * what the kiosk's client builds (callsync_body) accepted, a resend that
 * replaces a week and never doubles it, two kiosks of one unit added up,
 * and the response and cooperation rates (RR1, COOP1) read as indicators
 * with the suppression threshold: a small denominator hidden, and COOP1
 * hidden where RR1 minus COOP1 would give a handful not contacted away. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "agg_testdb.h"
#include "aggcalls.h"
#include "aggdev.h"
#include "aggschema.h"
#include "callsync.h"
#include "dashroutes.h"
#include "indicq.h"
#include "pdate.h"

#define UA "SE2321000032-VC0001"
#define UB "SE2321000032-VC0002"
#define UC "SE2321000032-VC0003"

struct fx {
  struct aggdb *db;
  struct aggdev a1, a2, b, c;
};

static int setup(void **state)
{
  struct fx *fx = calloc(1, sizeof(*fx));
  char url[600], err[PR_ERR_LEN] = "", tok[AGGDEV_TOKEN_LEN];
  agg_testdb_url("agg_calls", url, sizeof(url));
  if(aggdb_open(url, &fx->db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(fx->db), 0);
  if(aggschema_migrate_all(fx->db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  assert_int_equal(aggdev_enrol(fx->db, UA, "Telefon 1", tok, &fx->a1, err),
                   PR_OK);
  assert_int_equal(aggdev_enrol(fx->db, UA, "Telefon 2", tok, &fx->a2, err),
                   PR_OK);
  assert_int_equal(aggdev_enrol(fx->db, UB, "Telefon", tok, &fx->b, err),
                   PR_OK);
  assert_int_equal(aggdev_enrol(fx->db, UC, "Telefon", tok, &fx->c, err),
                   PR_OK);
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fx *fx = *state;
  aggdb_close(fx->db);
  free(fx);
  return 0;
}

static long today(void)
{
  long d = 0;
  assert_int_equal(pdate_parse("2026-12-01", &d), 0);
  return d;
}

static void put(struct fx *fx, const struct aggdev *dev, const char *json)
{
  struct aggcalls_batch *b = NULL;
  char err[PR_ERR_LEN] = "";
  if(aggcalls_decode(json, strlen(json), today(), &b, err) != PR_OK)
    fail_msg("decode %s: %s", json, err);
  if(aggcalls_store(fx->db, dev->unit, dev->id, b, err) != PR_OK)
    fail_msg("store: %s", err);
  aggcalls_batch_free(b);
}

static long long one(struct fx *fx, const char *sql)
{
  struct aggdb_conn *c = NULL;
  long long v = -1;
  int found = 0;
  char err[PR_ERR_LEN] = "";
  assert_int_equal(aggdb_acquire(fx->db, &c, err), PR_OK);
  if(aggdb_query_long(c, sql, NULL, 0, &v, &found, err) != PR_OK)
    fail_msg("%s: %s", sql, err);
  aggdb_release(c);
  return v;
}

static void test_refusals(void **state)
{
  static const char *const bad[] = {
    "",
    "[]",
    "{\"protocol\":2,\"weeks\":[]}",
    "{\"protocol\":1}",
    "{\"protocol\":1,\"weeks\":[],\"unit\":\"x\"}",
    "{\"protocol\":1,\"weeks\":[{\"entries\":1}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-48\"}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2019-W10\"}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2027-W30\"}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W40\",\"attempts\":-1}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W40\",\"attempts\":1.5}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W40\",\"name\":\"Karin\"}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W40\",\"outcomes\":"
    "{\"nosuch\":1}}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W40\",\"outcomes\":"
    "{\"complete\":9999999}}]}",
    "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W40\"},"
    "{\"week\":\"2026-W40\"}]}",
    "{\"protocol\":1,\"protocol\":1,\"weeks\":[]}",
  };
  struct aggcalls_batch *b = NULL;
  char err[PR_ERR_LEN], big[64 * 1024];
  size_t i, len = 0;
  (void)state;
  for(i = 0; i < PR_ARRAY_LEN(bad); i++) {
    err[0] = '\0';
    assert_int_equal(aggcalls_decode(bad[i], strlen(bad[i]), today(), &b,
                                     err), PR_EINVAL);
    assert_null(b);
    assert_true(err[0] != '\0');
  }
  /* More weeks than one request may carry. */
  len = (size_t)snprintf(big, sizeof(big), "{\"protocol\":1,\"weeks\":[");
  for(i = 0; i < AGGCALLS_MAX_WEEKS + 1; i++)
    len += (size_t)snprintf(big + len, sizeof(big) - len, "%s{}",
                            i ? "," : "");
  len += (size_t)snprintf(big + len, sizeof(big) - len, "]}");
  assert_int_equal(aggcalls_decode(big, len, today(), &b, err), PR_ELIMIT);
}

static void test_client_body_round_trip(void **state)
{
  struct dispo_week w[2];
  struct aggcalls_batch *b = NULL;
  char err[PR_ERR_LEN] = "", *body = NULL;
  size_t len = 0;
  (void)state;
  memset(w, 0, sizeof(w));
  pr_strlcpy(w[0].week, "2026-W45", sizeof(w[0].week));
  w[0].entries = 12;
  w[0].attempts = 20;
  w[0].outcome[DISPO_COMPLETE] = 7;
  w[0].outcome[DISPO_NOTREACHED] = 2;
  w[0].sip_offered = 3;
  pr_strlcpy(w[1].week, "2026-W46", sizeof(w[1].week));
  w[1].outcome[DISPO_REFUSED] = 1;
  assert_int_equal(callsync_body(w, 2, &body, &len), PR_OK);
  assert_null(strstr(body, "unit"));             /* the token decides it */
  assert_int_equal(aggcalls_decode(body, len, today(), &b, err), PR_OK);
  assert_int_equal(b->n, 2);
  assert_int_equal(b->w[0].n[0], 12);            /* entries */
  assert_int_equal(b->w[0].n[4], 7);             /* complete */
  assert_string_equal(aggcalls_item(4), "complete");
  assert_int_equal(b->w[0].n[16], 2);            /* notreached */
  assert_int_equal(b->w[1].n[6], 1);             /* refused */
  aggcalls_batch_free(b);
  pr_free(body);
}

static void test_resend_replaces(void **state)
{
  struct fx *fx = *state;
  put(fx, &fx->a1, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W45\","
                   "\"attempts\":5,\"outcomes\":{\"complete\":3}}]}");
  /* Lost reply, sent again, and the week grew meanwhile. */
  put(fx, &fx->a1, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W45\","
                   "\"attempts\":5,\"outcomes\":{\"complete\":3}}]}");
  put(fx, &fx->a1, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W45\","
                   "\"attempts\":9,\"outcomes\":{\"complete\":4,"
                   "\"refused\":1}},{\"week\":\"2026-W46\","
                   "\"outcomes\":{\"partial\":1}}]}");
  assert_int_equal(one(fx, "SELECT COUNT(*) FROM callstats"), 2);
  assert_int_equal(one(fx, "SELECT SUM(complete) FROM callstats"), 4);
  assert_int_equal(one(fx, "SELECT SUM(attempts) FROM callstats"), 9);
  /* The second kiosk of the unit adds its own. */
  put(fx, &fx->a2, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W45\","
                   "\"outcomes\":{\"complete\":2}}]}");
  assert_int_equal(one(fx, "SELECT SUM(complete) FROM callstats WHERE unit = "
                           "'" UA "'"), 6);
  assert_int_equal(one(fx, "SELECT COUNT(DISTINCT device) FROM callstats"), 2);
  /* The unit is the device's, whatever was sent. */
  assert_int_equal(one(fx, "SELECT COUNT(*) FROM callstats WHERE unit <> '"
                           UA "'"), 0);
}

static void filter(struct indicq_filter *f, const char *ind, const char *unit)
{
  indicq_filter_default(f);
  pr_strlcpy(f->indicator, ind, sizeof(f->indicator));
  pr_strlcpy(f->unit, unit, sizeof(f->unit));
  f->period = INDIC_MONTH;
  assert_int_equal(pdate_parse_span("2026-10..2026-12", &f->from, &f->to), 0);
}

static void test_rates(void **state)
{
  struct fx *fx = *state;
  struct indicq_filter f;
  struct indicq_result *r = NULL;
  struct indicq_cell c;
  char err[PR_ERR_LEN] = "";
  char (*inds)[INDIC_ID_LEN] = NULL;
  int n = 0, i, have = 0;

  /* November 2026 (weeks by their Monday).  A: 6 complete, 2 refused, 2
   * not reached -> RR1 6/10, COOP1 6/8 with only 2 not contacted.  B:
   * 10 complete, 1 partial, 1 refused, 2 deceased (not eligible) -> RR1
   * = COOP1 = 10/12.  C: 2 complete, 1 refused -> 3: too few.  October:
   * B 6 and C 7 complete, so C's November can be protected inside the
   * quarter. */
  put(fx, &fx->a1, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W45\","
                   "\"outcomes\":{\"complete\":4,\"refused\":2}},"
                   "{\"week\":\"2026-W46\",\"outcomes\":{\"complete\":2,"
                   "\"notreached\":2}}]}");
  put(fx, &fx->b, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W41\","
                  "\"outcomes\":{\"complete\":6}},{\"week\":\"2026-W47\","
                  "\"outcomes\":{\"complete\":10,\"partial\":1,\"refused\":1,"
                  "\"deceased\":2}}]}");
  put(fx, &fx->c, "{\"protocol\":1,\"weeks\":[{\"week\":\"2026-W41\","
                  "\"outcomes\":{\"complete\":7}},{\"week\":\"2026-W47\","
                  "\"outcomes\":{\"complete\":2,\"refused\":1}}]}");

  filter(&f, AGGCALLS_RR1, UA);
  if(indicq_run(fx->db, &f, &r, err) != PR_OK)
    fail_msg("rr1: %s", err);
  assert_string_equal(r->labels[1], "2026-11");
  c = indicq_cell(r, 1, r->focus);
  assert_int_equal(c.mark, SUPP_SHOW);
  assert_int_equal(c.s.n, 10);
  assert_int_equal(c.s.pos, 6);
  assert_true(fabs(c.s.share - 0.6) < 1e-9);
  c = indicq_cell(r, 1, indic_table_unit(r->t, UC));
  assert_int_equal(c.mark, SUPP_PRIMARY);          /* 3 < 5 */
  assert_int_equal(c.s.n, 0);
  /* Its complements: B in November (else the region minus A and B gives
   * C away), and October of B and C (else B's quarter does). */
  assert_int_equal(indicq_cell(r, 1, indic_table_unit(r->t, UB)).mark,
                   SUPP_COMPLEMENT);
  assert_int_not_equal(indicq_cell(r, 0, indic_table_unit(r->t, UC)).mark,
                       SUPP_SHOW);
  indicq_free(r);
  r = NULL;

  filter(&f, AGGCALLS_COOP1, UB);
  if(indicq_run(fx->db, &f, &r, err) != PR_OK)
    fail_msg("coop1: %s", err);
  /* A's COOP1 (n 8) next to its RR1 (n 10) would give 2 not contacted
   * away: hidden. */
  c = indicq_cell(r, 1, indic_table_unit(r->t, UA));
  assert_int_not_equal(c.mark, SUPP_SHOW);
  indicq_free(r);
  r = NULL;

  /* The rates have no mode/track cut. */
  filter(&f, AGGCALLS_RR1, UA);
  pr_strlcpy(f.mode, "phone", sizeof(f.mode));
  assert_int_equal(indicq_run(fx->db, &f, &r, err), PR_EINVAL);
  assert_non_null(strstr(err, "call rates"));

  /* Listed once call statistics exist; known names. */
  assert_int_equal(indicq_indicators(fx->db, &inds, &n, err), PR_OK);
  for(i = 0; i < n; i++)
    have += !strcmp(inds[i], AGGCALLS_RR1) || !strcmp(inds[i], AGGCALLS_COOP1);
  assert_int_equal(have, 2);
  pr_free(inds);
  assert_int_equal(indicq_check_names(fx->db, AGGCALLS_COOP1, UA, err), PR_OK);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_refusals),
    cmocka_unit_test(test_client_body_round_trip),
    cmocka_unit_test_setup_teardown(test_resend_replaces, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rates, setup, teardown),
  };
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_ERROR);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
