/* test_calllist.c — This file contains the unit tests of calllist.c on a
 * real store file: import of every good file and every breakage, no
 * doubles, hand edits, the queue (order, call-backs, attempt limits,
 * calling hours, with the clock set by the test), SIP and weekly stats,
 * erasure, units checked and queues per unit, warnings for duplicates
 * that differ, no (date, track, care) join narrower than a week, and the
 * separation proof: planted names, numbers and
 * personnummer are searched for in every byte of the database and its
 * WAL/journal files after the retention period. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "callcheck.h"
#include "callstat.h"
#include "calllist.h"
#include "pdate.h"

#define UNIT "SE2321000032-PH0001"

/* 2026-11-24 (a Tuesday) at hh:mm UTC; the test runs with TZ=UTC. */
static time_t at(int day_offset, int hh, int mm)
{
  return (time_t)(pdate_from_ymd(2026, 11, 24) + day_offset) * 86400 +
         hh * 3600 + mm * 60;
}

struct fx {
  struct store *s;
  char path[512];
  struct calllist_cfg cfg;
};

static void remove_db(const char *path)
{
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
  char p[600];
  for(size_t i = 0; i < PR_ARRAY_LEN(sfx); i++) {
    snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
    unlink(p);
  }
}

static int setup(void **state)
{
  static int seq;
  struct fx *f = calloc(1, sizeof(*f));
  char err[PR_ERR_LEN];
  setenv("TZ", "UTC", 1);
  tzset();
  snprintf(f->path, sizeof(f->path), "%s/calllist-%d-%d.db", PR_TEST_OUT,
           (int)getpid(), seq++);
  remove_db(f->path);
  if(store_open(f->path, &f->s, err) || calllist_init(f->s, err)) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  calllist_cfg_default(&f->cfg);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  store_close(f->s);
  remove_db(f->path);
  free(f);
  return 0;
}

static void import(struct fx *f, const char *file, time_t now,
                   struct calllist_report *rep, enum pr_rc want)
{
  char path[512], err[PR_ERR_LEN] = "";
  snprintf(path, sizeof(path), "%s/calls/%s", PR_TEST_DATA, file);
  enum pr_rc rc = calllist_import_file(f->s, path, UNIT, NULL, now, rep, err);
  if(rc != want)
    fail_msg("%s: rc %d (%s)", file, rc, err);
}

static int count_all(struct fx *f)
{
  struct calllist_entry *v = NULL;
  int n = -1;
  char err[PR_ERR_LEN];
  assert_int_equal(calllist_all(f->s, &v, &n, err), PR_OK);
  pr_free(v);
  return n;
}

static void test_import_good(void **state)
{
  struct fx *f = *state;
  struct calllist_report rep;
  struct calllist_entry *v = NULL;
  int n;
  char err[PR_ERR_LEN];
  static const char *const files[] = {"good_utf8_semicolon_crlf.csv",
    "good_utf8bom_comma_lf.csv", "good_cp1252_semicolon_crlf.csv",
    "good_cp1252_comma_lf.csv", "good_utf8_comma_crlf.csv",
    "good_utf8bom_semicolon_lf.csv"};

  import(f, files[0], at(0, 10, 0), &rep, PR_OK);
  assert_int_equal(rep.added, 4);
  assert_int_equal(rep.rejected, 0);
  calllist_report_free(&rep);
  /* the same list again, in every other encoding and separator: no doubles */
  for(size_t i = 0; i < PR_ARRAY_LEN(files); i++) {
    import(f, files[i], at(0, 10, 0), &rep, PR_OK);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.duplicates, 4);
    assert_int_equal(rep.warned, 0);        /* the same rows: no warning */
    calllist_report_free(&rep);
  }
  assert_int_equal(calllist_all(f->s, &v, &n, err), PR_OK);
  assert_int_equal(n, 4);
  assert_string_equal(v[0].name, "Örjan Testsson");
  assert_string_equal(v[0].phone, "0705550101");
  assert_string_equal(v[0].pnr, "19400312-1235");
  assert_string_equal(v[0].track, "rod");
  assert_string_equal(v[1].name, "Åsa \"Lillan\" Provström");
  assert_string_equal(v[1].care, "psykiatrisk");
  assert_string_equal(v[2].phone, "+46705550103");
  assert_string_equal(v[2].pnr, "");
  assert_string_equal(v[2].track, "gron");
  assert_int_equal(v[3].consent, 0);
  assert_int_equal(v[0].discharge, pdate_from_ymd(2026, 11, 20));
  assert_string_equal(v[0].unit, UNIT);
  assert_int_equal(v[0].closed_day, -1);
  pr_free(v);
}

static void test_import_bad(void **state)
{
  struct fx *f = *state;
  struct calllist_report rep;
  struct calllist_entry *before = NULL, *after = NULL;
  int nb, na;
  char err[PR_ERR_LEN];
  static const struct { const char *file; int added; const char *msg; } b[] = {
    {"bad_check_digit.csv", 0, "line 3: personnummer check digit is wrong"},
    {"bad_future_date.csv", 0, "line 3: discharge date: in the future"},
    {"bad_unknown_track.csv", 0, "line 3: track: unknown (expected grön, gul"},
    {"bad_quoting.csv", 0, "line 3: a quote inside an unquoted field"},
    {"bad_field_count.csv", 0, "line 3: has 3 field(s), the header has 7"},
  };

  import(f, "good_utf8_semicolon_crlf.csv", at(0, 10, 0), &rep, PR_OK);
  calllist_report_free(&rep);
  assert_int_equal(calllist_all(f->s, &before, &nb, err), PR_OK);
  for(size_t i = 0; i < PR_ARRAY_LEN(b); i++) {
    import(f, b[i].file, at(0, 10, 0), &rep, PR_OK);
    assert_int_equal(rep.added, b[i].added);
    assert_true(rep.rejected >= 1);
    assert_true(rep.n_msgs == rep.rejected);
    if(strncmp(rep.msgs[0], b[i].msg, strlen(b[i].msg)) != 0)
      fail_msg("%s: '%s' is not '%s'", b[i].file, rep.msgs[0], b[i].msg);
    /* error texts never carry the personal data of the row */
    for(int k = 0; k < rep.n_msgs; k++) {
      assert_null(strstr(rep.msgs[k], "Provström"));
      assert_null(strstr(rep.msgs[k], "19521201"));
      assert_null(strstr(rep.msgs[k], "0102"));
    }
    calllist_report_free(&rep);
  }
  import(f, "bad_quoting.csv", at(0, 10, 0), &rep, PR_OK);
  assert_int_equal(rep.rejected, 2);
  assert_non_null(strstr(rep.msgs[1], "line 4: a quoted field opened on "
                         "line 4 is never closed"));
  calllist_report_free(&rep);
  /* a list whose calling window has passed (day 14; re-imported after
   * erasure, say) adds nothing */
  {
    static const char old[] = "namn;telefon;utskrivningsdatum;spår;vårdtyp;"
      "samtycke\nGammal Post;0705550909;2026-11-10;röd;somatisk;ja\n";
    assert_int_equal(calllist_import_buffer(f->s, "old.csv", old,
                     sizeof(old) - 1, UNIT, NULL, at(0, 10, 0), &rep, err),
                     PR_OK);
    assert_int_equal(rep.added, 0);
    assert_string_equal(rep.msgs[0], "line 2: discharge date: day 14 after "
                        "discharge, the calling window ended on day 7");
    calllist_report_free(&rep);
    f->cfg.day_to = 14;
    assert_int_equal(calllist_import_buffer(f->s, "old.csv", old,
                     sizeof(old) - 1, UNIT, &f->cfg, at(0, 10, 0), &rep,
                     err), PR_OK);
    assert_int_equal(rep.added, 1);          /* a wider window: in */
    calllist_report_free(&rep);
    nb++;
    before = pr_realloc(before, (size_t)nb * sizeof(*before));
    assert_non_null(before);
    assert_int_equal(calllist_get(f->s, (long)nb, &before[nb - 1], err),
                     PR_OK);
  }
  /* not CSV at all: refused, nothing added */
  import(f, "not_csv.html", at(0, 10, 0), &rep, PR_EINVAL);
  import(f, "bad_wrong_columns.csv", at(0, 10, 0), &rep, PR_EINVAL);
  /* everything already in the list is unchanged */
  assert_int_equal(calllist_all(f->s, &after, &na, err), PR_OK);
  assert_int_equal(na, nb);   /* the good rows there are all doubles */
  assert_memory_equal(before, after, (size_t)nb * sizeof(*before));
  pr_free(before);
  pr_free(after);
}

static long add(struct fx *f, const char *name, const char *phone,
                const char *disch, const char *track, const char *consent)
{
  struct calllist_input in = {name, phone, NULL, disch, track, "somatisk",
                              consent};
  char err[PR_ERR_LEN];
  long id = 0;
  if(calllist_add(f->s, &in, UNIT, at(0, 8, 0), &id, err))
    fail_msg("add: %s", err);
  return id;
}

static void queue_ids(struct fx *f, time_t now, long *ids, int *n,
                      int *closed)
{
  struct calllist_entry *v = NULL;
  char err[PR_ERR_LEN];
  assert_int_equal(calllist_queue(f->s, &f->cfg, UNIT, now, &v, n, closed,
                                  err),
                   PR_OK);
  for(int i = 0; i < *n && i < 16; i++)
    ids[i] = v[i].id;
  pr_free(v);
}

static void test_queue(void **state)
{
  struct fx *f = *state;
  long ids[16];
  int n, closed;
  char err[PR_ERR_LEN];
  /* today 2026-11-24: day 3 = 11-21, day 7 = 11-17 */
  long green = add(f, "Grön Gurka", "0705550201", "2026-11-20", "grön", "ja");
  long yel7 = add(f, "Gul Gammal", "0705550202", "2026-11-17", "gul", "ja");
  long red3 = add(f, "Röd Ros", "0705550203", "2026-11-21", "röd", "ja");
  long yel4 = add(f, "Gul Ny", "0705550204", "2026-11-20", "gul", "ja");
  add(f, "För Tidig", "0705550205", "2026-11-22", "röd", "ja");   /* day 2 */
  add(f, "För Sen", "0705550206", "2026-11-16", "röd", "ja");     /* day 8 */
  add(f, "Inget Samtycke", "0705550207", "2026-11-20", "röd", "nej");

  queue_ids(f, at(0, 10, 0), ids, &n, &closed);
  assert_int_equal(closed, 0);
  assert_int_equal(n, 4);
  assert_int_equal(ids[0], red3);
  assert_int_equal(ids[1], yel7);    /* oldest discharge first in a track */
  assert_int_equal(ids[2], yel4);
  assert_int_equal(ids[3], green);

  /* calling hours 09:00-18:00 */
  queue_ids(f, at(0, 8, 59), ids, &n, &closed);
  assert_int_equal(n, 0);
  assert_int_equal(closed, 1);
  queue_ids(f, at(0, 18, 0), ids, &n, &closed);
  assert_int_equal(closed, 1);
  queue_ids(f, at(0, 17, 59), ids, &n, &closed);
  assert_int_equal(n, 4);
  f->cfg.hour_from = 8 * 60;
  queue_ids(f, at(0, 8, 0), ids, &n, &closed);
  assert_int_equal(n, 4);
  f->cfg.hour_from = 9 * 60;

  /* configurable window: day 2..7 lists the early one too */
  f->cfg.day_from = 2;
  queue_ids(f, at(0, 10, 0), ids, &n, &closed);
  assert_int_equal(n, 5);
  f->cfg.day_from = 3;

  /* no answer: gone for 3 h, back after */
  assert_int_equal(calllist_record(f->s, &f->cfg, red3, DISPO_NOANSWER, 0,
                                   at(0, 10, 0), NULL, err), PR_OK);
  queue_ids(f, at(0, 12, 59), ids, &n, &closed);
  assert_int_equal(n, 3);
  assert_int_equal(ids[0], yel7);
  queue_ids(f, at(0, 13, 0), ids, &n, &closed);
  assert_int_equal(ids[0], red3);

  /* busy: 30 min */
  assert_int_equal(calllist_record(f->s, &f->cfg, yel7, DISPO_BUSY, 0,
                                   at(0, 13, 0), NULL, err), PR_OK);
  queue_ids(f, at(0, 13, 29), ids, &n, &closed);
  assert_int_equal(n, 3);
  queue_ids(f, at(0, 13, 30), ids, &n, &closed);
  assert_int_equal(n, 4);

  /* call back at tomorrow 14:15: first in the list then, above red */
  assert_int_equal(calllist_record(f->s, &f->cfg, green, DISPO_CALLBACK,
                                   at(0, 9, 0), at(0, 13, 30), NULL, err),
                   PR_EINVAL);                 /* the past: refused */
  assert_int_equal(calllist_record(f->s, &f->cfg, green, DISPO_CALLBACK,
                                   at(1, 14, 15), at(0, 13, 30), NULL, err),
                   PR_OK);
  queue_ids(f, at(1, 14, 14), ids, &n, &closed);
  assert_true(n >= 1 && ids[0] != green);
  for(int i = 0; i < n; i++)
    assert_int_not_equal(ids[i], green);
  queue_ids(f, at(1, 14, 15), ids, &n, &closed);
  assert_int_equal(ids[0], green);
  assert_int_equal(ids[1], red3);
}

static void test_attempt_limit(void **state)
{
  struct fx *f = *state;
  long ids[16];
  int n, closed;
  enum dispo fin;
  struct calllist_entry e;
  char err[PR_ERR_LEN];
  long id = add(f, "Tre Försök", "0705550301", "2026-11-21", "gul", "ja");

  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_NOANSWER, 0,
                                   at(0, 9, 0), &fin, err), PR_OK);
  assert_int_equal(fin, DISPO_NONE);
  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_VOICEMAIL, 0,
                                   at(0, 12, 0), &fin, err), PR_OK);
  assert_int_equal(fin, DISPO_NONE);
  queue_ids(f, at(0, 15, 0), ids, &n, &closed);
  assert_int_equal(n, 1);
  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_NOANSWER, 0,
                                   at(0, 15, 0), &fin, err), PR_OK);
  assert_int_equal(fin, DISPO_NOTREACHED);
  queue_ids(f, at(1, 12, 0), ids, &n, &closed);
  assert_int_equal(n, 0);
  assert_int_equal(calllist_get(f->s, id, &e, err), PR_OK);
  assert_int_equal(e.attempts, 3);
  assert_int_equal(e.final, DISPO_NOTREACHED);
  /* closed on Tuesday 2026-11-24: only the week's Monday is kept */
  assert_int_equal(e.closed_day, pdate_from_ymd(2026, 11, 23));
  /* a closed entry takes no more outcomes */
  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_COMPLETE, 0,
                                   at(0, 16, 0), &fin, err), PR_EINVAL);
  /* max attempts is configurable */
  f->cfg.max_attempts = 1;
  id = add(f, "Ett Försök", "0705550302", "2026-11-21", "gul", "ja");
  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_BUSY, 0,
                                   at(0, 9, 0), &fin, err), PR_OK);
  assert_int_equal(fin, DISPO_NOTREACHED);
}

static void test_edit_and_stats(void **state)
{
  struct fx *f = *state;
  struct calllist_input in = {"Rätt Namn", "0705550401", "19121212-1212",
                              "2026-11-20", "gul", "psykiatrisk", "ja"};
  struct calllist_entry e;
  struct dispo_week *w = NULL;
  int n;
  long id = 0, id2;
  char err[PR_ERR_LEN];

  assert_int_equal(calllist_add(f->s, &in, UNIT, at(0, 9, 0), &id, err),
                   PR_OK);
  assert_int_equal(calllist_add(f->s, &in, UNIT, at(0, 9, 0), &id2, err),
                   PR_ECONFLICT);
  in.name = "";
  assert_int_equal(calllist_add(f->s, &in, UNIT, at(0, 9, 0), &id2, err),
                   PR_EINVAL);
  assert_non_null(strstr(err, "name"));
  in.name = "Rätt Namn";
  in.phone = "070 555 04 02";
  in.discharge = "20261120 08:15";        /* compact form with a time */
  in.track = "röd";
  assert_int_equal(calllist_update(f->s, id, &in, at(0, 9, 0), err), PR_OK);
  assert_int_equal(calllist_get(f->s, id, &e, err), PR_OK);
  assert_string_equal(e.phone, "0705550402");
  assert_string_equal(e.track, "rod");
  assert_int_equal(calllist_update(f->s, 9999, &in, at(0, 9, 0), err),
                   PR_ENOTFOUND);

  id2 = add(f, "Andra Personen", "0705550403", "2026-11-20", "gul", "ja");
  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_COMPLETE, 0,
                                   at(0, 10, 0), NULL, err), PR_OK);
  assert_int_equal(calllist_set_sip(f->s, id, 1, 1, at(0, 10, 0), err),
                   PR_OK);
  assert_int_equal(calllist_set_sip(f->s, id, 1, 1, at(0, 10, 1), err),
                   PR_OK);                     /* not counted twice */
  assert_int_equal(calllist_set_sip(f->s, id, 0, 1, at(0, 10, 1), err),
                   PR_EINVAL);
  assert_int_equal(calllist_record(f->s, &f->cfg, id2, DISPO_REFUSED, 0,
                                   at(0, 11, 0), NULL, err), PR_OK);
  assert_int_equal(callstat_weeks(f->s, &w, &n, err), PR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(w[0].week, "2026-W48");
  assert_string_equal(w[0].unit, UNIT);
  assert_int_equal(w[0].entries, 2);
  assert_int_equal(w[0].attempts, 2);
  assert_int_equal(w[0].outcome[DISPO_COMPLETE], 1);
  assert_int_equal(w[0].outcome[DISPO_REFUSED], 1);
  assert_int_equal(w[0].sip_offered, 1);
  assert_int_equal(w[0].sip_accepted, 1);
  assert_int_equal(dispo_week_reached(&w[0]), 2);
  assert_true(fabs(dispo_week_rr1(&w[0]) - 0.5) < 1e-9);
  pr_free(w);
}

/* ---- separation proof ------------------------------------------------ */

static long count_in_file(const char *path, const char *needle)
{
  FILE *fp = fopen(path, "rb");
  size_t nl = strlen(needle), len;
  long hits = 0;
  char *buf;
  if(!fp)
    return 0;                       /* a file that is gone holds nothing */
  fseek(fp, 0, SEEK_END);
  len = (size_t)ftell(fp);
  rewind(fp);
  buf = malloc(len + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, len, fp), len);
  fclose(fp);
  for(size_t i = 0; i + nl <= len; i++)
    if(memcmp(buf + i, needle, nl) == 0)
      hits++;
  free(buf);
  return hits;
}

static const char *const planted[] = {
  "Xylofonia Kvastbergsdotter", "Xylofonia", "Kvastbergsdotter",
  "0739876543", "073-987 65 43", "19470615-6389", "194706156389",
  "470615-6389", "Zebulon Trattmakare", "Trattmakare", "0731234987",
  "073-123 49 87", "19510228-9278"};

static long count_planted(const char *db)
{
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
  char p[600];
  long total = 0;
  for(size_t i = 0; i < PR_ARRAY_LEN(sfx); i++) {
    snprintf(p, sizeof(p), "%s%s", db, sfx[i]);
    for(size_t k = 0; k < PR_ARRAY_LEN(planted); k++)
      total += count_in_file(p, planted[k]);
  }
  return total;
}

static void test_separation_proof(void **state)
{
  struct fx *f = *state;
  char csv[1024], err[PR_ERR_LEN], uuid[STORE_UUID_LEN], text[600];
  struct calllist_report rep;
  struct calllist_entry *v = NULL;
  struct dispo_week *w = NULL;
  struct store_response *r = NULL;
  int n, closed = 0, erased = 0;
  long before;

  assert_int_equal(pnr_luhn_digit("470615638"), 9);
  assert_int_equal(pnr_luhn_digit("510228927"), 8);
  snprintf(csv, sizeof(csv),
    "Namn;Telefon;Personnummer;Utskrivningsdatum;Spår;Vårdtyp;Samtycke\n"
    "Xylofonia Kvastbergsdotter;073-987 65 43;19470615-6389;2026-11-20;röd;"
    "somatisk;ja\n"
    "Zebulon Trattmakare;073-123 49 87;19510228-9278;2026-11-19;gul;"
    "psykiatrisk;ja\n");
  assert_int_equal(calllist_import_buffer(f->s, "plant.csv", csv, strlen(csv),
                                          UNIT, NULL, at(0, 9, 0), &rep, err),
                   PR_OK);
  assert_int_equal(rep.added, 2);
  calllist_report_free(&rep);
  assert_int_equal(calllist_all(f->s, &v, &n, err), PR_OK);
  assert_int_equal(n, 2);

  /* Interview the first: answers stored with track and care only; the
   * coordinator's free text mentions the name and number, and is scrubbed
   * before it is stored. */
  {
    struct store_new sn = {"ring-upp-utskrivning", 1, UNIT, QSET_MODE_PHONE,
                           "sv", 1, v[0].track, v[0].care, NULL};
    assert_int_equal(store_begin(f->s, &sn, uuid, err), PR_OK);
    assert_int_equal(store_answer(f->s, uuid, "delaktighet", "ja", NULL, err),
                     PR_OK);
    assert_int_equal(callcheck_scrub(&v[0], "Xylofonia säger: ring "
                     "0739876543 om 19470615-6389 behövs.", text,
                     sizeof(text)), PR_OK);
    assert_null(strstr(text, "Xylofonia"));
    assert_int_equal(store_answer(f->s, uuid, "kommentar", NULL, text, err),
                     PR_OK);
    assert_int_equal(store_finish(f->s, uuid, STORE_COMPLETE, err), PR_OK);
  }
  assert_int_equal(calllist_record(f->s, &f->cfg, v[0].id, DISPO_COMPLETE, 0,
                                   at(0, 10, 0), NULL, err), PR_OK);
  assert_int_equal(calllist_set_sip(f->s, v[0].id, 1, 0, at(0, 10, 0), err),
                   PR_OK);
  assert_int_equal(calllist_record(f->s, &f->cfg, v[1].id, DISPO_NOANSWER, 0,
                                   at(0, 10, 5), NULL, err), PR_OK);
  /* the stored response: only categories from the entry */
  assert_int_equal(store_get(f->s, uuid, &r, err), PR_OK);
  assert_string_equal(r->track, "rod");
  assert_string_equal(r->care, "somatisk");
  assert_int_equal(r->proxy, 1);
  store_responses_free(r, 1);

  before = count_planted(f->path);
  printf("separation: planted values found before retention: %ld\n", before);
  assert_true(before > 0);      /* the scan does find them while kept */

  /* The outcome was on Tuesday 2026-11-24; retention counts from that
   * week's Monday: day 12 after the outcome still kept, day 13 (Monday
   * 2026-12-07, 14 days after the Monday) erased — never later than 14
   * days after the outcome. */
  assert_int_equal(calllist_housekeep(f->s, &f->cfg, at(12, 10, 0), &closed,
                                      &erased, err), PR_OK);
  assert_int_equal(closed, 1);          /* the un-reached one, window over */
  assert_int_equal(erased, 0);
  assert_int_equal(count_all(f), 2);
  assert_int_equal(calllist_housekeep(f->s, &f->cfg, at(13, 10, 0), &closed,
                                      &erased, err), PR_OK);
  assert_int_equal(erased, 1);
  assert_int_equal(calllist_housekeep(f->s, &f->cfg, at(30, 10, 0), &closed,
                                      &erased, err), PR_OK);
  assert_int_equal(erased, 1);
  assert_int_equal(count_all(f), 0);

  /* what stays: counts, and the anonymous response */
  assert_int_equal(callstat_weeks(f->s, &w, &n, err), PR_OK);
  assert_true(n >= 1);
  assert_int_equal(w[0].entries, 2);
  assert_int_equal(w[0].outcome[DISPO_COMPLETE], 1);
  assert_int_equal(w[0].sip_offered, 1);
  pr_free(w);
  assert_int_equal(store_get(f->s, uuid, &r, err), PR_OK);
  store_responses_free(r, 1);

  /* While the kiosk keeps the store open (no close-time checkpoint). */
  {
    long open_after = count_planted(f->path);
    printf("separation: planted values found after retention, store open: "
           "%ld\n", open_after);
    assert_int_equal(open_after, 0);
  }
  store_close(f->s);
  f->s = NULL;
  {
    long after = count_planted(f->path);
    printf("separation: planted values found after retention: %ld\n", after);
    assert_int_equal(after, 0);
  }
  assert_int_equal(store_open(f->path, &f->s, err), PR_OK);
  pr_free(v);
}

static void test_erase_on_request(void **state)
{
  struct fx *f = *state;
  char err[PR_ERR_LEN];
  long id = add(f, "Xylofonia Kvastbergsdotter", "0739876543", "2026-11-20",
                "röd", "ja");
  assert_true(count_planted(f->path) > 0);
  assert_int_equal(calllist_erase(f->s, id, err), PR_OK);
  assert_int_equal(calllist_erase(f->s, id, err), PR_ENOTFOUND);
  assert_int_equal(count_all(f), 0);
  assert_int_equal(count_planted(f->path), 0);   /* still open */
  store_close(f->s);
  f->s = NULL;
  assert_int_equal(count_planted(f->path), 0);
  assert_int_equal(store_open(f->path, &f->s, err), PR_OK);
}

static void test_import_alloc_failures(void **state)
{
  struct fx *f = *state;
  static const char csv[] = "namn;telefon;utskrivningsdatum;spår;vårdtyp;"
    "samtycke\nA Ett;0705550001;2026-11-20;röd;somatisk;ja\n"
    "B Två;0705550002;2026-11-20;gul;somatisk;jaa\n"
    "C Tre;0705550003;2026-11-20;gul;somatisk;ja\n";
  char err[PR_ERR_LEN];
  int ok = 0;
  for(long n = 0; n < 60 && !ok; n++) {
    struct calllist_report rep;
    enum pr_rc rc;
    pr_alloc_fail_after(n);
    rc = calllist_import_buffer(f->s, "a.csv", csv, sizeof(csv) - 1, UNIT, NULL,
                                at(0, 10, 0), &rep, err);
    pr_alloc_fail_after(-1);
    assert_true(rc == PR_OK || rc == PR_ENOMEM);
    if(rc == PR_OK) {
      assert_int_equal(rep.added, 2);
      assert_int_equal(rep.rejected, 1);
      calllist_report_free(&rep);
      ok = 1;
    } else {
      assert_int_equal(count_all(f), 0);   /* all or nothing */
    }
  }
  assert_true(ok);
  assert_int_equal(count_all(f), 2);
}

/* Add with a given clock (for days after the fixture's "today"). */
static long add_at(struct fx *f, const char *name, const char *phone,
                   const char *disch, const char *track, const char *care,
                   time_t now)
{
  struct calllist_input in = {name, phone, NULL, disch, track, care, "ja"};
  char err[PR_ERR_LEN];
  long id = 0;
  if(calllist_add(f->s, &in, UNIT, now, &id, err))
    fail_msg("add: %s", err);
  return id;
}

/* One phone interview as phone.c stores it: the call's day, the entry's
 * track and care type, then the outcome on the entry. */
static void interview(struct fx *f, long id, const char *track,
                      const char *care, time_t when)
{
  char day[11], uuid[STORE_UUID_LEN], err[PR_ERR_LEN];
  pdate_format(pdate_local_today(when), day);
  struct store_new sn = {"ring-upp-utskrivning", 1, UNIT, QSET_MODE_PHONE,
                         "sv", 0, track, care, day};
  assert_int_equal(store_begin(f->s, &sn, uuid, err), PR_OK);
  assert_int_equal(store_answer(f->s, uuid, "trygghet", "stammer_helt", NULL,
                                err), PR_OK);
  assert_int_equal(store_finish(f->s, uuid, STORE_COMPLETE, err), PR_OK);
  assert_int_equal(calllist_record(f->s, &f->cfg, id, DISPO_COMPLETE, 0,
                                   when, NULL, err), PR_OK);
}

/* Issue 4 item 5: until erasure, a phone response and its call entry sit
 * in one file.  Whatever (date, track, care) join one tries, a response
 * never narrows to fewer entries than those of its track and care type
 * closed in its week; and within a week the entries carry no order. */
static void test_no_join_narrower_than_week(void **state)
{
  struct fx *f = *state;
  char err[PR_ERR_LEN];
  sqlite3 *db;
  sqlite3_stmt *st;
  int rows = 0;
  /* week 2026-W48: Monday 11-23 (day -1) .. Sunday 11-29 (day 5) */
  long e1 = add_at(f, "Ett Ettsson", "0705550401", "2026-11-20", "röd",
                   "somatisk", at(0, 8, 0));
  long e2 = add_at(f, "Två Tvåsson", "0705550402", "2026-11-20", "röd",
                   "somatisk", at(0, 8, 0));
  long e3 = add_at(f, "Tre Tresson", "0705550403", "2026-11-20", "röd",
                   "somatisk", at(0, 8, 0));
  long e4 = add_at(f, "Fyra Fyrsson", "0705550404", "2026-11-20", "gul",
                   "psykiatrisk", at(0, 8, 0));
  long e5 = add_at(f, "Fem Femsson", "0705550405", "2026-11-27", "röd",
                   "somatisk", at(3, 8, 0));
  interview(f, e1, "rod", "somatisk", at(-1, 10, 0));   /* Monday */
  interview(f, e2, "rod", "somatisk", at(1, 11, 0));    /* Wednesday */
  assert_int_equal(calllist_record(f->s, &f->cfg, e3, DISPO_REFUSED, 0,
                                   at(3, 9, 30), NULL, err), PR_OK);
  interview(f, e4, "gul", "psykiatrisk", at(2, 14, 0)); /* Thursday */
  interview(f, e5, "rod", "somatisk", at(7, 10, 0));    /* next Tuesday */

  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  /* Within a week every closed entry has one and the same closing day. */
  assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(DISTINCT closed_day)"
                   " FROM call_entry WHERE closed_day BETWEEN ?1 AND ?1 + 6",
                   -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_int64(st, 1, pdate_from_ymd(2026, 11, 23));
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), 1);
  sqlite3_finalize(st);
  /* The join: each response's date, track and care against the entries.
   * "want" is what the test knows: how many entries of that track and
   * care type closed in the response's week. */
  assert_int_equal(sqlite3_prepare_v2(db,
    "SELECT r.day, r.track, r.care,"
    " (SELECT count(*) FROM call_entry e WHERE e.track = r.track AND"
    "  e.care = r.care AND"
    "  e.closed_day = CAST(julianday(r.day) - 2440587.5 AS INTEGER)),"
    " (SELECT count(*) FROM call_entry e WHERE e.track = r.track AND"
    "  e.care = r.care AND e.closed_day BETWEEN"
    "  CAST(julianday(r.day) - 2440587.5 AS INTEGER) - 6 AND"
    "  CAST(julianday(r.day) - 2440587.5 AS INTEGER) + 6)"
    " FROM response r ORDER BY r.id", -1, &st, NULL), SQLITE_OK);
  static const struct { const char *day; int want; } want[] = {
    {"2026-11-23", 3},      /* e1: e1, e2 and e3 closed in W48, red/som */
    {"2026-11-23", 3},      /* e2: the same three */
    {"2026-11-23", 1},      /* e4: the only yellow/psy of W48 */
    {"2026-11-30", 1},      /* e5: the only one of W49 */
  };
  while(sqlite3_step(st) == SQLITE_ROW) {
    assert_true(rows < (int)PR_ARRAY_LEN(want));
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        want[rows].day);
    /* exact-date join: no narrower than the week */
    assert_int_equal(sqlite3_column_int(st, 3), want[rows].want);
    /* a window of days either side finds no fewer either */
    assert_true(sqlite3_column_int(st, 4) >= want[rows].want);
    rows++;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  assert_int_equal(rows, 4);
}

/* A unit is an HSA-id, checked before anything is stored; the queue is
 * one unit's. */
static void test_unit_checked_and_queue_per_unit(void **state)
{
  static const char csv[] = "namn;telefon;utskrivningsdatum;spår;vårdtyp;"
    "samtycke\nA Ett;0705550501;2026-11-20;röd;somatisk;ja\n";
  struct fx *f = *state;
  struct calllist_input in = {"B Två", "0705550502", NULL, "2026-11-20",
                              "gul", "somatisk", "ja"};
  struct calllist_report rep;
  struct calllist_entry *v = NULL;
  char err[PR_ERR_LEN];
  long id = -1;
  int n = -1, closed;
  long ids[16];

  assert_int_equal(calllist_add(f->s, &in, "bad!unit", at(0, 8, 0), &id,
                                err), PR_EINVAL);
  assert_non_null(strstr(err, "is not an HSA-id"));
  assert_int_equal(calllist_import_buffer(f->s, "a.csv", csv,
                   sizeof(csv) - 1, "bad unit!", NULL, at(0, 9, 0), &rep,
                   err), PR_EINVAL);
  assert_non_null(strstr(err, "is not an HSA-id"));
  assert_int_equal(count_all(f), 0);
  assert_int_equal(calllist_import_buffer(f->s, "a.csv", csv,
                   sizeof(csv) - 1, "SE2321000032-ANNAN1", NULL, at(0, 9, 0),
                   &rep, err), PR_OK);
  calllist_report_free(&rep);
  assert_int_equal(calllist_add(f->s, &in, UNIT, at(0, 8, 0), &id, err),
                   PR_OK);
  queue_ids(f, at(0, 10, 0), ids, &n, &closed);
  assert_int_equal(n, 1);
  assert_int_equal(ids[0], id);
  assert_int_equal(calllist_queue(f->s, &f->cfg, NULL, at(0, 10, 0), &v, &n,
                                  &closed, err), PR_OK);
  assert_int_equal(n, 2);                 /* NULL: every unit */
  pr_free(v);
  assert_int_equal(calllist_for_unit(f->s, "SE2321000032-ANNAN1", &v, &n,
                                     err), PR_OK);
  assert_int_equal(n, 1);
  assert_string_equal(v[0].name, "A Ett");
  pr_free(v);
}

/* A row taken as "already in the list" whose details differ is reported
 * by line, naming the fields, never their values. */
static void test_duplicate_that_differs_warns(void **state)
{
  static const char first[] = "Namn;Telefon;Personnummer;Utskrivningsdatum;"
    "Spår;Vårdtyp;Samtycke\n"
    "Märta Dubblettsson;070-555 06 01;19121212-1212;2026-11-20;röd;"
    "somatisk;ja\n"
    "Nils Nummersson;070-555 06 02;;2026-11-20;gul;somatisk;ja\n";
  static const char again[] = "Namn;Telefon;Personnummer;Utskrivningsdatum;"
    "Spår;Vårdtyp;Samtycke\n"
    "Märta Dubblettsson;070-555 06 01;19121212-1212;2026-11-20;röd;"
    "somatisk;ja\n"
    "Märta Annorlunda;070-555 06 99;19121212-1212;2026-11-20;röd;"
    "somatisk;ja\n"
    "Nils Nummersson;070-555 06 02;;2026-11-20;gul;somatisk;nej\n";
  struct fx *f = *state;
  struct calllist_report rep;
  char err[PR_ERR_LEN];

  assert_int_equal(calllist_import_buffer(f->s, "a.csv", first,
                   sizeof(first) - 1, UNIT, NULL, at(0, 9, 0), &rep, err),
                   PR_OK);
  assert_int_equal(rep.added, 2);
  assert_int_equal(rep.warned, 0);
  calllist_report_free(&rep);
  assert_int_equal(calllist_import_buffer(f->s, "b.csv", again,
                   sizeof(again) - 1, UNIT, NULL, at(0, 9, 0), &rep, err),
                   PR_OK);
  assert_int_equal(rep.added, 0);
  assert_int_equal(rep.duplicates, 3);
  assert_int_equal(rep.warned, 2);          /* line 2 is the same row */
  assert_int_equal(rep.n_warns, 2);
  assert_string_equal(rep.warns[0], "line 3: same personnummer and "
                      "discharge date as an entry already listed, but "
                      "another name, phone; the entry was kept as it is "
                      "(calls fix corrects it)");
  assert_non_null(strstr(rep.warns[1], "line 4: same name and phone"));
  assert_non_null(strstr(rep.warns[1], "another consent"));
  for(int i = 0; i < rep.n_warns; i++) {
    assert_null(strstr(rep.warns[i], "Märta"));
    assert_null(strstr(rep.warns[i], "Annorlunda"));
    assert_null(strstr(rep.warns[i], "0699"));
    assert_null(strstr(rep.warns[i], "19121212"));
  }
  calllist_report_free(&rep);
  assert_int_equal(count_all(f), 2);        /* nothing changed */
}

static void test_cfg(void **state)
{
  struct calllist_cfg c, d;
  char err[PR_ERR_LEN];
  (void)state;
  calllist_cfg_default(&c);
  assert_int_equal(c.day_from, 3);
  assert_int_equal(c.day_to, 7);
  assert_int_equal(c.max_attempts, 3);
  assert_int_equal(c.retention_days, 14);
  assert_int_equal(calllist_cfg_set(&c, "phone_days", "1-3", err), PR_OK);
  assert_int_equal(calllist_cfg_set(&c, "phone_hours", "08:30-20:00", err),
                   PR_OK);
  assert_int_equal(calllist_cfg_set(&c, "phone_max_attempts", "5", err),
                   PR_OK);
  assert_int_equal(calllist_cfg_set(&c, "phone_retention", "0", err), PR_OK);
  assert_int_equal(c.day_from, 1);
  assert_int_equal(c.day_to, 3);
  assert_int_equal(c.hour_from, 8 * 60 + 30);
  assert_int_equal(c.hour_to, 20 * 60);
  assert_int_equal(c.max_attempts, 5);
  assert_int_equal(c.retention_days, 0);
  d = c;
  static const char *const bad[][2] = {{"phone_days", "7-3"},
    {"phone_days", "3"}, {"phone_days", "a-b"}, {"phone_hours", "18:00-09:00"},
    {"phone_hours", "9-18"}, {"phone_hours", "09:00-25:00"},
    {"phone_max_attempts", "0"}, {"phone_retention", "-1"},
    {"phone_retention", "14d"}};
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++) {
    err[0] = '\0';
    assert_int_equal(calllist_cfg_set(&c, bad[i][0], bad[i][1], err),
                     PR_EINVAL);
    assert_non_null(strstr(err, bad[i][0]));
  }
  assert_memory_equal(&c, &d, sizeof(c));
  assert_int_equal(calllist_cfg_set(&c, "fullscreen", "1", err),
                   PR_ENOTFOUND);
}

static void test_scrub(void **state)
{
  struct calllist_entry e;
  char out[400];
  (void)state;
  memset(&e, 0, sizeof(e));
  pr_strlcpy(e.name, "Örjan Åkesson-Lind", sizeof(e.name));
  pr_strlcpy(e.phone, "+46705550101", sizeof(e.phone));
  pr_strlcpy(e.pnr, "19400312-1235", sizeof(e.pnr));
  assert_int_equal(callcheck_scrub(&e, "ÖRJAN åkesson (lind) ringer från "
                   "070-555 01 01 el. +46 70 555 01 01, pnr 400312-1235 / "
                   "194003121235. Ej 0705550101999.", out, sizeof(out)),
                   PR_OK);
  assert_string_equal(out, "[namn] [namn] ([namn]) ringer från [telefon] "
                      "el. +[telefon], pnr [personnummer] / [personnummer]. "
                      "Ej 0705550101999.");
  assert_int_equal(callcheck_scrub(&e, "Ok.", out, 4), PR_OK);
  assert_int_equal(callcheck_scrub(&e, "Örjan", out, 6), PR_ELIMIT);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_import_good, setup, teardown),
    cmocka_unit_test_setup_teardown(test_import_bad, setup, teardown),
    cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
    cmocka_unit_test_setup_teardown(test_attempt_limit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_edit_and_stats, setup, teardown),
    cmocka_unit_test_setup_teardown(test_separation_proof, setup, teardown),
    cmocka_unit_test_setup_teardown(test_erase_on_request, setup, teardown),
    cmocka_unit_test_setup_teardown(test_no_join_narrower_than_week, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_unit_checked_and_queue_per_unit,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_duplicate_that_differs_warns,
                                    setup, teardown),
    cmocka_unit_test(test_scrub),
    cmocka_unit_test(test_cfg),
    cmocka_unit_test_setup_teardown(test_import_alloc_failures, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
