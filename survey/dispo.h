/* dispo.h — outcomes of a phone follow-up call as AAPOR-style dispositions:
 * stable codes, Swedish labels, which are final and when to call again, and
 * the unit's weekly call statistics with response rate (AAPOR RR1) and
 * cooperation rate (COOP1).  Pure data and arithmetic: no clock, no I/O.
 *
 * Categories (AAPOR final codes adapted to a list of known patients):
 *   I  complete            P  partial          R  refused
 *   NC no answer / busy / voicemail after the last attempt, wrong number
 *   NE not eligible: deceased, readmitted, language, unable to answer
 * RR1 = I / (I + P + R + NC); COOP1 = I / (I + P + R); NE is excluded.
 * "Reached" = I + P + R + (language, unable to answer): someone was spoken
 * to. */
#ifndef DISPO_H
#define DISPO_H

#include <time.h>
#include "pr.h"

enum dispo {
  DISPO_NONE = 0,
  DISPO_COMPLETE,
  DISPO_PARTIAL,
  DISPO_REFUSED,
  DISPO_NOANSWER,
  DISPO_BUSY,
  DISPO_VOICEMAIL,
  DISPO_WRONGNUMBER,
  DISPO_CALLBACK,
  DISPO_DECEASED,
  DISPO_READMITTED,
  DISPO_LANGUAGE,
  DISPO_UNABLE,
  DISPO_NOTREACHED,   /* derived: attempts used up or window passed */
  DISPO_COUNT
};

enum dispo_cat { DISPO_CAT_NONE = 0, DISPO_CAT_I, DISPO_CAT_P, DISPO_CAT_R,
                 DISPO_CAT_NC, DISPO_CAT_NE, DISPO_CAT_RETRY };

struct dispo_info {
  enum dispo d;
  const char *code;     /* stable, stored: "noanswer" */
  const char *label;    /* Swedish, for the coordinator */
  char key;             /* keyboard shortcut on the outcome screen, or 0 */
  enum dispo_cat cat;   /* RETRY: not final by itself */
  int retry_min;        /* minutes until the next attempt (RETRY), 0 */
  int reached;          /* someone was spoken to */
};

/* Table entry for d; NULL for DISPO_NONE or out of range. */
const struct dispo_info *dispo_info(enum dispo d);
/* Code -> disposition; DISPO_NONE when unknown. */
enum dispo dispo_from_code(const char *code);
/* Shortcut key -> disposition; DISPO_NONE when none. */
enum dispo dispo_from_key(char key);

/* The outcome of one attempt, applied to an entry that has had `attempts`
 * attempts before this one (max_attempts >= 1).  Returns the entry's final
 * disposition (DISPO_NONE while it stays open) and sets *next_at to when to
 * call again (0 when final).  callback_at is the agreed time for
 * DISPO_CALLBACK (must be > now, else PR_EINVAL via dispo_check_callback).
 * no answer/busy/voicemail on the last allowed attempt become
 * DISPO_NOTREACHED.  A call-back is not limited by max_attempts: it was
 * agreed with the person. */
enum dispo dispo_apply(enum dispo d, int attempts, int max_attempts,
                       time_t now, time_t callback_at, time_t *next_at);

/* Weekly statistics of one unit. */
struct dispo_week {
  char week[9];         /* "2026-W48" */
  char unit[40];
  long entries;         /* entries added (imported or typed) that week */
  long attempts;        /* calls made */
  long outcome[DISPO_COUNT];  /* final outcomes that week, by disposition */
  long sip_offered, sip_accepted;
};

long dispo_week_reached(const struct dispo_week *w);
long dispo_week_completed(const struct dispo_week *w);
/* RR1 and COOP1 as fractions 0..1; -1 when the denominator is 0. */
double dispo_week_rr1(const struct dispo_week *w);
double dispo_week_coop1(const struct dispo_week *w);

#endif
