/* flow.h — which question comes next: the patient's path through a
 * question set as plain functions of the set, the mode and the answers so
 * far (qset_applies decides each condition).  No state, no store, no UI.
 * answers[] is indexed by question, as qset_applies takes it. */
#ifndef FLOW_H
#define FLOW_H

#include "qset.h"

/* The first question asked in mode given answers; -1 when there is none. */
int flow_first(const struct qset *s, unsigned mode, const int *answers);

/* The next question after cur that applies; -1 after the last one. */
int flow_next(const struct qset *s, unsigned mode, int cur,
              const int *answers);

/* The question before cur that applies; -1 when cur is the first. */
int flow_prev(const struct qset *s, unsigned mode, int cur,
              const int *answers);

/* Where cur stands: *pos is its 1-based place among the questions that
 * apply now, *total how many apply now (it may change as answers do). */
void flow_progress(const struct qset *s, unsigned mode, int cur,
                   const int *answers, int *pos, int *total);

/* After an answer changed: forget answers to questions that no longer
 * apply (set to QSET_UNANSWERED), in order, so chains of conditions are
 * followed.  The indices of the forgotten questions go to dropped[] (at
 * most cap); returns how many were forgotten. */
int flow_prune(const struct qset *s, unsigned mode, int *answers,
               int *dropped, int cap);

/* Does the set ask anything in mode? */
int flow_has_mode(const struct qset *s, unsigned mode);

#endif
