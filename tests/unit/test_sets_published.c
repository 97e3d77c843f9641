/* test_sets_published.c — This file contains the guard that a shipped
 * question set never changes under a version already out: every set in
 * assets/surveys must have its (id, version) and the SHA-256 of its bytes
 * in tests/data/sets-published.txt, the hash the aggregator keeps per
 * published version (a different file under it stops rost-agg's start). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "qset.h"

#define SETS_DIR PR_ASSETS_DIR "/surveys"
#define RECORD PR_TEST_DATA "/sets-published.txt"
#define MAX_LINES 256
#define MAX_FILE (512 * 1024)

struct rec {
  char id[QSET_ID_LEN];
  int version;
  char sha[65];
};

/* The record's lines; a malformed line or a second line for one (id,
 * version) is a test failure naming the line. */
static int read_record(const char *path, struct rec *r, int cap)
{
  FILE *f = fopen(path, "r");
  char line[512];
  int n = 0, no = 0;

  if(!f)
    fail_msg("%s: cannot open", path);
  while(fgets(line, sizeof(line), f) && no < 10000) {
    char *id = line, *ver, *sha, *end;
    long v;
    no++;
    line[strcspn(line, "\r\n")] = '\0';
    if(line[0] == '#' || line[0] == '\0')
      continue;
    ver = strchr(id, ' ');
    sha = ver ? strchr(ver + 1, ' ') : NULL;
    if(!ver || !sha || n == cap)
      fail_msg("%s:%d: not \"ID VERSION SHA256\"", path, no);
    *ver++ = '\0';
    *sha++ = '\0';
    end = sha + strlen(sha);
    if(pr_parse_long(ver, 1, 1000000, &v) != 0 || end - sha != 64 ||
       strspn(sha, "0123456789abcdef") != 64 ||
       pr_strlcpy(r[n].id, id, sizeof(r[n].id)) != 0)
      fail_msg("%s:%d: not \"ID VERSION SHA256\"", path, no);
    r[n].version = (int)v;
    memcpy(r[n].sha, sha, 65);
    for(int i = 0; i < n; i++)
      if(r[i].version == r[n].version && strcmp(r[i].id, r[n].id) == 0)
        fail_msg("%s:%d: %s version %d is recorded twice", path, no, id,
                 r[n].version);
    n++;
  }
  fclose(f);
  return n;
}

static void file_sha(const char *path, char out[65])
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = malloc(MAX_FILE + 1), h[crypto_hash_sha256_BYTES];
  size_t n;

  assert_non_null(f);
  assert_non_null(buf);
  n = fread(buf, 1, MAX_FILE + 1, f);
  fclose(f);
  assert_true(n <= MAX_FILE);
  crypto_hash_sha256(h, buf, n);
  sodium_bin2hex(out, 65, h, sizeof(h));
  free(buf);
}

/* Checks every set of dir against the record: 0 when all match, else -1
 * with the first problem in msg. */
static int check_dir(const char *dir, const struct rec *r, int n_rec,
                     char *msg, size_t cap)
{
  struct qset **sets = NULL;
  int n = 0, bad = 0;
  char err[PR_ERR_LEN] = "";

  if(qset_load_dir(dir, &sets, &n, err) != PR_OK)
    fail_msg("%s", err);
  for(int i = 0; i < n && !bad; i++) {
    const struct qset *s = sets[i];
    const struct rec *hit = NULL;
    char sha[65];
    file_sha(s->path, sha);
    for(int k = 0; k < n_rec; k++)
      if(r[k].version == s->version && strcmp(r[k].id, s->id) == 0)
        hit = &r[k];
    if(!hit) {
      snprintf(msg, cap, "%s: set %s version %d is not recorded; add the "
               "line \"%s %d %s\" to tests/data/sets-published.txt",
               s->path, s->id, s->version, s->id, s->version, sha);
      bad = 1;
    } else if(strcmp(hit->sha, sha) != 0) {
      snprintf(msg, cap, "%s: set %s version %d changed after it was "
               "published (sha256 %.12s, recorded %.12s); raise \"version\" "
               "and add a line for it, never edit a recorded one",
               s->path, s->id, s->version, sha, hit->sha);
      bad = 1;
    }
  }
  qset_free_all(sets, n);
  return bad ? -1 : 0;
}

static struct rec rec[MAX_LINES];
static int n_rec;

static int setup(void **state)
{
  (void)state;
  if(sodium_init() < 0)
    return -1;
  n_rec = read_record(RECORD, rec, MAX_LINES);
  return 0;
}

static void test_shipped_sets_match_record(void **state)
{
  char msg[1024] = "";
  (void)state;
  if(check_dir(SETS_DIR, rec, n_rec, msg, sizeof(msg)) != 0)
    fail_msg("%s", msg);
  /* The versions 1 the tests publish as an older aggregator has them. */
  if(check_dir(PR_TEST_DATA "/sets-v1", rec, n_rec, msg, sizeof(msg)) != 0)
    fail_msg("%s", msg);
  /* The three sets reworded after version 1 went out are shipped as a
   * later version. */
  {
    static const char *const ids[] = {"kiosk-besok", "samordnare-kontakt",
                                      "samordnare-vardplan"};
    struct qset **sets = NULL;
    int n = 0;
    char err[PR_ERR_LEN] = "";
    assert_int_equal(qset_load_dir(SETS_DIR, &sets, &n, err), PR_OK);
    for(size_t i = 0; i < PR_ARRAY_LEN(ids); i++) {
      const struct qset *s = qset_pick(sets, n, ids[i], 0);
      assert_non_null(s);
      assert_true(s->version >= 2);
    }
    qset_free_all(sets, n);
  }
}

/* Copies the shipped kiosk-besok.json into dir, replacing the first
 * occurrence of from with to. */
static void copy_changed(const char *dir, const char *from, const char *to)
{
  char *buf = malloc(MAX_FILE + 1), *at, path[512];
  FILE *f = fopen(SETS_DIR "/kiosk-besok.json", "rb");
  size_t n;

  assert_non_null(buf);
  assert_non_null(f);
  n = fread(buf, 1, MAX_FILE, f);
  fclose(f);
  buf[n] = '\0';
  at = strstr(buf, from);
  assert_non_null(at);
  mkdir(dir, 0700);
  snprintf(path, sizeof(path), "%s/kiosk-besok.json", dir);
  f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(buf, 1, (size_t)(at - buf), f);
  fputs(to, f);
  fputs(at + strlen(from), f);
  fclose(f);
  free(buf);
}

/* The guard fails as it should: a reworded text under the same version,
 * and a raised version not yet recorded. */
static void test_guard_catches_changes(void **state)
{
  char msg[1024] = "", dir[512];
  (void)state;

  snprintf(dir, sizeof(dir), "%s/sets_published_same", PR_TEST_OUT);
  copy_changed(dir, "Hur nöjd", "Hur pass nöjd");
  assert_int_equal(check_dir(dir, rec, n_rec, msg, sizeof(msg)), -1);
  assert_non_null(strstr(msg, "set kiosk-besok version 2 changed after it "
                              "was published"));

  snprintf(dir, sizeof(dir), "%s/sets_published_raised", PR_TEST_OUT);
  copy_changed(dir, "\"version\": 2", "\"version\": 3");
  assert_int_equal(check_dir(dir, rec, n_rec, msg, sizeof(msg)), -1);
  assert_non_null(strstr(msg, "set kiosk-besok version 3 is not recorded; "
                              "add the line \"kiosk-besok 3 "));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shipped_sets_match_record),
    cmocka_unit_test(test_guard_catches_changes),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
