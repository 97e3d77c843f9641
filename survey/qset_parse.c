/* qset_parse.c — This file contains the question-set loader: it parses a
 * set file with jansson and validates every member while building the
 * struct qset, so that a set either loads completely or not at all.  The
 * format is documented in assets/surveys/README.md.  Messages always read
 * "FILE: where: problem" so staff can find and fix the line. */
#include "qset.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define QSET_MAX_FILE (512 * 1024)   /* a set is a few kB; refuse junk */
#define QSET_MAX_TEXT_BYTES 1000

struct ld {
  const char *name;   /* file name used in messages */
  char *err;
  struct qset *s;
};

static void fail(struct ld *l, const char *where, const char *fmt, ...)
    PR_PRINTF(3, 4);

static void fail(struct ld *l, const char *where, const char *fmt, ...)
{
  char msg[PR_ERR_LEN];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if(where && *where)
    pr_seterr(l->err, "%s: %s: %s", l->name, where, msg);
  else
    pr_seterr(l->err, "%s: %s", l->name, msg);
}

/* Refuse members the format does not know: a typo ("questoins") must not
 * silently drop half a set. */
static int check_members(struct ld *l, json_t *obj, const char *const *known,
                         const char *where)
{
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    int ok = 0;
    for(int i = 0; known[i]; i++)
      if(strcmp(key, known[i]) == 0)
        ok = 1;
    if(!ok) {
      char list[160] = "";
      size_t used = 0;
      for(int i = 0; known[i] && used < sizeof(list); i++) {
        int w = snprintf(list + used, sizeof(list) - used, "%s%s",
                         i ? ", " : "", known[i]);
        if(w < 0)
          break;
        used += (size_t)w;
      }
      fail(l, where, "unknown member \"%s\" (known members: %s)", key, list);
      return -1;
    }
  }
  return 0;
}

/* Copy a required identifier member into dst. */
static int get_id(struct ld *l, json_t *obj, const char *member, char *dst,
                  size_t cap, const char *where)
{
  json_t *v = json_object_get(obj, member);
  if(!v) {
    fail(l, where, "missing \"%s\"", member);
    return -1;
  }
  if(!json_is_string(v) || !qset_valid_id(json_string_value(v), cap)) {
    fail(l, where, "\"%s\" must be a string of a-z, 0-9, _ or - "
         "(1 to %zu characters)", member, cap - 1);
    return -1;
  }
  pr_strlcpy(dst, json_string_value(v), cap);
  return 0;
}

static int lang_index(const struct qset *s, const char *lang)
{
  for(int i = 0; i < s->n_langs; i++)
    if(strcmp(s->langs[i], lang) == 0)
      return i;
  return -1;
}

static const char *lang_word(const char *lang)
{
  if(strcmp(lang, "sv") == 0)
    return "Swedish";
  if(strcmp(lang, "en") == 0)
    return "English";
  if(strcmp(lang, "ar") == 0)
    return "Arabic";
  return lang;
}

enum text_need { TEXT_ALL_LANGS, TEXT_SWEDISH, TEXT_ANY };

/* Parse {"sv": "...", "en": "..."} into t, texts kept in the set's
 * declared language order.  Returns 0, -1 (message set) or -2 (no
 * memory). */
static int get_text(struct ld *l, json_t *v, struct qset_text *t,
                    enum text_need need, const char *where,
                    const char *member)
{
  const char *key;
  json_t *tv;
  char w[QSET_ID_LEN * 2 + 96];

  snprintf(w, sizeof(w), "%s%s\"%s\"", where, *where ? ": " : "", member);
  if(!json_is_object(v)) {
    fail(l, w, "must be an object of language code to text, e.g. "
         "{\"sv\": \"...\"}");
    return -1;
  }
  json_object_foreach(v, key, tv) {
    if(lang_index(l->s, key) < 0) {
      fail(l, w, "text in language \"%s\", which the set does not declare "
           "in \"langs\"", key);
      return -1;
    }
    if(!json_is_string(tv) || json_string_length(tv) == 0) {
      fail(l, w, "the %s text must be a non-empty string", lang_word(key));
      return -1;
    }
    if(json_string_length(tv) > QSET_MAX_TEXT_BYTES) {
      fail(l, w, "the %s text is longer than %d bytes", lang_word(key),
           QSET_MAX_TEXT_BYTES);
      return -1;
    }
    if(strlen(json_string_value(tv)) != json_string_length(tv)) {
      fail(l, w, "the %s text contains a NUL character", lang_word(key));
      return -1;
    }
  }
  if(!json_object_get(v, "sv") && need != TEXT_ANY) {
    fail(l, w, "missing Swedish text (\"sv\")");
    return -1;
  }
  if(need == TEXT_ALL_LANGS)
    for(int i = 0; i < l->s->n_langs; i++)
      if(!json_object_get(v, l->s->langs[i])) {
        fail(l, w, "missing %s text (\"%s\"); the set declares it in "
             "\"langs\"", lang_word(l->s->langs[i]), l->s->langs[i]);
        return -1;
      }
  for(int i = 0; i < l->s->n_langs; i++) {
    json_t *x = json_object_get(v, l->s->langs[i]);
    if(!x)
      continue;
    pr_strlcpy(t->lang[t->n], l->s->langs[i], QSET_LANG_LEN);
    t->text[t->n] = pr_strdup(json_string_value(x));
    if(!t->text[t->n])
      return -2;
    t->n++;
  }
  return 0;
}

/* An optional boolean member; absent = 0. */
static int get_bool(struct ld *l, json_t *obj, const char *member, int *out,
                    const char *where)
{
  json_t *v = json_object_get(obj, member);
  *out = 0;
  if(!v)
    return 0;
  if(!json_is_boolean(v)) {
    fail(l, where, "\"%s\" must be true or false", member);
    return -1;
  }
  *out = json_is_true(v);
  return 0;
}

static int get_modes(struct ld *l, json_t *v, unsigned *out,
                     const char *where)
{
  size_t i;
  json_t *m;
  *out = 0;
  if(!json_is_array(v) || json_array_size(v) == 0) {
    fail(l, where, "\"modes\" must be a non-empty list of \"kiosk\", "
         "\"phone\" or \"meeting\"");
    return -1;
  }
  json_array_foreach(v, i, m) {
    const char *s = json_is_string(m) ? json_string_value(m) : "";
    if(strcmp(s, "kiosk") == 0)
      *out |= QSET_MODE_KIOSK;
    else if(strcmp(s, "phone") == 0)
      *out |= QSET_MODE_PHONE;
    else if(strcmp(s, "meeting") == 0)
      *out |= QSET_MODE_MEETING;
    else {
      fail(l, where, "unknown mode \"%s\" in \"modes\" (known: kiosk, "
           "phone, meeting)", json_is_string(m) ? s : "(not a string)");
      return -1;
    }
  }
  return 0;
}

static int parse_langs(struct ld *l, json_t *root)
{
  json_t *v = json_object_get(root, "langs");
  json_t *x;
  size_t i;
  if(!json_is_array(v) || json_array_size(v) == 0) {
    fail(l, NULL, "\"langs\" must be a non-empty list of language codes, "
         "\"sv\" first");
    return -1;
  }
  if(json_array_size(v) > QSET_MAX_LANGS) {
    fail(l, NULL, "\"langs\" lists more than %d languages", QSET_MAX_LANGS);
    return -1;
  }
  json_array_foreach(v, i, x) {
    const char *c = json_is_string(x) ? json_string_value(x) : "";
    size_t n = strlen(c);
    int ok = n >= 2 && n <= 3;
    for(size_t k = 0; k < n; k++)
      if(c[k] < 'a' || c[k] > 'z')
        ok = 0;
    if(!ok) {
      fail(l, NULL, "\"langs\" entry %zu is not a 2-3 letter lower-case "
           "language code", i + 1);
      return -1;
    }
    if(lang_index(l->s, c) >= 0) {
      fail(l, NULL, "\"langs\" lists \"%s\" twice", c);
      return -1;
    }
    pr_strlcpy(l->s->langs[l->s->n_langs++], c, QSET_LANG_LEN);
  }
  if(strcmp(l->s->langs[0], "sv") != 0) {
    fail(l, NULL, "\"langs\" must start with \"sv\" (Swedish is always "
         "carried and comes first)");
    return -1;
  }
  return 0;
}

static int parse_scale(struct ld *l, json_t *v, struct qset_scale *sc,
                       int index)
{
  static const char *const scale_members[] = {"id", "options", NULL};
  static const char *const opt_members[] = {"code", "label", "dontknow",
                                            NULL};
  char where[QSET_ID_LEN + 32];
  json_t *opts, *o;
  size_t i;
  int real = 0, r;

  snprintf(where, sizeof(where), "scale %d", index + 1);
  if(!json_is_object(v)) {
    fail(l, where, "must be an object");
    return -1;
  }
  if(get_id(l, v, "id", sc->id, sizeof(sc->id), where))
    return -1;
  snprintf(where, sizeof(where), "scale %s", sc->id);
  if(check_members(l, v, scale_members, where))
    return -1;
  opts = json_object_get(v, "options");
  if(!json_is_array(opts) || json_array_size(opts) == 0) {
    fail(l, where, "empty scale: \"options\" must be a non-empty list");
    return -1;
  }
  if(json_array_size(opts) > QSET_MAX_OPTIONS) {
    fail(l, where, "more than %d options", QSET_MAX_OPTIONS);
    return -1;
  }
  json_array_foreach(opts, i, o) {
    struct qset_option *op = &sc->options[sc->n_options];
    char ow[QSET_ID_LEN * 2 + 32];
    snprintf(ow, sizeof(ow), "scale %s: option %zu", sc->id, i + 1);
    if(!json_is_object(o)) {
      fail(l, ow, "must be an object");
      return -1;
    }
    if(get_id(l, o, "code", op->code, sizeof(op->code), ow))
      return -1;
    snprintf(ow, sizeof(ow), "scale %s: option %s", sc->id, op->code);
    if(check_members(l, o, opt_members, ow) ||
       get_bool(l, o, "dontknow", &op->dontknow, ow))
      return -1;
    if(qset_option_index(sc, op->code) >= 0) {
      fail(l, ow, "duplicate option code \"%s\"", op->code);
      return -1;
    }
    if(!json_object_get(o, "label")) {
      fail(l, ow, "missing \"label\"");
      return -1;
    }
    /* Count before parsing the label so qset_free frees what was made. */
    sc->n_options++;
    r = get_text(l, json_object_get(o, "label"), &op->label, TEXT_ALL_LANGS,
                 ow, "label");
    if(r)
      return r;
    if(!op->dontknow)
      real++;
  }
  if(real == 0) {
    fail(l, where, "empty scale: every option is \"dontknow\"");
    return -1;
  }
  return 0;
}

static int find_scale(const struct qset *s, const char *id)
{
  for(int i = 0; i < s->n_scales; i++)
    if(strcmp(s->scales[i].id, id) == 0)
      return i;
  return -1;
}

/* Fill bits from a list of option codes of scale sc. */
static int get_codes(struct ld *l, json_t *v, const struct qset_scale *sc,
                     uint32_t *bits, const char *where, const char *member)
{
  size_t i;
  json_t *c;
  *bits = 0;
  if(!json_is_array(v) || json_array_size(v) == 0) {
    fail(l, where, "\"%s\" must be a non-empty list of option codes of "
         "scale %s", member, sc->id);
    return -1;
  }
  json_array_foreach(v, i, c) {
    const char *code = json_is_string(c) ? json_string_value(c) : "";
    int k = qset_option_index(sc, code);
    if(k < 0) {
      fail(l, where, "\"%s\" names unknown option \"%s\" (scale %s)", member,
           code, sc->id);
      return -1;
    }
    *bits |= 1u << k;
  }
  return 0;
}

static int parse_condition(struct ld *l, json_t *v, int qi, const char *where)
{
  static const char *const members[] = {"on", "in", "not_in",
                                        "unanswered_ok", NULL};
  struct qset_question *q = &l->s->questions[qi];
  char w[QSET_ID_LEN + 40];
  json_t *on, *in, *not_in;
  const char *on_id;
  int target;

  snprintf(w, sizeof(w), "%s: \"condition\"", where);
  if(!json_is_object(v)) {
    fail(l, w, "must be an object {\"on\": ..., \"in\": [...]}");
    return -1;
  }
  if(check_members(l, v, members, w))
    return -1;
  on = json_object_get(v, "on");
  in = json_object_get(v, "in");
  not_in = json_object_get(v, "not_in");
  if(!json_is_string(on)) {
    fail(l, w, "\"on\" must name an earlier question");
    return -1;
  }
  on_id = json_string_value(on);
  target = qset_find_question(l->s, on_id);
  if(target < 0 || target >= qi) {
    /* Later questions are parsed after this one, so look in the file. */
    fail(l, w, "condition on %s question \"%s\"; it must be an earlier "
         "question", target == qi ? "its own" : "a later or unknown", on_id);
    return -1;
  }
  if(l->s->questions[target].type == QSET_TEXT) {
    fail(l, w, "condition on free-text question \"%s\"; only choice "
         "questions can be a condition", on_id);
    return -1;
  }
  if((in != NULL) == (not_in != NULL)) {
    fail(l, w, "give exactly one of \"in\" and \"not_in\"");
    return -1;
  }
  q->cond.on = target;
  q->cond.op = in ? QSET_COND_IN : QSET_COND_NOT_IN;
  if(get_codes(l, in ? in : not_in,
               &l->s->scales[l->s->questions[target].scale],
               &q->cond.values, w, in ? "in" : "not_in"))
    return -1;
  if(get_bool(l, v, "unanswered_ok", &q->cond.unanswered_ok, w))
    return -1;
  if(q->cond.unanswered_ok && in) {
    fail(l, w, "\"unanswered_ok\" only goes with \"not_in\" (an "
         "unanswered question is never \"in\" a list)");
    return -1;
  }
  if(q->modes & ~l->s->questions[target].modes) {
    fail(l, w, "question \"%s\" is not asked in every mode this one is, "
         "so the condition could never hold there", on_id);
    return -1;
  }
  return 0;
}

static int parse_audio(struct ld *l, json_t *v, struct qset_text *t,
                       const char *where)
{
  const char *key;
  json_t *p;
  int r;
  r = get_text(l, v, t, TEXT_ANY, where, "audio");
  if(r)
    return r;
  json_object_foreach(v, key, p) {
    const char *path = json_string_value(p);
    if(path[0] == '/' || strstr(path, "..") || strchr(path, '\\')) {
      fail(l, where, "\"audio\" path for \"%s\" must be relative to the "
           "assets directory, without \"..\"", key);
      return -1;
    }
  }
  return 0;
}

/* "compare": {"set": ID, "version": N, "question": ID} -- the question of
 * an earlier set version this one is comparable with.  Whether the target
 * exists is checked across files (qset_check_links). */
static int parse_compare(struct ld *l, json_t *v, struct qset_question *q,
                         const char *where)
{
  static const char *const members[] = {"set", "version", "question", NULL};
  char w[QSET_ID_LEN + 40];
  json_t *ver;

  snprintf(w, sizeof(w), "%s: \"compare\"", where);
  if(!json_is_object(v)) {
    fail(l, w, "must be an object {\"set\": ..., \"version\": N, "
         "\"question\": ...}");
    return -1;
  }
  if(check_members(l, v, members, w) ||
     get_id(l, v, "set", q->cmp_set, sizeof(q->cmp_set), w) ||
     get_id(l, v, "question", q->cmp_question, sizeof(q->cmp_question), w))
    return -1;
  ver = json_object_get(v, "version");
  if(!json_is_integer(ver) || json_integer_value(ver) < 1 ||
     json_integer_value(ver) > 1000000) {
    fail(l, w, "\"version\" must be a whole number from 1");
    return -1;
  }
  q->cmp_version = (int)json_integer_value(ver);
  if(strcmp(q->cmp_set, l->s->id) == 0 && q->cmp_version >= l->s->version) {
    fail(l, w, "points at version %d of this set; it must be an earlier "
         "version than %d", q->cmp_version, l->s->version);
    return -1;
  }
  return 0;
}

static int parse_question(struct ld *l, json_t *v, int qi, unsigned set_modes)
{
  static const char *const members[] = {
    "id", "type", "scale", "text", "easy", "script", "indicator",
    "positive", "condition", "modes", "optional", "audio", "section",
    "comment", "compare", "new", NULL};
  struct qset_question *q = &l->s->questions[qi];
  char where[QSET_ID_LEN + 16];
  json_t *x;
  const char *type;
  int r;

  q->scale = -1;
  snprintf(where, sizeof(where), "question %d", qi + 1);
  if(!json_is_object(v)) {
    fail(l, where, "must be an object");
    return -1;
  }
  if(get_id(l, v, "id", q->id, sizeof(q->id), where))
    return -1;
  snprintf(where, sizeof(where), "question %s", q->id);
  if(check_members(l, v, members, where))
    return -1;
  if(qset_find_question(l->s, q->id) < qi) {
    fail(l, where, "duplicate question id \"%s\"", q->id);
    return -1;
  }
  x = json_object_get(v, "type");
  type = json_is_string(x) ? json_string_value(x) : "";
  if(strcmp(type, "choice") == 0)
    q->type = QSET_CHOICE;
  else if(strcmp(type, "yesno") == 0)
    q->type = QSET_YESNO;
  else if(strcmp(type, "text") == 0)
    q->type = QSET_TEXT;
  else {
    fail(l, where, "unknown type \"%s\" (known: choice, yesno, text)",
         x ? type : "(missing)");
    return -1;
  }

  q->modes = set_modes;
  if((x = json_object_get(v, "modes")) != NULL) {
    if(get_modes(l, x, &q->modes, where))
      return -1;
    if(q->modes & ~set_modes) {
      fail(l, where, "asked in a mode the set does not declare in its "
           "\"modes\"");
      return -1;
    }
  }
  if(get_bool(l, v, "optional", &q->optional, where))
    return -1;

  if(!json_object_get(v, "text")) {
    fail(l, where, "missing \"text\" (Swedish at least)");
    return -1;
  }
  /* Kiosk questions are read by the patient in any declared language;
   * phone-only and meeting questions are in Swedish. */
  r = get_text(l, json_object_get(v, "text"), &q->text,
               (q->modes & QSET_MODE_KIOSK) ? TEXT_ALL_LANGS : TEXT_SWEDISH,
               where, "text");
  if(r)
    return r;
  if((x = json_object_get(v, "easy")) != NULL) {
    r = get_text(l, x, &q->easy,
                 (q->modes & QSET_MODE_KIOSK) ? TEXT_ALL_LANGS : TEXT_SWEDISH,
                 where, "easy");
    if(r)
      return r;
  }
  if((x = json_object_get(v, "script")) != NULL) {
    r = get_text(l, x, &q->script, TEXT_SWEDISH, where, "script");
    if(r)
      return r;
  }
  else if(q->modes & QSET_MODE_PHONE) {
    fail(l, where, "asked in phone mode but has no \"script\" line for the "
         "interviewer");
    return -1;
  }
  if((x = json_object_get(v, "audio")) != NULL) {
    r = parse_audio(l, x, &q->audio, where);
    if(r)
      return r;
  }
  if((x = json_object_get(v, "section")) != NULL) {
    r = get_text(l, x, &q->section,
                 (q->modes & QSET_MODE_KIOSK) ? TEXT_ALL_LANGS : TEXT_SWEDISH,
                 where, "section");
    if(r)
      return r;
  }
  if(get_bool(l, v, "comment", &q->comment, where) ||
     get_bool(l, v, "new", &q->is_new, where))
    return -1;
  if(q->comment && q->type == QSET_TEXT) {
    fail(l, where, "\"comment\" goes with a rating; a free-text question is "
         "a comment already");
    return -1;
  }
  if((x = json_object_get(v, "compare")) != NULL) {
    if(q->is_new) {
      fail(l, where, "both \"compare\" and \"new\": a new question has "
           "nothing to compare with");
      return -1;
    }
    if(parse_compare(l, x, q, where))
      return -1;
  }

  x = json_object_get(v, "indicator");
  if(q->type == QSET_TEXT) {
    if(json_object_get(v, "scale") || x || json_object_get(v, "positive")) {
      fail(l, where, "a free-text question has no \"scale\", \"indicator\" "
           "or \"positive\"");
      return -1;
    }
  }
  else {
    const struct qset_scale *sc;
    int real = 0;
    json_t *sv = json_object_get(v, "scale");
    const char *sid = json_is_string(sv) ? json_string_value(sv)
                    : (q->type == QSET_YESNO && !sv) ? "ja_nej" : NULL;
    if(!sid) {
      fail(l, where, "\"scale\" must name one of the set's scales");
      return -1;
    }
    q->scale = find_scale(l->s, sid);
    if(q->scale < 0) {
      fail(l, where, "unknown scale \"%s\"", sid);
      return -1;
    }
    sc = &l->s->scales[q->scale];
    for(int k = 0; k < sc->n_options; k++)
      real += !sc->options[k].dontknow;
    if(q->type == QSET_YESNO && real != 2) {
      fail(l, where, "a yesno question needs a scale with exactly two "
           "answers besides \"dontknow\"; scale %s has %d", sc->id, real);
      return -1;
    }
    if(!x) {
      fail(l, where, "missing \"indicator\" (every choice question maps to "
           "one)");
      return -1;
    }
    if(get_id(l, v, "indicator", q->indicator, sizeof(q->indicator), where))
      return -1;
    for(int j = 0; j < qi; j++)
      if(strcmp(l->s->questions[j].indicator, q->indicator) == 0) {
        fail(l, where, "indicator \"%s\" is already used by question %s",
             q->indicator, l->s->questions[j].id);
        return -1;
      }
    if(!json_object_get(v, "positive")) {
      fail(l, where, "indicator \"%s\" has no positive answer (add "
           "\"positive\": [option codes])", q->indicator);
      return -1;
    }
    if(get_codes(l, json_object_get(v, "positive"), sc, &q->positive, where,
                 "positive"))
      return -1;
    for(int k = 0; k < sc->n_options; k++) {
      if((q->positive & (1u << k)) && sc->options[k].dontknow) {
        fail(l, where, "\"positive\" includes \"%s\", a dontknow option "
             "(it is counted on its own)", sc->options[k].code);
        return -1;
      }
    }
    {
      int neg = 0;
      for(int k = 0; k < sc->n_options; k++)
        neg += !sc->options[k].dontknow && !(q->positive & (1u << k));
      if(neg == 0) {
        fail(l, where, "every answer of scale %s is positive; the indicator "
             "could never show a negative answer", sc->id);
        return -1;
      }
    }
  }

  if((x = json_object_get(v, "condition")) != NULL)
    return parse_condition(l, x, qi, where);
  return 0;
}

static int parse_root(struct ld *l, json_t *root)
{
  static const char *const members[] = {
    "id", "version", "langs", "lang_names", "title", "intro", "modes",
    "scales", "questions", "comment", NULL};
  json_t *v, *x;
  size_t i;
  unsigned modes = 0;
  int r;

  if(!json_is_object(root)) {
    fail(l, NULL, "the file must hold one JSON object");
    return -1;
  }
  if(check_members(l, root, members, "set") ||
     get_id(l, root, "id", l->s->id, sizeof(l->s->id), "set"))
    return -1;
  v = json_object_get(root, "version");
  if(!json_is_integer(v) || json_integer_value(v) < 1 ||
     json_integer_value(v) > 1000000) {
    fail(l, NULL, "bad version: \"version\" must be a whole number from 1 "
         "(raise it for every change to the questions)");
    return -1;
  }
  l->s->version = (int)json_integer_value(v);
  if((v = json_object_get(root, "comment")) && !json_is_string(v)) {
    fail(l, NULL, "\"comment\" must be a string");
    return -1;
  }
  if(parse_langs(l, root))
    return -1;
  if(get_modes(l, json_object_get(root, "modes"), &modes, "set"))
    return -1;
  if(!(v = json_object_get(root, "title"))) {
    fail(l, NULL, "missing \"title\"");
    return -1;
  }
  if((r = get_text(l, v, &l->s->title, TEXT_ALL_LANGS, "", "title")) != 0)
    return r;
  if((v = json_object_get(root, "intro")) != NULL &&
     (r = get_text(l, v, &l->s->intro, TEXT_ALL_LANGS, "", "intro")) != 0)
    return r;
  if(!(v = json_object_get(root, "lang_names"))) {
    fail(l, NULL, "missing \"lang_names\" (each language's own name, e.g. "
         "\"sv\": \"Svenska\")");
    return -1;
  }
  if((r = get_text(l, v, &l->s->lang_names, TEXT_ALL_LANGS, "",
                   "lang_names")) != 0)
    return r;

  v = json_object_get(root, "scales");
  if(!json_is_array(v) || json_array_size(v) == 0) {
    fail(l, NULL, "\"scales\" must be a non-empty list (a set carries its "
         "own scales)");
    return -1;
  }
  if(json_array_size(v) > QSET_MAX_QUESTIONS) {
    fail(l, NULL, "more than %d scales", QSET_MAX_QUESTIONS);
    return -1;
  }
  l->s->scales = pr_calloc(json_array_size(v), sizeof(*l->s->scales));
  if(!l->s->scales)
    return -2;
  json_array_foreach(v, i, x) {
    struct qset_scale *sc = &l->s->scales[l->s->n_scales];
    l->s->n_scales++;
    if((r = parse_scale(l, x, sc, (int)i)) != 0)
      return r;
    if(find_scale(l->s, sc->id) < (int)i) {
      fail(l, NULL, "duplicate scale id \"%s\"", sc->id);
      return -1;
    }
  }

  v = json_object_get(root, "questions");
  if(!json_is_array(v) || json_array_size(v) == 0) {
    fail(l, NULL, "\"questions\" must be a non-empty list");
    return -1;
  }
  if(json_array_size(v) > QSET_MAX_QUESTIONS) {
    fail(l, NULL, "more than %d questions", QSET_MAX_QUESTIONS);
    return -1;
  }
  l->s->questions = pr_calloc(json_array_size(v), sizeof(*l->s->questions));
  if(!l->s->questions)
    return -2;
  json_array_foreach(v, i, x) {
    l->s->n_questions++;
    if((r = parse_question(l, x, (int)i, modes)) != 0)
      return r;
  }
  if((modes & QSET_MODE_MEETING) && (modes & ~(unsigned)QSET_MODE_MEETING)) {
    fail(l, NULL, "\"meeting\" cannot be combined with other modes (a "
         "meeting's form is never offered on the kiosk or the phone)");
    return -1;
  }
  for(int m = QSET_MODE_KIOSK; m <= QSET_MODE_MEETING; m <<= 1) {
    int any = 0;
    if(!(modes & (unsigned)m))
      continue;
    for(int q = 0; q < l->s->n_questions; q++)
      any |= (l->s->questions[q].modes & (unsigned)m) != 0;
    if(!any) {
      fail(l, NULL, "the set declares mode \"%s\" but asks no question in "
           "it", m == QSET_MODE_KIOSK ? "kiosk"
                 : m == QSET_MODE_PHONE ? "phone" : "meeting");
      return -1;
    }
  }
  return 0;
}

enum pr_rc qset_load_buffer(const char *name, const char *buf, size_t len,
                            struct qset **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct ld l = {name ? name : "(buffer)", err, NULL};
  json_error_t je;
  json_t *root = NULL;
  int r;

  *out = NULL;
  if(len > QSET_MAX_FILE) {
    fail(&l, NULL, "file is larger than %d bytes", QSET_MAX_FILE);
    rc = PR_ELIMIT;
    goto out;
  }
  l.s = pr_calloc(1, sizeof(*l.s));
  if(!l.s)
    goto out;
  l.s->path = pr_strdup(l.name);
  if(!l.s->path)
    goto out;
  /* Duplicate keys would let one text silently override another. */
  root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
  if(!root) {
    json_t *again;
    if(json_error_code(&je) == json_error_out_of_memory || je.line < 0)
      goto out;
    /* jansson reports some allocation failures inside the lexer as syntax
     * errors.  A syntax error is a property of the bytes, so it repeats;
     * one that does not repeat was a failed allocation. */
    again = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
    if(again) {
      json_decref(again);
      goto out;
    }
    pr_seterr(err, "%s: line %d, column %d: not valid JSON: %s", l.name,
              je.line, je.column, je.text);
    rc = PR_EINVAL;
    goto out;
  }
  r = parse_root(&l, root);
  if(r == -2)
    goto out;
  if(r != 0) {
    rc = PR_EINVAL;
    goto out;
  }
  *out = l.s;
  l.s = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "%s: out of memory while loading the set", l.name);
  json_decref(root);
  qset_free(l.s);
  return rc;
}

enum pr_rc qset_load_file(const char *path, struct qset **out, char *err)
{
  enum pr_rc rc = PR_EIO;
  FILE *f = NULL;
  char *buf = NULL;
  size_t len = 0;

  *out = NULL;
  f = fopen(path, "rb");
  if(!f) {
    pr_seterr(err, "%s: cannot open: %s", path, strerror(errno));
    goto out;
  }
  buf = pr_malloc(QSET_MAX_FILE + 1);
  if(!buf) {
    pr_seterr(err, "%s: out of memory while loading the set", path);
    rc = PR_ENOMEM;
    goto out;
  }
  len = fread(buf, 1, QSET_MAX_FILE + 1, f);
  if(ferror(f)) {
    pr_seterr(err, "%s: read error", path);
    goto out;
  }
  if(len > QSET_MAX_FILE) {
    pr_seterr(err, "%s: file is larger than %d bytes", path, QSET_MAX_FILE);
    rc = PR_ELIMIT;
    goto out;
  }
  rc = qset_load_buffer(path, buf, len, out, err);
out:
  pr_free(buf);
  if(f)
    fclose(f);
  return rc;
}
