/* commentq.h — the free-text comments of one unit for quality teams
 * (already scrubbed of identifiers on the kiosk), under the same filter
 * (mode, track, care, set, version) and threshold as the figures.  A
 * comment is shown, labelled with its month, only when (1) its own group —
 * the unit's responses that month with the same mode, track, care, set and
 * version, i.e. every attribute a reader can filter by — has at least the
 * threshold of responses, so no filter or comparison of filters narrows
 * it to fewer people, and (2) when it follows up an indicator ("if not
 * satisfied ..."), that indicator's cell for the unit and month under the
 * filter is itself shown (canonical suppression, indicq.h).  Whatever span
 * is asked for, a month's comments are the same. */
#ifndef COMMENTQ_H
#define COMMENTQ_H

#include "indicq.h"

struct commentq_comment {
  char period[INDIC_LABEL_LEN];  /* month of the response, "2026-01" */
  char indicator[INDIC_ID_LEN];  /* "" when not tied to one */
  char *text;                    /* owned */
};

/* Comments of f->unit (required) in f's span widened to whole months,
 * newest month first, at most max.  indicator "" = all; otherwise only
 * comments whose question follows up that indicator.  known (may be NULL)
 * holds n_known results already run with the same filter: one by month
 * for an indicator is reused instead of running it again.  *out (*n
 * entries) is the caller's: commentq_free. */
enum pr_rc commentq_list(struct aggdb *db, const struct indicq_filter *f,
                         const char *indicator, int max,
                         struct indicq_result *const *known, int n_known,
                         struct commentq_comment **out, int *n,
                         char *err) PR_MUST;
void commentq_free(struct commentq_comment *c, int n);     /* NULL-safe */

#endif
