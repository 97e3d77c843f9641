/* osk.h — the on-screen keyboard as data: a Swedish layout (with å ä ö and
 * a shift key) and an Arabic layout, each rows of keys with a relative
 * width, and what pressing a key does to a UTF-8 text buffer.  The keys
 * keep the order of a physical keyboard in both layouts (an Arabic
 * keyboard is not mirrored).  No drawing: layout.h places the keys. */
#ifndef OSK_H
#define OSK_H

#include <stddef.h>

#define OSK_MAX_ROWS 5
#define OSK_MAX_KEYS 13

enum osk_act { OSK_CHAR = 0, OSK_SHIFT, OSK_BACKSPACE, OSK_SPACE };

struct osk_key {
  const char *text;      /* inserted (UTF-8); also the label */
  const char *shifted;   /* with shift on; NULL = same as text */
  enum osk_act act;
  int width;             /* in quarter keys: 4 = one ordinary key */
};

struct osk_layout {
  const char *name;      /* "sv", "ar" */
  int n_rows;
  int n_keys[OSK_MAX_ROWS];
  struct osk_key keys[OSK_MAX_ROWS][OSK_MAX_KEYS];
};

/* The layout for a language: Arabic for "ar", else Swedish. */
const struct osk_layout *osk_for_lang(const char *lang);

/* Key number k (counting row by row from 0) of l, or NULL. */
const struct osk_key *osk_key_at(const struct osk_layout *l, int k);
int osk_n_keys(const struct osk_layout *l);

/* Apply key k to the NUL-terminated text in buf (cap bytes): insert its
 * text (shifted when *shift), delete the last character (a whole UTF-8
 * sequence), a space, or toggle *shift.  Shift turns itself off after one
 * letter.  Returns 1 when the text changed, 0 when not, -1 when the text
 * would not fit (buf unchanged). */
int osk_press(const struct osk_layout *l, int k, char *buf, size_t cap,
              int *shift);

#endif
