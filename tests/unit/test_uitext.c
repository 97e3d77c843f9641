/* test_uitext.c — This file contains the unit tests of the kiosk's own
 * words (kiosk/uitext.c): the shipped assets/kiosk/ui-text.json loads and
 * carries every patient text in every language the shipped sets offer;
 * files missing a Swedish key, with an unknown key, with placeholders that
 * differ from Swedish, with a non-string text or with broken JSON are each
 * refused with a message naming the file, lang.key and the problem; a
 * missing translation falls back to English, then Swedish; uitext_fill. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qset.h"
#include "uitext.h"

static char dir[512];

/* The last patient-facing key; the staff keys after it may be Swedish. */
#define UT_LAST_PATIENT UT_UNAVAILABLE

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  if(!f || fputs(text, f) < 0 || fclose(f) != 0)
    fail_msg("cannot write %s", path);
}

/* A complete Swedish object, without key `skip` (UT_N: none), with
 * `extra` (a JSON member or "") added. */
static void sv_object(char *buf, size_t cap, int skip, const char *extra)
{
  size_t used = 0;
  int first = 1;
  used += (size_t)snprintf(buf + used, cap - used, "{");
  for(int k = 0; k < UT_N; k++) {
    const char *v = "text";
    if(k == skip)
      continue;
    if(k == UT_PROGRESS)
      v = "Fråga {n} av {total}";
    else if(k == UT_STILL_THERE_NOTE || k == UT_PIN_WAIT)
      v = "om {s} sekunder";
    used += (size_t)snprintf(buf + used, cap - used, "%s\"%s\": \"sv %s\"",
                             first ? "" : ", ", uitext_key_name(k), v);
    first = 0;
  }
  used += (size_t)snprintf(buf + used, cap - used, "%s%s}",
                           extra[0] ? ", " : "", extra);
  assert_true(used < cap);
}

/* Write {"sv": <full>, rest} to name and load it; returns the rc. */
static enum pr_rc load_with(const char *name, int skip, const char *sv_extra,
                            const char *rest, struct uitext **u, char *path,
                            size_t path_cap, char *err)
{
  char sv[8192], doc[12000];
  sv_object(sv, sizeof(sv), skip, sv_extra);
  snprintf(doc, sizeof(doc), "{\"sv\": %s%s%s}", sv, rest[0] ? ", " : "",
           rest);
  snprintf(path, path_cap, "%s/%s", dir, name);
  write_file(path, doc);
  err[0] = '\0';
  return uitext_load(path, u, err);
}

static void expect_refused(const char *name, int skip, const char *sv_extra,
                           const char *rest, enum pr_rc want,
                           const char *where, const char *problem)
{
  struct uitext *u = (struct uitext *)1;
  char path[700], err[PR_ERR_LEN];
  enum pr_rc rc = load_with(name, skip, sv_extra, rest, &u, path,
                            sizeof(path), err);
  printf("  %s: %s\n", name, err);
  assert_int_equal(rc, want);
  assert_null(u);
  if(!strstr(err, path))
    fail_msg("message does not name the file %s: %s", path, err);
  if(where && !strstr(err, where))
    fail_msg("message does not name %s: %s", where, err);
  if(problem && !strstr(err, problem))
    fail_msg("message does not say \"%s\": %s", problem, err);
}

static void test_key_names(void **state)
{
  (void)state;
  for(int k = 0; k < UT_N; k++) {
    assert_non_null(uitext_key_name(k));
    assert_string_not_equal(uitext_key_name(k), "?");
    for(int j = 0; j < k; j++)
      assert_string_not_equal(uitext_key_name(k), uitext_key_name(j));
  }
  assert_string_equal(uitext_key_name(UT_START), "start");
  assert_string_equal(uitext_key_name(UT_N), "?");
}

/* The shipped file, and every patient text translated into every language
 * a shipped set offers: an Arabic patient never meets Swedish buttons. */
static void test_shipped_file(void **state)
{
  struct uitext *u = NULL;
  struct qset **sets = NULL;
  int n = 0;
  char err[PR_ERR_LEN] = "";
  (void)state;
  if(uitext_load(PR_ASSETS_DIR "/kiosk/ui-text.json", &u, err) != PR_OK)
    fail_msg("%s", err);
  if(qset_load_dir(PR_ASSETS_DIR "/surveys", &sets, &n, err) != PR_OK)
    fail_msg("%s", err);
  assert_string_equal(uitext_get(u, "sv", UT_START), "Börja");
  assert_string_equal(uitext_get(u, "sv", UT_STILL_THERE), "Är du kvar?");
  for(int i = 0; i < n; i++)
    for(int l = 0; l < sets[i]->n_langs; l++) {
      const char *lang = sets[i]->langs[l];
      for(int k = 0; k <= UT_LAST_PATIENT; k++) {
        const char *t = uitext_get(u, lang, k);
        assert_true(t[0] != '\0');
        if(strcmp(lang, "sv") != 0 &&
           strcmp(t, uitext_get(u, "sv", k)) == 0)
          fail_msg("set %s offers %s but ui-text.json has no %s.%s "
                   "(the patient sees Swedish)", sets[i]->id, lang, lang,
                   uitext_key_name(k));
      }
      assert_non_null(strstr(uitext_get(u, lang, UT_PROGRESS), "{n}"));
      assert_non_null(strstr(uitext_get(u, lang, UT_PROGRESS), "{total}"));
      assert_non_null(strstr(uitext_get(u, lang, UT_STILL_THERE_NOTE),
                             "{s}"));
    }
  /* staff texts exist (in Swedish) */
  for(int k = UT_LAST_PATIENT + 1; k < UT_N; k++)
    assert_true(uitext_get(u, "sv", k)[0] != '\0');
  qset_free_all(sets, n);
  uitext_free(u);
  uitext_free(NULL);
}

static void test_refusals_name_file_key_and_problem(void **state)
{
  (void)state;
  expect_refused("missing-sv.json", UT_SKIP, "", "", PR_EINVAL, "sv.skip",
                 "missing");
  expect_refused("unknown-sv.json", UT_N, "\"strat\": \"Börja\"", "",
                 PR_EINVAL, "sv.strat", "unknown key");
  expect_refused("unknown-en.json", UT_N, "",
                 "\"en\": {\"start\": \"Start\", \"strat\": \"Start\"}",
                 PR_EINVAL, "en.strat", "unknown key");
  expect_refused("placeholder.json", UT_N, "",
                 "\"en\": {\"progress\": \"Question {n} of {count}\"}",
                 PR_EINVAL, "en.progress", "placeholders");
  expect_refused("placeholder-lost.json", UT_N, "",
                 "\"ar\": {\"still_there_note\": \"بعد ثوان\"}", PR_EINVAL,
                 "ar.still_there_note", "placeholders");
  expect_refused("placeholder-extra.json", UT_N, "",
                 "\"en\": {\"start\": \"Start {n}\"}", PR_EINVAL, "en.start",
                 "placeholders");
  expect_refused("not-string.json", UT_N, "",
                 "\"en\": {\"start\": 3}", PR_EINVAL, "en.start",
                 "non-empty string");
  expect_refused("empty-string.json", UT_N, "",
                 "\"en\": {\"back\": \"\"}", PR_EINVAL, "en.back",
                 "non-empty string");
  expect_refused("bad-lang.json", UT_N, "", "\"EN\": {\"back\": \"Back\"}",
                 PR_EINVAL, "EN", "not a language code");
  expect_refused("lang-not-object.json", UT_N, "", "\"en\": \"Back\"",
                 PR_EINVAL, "en", "object");
  /* broken JSON: the file and the line */
  {
    char path[700], err[PR_ERR_LEN] = "";
    struct uitext *u = (struct uitext *)1;
    snprintf(path, sizeof(path), "%s/broken.json", dir);
    write_file(path, "{\"sv\": {\"start\": \"Börja\",}\n}\n");
    assert_int_equal(uitext_load(path, &u, err), PR_EINVAL);
    printf("  broken.json: %s\n", err);
    assert_null(u);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "line 1"));
    /* no Swedish at all */
    write_file(path, "{\"en\": {\"start\": \"Start\"}}");
    assert_int_equal(uitext_load(path, &u, err), PR_EINVAL);
    assert_non_null(strstr(err, "\"sv\""));
    /* a duplicate key is refused, not silently the last one */
    write_file(path, "{\"sv\": {\"start\": \"A\", \"start\": \"B\"}}");
    assert_int_equal(uitext_load(path, &u, err), PR_EINVAL);
    /* unreadable */
    snprintf(path, sizeof(path), "%s/no-such-file.json", dir);
    assert_int_equal(uitext_load(path, &u, err), PR_EIO);
    assert_non_null(strstr(err, path));
  }
}

/* A translation may put the placeholders in its own word order. */
static void test_placeholder_order_may_differ(void **state)
{
  struct uitext *u = NULL;
  char path[700], err[PR_ERR_LEN];
  (void)state;
  assert_int_equal(load_with("reorder.json", UT_N, "",
                             "\"fi\": {\"progress\": \"{total}:sta {n}\"}",
                             &u, path, sizeof(path), err), PR_OK);
  assert_string_equal(uitext_get(u, "fi", UT_PROGRESS), "{total}:sta {n}");
  uitext_free(u);
}

static void test_fallback_en_then_sv(void **state)
{
  struct uitext *u = NULL;
  char path[700], err[PR_ERR_LEN];
  (void)state;
  assert_int_equal(load_with("fallback.json", UT_N, "",
                             "\"en\": {\"start\": \"Start\", \"back\": \"Back\"},"
                             " \"de\": {\"back\": \"Zurück\"}",
                             &u, path, sizeof(path), err), PR_OK);
  assert_string_equal(uitext_get(u, "de", UT_BACK), "Zurück");
  assert_string_equal(uitext_get(u, "de", UT_START), "Start");    /* en */
  assert_string_equal(uitext_get(u, "de", UT_SKIP), "sv text");   /* sv */
  assert_string_equal(uitext_get(u, "en", UT_SKIP), "sv text");
  assert_string_equal(uitext_get(u, "fi", UT_START), "Start");    /* en */
  assert_string_equal(uitext_get(u, "sv", UT_START), "sv text");
  assert_string_equal(uitext_get(u, NULL, UT_BACK), "Back");
  assert_string_equal(uitext_get(u, "de", UT_N), "");
  assert_string_equal(uitext_get(NULL, "sv", UT_START), "");
  uitext_free(u);
}

static void test_fill(void **state)
{
  char buf[64], small[8];
  (void)state;
  assert_int_equal(uitext_fill(buf, sizeof(buf), "Fråga {n} av {total}", "n",
                               "2"), 0);
  assert_string_equal(buf, "Fråga 2 av {total}");
  assert_int_equal(uitext_fill(buf, sizeof(buf), "Fråga 2 av {total}",
                               "total", "13"), 0);
  assert_string_equal(buf, "Fråga 2 av 13");
  /* every occurrence; other braces are left alone */
  assert_int_equal(uitext_fill(buf, sizeof(buf), "{s}+{s} {x} {", "s", "10"),
                   0);
  assert_string_equal(buf, "10+10 {x} {");
  /* a value may be empty, or hold braces itself (not filled again) */
  assert_int_equal(uitext_fill(buf, sizeof(buf), "a{s}b", "s", ""), 0);
  assert_string_equal(buf, "ab");
  assert_int_equal(uitext_fill(buf, sizeof(buf), "a{s}b", "s", "{s}"), 0);
  assert_string_equal(buf, "a{s}b");
  /* exactly fits */
  assert_int_equal(uitext_fill(small, sizeof(small), "ab{s}", "s", "cdefg"),
                   0);
  assert_string_equal(small, "abcdefg");
  /* cut: -1, still terminated, the prefix kept */
  assert_int_equal(uitext_fill(small, sizeof(small), "ab{s}", "s", "cdefgh"),
                   -1);
  assert_string_equal(small, "abcdefg");
  assert_int_equal(uitext_fill(small, sizeof(small), "abcdefghij", "s", "x"),
                   -1);
  assert_string_equal(small, "abcdefg");
  assert_int_equal(uitext_fill(small, 0, "ab", "s", "x"), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_key_names),
    cmocka_unit_test(test_shipped_file),
    cmocka_unit_test(test_refusals_name_file_key_and_problem),
    cmocka_unit_test(test_placeholder_order_may_differ),
    cmocka_unit_test(test_fallback_en_then_sv),
    cmocka_unit_test(test_fill),
  };
  char cmd[1200];
  if(pr_init() != PR_OK)
    return 1;
  snprintf(dir, sizeof(dir), "%s/test_uitext", PR_TEST_OUT);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
  if(system(cmd) != 0)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
