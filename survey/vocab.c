/* vocab.c — This file contains the track and care-type vocabulary
 * declared in vocab.h: one table of accepted spellings and the fold that
 * makes case and å/ä/ö not matter. */
#include "vocab.h"

#include <stddef.h>
#include <string.h>

struct word {
  const char *canon, *label;
  const char *const *spellings;      /* folded: lower-case ASCII */
};

static const char *const rod_w[] = {"rod", "rott", "red", "r", NULL};
static const char *const gul_w[] = {"gul", "gult", "yellow", "y", NULL};
static const char *const gron_w[] = {"gron", "gront", "green", "g", NULL};
static const char *const som_w[] = {"somatisk", "somatik", "somatic", "som",
                                    "s", NULL};
static const char *const psy_w[] = {"psykiatrisk", "psykiatri", "psyk",
                                    "psychiatric", "psychiatry", "p", NULL};

static const struct word tracks[] = {
  {"rod", "röd", rod_w}, {"gul", "gul", gul_w}, {"gron", "grön", gron_w},
  {NULL, NULL, NULL}};
static const struct word cares[] = {
  {"somatisk", "somatisk", som_w}, {"psykiatrisk", "psykiatrisk", psy_w},
  {NULL, NULL, NULL}};

/* Lower-case ASCII copy of s, trimmed, with å ä ö Å Ä Ö folded to a a o.
 * 0 when it does not fit or holds another non-ASCII byte (no accepted
 * spelling has one). */
static int fold(const char *s, char *o, size_t cap)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t k = 0;

  while(*p == ' ' || *p == '\t')
    p++;
  while(*p) {
    char c;
    if(p[0] == 0xC3 && (p[1] == 0xA5 || p[1] == 0xA4 || p[1] == 0x85 ||
                        p[1] == 0x84)) {
      c = 'a';
      p += 2;
    } else if(p[0] == 0xC3 && (p[1] == 0xB6 || p[1] == 0x96)) {
      c = 'o';
      p += 2;
    } else if(*p >= 0x80) {
      return 0;
    } else {
      c = (char)(*p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p);
      p++;
    }
    if(k + 1 >= cap)
      return 0;
    o[k++] = c;
  }
  while(k > 0 && (o[k - 1] == ' ' || o[k - 1] == '\t'))
    k--;
  o[k] = '\0';
  return k > 0;
}

static const char *lookup(const struct word *t, const char *w)
{
  char f[32];
  if(!w || !fold(w, f, sizeof(f)))
    return NULL;
  for(; t->canon; t++)
    for(const char *const *s = t->spellings; *s; s++)
      if(strcmp(f, *s) == 0)
        return t->canon;
  return NULL;
}

static const struct word *exact(const struct word *t, const char *s)
{
  for(; s && t->canon; t++)
    if(strcmp(s, t->canon) == 0)
      return t;
  return NULL;
}

const char *vocab_track(const char *word)
{
  return lookup(tracks, word);
}

const char *vocab_care(const char *word)
{
  return lookup(cares, word);
}

int vocab_is_track(const char *s)
{
  return exact(tracks, s) != NULL;
}

int vocab_is_care(const char *s)
{
  return exact(cares, s) != NULL;
}

const char *vocab_track_label(const char *canon)
{
  const struct word *w = exact(tracks, canon);
  return w ? w->label : canon ? canon : "";
}

const char *vocab_care_label(const char *canon)
{
  const struct word *w = exact(cares, canon);
  return w ? w->label : canon ? canon : "";
}
