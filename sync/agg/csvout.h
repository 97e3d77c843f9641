/* csvout.h — CSV for Swedish Excel: UTF-8 with a byte-order mark, ';' as
 * separator, decimal comma, CRLF line ends, RFC 4180 quoting, and text
 * cells that begin with = + - @ tab or CR defused with a leading
 * apostrophe so Excel never runs them as formulas.  It writes cells; what
 * the columns are is the caller's business. */
#ifndef CSVOUT_H
#define CSVOUT_H

#include "dashbuf.h"

#define CSVOUT_BOM "\xEF\xBB\xBF"

struct csvout {
  struct dashbuf *b;   /* borrowed */
  int col;             /* cells written on the current line */
};

/* Start a CSV document in b (writes the BOM). */
void csvout_begin(struct csvout *c, struct dashbuf *b);
/* One text cell: quoted when it holds ; " CR or LF, defused when it starts
 * with a formula character.  NULL is an empty cell. */
void csvout_text(struct csvout *c, const char *s);
/* One number with `decimals` decimals and a decimal comma. */
void csvout_num(struct csvout *c, double v, int decimals);
void csvout_int(struct csvout *c, long v);
void csvout_eol(struct csvout *c);

/* 1 when a text cell starting like s would be read as a formula. */
int csvout_is_dangerous(const char *s);

#endif
