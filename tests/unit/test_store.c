/* test_store.c — This file contains the tests of the offline store on
 * real SQLite files: round trips, bad input, the outbox, migration from
 * schema version 1, refusing a newer schema, corrupt files moved aside, a
 * missing directory, a full database (PR_EFULL, nothing reported saved),
 * concurrent use of one handle from two threads, UUID v4 ids, a phone
 * response's week date, the staff opens that refuse a file that is not a
 * store and leave a damaged one alone, read-only handles, the writers'
 * lock, and permission problems named as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schema.h"
#include "store.h"
#include "uuid.h"

#define UNIT "SE2321000032-ABC123"

static char dir[512];

static void path_in(char *out, size_t cap, const char *name)
{
  snprintf(out, cap, "%s/%s", dir, name);
}

static struct store *open_ok(const char *path)
{
  struct store *s = NULL;
  char err[PR_ERR_LEN] = "";
  if(store_open(path, &s, err) != PR_OK)
    fail_msg("store_open: %s", err);
  return s;
}

static void begin_ok(struct store *s, const char *set, unsigned mode,
                     char uuid[STORE_UUID_LEN])
{
  char err[PR_ERR_LEN] = "";
  struct store_new n = {set, 1, UNIT, mode, "sv", 0, NULL, NULL, NULL};
  if(store_begin(s, &n, uuid, err) != PR_OK)
    fail_msg("store_begin: %s", err);
}

static const struct store_answer *find_answer(const struct store_response *r,
                                              const char *q)
{
  for(int i = 0; i < r->n_answers; i++)
    if(strcmp(r->answers[i].question, q) == 0)
      return &r->answers[i];
  return NULL;
}

static void test_round_trip(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s;
  struct store_response *r = NULL;
  (void)state;
  path_in(path, sizeof(path), "round.db");
  s = open_ok(path);
  assert_int_equal(store_schema_version(s), schema_latest());
  begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
  assert_true(uuid_is_v4(u));
  assert_int_equal(store_answer(s, u, "nojdhet", "lite", NULL, err), PR_OK);
  assert_int_equal(store_answer(s, u, "nojdhet", "mycket", NULL, err), PR_OK);
  assert_int_equal(store_answer(s, u, "trygghet", "inte_alls", NULL, err),
                   PR_OK);
  assert_int_equal(store_answer(s, u, "kommentar", NULL,
                                "Bra bemötande i receptionen, å ä ö.", err),
                   PR_OK);
  assert_int_equal(store_answer(s, u, "respekt", "mycket", NULL, err), PR_OK);
  assert_int_equal(store_unanswer(s, u, "respekt", err), PR_OK);
  assert_int_equal(store_unanswer(s, u, "respekt", err), PR_OK); /* again */
  assert_int_equal(store_set_proxy(s, u, 1, err), PR_OK);
  store_close(s);

  /* Everything is there after reopening the file. */
  s = open_ok(path);
  assert_null(store_recovered_from(s));
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_string_equal(r->uuid, u);
  assert_string_equal(r->set_id, "kiosk-besok");
  assert_int_equal(r->set_version, 1);
  assert_string_equal(r->unit, UNIT);
  assert_int_equal(r->mode, QSET_MODE_KIOSK);
  assert_string_equal(r->lang, "sv");
  assert_int_equal(r->proxy, 1);
  assert_int_equal(r->status, STORE_IN_PROGRESS);
  assert_string_equal(r->date, "2026-11-24");   /* PATIENTROST_NOW */
  assert_string_equal(r->track, "");
  assert_int_equal(r->synced, 0);
  assert_int_equal(r->n_answers, 3);
  assert_string_equal(find_answer(r, "nojdhet")->option, "mycket");
  assert_null(find_answer(r, "nojdhet")->text);
  assert_string_equal(find_answer(r, "kommentar")->text,
                      "Bra bemötande i receptionen, å ä ö.");
  assert_string_equal(find_answer(r, "kommentar")->option, "");
  assert_null(find_answer(r, "respekt"));
  store_responses_free(r, 1);

  /* Not in the outbox until finished. */
  assert_int_equal(store_outbox_count(s), 0);
  assert_int_equal(store_finish(s, u, STORE_COMPLETE, err), PR_OK);
  assert_int_equal(store_outbox_count(s), 1);
  /* A finished response no longer changes. */
  assert_int_equal(store_answer(s, u, "nojdhet", "lite", NULL, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "already finished"));
  assert_int_equal(store_finish(s, u, STORE_ABANDONED, err), PR_OK);
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_int_equal(r->status, STORE_COMPLETE);
  assert_string_equal(find_answer(r, "nojdhet")->option, "mycket");
  store_responses_free(r, 1);
  store_close(s);
}

static void test_outbox_and_sync(void **state)
{
  char path[600], u[4][STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s;
  struct store_response *r = NULL;
  int n = -1, ab = -1;
  (void)state;
  path_in(path, sizeof(path), "outbox.db");
  s = open_ok(path);
  for(int i = 0; i < 4; i++) {
    begin_ok(s, "samordnare-kontakt", QSET_MODE_KIOSK, u[i]);
    if(i != 2)   /* response 2 stays without answers */
      assert_int_equal(store_answer(s, u[i], "nojdhet", "mycket", NULL, err),
                       PR_OK);
  }
  assert_int_equal(store_finish(s, u[0], STORE_COMPLETE, err), PR_OK);
  assert_int_equal(store_finish(s, u[2], STORE_COMPLETE, err), PR_OK);
  /* After a restart the open ones are abandoned: they still count. */
  assert_int_equal(store_abandon_open(s, &ab, err), PR_OK);
  assert_int_equal(ab, 2);
  assert_int_equal(store_outbox_count(s), 3);
  assert_int_equal(store_outbox(s, 2, &r, &n, err), PR_OK);
  assert_int_equal(n, 2);
  assert_string_equal(r[0].uuid, u[0]);      /* oldest first */
  assert_string_equal(r[1].uuid, u[1]);
  assert_int_equal(r[1].status, STORE_ABANDONED);
  assert_int_equal(r[0].n_answers, 1);
  assert_int_equal(store_mark_synced(s, (const char (*)[STORE_UUID_LEN])u, 2,
                                     err), PR_OK);
  store_responses_free(r, n);
  assert_int_equal(store_outbox(s, 10, &r, &n, err), PR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(r[0].uuid, u[3]);
  store_responses_free(r, n);
  assert_int_equal(store_outbox(s, 0, &r, &n, err), PR_EINVAL);
  store_close(s);
}

static int count_cb(const struct store_response *r, void *ctx)
{
  int *c = ctx;
  (void)r;
  return ++*c >= 250;   /* stop after 250 */
}

static void test_foreach_pages(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s;
  int c = 0;
  (void)state;
  path_in(path, sizeof(path), "foreach.db");
  s = open_ok(path);
  for(int i = 0; i < 450; i++)
    begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
  assert_int_equal(store_foreach(s, count_cb, &c, err), PR_OK);
  assert_int_equal(c, 250);
  store_close(s);
}

static void test_bad_input(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  char big[STORE_MAX_TEXT + 2];
  struct store *s;
  struct store_response *r = (struct store_response *)&err;
  (void)state;
  path_in(path, sizeof(path), "bad.db");
  s = open_ok(path);
  struct store_new n = {"kiosk-besok", 1, UNIT, QSET_MODE_KIOSK, "sv", 0,
                        NULL, NULL, "2026-02-30"};
  assert_int_equal(store_begin(s, &n, u, err), PR_EINVAL);
  assert_non_null(strstr(err, "2026-02-30"));
  assert_string_equal(u, "");
  n.date = "2026-02-28";
  n.unit = "SE 123'; DROP TABLE response;--";
  assert_int_equal(store_begin(s, &n, u, err), PR_EINVAL);
  n.unit = "se2321000032-abc123";          /* the aggregator refuses it */
  assert_int_equal(store_begin(s, &n, u, err), PR_EINVAL);
  n.unit = UNIT;
  n.mode = QSET_MODE_KIOSK | QSET_MODE_PHONE;
  assert_int_equal(store_begin(s, &n, u, err), PR_EINVAL);
  n.mode = QSET_MODE_KIOSK;
  n.track = "gul";
  assert_int_equal(store_begin(s, &n, u, err), PR_EINVAL);  /* kiosk */
  n.mode = QSET_MODE_PHONE;
  n.track = "lila";
  assert_int_equal(store_begin(s, &n, u, err), PR_EINVAL);
  n.track = "gul";
  n.care = "psykiatrisk";
  assert_int_equal(store_begin(s, &n, u, err), PR_OK);
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_string_equal(r->track, "gul");
  assert_string_equal(r->care, "psykiatrisk");
  /* a phone response keeps the Monday of its week (test_phone_week) */
  assert_string_equal(r->date, "2026-02-23");
  store_responses_free(r, 1);

  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  assert_int_equal(store_answer(s, u, "kommentar", NULL, big, err),
                   PR_ELIMIT);
  big[STORE_MAX_TEXT] = '\0';
  assert_int_equal(store_answer(s, u, "kommentar", NULL, big, err), PR_OK);
  assert_int_equal(store_answer(s, u, "nojdhet", NULL, NULL, err), PR_EINVAL);
  assert_int_equal(store_answer(s, u, "nojdhet", "ja", "text", err),
                   PR_EINVAL);
  assert_int_equal(store_answer(s, u, "no jdhet", "ja", NULL, err),
                   PR_EINVAL);
  assert_int_equal(store_answer(s, "00000000-0000-4000-8000-000000000000",
                                "nojdhet", "ja", NULL, err), PR_ENOTFOUND);
  assert_int_equal(store_get(s, "00000000-0000-4000-8000-000000000000", &r,
                             err), PR_ENOTFOUND);
  assert_null(r);
  assert_int_equal(store_unanswer(s, "00000000-0000-4000-8000-000000000000",
                                  "nojdhet", err), PR_ENOTFOUND);
  assert_int_equal(store_finish(s, u, STORE_IN_PROGRESS, err), PR_EINVAL);
  assert_int_equal(store_finish(s, u, STORE_COMPLETE, err), PR_OK);
  /* A finished response keeps its answers. */
  assert_int_equal(store_unanswer(s, u, "kommentar", err), PR_EINVAL);
  assert_int_equal(store_set_proxy(s, u, 1, err), PR_EINVAL);
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_int_equal(r->n_answers, 1);
  assert_int_equal(r->proxy, 0);
  store_responses_free(r, 1);
  store_close(s);
  store_close(NULL);
}

static enum pr_rc read_pragmas(struct sqlite3 *db, void *ctx, char *err)
{
  char *out = ctx;
  sqlite3_stmt *st = NULL;
  (void)err;
  if(sqlite3_prepare_v2(db, "SELECT (SELECT journal_mode FROM "
                        "pragma_journal_mode) || ' ' || (SELECT synchronous "
                        "FROM pragma_synchronous) || ' ' || (SELECT "
                        "secure_delete FROM pragma_secure_delete)", -1, &st,
                        NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    return PR_EDB;
  }
  snprintf(out, 64, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return PR_OK;
}

/* Durability settings: WAL, synchronous=FULL (2), secure_delete on. */
static void test_durability_pragmas(void **state)
{
  char path[600], got[64] = "", err[PR_ERR_LEN] = "";
  struct store *s;
  (void)state;
  path_in(path, sizeof(path), "pragmas.db");
  s = open_ok(path);
  assert_int_equal(store_with_db(s, read_pragmas, got, err), PR_OK);
  assert_string_equal(got, "wal 2 1");
  store_close(s);
}

static void test_meta_and_check(void **state)
{
  char path[600], buf[64], small[4], err[PR_ERR_LEN] = "", rep[512];
  struct store *s;
  (void)state;
  path_in(path, sizeof(path), "meta.db");
  s = open_ok(path);
  assert_int_equal(store_meta_get(s, "staff_pin_hash", buf, sizeof(buf)),
                   PR_ENOTFOUND);
  assert_int_equal(store_meta_set(s, "sync_last_ok", "2026-11-24", err),
                   PR_OK);
  assert_int_equal(store_meta_set(s, "sync_last_ok", "2026-11-25", err),
                   PR_OK);
  assert_int_equal(store_meta_get(s, "sync_last_ok", buf, sizeof(buf)),
                   PR_OK);
  assert_string_equal(buf, "2026-11-25");
  assert_int_equal(store_meta_get(s, "sync_last_ok", small, sizeof(small)),
                   PR_ELIMIT);
  assert_int_equal(store_check(s, rep, sizeof(rep)), PR_OK);
  assert_non_null(strstr(rep, "integrity_check: ok"));
  char want[64];
  snprintf(want, sizeof(want), "schema version: %d (this program: %d)",
           schema_latest(), schema_latest());
  assert_non_null(strstr(rep, want));
  store_close(s);
}

/* The store keeps a date and never a time of day. */
static void test_no_time_of_day_stored(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s;
  sqlite3 *db;
  sqlite3_stmt *st;
  (void)state;
  path_in(path, sizeof(path), "notime.db");
  s = open_ok(path);
  begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
  assert_int_equal(store_answer(s, u, "nojdhet", "mycket", NULL, err), PR_OK);
  store_close(s);
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM response", -1, &st,
                                      NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  for(int c = 0; c < sqlite3_column_count(st); c++) {
    const char *name = sqlite3_column_name(st, c);
    const char *v = (const char *)sqlite3_column_text(st, c);
    assert_null(strstr(name, "time"));
    assert_null(strstr(name, "created"));
    if(v) {
      assert_null(strchr(v, ':'));   /* no HH:MM anywhere */
      if(sqlite3_column_type(st, c) == SQLITE_INTEGER)
        assert_true(sqlite3_column_int64(st, c) < 100000);  /* no epoch */
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* A phone response keeps only the Monday of its ISO week; a kiosk
 * response its day. */
static void test_phone_week(void **state)
{
  static const struct { const char *given, *kept; } d[] = {
    {"2026-11-23", "2026-11-23"},     /* a Monday stays */
    {"2026-11-26", "2026-11-23"},     /* Thursday */
    {"2026-11-29", "2026-11-23"},     /* Sunday */
    {"2027-01-01", "2026-12-28"},     /* Friday of 2026-W53 */
  };
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s;
  struct store_response *r = NULL;
  (void)state;
  path_in(path, sizeof(path), "phoneweek.db");
  s = open_ok(path);
  for(size_t i = 0; i < PR_ARRAY_LEN(d); i++) {
    struct store_new n = {"ring-upp-utskrivning", 1, UNIT, QSET_MODE_PHONE,
                          "sv", 0, "rod", "somatisk", d[i].given};
    assert_int_equal(store_begin(s, &n, u, err), PR_OK);
    assert_int_equal(store_get(s, u, &r, err), PR_OK);
    assert_string_equal(r->date, d[i].kept);
    store_responses_free(r, 1);
  }
  /* today (PATIENTROST_NOW: Tuesday 2026-11-24) */
  struct store_new n = {"ring-upp-utskrivning", 1, UNIT, QSET_MODE_PHONE,
                        "sv", 0, "gul", "psykiatrisk", NULL};
  assert_int_equal(store_begin(s, &n, u, err), PR_OK);
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_string_equal(r->date, "2026-11-23");
  store_responses_free(r, 1);
  struct store_new k = {"kiosk-besok", 1, UNIT, QSET_MODE_KIOSK, "sv", 0,
                        NULL, NULL, "2026-11-26"};
  assert_int_equal(store_begin(s, &k, u, err), PR_OK);
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_string_equal(r->date, "2026-11-26");
  store_responses_free(r, 1);
  store_close(s);
}

/* Read a whole small file into buf; its length, or -1. */
static long slurp(const char *path, char *buf, size_t cap)
{
  FILE *f = fopen(path, "rb");
  size_t n;
  if(!f)
    return -1;
  n = fread(buf, 1, cap, f);
  fclose(f);
  return (long)n;
}

/* Files in dir whose name starts with prefix. */
static int count_prefixed(const char *prefix)
{
  char cmd[1400], out[32] = "";
  FILE *p;
  long n = -1;
  snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -c '^%s'", dir, prefix);
  p = popen(cmd, "r");
  if(!p)
    return -1;
  if(!fgets(out, sizeof(out), p))
    out[0] = '\0';
  pclose(p);
  out[strcspn(out, "\n")] = '\0';
  if(pr_parse_long(out, 0, 1000, &n) != 0)
    return -1;
  return (int)n;
}

/* A staff command's open of something that is not a store: refused with a
 * message, and the file is exactly as it was, with nothing beside it. */
static void test_staff_open_refuses_non_store(void **state)
{
  static const char csv[] = "Namn;Telefon;Personnummer\r\n"
                            "Test Testsson;0701740605;19121212-1212\r\n";
  static const enum store_mode modes[] = {STORE_WRITE, STORE_CREATE,
                                          STORE_READ};
  char path[600], buf[512], err[PR_ERR_LEN];
  struct store *s = (struct store *)&s;
  sqlite3 *db;
  FILE *f;
  (void)state;

  path_in(path, sizeof(path), "lista.csv");
  f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(csv, 1, sizeof(csv) - 1, f);
  fclose(f);
  for(size_t i = 0; i < PR_ARRAY_LEN(modes); i++) {
    err[0] = '\0';
    assert_int_equal(store_open_mode(path, modes[i], &s, err), PR_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err, "lista.csv is not a Patientröst store "
                                "(not an SQLite database)"));
    assert_int_equal(slurp(path, buf, sizeof(buf)), (long)sizeof(csv) - 1);
    assert_memory_equal(buf, csv, sizeof(csv) - 1);
    assert_int_equal(count_prefixed("lista.csv"), 1);   /* nothing beside */
  }

  path_in(path, sizeof(path), "empty.db");
  f = fopen(path, "wb");
  assert_non_null(f);
  fclose(f);
  for(size_t i = 0; i < PR_ARRAY_LEN(modes); i++) {
    assert_int_equal(store_open_mode(path, modes[i], &s, err), PR_EINVAL);
    assert_non_null(strstr(err, "not a Patientröst store (an empty file)"));
    assert_int_equal(slurp(path, buf, sizeof(buf)), 0);
    assert_int_equal(count_prefixed("empty.db"), 1);
  }

  path_in(path, sizeof(path), "other.db");
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "CREATE TABLE recipe(name TEXT)", NULL,
                                NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  for(size_t i = 0; i < PR_ARRAY_LEN(modes); i++) {
    assert_int_equal(store_open_mode(path, modes[i], &s, err), PR_EINVAL);
    assert_non_null(strstr(err, "other.db is not a Patientröst store"));
  }
  assert_int_equal(count_prefixed("other.db"), 1);

  /* No file: the readers and writers say so and create nothing. */
  path_in(path, sizeof(path), "missing.db");
  assert_int_equal(store_open_mode(path, STORE_READ, &s, err), PR_ENOTFOUND);
  assert_non_null(strstr(err, "no store file at"));
  assert_int_equal(store_open_mode(path, STORE_WRITE, &s, err),
                   PR_ENOTFOUND);
  assert_int_equal(count_prefixed("missing.db"), 0);
  /* ...and STORE_CREATE makes a store there. */
  assert_int_equal(store_open_mode(path, STORE_CREATE, &s, err), PR_OK);
  assert_int_equal(store_schema_version(s), schema_latest());
  store_close(s);
  assert_int_equal(store_open_mode(path, STORE_READ, &s, err), PR_OK);
  store_close(s);
}

/* Damage in a store's pages: a staff command reports it and leaves the
 * file as it is; only the kiosk's open moves it aside. */
static void test_staff_open_leaves_damage(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "", noise[4096];
  static char before[256 * 1024], after[256 * 1024];
  struct store *s;
  long n1, n2;
  FILE *f;
  (void)state;
  path_in(path, sizeof(path), "hurt.db");
  s = open_ok(path);
  for(int i = 0; i < 200; i++) {
    begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
    assert_int_equal(store_answer(s, u, "kommentar", NULL,
                                  "En ganska lång kommentar som fyller "
                                  "sidorna i databasen en bit.", err), PR_OK);
  }
  store_close(s);
  for(size_t i = 0; i < sizeof(noise); i++)
    noise[i] = (char)(i * 7 + 3);
  f = fopen(path, "r+b");
  assert_non_null(f);
  fseek(f, 4 * 4096, SEEK_SET);
  fwrite(noise, 1, sizeof(noise), f);
  fclose(f);
  n1 = slurp(path, before, sizeof(before));
  assert_true(n1 > 8 * 4096 && n1 < (long)sizeof(before));
  assert_int_equal(store_open_mode(path, STORE_READ, &s, err), PR_ECORRUPT);
  assert_null(s);
  assert_non_null(strstr(err, "is damaged"));
  assert_non_null(strstr(err, "left as it is"));
  assert_int_equal(store_open_mode(path, STORE_WRITE, &s, err), PR_ECORRUPT);
  assert_non_null(strstr(err, "is damaged"));
  n2 = slurp(path, after, sizeof(after));
  assert_int_equal(n1, n2);
  assert_memory_equal(before, after, (size_t)n1);
  assert_int_equal(count_prefixed("hurt.db.corrupt-"), 0);
  s = open_ok(path);                      /* the kiosk still recovers */
  assert_non_null(store_recovered_from(s));
  store_close(s);
}

/* A read-only handle reads, writes nothing, and brings an old schema up
 * to date first. */
static void test_read_only_handle(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s, *ro;
  struct store_response *r = NULL;
  sqlite3 *db;
  (void)state;
  path_in(path, sizeof(path), "ro.db");
  s = open_ok(path);
  begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
  assert_int_equal(store_answer(s, u, "nojdhet", "lite", NULL, err), PR_OK);
  store_close(s);
  assert_int_equal(store_open_mode(path, STORE_READ, &ro, err), PR_OK);
  assert_true(store_readonly(ro));
  assert_int_equal(store_get(ro, u, &r, err), PR_OK);
  assert_int_equal(r->n_answers, 1);
  store_responses_free(r, 1);
  assert_int_not_equal(store_answer(ro, u, "nojdhet", "mycket", NULL, err),
                       PR_OK);
  assert_int_equal(store_get(ro, u, &r, err), PR_OK);
  assert_string_equal(r->answers[0].option, "lite");
  store_responses_free(r, 1);
  store_close(ro);

  path_in(path, sizeof(path), "ro-old.db");
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL,
                                NULL), SQLITE_OK);
  assert_int_equal(schema_migrate_to(db, 1, err), PR_OK);
  sqlite3_close(db);
  assert_int_equal(store_open_mode(path, STORE_READ, &ro, err), PR_OK);
  assert_int_equal(store_schema_version(ro), schema_latest());
  store_close(ro);
}

static int count_answers(const struct store_response *r, void *ctx)
{
  *(int *)ctx += r->n_answers;
  return 0;
}

/* Holds a store open as the kiosk does until killed; says "open" on fd. */
static void hold_store(const char *path, int fd)
{
  struct store *s = NULL;
  char err[PR_ERR_LEN], u[STORE_UUID_LEN];
  struct store_new n = {"kiosk-besok", 1, UNIT, QSET_MODE_KIOSK, "sv", 0,
                        NULL, NULL, NULL};
  if(store_open(path, &s, err) != PR_OK ||
     store_begin(s, &n, u, err) != PR_OK ||
     store_answer(s, u, "nojdhet", "mycket", NULL, err) != PR_OK)
    _exit(3);
  if(write(fd, "k", 1) != 1)
    _exit(4);
  for(;;)
    pause();
}

/* Two writers never share a file: the second gets PR_EBUSY naming the
 * file and the holder, readers go on, and a killed holder frees it. */
static void test_writer_lock(void **state)
{
  char path[600], err[PR_ERR_LEN] = "", want[64], c;
  int fds[2], status;
  struct store *s = (struct store *)&s, *ro = NULL, *w = NULL;
  int n = 0;
  pid_t pid;
  (void)state;
  path_in(path, sizeof(path), "locked.db");
  assert_int_equal(pipe(fds), 0);
  pid = fork();
  assert_true(pid >= 0);
  if(pid == 0) {
    close(fds[0]);
    hold_store(path, fds[1]);
  }
  close(fds[1]);
  assert_int_equal(read(fds[0], &c, 1), 1);
  close(fds[0]);

  assert_int_equal(store_open(path, &s, err), PR_EBUSY);
  assert_null(s);
  assert_non_null(strstr(err, path));
  assert_non_null(strstr(err, "in use by another Patientröst program"));
  snprintf(want, sizeof(want), "pid %ld)", (long)pid);
  assert_non_null(strstr(err, want));
  assert_int_equal(store_open_mode(path, STORE_WRITE, &s, err), PR_EBUSY);
  assert_int_equal(store_open_mode(path, STORE_CREATE, &s, err), PR_EBUSY);
  /* Reading works while the kiosk runs, and sees its committed answer. */
  assert_int_equal(store_open_mode(path, STORE_READ, &ro, err), PR_OK);
  assert_int_equal(store_foreach(ro, count_answers, &n, err), PR_OK);
  assert_int_equal(n, 1);

  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  /* The kernel dropped the dead holder's lock. */
  w = open_ok(path);
  assert_null(store_recovered_from(w));
  /* One process, two writer handles: refused too. */
  assert_int_equal(store_open_mode(path, STORE_WRITE, &s, err), PR_EBUSY);
  store_close(w);
  store_close(ro);
}

/* A file the program may not read or write, or a directory it may not
 * create files in, is named as a permission problem with the path.  Run
 * in a child as "nobody" when the test runs as root (root reads all). */
static void test_unreadable_store(void **state)
{
  char path[600], sub[600], fresh[700], msg[3][PR_ERR_LEN];
  int fds[2], status;
  struct store *s;
  pid_t pid;
  (void)state;
  path_in(path, sizeof(path), "noperm.db");
  s = open_ok(path);
  store_close(s);
  assert_int_equal(chmod(path, 0), 0);
  path_in(sub, sizeof(sub), "ro-dir");
  assert_int_equal(mkdir(sub, 0755), 0);
  assert_int_equal(chmod(sub, 0555), 0);
  snprintf(fresh, sizeof(fresh), "%s/kiosk.db", sub);
  assert_int_equal(pipe(fds), 0);
  pid = fork();
  assert_true(pid >= 0);
  if(pid == 0) {
    struct store *cs = NULL;
    char m[3][PR_ERR_LEN];
    memset(m, 0, sizeof(m));
    close(fds[0]);
    if(geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
      _exit(3);
    if(store_open(path, &cs, m[0]) != PR_EIO ||
       store_open_mode(path, STORE_READ, &cs, m[1]) != PR_EIO ||
       store_open(fresh, &cs, m[2]) != PR_EIO)
      _exit(4);
    if(write(fds[1], m, sizeof(m)) != (ssize_t)sizeof(m))
      _exit(5);
    _exit(0);
  }
  close(fds[1]);
  memset(msg, 0, sizeof(msg));
  assert_int_equal(read(fds[0], msg, sizeof(msg)), (ssize_t)sizeof(msg));
  close(fds[0]);
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  chmod(path, 0600);
  chmod(sub, 0755);
  for(int i = 0; i < 2; i++) {
    assert_non_null(strstr(msg[i], path));
    assert_non_null(strstr(msg[i], "Permission denied"));
    assert_null(strstr(msg[i], "unable to open database file"));
  }
  assert_non_null(strstr(msg[0], "no permission to read and write it"));
  assert_non_null(strstr(msg[1], "no permission to read it"));
  assert_non_null(strstr(msg[0], "mode 0000"));
  assert_non_null(strstr(msg[2], "no permission to create files in the "
                                 "directory"));
  assert_non_null(strstr(msg[2], sub));
}

static void test_missing_dir(void **state)
{
  struct store *s = (struct store *)&s;
  char err[PR_ERR_LEN] = "", path[600];
  (void)state;
  path_in(path, sizeof(path), "no/such/dir/kiosk.db");
  assert_int_equal(store_open(path, &s, err), PR_EIO);
  assert_null(s);
  assert_non_null(strstr(err, "does not exist"));
  assert_non_null(strstr(err, "no/such/dir"));
  assert_int_equal(store_open(dir, &s, err), PR_EIO);   /* a directory */
}

static int file_equals(const char *path, const char *want, size_t len)
{
  char buf[256];
  FILE *f = fopen(path, "rb");
  size_t n;
  if(!f)
    return 0;
  n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  return n == len && memcmp(buf, want, len) == 0;
}

static void test_garbage_file_moved_aside(void **state)
{
  static const char junk[] = "this is not a database, it is a shopping list";
  char path[600], u[STORE_UUID_LEN];
  struct store *s;
  FILE *f;
  (void)state;
  path_in(path, sizeof(path), "garbage.db");
  f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(junk, 1, sizeof(junk), f);
  fclose(f);
  s = open_ok(path);
  assert_non_null(store_recovered_from(s));
  assert_non_null(strstr(store_recovered_from(s), "garbage.db.corrupt-"));
  /* The corrupt file is kept byte for byte, never overwritten. */
  assert_true(file_equals(store_recovered_from(s), junk, sizeof(junk)));
  begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);   /* fresh store works */
  store_close(s);
}

static void test_damaged_pages_moved_aside(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s;
  struct stat st;
  FILE *f;
  char noise[4096];
  (void)state;
  path_in(path, sizeof(path), "damaged.db");
  s = open_ok(path);
  for(int i = 0; i < 200; i++) {
    begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
    assert_int_equal(store_answer(s, u, "kommentar", NULL,
                                  "En ganska lång kommentar som fyller "
                                  "sidorna i databasen en bit.", err), PR_OK);
  }
  store_close(s);   /* checkpoints the WAL into the main file */
  assert_int_equal(stat(path, &st), 0);
  assert_true(st.st_size > 8 * 4096);
  for(size_t i = 0; i < sizeof(noise); i++)
    noise[i] = (char)(i * 7 + 3);
  f = fopen(path, "r+b");
  assert_non_null(f);
  fseek(f, 4 * 4096, SEEK_SET);
  fwrite(noise, 1, sizeof(noise), f);
  fclose(f);
  s = open_ok(path);
  assert_non_null(store_recovered_from(s));
  assert_int_equal(stat(store_recovered_from(s), &st), 0);
  assert_int_equal(store_outbox_count(s), 0);
  store_close(s);
}

static void test_migration_from_v1(void **state)
{
  char path[600], err[PR_ERR_LEN] = "";
  sqlite3 *db;
  struct store *s;
  struct store_response *r = NULL;
  int n = 0;
  (void)state;
  path_in(path, sizeof(path), "v1.db");
  /* Build a store exactly as version 1 of the program left it (a frozen
   * copy of that schema, not the current code's step 1). */
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db,
    "PRAGMA journal_mode = WAL;"
    "CREATE TABLE response(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL "
    "UNIQUE, set_id TEXT NOT NULL, set_version INTEGER NOT NULL, unit TEXT "
    "NOT NULL, mode INTEGER NOT NULL, lang TEXT NOT NULL, proxy INTEGER NOT "
    "NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, "
    "1, 2)), day TEXT NOT NULL, synced INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE answer(response INTEGER NOT NULL REFERENCES response(id) "
    "ON DELETE CASCADE, question TEXT NOT NULL, option TEXT, text TEXT, "
    "PRIMARY KEY(response, question)) WITHOUT ROWID;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db,
    "INSERT INTO response(uuid, set_id, set_version, unit, mode, lang, "
    "proxy, status, day) VALUES('6f1c2a9e-1b7d-4c3e-9a55-0d2f8e4b7c11', "
    "'samordnare-kontakt', 1, 'SE2321000032-ABC123', 1, 'ar', 0, 1, "
    "'2026-03-02');"
    "INSERT INTO answer VALUES(1, 'nojdhet', 'lite', NULL);"
    "INSERT INTO answer VALUES(1, 'battre', NULL, 'Längre tid för samtal');"
    "INSERT INTO meta VALUES('staff_pin_hash', 'x');",
    NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);

  s = open_ok(path);
  assert_int_equal(store_schema_version(s), schema_latest());
  assert_int_equal(store_outbox(s, 10, &r, &n, err), PR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(r[0].uuid, "6f1c2a9e-1b7d-4c3e-9a55-0d2f8e4b7c11");
  assert_string_equal(r[0].lang, "ar");
  assert_string_equal(r[0].date, "2026-03-02");
  assert_string_equal(r[0].track, "");
  assert_int_equal(r[0].n_answers, 2);
  assert_string_equal(find_answer(&r[0], "battre")->text,
                      "Längre tid för samtal");
  store_responses_free(r, n);
  store_close(s);
}

/* A store interrupted between migration steps resumes at the next one. */
static void test_migrate_stepwise(void **state)
{
  char path[600], err[PR_ERR_LEN] = "";
  sqlite3 *db;
  struct store *s;
  (void)state;
  path_in(path, sizeof(path), "stepwise.db");
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(schema_migrate_to(db, 1, err), PR_OK);
  sqlite3_close(db);
  s = open_ok(path);
  assert_int_equal(store_schema_version(s), schema_latest());
  store_close(s);
  s = open_ok(path);                /* idempotent on an up-to-date store */
  assert_int_equal(store_schema_version(s), schema_latest());
  store_close(s);
}

static void test_newer_schema_refused(void **state)
{
  char path[600], err[PR_ERR_LEN] = "";
  sqlite3 *db;
  struct store *s = NULL;
  struct stat st;
  (void)state;
  path_in(path, sizeof(path), "future.db");
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(schema_migrate(db, err), PR_OK);
  assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL,
                                NULL), SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(store_open(path, &s, err), PR_EINVAL);
  assert_null(s);
  assert_non_null(strstr(err, "newer"));
  assert_int_equal(stat(path, &st), 0);   /* left where it was */
}

static enum pr_rc cap_pages(struct sqlite3 *db, void *ctx, char *err)
{
  sqlite3_stmt *st = NULL;
  char sql[64];
  int pages = -1;
  (void)ctx;
  (void)err;
  if(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL) == SQLITE_OK
     && sqlite3_step(st) == SQLITE_ROW)
    pages = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if(pages < 1)
    return PR_EDB;
  /* The database may not grow: the next page needed is a full disk. */
  snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d", pages + 2);
  return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? PR_OK
                                                              : PR_EDB;
}

static void test_full_disk_is_loud(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "", text[1500];
  char qid[32];
  struct store *s;
  struct store_response *r = NULL;
  enum pr_rc rc = PR_OK;
  int saved = 0;
  (void)state;
  path_in(path, sizeof(path), "full.db");
  s = open_ok(path);
  begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
  assert_int_equal(store_with_db(s, cap_pages, NULL, err), PR_OK);
  memset(text, 'a', sizeof(text) - 1);
  text[sizeof(text) - 1] = '\0';
  for(int i = 0; i < 200 && rc == PR_OK; i++) {
    snprintf(qid, sizeof(qid), "q%d", i);
    rc = store_answer(s, u, qid, NULL, text, err);
    if(rc == PR_OK)
      saved++;
  }
  assert_int_equal(rc, PR_EFULL);
  assert_non_null(strstr(err, "NOT saved"));
  /* Exactly the answers reported saved are there; the failed one is not. */
  assert_int_equal(store_get(s, u, &r, err), PR_OK);
  assert_int_equal(r->n_answers, saved);
  snprintf(qid, sizeof(qid), "q%d", saved);
  assert_null(find_answer(r, qid));
  store_responses_free(r, 1);
  store_close(s);
}

/* A real write failure from the kernel: a child process whose file-size
 * limit is hit (EFBIG) keeps saving; every save it was told succeeded must
 * be in the file afterwards, and the failure must be reported. */
static void test_os_write_failure_is_loud(void **state)
{
  char path[600], err[PR_ERR_LEN] = "";
  int fds[2], status = 0;
  struct { int saved; int rc; char uuid[STORE_UUID_LEN]; } res;
  struct store *s;
  struct store_response *r = NULL;
  pid_t pid;
  (void)state;
  path_in(path, sizeof(path), "efbig.db");
  s = open_ok(path);                /* created at full size of its schema */
  store_close(s);
  assert_int_equal(pipe(fds), 0);
  pid = fork();
  assert_true(pid >= 0);
  if(pid == 0) {
    struct rlimit rl = {256 * 1024, 256 * 1024};
    char text[1800], qid[16];
    memset(&res, 0, sizeof(res));
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &rl);
    if(store_open(path, &s, err) != PR_OK)
      _exit(3);
    struct store_new n = {"kiosk-besok", 1, UNIT, QSET_MODE_KIOSK, "sv", 0,
                          NULL, NULL, NULL};
    if(store_begin(s, &n, res.uuid, err) != PR_OK)
      _exit(4);
    memset(text, 'b', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    res.rc = PR_OK;
    err[0] = '\0';
    for(int i = 0; i < 2000 && res.rc == PR_OK; i++) {
      snprintf(qid, sizeof(qid), "q%d", i);
      res.rc = store_answer(s, res.uuid, qid, NULL, text, err);
      if(res.rc == PR_OK)
        res.saved++;
    }
    if(!strstr(err, "NOT saved"))
      _exit(6);
    if(write(fds[1], &res, sizeof(res)) != (ssize_t)sizeof(res))
      _exit(5);
    _exit(0);                       /* no close: like a crash after it */
  }
  close(fds[1]);
  assert_int_equal(read(fds[0], &res, sizeof(res)), (ssize_t)sizeof(res));
  close(fds[0]);
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  assert_true(res.rc == PR_EIO || res.rc == PR_EFULL);
  assert_true(res.saved > 10);
  s = open_ok(path);
  assert_null(store_recovered_from(s));
  assert_int_equal(store_get(s, res.uuid, &r, err), PR_OK);
  assert_int_equal(r->n_answers, res.saved);
  store_responses_free(r, 1);
  store_close(s);
}

struct writer {
  struct store *s;
  char uuid[STORE_UUID_LEN];
  int failures;
};

static void *writer_main(void *arg)
{
  struct writer *w = arg;
  char err[PR_ERR_LEN];
  for(int i = 0; i < 100; i++) {
    char q[16];
    snprintf(q, sizeof(q), "q%d", i);
    if(store_answer(w->s, w->uuid, q, "ja", NULL, err) != PR_OK)
      w->failures++;
  }
  return NULL;
}

static void test_two_threads_one_handle(void **state)
{
  char path[600], err[PR_ERR_LEN] = "";
  struct store *s;
  struct writer w[2];
  pthread_t t[2];
  struct store_response *r = NULL;
  (void)state;
  path_in(path, sizeof(path), "threads.db");
  s = open_ok(path);
  for(int i = 0; i < 2; i++) {
    w[i].s = s;
    w[i].failures = 0;
    begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, w[i].uuid);
    assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
  }
  for(int i = 0; i < 2; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(w[i].failures, 0);
    assert_int_equal(store_get(s, w[i].uuid, &r, err), PR_OK);
    assert_int_equal(r->n_answers, 100);
    store_responses_free(r, 1);
  }
  store_close(s);
}

/* Every failed allocation is PR_ENOMEM with nothing returned (ASan checks
 * that nothing leaks), until the call succeeds. */
static void test_alloc_failures(void **state)
{
  char path[600], u[STORE_UUID_LEN], err[PR_ERR_LEN] = "";
  struct store *s = NULL;
  struct store_response *r = NULL;
  int fails = 0, n = 0;
  enum pr_rc rc = PR_ENOMEM;
  (void)state;
  path_in(path, sizeof(path), "alloc.db");
  for(long k = 0; k < 1000 && rc != PR_OK; k++) {
    pr_alloc_fail_after(k);
    rc = store_open(path, &s, err);
    pr_alloc_fail_after(-1);
    if(rc != PR_OK) {
      assert_int_equal(rc, PR_ENOMEM);
      assert_null(s);
      fails++;
    }
  }
  assert_int_equal(rc, PR_OK);
  assert_true(fails >= 2);
  begin_ok(s, "kiosk-besok", QSET_MODE_KIOSK, u);
  assert_int_equal(store_answer(s, u, "kommentar", NULL, "text", err), PR_OK);
  assert_int_equal(store_answer(s, u, "nojdhet", "lite", NULL, err), PR_OK);
  assert_int_equal(store_finish(s, u, STORE_COMPLETE, err), PR_OK);
  fails = 0;
  rc = PR_ENOMEM;
  for(long k = 0; k < 1000 && rc != PR_OK; k++) {
    pr_alloc_fail_after(k);
    rc = store_outbox(s, 10, &r, &n, err);
    pr_alloc_fail_after(-1);
    if(rc != PR_OK) {
      assert_int_equal(rc, PR_ENOMEM);
      assert_null(r);
      assert_int_equal(n, 0);
      fails++;
    }
  }
  assert_int_equal(rc, PR_OK);
  assert_true(fails >= 3);
  assert_int_equal(n, 1);
  assert_int_equal(r[0].n_answers, 2);
  store_responses_free(r, n);
  store_close(s);
}

static void test_uuid_v4(void **state)
{
  char a[UUID_STR_LEN], b[UUID_STR_LEN];
  (void)state;
  for(int i = 0; i < 1000; i++) {
    assert_int_equal(uuid_v4(a), PR_OK);
    assert_true(uuid_is_v4(a));
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    assert_int_equal(uuid_v4(b), PR_OK);
    assert_string_not_equal(a, b);
  }
  assert_false(uuid_is_v4("6F1C2A9E-1B7D-4C3E-9A55-0D2F8E4B7C11"));
  assert_false(uuid_is_v4("6f1c2a9e-1b7d-1c3e-9a55-0d2f8e4b7c11"));
  assert_false(uuid_is_v4("6f1c2a9e1b7d4c3e9a550d2f8e4b7c11"));
  assert_false(uuid_is_v4(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_outbox_and_sync),
    cmocka_unit_test(test_foreach_pages),
    cmocka_unit_test(test_bad_input),
    cmocka_unit_test(test_meta_and_check),
    cmocka_unit_test(test_durability_pragmas),
    cmocka_unit_test(test_no_time_of_day_stored),
    cmocka_unit_test(test_missing_dir),
    cmocka_unit_test(test_garbage_file_moved_aside),
    cmocka_unit_test(test_damaged_pages_moved_aside),
    cmocka_unit_test(test_migration_from_v1),
    cmocka_unit_test(test_migrate_stepwise),
    cmocka_unit_test(test_newer_schema_refused),
    cmocka_unit_test(test_full_disk_is_loud),
    cmocka_unit_test(test_os_write_failure_is_loud),
    cmocka_unit_test(test_two_threads_one_handle),
    cmocka_unit_test(test_alloc_failures),
    cmocka_unit_test(test_uuid_v4),
    cmocka_unit_test(test_phone_week),
    cmocka_unit_test(test_staff_open_refuses_non_store),
    cmocka_unit_test(test_staff_open_leaves_damage),
    cmocka_unit_test(test_read_only_handle),
    cmocka_unit_test(test_writer_lock),
    cmocka_unit_test(test_unreadable_store),
  };
  char cmd[1200];
  /* Pin "today" to 2026-11-24 12:00 UTC for the default response date. */
  setenv("PATIENTROST_NOW", "1795521600", 1);
  setenv("TZ", "UTC", 1);
  tzset();
  if(pr_init() != PR_OK)
    return 1;
  snprintf(dir, sizeof(dir), "%s/test_store", PR_TEST_OUT);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
  if(system(cmd) != 0)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
