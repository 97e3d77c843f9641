/* anon.c — This file contains the anonymisation of a stored response into
 * the wire record of sync/PROTOCOL.md (see anon.h).  Every field is built
 * from an allow-list; nothing is copied wholesale, so a field added to the
 * store later cannot leak by accident. */
#include "anon.h"

#include <string.h>

#include "pdate.h"
#include "qset.h"
#include "scrub.h"
#include "textcol.h"
#include "uuid.h"
#include "vocab.h"


static int lang_ok(const char *s)
{
  size_t n = strlen(s);
  if(n < 2 || n > 3)
    return 0;
  for(size_t i = 0; i < n; i++)
    if(s[i] < 'a' || s[i] > 'z')
      return 0;
  return 1;
}

int anon_period_parse(const char *s, enum anon_period *out)
{
  if(s && strcmp(s, "week") == 0) {
    *out = ANON_WEEK;
    return 0;
  }
  if(s && strcmp(s, "month") == 0) {
    *out = ANON_MONTH;
    return 0;
  }
  return -1;
}

/* Control characters other than newline and tab become spaces: the
 * aggregator refuses them, and a response must not be stuck for a stray
 * carriage return. */
static void blank_controls(char *s)
{
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      *s = ' ';
  }
}

/* Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF),
 * so a failing json_string() can be told apart from out of memory. */
static int utf8_ok(const unsigned char *s)
{
  while(*s) {
    size_t n = textcol_utf8_next(s, SIZE_MAX, NULL);
    if(!n)
      return 0;
    s += n;
  }
  return 1;
}

/* json_object_set_new that reports failure instead of leaking silently. */
static int put(json_t *o, const char *k, json_t *v)
{
  return v ? json_object_set_new(o, k, v) : -1;
}

static enum pr_rc add_answers(const struct store_response *r, json_t *arr,
                              const char *const *names, int n_names,
                              int *scrubbed, char *err)
{
  for(int i = 0; i < r->n_answers; i++) {
    const struct store_answer *a = &r->answers[i];
    json_t *o;
    int bad;

    if(!qset_valid_id(a->question, QSET_ID_LEN)) {
      pr_seterr(err, "response %s: answer %d: bad question id", r->uuid, i);
      return PR_EINVAL;
    }
    if(a->option[0] && !qset_valid_id(a->option, QSET_ID_LEN)) {
      pr_seterr(err, "response %s: answer to %s: bad option code", r->uuid,
                a->question);
      return PR_EINVAL;
    }
    if(!a->option[0] && !a->text)
      continue;     /* nothing answered */
    if(a->text && !a->option[0] && !utf8_ok((const unsigned char *)a->text)) {
      pr_seterr(err, "response %s: answer to %s: text is not valid UTF-8",
                r->uuid, a->question);
      return PR_EINVAL;
    }
    o = json_object();
    if(!o)
      return PR_ENOMEM;
    bad = put(o, "q", json_string(a->question));
    if(a->option[0]) {
      bad |= put(o, "a", json_string(a->option));
    } else {
      char *clean = NULL;
      struct scrub_stats st;
      if(scrub_text_names(a->text, names, n_names, &clean, &st) != PR_OK) {
        json_decref(o);
        return PR_ENOMEM;
      }
      if(scrubbed)
        for(int k = 0; k < SCRUB_N_KINDS; k++)
          *scrubbed += st.n[k];
      blank_controls(clean);
      bad |= put(o, "text", json_string(clean));
      pr_free(clean);
    }
    if(bad) {
      json_decref(o);
      return PR_ENOMEM;   /* ids and text were checked above */
    }
    if(json_array_append_new(arr, o) != 0)
      return PR_ENOMEM;
  }
  return PR_OK;
}

enum pr_rc anon_response(const struct store_response *r,
                         enum anon_period period, json_t **out,
                         int *scrubbed, char *err)
{
  return anon_response_names(r, period, NULL, 0, out, scrubbed, err);
}

enum pr_rc anon_response_names(const struct store_response *r,
                               enum anon_period period,
                               const char *const *names, int n_names,
                               json_t **out, int *scrubbed, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  json_t *o = NULL, *answers = NULL;
  const char *track = NULL, *care = NULL;
  char per[12];
  long day;
  int bad = 0, phone;

  *out = NULL;
  if(scrubbed)
    *scrubbed = 0;
  if(!uuid_is_v4(r->uuid)) {
    pr_seterr(err, "response has no valid uuid");
    goto out;
  }
  if(r->status != STORE_COMPLETE && r->status != STORE_ABANDONED) {
    pr_seterr(err, "response %s: not finished", r->uuid);
    goto out;
  }
  if(r->mode != QSET_MODE_KIOSK && r->mode != QSET_MODE_PHONE) {
    pr_seterr(err, "response %s: bad mode", r->uuid);
    goto out;
  }
  if(!qset_valid_id(r->set_id, QSET_ID_LEN) || r->set_version < 1) {
    pr_seterr(err, "response %s: bad set id or version", r->uuid);
    goto out;
  }
  if(!lang_ok(r->lang)) {
    pr_seterr(err, "response %s: bad language code", r->uuid);
    goto out;
  }
  if(pdate_parse(r->date, &day) != 0) {
    pr_seterr(err, "response %s: bad date", r->uuid);
    goto out;
  }
  if(period == ANON_MONTH)
    pdate_format_month(day, per);
  else
    pdate_format_week(day, per);
  phone = r->mode == QSET_MODE_PHONE;
  if(phone) {
    track = vocab_is_track(r->track) ? r->track : NULL;
    care = vocab_is_care(r->care) ? r->care : NULL;
  }

  rc = PR_ENOMEM;
  o = json_object();
  answers = json_array();
  if(!o || !answers)
    goto out;
  bad |= put(o, "uuid", json_string(r->uuid));
  bad |= put(o, "set", json_string(r->set_id));
  bad |= put(o, "version", json_integer(r->set_version));
  bad |= put(o, "mode", json_string(phone ? "phone" : "kiosk"));
  bad |= put(o, "lang", json_string(r->lang));
  bad |= put(o, "proxy", json_boolean(r->proxy));
  bad |= put(o, "status", json_string(r->status == STORE_COMPLETE ?
                                          "complete" : "abandoned"));
  bad |= put(o, "period", json_string(per));
  bad |= put(o, "track", track ? json_string(track) : json_null());
  bad |= put(o, "care", care ? json_string(care) : json_null());
  if(bad)
    goto out;
  rc = add_answers(r, answers, names, n_names, scrubbed, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_ENOMEM;
  if(json_object_set(o, "answers", answers) != 0)
    goto out;
  *out = o;
  o = NULL;
  rc = PR_OK;
out:
  json_decref(answers);
  json_decref(o);
  return rc;
}
