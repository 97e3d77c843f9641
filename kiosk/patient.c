/* patient.c — This file contains the patient-flow model of patient.h:
 * screen changes, saving each answer as it is given, timeouts and the
 * staff screens.  Every store call is synchronous; a failed save is shown
 * to the patient and never treated as saved. */
#include "patient.h"

#include <sodium.h>
#include <string.h>

#include "flow.h"
#include "osk.h"

#define META_SET   "kiosk_set"
#define META_LANG  "kiosk_lang"
#define META_HC    "kiosk_high_contrast"
#define META_LARGE "kiosk_large_text"
#define META_AUTO  "kiosk_auto_read"
#define META_EASY  "kiosk_easy_read"

const struct qset *patient_set(const struct patient *p)
{
  return (p->set_idx >= 0 && p->set_idx < p->n_sets) ? p->sets[p->set_idx]
                                                      : NULL;
}

static int has_lang(const struct qset *s, const char *lang)
{
  return s && qset_has_lang(s, lang);
}

/* The language to start a patient on: the staff's default when the set
 * carries it, else Swedish (every set has it). */
static void pick_default_lang(struct patient *p)
{
  const struct qset *s = patient_set(p);
  if(has_lang(s, p->def_lang) || !s)
    pr_strlcpy(p->lang, p->def_lang, sizeof(p->lang));
  else
    pr_strlcpy(p->lang, "sv", sizeof(p->lang));
}

static void say(struct patient *p, enum pt_say what)
{
  p->say = what;
  p->say_gen++;
}

/* Every screen change: guard against the second tap of a hurried double
 * tap, and stop (or, with auto read-aloud on, start) reading. */
static void go(struct patient *p, enum pt_screen s, uint64_t now)
{
  p->screen = s;
  p->guard_until = now + (uint64_t)p->cfg->tap_guard_ms;
  p->last_input = now;
  p->save_failed = 0;
  p->text_full = 0;
  if(p->autoread && s != PT_PIN && s != PT_STAFF && s != PT_ENROL)
    say(p, PT_SAY_SCREEN);
  else
    say(p, PT_SAY_STOP);
}

/* Forget what the patient answered and typed. */
static void reset_answers(struct patient *p)
{
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++) {
    if(p->texts[i]) {
      sodium_memzero(p->texts[i], strlen(p->texts[i]));
      pr_free(p->texts[i]);
      p->texts[i] = NULL;
    }
    p->answers[i] = QSET_UNANSWERED;
  }
  sodium_memzero(p->typing, sizeof(p->typing));
  sodium_memzero(p->uuid, sizeof(p->uuid));
  p->begun = 0;
  p->q = -1;
  p->shift = 0;
}

/* Forget everything about the patient who was here, their language and
 * switches too. */
static void reset_patient(struct patient *p)
{
  reset_answers(p);
  p->hc = p->def_hc;
  p->large = p->def_large;
  p->autoread = p->def_auto;
  p->easy = p->def_easy;
  pick_default_lang(p);
}

static void to_welcome(struct patient *p, uint64_t now)
{
  reset_patient(p);
  go(p, PT_WELCOME, now);
}

/* Keep what was answered as an abandoned response. */
static void abandon(struct patient *p)
{
  char err[PR_ERR_LEN];
  if(!p->begun)
    return;
  if(store_finish(p->store, p->uuid, STORE_ABANDONED, err) != PR_OK)
    pr_log(PR_LOG_ERROR, "abandon_failed", "reason=\"%s\"", err);
  else
    p->n_abandoned++;
  p->begun = 0;
  p->want_kick = 1;
}

static int read_meta_bool(struct store *st, const char *key, int dflt)
{
  char v[8];
  if(store_meta_get(st, key, v, sizeof(v)) != PR_OK)
    return dflt;
  return strcmp(v, "1") == 0;
}

static void save_meta(struct patient *p, const char *key, const char *v)
{
  char err[PR_ERR_LEN];
  if(store_meta_set(p->store, key, v, err) != PR_OK)
    pr_log(PR_LOG_WARN, "staff_setting_not_saved", "key=%s reason=\"%s\"",
           key, err);
}

static int find_set(struct qset *const *sets, int n, const char *id)
{
  for(int i = 0; i < n; i++)
    if(strcmp(sets[i]->id, id) == 0)
      return i;
  return -1;
}

enum pr_rc patient_open(struct store *st, const struct kconf *cfg,
                        struct qset *const *sets, int n_sets, uint64_t now,
                        struct patient **out, char *err)
{
  struct patient *p;
  char v[QSET_ID_LEN];

  *out = NULL;
  p = pr_calloc(1, sizeof(*p));
  if(!p) {
    pr_seterr(err, "out of memory");
    return PR_ENOMEM;
  }
  p->store = st;
  p->cfg = cfg;
  p->sets = sets;
  p->n_sets = n_sets;
  p->set_idx = n_sets > 0 ? 0 : -1;
  if(cfg->set[0] && find_set(sets, n_sets, cfg->set) >= 0)
    p->set_idx = find_set(sets, n_sets, cfg->set);
  if(store_meta_get(st, META_SET, v, sizeof(v)) == PR_OK &&
     find_set(sets, n_sets, v) >= 0)
    p->set_idx = find_set(sets, n_sets, v);
  pr_strlcpy(p->def_lang, cfg->lang, sizeof(p->def_lang));
  if(store_meta_get(st, META_LANG, v, sizeof(v)) == PR_OK && v[0] &&
     strlen(v) < QSET_LANG_LEN)
    pr_strlcpy(p->def_lang, v, sizeof(p->def_lang));
  p->def_hc = read_meta_bool(st, META_HC, cfg->high_contrast);
  p->def_large = read_meta_bool(st, META_LARGE, cfg->large_text);
  p->def_auto = read_meta_bool(st, META_AUTO, cfg->auto_read);
  p->def_easy = read_meta_bool(st, META_EASY, cfg->easy_read);
  to_welcome(p, now);
  p->guard_until = now;
  *out = p;
  return PR_OK;
}

void patient_close(struct patient *p)
{
  if(!p)
    return;
  reset_patient(p);
  sodium_memzero(p->pin, sizeof(p->pin));
  pr_free(p);
}

static enum pt_screen screen_for(const struct qset *s, int q)
{
  return s->questions[q].type == QSET_TEXT ? PT_TEXT : PT_QUESTION;
}

static void show_question(struct patient *p, int q, uint64_t now)
{
  const struct qset *s = patient_set(p);
  p->q = q;
  sodium_memzero(p->typing, sizeof(p->typing));
  p->shift = 0;
  if(p->texts[q])
    pr_strlcpy(p->typing, p->texts[q], sizeof(p->typing));
  go(p, screen_for(s, q), now);
}

static void finish(struct patient *p, uint64_t now)
{
  char err[PR_ERR_LEN];
  if(p->begun) {
    if(store_finish(p->store, p->uuid, STORE_COMPLETE, err) != PR_OK) {
      /* Every answer is already committed; only the status is missing.
       * The next start marks it abandoned.  Say so, keep the answers. */
      pr_log(PR_LOG_ERROR, "finish_failed", "reason=\"%s\"", err);
      p->save_failed = 1;
      return;
    }
    p->n_complete++;
    p->begun = 0;
    p->want_kick = 1;
  }
  /* Nothing of this patient is needed on the thank-you screen but the
   * language and switches it is shown with. */
  reset_answers(p);
  p->thanks_until = now + (uint64_t)p->cfg->thanks_s * 1000u;
  go(p, PT_THANKS, now);
}

static void advance(struct patient *p, uint64_t now)
{
  const struct qset *s = patient_set(p);
  int next = flow_next(s, QSET_MODE_KIOSK, p->q, p->answers);
  if(next < 0)
    finish(p, now);
  else
    show_question(p, next, now);
}

static int begin(struct patient *p)
{
  const struct qset *s = patient_set(p);
  struct store_new n;
  char err[PR_ERR_LEN];
  if(p->begun)
    return 0;
  memset(&n, 0, sizeof(n));
  n.set_id = s->id;
  n.set_version = s->version;
  n.unit = p->cfg->unit;
  n.mode = QSET_MODE_KIOSK;
  n.lang = p->lang;
  if(store_begin(p->store, &n, p->uuid, err) != PR_OK) {
    pr_log(PR_LOG_ERROR, "begin_failed", "reason=\"%s\"", err);
    return -1;
  }
  p->begun = 1;
  return 0;
}

/* Forget answers that no longer apply after an answer changed.  Each is
 * dropped from the model only once the store has dropped it, so after a
 * failed save the retry finds (and removes) it again. */
static int prune(struct patient *p)
{
  const struct qset *s = patient_set(p);
  int left[QSET_MAX_QUESTIONS], dropped[QSET_MAX_QUESTIONS];
  int n;
  char err[PR_ERR_LEN];
  memcpy(left, p->answers, sizeof(left));
  n = flow_prune(s, QSET_MODE_KIOSK, left, dropped, QSET_MAX_QUESTIONS);
  for(int i = 0; i < n && i < QSET_MAX_QUESTIONS; i++) {
    int d = dropped[i];
    if(store_unanswer(p->store, p->uuid, s->questions[d].id, err) != PR_OK) {
      pr_log(PR_LOG_ERROR, "unanswer_failed", "question=%s reason=\"%s\"",
             s->questions[d].id, err);
      return -1;
    }
    p->answers[d] = QSET_UNANSWERED;
    if(p->texts[d]) {
      sodium_memzero(p->texts[d], strlen(p->texts[d]));
      pr_free(p->texts[d]);
      p->texts[d] = NULL;
    }
  }
  return 0;
}

static void answer_option(struct patient *p, int opt, uint64_t now)
{
  const struct qset *s = patient_set(p);
  const struct qset_scale *sc = qset_question_scale(s, p->q);
  char err[PR_ERR_LEN];
  if(!sc || opt < 0 || opt >= sc->n_options)
    return;
  say(p, PT_SAY_STOP);
  if(begin(p) ||
     store_answer(p->store, p->uuid, s->questions[p->q].id,
                  sc->options[opt].code, NULL, err) != PR_OK) {
    if(p->begun)
      pr_log(PR_LOG_ERROR, "answer_failed", "question=%s reason=\"%s\"",
             s->questions[p->q].id, err);
    p->save_failed = 1;
    return;
  }
  p->answers[p->q] = opt;
  /* also when the option is the same: a retry after a failed prune */
  if(prune(p)) {
    p->save_failed = 1;
    return;
  }
  advance(p, now);
}

/* Skip (an optional question) or "Klar" with nothing typed. */
static void skip(struct patient *p, uint64_t now)
{
  const struct qset *s = patient_set(p);
  char err[PR_ERR_LEN];
  if(p->answers[p->q] != QSET_UNANSWERED) {
    if(store_unanswer(p->store, p->uuid, s->questions[p->q].id, err) !=
       PR_OK) {
      pr_log(PR_LOG_ERROR, "unanswer_failed", "question=%s reason=\"%s\"",
             s->questions[p->q].id, err);
      p->save_failed = 1;
      return;
    }
    p->answers[p->q] = QSET_UNANSWERED;
    if(p->texts[p->q]) {
      sodium_memzero(p->texts[p->q], strlen(p->texts[p->q]));
      pr_free(p->texts[p->q]);
      p->texts[p->q] = NULL;
    }
  }
  if(prune(p)) {
    p->save_failed = 1;
    return;
  }
  advance(p, now);
}

static void text_done(struct patient *p, uint64_t now)
{
  const struct qset *s = patient_set(p);
  char err[PR_ERR_LEN];
  size_t n = strlen(p->typing);
  char *copy;
  while(n > 0 && p->typing[n - 1] == ' ')
    p->typing[--n] = '\0';
  if(n == 0) {
    if(s->questions[p->q].optional)
      skip(p, now);
    return;
  }
  say(p, PT_SAY_STOP);
  copy = pr_strdup(p->typing);
  if(!copy || begin(p) ||
     store_answer(p->store, p->uuid, s->questions[p->q].id, NULL, p->typing,
                  err) != PR_OK) {
    if(copy && p->begun)
      pr_log(PR_LOG_ERROR, "answer_failed", "question=%s reason=\"%s\"",
             s->questions[p->q].id, err);
    pr_free(copy);
    p->save_failed = 1;
    return;
  }
  if(p->texts[p->q]) {
    sodium_memzero(p->texts[p->q], strlen(p->texts[p->q]));
    pr_free(p->texts[p->q]);
  }
  p->texts[p->q] = copy;
  p->answers[p->q] = QSET_TEXT_ANSWERED;
  advance(p, now);
}

static void back(struct patient *p, uint64_t now)
{
  const struct qset *s = patient_set(p);
  int prev = flow_prev(s, QSET_MODE_KIOSK, p->q, p->answers);
  if(prev >= 0) {
    show_question(p, prev, now);
    return;
  }
  abandon(p);
  to_welcome(p, now);
}

static void start(struct patient *p, uint64_t now)
{
  const struct qset *s = patient_set(p);
  int q;
  if(!s)
    return;
  q = flow_first(s, QSET_MODE_KIOSK, p->answers);
  if(q < 0)
    return;
  show_question(p, q, now);
}

static void pin_ok(struct patient *p, uint64_t now)
{
  char hash[PIN_HASH_LEN];
  enum pr_rc rc;
  time_t t = (time_t)(now / 1000u);
  if(pin_guard_wait(&p->guard, t) > 0) {
    sodium_memzero(p->pin, sizeof(p->pin));      /* the screen shows the wait */
    return;
  }
  if(store_meta_get(p->store, "staff_pin_hash", hash, sizeof(hash)) != PR_OK) {
    p->pin_none = 1;
    return;
  }
  rc = pin_verify(hash, p->pin);
  sodium_memzero(p->pin, sizeof(p->pin));
  sodium_memzero(hash, sizeof(hash));
  if(rc == PR_OK) {
    pin_guard_ok(&p->guard);
    p->pin_wrong = 0;
    pr_log(PR_LOG_INFO, "staff_menu", "open");
    p->staff_page = 0;
    go(p, PT_STAFF, now);
    return;
  }
  pin_guard_failed(&p->guard, t);
  p->pin_wrong = 1;
  pr_log(PR_LOG_WARN, "staff_pin_wrong", "failures=%d", p->guard.failures);
}

static void pin_digit(struct patient *p, int d, uint64_t now)
{
  size_t n = strlen(p->pin);
  /* while locked out nothing is typed: the digits would run into the
   * next try */
  if(d < 0 || d > 9 || n >= PIN_MAX_DIGITS ||
     pin_guard_wait(&p->guard, (time_t)(now / 1000u)) > 0)
    return;
  p->pin[n] = (char)('0' + d);
  p->pin[n + 1] = '\0';
  p->pin_wrong = 0;
}

static void staff(struct patient *p, enum pt_target t, int index,
                  uint64_t now)
{
  const struct qset *s;
  switch(t) {
  case PT_T_STAFF_EXIT:
    pr_log(PR_LOG_INFO, "staff_exit", "by=menu");
    p->want_exit = 1;
    break;
  case PT_T_STAFF_SET:
    if(index >= 0 && index < p->n_sets) {
      p->set_idx = index;
      save_meta(p, META_SET, p->sets[index]->id);
      pr_log(PR_LOG_INFO, "staff_set", "set=%s version=%d",
             p->sets[index]->id, p->sets[index]->version);
    }
    break;
  case PT_T_STAFF_LANG:
    s = patient_set(p);
    if(s && index >= 0 && index < s->n_langs) {
      pr_strlcpy(p->def_lang, s->langs[index], sizeof(p->def_lang));
      save_meta(p, META_LANG, p->def_lang);
    }
    break;
  case PT_T_STAFF_HC:
    p->def_hc = !p->def_hc;
    save_meta(p, META_HC, p->def_hc ? "1" : "0");
    p->hc = p->def_hc;
    break;
  case PT_T_STAFF_LARGE:
    p->def_large = !p->def_large;
    save_meta(p, META_LARGE, p->def_large ? "1" : "0");
    p->large = p->def_large;
    break;
  case PT_T_STAFF_AUTO:
    p->def_auto = !p->def_auto;
    save_meta(p, META_AUTO, p->def_auto ? "1" : "0");
    break;
  case PT_T_STAFF_EASY:
    p->def_easy = !p->def_easy;
    save_meta(p, META_EASY, p->def_easy ? "1" : "0");
    break;
  case PT_T_STAFF_PHONE:
    p->want_phone = 1;
    break;
  case PT_T_STAFF_SYNC:
    p->want_sync = 1;
    break;
  case PT_T_STAFF_BACK:
    pr_log(PR_LOG_INFO, "staff_menu", "close");
    to_welcome(p, now);
    break;
  case PT_T_STAFF_PAGE:
    if(index >= 0 && index < 100)
      p->staff_page = index;
    break;
  case PT_T_STAFF_ENROL:
    go(p, PT_ENROL, now);
    p->enrol_field = p->enrol_addr[0] ? 1 : 0;
    p->enrol_msg[0] = '\0';
    p->enrol_failed = 0;
    p->shift = 0;
    break;
  default:
    break;
  }
}

const struct osk_layout *patient_osk(const struct patient *p)
{
  return osk_for_lang(p->screen == PT_ENROL ? "sv" : p->lang);
}

static void enrol_tap(struct patient *p, enum pt_target t, int index,
                      uint64_t now)
{
  if(p->enrol_busy)
    return;                       /* the exchange runs; wait for it */
  switch(t) {
  case PT_T_KEY: {
    char *buf = p->enrol_field ? p->enrol_code : p->enrol_addr;
    size_t cap = p->enrol_field ? sizeof(p->enrol_code)
                                : sizeof(p->enrol_addr);
    p->text_full = osk_press(patient_osk(p), index, buf, cap, &p->shift) < 0;
    break;
  }
  case PT_T_ENROL_FIELD:
    if(index == 0 || index == 1)
      p->enrol_field = index;
    break;
  case PT_T_ENROL_GO:
    if(!p->enrol_addr[0] || !p->enrol_code[0]) {
      pr_strlcpy(p->enrol_msg, "Skriv serverns adress och koden först.",
                 sizeof(p->enrol_msg));
      p->enrol_failed = 1;
      break;
    }
    pr_strlcpy(p->enrol_msg, "Ansluter …", sizeof(p->enrol_msg));
    p->enrol_failed = 0;
    p->enrol_busy = 1;
    p->want_enrol = 1;
    break;
  case PT_T_STAFF_BACK:
    sodium_memzero(p->enrol_code, sizeof(p->enrol_code));
    go(p, PT_STAFF, now);
    break;
  default:
    break;
  }
}

void patient_enrol_done(struct patient *p, int ok, const char *msg,
                        uint64_t now)
{
  p->enrol_busy = 0;
  p->enrol_failed = !ok;
  p->last_input = now;
  pr_strlcpy(p->enrol_msg, msg ? msg : "", sizeof(p->enrol_msg));
  sodium_memzero(p->enrol_code, sizeof(p->enrol_code));
  if(ok && p->screen == PT_ENROL)
    go(p, PT_STAFF, now);
}

void patient_tap(struct patient *p, enum pt_target t, int index,
                 uint64_t now)
{
  const struct qset *s = patient_set(p);
  if(now < p->guard_until)
    return;
  p->last_input = now;
  if(t == PT_T_SPEAK) {
    say(p, PT_SAY_SCREEN);
    return;
  }
  switch(p->screen) {
  case PT_WELCOME:
    if(t == PT_T_START)
      start(p, now);
    else if(t == PT_T_LANG && s && index >= 0 && index < s->n_langs) {
      pr_strlcpy(p->lang, s->langs[index], sizeof(p->lang));
      if(p->autoread)
        say(p, PT_SAY_SCREEN);
    } else if(t == PT_T_HC)
      p->hc = !p->hc;
    else if(t == PT_T_LARGE)
      p->large = !p->large;
    else if(t == PT_T_EASY)
      p->easy = !p->easy;
    else if(t == PT_T_AUTO) {
      p->autoread = !p->autoread;
      say(p, p->autoread ? PT_SAY_SCREEN : PT_SAY_STOP);
    }
    break;
  case PT_QUESTION:
    if(t == PT_T_OPTION)
      answer_option(p, index, now);
    else if(t == PT_T_BACK)
      back(p, now);
    else if(t == PT_T_SKIP && s->questions[p->q].optional)
      skip(p, now);
    break;
  case PT_TEXT:
    if(t == PT_T_KEY) {
      int r = osk_press(patient_osk(p), index, p->typing,
                        sizeof(p->typing), &p->shift);
      p->text_full = r < 0;
    } else if(t == PT_T_DONE)
      text_done(p, now);
    else if(t == PT_T_SKIP && s->questions[p->q].optional)
      skip(p, now);
    else if(t == PT_T_BACK)
      back(p, now);
    break;
  case PT_STILL_THERE:
    if(t == PT_T_STILL_YES)
      go(p, p->back_to, now);
    break;
  case PT_THANKS:
    if(t == PT_T_THANKS_OK)
      to_welcome(p, now);
    break;
  case PT_PIN:
    if(t == PT_T_PIN_DIGIT)
      pin_digit(p, index, now);
    else if(t == PT_T_PIN_DEL) {
      size_t n = strlen(p->pin);
      if(n)
        p->pin[n - 1] = '\0';
    } else if(t == PT_T_PIN_OK)
      pin_ok(p, now);
    else if(t == PT_T_CANCEL) {
      sodium_memzero(p->pin, sizeof(p->pin));
      to_welcome(p, now);
    }
    break;
  case PT_STAFF:
    staff(p, t, index, now);
    break;
  case PT_ENROL:
    enrol_tap(p, t, index, now);
    break;
  }
}

void patient_key(struct patient *p, int ch, uint64_t now)
{
  if(p->screen != PT_PIN)
    return;
  p->last_input = now;
  if(ch >= '0' && ch <= '9')
    pin_digit(p, ch - '0', now);
  else if(ch == '\b') {
    size_t n = strlen(p->pin);
    if(n)
      p->pin[n - 1] = '\0';
  } else if(ch == '\n')
    pin_ok(p, now);
}

void patient_staff_gesture(struct patient *p, uint64_t now)
{
  if(p->screen == PT_PIN || p->screen == PT_STAFF)
    return;
  abandon(p);
  reset_patient(p);
  sodium_memzero(p->pin, sizeof(p->pin));
  p->pin_wrong = 0;
  p->pin_none = 0;
  {
    char hash[PIN_HASH_LEN];
    if(store_meta_get(p->store, "staff_pin_hash", hash, sizeof(hash)) !=
       PR_OK)
      p->pin_none = 1;
    sodium_memzero(hash, sizeof(hash));
  }
  pr_log(PR_LOG_INFO, "staff_gesture", "pin_set=%d", !p->pin_none);
  go(p, PT_PIN, now);
  p->guard_until = now;     /* the PIN pad may be used at once */
}

/* Has the patient on the welcome screen changed the language or a theme
 * away from what the next patient should find? */
static int differs_from_defaults(const struct patient *p)
{
  const struct qset *s = patient_set(p);
  const char *def = (has_lang(s, p->def_lang) || !s) ? p->def_lang : "sv";
  return p->hc != p->def_hc || p->large != p->def_large ||
         p->autoread != p->def_auto || p->easy != p->def_easy ||
         strcmp(p->lang, def) != 0;
}

uint64_t patient_deadline(const struct patient *p)
{
  uint64_t idle = p->last_input + (uint64_t)p->cfg->idle_s * 1000u;
  uint64_t staff = p->last_input + (uint64_t)p->cfg->staff_timeout_s * 1000u;
  switch(p->screen) {
  case PT_QUESTION:
  case PT_TEXT:
    return idle;
  case PT_WELCOME:
    /* A patient who chose a language or a theme and walked away: put the
     * defaults back for the next one. */
    return differs_from_defaults(p) ? idle : UINT64_MAX;
  case PT_STILL_THERE:
    return p->still_until;
  case PT_THANKS:
    return p->thanks_until;
  case PT_PIN:
  case PT_STAFF:
    return staff;
  case PT_ENROL:
    return p->enrol_busy ? UINT64_MAX : staff;
  }
  return UINT64_MAX;
}

int patient_tick(struct patient *p, uint64_t now)
{
  uint64_t d = patient_deadline(p);
  if(now < d)
    return 0;
  switch(p->screen) {
  case PT_QUESTION:
  case PT_TEXT:
    p->back_to = p->screen;
    p->still_until = now + (uint64_t)p->cfg->still_there_s * 1000u;
    {
      uint64_t keep = p->last_input;
      go(p, PT_STILL_THERE, now);
      p->last_input = keep;
    }
    pr_log(PR_LOG_INFO, "still_there", "asked=1");
    return 1;
  case PT_STILL_THERE:
    pr_log(PR_LOG_INFO, "walked_away", "answers_kept=%d", p->begun);
    abandon(p);
    to_welcome(p, now);
    return 1;
  case PT_THANKS:
  case PT_WELCOME:
    to_welcome(p, now);
    return 1;
  case PT_PIN:
  case PT_STAFF:
  case PT_ENROL:
    sodium_memzero(p->pin, sizeof(p->pin));
    sodium_memzero(p->enrol_code, sizeof(p->enrol_code));
    pr_log(PR_LOG_INFO, "staff_menu", "timeout");
    to_welcome(p, now);
    return 1;
  }
  return 0;
}

int patient_still_left(const struct patient *p, uint64_t now)
{
  if(p->screen != PT_STILL_THERE || now >= p->still_until)
    return 0;
  return (int)((p->still_until - now + 999u) / 1000u);
}

long patient_pin_wait(const struct patient *p, uint64_t now)
{
  return pin_guard_wait(&p->guard, (time_t)(now / 1000u));
}

int patient_busy(const struct patient *p)
{
  return p->screen != PT_WELCOME && p->screen != PT_THANKS;
}

const char *patient_screen_name(enum pt_screen s)
{
  static const char *const names[] = {
    [PT_WELCOME] = "welcome", [PT_QUESTION] = "question", [PT_TEXT] = "text",
    [PT_STILL_THERE] = "still_there", [PT_THANKS] = "thanks", [PT_PIN] = "pin",
    [PT_STAFF] = "staff", [PT_ENROL] = "enrol"};
  return (s >= 0 && s < (int)PR_ARRAY_LEN(names) && names[s]) ? names[s] : "?";
}

void patient_set_sets(struct patient *p, struct qset *const *sets, int n)
{
  const struct qset *cur = patient_set(p);
  char id[QSET_ID_LEN] = "";
  if(cur)
    pr_strlcpy(id, cur->id, sizeof(id));
  p->sets = sets;
  p->n_sets = n;
  p->set_idx = n > 0 ? 0 : -1;
  if(id[0] && find_set(sets, n, id) >= 0)
    p->set_idx = find_set(sets, n, id);
  if(p->screen == PT_WELCOME && !has_lang(patient_set(p), p->lang))
    pick_default_lang(p);
}

enum pr_rc patient_shutdown(struct patient *p, char *err)
{
  enum pr_rc rc = PR_OK;
  if(p && p->begun) {
    rc = store_finish(p->store, p->uuid, STORE_ABANDONED, err);
    if(rc == PR_OK) {
      p->begun = 0;
      p->n_abandoned++;
    }
  }
  return rc;
}
