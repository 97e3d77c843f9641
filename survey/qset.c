/* qset.c — This file contains the queries on a loaded question set (texts
 * per language, positive/negative classification, which questions apply)
 * and freeing.  It is the bottom layer: it calls nothing else of qset.
 * Parsing and validation of one file live in qset_parse.c (which uses
 * these queries), loading a directory of sets in qset_dir.c. */
#include "qset.h"

#include <string.h>

static void text_free(struct qset_text *t)
{
  for(int i = 0; i < t->n; i++) {
    pr_free(t->text[i]);
    t->text[i] = NULL;
  }
  t->n = 0;
}

void qset_free(struct qset *s)
{
  if(!s)
    return;
  text_free(&s->title);
  text_free(&s->intro);
  text_free(&s->lang_names);
  for(int i = 0; s->scales && i < s->n_scales; i++)
    for(int k = 0; k < s->scales[i].n_options; k++)
      text_free(&s->scales[i].options[k].label);
  for(int i = 0; s->questions && i < s->n_questions; i++) {
    struct qset_question *q = &s->questions[i];
    text_free(&q->text);
    text_free(&q->easy);
    text_free(&q->script);
    text_free(&q->audio);
    text_free(&q->section);
  }
  pr_free(s->scales);
  pr_free(s->questions);
  pr_free(s->path);
  pr_free(s);
}

const char *qset_text(const struct qset_text *t, const char *lang)
{
  if(!t || t->n == 0)
    return "";
  if(lang)
    for(int i = 0; i < t->n; i++)
      if(strcmp(t->lang[i], lang) == 0)
        return t->text[i];
  for(int i = 0; i < t->n; i++)
    if(strcmp(t->lang[i], "sv") == 0)
      return t->text[i];
  return t->text[0];
}

static int text_has(const struct qset_text *t, const char *lang)
{
  for(int i = 0; lang && i < t->n; i++)
    if(strcmp(t->lang[i], lang) == 0)
      return 1;
  return 0;
}

const char *qset_question_text(const struct qset_question *q,
                               const char *lang, int easy_read)
{
  /* Prefer the easy text in the reader's own language; Swedish easy text
   * only when Swedish is what was asked for (or no language given), so an
   * Arabic reader never gets Swedish. */
  if(easy_read && q->easy.n > 0) {
    if(text_has(&q->easy, lang))
      return qset_text(&q->easy, lang);
    if((!lang || !text_has(&q->text, lang)) && text_has(&q->easy, "sv"))
      return qset_text(&q->easy, "sv");
  }
  return qset_text(&q->text, lang);
}

int qset_find_question(const struct qset *s, const char *id)
{
  for(int i = 0; id && i < s->n_questions; i++)
    if(strcmp(s->questions[i].id, id) == 0)
      return i;
  return -1;
}

const struct qset_scale *qset_question_scale(const struct qset *s, int qi)
{
  if(qi < 0 || qi >= s->n_questions)
    return NULL;
  if(s->questions[qi].scale < 0 || s->questions[qi].scale >= s->n_scales)
    return NULL;
  return &s->scales[s->questions[qi].scale];
}

int qset_option_index(const struct qset_scale *sc, const char *code)
{
  for(int k = 0; sc && code && k < sc->n_options; k++)
    if(strcmp(sc->options[k].code, code) == 0)
      return k;
  return -1;
}

enum qset_value qset_classify(const struct qset *s, int qi, int opt)
{
  const struct qset_scale *sc = qset_question_scale(s, qi);
  /* Anything that is not a real option is counted on its own, never as a
   * positive or negative answer. */
  if(!sc || opt < 0 || opt >= sc->n_options || sc->options[opt].dontknow)
    return QSET_DONTKNOW;
  if(s->questions[qi].positive & (1u << opt))
    return QSET_POSITIVE;
  return QSET_NEGATIVE;
}

int qset_applies(const struct qset *s, int qi, unsigned mode,
                 const int *answers)
{
  const struct qset_question *q;
  int a, hit;
  if(qi < 0 || qi >= s->n_questions)
    return 0;
  q = &s->questions[qi];
  if(!(q->modes & mode))
    return 0;
  if(q->cond.op == QSET_COND_NONE)
    return 1;
  a = answers ? answers[q->cond.on] : QSET_UNANSWERED;
  if(a < 0)                       /* unanswered (text is never a target) */
    return q->cond.op == QSET_COND_NOT_IN && q->cond.unanswered_ok;
  hit = a < 32 && (q->cond.values & (1u << a)) != 0;
  return q->cond.op == QSET_COND_IN ? hit : !hit;
}

int qset_valid_id(const char *s, size_t cap)
{
  size_t n;

  if(!s)
    return 0;
  for(n = 0; s[n]; n++) {
    char c = s[n];
    if(!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-'))
      return 0;
  }
  return n > 0 && n < cap;
}

int qset_has_lang(const struct qset *s, const char *lang)
{
  /* The validator refuses a set whose declared languages are not carried
   * by every text, so "declared" and "fully carried" are the same. */
  for(int i = 0; lang && i < s->n_langs; i++)
    if(strcmp(s->langs[i], lang) == 0)
      return 1;
  return 0;
}

void qset_free_all(struct qset **sets, int n)
{
  if(!sets)
    return;
  for(int i = 0; i < n; i++)
    qset_free(sets[i]);
  pr_free(sets);
}

const struct qset *qset_pick(struct qset *const *sets, int n, const char *id,
                             int version)
{
  const struct qset *best = NULL;
  for(int i = 0; sets && id && i < n; i++) {
    if(strcmp(sets[i]->id, id) != 0)
      continue;
    if(version > 0 ? sets[i]->version == version
                   : (!best || sets[i]->version > best->version))
      best = sets[i];
  }
  return best;
}

/* Same kind of answer: both free text, or ratings whose scales carry the
 * same option codes in the same order (the figures line up step by step). */
static int same_kind(const struct qset *a, int qa, const struct qset *b,
                     int qb)
{
  const struct qset_scale *sa = qset_question_scale(a, qa);
  const struct qset_scale *sb = qset_question_scale(b, qb);
  if((a->questions[qa].type == QSET_TEXT) != (b->questions[qb].type == QSET_TEXT))
    return 0;
  if(!sa || !sb)
    return sa == sb;
  if(sa->n_options != sb->n_options)
    return 0;
  for(int k = 0; k < sa->n_options; k++)
    if(strcmp(sa->options[k].code, sb->options[k].code) != 0)
      return 0;
  return 1;
}

enum pr_rc qset_check_links(struct qset *const *sets, int n, char *err)
{
  for(int i = 0; sets && i < n; i++) {
    const struct qset *s = sets[i];
    for(int q = 0; q < s->n_questions; q++) {
      const struct qset_question *x = &s->questions[q];
      const struct qset *t;
      int tq;
      if(x->cmp_version <= 0)
        continue;
      for(int p = 0; p < q; p++) {
        const struct qset_question *y = &s->questions[p];
        if(y->cmp_version == x->cmp_version &&
           strcmp(y->cmp_set, x->cmp_set) == 0 &&
           strcmp(y->cmp_question, x->cmp_question) == 0) {
          pr_seterr(err, "%s: question %s: compare: question \"%s\" of %s "
                    "version %d is already compared with question %s (one "
                    "question of last year maps to one of this year)",
                    s->path, x->id, x->cmp_question, x->cmp_set,
                    x->cmp_version, y->id);
          return PR_EINVAL;
        }
      }
      t = qset_pick(sets, n, x->cmp_set, x->cmp_version);
      if(!t)
        continue;
      tq = qset_find_question(t, x->cmp_question);
      if(tq < 0) {
        pr_seterr(err, "%s: question %s: compare: set %s version %d has no "
                  "question \"%s\"", s->path, x->id, x->cmp_set,
                  x->cmp_version, x->cmp_question);
        return PR_EINVAL;
      }
      if(!same_kind(s, q, t, tq)) {
        pr_seterr(err, "%s: question %s: compare: question \"%s\" of %s "
                  "version %d is of another type or scale; only answers of "
                  "the same kind can be compared", s->path, x->id,
                  x->cmp_question, x->cmp_set, x->cmp_version);
        return PR_EINVAL;
      }
    }
  }
  return PR_OK;
}
