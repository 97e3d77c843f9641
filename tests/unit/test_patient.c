/* test_patient.c — This file contains the unit tests of the patient-flow
 * model (kiosk/patient.c) on real SQLite store files: a whole survey saved
 * answer by answer, going back and changing an answer (the conditional
 * text answer leaves the store), the tap guard, walking away ("Är du
 * kvar?", then abandoned, then a welcome screen with nothing of the
 * previous patient left), the thank-you timeout, the staff gesture, PIN
 * lockout and staff menu with its settings kept in the store, shutdown
 * mid-survey, failed saves that do not advance, and read-aloud requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osk.h"
#include "patient.h"
#include "pin.h"

#define UNIT "SE2321000032-KI0001"
#define PIN  "2468"
#define T0   1000000u          /* the caller's monotonic clock, ms */

/* A kiosk set where a question follows the conditional free text, and
 * the last question is a text that must be answered. */
static const char chain_json[] =
  "{\"id\": \"kedja-kiosk\", \"version\": 3, \"langs\": [\"sv\"],"
  " \"lang_names\": {\"sv\": \"Svenska\"}, \"modes\": [\"kiosk\"],"
  " \"title\": {\"sv\": \"Kedja\"},"
  " \"scales\": [{\"id\": \"tre_grad\", \"options\": ["
  "   {\"code\": \"mycket\", \"label\": {\"sv\": \"Mycket\"}},"
  "   {\"code\": \"lite\", \"label\": {\"sv\": \"Lite\"}},"
  "   {\"code\": \"inte_alls\", \"label\": {\"sv\": \"Inte alls\"}},"
  "   {\"code\": \"vet_ej\", \"label\": {\"sv\": \"Vet ej\"},"
  "    \"dontknow\": true}]}],"
  " \"questions\": ["
  "  {\"id\": \"nojdhet\", \"type\": \"choice\", \"scale\": \"tre_grad\","
  "   \"indicator\": \"nojdhet\", \"positive\": [\"mycket\"],"
  "   \"text\": {\"sv\": \"Hur nöjd är du?\"}},"
  "  {\"id\": \"battre\", \"type\": \"text\", \"optional\": true,"
  "   \"condition\": {\"on\": \"nojdhet\", \"in\": [\"lite\", \"inte_alls\"]},"
  "   \"text\": {\"sv\": \"Vad kan bli bättre?\"}},"
  "  {\"id\": \"trygghet\", \"type\": \"choice\", \"scale\": \"tre_grad\","
  "   \"indicator\": \"trygghet\", \"positive\": [\"mycket\"],"
  "   \"text\": {\"sv\": \"Känner du dig trygg?\"}},"
  "  {\"id\": \"ord\", \"type\": \"text\","
  "   \"text\": {\"sv\": \"Ett ord om besöket?\"}}"
  " ]}";

enum { S_KONTAKT, S_BESOK, S_VARDPLAN, S_KEDJA, N_SETS };

struct fx {
  struct store *st;
  struct kconf cfg;
  struct qset *sets[N_SETS];
  struct patient *p;
  char path[512];
  uint64_t now;
};

static int setup(void **state)
{
  static int seq;
  static const char *const ids[] = {"samordnare-kontakt", "kiosk-besok",
                                    "samordnare-vardplan"};
  struct fx *f = calloc(1, sizeof(*f));
  char err[PR_ERR_LEN] = "", wal[600];
  if(!f)
    return -1;
  snprintf(f->path, sizeof(f->path), "%s/patient-%d-%d.db", PR_TEST_OUT,
           (int)getpid(), seq++);
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  if(store_open(f->path, &f->st, err) != PR_OK) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  for(int i = 0; i < 3; i++) {
    char p[600];
    snprintf(p, sizeof(p), "%s/surveys/%s.json", PR_ASSETS_DIR, ids[i]);
    if(qset_load_file(p, &f->sets[i], err) != PR_OK) {
      fprintf(stderr, "setup: %s\n", err);
      return -1;
    }
  }
  if(qset_load_buffer("kedja-kiosk.json", chain_json, sizeof(chain_json) - 1,
                      &f->sets[S_KEDJA], err) != PR_OK) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  kconf_defaults(&f->cfg);
  pr_strlcpy(f->cfg.unit, UNIT, sizeof(f->cfg.unit));
  f->now = T0;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  char wal[600];
  pr_alloc_fail_after(-1);
  patient_close(f->p);
  for(int i = 0; i < N_SETS; i++)
    qset_free(f->sets[i]);
  store_close(f->st);
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  snprintf(wal, sizeof(wal), "%s-shm", f->path);
  unlink(wal);
  free(f);
  return 0;
}

static void open_p(struct fx *f, const char *set)
{
  char err[PR_ERR_LEN] = "";
  pr_strlcpy(f->cfg.set, set, sizeof(f->cfg.set));
  if(patient_open(f->st, &f->cfg, f->sets, N_SETS, f->now, &f->p, err) !=
     PR_OK)
    fail_msg("patient_open: %s", err);
  assert_int_equal(f->p->screen, PT_WELCOME);
}

/* A tap a second after the last one (well past the tap guard). */
static void tap(struct fx *f, enum pt_target t, int index)
{
  f->now += 1000;
  patient_tap(f->p, t, index, f->now);
}

static const char *qid(const struct fx *f)
{
  assert_true(f->p->screen == PT_QUESTION || f->p->screen == PT_TEXT);
  return patient_set(f->p)->questions[f->p->q].id;
}

static int opt_of(const struct fx *f, const char *code)
{
  const struct qset_scale *sc = qset_question_scale(patient_set(f->p),
                                                    f->p->q);
  int o = sc ? qset_option_index(sc, code) : -1;
  if(o < 0)
    fail_msg("question %s has no option %s", qid(f), code);
  return o;
}

static void answer(struct fx *f, const char *q, const char *code)
{
  assert_int_equal(f->p->screen, PT_QUESTION);
  assert_string_equal(qid(f), q);
  tap(f, PT_T_OPTION, opt_of(f, code));
}

/* Type text on the on-screen keyboard of the patient's language, a key
 * every half second. */
static void type_text(struct fx *f, const char *text)
{
  const struct osk_layout *l = osk_for_lang(f->p->lang);
  int shift_key = -1, space_key = -1;
  assert_int_equal(f->p->screen, PT_TEXT);
  for(int k = 0; k < osk_n_keys(l); k++) {
    if(osk_key_at(l, k)->act == OSK_SHIFT)
      shift_key = k;
    if(osk_key_at(l, k)->act == OSK_SPACE)
      space_key = k;
  }
  while(*text) {
    size_t n = 1;
    int key = -1, shifted = 0;
    while(((unsigned char)text[n] & 0xC0) == 0x80)
      n++;
    if(*text == ' ')
      key = space_key;
    for(int k = 0; key < 0 && k < osk_n_keys(l); k++) {
      const struct osk_key *ok = osk_key_at(l, k);
      if(ok->act != OSK_CHAR)
        continue;
      if(strlen(ok->text) == n && memcmp(ok->text, text, n) == 0)
        key = k;
      else if(ok->shifted && strlen(ok->shifted) == n &&
              memcmp(ok->shifted, text, n) == 0) {
        key = k;
        shifted = 1;
      }
    }
    if(key < 0)
      fail_msg("no key for \"%.*s\"", (int)n, text);
    if(shifted) {
      f->now += 500;
      patient_tap(f->p, PT_T_KEY, shift_key, f->now);
    }
    f->now += 500;
    patient_tap(f->p, PT_T_KEY, key, f->now);
    text += n;
  }
}

static struct store_response *resp(struct fx *f, const char *uuid)
{
  struct store_response *r = NULL;
  char err[PR_ERR_LEN] = "";
  if(store_get(f->st, uuid, &r, err) != PR_OK)
    fail_msg("store_get %s: %s", uuid, err);
  return r;
}

static const struct store_answer *ans(const struct store_response *r,
                                      const char *q)
{
  for(int i = 0; i < r->n_answers; i++)
    if(strcmp(r->answers[i].question, q) == 0)
      return &r->answers[i];
  return NULL;
}

/* The stored answer to q is option code (or, with code NULL, absent). */
static void expect_stored(struct fx *f, const char *uuid, int n_answers,
                          const char *q, const char *code)
{
  struct store_response *r = resp(f, uuid);
  const struct store_answer *a = ans(r, q);
  if(r->n_answers != n_answers)
    fail_msg("%d answers stored, expected %d", r->n_answers, n_answers);
  if(code && (!a || strcmp(a->option, code) != 0))
    fail_msg("%s stored as %s, expected %s", q, a ? a->option : "nothing",
             code);
  if(!code && a)
    fail_msg("%s still stored (%s)", q, a->text ? a->text : a->option);
  store_responses_free(r, 1);
}

/* Nothing of a patient is left in the model. */
static void expect_clean(const struct fx *f)
{
  const struct patient *p = f->p;
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++) {
    assert_int_equal(p->answers[i], QSET_UNANSWERED);
    assert_null(p->texts[i]);
  }
  for(size_t i = 0; i < sizeof(p->typing); i++)
    assert_int_equal(p->typing[i], 0);
  assert_string_equal(p->uuid, "");
  assert_int_equal(p->begun, 0);
  assert_int_equal(p->q, -1);
  assert_int_equal(p->shift, 0);
}

static void set_pin(struct fx *f)
{
  char hash[PIN_HASH_LEN], err[PR_ERR_LEN] = "";
  if(pin_hash(PIN, hash, err) != PR_OK ||
     store_meta_set(f->st, "staff_pin_hash", hash, err) != PR_OK)
    fail_msg("set pin: %s", err);
}

static void enter_pin(struct fx *f, const char *digits)
{
  for(; *digits; digits++)
    tap(f, PT_T_PIN_DIGIT, *digits - '0');
  tap(f, PT_T_PIN_OK, 0);
}

static enum pr_rc run_sql(struct sqlite3 *db, void *ctx, char *err)
{
  char *msg = NULL;
  if(sqlite3_exec(db, ctx, NULL, NULL, &msg) != SQLITE_OK) {
    pr_seterr(err, "%s", msg ? msg : "?");
    sqlite3_free(msg);
    return PR_EDB;
  }
  return PR_OK;
}

static void sql(struct fx *f, const char *stmt)
{
  char err[PR_ERR_LEN] = "";
  if(store_with_db(f->st, run_sql, (void *)stmt, err) != PR_OK)
    fail_msg("%s: %s", stmt, err);
}

/* ---- a whole survey -------------------------------------------------- */

static void test_whole_survey_saves_every_answer(void **state)
{
  struct fx *f = *state;
  struct store_response *r;
  char uuid[STORE_UUID_LEN];

  open_p(f, "samordnare-kontakt");
  assert_string_equal(patient_set(f->p)->id, "samordnare-kontakt");
  assert_false(patient_busy(f->p));
  tap(f, PT_T_START, 0);
  assert_true(patient_busy(f->p));
  assert_int_equal(f->p->begun, 0);      /* nothing stored before an answer */
  answer(f, "delaktighet", "mycket");
  assert_int_equal(f->p->begun, 1);
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  r = resp(f, uuid);
  assert_int_equal(r->status, STORE_IN_PROGRESS);
  assert_string_equal(r->set_id, "samordnare-kontakt");
  assert_int_equal(r->set_version, f->sets[S_KONTAKT]->version);
  assert_string_equal(r->unit, UNIT);
  assert_int_equal(r->mode, QSET_MODE_KIOSK);
  assert_string_equal(r->lang, "sv");
  store_responses_free(r, 1);
  expect_stored(f, uuid, 1, "delaktighet", "mycket");

  answer(f, "nojdhet", "lite");
  expect_stored(f, uuid, 2, "nojdhet", "lite");
  assert_int_equal(f->p->screen, PT_TEXT);
  assert_string_equal(qid(f), "battre");
  type_text(f, "Längre tid, tack");
  assert_string_equal(f->p->typing, "Längre tid, tack");
  expect_stored(f, uuid, 2, "battre", NULL);  /* typing is not an answer */
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  assert_false(patient_busy(f->p));
  r = resp(f, uuid);
  assert_int_equal(r->status, STORE_COMPLETE);
  assert_int_equal(r->n_answers, 3);
  assert_non_null(ans(r, "battre"));
  assert_string_equal(ans(r, "battre")->text, "Längre tid, tack");
  store_responses_free(r, 1);
  assert_int_equal(f->p->n_complete, 1);
  assert_int_equal(f->p->n_abandoned, 0);
  assert_int_equal(f->p->want_kick, 1);   /* sync may send it */
  /* the thank-you screen holds nothing of the answers */
  expect_clean(f);
}

/* Set C in Arabic: the response says which language was used; the
 * optional comment is skipped; "Hoppa över" on a required question is
 * not a way past it. */
static void test_arabic_survey_with_skipped_comment(void **state)
{
  struct fx *f = *state;
  const struct qset *s;
  char uuid[STORE_UUID_LEN];
  struct store_response *r;
  int ar = -1;

  open_p(f, "kiosk-besok");
  s = patient_set(f->p);
  for(int i = 0; i < s->n_langs; i++)
    if(strcmp(s->langs[i], "ar") == 0)
      ar = i;
  assert_true(ar >= 0);
  tap(f, PT_T_LANG, ar);
  assert_string_equal(f->p->lang, "ar");
  tap(f, PT_T_START, 0);
  tap(f, PT_T_SKIP, 0);                  /* nojdhet is not optional */
  assert_string_equal(qid(f), "nojdhet");
  assert_int_equal(f->p->begun, 0);
  answer(f, "nojdhet", "mycket");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  answer(f, "delaktighet", "lite");
  answer(f, "trygghet", "mycket");
  answer(f, "respekt", "mycket");
  assert_int_equal(f->p->screen, PT_TEXT);
  assert_string_equal(qid(f), "kommentar");
  type_text(f, "شكرا");
  assert_string_equal(f->p->typing, "شكرا");
  tap(f, PT_T_SKIP, 0);                  /* optional: skip what was typed */
  assert_int_equal(f->p->screen, PT_THANKS);
  assert_string_equal(f->p->lang, "ar");  /* thank-you in Arabic */
  r = resp(f, uuid);
  assert_int_equal(r->status, STORE_COMPLETE);
  assert_string_equal(r->lang, "ar");
  assert_int_equal(r->n_answers, 4);
  assert_null(ans(r, "kommentar"));
  store_responses_free(r, 1);
}

/* "Klar" with only spaces is no answer; trailing spaces are not kept. */
static void test_done_trims_and_empty_done_skips(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];

  open_p(f, "kiosk-besok");
  tap(f, PT_T_START, 0);
  answer(f, "nojdhet", "lite");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  answer(f, "delaktighet", "lite");
  answer(f, "trygghet", "lite");
  answer(f, "respekt", "lite");
  type_text(f, "Bra ");
  assert_string_equal(f->p->typing, "Bra ");
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  {
    struct store_response *r = resp(f, uuid);
    assert_string_equal(ans(r, "kommentar")->text, "Bra");
    store_responses_free(r, 1);
  }
  /* a second patient presses "Klar" on an empty optional comment */
  tap(f, PT_T_THANKS_OK, 0);
  assert_int_equal(f->p->screen, PT_WELCOME);
  tap(f, PT_T_START, 0);
  answer(f, "nojdhet", "mycket");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  answer(f, "delaktighet", "mycket");
  answer(f, "trygghet", "mycket");
  answer(f, "respekt", "mycket");
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  expect_stored(f, uuid, 4, "kommentar", NULL);
  assert_int_equal(f->p->n_complete, 2);
}

/* ---- back ------------------------------------------------------------ */

static void test_back_changes_answer_and_prunes_text(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];

  open_p(f, "kedja-kiosk");
  tap(f, PT_T_START, 0);
  answer(f, "nojdhet", "lite");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  assert_string_equal(qid(f), "battre");
  type_text(f, "Kortare väntan");
  tap(f, PT_T_DONE, 0);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->n_answers, 2);
    assert_string_equal(ans(r, "battre")->text, "Kortare väntan");
    store_responses_free(r, 1);
  }
  assert_string_equal(qid(f), "trygghet");
  /* back to the text: what was saved is there to correct */
  tap(f, PT_T_BACK, 0);
  assert_string_equal(qid(f), "battre");
  assert_string_equal(f->p->typing, "Kortare väntan");
  tap(f, PT_T_BACK, 0);
  assert_string_equal(qid(f), "nojdhet");
  /* the earlier answer is shown as chosen */
  assert_int_equal(f->p->answers[f->p->q], opt_of(f, "lite"));
  answer(f, "nojdhet", "mycket");
  /* satisfied after all: "what could be better" no longer applies, and
   * leaves the store and the model */
  assert_string_equal(qid(f), "trygghet");
  expect_stored(f, uuid, 1, "nojdhet", "mycket");
  expect_stored(f, uuid, 1, "battre", NULL);
  assert_null(f->p->texts[1]);
  /* back from trygghet skips the question that does not apply */
  tap(f, PT_T_BACK, 0);
  assert_string_equal(qid(f), "nojdhet");
  answer(f, "nojdhet", "mycket");
  answer(f, "trygghet", "lite");
  assert_string_equal(qid(f), "ord");
  /* a required text: neither "Klar" on nothing nor skip gets past it */
  tap(f, PT_T_DONE, 0);
  assert_string_equal(qid(f), "ord");
  tap(f, PT_T_SKIP, 0);
  assert_string_equal(qid(f), "ord");
  type_text(f, "Bra");
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_COMPLETE);
    assert_int_equal(r->n_answers, 3);
    assert_null(ans(r, "battre"));
    assert_string_equal(ans(r, "ord")->text, "Bra");
    store_responses_free(r, 1);
  }
}

/* Back from the first question ends the response (kept as abandoned with
 * what was answered) and shows the welcome screen. */
static void test_back_from_first_question(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];

  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_START, 0);
  tap(f, PT_T_BACK, 0);                  /* nothing answered: nothing kept */
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_int_equal(store_outbox_count(f->st), 0);
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "lite");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  tap(f, PT_T_BACK, 0);
  tap(f, PT_T_BACK, 0);
  assert_int_equal(f->p->screen, PT_WELCOME);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_ABANDONED);
    assert_int_equal(r->n_answers, 1);
    store_responses_free(r, 1);
  }
  expect_clean(f);
}

/* ---- tap guard ------------------------------------------------------- */

static void test_tap_guard(void **state)
{
  struct fx *f = *state;
  uint64_t shown;
  char uuid[STORE_UUID_LEN];

  f->cfg.tap_guard_ms = 400;
  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_START, 0);
  shown = f->now;
  /* a hurried double tap on "Börja" lands on the first answer: ignored */
  patient_tap(f->p, PT_T_OPTION, 0, shown + 399);
  assert_string_equal(qid(f), "delaktighet");
  assert_int_equal(f->p->begun, 0);
  assert_int_equal(f->p->answers[f->p->q], QSET_UNANSWERED);
  /* once the guard has run out it counts */
  patient_tap(f->p, PT_T_OPTION, 1, shown + 400);
  assert_string_equal(qid(f), "nojdhet");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  shown = f->now = shown + 400;
  /* double tap on an answer: the second tap does not answer nojdhet */
  patient_tap(f->p, PT_T_OPTION, 0, shown + 150);
  assert_string_equal(qid(f), "nojdhet");
  expect_stored(f, uuid, 1, "delaktighet", "lite");
  /* nor does it count as input for the idle timer */
  assert_true(patient_deadline(f->p) == shown + f->cfg.idle_s * 1000u);
  patient_tap(f->p, PT_T_OPTION, 0, shown + 401);
  assert_int_equal(f->p->screen, PT_THANKS);
  expect_stored(f, uuid, 2, "nojdhet", "mycket");
  /* the guard also covers "Klar" on the thank-you screen */
  shown = shown + 401;
  patient_tap(f->p, PT_T_THANKS_OK, 0, shown + 100);
  assert_int_equal(f->p->screen, PT_THANKS);
  /* keys on the same screen are not guarded against each other: typing
   * fast works */
  f->now = shown + 1000;
  tap(f, PT_T_THANKS_OK, 0);
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "mycket");
  answer(f, "nojdhet", "inte_alls");
  shown = f->now;
  {
    const struct osk_layout *l = osk_for_lang("sv");
    int a = -1;
    for(int k = 0; k < osk_n_keys(l); k++)
      if(strcmp(osk_key_at(l, k)->text, "a") == 0)
        a = k;
    patient_tap(f->p, PT_T_KEY, a, shown + 500);
    patient_tap(f->p, PT_T_KEY, a, shown + 560);
    patient_tap(f->p, PT_T_KEY, a, shown + 620);
  }
  assert_string_equal(f->p->typing, "aaa");
}

/* A config with no guard at all still works (tap_guard_ms = 0). */
static void test_no_tap_guard(void **state)
{
  struct fx *f = *state;
  f->cfg.tap_guard_ms = 0;
  open_p(f, "samordnare-kontakt");
  patient_tap(f->p, PT_T_START, 0, f->now);
  patient_tap(f->p, PT_T_OPTION, 0, f->now);
  assert_string_equal(qid(f), "nojdhet");
}

/* ---- walking away ---------------------------------------------------- */

static void test_walk_away_abandons_and_forgets(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];
  uint64_t idle_at, gone_at;

  open_p(f, "samordnare-kontakt");
  /* the patient picks English, high contrast and large text */
  tap(f, PT_T_LANG, 1);
  assert_string_equal(f->p->lang, "en");
  tap(f, PT_T_HC, 0);
  tap(f, PT_T_LARGE, 0);
  tap(f, PT_T_EASY, 0);
  assert_int_equal(f->p->hc, 1);
  assert_int_equal(f->p->large, 1);
  assert_int_equal(f->p->easy, 1);
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "lite");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  answer(f, "nojdhet", "inte_alls");
  type_text(f, "My name is Ann");
  /* and walks away */
  idle_at = f->now + (uint64_t)f->cfg.idle_s * 1000u;
  assert_true(patient_deadline(f->p) == idle_at);
  assert_int_equal(patient_tick(f->p, idle_at - 1), 0);
  assert_int_equal(f->p->screen, PT_TEXT);
  assert_int_equal(patient_tick(f->p, idle_at), 1);
  assert_int_equal(f->p->screen, PT_STILL_THERE);
  assert_int_equal(patient_still_left(f->p, idle_at), f->cfg.still_there_s);
  assert_int_equal(patient_still_left(f->p, idle_at + 5500),
                   f->cfg.still_there_s - 5);
  gone_at = idle_at + (uint64_t)f->cfg.still_there_s * 1000u;
  assert_true(patient_deadline(f->p) == gone_at);
  assert_int_equal(patient_tick(f->p, gone_at - 1), 0);
  /* a stray tap that is not "Ja" does not keep the answers on screen */
  patient_tap(f->p, PT_T_OPTION, 0, gone_at - 500);
  assert_int_equal(f->p->screen, PT_STILL_THERE);
  assert_int_equal(patient_tick(f->p, gone_at), 1);
  f->now = gone_at;
  assert_int_equal(f->p->screen, PT_WELCOME);
  /* kept as abandoned with what was answered (the typed text was never
   * confirmed, so it is not kept) */
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_ABANDONED);
    assert_int_equal(r->n_answers, 2);
    assert_string_equal(ans(r, "delaktighet")->option, "lite");
    assert_string_equal(ans(r, "nojdhet")->option, "inte_alls");
    assert_string_equal(r->lang, "en");
    store_responses_free(r, 1);
  }
  assert_int_equal(f->p->n_abandoned, 1);
  assert_int_equal(f->p->want_kick, 1);
  /* the next patient finds the defaults and nothing else */
  expect_clean(f);
  assert_string_equal(f->p->lang, "sv");
  assert_int_equal(f->p->hc, 0);
  assert_int_equal(f->p->large, 0);
  assert_int_equal(f->p->easy, 0);
  assert_int_equal(f->p->autoread, 0);
  assert_true(patient_deadline(f->p) == UINT64_MAX);   /* nothing to do */
  /* and starts a fresh response, not the old one */
  tap(f, PT_T_START, 0);
  assert_string_equal(qid(f), "delaktighet");
  assert_int_equal(f->p->answers[f->p->q], QSET_UNANSWERED);
  answer(f, "delaktighet", "mycket");
  assert_string_not_equal(f->p->uuid, uuid);
}

/* A patient who only changed the language and themes on the welcome
 * screen and left: the next one gets the defaults back. */
static void test_welcome_choices_reset_after_idle(void **state)
{
  struct fx *f = *state;
  uint64_t at;
  open_p(f, "kiosk-besok");
  assert_true(patient_deadline(f->p) == UINT64_MAX);
  tap(f, PT_T_LANG, 2);
  tap(f, PT_T_HC, 0);
  tap(f, PT_T_AUTO, 0);
  assert_string_equal(f->p->lang, "ar");
  at = f->now + (uint64_t)f->cfg.idle_s * 1000u;
  assert_true(patient_deadline(f->p) == at);
  assert_int_equal(patient_tick(f->p, at - 1), 0);
  assert_int_equal(patient_tick(f->p, at), 1);
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_string_equal(f->p->lang, "sv");
  assert_int_equal(f->p->hc, 0);
  assert_int_equal(f->p->autoread, 0);
  assert_true(patient_deadline(f->p) == UINT64_MAX);
}

static void test_still_there_yes_keeps_text(void **state)
{
  struct fx *f = *state;
  uint64_t at;
  char uuid[STORE_UUID_LEN];

  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "mycket");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  answer(f, "nojdhet", "lite");
  type_text(f, "Ringa tillbaka");
  at = f->now + (uint64_t)f->cfg.idle_s * 1000u;
  assert_int_equal(patient_tick(f->p, at), 1);
  assert_int_equal(f->p->screen, PT_STILL_THERE);
  f->now = at;
  tap(f, PT_T_STILL_YES, 0);
  assert_int_equal(f->p->screen, PT_TEXT);
  assert_string_equal(qid(f), "battre");
  assert_string_equal(f->p->typing, "Ringa tillbaka");
  /* the idle clock starts again from "Ja" */
  assert_true(patient_deadline(f->p) ==
              f->now + (uint64_t)f->cfg.idle_s * 1000u);
  type_text(f, " snart");
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_COMPLETE);
    assert_string_equal(ans(r, "battre")->text, "Ringa tillbaka snart");
    store_responses_free(r, 1);
  }
  /* the same on a choice question: back where the patient was */
  tap(f, PT_T_THANKS_OK, 0);
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "mycket");
  at = f->now + (uint64_t)f->cfg.idle_s * 1000u;
  assert_int_equal(patient_tick(f->p, at), 1);
  f->now = at;
  tap(f, PT_T_STILL_YES, 0);
  assert_int_equal(f->p->screen, PT_QUESTION);
  assert_string_equal(qid(f), "nojdhet");
  assert_int_equal(f->p->answers[0],
                   qset_option_index(qset_question_scale(patient_set(f->p), 0),
                                     "mycket"));
}

static void test_thanks_returns_to_welcome(void **state)
{
  struct fx *f = *state;
  uint64_t at;
  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_LANG, 1);
  tap(f, PT_T_LARGE, 0);
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "mycket");
  answer(f, "nojdhet", "mycket");        /* no free text when satisfied */
  assert_int_equal(f->p->screen, PT_THANKS);
  assert_string_equal(f->p->lang, "en");
  assert_int_equal(f->p->large, 1);
  at = f->now + (uint64_t)f->cfg.thanks_s * 1000u;
  assert_true(patient_deadline(f->p) == at);
  assert_int_equal(patient_tick(f->p, at - 1), 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  assert_int_equal(patient_tick(f->p, at), 1);
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_string_equal(f->p->lang, "sv");
  assert_int_equal(f->p->large, 0);
  expect_clean(f);
}

/* ---- staff ----------------------------------------------------------- */

static void test_staff_gesture_pin_lockout_and_menu(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];

  set_pin(f);
  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_START, 0);
  answer(f, "delaktighet", "lite");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  /* staff take over mid-survey: the patient's answers are kept as
   * abandoned and leave the screen */
  patient_staff_gesture(f->p, f->now);
  assert_int_equal(f->p->screen, PT_PIN);
  assert_int_equal(f->p->pin_none, 0);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_ABANDONED);
    store_responses_free(r, 1);
  }
  expect_clean(f);
  /* the pad is usable at once */
  patient_tap(f->p, PT_T_PIN_DIGIT, 1, f->now);
  assert_string_equal(f->p->pin, "1");
  tap(f, PT_T_PIN_DEL, 0);
  assert_string_equal(f->p->pin, "");
  /* two wrong PINs cost nothing */
  enter_pin(f, "1111");
  assert_int_equal(f->p->screen, PT_PIN);
  assert_int_equal(f->p->pin_wrong, 1);
  assert_string_equal(f->p->pin, "");
  assert_int_equal(patient_pin_wait(f->p, f->now), 0);
  enter_pin(f, "2467");
  assert_int_equal(patient_pin_wait(f->p, f->now), 0);
  /* the third locks the pad for 30 s: even the right PIN is refused */
  enter_pin(f, "0000");
  assert_int_equal(f->p->screen, PT_PIN);
  assert_true(patient_pin_wait(f->p, f->now) >= 29 &&
              patient_pin_wait(f->p, f->now) <= 30);
  enter_pin(f, PIN);
  assert_int_equal(f->p->screen, PT_PIN);
  assert_string_equal(f->p->pin, "");    /* not typed into the next try */
  /* after the wait a wrong one locks it longer (60 s) */
  f->now += 31000;
  assert_int_equal(patient_pin_wait(f->p, f->now), 0);
  enter_pin(f, "9999");
  assert_true(patient_pin_wait(f->p, f->now) >= 59 &&
              patient_pin_wait(f->p, f->now) <= 60);
  f->now += 61000;
  /* the right PIN from the physical keyboard opens the menu */
  for(const char *d = PIN; *d; d++)
    patient_key(f->p, *d, f->now);
  patient_key(f->p, '\n', f->now);
  assert_int_equal(f->p->screen, PT_STAFF);
  assert_string_equal(f->p->pin, "");
  assert_int_equal(f->p->guard.failures, 0);
  /* a small panel's second page; a bad page index is ignored */
  assert_int_equal(f->p->staff_page, 0);
  tap(f, PT_T_STAFF_PAGE, 1);
  assert_int_equal(f->p->staff_page, 1);
  tap(f, PT_T_STAFF_PAGE, -1);
  assert_int_equal(f->p->staff_page, 1);
  assert_int_equal(f->p->screen, PT_STAFF);
  /* leaving the menu goes to welcome */
  tap(f, PT_T_STAFF_BACK, 0);
  assert_int_equal(f->p->screen, PT_WELCOME);
  /* exit from the menu asks the program to end; the menu opens again on
   * its first page */
  patient_staff_gesture(f->p, f->now);
  enter_pin(f, PIN);
  assert_int_equal(f->p->screen, PT_STAFF);
  assert_int_equal(f->p->staff_page, 0);
  tap(f, PT_T_STAFF_EXIT, 0);
  assert_int_equal(f->p->want_exit, 1);
}

static void test_no_pin_set(void **state)
{
  struct fx *f = *state;
  open_p(f, "samordnare-kontakt");
  patient_staff_gesture(f->p, f->now);
  assert_int_equal(f->p->screen, PT_PIN);
  assert_int_equal(f->p->pin_none, 1);
  enter_pin(f, "0000");
  assert_int_equal(f->p->screen, PT_PIN);
  enter_pin(f, "");
  assert_int_equal(f->p->screen, PT_PIN);
  tap(f, PT_T_CANCEL, 0);
  assert_int_equal(f->p->screen, PT_WELCOME);
  /* a PIN set later is found on the next gesture */
  set_pin(f);
  patient_staff_gesture(f->p, f->now);
  assert_int_equal(f->p->pin_none, 0);
  enter_pin(f, PIN);
  assert_int_equal(f->p->screen, PT_STAFF);
}

static void test_staff_menu_times_out(void **state)
{
  struct fx *f = *state;
  uint64_t at;
  set_pin(f);
  open_p(f, "samordnare-kontakt");
  /* the PIN pad left alone */
  patient_staff_gesture(f->p, f->now);
  tap(f, PT_T_PIN_DIGIT, 2);
  at = f->now + (uint64_t)f->cfg.staff_timeout_s * 1000u;
  assert_true(patient_deadline(f->p) == at);
  assert_int_equal(patient_tick(f->p, at - 1), 0);
  assert_int_equal(patient_tick(f->p, at), 1);
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_string_equal(f->p->pin, "");
  /* the staff menu left open */
  f->now = at;
  patient_staff_gesture(f->p, f->now);
  enter_pin(f, PIN);
  assert_int_equal(f->p->screen, PT_STAFF);
  tap(f, PT_T_STAFF_HC, 0);              /* input keeps it open */
  at = f->now + (uint64_t)f->cfg.staff_timeout_s * 1000u;
  assert_true(patient_deadline(f->p) == at);
  assert_int_equal(patient_tick(f->p, at - 1), 0);
  assert_int_equal(f->p->screen, PT_STAFF);
  assert_int_equal(patient_tick(f->p, at), 1);
  assert_int_equal(f->p->screen, PT_WELCOME);
}

static void test_staff_choices_persist(void **state)
{
  struct fx *f = *state;
  char v[64];

  set_pin(f);
  open_p(f, "samordnare-kontakt");
  patient_staff_gesture(f->p, f->now);
  enter_pin(f, PIN);
  assert_int_equal(f->p->screen, PT_STAFF);
  tap(f, PT_T_STAFF_SET, S_BESOK);
  assert_string_equal(patient_set(f->p)->id, "kiosk-besok");
  tap(f, PT_T_STAFF_LANG, 1);
  tap(f, PT_T_STAFF_HC, 0);
  tap(f, PT_T_STAFF_LARGE, 0);
  tap(f, PT_T_STAFF_AUTO, 0);
  tap(f, PT_T_STAFF_EASY, 0);
  tap(f, PT_T_STAFF_SET, 99);            /* no such set: nothing */
  tap(f, PT_T_STAFF_LANG, 99);
  assert_string_equal(patient_set(f->p)->id, "kiosk-besok");
  tap(f, PT_T_STAFF_BACK, 0);
  /* the next patient starts with the staff's choices */
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_string_equal(f->p->lang, "en");
  assert_int_equal(f->p->hc, 1);
  assert_int_equal(f->p->large, 1);
  assert_int_equal(f->p->autoread, 1);
  assert_int_equal(f->p->easy, 1);
  /* kept in the store's meta table */
  assert_int_equal(store_meta_get(f->st, "kiosk_set", v, sizeof(v)), PR_OK);
  assert_string_equal(v, "kiosk-besok");
  assert_int_equal(store_meta_get(f->st, "kiosk_lang", v, sizeof(v)), PR_OK);
  assert_string_equal(v, "en");
  /* and read back after a restart, winning over the config */
  patient_close(f->p);
  f->p = NULL;
  open_p(f, "samordnare-kontakt");
  assert_string_equal(patient_set(f->p)->id, "kiosk-besok");
  assert_string_equal(f->p->def_lang, "en");
  assert_string_equal(f->p->lang, "en");
  assert_int_equal(f->p->hc, 1);
  assert_int_equal(f->p->large, 1);
  assert_int_equal(f->p->autoread, 1);
  assert_int_equal(f->p->easy, 1);
  /* a patient's own switch does not outlive the patient */
  tap(f, PT_T_HC, 0);
  assert_int_equal(f->p->hc, 0);
  tap(f, PT_T_START, 0);
  answer(f, "nojdhet", "mycket");
  {
    uint64_t at = f->now + (uint64_t)f->cfg.idle_s * 1000u;
    assert_int_equal(patient_tick(f->p, at), 1);
    at += (uint64_t)f->cfg.still_there_s * 1000u;
    assert_int_equal(patient_tick(f->p, at), 1);
    f->now = at;
  }
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_int_equal(f->p->hc, 1);
  /* switched off again by staff, and that is kept too */
  patient_staff_gesture(f->p, f->now);
  enter_pin(f, PIN);
  tap(f, PT_T_STAFF_HC, 0);
  tap(f, PT_T_STAFF_BACK, 0);
  patient_close(f->p);
  f->p = NULL;
  open_p(f, "samordnare-kontakt");
  assert_int_equal(f->p->hc, 0);
  assert_int_equal(f->p->large, 1);
}

/* A set staff chose that is no longer offered: the config's set. */
static void test_staff_set_gone(void **state)
{
  struct fx *f = *state;
  char err[PR_ERR_LEN];
  assert_int_equal(store_meta_set(f->st, "kiosk_set", "finns-inte", err),
                   PR_OK);
  open_p(f, "samordnare-vardplan");
  assert_string_equal(patient_set(f->p)->id, "samordnare-vardplan");
  /* new sets rolled out: the shown set is kept by id */
  {
    struct qset *const other[] = {f->sets[S_BESOK], f->sets[S_VARDPLAN]};
    patient_set_sets(f->p, other, 2);
    assert_string_equal(patient_set(f->p)->id, "samordnare-vardplan");
    patient_set_sets(f->p, other, 1);
    assert_string_equal(patient_set(f->p)->id, "kiosk-besok");
    patient_set_sets(f->p, f->sets, N_SETS);
  }
}

/* ---- shutdown and failures --------------------------------------------- */

static void test_shutdown_keeps_open_response(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN], err[PR_ERR_LEN] = "";

  open_p(f, "kiosk-besok");
  assert_int_equal(patient_shutdown(f->p, err), PR_OK);   /* nothing open */
  assert_int_equal(store_outbox_count(f->st), 0);
  tap(f, PT_T_START, 0);
  answer(f, "nojdhet", "lite");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  answer(f, "delaktighet", "mycket");
  assert_int_equal(patient_shutdown(f->p, err), PR_OK);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_ABANDONED);
    assert_int_equal(r->n_answers, 2);
    store_responses_free(r, 1);
  }
  assert_int_equal(store_outbox_count(f->st), 1);
  assert_int_equal(f->p->n_abandoned, 1);
  /* a second shutdown does not touch it again */
  assert_int_equal(patient_shutdown(f->p, err), PR_OK);
  assert_int_equal(f->p->n_abandoned, 1);
}

static void test_failed_save_does_not_advance(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];

  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_START, 0);
  /* the store cannot be written: the first answer cannot start a
   * response */
  sql(f, "PRAGMA query_only = 1");
  answer(f, "delaktighet", "mycket");
  assert_int_equal(f->p->save_failed, 1);
  assert_string_equal(qid(f), "delaktighet");
  assert_int_equal(f->p->begun, 0);
  assert_int_equal(f->p->answers[f->p->q], QSET_UNANSWERED);
  sql(f, "PRAGMA query_only = 0");
  answer(f, "delaktighet", "mycket");
  assert_int_equal(f->p->save_failed, 0);
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  /* a later answer */
  sql(f, "PRAGMA query_only = 1");
  answer(f, "nojdhet", "lite");
  assert_int_equal(f->p->save_failed, 1);
  assert_string_equal(qid(f), "nojdhet");
  assert_int_equal(f->p->answers[f->p->q], QSET_UNANSWERED);
  sql(f, "PRAGMA query_only = 0");
  answer(f, "nojdhet", "lite");
  assert_int_equal(f->p->save_failed, 0);
  assert_string_equal(qid(f), "battre");
  /* the free text: typed text stays on screen to try again */
  type_text(f, "Mer tid");
  sql(f, "PRAGMA query_only = 1");
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->save_failed, 1);
  assert_string_equal(qid(f), "battre");
  assert_string_equal(f->p->typing, "Mer tid");
  sql(f, "PRAGMA query_only = 0");
  /* out of memory copying the text: the same */
  f->p->save_failed = 0;
  pr_alloc_fail_after(0);
  tap(f, PT_T_DONE, 0);
  pr_alloc_fail_after(-1);
  assert_int_equal(f->p->save_failed, 1);
  assert_string_equal(qid(f), "battre");
  assert_string_equal(f->p->typing, "Mer tid");
  expect_stored(f, uuid, 2, "battre", NULL);
  tap(f, PT_T_DONE, 0);
  assert_int_equal(f->p->screen, PT_THANKS);
  assert_int_equal(f->p->save_failed, 0);
  {
    struct store_response *r = resp(f, uuid);
    assert_int_equal(r->status, STORE_COMPLETE);
    assert_string_equal(ans(r, "battre")->text, "Mer tid");
    store_responses_free(r, 1);
  }
}

/* Changing an answer saved, but removing the answer that no longer
 * applies failed: the screen stays, and the retry removes it. */
static void test_failed_prune_is_retried(void **state)
{
  struct fx *f = *state;
  char uuid[STORE_UUID_LEN];

  open_p(f, "kedja-kiosk");
  tap(f, PT_T_START, 0);
  answer(f, "nojdhet", "inte_alls");
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  type_text(f, "Allt");
  tap(f, PT_T_DONE, 0);
  assert_string_equal(qid(f), "trygghet");
  tap(f, PT_T_BACK, 0);
  tap(f, PT_T_BACK, 0);
  assert_string_equal(qid(f), "nojdhet");
  sql(f, "CREATE TEMP TRIGGER no_delete BEFORE DELETE ON main.answer "
         "BEGIN SELECT RAISE(ABORT, 'test: no delete'); END");
  answer(f, "nojdhet", "mycket");
  assert_int_equal(f->p->save_failed, 1);
  assert_string_equal(qid(f), "nojdhet");
  sql(f, "DROP TRIGGER temp.no_delete");
  /* the patient taps the same answer again */
  answer(f, "nojdhet", "mycket");
  assert_int_equal(f->p->save_failed, 0);
  assert_string_equal(qid(f), "trygghet");
  expect_stored(f, uuid, 1, "battre", NULL);
  assert_null(f->p->texts[1]);
}

/* ---- read-aloud -------------------------------------------------------- */

static void test_read_aloud_requests(void **state)
{
  struct fx *f = *state;
  unsigned g;

  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_START, 0);
  /* auto read-aloud off: a new screen only stops speech */
  assert_int_equal(f->p->say, PT_SAY_STOP);
  g = f->p->say_gen;
  tap(f, PT_T_SPEAK, 0);
  assert_int_equal(f->p->say, PT_SAY_SCREEN);
  assert_true(f->p->say_gen != g);
  g = f->p->say_gen;
  /* answering stops it */
  answer(f, "delaktighet", "mycket");
  assert_int_equal(f->p->say, PT_SAY_STOP);
  assert_true(f->p->say_gen != g);
  /* speaking twice is two requests (the program restarts the reading) */
  tap(f, PT_T_SPEAK, 0);
  g = f->p->say_gen;
  tap(f, PT_T_SPEAK, 0);
  assert_true(f->p->say_gen != g);
  /* going back stops it too */
  tap(f, PT_T_BACK, 0);
  assert_int_equal(f->p->say, PT_SAY_STOP);
  tap(f, PT_T_BACK, 0);
  assert_int_equal(f->p->screen, PT_WELCOME);

  /* auto read-aloud on from the welcome screen: it reads at once, and
   * every new screen is read */
  g = f->p->say_gen;
  tap(f, PT_T_AUTO, 0);
  assert_int_equal(f->p->autoread, 1);
  assert_int_equal(f->p->say, PT_SAY_SCREEN);
  assert_true(f->p->say_gen != g);
  g = f->p->say_gen;
  tap(f, PT_T_LANG, 1);                  /* read again in English */
  assert_int_equal(f->p->say, PT_SAY_SCREEN);
  assert_true(f->p->say_gen != g);
  g = f->p->say_gen;
  tap(f, PT_T_START, 0);
  assert_int_equal(f->p->say, PT_SAY_SCREEN);
  assert_true(f->p->say_gen != g);
  g = f->p->say_gen;
  answer(f, "delaktighet", "lite");
  assert_int_equal(f->p->say, PT_SAY_SCREEN);   /* the next question */
  assert_true(f->p->say_gen != g);
  /* "Är du kvar?" is read too */
  g = f->p->say_gen;
  assert_int_equal(patient_tick(f->p, f->now + f->cfg.idle_s * 1000u), 1);
  assert_int_equal(f->p->say, PT_SAY_SCREEN);
  assert_true(f->p->say_gen != g);
  f->now += f->cfg.idle_s * 1000u;
  tap(f, PT_T_STILL_YES, 0);
  /* staff screens are never read aloud */
  patient_staff_gesture(f->p, f->now);
  assert_int_equal(f->p->say, PT_SAY_STOP);
  tap(f, PT_T_CANCEL, 0);
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_int_equal(f->p->autoread, 0);   /* the patient's choice is gone */
  assert_int_equal(f->p->say, PT_SAY_STOP);
  /* on and off again: the second stops the reading */
  tap(f, PT_T_AUTO, 0);
  assert_int_equal(f->p->say, PT_SAY_SCREEN);
  tap(f, PT_T_AUTO, 0);
  assert_int_equal(f->p->autoread, 0);
  assert_int_equal(f->p->say, PT_SAY_STOP);
}

/* Targets that do not belong to the screen shown do nothing. */
static void test_foreign_targets_ignored(void **state)
{
  struct fx *f = *state;
  open_p(f, "samordnare-kontakt");
  tap(f, PT_T_OPTION, 0);
  tap(f, PT_T_DONE, 0);
  tap(f, PT_T_STAFF_EXIT, 0);
  tap(f, PT_T_STILL_YES, 0);
  tap(f, PT_T_LANG, 7);                  /* no such language */
  assert_int_equal(f->p->screen, PT_WELCOME);
  assert_int_equal(f->p->want_exit, 0);
  assert_string_equal(f->p->lang, "sv");
  patient_key(f->p, '1', f->now);        /* digits only on the PIN pad */
  assert_string_equal(f->p->pin, "");
  tap(f, PT_T_START, 0);
  tap(f, PT_T_OPTION, 42);               /* no such option */
  tap(f, PT_T_STAFF_EXIT, 0);
  tap(f, PT_T_KEY, 3);
  assert_string_equal(qid(f), "delaktighet");
  assert_int_equal(f->p->begun, 0);
  assert_int_equal(f->p->want_exit, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
    T(test_whole_survey_saves_every_answer),
    T(test_arabic_survey_with_skipped_comment),
    T(test_done_trims_and_empty_done_skips),
    T(test_back_changes_answer_and_prunes_text),
    T(test_back_from_first_question),
    T(test_tap_guard),
    T(test_no_tap_guard),
    T(test_walk_away_abandons_and_forgets),
    T(test_welcome_choices_reset_after_idle),
    T(test_still_there_yes_keeps_text),
    T(test_thanks_returns_to_welcome),
    T(test_staff_gesture_pin_lockout_and_menu),
    T(test_no_pin_set),
    T(test_staff_menu_times_out),
    T(test_staff_choices_persist),
    T(test_staff_set_gone),
    T(test_shutdown_keeps_open_response),
    T(test_failed_save_does_not_advance),
    T(test_failed_prune_is_retried),
    T(test_read_aloud_requests),
    T(test_foreign_targets_ignored),
  };
#undef T
  setenv("TZ", "UTC", 1);
  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_ERROR);      /* the failures below are on purpose */
  return cmocka_run_group_tests(tests, NULL, NULL);
}
