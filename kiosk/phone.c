/* phone.c — This file contains the phone-interview model declared in
 * phone.h: the step machine of one call and what each key does. */
#include "callcheck.h"
#include "callstat.h"
#include "phone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsa.h"
#include "pdate.h"
#include "vocab.h"

static void say(struct phone *p, const char *msg)
{
  pr_strlcpy(p->status, msg, sizeof(p->status));
}

int phone_questions(const struct qset *set, int *idx, int cap)
{
  int n = 0;
  for(int i = 0; i < set->n_questions && n < cap; i++)
    if(set->questions[i].modes & QSET_MODE_PHONE)
      idx[n++] = i;
  return n;
}

/* Open entries with consent that wait for a retry time or an agreed
 * call-back, soonest first, so the coordinator sees the rest of the day. */
static int later_cmp(const void *a, const void *b)
{
  const struct calllist_entry *x = a, *y = b;
  return x->next_at < y->next_at ? -1 : x->next_at > y->next_at;
}

static enum pr_rc later_list(struct phone *p, time_t now, char *err)
{
  struct calllist_entry *v = NULL;
  int n = 0, k = 0;
  enum pr_rc rc = calllist_for_unit(p->store, p->unit, &v, &n, err);
  if(rc)
    return rc;
  for(int i = 0; i < n; i++)
    if(v[i].closed_day < 0 && v[i].consent && v[i].next_at > now)
      v[k++] = v[i];
  if(k > 1)
    qsort(v, (size_t)k, sizeof(*v), later_cmp);
  pr_free(p->later);
  p->later = v;
  p->n_later = k;
  return PR_OK;
}

enum pr_rc phone_refresh(struct phone *p, time_t now, char *err)
{
  struct calllist_entry *v = NULL;
  int n = 0;
  enum pr_rc rc = calllist_housekeep(p->store, &p->cfg, now, NULL, NULL,
                                     err);
  if(!rc)
    rc = calllist_queue(p->store, &p->cfg, p->unit, now, &v, &n,
                        &p->closed_hours, err);
  if(rc) {
    say(p, err ? err : pr_strerror(rc));
    return rc;
  }
  pr_free(p->queue);
  p->queue = v;
  p->n_queue = n;
  rc = later_list(p, now, err);
  if(rc)
    return rc;
  if(p->sel >= n)
    p->sel = n ? n - 1 : 0;
  return PR_OK;
}

enum pr_rc phone_open(struct store *s, const struct qset *set,
                      const struct calllist_cfg *cfg, const char *unit,
                      time_t now, struct phone **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct phone *p = NULL;
  int idx[QSET_MAX_QUESTIONS];

  *out = NULL;
  if(!hsa_valid(unit)) {
    pr_seterr(err, "unit \"%.40s\" is not an HSA-id (like %s)",
              unit ? unit : "", HSA_EXAMPLE);
    return PR_EINVAL;
  }
  if(phone_questions(set, idx, QSET_MAX_QUESTIONS) == 0) {
    pr_seterr(err, "question set %s has no phone questions", set->id);
    return PR_EINVAL;
  }
  p = pr_calloc(1, sizeof(*p));
  if(!p)
    goto out;
  p->store = s;
  p->set = set;
  p->cfg = *cfg;
  pr_strlcpy(p->unit, unit, sizeof(p->unit));
  rc = calllist_init(s, err);
  if(!rc)
    rc = phone_refresh(p, now, err);
  if(rc)
    goto out;
  *out = p;
  p = NULL;
out:
  phone_close(p);
  return rc;
}

void phone_close(struct phone *p)
{
  if(!p)
    return;
  pr_free(p->queue);
  pr_free(p->later);
  pr_free(p->weeks);
  pr_free(p);
}

void phone_select(struct phone *p, int i)
{
  if(p->step == PHONE_LIST && i >= 0 && i < p->n_queue)
    p->sel = i;
}

int phone_wants_text(const struct phone *p)
{
  return p->step == PHONE_CALLBACK || p->step == PHONE_EDIT ||
         (p->step == PHONE_QUESTION &&
          p->set->questions[p->q].type == QSET_TEXT);
}

void phone_text(struct phone *p, const char *utf8)
{
  char *dst = p->step == PHONE_EDIT ? p->field[p->field_cur] : p->text;
  size_t cap = p->step == PHONE_EDIT ? PHONE_FIELD_LEN : sizeof(p->text);
  size_t have = strlen(dst), add = strlen(utf8);
  if(!phone_wants_text(p))
    return;
  if(have + add >= cap)
    return;
  memcpy(dst + have, utf8, add + 1);
}

static void text_backspace(char *t)
{
  size_t n = strlen(t);
  while(n > 0) {
    n--;
    if(((unsigned char)t[n] & 0xC0) != 0x80)
      break;           /* stop at the first byte of a UTF-8 character */
  }
  t[n] = '\0';
}

/* ---- moving through the questions ----------------------------------- */

static int applies(const struct phone *p, int qi)
{
  return qset_applies(p->set, qi, QSET_MODE_PHONE, p->answers);
}

/* First applicable phone question after qi (qi = -1: the first); -1 when
 * none is left. */
static int next_question(const struct phone *p, int qi)
{
  for(int i = qi + 1; i < p->set->n_questions; i++)
    if(applies(p, i))
      return i;
  return -1;
}

static int prev_question(const struct phone *p, int qi)
{
  for(int i = qi - 1; i >= 0; i--)
    if(applies(p, i))
      return i;
  return -1;
}

static enum pr_rc finish_interview(struct phone *p, enum store_status st,
                                   char *err)
{
  enum pr_rc rc = PR_OK;
  if(p->uuid[0]) {
    rc = store_finish(p->store, p->uuid, st, err);
    if(rc)
      return rc;
    p->uuid[0] = '\0';
  }
  return rc;
}

/* Move to the question after p->q, or to the SIP step when done. */
static enum pr_rc advance(struct phone *p, char *err)
{
  int n = next_question(p, p->q);
  p->text[0] = '\0';
  if(n >= 0) {
    p->q = n;
    return PR_OK;
  }
  p->interview_done = 1;
  p->step = PHONE_SIP;
  return finish_interview(p, STORE_COMPLETE, err);
}

/* A question that no longer applies after a changed answer loses its
 * stored answer, so the response never holds answers to skipped items. */
static enum pr_rc drop_inapplicable(struct phone *p, char *err)
{
  for(int i = 0; i < p->set->n_questions; i++) {
    if(p->answers[i] != QSET_UNANSWERED && !applies(p, i)) {
      enum pr_rc rc = store_unanswer(p->store, p->uuid,
                                     p->set->questions[i].id, err);
      if(rc)
        return rc;
      p->answers[i] = QSET_UNANSWERED;
    }
  }
  return PR_OK;
}

static enum pr_rc start_interview(struct phone *p, time_t now, char *err)
{
  struct store_new n;
  char day[STORE_DATE_LEN];
  enum pr_rc rc;
  memset(&n, 0, sizeof(n));
  /* The model's clock, like every outcome; the store keeps only the
   * Monday of its week. */
  pdate_format(pdate_local_today(now), day);
  n.date = day;
  n.set_id = p->set->id;
  n.set_version = p->set->version;
  n.unit = p->unit;
  n.mode = QSET_MODE_PHONE;
  n.lang = "sv";
  n.proxy = p->proxy;
  /* Only categories from the entry: nothing that names or dates it. */
  n.track = p->cur.track;
  n.care = p->cur.care;
  rc = store_begin(p->store, &n, p->uuid, err);
  if(rc)
    return rc;
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++)
    p->answers[i] = QSET_UNANSWERED;
  p->interview_done = 0;
  p->q = -1;
  p->step = PHONE_QUESTION;
  return advance(p, err);
}

/* ---- outcomes ------------------------------------------------------- */

static enum pr_rc record(struct phone *p, enum dispo d, time_t callback_at,
                         time_t now, char *err)
{
  enum dispo fin = DISPO_NONE;
  char msg[PR_ERR_LEN];
  enum pr_rc rc;
  /* A call that ends before the interview does keeps what was answered
   * as an abandoned response. */
  rc = finish_interview(p, STORE_ABANDONED, err);
  if(!rc)
    rc = calllist_record(p->store, &p->cfg, p->cur.id, d, callback_at, now,
                         &fin, err);
  if(rc)
    return rc;
  if(d == DISPO_CALLBACK) {
    struct tm tm;
    char when[32] = "?";
    if(localtime_r(&callback_at, &tm))
      strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
    snprintf(msg, sizeof(msg), "Sparat: ring tillbaka %s", when);
  } else {
    snprintf(msg, sizeof(msg), "Sparat: %s%s", dispo_info(d)->label,
             fin == DISPO_NOTREACHED ? " – sista försöket, nu \"Ej nådd\""
                                     : "");
  }
  say(p, msg);
  p->step = PHONE_LIST;
  memset(&p->cur, 0, sizeof(p->cur));
  p->text[0] = '\0';
  return phone_refresh(p, now, err);
}

/* "YYYY-MM-DD HH:MM" or "HH:MM" (today, or tomorrow when already past). */
static int parse_callback(const char *s, time_t now, time_t *out)
{
  char date[11];
  long day = pdate_local_today(now), hh, mm;
  char hb[3] = {0}, mb[3] = {0};
  struct tm tm;
  const char *t = s;
  while(*t == ' ')
    t++;
  if(strlen(t) >= 16 && t[10] == ' ') {
    memcpy(date, t, 10);
    date[10] = '\0';
    if(pdate_parse(date, &day))
      return -1;
    t += 11;
  }
  if(strlen(t) != 5 || t[2] != ':')
    return -1;
  memcpy(hb, t, 2);
  memcpy(mb, t + 3, 2);
  if(pr_parse_long(hb, 0, 23, &hh) || pr_parse_long(mb, 0, 59, &mm))
    return -1;
  memset(&tm, 0, sizeof(tm));
  {
    int y, m, d;
    pdate_ymd(day, &y, &m, &d);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
  }
  tm.tm_hour = (int)hh;
  tm.tm_min = (int)mm;
  tm.tm_isdst = -1;
  *out = mktime(&tm);
  if(*out <= now && strlen(s) <= 6)
    *out += 86400;               /* "09:00" after nine: tomorrow */
  return *out > now ? 0 : -1;
}

/* Outcome keys valid on the intro and outcome steps. */
static int outcome_key(struct phone *p, int ch, time_t now, char *err,
                       enum pr_rc *rc)
{
  enum dispo d = dispo_from_key((char)ch);
  if(d == DISPO_NONE)
    return 0;
  if(p->step == PHONE_INTRO && (d == DISPO_COMPLETE || d == DISPO_PARTIAL))
    return 0;                 /* nothing asked yet */
  if(d == DISPO_COMPLETE && !p->interview_done)
    return 0;                 /* complete means every question was passed */
  if(d == DISPO_CALLBACK) {
    p->back_to = p->step;
    p->step = PHONE_CALLBACK;
    p->text[0] = '\0';
    *rc = PR_OK;
    return 1;
  }
  *rc = record(p, d, 0, now, err);
  return 1;
}

/* ---- the add/correct form ------------------------------------------ */

static void edit_start(struct phone *p, const struct calllist_entry *e)
{
  memset(p->field, 0, sizeof(p->field));
  p->field_cur = 0;
  p->edit_id = e ? e->id : 0;
  if(e) {
    pr_strlcpy(p->field[PHONE_F_NAME], e->name, PHONE_FIELD_LEN);
    pr_strlcpy(p->field[PHONE_F_PHONE], e->phone, PHONE_FIELD_LEN);
    pr_strlcpy(p->field[PHONE_F_PNR], e->pnr, PHONE_FIELD_LEN);
    pdate_format(e->discharge, p->field[PHONE_F_DISCHARGE]);
    pr_strlcpy(p->field[PHONE_F_TRACK], vocab_track_label(e->track),
               PHONE_FIELD_LEN);
    pr_strlcpy(p->field[PHONE_F_CARE], vocab_care_label(e->care),
               PHONE_FIELD_LEN);
    pr_strlcpy(p->field[PHONE_F_CONSENT], e->consent ? "ja" : "nej",
               PHONE_FIELD_LEN);
  } else {
    pr_strlcpy(p->field[PHONE_F_CONSENT], "ja", PHONE_FIELD_LEN);
  }
  p->step = PHONE_EDIT;
  say(p, "");
}

/* calllist_validate names the field first ("phone: ..."); the form
 * speaks Swedish and moves the cursor to that field. */
static const struct {
  const char *en;
  int field;
  const char *sv;
} edit_errors[] = {
  {"name: missing", PHONE_F_NAME, "Namn saknas"},
  {"name:", PHONE_F_NAME, "Namnet är för långt"},
  {"phone: missing", PHONE_F_PHONE, "Telefonnummer saknas"},
  {"phone:", PHONE_F_PHONE, "Telefon: inte ett telefonnummer (6–15 siffror)"},
  {"check digit", PHONE_F_PNR, "Personnummer: fel kontrollsiffra"},
  {"personnummer has a birth date in the future", PHONE_F_PNR,
   "Personnummer: födelsedatum i framtiden"},
  {"personnummer", PHONE_F_PNR,
   "Personnummer: skriv ÅÅÅÅMMDD-NNNN med ett giltigt datum"},
  {"discharge date: missing", PHONE_F_DISCHARGE,
   "Utskrivningsdatum saknas"},
  {"discharge date: in the future", PHONE_F_DISCHARGE,
   "Utskrivningsdatum: i framtiden"},
  {"discharge date", PHONE_F_DISCHARGE,
   "Utskrivningsdatum: skriv ÅÅÅÅ-MM-DD"},
  {"track", PHONE_F_TRACK, "Spår: skriv röd, gul eller grön"},
  {"care type", PHONE_F_CARE, "Vårdtyp: skriv somatisk eller psykiatrisk"},
  {"consent", PHONE_F_CONSENT, "Samtycke: skriv ja eller nej"},
  {"already has this person", PHONE_F_NAME,
   "Personen finns redan i listan med samma utskrivningsdatum"},
  {"another entry has this person", PHONE_F_NAME,
   "En annan post har redan personen med samma utskrivningsdatum"},
};

static enum pr_rc edit_save(struct phone *p, time_t now, char *err)
{
  struct calllist_input in = {p->field[PHONE_F_NAME],
    p->field[PHONE_F_PHONE], p->field[PHONE_F_PNR],
    p->field[PHONE_F_DISCHARGE], p->field[PHONE_F_TRACK],
    p->field[PHONE_F_CARE], p->field[PHONE_F_CONSENT]};
  char msg[PR_ERR_LEN];
  long id = 0;
  enum pr_rc rc = p->edit_id
    ? calllist_update(p->store, p->edit_id, &in, now, err)
    : calllist_add(p->store, &in, p->unit, now, &id, err);
  if(rc == PR_EINVAL || rc == PR_ECONFLICT) {
    /* A typing mistake: say which field, stay in the form. */
    snprintf(msg, sizeof(msg), "Kan inte spara: kontrollera uppgifterna");
    for(size_t i = 0; i < PR_ARRAY_LEN(edit_errors); i++)
      if(strstr(err, edit_errors[i].en)) {
        snprintf(msg, sizeof(msg), "Kan inte spara. %s", edit_errors[i].sv);
        p->field_cur = edit_errors[i].field;
        break;
      }
    say(p, msg);
    return PR_OK;
  }
  if(rc)
    return rc;
  say(p, p->edit_id ? "Posten är rättad" : "Posten är tillagd");
  p->step = PHONE_LIST;
  memset(p->field, 0, sizeof(p->field));
  return phone_refresh(p, now, err);
}

static enum pr_rc key_edit(struct phone *p, enum phone_key k, time_t now,
                           char *err)
{
  switch(k) {
  case PHONE_K_TAB:
  case PHONE_K_DOWN:
    p->field_cur = (p->field_cur + 1) % PHONE_F_N;
    return PR_OK;
  case PHONE_K_UP:
    p->field_cur = (p->field_cur + PHONE_F_N - 1) % PHONE_F_N;
    return PR_OK;
  case PHONE_K_BACKSPACE:
    text_backspace(p->field[p->field_cur]);
    return PR_OK;
  case PHONE_K_ESC:
    p->step = PHONE_LIST;
    memset(p->field, 0, sizeof(p->field));
    say(p, "Inget sparat");
    return PR_OK;
  case PHONE_K_ENTER:
    return edit_save(p, now, err);
  default:
    return PR_OK;
  }
}

/* ---- keys ----------------------------------------------------------- */

static enum pr_rc key_list(struct phone *p, enum phone_key k, int ch,
                           time_t now, char *err)
{
  switch(k) {
  case PHONE_K_UP:
    if(p->sel > 0)
      p->sel--;
    return PR_OK;
  case PHONE_K_DOWN:
    if(p->sel + 1 < p->n_queue)
      p->sel++;
    return PR_OK;
  case PHONE_K_PAGEUP:
    p->sel = p->sel > 10 ? p->sel - 10 : 0;
    return PR_OK;
  case PHONE_K_PAGEDOWN:
    p->sel = p->sel + 10 < p->n_queue ? p->sel + 10
                                      : (p->n_queue ? p->n_queue - 1 : 0);
    return PR_OK;
  case PHONE_K_REFRESH:
    say(p, "Listan är uppdaterad");
    return phone_refresh(p, now, err);
  case PHONE_K_ESC:
    p->quit = 1;
    return PR_OK;
  case PHONE_K_CHAR:
    if(ch == 'n')
      edit_start(p, NULL);
    else if(ch == 'e' && p->n_queue > 0)
      edit_start(p, &p->queue[p->sel]);
    else if(ch == 'x' && p->n_queue > 0) {
      p->cur = p->queue[p->sel];
      p->step = PHONE_ERASE;
      say(p, "");
    } else if(ch == 's') {
      struct dispo_week *w = NULL;
      int n = 0;
      enum pr_rc rc = callstat_weeks(p->store, &w, &n, err);
      if(rc)
        return rc;
      pr_free(p->weeks);
      p->weeks = w;
      p->n_weeks = n;
      p->step = PHONE_STATS;
      say(p, "");
    }
    return PR_OK;
  case PHONE_K_ENTER:
    if(p->n_queue == 0)
      return PR_OK;
    p->cur = p->queue[p->sel];
    p->proxy = 0;
    p->uuid[0] = '\0';
    p->interview_done = 0;
    p->step = PHONE_INTRO;
    say(p, "");
    return PR_OK;
  default:
    return PR_OK;
  }
}

static enum pr_rc key_question(struct phone *p, enum phone_key k, int ch,
                               char *err)
{
  const struct qset_question *q = &p->set->questions[p->q];
  const struct qset_scale *sc = qset_question_scale(p->set, p->q);
  enum pr_rc rc;

  if(q->type == QSET_TEXT) {
    if(k == PHONE_K_BACKSPACE) {
      text_backspace(p->text);
      return PR_OK;
    }
    if(k == PHONE_K_TAB || (k == PHONE_K_ENTER && !p->text[0])) {
      rc = store_unanswer(p->store, p->uuid, q->id, err);
      if(rc)
        return rc;
      p->answers[p->q] = QSET_UNANSWERED;
      return advance(p, err);
    }
    if(k == PHONE_K_ENTER) {
      char clean[PHONE_TEXT_MAX + 200];
      if(callcheck_scrub(&p->cur, p->text, clean, sizeof(clean)))
        pr_strlcpy(clean, "[text borttagen]", sizeof(clean));
      rc = store_answer(p->store, p->uuid, q->id, NULL, clean, err);
      if(rc)
        return rc;
      p->answers[p->q] = QSET_TEXT_ANSWERED;
      return advance(p, err);
    }
    return PR_OK;
  }
  if(k == PHONE_K_CHAR && ch >= '1' && ch <= '9' && sc &&
     ch - '1' < sc->n_options) {
    int opt = ch - '1';
    rc = store_answer(p->store, p->uuid, q->id, sc->options[opt].code, NULL,
                      err);
    if(rc)
      return rc;
    p->answers[p->q] = opt;
    rc = drop_inapplicable(p, err);
    if(rc)
      return rc;
    return advance(p, err);
  }
  if(k == PHONE_K_TAB && q->optional)
    return advance(p, err);
  if(k == PHONE_K_BACKSPACE || k == PHONE_K_UP) {
    int pq = prev_question(p, p->q);
    if(pq >= 0) {
      p->q = pq;
      p->text[0] = '\0';
    }
    return PR_OK;
  }
  return PR_OK;
}

enum pr_rc phone_key(struct phone *p, enum phone_key k, int ch, time_t now,
                     char *err)
{
  enum pr_rc rc = PR_OK;
  char e2[PR_ERR_LEN] = "";
  if(!err)
    err = e2;
  if(ch >= 'A' && ch <= 'Z')
    ch += 'a' - 'A';
  switch(p->step) {
  case PHONE_LIST:
    rc = key_list(p, k, ch, now, err);
    break;
  case PHONE_INTRO:
    if(k == PHONE_K_ENTER)
      p->step = PHONE_CONSENT;
    else if(k == PHONE_K_ESC) {
      p->step = PHONE_LIST;       /* not dialled after all: no attempt */
      say(p, "Inget sparat för samtalet");
    } else if(k == PHONE_K_CHAR)
      outcome_key(p, ch, now, err, &rc);
    break;
  case PHONE_CONSENT:
    if(k == PHONE_K_CHAR && ch == '1')
      p->step = PHONE_PROXY;
    else if(k == PHONE_K_CHAR && ch == '2')
      rc = record(p, DISPO_REFUSED, 0, now, err);
    else if(k == PHONE_K_CHAR && ch == '3') {
      p->back_to = PHONE_CONSENT;
      p->step = PHONE_CALLBACK;
      p->text[0] = '\0';
    } else if(k == PHONE_K_ESC || k == PHONE_K_BACKSPACE)
      p->step = PHONE_INTRO;
    break;
  case PHONE_PROXY:
    if(k == PHONE_K_CHAR && (ch == '1' || ch == '2')) {
      p->proxy = ch == '2';
      rc = start_interview(p, now, err);
    } else if(k == PHONE_K_ESC || k == PHONE_K_BACKSPACE)
      p->step = PHONE_CONSENT;
    break;
  case PHONE_QUESTION:
    if(k == PHONE_K_ESC) {
      p->step = PHONE_OUTCOME;   /* the call ended mid-interview */
      say(p, "Intervjun avbröts – välj utfall (D = delvis)");
    } else
      rc = key_question(p, k, ch, err);
    break;
  case PHONE_SIP:
    if(k == PHONE_K_CHAR && ch >= '1' && ch <= '3') {
      rc = calllist_set_sip(p->store, p->cur.id, ch != '1', ch == '3', now,
                            err);
      if(!rc)
        p->step = PHONE_OUTCOME;
    }
    break;
  case PHONE_OUTCOME:
    if(k == PHONE_K_ENTER && p->interview_done)
      rc = record(p, DISPO_COMPLETE, 0, now, err);
    else if(k == PHONE_K_CHAR)
      outcome_key(p, ch, now, err, &rc);
    else if(k == PHONE_K_ESC && !p->interview_done && p->uuid[0])
      p->step = PHONE_QUESTION;  /* back to the interview */
    break;
  case PHONE_EDIT:
    rc = key_edit(p, k, now, err);
    break;
  case PHONE_STATS:
    if(k == PHONE_K_ESC || k == PHONE_K_ENTER)
      p->step = PHONE_LIST;
    break;
  case PHONE_ERASE:
    if(k == PHONE_K_CHAR && ch == 'j') {
      rc = calllist_erase(p->store, p->cur.id, err);
      if(!rc) {
        memset(&p->cur, 0, sizeof(p->cur));
        p->step = PHONE_LIST;
        say(p, "Uppgifterna är raderade");
        rc = phone_refresh(p, now, err);
      }
    } else if(k == PHONE_K_ESC || (k == PHONE_K_CHAR && ch == 'n')) {
      memset(&p->cur, 0, sizeof(p->cur));
      p->step = PHONE_LIST;
      say(p, "Inget raderat");
    }
    break;
  case PHONE_CALLBACK:
    if(k == PHONE_K_BACKSPACE)
      text_backspace(p->text);
    else if(k == PHONE_K_ESC) {
      p->step = p->back_to;
      p->text[0] = '\0';
    } else if(k == PHONE_K_ENTER) {
      time_t when = 0;
      if(parse_callback(p->text, now, &when)) {
        say(p, "Skriv tiden som ÅÅÅÅ-MM-DD TT:MM eller TT:MM (framåt i "
            "tiden)");
      } else {
        rc = record(p, DISPO_CALLBACK, when, now, err);
      }
    }
    break;
  }
  if(rc) {
    char msg[PR_ERR_LEN];
    snprintf(msg, sizeof(msg), "Kunde inte spara: %.200s", err);
    say(p, msg);
    pr_log(PR_LOG_ERROR, "phone_key", "step=%d rc=%s", (int)p->step,
           pr_strerror(rc));
  }
  return rc;
}
