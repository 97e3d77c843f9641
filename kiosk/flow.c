/* flow.c — This file contains the question-order functions of flow.h. */
#include "flow.h"

int flow_first(const struct qset *s, unsigned mode, const int *answers)
{
  return flow_next(s, mode, -1, answers);
}

int flow_next(const struct qset *s, unsigned mode, int cur,
              const int *answers)
{
  for(int i = cur + 1; i < s->n_questions; i++)
    if(qset_applies(s, i, mode, answers))
      return i;
  return -1;
}

int flow_prev(const struct qset *s, unsigned mode, int cur,
              const int *answers)
{
  if(cur > s->n_questions)
    cur = s->n_questions;
  for(int i = cur - 1; i >= 0; i--)
    if(qset_applies(s, i, mode, answers))
      return i;
  return -1;
}

void flow_progress(const struct qset *s, unsigned mode, int cur,
                   const int *answers, int *pos, int *total)
{
  int p = 0, t = 0;
  for(int i = 0; i < s->n_questions; i++) {
    if(!qset_applies(s, i, mode, answers))
      continue;
    t++;
    if(i <= cur)
      p = t;
  }
  *pos = p;
  *total = t;
}

int flow_prune(const struct qset *s, unsigned mode, int *answers,
               int *dropped, int cap)
{
  int n = 0;
  /* Conditions only look at earlier questions (the validator makes sure),
   * so one pass in order settles every chain. */
  for(int i = 0; i < s->n_questions; i++) {
    if(answers[i] == QSET_UNANSWERED || qset_applies(s, i, mode, answers))
      continue;
    answers[i] = QSET_UNANSWERED;
    if(n < cap)
      dropped[n] = i;
    n++;
  }
  return n;
}

int flow_has_mode(const struct qset *s, unsigned mode)
{
  for(int i = 0; i < s->n_questions; i++)
    if(s->questions[i].modes & mode)
      return 1;
  return 0;
}
