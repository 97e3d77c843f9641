/* test_sync_wire.c — This file contains the tests of the client's protocol
 * decoding (sync/wire.c): only a well-formed protocol reply acknowledges
 * anything; captive-portal HTML, truncated or mistyped JSON, unknown
 * statuses and unsafe set ids are refused with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wire.h"

#define U1 "3b1f0f3e-8a53-4f0e-9d0a-2f8f2c1a9b7e"
#define U2 "77aa0f3e-8a53-4f0e-9d0a-2f8f2c1a9b7e"

static enum pr_rc parse(const char *body, struct wire_result **r, int *n,
                        char *err)
{
  return wire_parse_results(body, strlen(body), r, n, err);
}

static void test_good_reply(void **state)
{
  struct wire_result *r = NULL;
  int n = -1;
  char err[PR_ERR_LEN];
  (void)state;
  assert_int_equal(parse("{\"protocol\":1,\"results\":["
                         "{\"uuid\":\"" U1 "\",\"status\":\"stored\"},"
                         "{\"uuid\":\"" U2 "\",\"status\":\"rejected\","
                         "\"reason\":\"unknown question 'x'\\n\\u0007\"}],"
                         "\"extra\":true}", &r, &n, err), PR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(r[0].uuid, U1);
  assert_int_equal(r[0].status, WIRE_STORED);
  assert_int_equal(r[1].status, WIRE_REJECTED);
  /* Control characters from the network never reach logs or the UI. */
  assert_string_equal(r[1].reason, "unknown question 'x'??");
  pr_free(r);
}

static void test_refused_replies(void **state)
{
  static const char *const bad[] = {
    "<html><body>Logga in p\xc3\xa5 WiFi</body></html>",
    "{\"protocol\":1,\"results\":[{\"uuid\":\"" U1 "\",\"status\":\"sto",
    "{\"protocol\":2,\"results\":[]}",
    "{\"results\":[]}",
    "{\"protocol\":1,\"results\":{}}",
    "{\"protocol\":1,\"results\":[{\"uuid\":\"" U1 "\",\"status\":\"ok\"}]}",
    "{\"protocol\":1,\"results\":[{\"uuid\":\"not-a-uuid\",\"status\":\"stored\"}]}",
    "{\"protocol\":1,\"results\":[{\"uuid\":1,\"status\":\"stored\"}]}",
    "{\"protocol\":1,\"results\":[\"" U1 "\"]}",
    "[1,2,3]",
    "",
    "{\"protocol\":1,\"protocol\":1,\"results\":[]}",
  };
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++) {
    struct wire_result *r = (struct wire_result *)1;
    int n = -1;
    char err[PR_ERR_LEN] = "";
    assert_int_equal(parse(bad[i], &r, &n, err), PR_EPROTO);
    assert_null(r);
    assert_int_equal(n, 0);
    assert_true(strlen(err) > 5);
  }
}

static void test_sets(void **state)
{
  struct wire_set *s = NULL;
  int n = 0;
  char err[PR_ERR_LEN];
  const char *good = "{\"sets\":[{\"id\":\"kiosk-besok\",\"version\":2,"
    "\"sha256\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}]}";
  static const char *const bad[] = {
    "{\"sets\":[{\"id\":\"../../etc/passwd\",\"version\":1}]}",
    "{\"sets\":[{\"id\":\"a/b\",\"version\":1}]}",
    "{\"sets\":[{\"id\":\"kiosk\",\"version\":0}]}",
    "{\"sets\":[{\"id\":\"kiosk\",\"version\":\"2\"}]}",
    "{\"sets\":[{\"id\":\"kiosk\",\"version\":2,\"sha256\":\"xyz\"}]}",
    "{\"sets\":{}}",
    "<html>",
  };
  (void)state;
  assert_int_equal(wire_parse_sets(good, strlen(good), &s, &n, err), PR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(s[0].id, "kiosk-besok");
  assert_int_equal(s[0].version, 2);
  pr_free(s);
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++) {
    s = (struct wire_set *)1;
    assert_int_equal(wire_parse_sets(bad[i], strlen(bad[i]), &s, &n, err),
                     PR_EPROTO);
    assert_null(s);
  }
}

static void test_request_and_error_text(void **state)
{
  json_t *recs = json_pack("[{s:s}]", "uuid", U1);
  char *body = NULL, buf[64];
  size_t len = 0;
  const char *eb = "{\"error\":\"busy\",\"message\":\"database\\u0007 down\"}";
  (void)state;
  assert_int_equal(wire_request(recs, &body, &len), PR_OK);
  assert_string_equal(body, "{\"protocol\":1,\"responses\":[{\"uuid\":\""
                      U1 "\"}]}");
  assert_int_equal(len, strlen(body));
  pr_free(body);
  json_decref(recs);
  wire_error_text(eb, strlen(eb), buf, sizeof(buf));
  assert_string_equal(buf, "database? down");
  wire_error_text("<html>", 6, buf, sizeof(buf));
  assert_string_equal(buf, "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_good_reply),
    cmocka_unit_test(test_refused_replies),
    cmocka_unit_test(test_sets),
    cmocka_unit_test(test_request_and_error_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
