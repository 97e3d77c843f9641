/* osk.c — This file contains the two keyboard layouts of osk.h and what a
 * key press does to the typed text.  Digits are Western (0-9) in both, so
 * the kiosk's scrubber recognises a personnummer typed on either. */
#include "osk.h"

#include <string.h>

#define K(t, s) {t, s, OSK_CHAR, 4}

static const struct osk_layout osk_sv = {
  "sv", 5, {11, 11, 11, 12, 1},
  {
    {K("1", NULL), K("2", NULL), K("3", NULL), K("4", NULL), K("5", NULL),
     K("6", NULL), K("7", NULL), K("8", NULL), K("9", NULL), K("0", NULL),
     {"⌫", NULL, OSK_BACKSPACE, 6}},
    {K("q", "Q"), K("w", "W"), K("e", "E"), K("r", "R"), K("t", "T"),
     K("y", "Y"), K("u", "U"), K("i", "I"), K("o", "O"), K("p", "P"),
     K("å", "Å")},
    {K("a", "A"), K("s", "S"), K("d", "D"), K("f", "F"), K("g", "G"),
     K("h", "H"), K("j", "J"), K("k", "K"), K("l", "L"), K("ö", "Ö"),
     K("ä", "Ä")},
    {{"⇧", NULL, OSK_SHIFT, 6}, K("z", "Z"), K("x", "X"), K("c", "C"),
     K("v", "V"), K("b", "B"), K("n", "N"), K("m", "M"), K(",", ";"),
     K(".", ":"), K("-", "_"), K("?", "!")},
    {{" ", NULL, OSK_SPACE, 28}},
  },
};

static const struct osk_layout osk_ar = {
  "ar", 5, {11, 12, 11, 10, 7},
  {
    {K("1", NULL), K("2", NULL), K("3", NULL), K("4", NULL), K("5", NULL),
     K("6", NULL), K("7", NULL), K("8", NULL), K("9", NULL), K("0", NULL),
     {"⌫", NULL, OSK_BACKSPACE, 6}},
    {K("ض", NULL), K("ص", NULL), K("ث", NULL), K("ق", NULL), K("ف", NULL),
     K("غ", NULL), K("ع", NULL), K("ه", NULL), K("خ", NULL), K("ح", NULL),
     K("ج", NULL), K("د", NULL)},
    {K("ش", NULL), K("س", NULL), K("ي", NULL), K("ب", NULL), K("ل", NULL),
     K("ا", NULL), K("ت", NULL), K("ن", NULL), K("م", NULL), K("ك", NULL),
     K("ط", NULL)},
    {K("ئ", NULL), K("ء", NULL), K("ؤ", NULL), K("ر", NULL), K("لا", NULL),
     K("ى", NULL), K("ة", NULL), K("و", NULL), K("ز", NULL), K("ظ", NULL)},
    {K("أ", NULL), K("إ", NULL), K("آ", NULL), K("،", NULL), K("؟", NULL),
     K(".", NULL), {" ", NULL, OSK_SPACE, 20}},
  },
};

const struct osk_layout *osk_for_lang(const char *lang)
{
  return (lang && strcmp(lang, "ar") == 0) ? &osk_ar : &osk_sv;
}

int osk_n_keys(const struct osk_layout *l)
{
  int n = 0;
  for(int r = 0; r < l->n_rows; r++)
    n += l->n_keys[r];
  return n;
}

const struct osk_key *osk_key_at(const struct osk_layout *l, int k)
{
  for(int r = 0; r < l->n_rows && k >= 0; r++) {
    if(k < l->n_keys[r])
      return &l->keys[r][k];
    k -= l->n_keys[r];
  }
  return NULL;
}

static int append(char *buf, size_t cap, const char *s)
{
  size_t n = strlen(buf), m = strlen(s);
  if(n + m + 1 > cap)
    return -1;
  memcpy(buf + n, s, m + 1);
  return 1;
}

int osk_press(const struct osk_layout *l, int k, char *buf, size_t cap,
              int *shift)
{
  const struct osk_key *key = osk_key_at(l, k);
  size_t n;
  int rc;
  if(!key)
    return 0;
  switch(key->act) {
  case OSK_SHIFT:
    *shift = !*shift;
    return 0;
  case OSK_BACKSPACE:
    n = strlen(buf);
    if(n == 0)
      return 0;
    do
      n--;
    while(n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80);
    buf[n] = '\0';
    return 1;
  case OSK_SPACE:
    n = strlen(buf);
    if(n == 0 || buf[n - 1] == ' ')
      return 0;           /* no leading or double spaces */
    return append(buf, cap, " ");
  case OSK_CHAR:
  default:
    rc = append(buf, cap, (*shift && key->shifted) ? key->shifted : key->text);
    if(rc > 0)
      *shift = 0;
    return rc;
  }
}
