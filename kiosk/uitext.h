/* uitext.h — the kiosk's own words (buttons, "Är du kvar?", thank-you,
 * staff menu) per language, read from assets/kiosk/ui-text.json with
 * jansson.  The question texts themselves come from the question sets;
 * this is only the chrome around them.  Swedish must carry every key;
 * another language may leave keys out and then falls back to English, then
 * Swedish.  It does no drawing and knows nothing of the flow. */
#ifndef UITEXT_H
#define UITEXT_H

#include "pr.h"

enum uitext_key {
  UT_START, UT_CHOOSE_LANG, UT_HIGH_CONTRAST, UT_LARGE_TEXT, UT_AUTO_READ,
  UT_EASY,
  UT_LISTEN, UT_PROGRESS, UT_BACK, UT_SKIP, UT_DONE, UT_TEXT_HINT,
  UT_TEXT_FULL, UT_SPACE, UT_STILL_THERE, UT_STILL_THERE_YES,
  UT_STILL_THERE_NOTE, UT_THANKS, UT_THANKS_NOTE, UT_SAVE_FAILED,
  UT_UNAVAILABLE,
  /* staff (Swedish only is fine) */
  UT_PIN_TITLE, UT_PIN_WRONG, UT_PIN_WAIT, UT_PIN_NONE, UT_CANCEL, UT_OK,
  UT_STAFF_TITLE, UT_STAFF_EXIT, UT_STAFF_SET, UT_STAFF_LANG, UT_STAFF_HC,
  UT_STAFF_LARGE, UT_STAFF_AUTO, UT_STAFF_EASY, UT_STAFF_PHONE, UT_STAFF_SYNC,
  UT_STAFF_SYNC_OFF, UT_STAFF_BACK, UT_ON, UT_OFF,
  UT_N
};

struct uitext;

/* Load and check the file: valid JSON, an object of language objects,
 * known keys only, every key present in "sv", and in every translation the
 * same {placeholders} as in Swedish (in any order).  PR_EINVAL with
 * "FILE: lang.key: problem", PR_EIO when unreadable.  *out is the caller's (uitext_free),
 * NULL on failure. */
enum pr_rc uitext_load(const char *path, struct uitext **out,
                       char *err) PR_MUST;
void uitext_free(struct uitext *u);     /* NULL-safe */

/* The text for key in lang (falling back to en, then sv).  Borrowed, valid
 * until uitext_free; never NULL. */
const char *uitext_get(const struct uitext *u, const char *lang,
                       enum uitext_key key);

/* The JSON name of a key ("start"), for messages and tests. */
const char *uitext_key_name(enum uitext_key key);

/* Copy tmpl into buf replacing "{name}" with val (every occurrence; other
 * braces are left alone).  Always NUL-terminates; returns -1 when cut. */
int uitext_fill(char *buf, size_t cap, const char *tmpl, const char *name,
                const char *val);

#endif
