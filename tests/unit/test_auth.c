/* test_auth.c — This file contains the tests of accounts, sessions, API
 * tokens, the sign-in slow-down and the audit log on a real database
 * (PR_AGG_TEST_DB, default SQLite): what a person signing in would see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"
#include "audit.h"
#include "auth.h"

#define T0 1795000000L   /* 2026-11-18 */
#define UA "SE2321000032-VC0001"

static int setup(void **state)
{
  struct aggdb *db = NULL;
  char url[600], err[PR_ERR_LEN] = "";
  assert_int_equal(pr_init(), PR_OK);
  agg_testdb_url("aggr_auth", url, sizeof(url));
  if(aggdb_open(url, &db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(db), 0);
  if(auth_migrate(db, err) != PR_OK || audit_migrate(db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  aggdb_close(*state);
  return 0;
}

static void test_accounts_and_sessions(void **state)
{
  struct aggdb *db = *state;
  char sess[AUTH_TOKEN_LEN], err[PR_ERR_LEN] = "";
  struct auth_principal p;
  long retry = 0;

  /* Bad accounts are refused with a reason. */
  assert_int_equal(auth_user_add(db, "anna", AUTH_UNIT, NULL, "langtlosenord1",
                                 err), PR_EINVAL);
  assert_non_null(strstr(err, "unit"));
  assert_int_equal(auth_user_add(db, "anna", AUTH_REGION, UA,
                                 "langtlosenord1", err), PR_EINVAL);
  assert_int_equal(auth_user_add(db, "anna", AUTH_UNIT, UA, "kort", err),
                   PR_EINVAL);
  assert_int_equal(auth_user_add(db, "anna berg", AUTH_UNIT, UA,
                                 "langtlosenord1", err), PR_EINVAL);
  assert_int_equal(auth_user_add(db, "anna", AUTH_UNIT, UA, "langtlosenord1",
                                 err), PR_OK);
  /* The stored hash is Argon2id, never the password. */
  {
    struct aggdb_conn *c = NULL;
    char *h = NULL;
    struct aggdb_param prm[1] = {AGGDB_TEXT("anna")};
    assert_int_equal(aggdb_acquire(db, &c, err), PR_OK);
    assert_int_equal(aggdb_query_text(c, "SELECT pwhash FROM accounts WHERE"
                                         " name = $1", prm, 1, &h, err), PR_OK);
    aggdb_release(c);
    assert_non_null(h);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_null(strstr(h, "langtlosenord1"));
    pr_free(h);
  }

  assert_int_equal(auth_login(db, "anna", "fel-losenord", T0, sess, &retry,
                              err), PR_EAUTH);
  assert_string_equal(sess, "");
  assert_int_equal(auth_login(db, "okand", "langtlosenord1", T0, sess, &retry,
                              err), PR_EAUTH);
  assert_int_equal(auth_login(db, "anna", "langtlosenord1", T0, sess, &retry,
                              err), PR_OK);
  assert_int_equal(strlen(sess), 64);
  assert_int_equal(auth_session(db, sess, T0 + 60, &p, err), PR_OK);
  assert_string_equal(p.name, "anna");
  assert_int_equal(p.role, AUTH_UNIT);
  assert_string_equal(p.unit, UA);
  assert_int_equal(p.via_token, 0);
  /* Expired after 8 hours; unknown and malformed ids refused. */
  assert_int_equal(auth_session(db, sess, T0 + AUTH_SESSION_SECONDS + 1, &p,
                                err), PR_EAUTH);
  assert_string_equal(p.name, "");
  assert_int_equal(auth_session(db, "00", T0, &p, err), PR_EAUTH);
  {
    char other[AUTH_TOKEN_LEN];
    auth_random_hex(other);
    assert_int_equal(auth_session(db, other, T0, &p, err), PR_EAUTH);
  }
  assert_int_equal(auth_logout(db, sess, err), PR_OK);
  assert_int_equal(auth_session(db, sess, T0 + 60, &p, err), PR_EAUTH);
}

static void test_slow_down(void **state)
{
  struct aggdb *db = *state;
  char sess[AUTH_TOKEN_LEN], err[PR_ERR_LEN] = "";
  long retry = 0, t = T0;
  int i;

  assert_int_equal(auth_user_add(db, "bo", AUTH_REGION, NULL,
                                 "ettlangtlosenord", err), PR_OK);
  for(i = 0; i < AUTH_FREE_FAILURES - 1; i++) {
    assert_int_equal(auth_login(db, "bo", "gissning", t, sess, &retry, err),
                     PR_EAUTH);
    assert_int_equal(retry, 0);
  }
  /* The third failure starts the wait; attempts inside it are refused
   * without a password check, even with the right password. */
  assert_int_equal(auth_login(db, "bo", "gissning", t, sess, &retry, err),
                   PR_EAUTH);
  assert_int_equal(retry, 2);
  assert_int_equal(auth_login(db, "bo", "ettlangtlosenord", t + 1, sess,
                              &retry, err), PR_EBUSY);
  assert_int_equal(retry, 1);
  /* Each further failure doubles the wait. */
  t += 2;
  assert_int_equal(auth_login(db, "bo", "gissning", t, sess, &retry, err),
                   PR_EAUTH);
  assert_int_equal(retry, 4);
  t += 4;
  assert_int_equal(auth_login(db, "bo", "gissning", t, sess, &retry, err),
                   PR_EAUTH);
  assert_int_equal(retry, 8);
  t += 8;
  /* The right password after the wait works and resets the count. */
  assert_int_equal(auth_login(db, "bo", "ettlangtlosenord", t, sess, &retry,
                              err), PR_OK);
  assert_int_equal(auth_login(db, "bo", "gissning", t, sess, &retry, err),
                   PR_EAUTH);
  assert_int_equal(retry, 0);
}

static void test_tokens_and_rules(void **state)
{
  struct aggdb *db = *state;
  char tok[AUTH_TOKEN_LEN], err[PR_ERR_LEN] = "", val[80];
  struct auth_principal p;

  assert_int_equal(auth_token_add(db, "nattjobb", AUTH_UNIT, UA, tok, err),
                   PR_OK);
  assert_int_equal(auth_token_check(db, tok, &p, err), PR_OK);
  assert_int_equal(p.role, AUTH_UNIT);
  assert_int_equal(p.via_token, 1);
  assert_true(auth_may_read_unit(&p, UA));
  assert_true(auth_may_read_unit(&p, ""));         /* the region average */
  assert_false(auth_may_read_unit(&p, "SE2321000032-VC0002"));
  tok[0] = tok[0] == 'a' ? 'b' : 'a';
  assert_int_equal(auth_token_check(db, tok, &p, err), PR_EAUTH);
  assert_int_equal(auth_token_check(db, "x' OR '1'='1", &p, err), PR_EAUTH);
  p.role = AUTH_REGION;
  p.unit[0] = '\0';
  assert_true(auth_may_read_unit(&p, "SE2321000032-VC0002"));
  assert_false(auth_may_read_unit(NULL, UA));

  assert_int_equal(auth_cookie_get("a=1; pr_session=abc; b=2", "pr_session",
                                   val, sizeof(val)), 0);
  assert_string_equal(val, "abc");
  assert_int_equal(auth_cookie_get("xpr_session=abc", "pr_session", val,
                                   sizeof(val)), -1);
  assert_true(auth_equal("abc", "abc"));
  assert_false(auth_equal("abc", "abd"));
  assert_false(auth_equal("abc", "abcd"));
}

struct seen {
  int n;
  char who[64], what[32], detail[128];
};

static int audit_cb(void *ctx, long when, const char *who, const char *what,
                    const char *detail)
{
  struct seen *s = ctx;
  if(s->n++ == 0) {
    pr_strlcpy(s->who, who, sizeof(s->who));
    pr_strlcpy(s->what, what, sizeof(s->what));
    pr_strlcpy(s->detail, detail, sizeof(s->detail));
  }
  return 0;
}

static void test_audit(void **state)
{
  struct aggdb *db = *state;
  char err[PR_ERR_LEN] = "", longer[700];
  struct seen s;

  memset(&s, 0, sizeof(s));
  assert_int_equal(audit_log(db, T0, "anna", "indicators",
                             "indicator=nojdhet unit=" UA, err), PR_OK);
  memset(longer, 'x', sizeof(longer) - 1);
  longer[sizeof(longer) - 1] = '\0';
  longer[509] = (char)0xC3;   /* a split 'Ã…' must not leave half a char */
  longer[510] = (char)0xA5;
  longer[511] = (char)0xC3;
  longer[512] = (char)0xA5;
  assert_int_equal(audit_log(db, T0 + 5, "bo", "dashboard", longer, err),
                   PR_OK);
  assert_int_equal(audit_list(db, T0, T0 + 10, 10, audit_cb, &s, err), PR_OK);
  assert_int_equal(s.n, 2);
  assert_string_equal(s.who, "bo");       /* newest first */
  assert_string_equal(s.what, "dashboard");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_accounts_and_sessions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_slow_down, setup, teardown),
    cmocka_unit_test_setup_teardown(test_tokens_and_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
