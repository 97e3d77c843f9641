/* samvout.h — the collaboration follow-up's compilation as HTML (a
 * diverging stacked bar per question as inline SVG, print layout), CSV,
 * .xlsx (one sheet per meeting type, native charts) and JSON.  It writes
 * what samv_compile published: hidden figures are already gone. */
#ifndef SAMVOUT_H
#define SAMVOUT_H

#include <jansson.h>

#include "dashbuf.h"
#include "samv.h"

/* The CSS of every samverkan page (projector-sized type, @media print). */
extern const char samvout_css[];

/* One <svg> diverging stacked bar of four step counts (n = their sum) with
 * an accessible title; data-steps="a,b,c,d" for tools and tests. */
void samvout_bar(struct dashbuf *b, const long steps[4], long n,
                 const char *label, int small);

/* The compilation body (no <html> head): one <section> per comp. */
void samvout_html(struct dashbuf *b, struct samv_comp *const *comps, int n);

/* CSV (csvout.h conventions) of the comps: one line per question, then the
 * comments. */
void samvout_csv(struct dashbuf *b, struct samv_comp *const *comps, int n);

/* The workbook: one sheet per comp (meeting type) with the figures and a
 * native percent-stacked bar chart, and a sheet that explains them.  *out
 * (len bytes) is the caller's (pr_free).  PR_EIO when the temporary file
 * cannot be written. */
enum pr_rc samvout_xlsx(struct samv_comp *const *comps, int n, char **out,
                        size_t *len, char *err) PR_MUST;

/* JSON of one comp (new reference; NULL on no memory). */
json_t *samvout_json(const struct samv_comp *c);

/* "Stämmer inte alls" ... "Stämmer helt": the step labels of comp's scale
 * (the set's own), falling back to the standard words. */
const char *samvout_step_label(const struct samv_comp *c, int k);

#endif
