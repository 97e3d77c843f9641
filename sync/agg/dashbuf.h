/* dashbuf.h — a growable text buffer with a hard size cap and a sticky
 * failure flag, used to build HTML, SVG, CSV and JSON replies.  Appends
 * after a failure do nothing, so callers check once at the end.  It does
 * no formatting policy of its own beyond HTML escaping. */
#ifndef DASHBUF_H
#define DASHBUF_H

#include <stddef.h>
#include "pr.h"

#define DASHBUF_MAX (64u * 1024u * 1024u)   /* no reply grows past 64 MiB */

struct dashbuf {
  char *p;         /* NUL-terminated when len > 0; owned */
  size_t len, cap;
  int failed;      /* 1 after an allocation failure or the cap */
};

void dashbuf_init(struct dashbuf *b);
void dashbuf_free(struct dashbuf *b);              /* NULL-safe; resets */
void dashbuf_add(struct dashbuf *b, const char *s);
void dashbuf_addn(struct dashbuf *b, const char *s, size_t n);
void dashbuf_addf(struct dashbuf *b, const char *fmt, ...) PR_PRINTF(2, 3);
/* s with & < > " ' escaped for HTML text and attribute values. */
void dashbuf_html(struct dashbuf *b, const char *s);
/* s as a JSON string literal with quotes (control chars escaped). */
void dashbuf_json(struct dashbuf *b, const char *s);
/* Fixed-point number with `decimals` (0..6) digits and `sep` as decimal
 * mark (',' for Swedish text, '.' for JSON), rounded half away from zero
 * (71.25 -> "71.3", as a reader and Excel round).  A value that is not
 * finite or beyond 1e12 fails the buffer. */
void dashbuf_num(struct dashbuf *b, double v, int decimals, char sep);
/* PR_OK, or PR_ENOMEM / PR_ELIMIT when an append failed. */
enum pr_rc dashbuf_status(const struct dashbuf *b) PR_MUST;
/* Hand the text to the caller (free with pr_free); the buffer is reset.
 * NULL after a failure (the buffer is then freed). */
char *dashbuf_take(struct dashbuf *b, size_t *len);

#endif
