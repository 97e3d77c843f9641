/* dispo.c — This file contains the disposition table, the retry rules and
 * the response/cooperation rate arithmetic declared in dispo.h. */
#include "dispo.h"

#include <string.h>

static const struct dispo_info dispo_table[DISPO_COUNT] = {
  [DISPO_COMPLETE]    = {DISPO_COMPLETE, "complete", "Genomförd intervju",
                         'g', DISPO_CAT_I, 0, 1},
  [DISPO_PARTIAL]     = {DISPO_PARTIAL, "partial", "Delvis genomförd",
                         'd', DISPO_CAT_P, 0, 1},
  [DISPO_REFUSED]     = {DISPO_REFUSED, "refused", "Avböjer",
                         'v', DISPO_CAT_R, 0, 1},
  [DISPO_NOANSWER]    = {DISPO_NOANSWER, "noanswer", "Inget svar (nytt "
                         "försök om 3 h)", 'i', DISPO_CAT_RETRY, 180, 0},
  [DISPO_BUSY]        = {DISPO_BUSY, "busy", "Upptaget (nytt försök om "
                         "30 min)", 'u', DISPO_CAT_RETRY, 30, 0},
  [DISPO_VOICEMAIL]   = {DISPO_VOICEMAIL, "voicemail", "Röstbrevlåda (nytt "
                         "försök om 3 h)", 'r', DISPO_CAT_RETRY, 180, 0},
  [DISPO_WRONGNUMBER] = {DISPO_WRONGNUMBER, "wrongnumber", "Fel eller "
                         "avstängt nummer", 'f', DISPO_CAT_NC, 0, 0},
  [DISPO_CALLBACK]    = {DISPO_CALLBACK, "callback", "Ring tillbaka "
                         "(datum och tid)", 't', DISPO_CAT_RETRY, 0, 1},
  [DISPO_DECEASED]    = {DISPO_DECEASED, "deceased", "Ej aktuell: avliden",
                         'a', DISPO_CAT_NE, 0, 0},
  [DISPO_READMITTED]  = {DISPO_READMITTED, "readmitted", "Ej aktuell: "
                         "inlagd igen", 'n', DISPO_CAT_NE, 0, 0},
  [DISPO_LANGUAGE]    = {DISPO_LANGUAGE, "language", "Ej aktuell: språk",
                         's', DISPO_CAT_NE, 0, 1},
  [DISPO_UNABLE]      = {DISPO_UNABLE, "unable", "Ej aktuell: kan inte "
                         "svara", 'k', DISPO_CAT_NE, 0, 1},
  [DISPO_NOTREACHED]  = {DISPO_NOTREACHED, "notreached", "Ej nådd",
                         0, DISPO_CAT_NC, 0, 0},
};

const struct dispo_info *dispo_info(enum dispo d)
{
  if((int)d <= DISPO_NONE || d >= DISPO_COUNT)
    return NULL;
  return &dispo_table[d];
}

enum dispo dispo_from_code(const char *code)
{
  if(!code)
    return DISPO_NONE;
  for(int d = 1; d < DISPO_COUNT; d++)
    if(strcmp(dispo_table[d].code, code) == 0)
      return (enum dispo)d;
  return DISPO_NONE;
}

enum dispo dispo_from_key(char key)
{
  if(!key)
    return DISPO_NONE;
  for(int d = 1; d < DISPO_COUNT; d++)
    if(dispo_table[d].key == key)
      return (enum dispo)d;
  return DISPO_NONE;
}

enum dispo dispo_apply(enum dispo d, int attempts, int max_attempts,
                       time_t now, time_t callback_at, time_t *next_at)
{
  const struct dispo_info *in = dispo_info(d);
  *next_at = 0;
  if(!in)
    return DISPO_NONE;
  if(d == DISPO_CALLBACK) {
    *next_at = callback_at > now ? callback_at : now;
    return DISPO_NONE;
  }
  if(in->cat != DISPO_CAT_RETRY)
    return d;
  /* this attempt is number attempts + 1 */
  if(attempts + 1 >= max_attempts)
    return DISPO_NOTREACHED;
  *next_at = now + (time_t)in->retry_min * 60;
  return DISPO_NONE;
}

long dispo_week_reached(const struct dispo_week *w)
{
  long n = 0;
  for(int d = 1; d < DISPO_COUNT; d++)
    if(dispo_table[d].reached && dispo_table[d].cat != DISPO_CAT_RETRY)
      n += w->outcome[d];
  return n;
}

long dispo_week_completed(const struct dispo_week *w)
{
  return w->outcome[DISPO_COMPLETE];
}

static long cat_sum(const struct dispo_week *w, enum dispo_cat cat)
{
  long n = 0;
  for(int d = 1; d < DISPO_COUNT; d++)
    if(dispo_table[d].cat == cat)
      n += w->outcome[d];
  return n;
}

double dispo_week_rr1(const struct dispo_week *w)
{
  long i = cat_sum(w, DISPO_CAT_I), p = cat_sum(w, DISPO_CAT_P);
  long r = cat_sum(w, DISPO_CAT_R), nc = cat_sum(w, DISPO_CAT_NC);
  long den = i + p + r + nc;
  return den ? (double)i / (double)den : -1.0;
}

double dispo_week_coop1(const struct dispo_week *w)
{
  long i = cat_sum(w, DISPO_CAT_I), p = cat_sum(w, DISPO_CAT_P);
  long r = cat_sum(w, DISPO_CAT_R);
  long den = i + p + r;
  return den ? (double)i / (double)den : -1.0;
}
