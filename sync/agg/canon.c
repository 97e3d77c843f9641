/* canon.c — This file contains suppression on the canonical calendar grid
 * (canon.h): one supp.h table per quarter for the months, one per month
 * for its weeks, and the rule that decides which coarser sums may be
 * published.
 *
 * Why this is enough: the published figures are the shown months, the
 * shown quarter margins, the shown region months (and the shown weeks);
 * every other figure handed out is a sum of those.  The quarters' tables
 * share no unknown, so each primary cell, lying on a cycle of hidden cells
 * of its own quarter's table, stays undetermined by the equations of all
 * quarters together.  A week table's margins are the month figures
 * minus what was reported by month; a shown month reported only by week
 * is a fixed, known margin, a hidden one is a primary of the week table
 * (its weeks must not add up to it), and a margin nobody knows (responses
 * reported by month in it) is hidden for free. */
#include "canon.h"

#include <string.h>

#include "supp.h"

struct canon {
  int n_quarters, n_months, n_units, threshold;
  enum supp_cost cost;
  int w;                    /* n_units + 1: columns incl. the region */
  long *m;                  /* n_months x w, region last */
  unsigned char *mmark;     /* n_months x w */
  unsigned char *qmark;     /* n_quarters x w */
  int n_weeks;
  unsigned char *wmark;     /* n_weeks x w */
};

void canon_free(struct canon *c)
{
  if(!c)
    return;
  pr_free(c->m);
  pr_free(c->mmark);
  pr_free(c->qmark);
  pr_free(c->wmark);
  pr_free(c);
}

/* Scratch for one supp table of rows x k interior cells (+ margins). */
struct tab {
  int rows, k, tw;          /* tw = k + 1 */
  long *n;
  unsigned char *force, *fixed, *mark;
  int *col;                 /* interior column -> canon column */
};

static void tab_free(struct tab *t)
{
  pr_free(t->n);
  pr_free(t->force);
  pr_free(t->fixed);
  pr_free(t->mark);
  pr_free(t->col);
  memset(t, 0, sizeof(*t));
}

static enum pr_rc tab_alloc(struct tab *t, int rows, int max_k)
{
  size_t cells = (size_t)(rows + 1) * (size_t)(max_k + 1);
  memset(t, 0, sizeof(*t));
  t->n = pr_calloc(cells, sizeof(long));
  t->force = pr_calloc(cells, 1);
  t->fixed = pr_calloc(cells, 1);
  t->mark = pr_calloc(cells, 1);
  t->col = pr_calloc((size_t)(max_k > 0 ? max_k : 1), sizeof(int));
  if(!t->n || !t->force || !t->fixed || !t->mark || !t->col) {
    tab_free(t);
    return PR_ENOMEM;
  }
  t->rows = rows;
  return PR_OK;
}

static void tab_reset(struct tab *t, int k)
{
  size_t cells = (size_t)(t->rows + 1) * (size_t)(k + 1);
  t->k = k;
  t->tw = k + 1;
  memset(t->n, 0, cells * sizeof(long));
  memset(t->force, 0, cells);
  memset(t->fixed, 0, cells);
  memset(t->mark, 0, cells);
}

static int small_rest(long all, long cut, int threshold)
{
  long rest = all - cut;
  return cut > 0 && rest > 0 && rest < threshold;
}

/* Run supp on t.  Zero cells protect nothing (a hidden 0 is easily
 * guessed) so they are never complements; if that leaves no cycle the
 * table is run again with zeros allowed, and only then is it an error. */
static enum pr_rc tab_suppress(struct tab *t, int threshold,
                               enum supp_cost cost, char *err)
{
  size_t cells = (size_t)(t->rows + 1) * (size_t)t->tw, i;
  unsigned char *orig = pr_malloc(cells);
  enum pr_rc rc;

  if(!orig)
    return PR_ENOMEM;
  memcpy(orig, t->fixed, cells);
  for(i = 0; i < cells; i++)
    if(t->n[i] == 0 && t->fixed[i] == SUPP_FIX_NONE)
      t->fixed[i] = SUPP_FIX_SHOWN;
  rc = supp_apply_fixed(t->rows, t->k, t->n, t->force, t->fixed, threshold,
                        cost, t->mark, err);
  if(rc == PR_ELIMIT) {
    memcpy(t->fixed, orig, cells);      /* the caller's own fixes stay */
    rc = supp_apply_fixed(t->rows, t->k, t->n, t->force, t->fixed,
                          threshold, cost, t->mark, err);
  }
  pr_free(orig);
  return rc;
}

enum pr_rc canon_new(int n_quarters, int n_units, const long *cells,
                     const long *all, int threshold, enum supp_cost cost,
                     struct canon **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct canon *c = NULL;
  struct tab t;
  int q, m, u, w;

  *out = NULL;
  memset(&t, 0, sizeof(t));
  if(n_quarters < 1 || n_units < 0 || threshold < 1) {
    pr_seterr(err, "canonical grid: no quarter, or threshold below 1");
    return PR_EINVAL;
  }
  c = pr_calloc(1, sizeof(*c));
  if(!c)
    goto out;
  c->n_quarters = n_quarters;
  c->n_months = 3 * n_quarters;
  c->n_units = n_units;
  c->threshold = threshold;
  c->cost = cost;
  c->w = w = n_units + 1;
  c->m = pr_calloc((size_t)c->n_months * (size_t)w, sizeof(long));
  c->mmark = pr_calloc((size_t)c->n_months * (size_t)w, 1);
  c->qmark = pr_calloc((size_t)n_quarters * (size_t)w, 1);
  if(!c->m || !c->mmark || !c->qmark)
    goto out;
  for(m = 0; m < c->n_months; m++)
    for(u = 0; u < n_units; u++) {
      long v = cells[(size_t)m * (size_t)n_units + (size_t)u];
      c->m[m * w + u] = v;
      c->m[m * w + n_units] += v;
    }
  rc = tab_alloc(&t, 3, n_units);
  if(rc != PR_OK)
    goto out;
  for(q = 0; q < n_quarters; q++) {
    int k = 0, r;
    /* Columns: the units with anything in this quarter, in order.  A unit
     * with nothing is all zeros: shown, never a complement.  Which units
     * a reader's span happens to hold does not enter. */
    for(u = 0; u < n_units; u++)
      for(r = 0; r < 3; r++)
        if(c->m[(3 * q + r) * w + u] != 0) {
          t.col[k++] = u;
          break;
        }
    tab_reset(&t, k);
    for(r = 0; r < 3; r++) {
      int mr = 3 * q + r, i;
      for(i = 0; i < k; i++) {
        long v = c->m[mr * w + t.col[i]];
        t.n[r * t.tw + i] = v;
        t.n[3 * t.tw + i] += v;
        if(all)
          t.force[r * t.tw + i] =
              (unsigned char)small_rest(all[(size_t)mr * (size_t)w + (size_t)t.col[i]],
                                        v, threshold);
      }
      t.n[r * t.tw + k] = c->m[mr * w + n_units];
      t.n[3 * t.tw + k] += c->m[mr * w + n_units];
      if(all)
        t.force[r * t.tw + k] = (unsigned char)small_rest(
            all[(size_t)mr * (size_t)w + (size_t)n_units],
            c->m[mr * w + n_units], threshold);
    }
    if(all) {
      int i;
      for(i = 0; i <= k; i++) {
        long sa = 0;
        int cu = i < k ? t.col[i] : n_units;
        for(r = 0; r < 3; r++)
          sa += all[(size_t)(3 * q + r) * (size_t)w + (size_t)cu];
        t.force[3 * t.tw + i] =
            (unsigned char)small_rest(sa, t.n[3 * t.tw + i], threshold);
      }
    }
    if(k == 0) {
      /* Nothing in this quarter: every figure is 0 and shown. */
      continue;
    }
    rc = tab_suppress(&t, threshold, cost, err);
    if(rc != PR_OK)
      goto out;
    for(r = 0; r <= 3; r++) {
      int i;
      for(i = 0; i <= k; i++) {
        int cu = i < k ? t.col[i] : n_units;
        unsigned char mk = t.mark[r * t.tw + i];
        if(r < 3)
          c->mmark[(3 * q + r) * w + cu] = mk;
        else
          c->qmark[q * w + cu] = mk;
      }
    }
  }
  *out = c;
  c = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory in the suppression grid");
  tab_free(&t);
  canon_free(c);
  return rc;
}

enum pr_rc canon_add_weeks(struct canon *c, int n_weeks, const int *week_month,
                           const long *cells, const long *all, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct tab t;
  long *ws = NULL;            /* week sums per column of one month */
  int w = c->w, nu = c->n_units, first, i, u;

  memset(&t, 0, sizeof(t));
  pr_free(c->wmark);
  c->wmark = NULL;
  c->n_weeks = 0;
  for(i = 1; i < n_weeks; i++)
    if(week_month[i] < week_month[i - 1]) {
      pr_seterr(err, "canonical grid: weeks out of order");
      return PR_EINVAL;
    }
  for(i = 0; i < n_weeks; i++)
    if(week_month[i] < 0 || week_month[i] >= c->n_months) {
      pr_seterr(err, "canonical grid: a week outside the months");
      return PR_EINVAL;
    }
  c->wmark = pr_calloc((size_t)(n_weeks > 0 ? n_weeks : 1) * (size_t)w, 1);
  ws = pr_calloc((size_t)w, sizeof(long));
  if(!c->wmark || !ws)
    goto out;
  c->n_weeks = n_weeks;
  for(first = 0; first < n_weeks;) {
    int mo = week_month[first], last = first, rows, k = 0, r, j;
    while(last + 1 < n_weeks && week_month[last + 1] == mo)
      last++;
    rows = last - first + 1;
    memset(ws, 0, (size_t)w * sizeof(long));
    for(r = first; r <= last; r++)
      for(u = 0; u < nu; u++) {
        ws[u] += cells[(size_t)r * (size_t)nu + (size_t)u];
        ws[nu] += cells[(size_t)r * (size_t)nu + (size_t)u];
      }
    tab_free(&t);
    rc = tab_alloc(&t, rows, nu);
    if(rc != PR_OK)
      goto out;
    /* Columns: units with weeks, or with a month figure (a hidden month
     * whose weeks are all zero is still a hidden margin to cycle through). */
    for(u = 0; u < nu; u++)
      if(ws[u] != 0 || c->m[mo * w + u] != 0)
        t.col[k++] = u;
    tab_reset(&t, k);
    for(j = 0; j <= k; j++) {
      int cu = j < k ? t.col[j] : nu;
      long month = c->m[mo * w + cu], rest = month - ws[cu];
      int shown = c->mmark[mo * w + cu] == SUPP_SHOW;
      for(r = 0; r < rows; r++) {
        long v = 0;
        if(j < k)
          v = cells[(size_t)(first + r) * (size_t)nu + (size_t)cu];
        else
          for(u = 0; u < nu; u++)
            v += cells[(size_t)(first + r) * (size_t)nu + (size_t)u];
        t.n[r * t.tw + j] = v;
        if(all)
          t.force[r * t.tw + j] = (unsigned char)small_rest(
              all[(size_t)(first + r) * (size_t)w + (size_t)cu], v,
              c->threshold);
      }
      t.n[rows * t.tw + j] = ws[cu];
      if(rest != 0)
        t.fixed[rows * t.tw + j] = SUPP_FIX_HIDDEN;   /* nobody knows it */
      else if(shown)
        t.fixed[rows * t.tw + j] = SUPP_FIX_SHOWN;    /* = the month */
      else if(ws[cu] > 0)
        t.force[rows * t.tw + j] = 1;  /* a hidden month: keep it hidden */
    }
    if(k > 0) {
      rc = tab_suppress(&t, c->threshold, c->cost, err);
      if(rc == PR_ELIMIT) {
        /* No cycle without touching a published month: hide every week
         * of this month instead (the months alone carry the figures). */
        for(r = 0; r < rows; r++)
          for(j = 0; j <= k; j++)
            t.mark[r * t.tw + j] = SUPP_COMPLEMENT;
        rc = PR_OK;
      }
      if(rc != PR_OK)
        goto out;
    }
    for(r = 0; r < rows; r++)
      for(j = 0; j <= k; j++) {
        int cu = j < k ? t.col[j] : nu;
        c->wmark[(first + r) * w + cu] = t.mark[r * t.tw + j];
      }
    first = last + 1;
  }
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory in the week grid");
  tab_free(&t);
  pr_free(ws);
  return rc;
}

int canon_month_mark(const struct canon *c, int m, int u)
{
  if(!c || m < 0 || m >= c->n_months || u < 0 || u > c->n_units)
    return SUPP_COMPLEMENT;
  return c->mmark[m * c->w + u];
}

int canon_quarter_mark(const struct canon *c, int q, int u)
{
  if(!c || q < 0 || q >= c->n_quarters || u < 0 || u > c->n_units)
    return SUPP_COMPLEMENT;
  return c->qmark[q * c->w + u];
}

int canon_week_mark(const struct canon *c, int wk, int u)
{
  if(!c || !c->wmark || wk < 0 || wk >= c->n_weeks || u < 0 ||
     u > c->n_units)
    return SUPP_COMPLEMENT;
  return c->wmark[wk * c->w + u];
}

int canon_months_shown(const struct canon *c, int m0, int m1, int u)
{
  int q;
  if(!c || m0 < 0 || m1 >= c->n_months || m0 > m1 || u < 0 ||
     u > c->n_units)
    return 0;
  for(q = m0 / 3; q <= m1 / 3; q++) {
    int a = m0 > 3 * q ? m0 : 3 * q, b = m1 < 3 * q + 2 ? m1 : 3 * q + 2, m;
    if(a == 3 * q && b == 3 * q + 2 && c->qmark[q * c->w + u] == SUPP_SHOW)
      continue;
    for(m = a; m <= b; m++)
      if(c->mmark[m * c->w + u] != SUPP_SHOW)
        return 0;
  }
  return 1;
}

int canon_weeks_shown(const struct canon *c, int w0, int w1, int u)
{
  int k;
  if(!c || !c->wmark || w0 < 0 || w1 >= c->n_weeks || w0 > w1 || u < 0 ||
     u > c->n_units)
    return 0;
  for(k = w0; k <= w1; k++)
    if(c->wmark[k * c->w + u] != SUPP_SHOW)
      return 0;
  return 1;
}
