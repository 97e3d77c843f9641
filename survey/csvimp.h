/* csvimp.h — read a CSV file as people export it from a discharge system or
 * save it from Excel: UTF-8 with or without BOM, or Windows-1252 (converted
 * to UTF-8); ';' or ',' separated (detected); CRLF or LF; RFC 4180 quoting
 * with doubled quotes and embedded newlines.  The header row is mapped to
 * the caller's columns by name (several names per column, compared without
 * case, spaces, '_' or '-', and with å/ä/ö folded to a/a/o).  Structural
 * problems of a row are kept per row with its line number; a file that is
 * not CSV at all (binary, HTML, UTF-16, no known header) is refused whole.
 * It knows nothing of what the columns mean. */
#ifndef CSVIMP_H
#define CSVIMP_H

#include <stddef.h>
#include "pr.h"

#define CSVIMP_MAX_BYTES (64L * 1024 * 1024)  /* refuse bigger files */
#define CSVIMP_MAX_FIELD 4096                 /* bytes per field */

/* One wanted column: aliases is a NULL-terminated list of header names. */
struct csvimp_col {
  const char *key;                 /* used in messages ("namn") */
  const char *const *aliases;
  int required;
};

struct csvimp;

/* Parse buf (len bytes, not necessarily NUL-terminated).  name is used in
 * messages.  On success *out is the caller's (csvimp_free) and holds every
 * data row; rows with a structural problem are kept with an error text.
 * PR_EINVAL with err for a file that cannot be read as a call list at all;
 * PR_ELIMIT for a too-big file; *out is NULL on failure. */
enum pr_rc csvimp_parse(const char *name, const char *buf, size_t len,
                        const struct csvimp_col *cols, int ncols,
                        struct csvimp **out, char *err) PR_MUST;
/* The same, reading the file at path (PR_EIO naming the path). */
enum pr_rc csvimp_read_file(const char *path, const struct csvimp_col *cols,
                            int ncols, struct csvimp **out,
                            char *err) PR_MUST;
void csvimp_free(struct csvimp *c);                      /* NULL-safe */

int csvimp_rows(const struct csvimp *c);
/* Physical line (1-based) where data row r starts. */
long csvimp_line(const struct csvimp *c, int r);
/* Field of wanted column col (index into cols) in row r, UTF-8, trimmed of
 * surrounding spaces; "" when the column is absent.  Borrowed until
 * csvimp_free. */
const char *csvimp_field(const struct csvimp *c, int r, int col);
/* Structural error of row r ("has 5 fields, the header has 7"), or NULL. */
const char *csvimp_row_error(const struct csvimp *c, int r);
char csvimp_separator(const struct csvimp *c);           /* ';' or ',' */
const char *csvimp_encoding(const struct csvimp *c); /* "UTF-8", "UTF-8 BOM",
                                                        "Windows-1252" */

#endif
