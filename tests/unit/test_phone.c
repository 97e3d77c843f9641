/* test_phone.c — This file contains the unit tests of the phone-interview
 * model (kiosk/phone.c) without a window: the steps of a call, digit
 * answers, going back, skipping, a call cut mid-interview (partial, the
 * response kept as abandoned), refusals, call-back times, free text
 * that arrives scrubbed in the store, the response's week date, a bad
 * unit refused when phone mode opens, and a queue of the unit's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdate.h"
#include "phone.h"

#define UNIT "SE2321000032-PH0002"

struct fx {
  struct store *s;
  struct qset *set;
  struct phone *p;
  char path[512];
  time_t now;
};

static int setup(void **state)
{
  static int seq;
  static const char csv[] = "Namn;Telefon;Personnummer;Utskrivningsdatum;"
    "Spår;Vårdtyp;Samtycke\n"
    "Ingrid Modellsson;070-555 07 01;19121212-1212;2026-11-20;gul;"
    "psykiatrisk;ja\n"
    "Olof Tvåsson;070-555 07 02;;2026-11-21;grön;somatisk;ja\n";
  struct fx *f = calloc(1, sizeof(*f));
  struct calllist_cfg cfg;
  struct calllist_report rep;
  char err[PR_ERR_LEN] = "", wal[600];
  setenv("TZ", "UTC", 1);
  tzset();
  f->now = (time_t)pdate_from_ymd(2026, 11, 24) * 86400 + 10 * 3600;
  snprintf(f->path, sizeof(f->path), "%s/phone-%d-%d.db", PR_TEST_OUT,
           (int)getpid(), seq++);
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  calllist_cfg_default(&cfg);
  if(store_open(f->path, &f->s, err) || calllist_init(f->s, err) ||
     calllist_import_buffer(f->s, "t.csv", csv, sizeof(csv) - 1, UNIT, NULL,
                            f->now, &rep, err) ||
     qset_load_file(PR_ASSETS_DIR "/surveys/ring-upp-utskrivning.json",
                    &f->set, err) ||
     phone_open(f->s, f->set, &cfg, UNIT, f->now, &f->p, err)) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  calllist_report_free(&rep);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  char wal[600];
  phone_close(f->p);
  qset_free(f->set);
  store_close(f->s);
  unlink(f->path);
  snprintf(wal, sizeof(wal), "%s-wal", f->path);
  unlink(wal);
  free(f);
  return 0;
}

static void key(struct fx *f, enum phone_key k, int ch)
{
  char err[PR_ERR_LEN] = "";
  if(phone_key(f->p, k, ch, f->now, err))
    fail_msg("key %d '%c': %s", k, ch ? ch : ' ', err);
}

static void to_first_question(struct fx *f, int proxy_key)
{
  assert_int_equal(f->p->step, PHONE_LIST);
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_INTRO);
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_CONSENT);
  key(f, PHONE_K_CHAR, '1');
  assert_int_equal(f->p->step, PHONE_PROXY);
  key(f, PHONE_K_CHAR, proxy_key);
  assert_int_equal(f->p->step, PHONE_QUESTION);
}

static void test_full_call(void **state)
{
  struct fx *f = *state;
  struct store_response *r = NULL;
  struct calllist_entry e;
  char uuid[STORE_UUID_LEN], err[PR_ERR_LEN];
  long id;

  assert_int_equal(f->p->n_queue, 2);
  id = f->p->queue[0].id;                  /* yellow before green */
  to_first_question(f, '2');               /* a relative answers */
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  assert_string_equal(f->set->questions[f->p->q].id, "delaktighet");
  key(f, PHONE_K_CHAR, '9');               /* no such alternative */
  assert_string_equal(f->set->questions[f->p->q].id, "delaktighet");
  key(f, PHONE_K_CHAR, '1');
  key(f, PHONE_K_BACKSPACE, 0);            /* back: correct the answer */
  assert_string_equal(f->set->questions[f->p->q].id, "delaktighet");
  key(f, PHONE_K_CHAR, '4');
  key(f, PHONE_K_CHAR, '3');
  key(f, PHONE_K_CHAR, '3');
  key(f, PHONE_K_CHAR, '5');               /* vet ej */
  key(f, PHONE_K_CHAR, '1');
  key(f, PHONE_K_CHAR, '2');
  assert_true(phone_wants_text(f->p));
  key(f, PHONE_K_CHAR, 'g');               /* letters are text here */
  assert_int_equal(f->p->step, PHONE_QUESTION);
  phone_text(f->p, "Ingrid vill bli uppringd på 0705550701, pnr ");
  phone_text(f->p, "19121212-1212.");
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_SIP);
  key(f, PHONE_K_CHAR, '3');
  assert_int_equal(f->p->step, PHONE_OUTCOME);
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_LIST);
  assert_int_equal(f->p->n_queue, 1);
  assert_non_null(strstr(f->p->status, "Genomförd"));

  assert_int_equal(store_get(f->s, uuid, &r, err), PR_OK);
  assert_int_equal(r->status, STORE_COMPLETE);
  assert_int_equal(r->proxy, 1);
  assert_int_equal(r->mode, QSET_MODE_PHONE);
  assert_string_equal(r->track, "gul");
  assert_string_equal(r->care, "psykiatrisk");
  /* interviewed on Tuesday 2026-11-24: only the week's Monday is kept,
   * as on the entry (nothing finer joins the two) */
  assert_string_equal(r->date, "2026-11-23");
  assert_int_equal(r->n_answers, 7);
  for(int i = 0; i < r->n_answers; i++) {
    if(strcmp(r->answers[i].question, "delaktighet") == 0)
      assert_string_equal(r->answers[i].option, "stammer_helt");
    if(strcmp(r->answers[i].question, "hansyn") == 0)
      assert_string_equal(r->answers[i].option, "vet_ej");
    if(strcmp(r->answers[i].question, "kommentar") == 0)
      assert_string_equal(r->answers[i].text, "[namn] vill bli uppringd på "
                          "[telefon], pnr [personnummer].");
  }
  store_responses_free(r, 1);
  assert_int_equal(calllist_get(f->s, id, &e, err), PR_OK);
  assert_int_equal(e.final, DISPO_COMPLETE);
  assert_int_equal(e.closed_day, pdate_from_ymd(2026, 11, 23));
  assert_int_equal(e.sip_offered, 1);
  assert_int_equal(e.sip_accepted, 1);
}

/* The unit is checked when phone mode opens, not when the first answer
 * is saved (which lost the interview: "store_begin: bad unit id"). */
static void test_bad_unit_refused_at_open(void **state)
{
  static const char *const bad[] = {"xx yy", "bad!unit", "",
    "se2321000032-ph0002", "SE2321000032", "SE2321000032-PH 2",
    "SE232100003-PH0002"};
  struct fx *f = *state;
  struct calllist_cfg cfg;
  struct phone *p = (struct phone *)&p;
  char err[PR_ERR_LEN];
  (void)f;
  calllist_cfg_default(&cfg);
  for(size_t i = 0; i < PR_ARRAY_LEN(bad); i++) {
    err[0] = '\0';
    assert_int_equal(phone_open(f->s, f->set, &cfg, bad[i], f->now, &p,
                                err), PR_EINVAL);
    assert_null(p);
    assert_non_null(strstr(err, "is not an HSA-id"));
  }
}

/* Phone mode lists only its own unit's entries, though the store holds
 * another unit's list too. */
static void test_queue_is_the_units_own(void **state)
{
  static const char other[] = "Namn;Telefon;Utskrivningsdatum;Spår;"
    "Vårdtyp;Samtycke\n"
    "Annan Enhetsdotter;070-555 09 01;2026-11-20;röd;somatisk;ja\n";
  struct fx *f = *state;
  struct calllist_report rep;
  char err[PR_ERR_LEN];
  assert_int_equal(calllist_import_buffer(f->s, "o.csv", other,
                   sizeof(other) - 1, "SE2321000032-ANNAN1", NULL, f->now,
                   &rep, err), PR_OK);
  assert_int_equal(rep.added, 1);
  calllist_report_free(&rep);
  assert_int_equal(phone_refresh(f->p, f->now, err), PR_OK);
  assert_int_equal(f->p->n_queue, 2);       /* not the red one of ANNAN1 */
  for(int i = 0; i < f->p->n_queue; i++)
    assert_string_equal(f->p->queue[i].unit, UNIT);
  /* nor among those waiting for later */
  assert_int_equal(calllist_record(f->s, &f->p->cfg, 3, DISPO_NOANSWER, 0,
                                   f->now, NULL, err), PR_OK);
  assert_int_equal(phone_refresh(f->p, f->now, err), PR_OK);
  assert_int_equal(f->p->n_later, 0);
}

static void test_cut_short(void **state)
{
  struct fx *f = *state;
  struct store_response *r = NULL;
  struct calllist_entry e;
  char uuid[STORE_UUID_LEN], err[PR_ERR_LEN];
  long id = f->p->queue[0].id;

  to_first_question(f, '1');
  pr_strlcpy(uuid, f->p->uuid, sizeof(uuid));
  key(f, PHONE_K_CHAR, '4');
  key(f, PHONE_K_CHAR, '2');
  key(f, PHONE_K_ESC, 0);                  /* the line went dead */
  assert_int_equal(f->p->step, PHONE_OUTCOME);
  key(f, PHONE_K_CHAR, 'g');               /* not "complete": refused */
  assert_int_equal(f->p->step, PHONE_OUTCOME);
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_OUTCOME);
  key(f, PHONE_K_CHAR, 'd');               /* partial */
  assert_int_equal(f->p->step, PHONE_LIST);
  assert_int_equal(store_get(f->s, uuid, &r, err), PR_OK);
  assert_int_equal(r->status, STORE_ABANDONED);
  assert_int_equal(r->n_answers, 2);
  store_responses_free(r, 1);
  assert_int_equal(calllist_get(f->s, id, &e, err), PR_OK);
  assert_int_equal(e.final, DISPO_PARTIAL);
  assert_int_equal(e.sip_offered, -1);
}

static void test_refuse_and_callback(void **state)
{
  struct fx *f = *state;
  struct calllist_entry e;
  char err[PR_ERR_LEN];
  long first = f->p->queue[0].id, second = f->p->queue[1].id;

  key(f, PHONE_K_ENTER, 0);
  key(f, PHONE_K_ENTER, 0);
  key(f, PHONE_K_CHAR, '2');               /* does not want to */
  assert_int_equal(f->p->step, PHONE_LIST);
  assert_int_equal(calllist_get(f->s, first, &e, err), PR_OK);
  assert_int_equal(e.final, DISPO_REFUSED);
  assert_int_equal(store_outbox_count(f->s), 0);   /* nothing stored */

  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->cur.id, second);
  key(f, PHONE_K_CHAR, 't');
  assert_int_equal(f->p->step, PHONE_CALLBACK);
  phone_text(f->p, "09:30");                /* already past today: tomorrow */
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_LIST);
  assert_int_equal(calllist_get(f->s, second, &e, err), PR_OK);
  assert_int_equal(e.last, DISPO_CALLBACK);
  assert_int_equal(e.next_at, f->now + 86400 - 30 * 60);

  /* junk and the past are refused with a message, nothing recorded */
  f->now += 86400 - 30 * 60;               /* the call-back is due */
  assert_int_equal(phone_refresh(f->p, f->now, err), PR_OK);
  assert_int_equal(f->p->n_queue, 1);
  key(f, PHONE_K_ENTER, 0);
  key(f, PHONE_K_CHAR, 't');
  phone_text(f->p, "2026-11-20 10:00");
  key(f, PHONE_K_ENTER, 0);
  assert_int_equal(f->p->step, PHONE_CALLBACK);
  assert_non_null(strstr(f->p->status, "TT:MM"));
  key(f, PHONE_K_BACKSPACE, 0);
  assert_string_equal(f->p->text, "2026-11-20 10:0");
  key(f, PHONE_K_ESC, 0);
  assert_int_equal(f->p->step, PHONE_INTRO);
  key(f, PHONE_K_ESC, 0);                  /* not dialled: no attempt */
  assert_int_equal(f->p->step, PHONE_LIST);
  assert_int_equal(calllist_get(f->s, second, &e, err), PR_OK);
  assert_int_equal(e.attempts, 1);
  key(f, PHONE_K_ESC, 0);
  assert_true(f->p->quit);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_full_call, setup, teardown),
    cmocka_unit_test_setup_teardown(test_cut_short, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refuse_and_callback, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_bad_unit_refused_at_open, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_queue_is_the_units_own, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
