/* svg.h — server-side SVG line charts of share positive over time: the
 * unit's line with its 95 % confidence band, the region line, the goal line
 * and n under each point.  Self-contained markup (no scripts, no external
 * fonts or links), so it works inside a closed hospital network and prints.
 * It draws what it is given: suppression and maths happen before. */
#ifndef SVG_H
#define SVG_H

#include "dashbuf.h"

/* One point.  shown = 0: no value (no answers, or suppressed: then
 * suppressed = 1 and the n label says so). */
struct svg_point {
  int shown;
  int suppressed;
  double share, lo, hi;   /* 0..1 */
  long n;
};

struct svg_chart {
  const char *title;          /* accessible title, e.g. "Nöjdhet" */
  const char *unit_name;      /* legend: "VC Norra"; NULL: region only */
  const char *region_name;    /* legend: "Regionen" */
  int n;                      /* points */
  const char *const *labels;  /* n short labels under the axis */
  const struct svg_point *unit;    /* n points, may be NULL */
  const struct svg_point *region;  /* n points, may be NULL */
  double goal;                /* 0..1; < 0: no goal line */
  int threshold;              /* suppression threshold, for "<5" labels */
  int width, height;          /* 0: 760 x 320 */
};

/* Append the chart as one <svg> element to b.  PR_EINVAL when n < 1 or a
 * value is outside [0, 1]; otherwise the buffer's status.  Every unit
 * point carries data-period and data-share (percent, one decimal, '.') so
 * tools and tests can read the figures back. */
enum pr_rc svg_line_chart(const struct svg_chart *c, struct dashbuf *b) PR_MUST;

#endif
