/* fuzz_qset.c — This file contains the fuzz target for the question-set
 * loader: arbitrary bytes go through qset_load_buffer, and a set that
 * loads is walked with every query (texts in every language, easy read,
 * conditions with every answer, classification of every option).  Built
 * as a libFuzzer target with clang (PR_FUZZ=ON) and, linked with the
 * shared replay driver fuzz_agg_replay.c, as a plain program in the suite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct qset *s)
{
  int answers[QSET_MAX_QUESTIONS];
  size_t sink = 0;
  for(int i = 0; i < s->n_questions; i++)
    answers[i] = QSET_UNANSWERED;
  for(int i = 0; i < s->n_questions; i++) {
    const struct qset_question *q = &s->questions[i];
    const struct qset_scale *sc = qset_question_scale(s, i);
    for(int l = 0; l < s->n_langs; l++) {
      sink += strlen(qset_question_text(q, s->langs[l], 0));
      sink += strlen(qset_question_text(q, s->langs[l], 1));
      sink += strlen(qset_text(&q->script, s->langs[l]));
    }
    if(qset_find_question(s, q->id) > i)
      abort();                           /* ids must be unique */
    for(int k = 0; sc && k < sc->n_options; k++) {
      enum qset_value v = qset_classify(s, i, k);
      if(v == QSET_POSITIVE && sc->options[k].dontknow)
        abort();                         /* validator must forbid this */
      answers[i] = k;
      for(int j = i + 1; j < s->n_questions; j++)
        sink += (size_t)qset_applies(s, j, QSET_MODE_KIOSK, answers);
    }
    if(q->cond.op != QSET_COND_NONE && q->cond.on >= i)
      abort();                           /* conditions only look back */
  }
  if(sink == (size_t)-1)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  struct qset *s = NULL;
  char err[PR_ERR_LEN];
  if(!ready) {
    if(pr_init() != PR_OK)
      abort();
    ready = 1;
  }
  if(qset_load_buffer("fuzz", (const char *)data, size, &s, err) == PR_OK) {
    walk(s);
    qset_free(s);
  }
  else if(s != NULL || strncmp(err, "fuzz: ", 6) != 0)
    abort();                             /* failure: no set, clear message */
  return 0;
}
