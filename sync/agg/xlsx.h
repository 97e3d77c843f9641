/* xlsx.h — the Excel export (libxlsxwriter): one sheet per indicator view
 * with the published figures (suppressed cells as text, never a number)
 * and a native line chart of the unit, the region and the goal, plus a
 * sheet that explains the figures.  Numbers are real numbers, so Swedish
 * Excel shows them with its own decimal comma. */
#ifndef XLSX_H
#define XLSX_H

#include <xlsxwriter.h>

#include "indicq.h"

/* Write the workbook to a private temporary file, read it back and remove
 * it.  *out (len bytes) is the caller's (pr_free); NULL on failure.
 * PR_EIO when the file cannot be written. */
enum pr_rc xlsx_export(struct indicq_result *const *res, int n,
                       char **out, size_t *len, char *err) PR_MUST;

/* The same machinery for any workbook: fill(wb, bold, ctx) adds the
 * sheets (bold is a ready bold format); the file is written, read back
 * into *out (len bytes, the caller's, pr_free) and removed. */
typedef void (*xlsx_fill_fn)(lxw_workbook *wb, lxw_format *bold, void *ctx);
enum pr_rc xlsx_build(xlsx_fill_fn fill, void *ctx, char **out, size_t *len,
                      char *err) PR_MUST;

/* Pieces both workbooks (this export and samvout's) are made of. */

/* A series of ch: categories from column cat_col, values from column
 * val_col of sheet, rows first..last, named name (NULL: unnamed).  The
 * series belongs to ch; NULL when libxlsxwriter could not add it. */
lxw_chart_series *xlsx_series(lxw_chart *ch, const char *sheet, int first,
                              int last, int cat_col, int val_col,
                              const char *name);

/* The header row: head[0..n-1] in bold from column 0 of row. */
void xlsx_head_row(lxw_worksheet *ws, int row, const char *const *head,
                   size_t n, lxw_format *bold);

/* The sheet "Om siffrorna" that explains the figures: title in bold on the
 * first row, then line[0..n-1] one a row. */
void xlsx_about(lxw_workbook *wb, lxw_format *bold, const char *title,
                const char *const *line, size_t n);

#endif
