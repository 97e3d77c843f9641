/* supp.c — This file contains primary and complementary small-cell
 * suppression for two-way tables with margins (see supp.h).
 *
 * Why cycles: with y(r,c) = x(r,c) * sign(r) * sign(c), where the total row
 * and total column carry sign -1, every published row and column equation
 * becomes "the hidden y at this node sum to a known value" on the bipartite
 * graph rows x columns whose edges are the hidden cells.  A hidden cell is
 * then determined iff its edge is a bridge of that graph.  So we repeat:
 * find a primary cell whose edge is a bridge, and hide the cheapest three
 * further cells that close a 4-cycle through it. */
#include "supp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct grid {
  int rows, cols;       /* interior size; nodes: rows+1 row nodes, cols+1 */
  int w;                /* cols + 1 */
  const long *n;
  unsigned char *mark;
  const unsigned char *fixed;  /* enum supp_fix per cell, or NULL */
  int *queue;           /* BFS scratch, rows + cols + 2 */
  unsigned char *seen;  /* BFS scratch */
  int *tin, *low;       /* bridge search, rows + cols + 2 each */
  unsigned char *bridge;/* per cell: 1 = a hidden cell on no cycle */
  int timer;
};

static int idx(const struct grid *g, int r, int c) { return r * g->w + c; }

/* Are row node r and column node c connected by hidden cells other than
 * the cell (r, c) itself?  Nodes 0..rows are row nodes, rows+1.. columns. */
static int connected_without(struct grid *g, int r0, int c0)
{
  int nr = g->rows + 1, nc = g->cols + 1;
  int head = 0, tail = 0;
  int target = nr + c0;

  memset(g->seen, 0, (size_t)(nr + nc));
  g->queue[tail++] = r0;
  g->seen[r0] = 1;
  while(head < tail) {
    int v = g->queue[head++];
    int k;
    if(v == target)
      return 1;
    if(v < nr) {
      for(k = 0; k < nc; k++) {
        if(v == r0 && k == c0)
          continue;
        if(g->mark[idx(g, v, k)] != SUPP_SHOW && !g->seen[nr + k]) {
          g->seen[nr + k] = 1;
          g->queue[tail++] = nr + k;
        }
      }
    }
    else {
      int c = v - nr;
      for(k = 0; k < nr; k++) {
        if(k == r0 && c == c0)
          continue;
        if(g->mark[idx(g, k, c)] != SUPP_SHOW && !g->seen[k]) {
          g->seen[k] = 1;
          g->queue[tail++] = k;
        }
      }
    }
  }
  return 0;
}

/* Tarjan's bridge search from node v (parent p, -1 at a root): marks in
 * g->bridge every hidden cell whose edge lies on no cycle.  Depth is at
 * most rows + cols + 2 nodes. */
static void find_bridges(struct grid *g, int v, int p)
{
  int nr = g->rows + 1, nc = g->cols + 1, k;
  g->tin[v] = g->low[v] = ++g->timer;
  for(k = 0; k < (v < nr ? nc : nr); k++) {
    int r = v < nr ? v : k, c = v < nr ? k : v - nr;
    int u = v < nr ? nr + k : k;
    if(g->mark[idx(g, r, c)] == SUPP_SHOW || u == p)
      continue;
    if(g->tin[u]) {
      if(g->tin[u] < g->low[v])
        g->low[v] = g->tin[u];
      continue;
    }
    find_bridges(g, u, v);
    if(g->low[u] < g->low[v])
      g->low[v] = g->low[u];
    if(g->low[u] > g->tin[v])
      g->bridge[idx(g, r, c)] = 1;
  }
}

static void all_bridges(struct grid *g)
{
  int nodes = g->rows + g->cols + 2, v;
  memset(g->tin, 0, (size_t)nodes * sizeof(int));
  memset(g->low, 0, (size_t)nodes * sizeof(int));
  memset(g->bridge, 0, (size_t)(g->rows + 1) * (size_t)g->w);
  g->timer = 0;
  for(v = 0; v < nodes; v++)
    if(!g->tin[v])
      find_bridges(g, v, -1);
}

/* Cost of hiding one more cell: its n, with totals made dearer (a hidden
 * region figure hurts every reader) and zeros not free (a hidden zero is
 * easy to guess). */
static long cell_cost(const struct grid *g, int r, int c, int threshold)
{
  long v;
  if(g->mark[idx(g, r, c)] != SUPP_SHOW)
    return 0;
  if(g->fixed && g->fixed[idx(g, r, c)] == SUPP_FIX_SHOWN)
    return -1;                          /* may not be hidden */
  v = g->n[idx(g, r, c)];
  if(v == 0)
    v = threshold;
  if(r == g->rows || c == g->cols)
    v = v * 4 + 1000;
  return v;
}

/* Hide three more cells so (r, c) lies on the 4-cycle (r,c) (r,c2)
 * (r2,c2) (r2,c).  Returns 0, or -1 when no such cycle avoids the cells
 * fixed as shown (without fixed cells it always exists: the total row and
 * column are there). */
static int close_cycle(struct grid *g, int r, int c, int threshold)
{
  long best = LONG_MAX;
  int br = -1, bc = -1;
  int r2, c2;

  for(r2 = 0; r2 <= g->rows; r2++) {
    if(r2 == r)
      continue;
    for(c2 = 0; c2 <= g->cols; c2++) {
      long cost;
      long k1, k2, k3;
      if(c2 == c)
        continue;
      k1 = cell_cost(g, r, c2, threshold);
      k2 = cell_cost(g, r2, c, threshold);
      k3 = cell_cost(g, r2, c2, threshold);
      if(k1 < 0 || k2 < 0 || k3 < 0)
        continue;
      cost = k1 + k2 + k3;
      if(cost < best) {
        best = cost;
        br = r2;
        bc = c2;
      }
    }
  }
  if(br < 0)
    return -1;
  if(g->mark[idx(g, r, bc)] == SUPP_SHOW)
    g->mark[idx(g, r, bc)] = SUPP_COMPLEMENT;
  if(g->mark[idx(g, br, c)] == SUPP_SHOW)
    g->mark[idx(g, br, c)] = SUPP_COMPLEMENT;
  if(g->mark[idx(g, br, bc)] == SUPP_SHOW)
    g->mark[idx(g, br, bc)] = SUPP_COMPLEMENT;
  return 0;
}

static int check_sums(int rows, int cols, const long *n)
{
  int w = cols + 1, r, c;
  for(r = 0; r <= rows; r++) {
    long s = 0;
    for(c = 0; c < cols; c++)
      s += n[r * w + c];
    if(s != n[r * w + cols])
      return -1;
  }
  for(c = 0; c <= cols; c++) {
    long s = 0;
    for(r = 0; r < rows; r++)
      s += n[r * w + c];
    if(s != n[rows * w + c])
      return -1;
  }
  return 0;
}

enum pr_rc supp_apply(int rows, int cols, const long *n, int threshold,
                      unsigned char *mark, char *err)
{
  return supp_apply_forced(rows, cols, n, NULL, threshold, mark, err);
}

enum pr_rc supp_apply_forced(int rows, int cols, const long *n,
                             const unsigned char *force, int threshold,
                             unsigned char *mark, char *err)
{
  return supp_apply_fixed(rows, cols, n, force, NULL, threshold, mark, err);
}

enum pr_rc supp_apply_fixed(int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            unsigned char *mark, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct grid g;
  int total, i, changed, guard = 0;

  memset(&g, 0, sizeof(g));
  if(rows < 1 || cols < 1 || threshold < 1) {
    pr_seterr(err, "suppression: empty table or threshold below 1");
    return PR_EINVAL;
  }
  if(check_sums(rows, cols, n) != 0) {
    pr_seterr(err, "suppression: totals are not the sums of their lines");
    return PR_EINVAL;
  }
  g.rows = rows;
  g.cols = cols;
  g.w = cols + 1;
  g.n = n;
  g.mark = mark;
  g.fixed = fixed;
  total = (rows + 1) * (cols + 1);
  g.queue = pr_calloc((size_t)(rows + cols + 2), sizeof(int));
  g.seen = pr_calloc((size_t)(rows + cols + 2), 1);
  g.tin = pr_calloc((size_t)(rows + cols + 2), sizeof(int));
  g.low = pr_calloc((size_t)(rows + cols + 2), sizeof(int));
  g.bridge = pr_calloc((size_t)total, 1);
  if(!g.queue || !g.seen || !g.tin || !g.low || !g.bridge)
    goto out;
  for(i = 0; i < total; i++) {
    mark[i] = ((n[i] > 0 && n[i] < threshold) || (force && force[i]))
                ? SUPP_PRIMARY : SUPP_SHOW;
    /* Not published anywhere: hidden, and free to close cycles with. */
    if(mark[i] == SUPP_SHOW && fixed && fixed[i] == SUPP_FIX_HIDDEN)
      mark[i] = SUPP_COMPLEMENT;
  }

  /* Each pass closes a cycle through every exposed primary it meets; a
   * closed cycle only adds hidden cells, so a primary once protected stays
   * protected, and each pass that changes something hides at least one
   * more cell: it ends within `total` passes. */
  do {
    int r, c;
    changed = 0;
    /* One linear bridge search picks the candidates; each is checked
     * again just before it is fixed, since closing one cycle may already
     * have protected the next. */
    all_bridges(&g);
    for(r = 0; r <= rows; r++) {
      for(c = 0; c <= cols; c++) {
        if(mark[idx(&g, r, c)] != SUPP_PRIMARY || !g.bridge[idx(&g, r, c)])
          continue;
        if(connected_without(&g, r, c))
          continue;
        if(close_cycle(&g, r, c, threshold) != 0) {
          rc = fixed ? PR_ELIMIT : PR_EINTERNAL;
          pr_seterr(err, "suppression: no 4-cycle through row %d column %d "
                    "avoids the fixed cells", r, c);
          goto out;
        }
        changed = 1;
      }
    }
  } while(changed && ++guard <= total);
  rc = PR_OK;
out:
  pr_free(g.queue);
  pr_free(g.seen);
  pr_free(g.tin);
  pr_free(g.low);
  pr_free(g.bridge);
  return rc;
}

int supp_parse_threshold(const char *s, int *out)
{
  long v;
  if(pr_parse_long(s, 1, 1000, &v) != 0)
    return -1;
  *out = (int)v;
  return 0;
}
