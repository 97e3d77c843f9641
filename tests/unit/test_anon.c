/* test_anon.c — This file contains the tests of the anonymisation
 * (survey/anon.c): responses saved in a real store file are turned into
 * wire records that carry exactly the protocol's fields, a coarsened
 * period, scrubbed text, and nothing of the unit, the exact date or
 * planted identifiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "anon.h"
#include "store.h"

static struct store *open_fresh(const char *name)
{
  char path[512];
  struct store *s = NULL;
  char err[PR_ERR_LEN];
  snprintf(path, sizeof(path), "%s/%s", PR_TEST_OUT, name);
  unlink(path);
  assert_int_equal(store_open(path, &s, err), PR_OK);
  return s;
}

static struct store_response *save(struct store *s, const struct store_new *n,
                                   const char *text, enum store_status fin)
{
  char uuid[STORE_UUID_LEN], err[PR_ERR_LEN];
  struct store_response *r = NULL;
  enum pr_rc rc = store_begin(s, n, uuid, err);
  if(rc != PR_OK)
    fail_msg("store_begin: %s", err);
  assert_int_equal(store_answer(s, uuid, "nojdhet", "mycket", NULL, err),
                   PR_OK);
  if(text)
    assert_int_equal(store_answer(s, uuid, "kommentar", NULL, text, err),
                     PR_OK);
  if(fin != STORE_IN_PROGRESS)
    assert_int_equal(store_finish(s, uuid, fin, err), PR_OK);
  assert_int_equal(store_get(s, uuid, &r, err), PR_OK);
  return r;
}

static void test_kiosk_fields(void **state)
{
  struct store *s = open_fresh("anon1.db");
  struct store_new n = {.set_id = "kiosk-besok", .set_version = 3,
                        .unit = "SE2321000032-ABC123", .mode = QSET_MODE_KIOSK,
                        .lang = "sv", .proxy = 0, .date = "2026-11-24"};
  struct store_response *r;
  json_t *o = NULL, *a;
  char *dump;
  const char *key;
  json_t *v;
  int nkeys = 0, scrubbed = -1;
  char err[PR_ERR_LEN];
  static const char *const allowed[] = {"uuid", "set", "version", "mode",
    "lang", "proxy", "status", "period", "track", "care", "answers"};
  (void)state;

  r = save(s, &n, "Ring mig på 070-174 06 05, pnr 19121212-1212, "
           "mejla eva.ek@example.se.\r\x1b Mvh\tEva", STORE_COMPLETE);
  /* Even if a kiosk row carried phone fields they must not be sent. */
  pr_strlcpy(r->track, "gul", sizeof(r->track));
  pr_strlcpy(r->care, "somatisk", sizeof(r->care));
  assert_int_equal(anon_response(r, ANON_WEEK, &o, &scrubbed, err), PR_OK);
  assert_int_equal(scrubbed, 3);
  json_object_foreach(o, key, v) {
    int found = 0;
    for(size_t i = 0; i < PR_ARRAY_LEN(allowed); i++)
      found |= strcmp(key, allowed[i]) == 0;
    if(!found)
      fail_msg("field '%s' must not leave the kiosk", key);
    nkeys++;
  }
  assert_int_equal(nkeys, (int)PR_ARRAY_LEN(allowed));
  assert_string_equal(json_string_value(json_object_get(o, "uuid")), r->uuid);
  assert_string_equal(json_string_value(json_object_get(o, "period")),
                      "2026-W48");
  assert_string_equal(json_string_value(json_object_get(o, "mode")), "kiosk");
  assert_string_equal(json_string_value(json_object_get(o, "status")),
                      "complete");
  assert_true(json_is_false(json_object_get(o, "proxy")));
  /* A kiosk response never carries phone fields. */
  assert_true(json_is_null(json_object_get(o, "track")));
  assert_true(json_is_null(json_object_get(o, "care")));
  a = json_object_get(o, "answers");
  assert_int_equal(json_array_size(a), 2);
  dump = json_dumps(o, JSON_SORT_KEYS);
  assert_non_null(dump);
  assert_null(strstr(dump, "SE2321000032"));
  assert_null(strstr(dump, "2026-11-24"));
  assert_null(strstr(dump, "174 06 05"));
  assert_null(strstr(dump, "1212"));
  assert_null(strstr(dump, "eva.ek"));
  assert_non_null(strstr(dump, "Ring mig på [telefon], pnr [personnummer], "
                               "mejla [e-post].   Mvh\\tEva"));
  free(dump);
  json_decref(o);

  /* Month coarsening. */
  assert_int_equal(anon_response(r, ANON_MONTH, &o, NULL, err), PR_OK);
  assert_string_equal(json_string_value(json_object_get(o, "period")),
                      "2026-11");
  json_decref(o);
  store_responses_free(r, 1);
  store_close(s);
}

static void test_phone_fields(void **state)
{
  struct store *s = open_fresh("anon2.db");
  struct store_new n = {.set_id = "ring-upp", .set_version = 1,
                        .unit = "SE2321000032-ABC123", .mode = QSET_MODE_PHONE,
                        .lang = "sv", .proxy = 1, .track = "rod",
                        .care = "psykiatrisk", .date = "2027-01-01"};
  struct store_response *r;
  json_t *o = NULL;
  char err[PR_ERR_LEN];
  (void)state;

  r = save(s, &n, NULL, STORE_ABANDONED);
  assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_OK);
  /* 2027-01-01 is a Friday in ISO week 53 of 2026. */
  assert_string_equal(json_string_value(json_object_get(o, "period")),
                      "2026-W53");
  assert_string_equal(json_string_value(json_object_get(o, "mode")), "phone");
  assert_string_equal(json_string_value(json_object_get(o, "track")), "rod");
  assert_string_equal(json_string_value(json_object_get(o, "care")),
                      "psykiatrisk");
  assert_string_equal(json_string_value(json_object_get(o, "status")),
                      "abandoned");
  assert_true(json_is_true(json_object_get(o, "proxy")));
  json_decref(o);

  /* A track that is not one of the protocol's words is not passed on
   * (it could be anything typed in). */
  pr_strlcpy(r->track, "Anna 0701740605", sizeof(r->track));
  assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_OK);
  assert_true(json_is_null(json_object_get(o, "track")));
  json_decref(o);
  store_responses_free(r, 1);
  store_close(s);
}

static void test_refused(void **state)
{
  struct store *s = open_fresh("anon3.db");
  struct store_new n = {.set_id = "kiosk-besok", .set_version = 1,
                        .unit = "SE2321000032-ABC123", .mode = QSET_MODE_KIOSK,
                        .lang = "sv", .date = "2026-11-24"};
  struct store_response *r;
  json_t *o = (json_t *)1;
  char err[PR_ERR_LEN];
  (void)state;

  r = save(s, &n, NULL, STORE_IN_PROGRESS);
  assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_EINVAL);
  assert_null(o);
  assert_non_null(strstr(err, "not finished"));
  r->status = STORE_COMPLETE;
  pr_strlcpy(r->date, "2026-13-01", sizeof(r->date));
  assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_EINVAL);
  assert_non_null(strstr(err, "bad date"));
  pr_strlcpy(r->date, "2026-11-24", sizeof(r->date));
  pr_strlcpy(r->lang, "s\"v", sizeof(r->lang));
  assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_EINVAL);
  assert_non_null(strstr(err, "language"));
  pr_strlcpy(r->lang, "sv", sizeof(r->lang));
  {
    /* Text that is not UTF-8 (a broken byte) is named, not sent. */
    struct store_answer bad = {.question = "kommentar", .option = "",
                               .text = (char *)"Bra \xff\xfe bem\xc3"};
    struct store_answer *keep = r->answers;
    int keep_n = r->n_answers;
    r->answers = &bad;
    r->n_answers = 1;
    assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_EINVAL);
    assert_non_null(strstr(err, "not valid UTF-8"));
    assert_null(o);
    r->answers = keep;
    r->n_answers = keep_n;
  }
  pr_strlcpy(r->uuid, "not-a-uuid", sizeof(r->uuid));
  assert_int_equal(anon_response(r, ANON_WEEK, &o, NULL, err), PR_EINVAL);
  store_responses_free(r, 1);
  store_close(s);
}

/* Every allocation failure gives PR_ENOMEM and no object, never a crash
 * or a half-built record. */
static void test_alloc_failure(void **state)
{
  struct store *s = open_fresh("anon4.db");
  struct store_new n = {.set_id = "kiosk-besok", .set_version = 1,
                        .unit = "SE2321000032-ABC123", .mode = QSET_MODE_KIOSK,
                        .lang = "sv", .date = "2026-11-24"};
  struct store_response *r;
  char err[PR_ERR_LEN];
  int ok = 0, failed = 0;
  (void)state;
  r = save(s, &n, "Ring 070-174 06 05", STORE_COMPLETE);
  for(long k = 0; k < 200 && ok == 0; k++) {
    json_t *o = (json_t *)1;
    enum pr_rc rc;
    pr_alloc_fail_after(k);
    rc = anon_response(r, ANON_WEEK, &o, NULL, err);
    pr_alloc_fail_after(-1);
    if(rc == PR_OK) {
      ok = 1;
      json_decref(o);
    } else {
      assert_int_equal(rc, PR_ENOMEM);
      assert_null(o);
      failed++;
    }
  }
  assert_true(ok);
  assert_true(failed > 3);
  store_responses_free(r, 1);
  store_close(s);
}

static void test_period_parse(void **state)
{
  enum anon_period p = ANON_MONTH;
  (void)state;
  assert_int_equal(anon_period_parse("week", &p), 0);
  assert_int_equal(p, ANON_WEEK);
  assert_int_equal(anon_period_parse("month", &p), 0);
  assert_int_equal(p, ANON_MONTH);
  assert_int_equal(anon_period_parse("day", &p), -1);
  assert_int_equal(anon_period_parse(NULL, &p), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_kiosk_fields),
    cmocka_unit_test(test_phone_fields),
    cmocka_unit_test(test_refused),
    cmocka_unit_test(test_period_parse),
    cmocka_unit_test(test_alloc_failure),
  };
  if(pr_init() != PR_OK)   /* jansson allocates through the hook too */
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
