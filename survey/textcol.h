/* textcol.h — text for a terminal table or a CSV file that a person or a
 * script reads: one line per value (line breaks and other control
 * characters made visible), width counted as the terminal shows it (code
 * points, combining marks 0, wide East Asian 2), padding by that width,
 * and one Excel-safe CSV field.  Pure apart from writing to a FILE. */
#ifndef TEXTCOL_H
#define TEXTCOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length (1-4) of the well-formed UTF-8 character at p, reading at most n
 * bytes (a NUL ends it too), and its code point in *cp (may be NULL); 0
 * for a byte that does not start one (overlongs, surrogates and values
 * past U+10FFFF included). */
size_t textcol_utf8_next(const unsigned char *p, size_t n, uint32_t *cp);

/* Copy s (UTF-8, NULL = "") to out (cap bytes, cap >= 4) for one table
 * cell: each line break (\r\n, \n or \r) becomes " ⏎ ", any other control
 * character a space, a byte that is not valid UTF-8 "?".  Cut at a whole
 * character when out is full. */
void textcol_clean(const char *s, char *out, size_t cap);

/* Columns s takes on a terminal (s UTF-8; clean it first). */
size_t textcol_width(const char *s);

/* Write s, then spaces up to width columns (nothing when s is wider). */
void textcol_pad(FILE *f, const char *s, size_t width);

/* One CSV field for Excel: quoted, quotes doubled, and a leading = + - @
 * tab or CR neutralised so a text can never run as a formula. */
void textcol_csv_field(FILE *f, const char *v);

#endif
