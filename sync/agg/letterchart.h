/* letterchart.h — the small trend chart of a letter as a PNG (cairo): 12
 * months of one unit's share positive with its 95 % intervals, the region
 * as a grey line and the goal as a dashed line.  A month not shown (hidden
 * or without answers) is a gap.  It draws what it is given: published
 * cells only (the caller reads them through indicq_cell). */
#ifndef LETTERCHART_H
#define LETTERCHART_H

#include <stddef.h>
#include "indic.h"

struct letterchart_point {
  int shown;
  double share, lo, hi;      /* 0..1 */
};

#define LETTERCHART_WIDTH 360
#define LETTERCHART_HEIGHT 150

/* PNG of n points (n <= 60) into *png (caller's, pr_free).  region may be
 * NULL; labels[0] and labels[n-1] are written under the axis.  PR_EINVAL
 * for n out of range, PR_ENOMEM, PR_EINTERNAL when cairo fails. */
enum pr_rc letterchart_png(const struct letterchart_point *unit,
                           const struct letterchart_point *region, int n,
                           double goal, const char (*labels)[INDIC_LABEL_LEN],
                           unsigned char **png, size_t *len,
                           char *err) PR_MUST;

/* Free cairo's and fontconfig's process-wide caches (the axis labels
 * load fonts once per process).  Call once at the end of a program that
 * drew charts, after every other cairo call; a leak checker then sees
 * nothing left. */
void letterchart_shutdown(void);

#endif
