/* test_qset.c — This file contains the tests of the question-set loader
 * and validator: the shipped sets load and behave as the brief says, every
 * broken fixture is refused with a message naming file, place and problem,
 * and allocation failures never leave a half-loaded set or a leak. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qset.h"

#define SETS_DIR PR_ASSETS_DIR "/surveys"
#define QSETS PR_TEST_DATA "/qsets"

static struct qset *load_ok(const char *path)
{
  struct qset *s = NULL;
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc = qset_load_file(path, &s, err);
  if(rc != PR_OK)
    fail_msg("%s", err);
  assert_non_null(s);
  return s;
}

static void test_shipped_sets_load(void **state)
{
  struct qset **sets = NULL;
  int n = 0;
  char err[PR_ERR_LEN] = "";
  (void)state;
  assert_int_equal(qset_load_dir(SETS_DIR, &sets, &n, err), PR_OK);
  assert_int_equal(n, 6);
  /* Sorted by file name. */
  assert_string_equal(sets[0]->id, "kiosk-besok");
  assert_string_equal(sets[1]->id, "ring-upp-utskrivning");
  assert_string_equal(sets[2]->id, "samordnare-kontakt");
  assert_string_equal(sets[3]->id, "samordnare-vardplan");
  assert_string_equal(sets[4]->id, "samverkan-hemsjukvard");
  assert_string_equal(sets[5]->id, "samverkan-sabo");
  for(int i = 0; i < n; i++) {
    assert_true(sets[i]->version >= 1);
    assert_string_equal(sets[i]->langs[0], "sv");
  }
  qset_free_all(sets, n);
}

static void test_kiosk_sets_carry_three_languages(void **state)
{
  static const char *const files[] = {"kiosk-besok", "samordnare-kontakt",
                                      "samordnare-vardplan"};
  (void)state;
  for(size_t f = 0; f < PR_ARRAY_LEN(files); f++) {
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.json", SETS_DIR, files[f]);
    struct qset *s = load_ok(path);
    assert_true(qset_has_lang(s, "sv"));
    assert_true(qset_has_lang(s, "en"));
    assert_true(qset_has_lang(s, "ar"));
    assert_false(qset_has_lang(s, "fi"));
    assert_string_equal(qset_text(&s->lang_names, "sv"), "Svenska");
    assert_string_equal(qset_text(&s->lang_names, "en"), "English");
    assert_string_equal(qset_text(&s->lang_names, "ar"), "العربية");
    for(int q = 0; q < s->n_questions; q++) {
      const struct qset_question *qq = &s->questions[q];
      if(!(qq->modes & QSET_MODE_KIOSK))
        continue;
      /* An Arabic reader never gets a Swedish question. */
      assert_string_not_equal(qset_question_text(qq, "ar", 0),
                              qset_question_text(qq, "sv", 0));
      assert_string_not_equal(qset_question_text(qq, "ar", 1),
                              qset_question_text(qq, "sv", 1));
    }
    qset_free(s);
  }
}

/* Sets A and its variant: the free-text follow-up is asked exactly when
 * the satisfaction answer is not the top one (Mycket) — Lite, Inte alls
 * or Vet ej — and not when it was skipped. */
static void test_set_a_free_text_only_when_not_top(void **state)
{
  static const char *const files[] = {SETS_DIR "/samordnare-kontakt.json",
                                      SETS_DIR "/samordnare-vardplan.json"};
  (void)state;
  for(size_t f = 0; f < PR_ARRAY_LEN(files); f++) {
    struct qset *s = load_ok(files[f]);
    int ans[QSET_MAX_QUESTIONS];
    int noj = qset_find_question(s, "nojdhet");
    int bat = qset_find_question(s, "battre");
    const struct qset_scale *sc = qset_question_scale(s, noj);
    assert_true(noj >= 0 && bat > noj);
    assert_string_equal(sc->id, "tre_grad");
    for(int i = 0; i < QSET_MAX_QUESTIONS; i++)
      ans[i] = QSET_UNANSWERED;
    assert_false(qset_applies(s, bat, QSET_MODE_KIOSK, ans));
    ans[noj] = qset_option_index(sc, "mycket");
    assert_false(qset_applies(s, bat, QSET_MODE_KIOSK, ans));
    assert_false(qset_applies(s, bat, QSET_MODE_PHONE, ans));
    ans[noj] = qset_option_index(sc, "lite");
    assert_true(qset_applies(s, bat, QSET_MODE_KIOSK, ans));
    assert_true(qset_applies(s, bat, QSET_MODE_PHONE, ans));
    ans[noj] = qset_option_index(sc, "inte_alls");
    assert_true(qset_applies(s, bat, QSET_MODE_KIOSK, ans));
    /* "Vet ej" is not the top answer either: the follow-up is asked. */
    ans[noj] = qset_option_index(sc, "vet_ej");
    assert_true(qset_applies(s, bat, QSET_MODE_KIOSK, ans));
    assert_true(qset_applies(s, bat, QSET_MODE_PHONE, ans));
    /* Classification: Mycket positive, Lite/Inte alls negative, Vet ej
     * own. */
    assert_int_equal(qset_classify(s, noj, qset_option_index(sc, "mycket")),
                     QSET_POSITIVE);
    assert_int_equal(qset_classify(s, noj, qset_option_index(sc, "lite")),
                     QSET_NEGATIVE);
    assert_int_equal(qset_classify(s, noj,
                                   qset_option_index(sc, "inte_alls")),
                     QSET_NEGATIVE);
    assert_int_equal(qset_classify(s, noj, qset_option_index(sc, "vet_ej")),
                     QSET_DONTKNOW);
    assert_int_equal(qset_classify(s, noj, 99), QSET_DONTKNOW);
    assert_string_equal(s->questions[bat].indicator, "");
    assert_int_equal(s->questions[bat].scale, -1);
    /* Version 2 (the wider follow-up condition, 3ef7a6e, and the
     * easy-read rewording, 78037e7, came after version 1 was published):
     * the ratings compare with version 1, the follow-up, now asked of
     * more patients, does not. */
    assert_int_equal(s->version, 2);
    assert_int_equal(s->questions[noj].cmp_version, 1);
    assert_string_equal(s->questions[noj].cmp_set, s->id);
    assert_string_equal(s->questions[noj].cmp_question, "nojdhet");
    assert_int_equal(s->questions[bat].cmp_version, 0);
    assert_false(s->questions[bat].is_new);
    qset_free(s);
  }
}

static void test_set_b_phone_indicators(void **state)
{
  static const char *const ind[] = {"delaktighet", "samordning", "trygghet",
                                    "hansyn", "information",
                                    "skriftlig_vardplan"};
  struct qset *s = load_ok(SETS_DIR "/ring-upp-utskrivning.json");
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(ind); i++) {
    int found = 0;
    for(int q = 0; q < s->n_questions; q++) {
      const struct qset_question *qq = &s->questions[q];
      if(strcmp(qq->indicator, ind[i]) != 0)
        continue;
      found = 1;
      assert_true(qq->modes == QSET_MODE_PHONE);
      assert_true(strlen(qset_text(&qq->script, "sv")) > 10);
      /* Each item offers "Vet ej / vill inte svara", counted on its own. */
      const struct qset_scale *sc = qset_question_scale(s, q);
      int k = qset_option_index(sc, "vet_ej");
      assert_true(k >= 0);
      assert_int_equal(qset_classify(s, q, k), QSET_DONTKNOW);
      assert_string_equal(qset_text(&sc->options[k].label, "sv"),
                          "Vet ej / vill inte svara");
    }
    assert_true(found);
  }
  assert_false(qset_applies(s, 0, QSET_MODE_KIOSK, NULL));
  qset_free(s);
}

static void test_set_c_respekt_and_easy_read(void **state)
{
  struct qset *s = load_ok(SETS_DIR "/kiosk-besok.json");
  int r = qset_find_question(s, "respekt");
  int k = qset_find_question(s, "kommentar");
  (void)state;
  assert_true(r >= 0);
  assert_string_equal(s->questions[r].indicator, "respekt");
  /* The easy-read text differs from the normal one and avoids "bemött". */
  assert_non_null(strstr(qset_question_text(&s->questions[r], "sv", 0),
                         "bemött"));
  assert_null(strstr(qset_question_text(&s->questions[r], "sv", 1),
                     "bemött"));
  assert_true(k >= 0);
  assert_true(s->questions[k].optional);
  assert_int_equal(s->questions[k].type, QSET_TEXT);
  /* Without an easy variant the normal text is used. */
  int n = qset_find_question(s, "nojdhet");
  assert_string_equal(qset_question_text(&s->questions[n], "en", 1),
                      "How satisfied are you with your visit today?");
  qset_free(s);
}

struct broken_case {
  const char *file;
  const char *where;    /* "" when the problem is set-wide */
  const char *problem;
};

static const struct broken_case broken[] = {
  {"unknown_scale", "question nojdhet", "unknown scale \"fem_grad\""},
  {"duplicate_question", "question nojdhet", "duplicate question id"},
  {"cond_later", "question battre", "later or unknown question \"info\""},
  {"cond_unknown", "question battre", "unknown question \"finns_inte\""},
  {"cond_self", "question nojdhet", "its own question"},
  {"cond_unknown_option", "question battre", "unknown option \"jattebra\""},
  {"cond_on_text", "question info", "free-text question \"battre\""},
  {"cond_unanswered_ok_in", "question battre", "only goes with \"not_in\""},
  {"missing_swedish", "question nojdhet", "missing Swedish text"},
  {"missing_declared_lang", "question nojdhet", "missing English text"},
  {"undeclared_lang", "question nojdhet", "does not declare"},
  {"no_positive", "question nojdhet", "has no positive answer"},
  {"positive_dontknow", "question nojdhet", "a dontknow option"},
  {"all_positive", "question info", "could never show a negative"},
  {"empty_scale", "scale tre_grad", "empty scale"},
  {"only_dontknow_scale", "scale tre_grad", "empty scale"},
  {"duplicate_scale", "", "duplicate scale id \"tre_grad\""},
  {"duplicate_option", "scale ja_nej", "duplicate option code \"ja\""},
  {"bad_version", "", "bad version"},
  {"version_string", "", "bad version"},
  {"unknown_mode", "question nojdhet", "unknown mode \"webb\""},
  {"typo_member", "question nojdhet", "unknown member \"indikator\""},
  {"typo_member_set", "set", "unknown member \"questoins\""},
  {"bad_type", "question nojdhet", "unknown type \"multi\""},
  {"text_with_indicator", "question battre", "free-text question has no"},
  {"yesno_wrong_scale", "question info", "exactly two answers"},
  {"phone_no_script", "question nojdhet", "no \"script\""},
  {"langs_not_sv_first", "", "must start with \"sv\""},
  {"missing_lang_name", "lang_names", "missing English text"},
  {"audio_abs_path", "question nojdhet", "must be relative"},
  {"duplicate_indicator", "question info", "already used by question"},
  {"mode_not_in_set", "question info", "mode the set does not declare"},
  {"compare_and_new", "question q1", "both \"compare\" and \"new\""},
  {"compare_same_version", "question q1: \"compare\"", "an earlier version"},
  {"compare_typo", "question q1: \"compare\"", "unknown member \"versoin\""},
  {"compare_no_version", "question q1: \"compare\"", "\"version\" must be"},
  {"comment_on_text", "question t1", "\"comment\" goes with a rating"},
  {"meeting_mixed_modes", "", "\"meeting\" cannot be combined"},
  {"not_json", "line ", "not valid JSON"},
  {"duplicate_key", "line ", "duplicate object key"},
};

static void test_broken_sets_refused(void **state)
{
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(broken); i++) {
    char path[512], want_file[600];
    char err[PR_ERR_LEN] = "";
    struct qset *s = (struct qset *)&err;   /* must be reset to NULL */
    snprintf(path, sizeof(path), "%s/broken/%s.json", QSETS, broken[i].file);
    enum pr_rc rc = qset_load_file(path, &s, err);
    if(rc != PR_EINVAL)
      fail_msg("%s: expected PR_EINVAL, got %d (%s)", broken[i].file, rc,
               err);
    assert_null(s);
    snprintf(want_file, sizeof(want_file), "%s: ", path);
    if(strncmp(err, want_file, strlen(want_file)) != 0)
      fail_msg("%s: message does not start with the file: %s",
               broken[i].file, err);
    if(!strstr(err, broken[i].where) || !strstr(err, broken[i].problem))
      fail_msg("%s: message lacks \"%s\" / \"%s\": %s", broken[i].file,
               broken[i].where, broken[i].problem, err);
  }
}

static void test_every_broken_file_is_listed(void **state)
{
  char cmd[600];
  FILE *p;
  int n = 0;
  char line[256];
  (void)state;
  snprintf(cmd, sizeof(cmd), "ls %s/broken", QSETS);
  p = popen(cmd, "r");
  assert_non_null(p);
  while(fgets(line, sizeof(line), p))
    n++;
  pclose(p);
  assert_int_equal(n, (int)PR_ARRAY_LEN(broken));
}

static void test_good_fixture_and_buffer(void **state)
{
  struct qset *s = load_ok(QSETS "/good.json");
  char err[PR_ERR_LEN] = "";
  struct qset *b = NULL;
  static const char junk[] = "{\"id\": \"x\"";
  (void)state;
  assert_int_equal(s->version, 3);
  assert_int_equal(s->n_langs, 2);
  int info = qset_find_question(s, "info");
  assert_int_equal(s->questions[info].type, QSET_YESNO);
  assert_int_equal(s->questions[info].modes, QSET_MODE_PHONE);
  assert_int_equal(qset_find_question(s, "nope"), -1);
  /* A phone-only question may be Swedish only; the fallback is Swedish. */
  assert_string_equal(qset_question_text(&s->questions[info], "en", 0),
                      "Fick du information?");
  qset_free(s);
  assert_int_equal(qset_load_buffer("net:testset", junk, strlen(junk), &b,
                                    err), PR_EINVAL);
  assert_null(b);
  assert_non_null(strstr(err, "net:testset: line 1"));
  qset_free(NULL);
  qset_free_all(NULL, 0);
}

static void test_missing_file_and_dir(void **state)
{
  char err[PR_ERR_LEN] = "";
  struct qset *s = NULL;
  struct qset **all = NULL;
  int n = 7;
  (void)state;
  assert_int_equal(qset_load_file(QSETS "/nope.json", &s, err), PR_EIO);
  assert_non_null(strstr(err, "nope.json"));
  assert_int_equal(qset_load_dir(QSETS "/no-such-dir", &all, &n, err),
                   PR_EIO);
  assert_null(all);
  assert_int_equal(n, 0);
  /* A directory with a broken file is refused as a whole. */
  assert_int_equal(qset_load_dir(QSETS "/broken", &all, &n, err), PR_EINVAL);
  assert_null(all);
  assert_int_equal(n, 0);
}

static void copy_with_version(const char *dst, int version)
{
  char *buf = malloc(1 << 16);
  FILE *f = fopen(QSETS "/good.json", "rb");
  size_t n;
  assert_non_null(buf);
  assert_non_null(f);
  n = fread(buf, 1, (1 << 16) - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *v = strstr(buf, "\"version\": 3");
  assert_non_null(v);
  f = fopen(dst, "wb");
  assert_non_null(f);
  fwrite(buf, 1, (size_t)(v - buf), f);
  fprintf(f, "\"version\": %d", version);
  fputs(v + strlen("\"version\": 3"), f);
  fclose(f);
  free(buf);
}

/* A rolled-out version sits next to the shipped one; the same version
 * twice is refused unless the two files are the same bytes (the copy an
 * older kiosk saved of a shipped set): then it is one set. */
static void test_dir_with_versions(void **state)
{
  char dir[512], p1[600], p2[600], p3[600], p4[600], cmd[1200];
  char err[PR_ERR_LEN] = "";
  struct qset **sets = NULL;
  int n = 0;
  (void)state;
  snprintf(dir, sizeof(dir), "%s/qset_versions", PR_TEST_OUT);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
  assert_int_equal(system(cmd), 0);
  snprintf(p1, sizeof(p1), "%s/testset.json", dir);
  snprintf(p2, sizeof(p2), "%s/testset.v4.json", dir);
  snprintf(p3, sizeof(p3), "%s/testset.copy.json", dir);
  copy_with_version(p1, 3);
  copy_with_version(p2, 4);
  assert_int_equal(qset_load_dir(dir, &sets, &n, err), PR_OK);
  assert_int_equal(n, 2);
  assert_int_equal(qset_pick(sets, n, "testset", 0)->version, 4);
  assert_int_equal(qset_pick(sets, n, "testset", 3)->version, 3);
  assert_null(qset_pick(sets, n, "testset", 5));
  assert_null(qset_pick(sets, n, "kiosk-besok", 0));
  qset_free_all(sets, n);
  /* "testset.v3.json", byte for byte the shipped "testset.json". */
  snprintf(p4, sizeof(p4), "%s/testset.v3.json", dir);
  copy_with_version(p4, 3);
  assert_int_equal(qset_load_dir(dir, &sets, &n, err), PR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(qset_pick(sets, n, "testset", 3)->path, p1);
  assert_int_equal(qset_pick(sets, n, "testset", 0)->version, 4);
  qset_free_all(sets, n);
  /* The same id and version with other bytes (one more space). */
  copy_with_version(p3, 4);
  {
    FILE *f = fopen(p3, "ab");
    assert_non_null(f);
    fputs(" ", f);
    fclose(f);
  }
  assert_int_equal(qset_load_dir(dir, &sets, &n, err), PR_EINVAL);
  assert_null(sets);
  assert_non_null(strstr(err, "version 4 is also in"));
}

/* Fail the n-th allocation for n = 0, 1, 2, ... until well past the last
 * allocation a load makes: each failure is PR_ENOMEM with *out NULL, each
 * success is the complete set (jansson absorbs a few failed allocations
 * itself), and ASan sees no leak. */
static void test_alloc_failure_never_half_loads(void **state)
{
  int fails = 0, ok_in_row = 0;
  struct qset *ref = load_ok(SETS_DIR "/kiosk-besok.json");
  const struct qset_question *rq = &ref->questions[ref->n_questions - 1];
  (void)state;
  for(long n = 0; n < 100000 && ok_in_row < 50; n++) {
    char err[PR_ERR_LEN] = "";
    struct qset *s = NULL;
    pr_alloc_fail_after(n);
    enum pr_rc rc = qset_load_file(SETS_DIR "/kiosk-besok.json", &s, err);
    pr_alloc_fail_after(-1);
    if(rc == PR_OK) {
      assert_non_null(s);
      assert_int_equal(s->n_questions, ref->n_questions);
      assert_int_equal(s->n_scales, ref->n_scales);
      assert_string_equal(
        qset_question_text(&s->questions[s->n_questions - 1], "ar", 0),
        qset_question_text(rq, "ar", 0));
      assert_string_equal(qset_text(&s->lang_names, "ar"), "العربية");
      qset_free(s);
      ok_in_row++;
      continue;
    }
    ok_in_row = 0;
    if(rc != PR_ENOMEM)
      fail_msg("n=%ld: rc %d: %s", n, rc, err);
    assert_null(s);
    assert_non_null(strstr(err, "out of memory"));
    fails++;
  }
  qset_free(ref);
  if(fails <= 100)
    fail_msg("only %d allocations failed; the hook missed the loader", fails);
}

/* The collaboration follow-up (samverkan): 31 questions each, 26 rated on
 * the four steps with a comment, 5 free text, in the process's order, and
 * every question either comparable with last year's combined form or new. */
static void test_samverkan_sets(void **state)
{
  static const char *const files[] = {"samverkan-hemsjukvard",
                                      "samverkan-sabo"};
  static const char *const sections[] = {
    "Förutsättningar för samverkan", "Utreda och bedöma hälso- och sjukvård",
    "Planera hälso- och sjukvård", "Utföra hälso- och sjukvård",
    "Följa upp hälso- och sjukvård", "Avsluta hälso- och sjukvård"};
  struct qset *all[3];
  char err[PR_ERR_LEN] = "";
  (void)state;
  all[2] = load_ok(QSETS "/samverkan/samverkan-2024.json");
  for(size_t f = 0; f < PR_ARRAY_LEN(files); f++) {
    char path[512];
    int rated = 0, text = 0, sec = 0, linked = 0;
    snprintf(path, sizeof(path), "%s/%s.json", SETS_DIR, files[f]);
    struct qset *s = all[f] = load_ok(path);
    assert_int_equal(s->n_questions, 31);
    assert_int_equal(s->scales[0].n_options, 4);
    assert_string_equal(qset_text(&s->scales[0].options[0].label, "sv"),
                        "Stämmer inte alls");
    assert_string_equal(qset_text(&s->scales[0].options[3].label, "sv"),
                        "Stämmer helt");
    for(int q = 0; q < s->n_questions; q++) {
      const struct qset_question *x = &s->questions[q];
      const char *h = qset_text(&x->section, "sv");
      assert_int_equal(x->modes, QSET_MODE_MEETING);
      if(x->type == QSET_TEXT)
        text++;
      else {
        rated++;
        assert_true(x->comment);
      }
      /* Sections come in the process's order and never go back. */
      while(sec < 6 && strcmp(h, sections[sec]) != 0)
        sec++;
      if(sec == 6)
        fail_msg("%s: question %s: section \"%s\" out of order", s->id,
                 x->id, h);
      assert_true((x->cmp_version > 0) != (x->is_new != 0));
      linked += x->cmp_version > 0;
    }
    assert_int_equal(rated, 26);
    assert_int_equal(text, 5);
    assert_true(linked >= 15);
  }
  /* Both forms compare with last year's one combined form. */
  assert_int_equal(qset_check_links(all, 3, err), PR_OK);
  for(int i = 0; i < 3; i++)
    qset_free(all[i]);
}

struct link_case {
  const char *dir;
  const char *problem;   /* NULL: loads */
};

static const struct link_case link_cases[] = {
  {"missing_target", "set m version 1 has no question \"q9\""},
  {"double_mapping", "already compared with question q1"},
  {"type_mismatch", "another type or scale"},
  {"scale_mismatch", "another type or scale"},
  {"ok", NULL},
};

static void test_compare_links(void **state)
{
  (void)state;
  for(size_t i = 0; i < PR_ARRAY_LEN(link_cases); i++) {
    char dir[512], err[PR_ERR_LEN] = "";
    struct qset **all = NULL;
    int n = 0;
    enum pr_rc rc;
    snprintf(dir, sizeof(dir), "%s/links/%s", QSETS, link_cases[i].dir);
    rc = qset_load_dir(dir, &all, &n, err);
    if(!link_cases[i].problem) {
      if(rc != PR_OK)
        fail_msg("%s: %s", link_cases[i].dir, err);
      assert_int_equal(n, 2);
      const struct qset *v2 = qset_pick(all, n, "m", 2);
      assert_non_null(v2);
      assert_int_equal(v2->questions[0].cmp_version, 1);
      assert_string_equal(v2->questions[0].cmp_question, "q1");
      assert_true(v2->questions[1].is_new);
      qset_free_all(all, n);
      continue;
    }
    if(rc != PR_EINVAL)
      fail_msg("%s: expected PR_EINVAL, got %d", link_cases[i].dir, rc);
    assert_null(all);
    if(!strstr(err, link_cases[i].problem) || !strstr(err, "m.v2.json") ||
       !strstr(err, "compare"))
      fail_msg("%s: message lacks \"%s\": %s", link_cases[i].dir,
               link_cases[i].problem, err);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shipped_sets_load),
    cmocka_unit_test(test_kiosk_sets_carry_three_languages),
    cmocka_unit_test(test_set_a_free_text_only_when_not_top),
    cmocka_unit_test(test_set_b_phone_indicators),
    cmocka_unit_test(test_set_c_respekt_and_easy_read),
    cmocka_unit_test(test_broken_sets_refused),
    cmocka_unit_test(test_samverkan_sets),
    cmocka_unit_test(test_compare_links),
    cmocka_unit_test(test_every_broken_file_is_listed),
    cmocka_unit_test(test_good_fixture_and_buffer),
    cmocka_unit_test(test_missing_file_and_dir),
    cmocka_unit_test(test_dir_with_versions),
    cmocka_unit_test(test_alloc_failure_never_half_loads),
  };
  if(pr_init() != PR_OK)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
