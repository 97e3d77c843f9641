/* test_samv.c — This file contains the tests of the collaboration
 * follow-up's storage and compilation (samv.h) on a real database
 * (PR_AGG_TEST_DB: PostgreSQL; default a SQLite file): meetings saved
 * answer by answer, locking and reopening, the county and länsdel
 * figures against distributions worked out by hand, the small-group
 * protection (also by subtraction), comments scrubbed, last year's
 * comparable questions, and the outputs agreeing with each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "agg_testdb.h"
#include "samv.h"
#include "samvout.h"

#define SETS PR_ASSETS_DIR "/surveys"
#define Y 2025

struct fx {
  struct aggdb *db;
  struct qset *hsv, *old;
};

static int setup(void **state)
{
  static struct fx f;
  char url[600], err[PR_ERR_LEN] = "";
  assert_int_equal(pr_init(), PR_OK);
  agg_testdb_url("samv", url, sizeof(url));
  if(aggdb_open(url, &f.db, err) != PR_OK)
    fail_msg("open: %s", err);
  assert_int_equal(agg_testdb_drop_all(f.db), 0);
  if(samv_migrate(f.db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  /* Migrating twice is a no-op. */
  assert_int_equal(samv_migrate(f.db, err), PR_OK);
  if(qset_load_file(SETS "/samverkan-hemsjukvard.json", &f.hsv, err) != PR_OK ||
     qset_load_file(PR_TEST_DATA "/qsets/samverkan/samverkan-2024.json",
                    &f.old, err) != PR_OK)
    fail_msg("sets: %s", err);
  *state = &f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  qset_free(f->hsv);
  qset_free(f->old);
  aggdb_close(f->db);
  return 0;
}

static int qi(const struct qset *s, const char *id)
{
  int i = qset_find_question(s, id);
  if(i < 0)
    fail_msg("no question %s", id);
  return i;
}

static int opt(const struct qset *s, const char *q, const char *code)
{
  return qset_option_index(qset_question_scale(s, qi(s, q)), code);
}

/* Start a meeting, give answers {question, step code, comment}, lock it. */
struct ans {
  const char *q, *step, *comment;
};

static void meeting(struct aggdb *db, const struct qset *s, const char *unit,
                    int year, const struct ans *a, int n, int done)
{
  enum samv_status st;
  char err[PR_ERR_LEN] = "";
  if(samv_meeting_open(db, unit, s, year, &st, err) != PR_OK)
    fail_msg("open %s: %s", unit, err);
  for(int i = 0; i < n; i++)
    if(samv_save_answer(db, unit, s, year, qi(s, a[i].q),
                        a[i].step ? opt(s, a[i].q, a[i].step) : -1,
                        a[i].comment, err) != PR_OK)
      fail_msg("answer %s %s: %s", unit, a[i].q, err);
  if(done)
    assert_int_equal(samv_set_done(db, unit, s->id, year, 1, err), PR_OK);
}

#define U(n) "SE2321000032-VC000" #n

static void test_form_saves_locks_and_reopens(void **state)
{
  struct fx *f = *state;
  struct samv_meeting m;
  enum samv_status st;
  long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS] = {{0}};
  char err[PR_ERR_LEN] = "";
  const struct qset *s = f->hsv;
  int q0 = qi(s, "regelbundna_moten"), qt = qi(s, "styrkor");

  /* Nothing saved before the meeting is started. */
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, q0, 0, NULL, err),
                   PR_ENOTFOUND);
  assert_int_equal(samv_meeting_open(f->db, U(9), s, Y, &st, err), PR_OK);
  assert_int_equal(st, SAMV_OPEN);
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, q0,
                                    opt(s, "regelbundna_moten", "stammer_helt"),
                                    "Möts varje månad", err), PR_OK);
  /* A changed answer replaces the first; free text is scrubbed. */
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, q0,
                                    opt(s, "regelbundna_moten",
                                        "stammer_ganska_bra"),
                                    "Ring 070-123 45 67", err), PR_OK);
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, qt, -1,
                                    "Korta kontaktvägar", err), PR_OK);
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, q0, 9, NULL, err),
                   PR_EINVAL);
  people[0][0] = 2;
  people[1][1] = 3;
  assert_int_equal(samv_save_people(f->db, U(9), s->id, Y, people, err),
                   PR_OK);
  people[2][0] = 1000;
  assert_int_equal(samv_save_people(f->db, U(9), s->id, Y, people, err),
                   PR_EINVAL);
  /* Resumed: everything saved is there. */
  assert_int_equal(samv_meeting_load(f->db, U(9), s, Y, &m, err), PR_OK);
  assert_int_equal(m.status, SAMV_OPEN);
  assert_int_equal(m.set_version, s->version);
  assert_int_equal(m.option[q0], opt(s, "regelbundna_moten",
                                     "stammer_ganska_bra"));
  assert_string_equal(m.comment[q0], "Ring [telefon]");
  assert_string_equal(m.comment[qt], "Korta kontaktvägar");
  assert_int_equal(m.people[0][0], 2);
  assert_int_equal(m.people[1][1], 3);
  assert_int_equal(m.people[2][0], 0);
  samv_meeting_clear(&m);
  /* Klar locks it; only reopening lets answers change again. */
  assert_int_equal(samv_set_done(f->db, U(9), s->id, Y, 1, err), PR_OK);
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, q0, 0, NULL, err),
                   PR_ECONFLICT);
  assert_int_equal(samv_save_people(f->db, U(9), s->id, Y, people, err),
                   PR_EINVAL);
  people[2][0] = 1;
  assert_int_equal(samv_save_people(f->db, U(9), s->id, Y, people, err),
                   PR_ECONFLICT);
  assert_int_equal(samv_meeting_open(f->db, U(9), s, Y, &st, err), PR_OK);
  assert_int_equal(st, SAMV_DONE);     /* starting again never unlocks */
  assert_int_equal(samv_set_done(f->db, U(9), s->id, Y, 0, err), PR_OK);
  assert_int_equal(samv_save_answer(f->db, U(9), s, Y, q0, 0, NULL, err),
                   PR_OK);
  assert_int_equal(samv_set_done(f->db, U(8), s->id, Y, 1, err),
                   PR_ENOTFOUND);
  /* Tidy: this unit's meeting is not part of the figures below. */
  assert_int_equal(aggdb_exec1(f->db, "DELETE FROM samv_meetings", NULL, 0,
                               NULL, err), PR_OK);
  assert_int_equal(aggdb_exec1(f->db, "DELETE FROM samv_answers", NULL, 0,
                               NULL, err), PR_OK);
  assert_int_equal(aggdb_exec1(f->db, "DELETE FROM samv_participants", NULL,
                               0, NULL, err), PR_OK);
}

static void steps_are(const struct samv_qres *q, long a, long b, long c,
                      long d)
{
  if(q->steps[0] != a || q->steps[1] != b || q->steps[2] != c ||
     q->steps[3] != d)
    fail_msg("steps %ld,%ld,%ld,%ld, expected %ld,%ld,%ld,%ld", q->steps[0],
             q->steps[1], q->steps[2], q->steps[3], a, b, c, d);
}

static void test_compilation_by_hand(void **state)
{
  struct fx *f = *state;
  const struct qset *s = f->hsv;
  struct samv_comp *c = NULL;
  char err[PR_ERR_LEN] = "";
  const char *norra[] = {U(1), U(2), U(3)};
  const char *sodra[] = {U(4), U(5)};
  long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS] = {{0}};
  int q0 = qi(s, "regelbundna_moten"), q1 = qi(s, "kand_sjukskoterska");
  int q3 = qi(s, "kontaktvagar"), qt = qi(s, "styrkor");
  int qnew = qi(s, "bemanning");

  /* This year: five done meetings, one still open (never counted). */
  meeting(f->db, s, U(1), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_helt", "Ring 070-123 45 67"},
    {"kand_sjukskoterska", "stammer_helt", NULL},
    {"kontaktvagar", "stammer_helt", NULL},
    {"styrkor", NULL, "Korta kontaktvägar"}}, 4, 0);
  people[0][0] = 2;      /* chef, region */
  assert_int_equal(samv_save_people(f->db, U(1), s->id, Y, people, err),
                   PR_OK);
  assert_int_equal(samv_set_done(f->db, U(1), s->id, Y, 1, err), PR_OK);
  meeting(f->db, s, U(2), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_helt", NULL},
    {"kand_sjukskoterska", "stammer_daligt", NULL},
    {"kontaktvagar", "stammer_helt", NULL},
    {"styrkor", NULL, "Rehab-samarbetet"}}, 4, 0);
  memset(people, 0, sizeof(people));
  people[1][1] = 3;      /* sjuksköterska, kommun */
  people[0][0] = 1;
  assert_int_equal(samv_save_people(f->db, U(2), s->id, Y, people, err),
                   PR_OK);
  assert_int_equal(samv_set_done(f->db, U(2), s->id, Y, 1, err), PR_OK);
  meeting(f->db, s, U(3), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_ganska_bra", NULL},
    {"kontaktvagar", "stammer_helt", NULL},
    {"styrkor", NULL, "Lokala projekt"}}, 3, 1);
  meeting(f->db, s, U(4), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_daligt", NULL},
    {"kontaktvagar", "stammer_ganska_bra", NULL}}, 2, 1);
  meeting(f->db, s, U(5), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_inte_alls", "Inga möten i år"},
    {"kontaktvagar", "stammer_helt", NULL}}, 2, 1);
  meeting(f->db, s, U(7), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_inte_alls", "Pågår"}}, 1, 0);
  /* Last year: the combined 2024 form, three done meetings. */
  meeting(f->db, f->old, U(1), Y - 1, (const struct ans[]){
    {"regelbundna_moten", "stammer_daligt", NULL},
    {"kontaktvagar", "stammer_helt", NULL}}, 2, 1);
  meeting(f->db, f->old, U(2), Y - 1, (const struct ans[]){
    {"regelbundna_moten", "stammer_ganska_bra", NULL},
    {"kontaktvagar", "stammer_helt", NULL}}, 2, 1);
  meeting(f->db, f->old, U(3), Y - 1, (const struct ans[]){
    {"regelbundna_moten", "stammer_ganska_bra", NULL}}, 1, 1);

  /* County, threshold 3. */
  assert_int_equal(samv_compile(f->db, s, Y, "", 3, &c, err), PR_OK);
  assert_int_equal(c->meetings, 5);
  assert_int_equal(c->last_meetings, 3);
  assert_true(c->shown);
  assert_int_equal(c->people[0][0], 3);
  assert_int_equal(c->people[1][1], 3);
  assert_int_equal(c->q[q0].n, 5);
  steps_are(&c->q[q0], 1, 1, 1, 2);
  assert_true(c->q[q0].shown);
  assert_true(c->q[q0].mean > 2.8 - 1e-9 && c->q[q0].mean < 2.8 + 1e-9);
  /* Two meetings answered q1: hidden, counts and all. */
  assert_false(c->q[q1].shown);
  steps_are(&c->q[q1], 0, 0, 0, 0);
  /* Last year beside this year. */
  assert_true(c->q[q0].has_last);
  assert_true(c->q[q0].last_shown);
  assert_int_equal(c->q[q0].last_n, 3);
  assert_int_equal(c->q[q0].last_steps[1], 1);
  assert_int_equal(c->q[q0].last_steps[2], 2);
  assert_true(c->q[q3].has_last);
  assert_false(c->q[q3].last_shown);       /* two meetings last year */
  assert_false(c->q[qnew].has_last);
  /* Highest: kontaktvägar (4+4+4+3+4)/5 = 3.8, then regelbundna 2.8. */
  assert_int_equal(c->top[0], q3);
  assert_int_equal(c->top[1], q0);
  /* Comments: scrubbed, sorted, only of shown questions. */
  assert_int_equal(c->q[q0].n_comments, 2);
  assert_string_equal(c->q[q0].comments[0], "Inga möten i år");
  assert_string_equal(c->q[q0].comments[1], "Ring [telefon]");
  assert_int_equal(c->q[qt].n, 3);
  assert_true(c->q[qt].shown);
  assert_int_equal(c->q[qt].n_comments, 3);
  assert_int_equal(c->q[q1].n_comments, 0);
  /* The outputs say the same. */
  {
    json_t *j = samvout_json(c);
    json_t *qs = json_object_get(j, "questions");
    json_t *q = json_array_get(qs, (size_t)q0);
    json_t *st = json_object_get(q, "steps");
    assert_int_equal(json_integer_value(json_array_get(st, 3)), 2);
    assert_int_equal(json_integer_value(json_object_get(q, "n")), 5);
    assert_true(json_is_false(json_object_get(json_array_get(qs, (size_t)q1),
                                              "shown")));
    assert_null(json_object_get(json_array_get(qs, (size_t)q1), "steps"));
    json_decref(j);
  }
  {
    struct dashbuf b;
    char *t;
    size_t len;
    dashbuf_init(&b);
    samvout_html(&b, &c, 1);
    t = dashbuf_take(&b, &len);
    assert_non_null(t);
    assert_non_null(strstr(t, "data-steps=\"1,1,1,2\""));
    assert_non_null(strstr(t, "data-steps=\"0,1,2,0\""));    /* 2024 */
    assert_null(strstr(t, "070-123"));
    assert_null(strstr(t, U(1)));         /* never a unit */
    pr_free(t);
    dashbuf_init(&b);
    samvout_csv(&b, &c, 1);
    t = dashbuf_take(&b, &len);
    assert_non_null(strstr(t, ";regelbundna_moten;"));
    assert_non_null(strstr(t, ";5;1;1;1;2;2,80;3;0;1;2;0;2,67;"));
    assert_null(strstr(t, U(1)));
    pr_free(t);
  }
  samv_comp_free(c);

  /* Länsdelar: Norra 3 meetings, Södra 2.  Södra is too small, and
   * county minus Norra would give Södra away: both hidden. */
  assert_int_equal(samv_lansdel_add(f->db, "Norra", norra, 3, err), PR_OK);
  assert_int_equal(samv_lansdel_add(f->db, "Södra", sodra, 2, err), PR_OK);
  assert_int_equal(samv_lansdel_add(f->db, "Östra", norra, 1, err),
                   PR_ECONFLICT);
  assert_int_equal(samv_compile(f->db, s, Y, "Norra", 3, &c, err), PR_OK);
  assert_int_equal(c->meetings, 3);
  assert_false(c->shown);
  assert_false(c->q[q0].shown);
  samv_comp_free(c);
  assert_int_equal(samv_compile(f->db, s, Y, "Västra", 3, &c, err),
                   PR_ENOTFOUND);
  assert_null(c);
  /* A third Södra meeting: both länsdelar now shown. */
  meeting(f->db, s, U(6), Y, (const struct ans[]){
    {"regelbundna_moten", "stammer_helt", NULL}}, 1, 1);
  {
    const char *six[] = {U(6)};
    assert_int_equal(samv_lansdel_add(f->db, "Södra", six, 1, err), PR_OK);
  }
  assert_int_equal(samv_compile(f->db, s, Y, "Norra", 3, &c, err), PR_OK);
  assert_true(c->shown);
  steps_are(&c->q[q0], 0, 0, 1, 2);
  assert_int_equal(c->q[q0].n_comments, 1);     /* U1's, not U5's */
  /* Last year's Norra: U1..U3 = 2024's three meetings. */
  assert_true(c->q[q0].last_shown);
  samv_comp_free(c);
  assert_int_equal(samv_compile(f->db, s, Y, "Södra", 3, &c, err), PR_OK);
  assert_true(c->shown);
  steps_are(&c->q[q0], 1, 1, 0, 1);
  /* kontaktvägar: Södra has two answers (U4, U5): hidden. */
  assert_false(c->q[q3].shown);
  samv_comp_free(c);
  /* ...and then Norra's kontaktvägar (3) is hidden too: county (5) minus
   * Norra would give Södra's two away. */
  assert_int_equal(samv_compile(f->db, s, Y, "Norra", 3, &c, err), PR_OK);
  assert_false(c->q[q3].shown);
  samv_comp_free(c);
  {
    char (*names)[SAMV_NAME_LEN] = NULL;
    int n = 0;
    assert_int_equal(samv_lansdel_names(f->db, &names, &n, err), PR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "Norra");
    pr_free(names);
  }
}

static void test_xlsx_builds(void **state)
{
  struct fx *f = *state;
  struct samv_comp *c = NULL;
  char err[PR_ERR_LEN] = "", *out = NULL;
  size_t len = 0;
  assert_int_equal(samv_compile(f->db, f->hsv, Y, "", 3, &c, err), PR_OK);
  assert_int_equal(samvout_xlsx(&c, 1, &out, &len, err), PR_OK);
  assert_true(len > 1000);
  assert_memory_equal(out, "PK", 2);
  pr_free(out);
  samv_comp_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_form_saves_locks_and_reopens),
    cmocka_unit_test(test_compilation_by_hand),
    cmocka_unit_test(test_xlsx_builds),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
