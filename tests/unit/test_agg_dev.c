/* This file contains the tests of device enrolment and token checks:
 * HSA-id and name validation, a token that works, every way a token can be
 * wrong (malformed, unknown id, wrong secret, revoked), revoking twice, and
 * the device list that `rost-agg devices` prints.  Database from
 * PR_AGG_TEST_DB or a fresh SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"
#include "aggdev.h"
#include "aggschema.h"

static struct aggdb *fresh(void)
{
  struct aggdb *db = NULL;
  char url[600], err[PR_ERR_LEN] = "";

  agg_testdb_url("agg_dev", url, sizeof(url));
  if(aggdb_open(url, &db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(db), 0);
  if(aggschema_migrate(db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  return db;
}

static enum pr_rc auth(struct aggdb *db, const char *tok, struct aggdev *d,
                       char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc = aggdb_acquire(db, &c, err);

  if(rc == PR_OK)
    rc = aggdev_auth(c, tok, d, err);
  aggdb_release(c);
  return rc;
}

static void test_units_and_names(void **state)
{
  struct aggdb *db = fresh();
  char tok[AGGDEV_TOKEN_LEN], err[PR_ERR_LEN];
  static const char *const bad_units[] = {
    "", "SE232100003-ABC", "SE2321000032ABC", "se2321000032-ABC",
    "SE2321000032-", "SE2321000032-abc", "SE2321000032-A B",
    "SE2321000032-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "SE2321000032-ÅÄÖ",
  };
  size_t i;

  assert_true(aggdev_valid_unit("SE2321000032-ABC123"));
  for(i = 0; i < PR_ARRAY_LEN(bad_units); i++) {
    if(aggdev_valid_unit(bad_units[i]))
      fail_msg("accepted unit \"%s\"", bad_units[i]);
    assert_int_equal(aggdev_enrol(db, bad_units[i], "x", tok, NULL, err),
                     PR_EINVAL);
    assert_string_equal(tok, "");
  }
  assert_int_equal(aggdev_enrol(db, "SE2321000032-ABC123", "", tok, NULL,
                                err), PR_EINVAL);
  assert_int_equal(aggdev_enrol(db, "SE2321000032-ABC123", "a\nb", tok, NULL,
                                err), PR_EINVAL);
  assert_int_equal(aggdev_enrol(db, "SE2321000032-ABC123", "Väntrum plan 2",
                                tok, NULL, err), PR_OK);
  aggdb_close(db);
}

static void test_tokens(void **state)
{
  struct aggdb *db = fresh();
  char tok[AGGDEV_TOKEN_LEN], tok2[AGGDEV_TOKEN_LEN], bad[AGGDEV_TOKEN_LEN];
  char err[PR_ERR_LEN] = "";
  struct aggdev d, d1, d2;
  struct aggdev *list = NULL;
  int n = 0;
  size_t i;

  assert_int_equal(aggdev_enrol(db, "SE2321000032-VC0001", "a", tok, &d1,
                                err), PR_OK);
  assert_int_equal(aggdev_enrol(db, "SE2321000032-VC0002", "b", tok2, &d2,
                                err), PR_OK);
  assert_int_equal(strlen(tok), 82);
  assert_string_not_equal(tok, tok2);
  assert_int_equal(auth(db, tok, &d, err), PR_OK);
  assert_string_equal(d.id, d1.id);
  assert_string_equal(d.unit, "SE2321000032-VC0001");
  assert_int_equal(auth(db, tok2, &d, err), PR_OK);
  assert_string_equal(d.unit, "SE2321000032-VC0002");

  /* Every way to be wrong is PR_EAUTH, and the error never echoes the
   * secret. */
  {
    const char *cases[8];
    char wrong_secret[AGGDEV_TOKEN_LEN], other_id[AGGDEV_TOKEN_LEN];
    snprintf(wrong_secret, sizeof(wrong_secret), "%s", tok);
    wrong_secret[81] = wrong_secret[81] == 'a' ? 'b' : 'a';
    /* tok2's id with tok's secret: a valid secret of another device. */
    snprintf(other_id, sizeof(other_id), "%.*s%s",
             (int)(strchr(tok2, '.') - tok2), tok2, strchr(tok, '.'));
    cases[0] = "";
    cases[1] = "nodot";
    cases[2] = wrong_secret;
    cases[3] = other_id;
    cases[4] = "k0000000000000000.0000000000000000000000000000000000000000000000000000000000000000";
    cases[5] = "x'--.0000000000000000000000000000000000000000000000000000000000000000";
    snprintf(bad, sizeof(bad), "%s", tok);
    bad[strlen(bad) - 1] = '\0';            /* secret one digit short */
    cases[6] = bad;
    cases[7] = NULL;
    for(i = 0; cases[i]; i++) {
      err[0] = '\0';
      if(auth(db, cases[i], &d, err) != PR_EAUTH)
        fail_msg("case %zu accepted", i);
      assert_null(strstr(err, strchr(tok, '.') + 1));
      assert_string_equal(d.id, "");
    }
    assert_int_equal(auth(db, NULL, &d, err), PR_EAUTH);
  }

  /* Revoked: refused, and revoking twice says there is no active device. */
  assert_int_equal(aggdev_revoke(db, d1.id, err), PR_OK);
  assert_int_equal(auth(db, tok, &d, err), PR_EAUTH);
  assert_non_null(strstr(err, "revoked"));
  assert_int_equal(aggdev_revoke(db, d1.id, err), PR_ENOTFOUND);
  assert_int_equal(aggdev_revoke(db, "k-nosuch", err), PR_ENOTFOUND);
  assert_int_equal(auth(db, tok2, &d, err), PR_OK);

  /* The list: never-synced first, then by last sync. */
  {
    struct aggdb_conn *c = NULL;
    assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
    struct aggdev seen = d1;
    seen.last_sync = 0;
    assert_int_equal(aggdev_seen(c, &seen, 7200 + 1000, err), PR_OK);
    /* Not backwards, and within the hour no change. */
    seen.last_sync = 0;
    assert_int_equal(aggdev_seen(c, &seen, 3600 + 5, err), PR_OK);
    aggdb_release(c);
  }
  assert_int_equal(aggdev_list(db, &list, &n, err), PR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(list[0].id, d2.id);
  assert_true(list[0].last_sync == 0);
  assert_string_equal(list[1].id, d1.id);
  assert_true(list[1].last_sync == 7200);   /* to the hour only */
  assert_true(list[1].revoked_at != 0);
  pr_free(list);
  aggdb_close(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_units_and_names),
    cmocka_unit_test(test_tokens),
  };
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_ERROR);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
