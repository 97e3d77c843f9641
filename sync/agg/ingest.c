/* This file contains the decoder and validator of uploaded responses: the
 * bytes come from the network, so every member is type-checked, bounded
 * and compared against the question set the response claims to answer.
 * Storing is in ingest_store.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "ingest.h"
#include "pdate.h"
#include "vocab.h"

static int only_members(json_t *o, const char *const *allowed,
                        const char **bad)
{
  const char *k;
  json_t *v;
  int i, ok;

  json_object_foreach(o, k, v) {
    ok = 0;
    for(i = 0; allowed[i]; i++)
      if(!strcmp(k, allowed[i]))
        ok = 1;
    if(!ok) {
      *bad = k;
      return -1;
    }
  }
  return 0;
}

static int valid_uuid(const char *s, char out[INGEST_UUID_LEN])
{
  int i;

  if(strlen(s) != 36)
    return 0;
  for(i = 0; i < 36; i++) {
    char ch = s[i];
    if(i == 8 || i == 13 || i == 18 || i == 23) {
      if(ch != '-')
        return 0;
    } else if(!isxdigit((unsigned char)ch)) {
      return 0;
    }
    out[i] = (char)tolower((unsigned char)ch);
  }
  out[36] = '\0';
  return 1;
}

/* Copy string member `name` of o into dst (cap bytes).  Missing: -1 (or 0
 * with dst "" when nullable and absent/null).  Too long or wrong type: -1.
 */
static int get_str(json_t *o, const char *name, char *dst, size_t cap,
                   int nullable, int idx, char *err)
{
  json_t *v = json_object_get(o, name);

  dst[0] = '\0';
  if(!v || json_is_null(v)) {
    if(nullable)
      return 0;
    pr_seterr(err, "responses[%d]: missing \"%s\"", idx, name);
    return -1;
  }
  if(!json_is_string(v)) {
    pr_seterr(err, "responses[%d].%s: expected a string", idx, name);
    return -1;
  }
  if(json_string_length(v) >= cap) {
    pr_seterr(err, "responses[%d].%s: longer than %zu bytes", idx, name,
              cap - 1);
    return -1;
  }
  memcpy(dst, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

static void reject(struct ingest_resp *r, const char *fmt, ...)
    PR_PRINTF(2, 3);
static void reject(struct ingest_resp *r, const char *fmt, ...)
{
  va_list ap;

  if(r->result == INGEST_REJECTED)
    return;                           /* keep the first reason */
  r->result = INGEST_REJECTED;
  va_start(ap, fmt);
  vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
  va_end(ap);
}

static int decode_answers(json_t *arr, struct ingest_resp *r, int idx,
                          char *err)
{
  static const char *const members[] = { "q", "a", "text", NULL };
  const char *bad = NULL;
  size_t i, j;
  json_t *x;

  if(!json_is_array(arr)) {
    pr_seterr(err, "responses[%d].answers: expected a list", idx);
    return -1;
  }
  if(json_array_size(arr) > QSET_MAX_QUESTIONS) {
    pr_seterr(err, "responses[%d].answers: more than %d answers", idx,
              QSET_MAX_QUESTIONS);
    return -1;
  }
  if(json_array_size(arr) == 0)
    return 0;
  r->answers = pr_calloc(json_array_size(arr), sizeof(*r->answers));
  if(!r->answers) {
    pr_seterr(err, "out of memory");
    return -2;
  }
  json_array_foreach(arr, i, x) {
    struct ingest_answer *an = &r->answers[i];
    json_t *a, *t;

    r->n_answers++;
    if(!json_is_object(x)) {
      pr_seterr(err, "responses[%d].answers[%zu]: expected an object", idx, i);
      return -1;
    }
    if(only_members(x, members, &bad)) {
      pr_seterr(err, "responses[%d].answers[%zu]: unknown member \"%.40s\"",
                idx, i, bad);
      return -1;
    }
    if(get_str(x, "q", an->q, sizeof(an->q), 0, idx, err))
      return -1;
    a = json_object_get(x, "a");
    t = json_object_get(x, "text");
    if((a != NULL) == (t != NULL)) {
      pr_seterr(err, "responses[%d].answers[%zu]: give exactly one of \"a\" "
                "and \"text\"", idx, i);
      return -1;
    }
    if(a && get_str(x, "a", an->a, sizeof(an->a), 0, idx, err))
      return -1;
    if(t) {
      if(!json_is_string(t)) {
        pr_seterr(err, "responses[%d].answers[%zu].text: expected a string",
                  idx, i);
        return -1;
      }
      if(json_string_length(t) > INGEST_MAX_TEXT) {
        reject(r, "answer to '%s': text longer than %d bytes", an->q,
               INGEST_MAX_TEXT);
        continue;
      }
      an->text = pr_strdup(json_string_value(t));
      if(!an->text) {
        pr_seterr(err, "out of memory");
        return -2;
      }
    }
    for(j = 0; j < i; j++)
      if(!strcmp(r->answers[j].q, an->q))
        reject(r, "question '%s' answered twice", an->q);
  }
  return 0;
}

static int decode_one(json_t *o, struct ingest_resp *r, int idx, char *err)
{
  static const char *const members[] = {
    "uuid", "set", "version", "mode", "lang", "proxy", "status", "period",
    "track", "care", "answers", NULL };
  const char *bad = NULL;
  char tmp[INGEST_MAX_STR];
  json_t *v;

  if(!json_is_object(o)) {
    pr_seterr(err, "responses[%d]: expected an object", idx);
    return -1;
  }
  if(only_members(o, members, &bad)) {
    pr_seterr(err, "responses[%d]: unknown member \"%.40s\"", idx, bad);
    return -1;
  }
  if(get_str(o, "uuid", tmp, sizeof(tmp), 0, idx, err))
    return -1;
  if(!valid_uuid(tmp, r->uuid)) {
    pr_seterr(err, "responses[%d].uuid: not a UUID", idx);
    return -1;
  }
  if(get_str(o, "set", r->set, sizeof(r->set), 0, idx, err) ||
     get_str(o, "mode", r->mode, sizeof(r->mode), 0, idx, err) ||
     get_str(o, "lang", r->lang, sizeof(r->lang), 0, idx, err) ||
     get_str(o, "status", r->status, sizeof(r->status), 0, idx, err) ||
     get_str(o, "period", r->period, sizeof(r->period), 0, idx, err) ||
     get_str(o, "track", r->track, sizeof(r->track), 1, idx, err) ||
     get_str(o, "care", r->care, sizeof(r->care), 1, idx, err))
    return -1;
  v = json_object_get(o, "version");
  if(!v) {
    pr_seterr(err, "responses[%d]: missing \"version\"", idx);
    return -1;
  }
  if(!json_is_integer(v) || json_integer_value(v) < 1 ||
     json_integer_value(v) > 1000000) {
    pr_seterr(err, "responses[%d].version: expected a whole number from 1",
              idx);
    return -1;
  }
  r->version = (int)json_integer_value(v);
  v = json_object_get(o, "proxy");
  if(!v || !json_is_boolean(v)) {
    pr_seterr(err, "responses[%d].proxy: expected true or false", idx);
    return -1;
  }
  r->proxy = json_is_true(v);
  v = json_object_get(o, "answers");
  if(!v) {
    pr_seterr(err, "responses[%d]: missing \"answers\"", idx);
    return -1;
  }
  return decode_answers(v, r, idx, err);
}

void ingest_batch_free(struct ingest_batch *b)
{
  int i, j;

  if(!b)
    return;
  for(i = 0; i < b->n; i++) {
    for(j = 0; j < b->r[i].n_answers; j++)
      pr_free(b->r[i].answers[j].text);
    pr_free(b->r[i].answers);
  }
  pr_free(b->r);
  pr_free(b);
}

enum pr_rc ingest_decode(const char *body, size_t len, int max_batch,
                         struct ingest_batch **out, char *err)
{
  static const char *const members[] = { "protocol", "responses", NULL };
  enum pr_rc rc = PR_EINVAL;
  struct ingest_batch *b = NULL;
  json_t *root = NULL, *v, *x;
  json_error_t je;
  const char *bad = NULL;
  size_t i;
  int r;

  *out = NULL;
  root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
  if(!root) {
    pr_seterr(err, "not valid JSON (line %d, column %d): %s", je.line,
              je.column, je.text);
    goto out;
  }
  if(!json_is_object(root)) {
    pr_seterr(err, "body must be a JSON object");
    goto out;
  }
  if(only_members(root, members, &bad)) {
    pr_seterr(err, "unknown member \"%.40s\"", bad);
    goto out;
  }
  v = json_object_get(root, "protocol");
  if(!json_is_integer(v) || json_integer_value(v) != INGEST_PROTOCOL) {
    pr_seterr(err, "\"protocol\" must be %d", INGEST_PROTOCOL);
    goto out;
  }
  v = json_object_get(root, "responses");
  if(!json_is_array(v)) {
    pr_seterr(err, "\"responses\" must be a list");
    goto out;
  }
  if(json_array_size(v) > (size_t)max_batch) {
    pr_seterr(err, "%zu responses in one batch; at most %d", 
              json_array_size(v), max_batch);
    rc = PR_ELIMIT;
    goto out;
  }
  b = pr_calloc(1, sizeof(*b));
  if(!b || (json_array_size(v) &&
            !(b->r = pr_calloc(json_array_size(v), sizeof(*b->r))))) {
    rc = PR_ENOMEM;
    goto out;
  }
  json_array_foreach(v, i, x) {
    b->n++;
    r = decode_one(x, &b->r[i], (int)i, err);
    if(r == -2) {
      rc = PR_ENOMEM;
      goto out;
    }
    if(r)
      goto out;
  }
  *out = b;
  b = NULL;
  rc = PR_OK;
out:
  ingest_batch_free(b);
  json_decref(root);
  return rc;
}

static int in_list(const char *s, const char *const *list)
{
  int i;

  for(i = 0; list[i]; i++)
    if(!strcmp(s, list[i]))
      return 1;
  return 0;
}

static int text_ok(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;

  for(; *p; p++)
    if((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
      return 0;
  return 1;
}

/* Hash of everything that makes up the response's content, fields in a
 * fixed order with separators that cannot occur inside validated ids. */
static void content_hash(struct ingest_resp *r)
{
  crypto_generichash_state st;
  unsigned char h[32];
  char num[32];
  int i;

#define HS(s) crypto_generichash_update(&st, (const unsigned char *)(s), \
                                        strlen(s) + 1)
  crypto_generichash_init(&st, NULL, 0, sizeof(h));
  snprintf(num, sizeof(num), "%d|%d", r->version, r->proxy);
  HS(r->set); HS(num); HS(r->mode); HS(r->lang); HS(r->status);
  HS(r->period); HS(r->track); HS(r->care);
  for(i = 0; i < r->n_answers; i++) {
    HS(r->answers[i].q);
    HS(r->answers[i].text ? "T" : "A");
    HS(r->answers[i].text ? r->answers[i].text : r->answers[i].a);
  }
#undef HS
  crypto_generichash_final(&st, h, sizeof(h));
  sodium_bin2hex(r->hash, sizeof(r->hash), h, sizeof(h));
}

int ingest_check(struct ingest_resp *r, const struct qset *qs, long today)
{
  static const char *const modes[] = { "kiosk", "phone", NULL };
  static const char *const statuses[] = { "complete", "abandoned", NULL };
  int given[QSET_MAX_QUESTIONS];
  unsigned mode;
  int i, qi, opt;

  if(r->result == INGEST_REJECTED)
    return -1;
  if(!in_list(r->mode, modes)) {
    reject(r, "unknown mode '%.20s'", r->mode);
    return -1;
  }
  mode = !strcmp(r->mode, "kiosk") ? QSET_MODE_KIOSK : QSET_MODE_PHONE;
  if(!in_list(r->status, statuses)) {
    reject(r, "unknown status '%.20s'", r->status);
    return -1;
  }
  if(strlen(r->period) == 8 && r->period[4] == '-' && r->period[5] == 'W') {
    if(pdate_parse_week(r->period, &r->period_start) != 0) {
      reject(r, "malformed period '%.20s' (YYYY-Www or YYYY-MM)", r->period);
      return -1;
    }
    r->period_kind = "week";
  } else if(strlen(r->period) == 7 &&
            pdate_parse_month(r->period, &r->period_start) == 0) {
    r->period_kind = "month";
  } else {
    reject(r, "malformed period '%.20s' (YYYY-Www or YYYY-MM)", r->period);
    return -1;
  }
  if(r->period_start < pdate_from_ymd(2020, 1, 1) ||
     r->period_start > today + 31) {
    reject(r, "period %s is out of range", r->period);
    return -1;
  }
  if(mode == QSET_MODE_KIOSK && (r->track[0] || r->care[0])) {
    reject(r, "track and care are for phone responses only");
    return -1;
  }
  if(r->track[0] && !vocab_is_track(r->track)) {
    reject(r, "unknown track '%.20s'", r->track);
    return -1;
  }
  if(r->care[0] && !vocab_is_care(r->care)) {
    reject(r, "unknown care type '%.20s'", r->care);
    return -1;
  }
  for(i = 0; i < qs->n_langs; i++)
    if(!strcmp(qs->langs[i], r->lang))
      break;
  if(i == qs->n_langs) {
    reject(r, "language '%.10s' is not in %s v%d", r->lang, qs->id,
           qs->version);
    return -1;
  }
  for(qi = 0; qi < qs->n_questions && qi < QSET_MAX_QUESTIONS; qi++)
    given[qi] = QSET_UNANSWERED;
  for(i = 0; i < r->n_answers; i++) {
    const struct ingest_answer *an = &r->answers[i];
    const struct qset_question *q;

    qi = qset_find_question(qs, an->q);
    if(qi < 0 || qi >= QSET_MAX_QUESTIONS) {
      reject(r, "unknown question '%s' in %s v%d", an->q, qs->id,
             qs->version);
      return -1;
    }
    q = &qs->questions[qi];
    if(!(q->modes & mode)) {
      reject(r, "question '%s' is not asked in %s mode", an->q, r->mode);
      return -1;
    }
    if(q->type == QSET_TEXT) {
      if(!an->text) {
        reject(r, "question '%s' takes \"text\", not an option", an->q);
        return -1;
      }
      if(!text_ok(an->text)) {
        reject(r, "answer to '%s': control characters in text", an->q);
        return -1;
      }
      given[qi] = QSET_TEXT_ANSWERED;
    } else {
      if(an->text) {
        reject(r, "question '%s' takes an option code, not text", an->q);
        return -1;
      }
      opt = qset_option_index(qset_question_scale(qs, qi), an->a);
      if(opt < 0) {
        reject(r, "unknown option '%s' for question '%s' in %s v%d", an->a,
               an->q, qs->id, qs->version);
        return -1;
      }
      given[qi] = opt;
    }
  }
  /* Answers to questions the flow would not have asked, and (for complete
   * responses) required questions left out, mean a broken or forged
   * response: its counts would be wrong either way. */
  for(qi = 0; qi < qs->n_questions && qi < QSET_MAX_QUESTIONS; qi++) {
    const struct qset_question *q = &qs->questions[qi];
    int applies;

    if(!(q->modes & mode))
      continue;
    applies = qset_applies(qs, qi, mode, given);
    if(given[qi] != QSET_UNANSWERED && !applies) {
      reject(r, "question '%s' was answered but is not asked after the "
             "earlier answers", q->id);
      return -1;
    }
    if(given[qi] == QSET_UNANSWERED && applies && !q->optional &&
       !strcmp(r->status, "complete")) {
      reject(r, "complete response lacks an answer to '%s'", q->id);
      return -1;
    }
  }
  content_hash(r);
  return 0;
}
