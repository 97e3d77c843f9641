/* supp.c — This file contains primary and complementary small-cell
 * suppression for two-way tables with margins (see supp.h).
 *
 * Why cycles: with y(r,c) = x(r,c) * sign(r) * sign(c), where the total row
 * and total column carry sign -1, every published row and column equation
 * becomes "the hidden y at this node sum to a known value" on the bipartite
 * graph rows x columns whose edges are the hidden cells.  A hidden cell is
 * then determined iff its edge is a bridge of that graph.
 *
 * Why shortest paths: a primary (r, c) that is a bridge needs a cycle, i.e.
 * a path from row node r to column node c over other cells.  Weighting each
 * cell by what hiding it costs (0 once hidden) makes the cheapest such path
 * the cheapest set of complements that protects it given what is hidden
 * already (the network formulation tau-ARGUS uses for 2-D tables).  Doing
 * primaries one after another is greedy, so a last pass shows again every
 * complement whose removal leaves every primary on a cycle. */
#include "supp.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct grid {
  int rows, cols;       /* interior size; nodes: rows+1 row nodes, cols+1 */
  int w;                /* cols + 1 */
  int nr, nc;           /* row nodes (rows + 1), column nodes (cols + 1) */
  const long *n;
  unsigned char *mark;
  const unsigned char *fixed;  /* enum supp_fix per cell, or NULL */
  long long *cost;      /* per cell: cost of hiding it, -1 = may not */
  long *nz;             /* cells above 0 per line (count_lines) */
  int *tin, *low;       /* bridge search, nodes each */
  unsigned char *bridge;/* per cell: 1 = a hidden cell on no cycle */
  int timer;
  /* shortest path scratch, nodes each, and a heap of cells + nodes */
  long long *dist;
  int *prev;
  unsigned char *done;
  long long *hkey;
  int *hval;
  int hlen, hcap;
};

static int idx(const struct grid *g, int r, int c) { return r * g->w + c; }

/* Tarjan's bridge search from node v (parent p, -1 at a root): marks in
 * g->bridge every hidden cell whose edge lies on no cycle.  Depth is at
 * most rows + cols + 2 nodes. */
static void find_bridges(struct grid *g, int v, int p)
{
  int nr = g->nr, nc = g->nc, k;
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
  int nodes = g->nr + g->nc, v;
  memset(g->tin, 0, (size_t)nodes * sizeof(int));
  memset(g->low, 0, (size_t)nodes * sizeof(int));
  memset(g->bridge, 0, (size_t)g->nr * (size_t)g->w);
  g->timer = 0;
  for(v = 0; v < nodes; v++)
    if(!g->tin[v])
      find_bridges(g, v, -1);
}

/* 1 when every primary lies on a cycle of hidden cells. */
static int all_protected(struct grid *g)
{
  int i, total = g->nr * g->w;
  all_bridges(g);
  for(i = 0; i < total; i++)
    if(g->mark[i] == SUPP_PRIMARY && g->bridge[i])
      return 0;
  return 1;
}

/* ---- cost ----------------------------------------------------------------- */

/* Cells above 0 per line, into nz (rows + cols + 2): row r at nz[r] (the
 * whole table at nz[rows]), column c at nz[rows + 1 + c]. */
static void count_lines(int rows, int cols, const long *n, long *nz)
{
  int w = cols + 1, r, c;
  memset(nz, 0, (size_t)(rows + cols + 2) * sizeof(long));
  for(r = 0; r < rows; r++)
    for(c = 0; c < cols; c++)
      if(n[r * w + c] > 0) {
        nz[r]++;
        nz[rows + 1 + c]++;
        nz[rows]++;
      }
}

/* The measure a cost counts for element (r, c), and the one that breaks
 * its ties.  The cells of an element: 1 for an interior cell, the cells
 * above 0 it sums for a margin (at least 1).  A hidden zero is counted as
 * the threshold (easy to guess, so it protects little). */
static void measures(int rows, int cols, const long *n, const long *nz,
                     int threshold, enum supp_cost cost, int r, int c,
                     long *main_m, long *tie_m)
{
  long v = n[r * (cols + 1) + c], k = 1;
  if(r == rows)
    k = nz[c < cols ? rows + 1 + c : rows];
  else if(c == cols)
    k = nz[r];
  if(k < 1)
    k = 1;
  if(v <= 0)
    v = threshold;
  *main_m = cost == SUPP_COST_CELLS ? k : v;
  *tie_m = cost == SUPP_COST_CELLS ? v : k;
}

/* g->cost for every cell: main * scale + tie, scale above any sum of ties
 * so the main measure always wins; when that could overflow the ties are
 * dropped (scale 1 and main only). */
static void fill_costs(struct grid *g, const long *nz, int threshold,
                       enum supp_cost cost)
{
  int total = g->nr * g->w, r, c;
  long long tie_sum = 0, main_max = 0, scale;
  for(r = 0; r < g->nr; r++)
    for(c = 0; c < g->nc; c++) {
      long m, t;
      measures(g->rows, g->cols, g->n, nz, threshold, cost, r, c, &m, &t);
      tie_sum += t;
      if(m > main_max)
        main_max = m;
    }
  scale = tie_sum + 1;
  if(main_max > LLONG_MAX / 4 / scale / (total + 1))
    scale = 0;
  for(r = 0; r < g->nr; r++)
    for(c = 0; c < g->nc; c++) {
      int i = idx(g, r, c);
      long m, t;
      if(g->fixed && g->fixed[i] == SUPP_FIX_SHOWN) {
        g->cost[i] = -1;
        continue;
      }
      measures(g->rows, g->cols, g->n, nz, threshold, cost, r, c, &m, &t);
      g->cost[i] = scale ? (long long)m * scale + t : (long long)m;
    }
}

long long supp_loss(int rows, int cols, const long *n,
                    const unsigned char *fixed, int threshold,
                    enum supp_cost cost, const unsigned char *mark)
{
  int r, c, w = cols + 1;
  long long sum = 0;
  long *nz = pr_calloc((size_t)(rows + cols + 2), sizeof(long));
  if(!nz)
    return -1;
  count_lines(rows, cols, n, nz);
  for(r = 0; r <= rows; r++)
    for(c = 0; c <= cols; c++) {
      long m, t;
      int i = r * w + c;
      if(mark[i] != SUPP_COMPLEMENT ||
         (fixed && fixed[i] == SUPP_FIX_HIDDEN))
        continue;
      measures(rows, cols, n, nz, threshold, cost, r, c, &m, &t);
      sum += m;
    }
  pr_free(nz);
  return sum;
}

/* ---- cheapest cycle ------------------------------------------------------ */

static int heap_less(const struct grid *g, int a, int b)
{
  return g->hkey[a] < g->hkey[b] ||
         (g->hkey[a] == g->hkey[b] && g->hval[a] < g->hval[b]);
}

static void heap_swap(struct grid *g, int a, int b)
{
  long long k = g->hkey[a];
  int v = g->hval[a];
  g->hkey[a] = g->hkey[b];
  g->hval[a] = g->hval[b];
  g->hkey[b] = k;
  g->hval[b] = v;
}

static void heap_push(struct grid *g, long long key, int v)
{
  int i = g->hlen++;
  g->hkey[i] = key;
  g->hval[i] = v;
  while(i > 0 && heap_less(g, i, (i - 1) / 2)) {
    heap_swap(g, i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
}

static void heap_pop(struct grid *g)
{
  int i = 0;
  g->hlen--;
  g->hkey[0] = g->hkey[g->hlen];
  g->hval[0] = g->hval[g->hlen];
  for(;;) {
    int l = 2 * i + 1, m = i;
    if(l < g->hlen && heap_less(g, l, m))
      m = l;
    if(l + 1 < g->hlen && heap_less(g, l + 1, m))
      m = l + 1;
    if(m == i)
      break;
    heap_swap(g, i, m);
    i = m;
  }
}

/* Weight of the edge of cell (r, c): 0 when hidden, -1 when it may not be
 * hidden. */
static long long edge_cost(const struct grid *g, int r, int c)
{
  int i = idx(g, r, c);
  return g->mark[i] != SUPP_SHOW ? 0 : g->cost[i];
}

/* Dijkstra from row node r0 to column node c0 without the cell (r0, c0).
 * Returns the cost of the cheapest path (0: (r0, c0) already lies on a
 * hidden cycle), or -1 when there is none; g->prev holds the path.  Ties
 * go to the lower node number, so the result is deterministic. */
static long long cheapest_path(struct grid *g, int r0, int c0)
{
  int nr = g->nr, nodes = g->nr + g->nc, target = nr + c0, v;

  for(v = 0; v < nodes; v++) {
    g->dist[v] = -1;
    g->prev[v] = -1;
    g->done[v] = 0;
  }
  g->hlen = 0;
  g->dist[r0] = 0;
  heap_push(g, 0, r0);
  while(g->hlen > 0) {
    long long d = g->hkey[0];
    int k, other;
    v = g->hval[0];
    heap_pop(g);
    if(g->done[v])
      continue;
    g->done[v] = 1;
    if(v == target)
      return d;
    other = v < nr ? g->nc : nr;
    for(k = 0; k < other; k++) {
      int r = v < nr ? v : k, c = v < nr ? k : v - nr;
      int u = v < nr ? nr + k : k;
      long long e;
      if(g->done[u] || (r == r0 && c == c0))
        continue;
      e = edge_cost(g, r, c);
      if(e < 0)
        continue;
      if(g->dist[u] < 0 || d + e < g->dist[u]) {
        g->dist[u] = d + e;
        g->prev[u] = v;
        /* Each cell pushes once at most (from its first settled end):
         * hcap = cells + nodes always suffices. */
        assert(g->hlen < g->hcap);
        heap_push(g, d + e, u);
      }
    }
  }
  return -1;
}

/* Hide the cells of the path cheapest_path left to column node c0. */
static void hide_path(struct grid *g, int c0)
{
  int v = g->nr + c0;
  while(g->prev[v] >= 0) {
    int u = g->prev[v];
    int r = v < g->nr ? v : u, c = v < g->nr ? u - g->nr : v - g->nr;
    int i = idx(g, r, c);
    if(g->mark[i] == SUPP_SHOW)
      g->mark[i] = SUPP_COMPLEMENT;
    v = u;
  }
}

/* ---- setup ----------------------------------------------------------------- */

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

static void grid_free(struct grid *g)
{
  pr_free(g->cost);
  pr_free(g->nz);
  pr_free(g->tin);
  pr_free(g->low);
  pr_free(g->bridge);
  pr_free(g->dist);
  pr_free(g->prev);
  pr_free(g->done);
  pr_free(g->hkey);
  pr_free(g->hval);
  memset(g, 0, sizeof(*g));
}

/* Check the input, allocate the scratch and set the primaries; mark gets
 * the starting pattern. */
static enum pr_rc grid_init(struct grid *g, int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            enum supp_cost cost, unsigned char *mark,
                            char *err)
{
  size_t total, nodes;
  int i;

  memset(g, 0, sizeof(*g));
  if(rows < 1 || cols < 1 || threshold < 1 ||
     (cost != SUPP_COST_N && cost != SUPP_COST_CELLS)) {
    pr_seterr(err, "suppression: empty table, threshold below 1 or an "
              "unknown cost");
    return PR_EINVAL;
  }
  if(check_sums(rows, cols, n) != 0) {
    pr_seterr(err, "suppression: totals are not the sums of their lines");
    return PR_EINVAL;
  }
  g->rows = rows;
  g->cols = cols;
  g->w = cols + 1;
  g->nr = rows + 1;
  g->nc = cols + 1;
  g->n = n;
  g->mark = mark;
  g->fixed = fixed;
  total = (size_t)g->nr * (size_t)g->nc;
  nodes = (size_t)(g->nr + g->nc);
  g->hcap = (int)(total + nodes);
  g->cost = pr_calloc(total, sizeof(long long));
  g->nz = pr_calloc(nodes, sizeof(long));
  g->tin = pr_calloc(nodes, sizeof(int));
  g->low = pr_calloc(nodes, sizeof(int));
  g->bridge = pr_calloc(total, 1);
  g->dist = pr_calloc(nodes, sizeof(long long));
  g->prev = pr_calloc(nodes, sizeof(int));
  g->done = pr_calloc(nodes, 1);
  g->hkey = pr_calloc((size_t)g->hcap, sizeof(long long));
  g->hval = pr_calloc((size_t)g->hcap, sizeof(int));
  if(!g->cost || !g->nz || !g->tin || !g->low || !g->bridge || !g->dist ||
     !g->prev || !g->done || !g->hkey || !g->hval) {
    grid_free(g);
    pr_seterr(err, "suppression: out of memory");
    return PR_ENOMEM;
  }
  for(i = 0; i < (int)total; i++) {
    mark[i] = ((n[i] > 0 && n[i] < threshold) || (force && force[i]))
                ? SUPP_PRIMARY : SUPP_SHOW;
    /* Not published anywhere: hidden, and free to close cycles with. */
    if(mark[i] == SUPP_SHOW && fixed && fixed[i] == SUPP_FIX_HIDDEN)
      mark[i] = SUPP_COMPLEMENT;
  }
  count_lines(rows, cols, n, g->nz);
  fill_costs(g, g->nz, threshold, cost);
  return PR_OK;
}

/* ---- the heuristic --------------------------------------------------------- */

struct keyed {
  long long key;
  int i;
};

/* Key descending, then index ascending. */
static int cmp_keyed(const void *a, const void *b)
{
  const struct keyed *x = a, *y = b;
  if(x->key != y->key)
    return x->key > y->key ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

/* Sort the cells v[0..len) by n (by_cost 0) or by cost, largest first. */
static void sort_cells(const struct grid *g, int *v, struct keyed *tmp,
                       int len, int by_cost)
{
  int k;
  for(k = 0; k < len; k++) {
    tmp[k].i = v[k];
    tmp[k].key = by_cost ? g->cost[v[k]] : (long long)g->n[v[k]];
  }
  qsort(tmp, (size_t)len, sizeof(*tmp), cmp_keyed);
  for(k = 0; k < len; k++)
    v[k] = tmp[k].i;
}

/* Protect every primary, then drop the complements nobody needs.  -1 when
 * some primary has no cycle avoiding the cells fixed as shown (*bad = it). */
static int heuristic(struct grid *g, int *bad)
{
  int total = g->nr * g->w, i, k, len = 0;
  int *list = pr_calloc((size_t)total, sizeof(int));
  struct keyed *tmp = pr_calloc((size_t)total, sizeof(*tmp));

  if(!list || !tmp) {
    pr_free(list);
    pr_free(tmp);
    return -2;
  }
  all_bridges(g);
  for(i = 0; i < total; i++)
    if(g->mark[i] == SUPP_PRIMARY && g->bridge[i])
      list[len++] = i;
  /* Largest first: a large primary's cycle tends to run through cheap
   * cells that the small ones can then share. */
  sort_cells(g, list, tmp, len, 0);
  for(k = 0; k < len; k++) {
    long long d = cheapest_path(g, list[k] / g->w, list[k] % g->w);
    if(d < 0) {
      *bad = list[k];
      pr_free(list);
      pr_free(tmp);
      return -1;
    }
    if(d > 0)
      hide_path(g, list[k] % g->w);
  }
  /* Hiding only adds cycles, so every primary is now protected.  Show
   * again what is no longer needed, dearest first. */
  len = 0;
  for(i = 0; i < total; i++)
    if(g->mark[i] == SUPP_COMPLEMENT &&
       !(g->fixed && g->fixed[i] == SUPP_FIX_HIDDEN))
      list[len++] = i;
  sort_cells(g, list, tmp, len, 1);
  for(k = 0; k < len; k++) {
    g->mark[list[k]] = SUPP_SHOW;
    if(!all_protected(g))
      g->mark[list[k]] = SUPP_COMPLEMENT;
  }
  pr_free(list);
  pr_free(tmp);
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
  return supp_apply_fixed(rows, cols, n, force, NULL, threshold,
                          SUPP_DEFAULT_COST, mark, err);
}

/* ---- the exact method (small tables) ----------------------------------- */

struct bb {
  struct grid *g;
  long long cur, best;
  unsigned char *best_mark;
  unsigned char *ban;       /* per cell: excluded by an earlier branch */
  int *cand;                /* SUPP_EXACT_MAX_CELLS per depth */
  int *comp;                /* node -> component mark scratch */
  long nodes, max_nodes;
  int over;
};

/* Component of node s in the hidden graph without cell `skip`, into
 * b->comp (1 = in it). */
static void component(struct bb *b, int s, int skip)
{
  struct grid *g = b->g;
  int nodes = g->nr + g->nc, stack[2 * SUPP_EXACT_MAX_CELLS], top = 0;
  memset(b->comp, 0, (size_t)nodes * sizeof(int));
  b->comp[s] = 1;
  stack[top++] = s;
  while(top > 0) {
    int v = stack[--top], k;
    for(k = 0; k < (v < g->nr ? g->nc : g->nr); k++) {
      int r = v < g->nr ? v : k, c = v < g->nr ? k : v - g->nr;
      int u = v < g->nr ? g->nr + k : k;
      int i = idx(g, r, c);
      if(i == skip || g->mark[i] == SUPP_SHOW || b->comp[u])
        continue;
      b->comp[u] = 1;
      stack[top++] = u;
    }
  }
}

/* Cells that may still be hidden across the cut of b->comp into out (by
 * cost, then index); returns how many, *cheapest their least cost. */
static int cut_cells(struct bb *b, int *out, long long *cheapest)
{
  struct grid *g = b->g;
  int r, c, len = 0, i, j;
  *cheapest = -1;
  for(r = 0; r < g->nr; r++)
    for(c = 0; c < g->nc; c++) {
      int k = idx(g, r, c);
      if(b->comp[r] == b->comp[g->nr + c] || g->mark[k] != SUPP_SHOW ||
         g->cost[k] < 0 || b->ban[k])
        continue;
      out[len++] = k;
      if(*cheapest < 0 || g->cost[k] < *cheapest)
        *cheapest = g->cost[k];
    }
  for(i = 1; i < len; i++)              /* insertion sort: len <= 64 */
    for(j = i; j > 0 && (g->cost[out[j]] < g->cost[out[j - 1]] ||
                         (g->cost[out[j]] == g->cost[out[j - 1]] &&
                          out[j] < out[j - 1])); j--) {
      int t = out[j];
      out[j] = out[j - 1];
      out[j - 1] = t;
    }
  return len;
}

static void bb_search(struct bb *b, int depth)
{
  struct grid *g = b->g;
  int total = g->nr * g->w, i, k, len = -1, side;
  int *cand = b->cand + (size_t)depth * SUPP_EXACT_MAX_CELLS;
  int tmp[SUPP_EXACT_MAX_CELLS];
  long long bound = 0;

  if(b->over || ++b->nodes > b->max_nodes) {
    b->over = 1;
    return;
  }
  all_bridges(g);
  /* Branch on the narrowest cut any unprotected primary alone crosses; the
   * dearest of the cheapest ways across bounds what is still to pay. */
  for(i = 0; i < total; i++) {
    if(g->mark[i] != SUPP_PRIMARY || !g->bridge[i])
      continue;
    for(side = 0; side < 2; side++) {
      long long cheapest;
      int l;
      component(b, side == 0 ? i / g->w : g->nr + i % g->w, i);
      l = cut_cells(b, tmp, &cheapest);
      if(l == 0)
        return;                          /* this primary cannot be saved */
      if(cheapest > bound)
        bound = cheapest;
      if(len < 0 || l < len) {
        len = l;
        memcpy(cand, tmp, (size_t)l * sizeof(int));
      }
    }
  }
  if(len < 0) {                          /* every primary protected */
    if(b->cur < b->best) {
      b->best = b->cur;
      memcpy(b->best_mark, g->mark, (size_t)total);
    }
    return;
  }
  if(b->cur + bound >= b->best)
    return;
  for(k = 0; k < len; k++) {
    int c = cand[k];
    if(b->cur + g->cost[c] >= b->best)
      break;                             /* sorted by cost */
    g->mark[c] = SUPP_COMPLEMENT;
    b->cur += g->cost[c];
    bb_search(b, depth + 1);
    b->cur -= g->cost[c];
    g->mark[c] = SUPP_SHOW;
    b->ban[c] = 1;
  }
  for(k = 0; k < len; k++)
    b->ban[cand[k]] = 0;
}

static long long pattern_cost(const struct grid *g)
{
  int total = g->nr * g->w, i;
  long long sum = 0;
  for(i = 0; i < total; i++)
    if(g->mark[i] == SUPP_COMPLEMENT &&
       !(g->fixed && g->fixed[i] == SUPP_FIX_HIDDEN))
      sum += g->cost[i];
  return sum;
}

/* The heuristic's pattern, then (max_nodes > 0) the search for a cheaper
 * one; *over = 1 when the search stopped at max_nodes (mark then holds the
 * cheapest pattern found, protected all the same). */
static enum pr_rc solve(int rows, int cols, const long *n,
                        const unsigned char *force,
                        const unsigned char *fixed, int threshold,
                        enum supp_cost cost, long max_nodes,
                        unsigned char *mark, long *nodes, int *over,
                        char *err)
{
  struct grid g;
  struct bb b;
  enum pr_rc rc;
  unsigned char *start = NULL;
  int total = (rows + 1) * (cols + 1), bad = -1, h;

  *nodes = 0;
  *over = 0;
  if(max_nodes > 0 && total > SUPP_EXACT_MAX_CELLS) {
    pr_seterr(err, "exact suppression: more than %d cells",
              SUPP_EXACT_MAX_CELLS);
    return PR_EINVAL;
  }
  rc = grid_init(&g, rows, cols, n, force, fixed, threshold, cost, mark, err);
  if(rc != PR_OK)
    return rc;
  memset(&b, 0, sizeof(b));
  rc = PR_ENOMEM;
  if(max_nodes > 0) {
    start = pr_malloc((size_t)total);
    b.best_mark = pr_malloc((size_t)total);
    b.ban = pr_calloc((size_t)total, 1);
    b.cand = pr_calloc((size_t)(total + 1) * SUPP_EXACT_MAX_CELLS,
                       sizeof(int));
    b.comp = pr_calloc((size_t)(rows + cols + 2), sizeof(int));
    if(!start || !b.best_mark || !b.ban || !b.cand || !b.comp) {
      pr_seterr(err, "suppression: out of memory");
      goto out;
    }
    memcpy(start, mark, (size_t)total);
  }
  h = heuristic(&g, &bad);
  if(h == -2) {
    pr_seterr(err, "suppression: out of memory");
    goto out;
  }
  if(h < 0) {
    rc = fixed ? PR_ELIMIT : PR_EINTERNAL;
    pr_seterr(err, "suppression: no cycle through row %d column %d "
              "avoids the fixed cells", bad / g.w, bad % g.w);
    goto out;
  }
  rc = PR_OK;
  if(max_nodes <= 0)
    goto out;
  /* The heuristic's pattern is the bound to beat; search from the start. */
  b.g = &g;
  b.best = pattern_cost(&g);
  memcpy(b.best_mark, mark, (size_t)total);
  memcpy(mark, start, (size_t)total);
  b.max_nodes = max_nodes;
  bb_search(&b, 0);
  memcpy(mark, b.best_mark, (size_t)total);
  *nodes = b.nodes;
  *over = b.over;
out:
  pr_free(start);
  pr_free(b.best_mark);
  pr_free(b.ban);
  pr_free(b.cand);
  pr_free(b.comp);
  grid_free(&g);
  return rc;
}

enum pr_rc supp_apply_exact(int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            enum supp_cost cost, long max_nodes,
                            unsigned char *mark, long *nodes, char *err)
{
  long k = 0;
  int over = 0;
  enum pr_rc rc;
  if(nodes)
    *nodes = 0;
  if(rows < 1 || cols < 1 || max_nodes < 1 ||
     (rows + 1) * (cols + 1) > SUPP_EXACT_MAX_CELLS) {
    pr_seterr(err, "exact suppression: more than %d cells, or no search",
              SUPP_EXACT_MAX_CELLS);
    return PR_EINVAL;
  }
  rc = solve(rows, cols, n, force, fixed, threshold, cost, max_nodes, mark,
             &k, &over, err);
  if(nodes)
    *nodes = k;
  if(rc == PR_OK && over) {
    rc = PR_ELIMIT;
    pr_seterr(err, "exact suppression: more than %ld search nodes",
              max_nodes);
  }
  return rc;
}

enum pr_rc supp_apply_heuristic(int rows, int cols, const long *n,
                                const unsigned char *force,
                                const unsigned char *fixed, int threshold,
                                enum supp_cost cost, unsigned char *mark,
                                char *err)
{
  long k;
  int over;
  return solve(rows, cols, n, force, fixed, threshold, cost, 0, mark, &k,
               &over, err);
}

enum pr_rc supp_apply_fixed(int rows, int cols, const long *n,
                            const unsigned char *force,
                            const unsigned char *fixed, int threshold,
                            enum supp_cost cost, unsigned char *mark,
                            char *err)
{
  long k;
  int over;
  /* Small tables (a quarter of a region of up to 14 units) get the
   * optimum, or the cheapest pattern the bounded search reached. */
  long budget = rows >= 1 && cols >= 1 &&
                (rows + 1) * (cols + 1) <= SUPP_EXACT_MAX_CELLS
                    ? SUPP_EXACT_NODES : 0;
  return solve(rows, cols, n, force, fixed, threshold, cost, budget, mark,
               &k, &over, err);
}

/* ---- options -------------------------------------------------------------- */

int supp_parse_threshold(const char *s, int *out)
{
  long v;
  if(pr_parse_long(s, 1, 1000, &v) != 0)
    return -1;
  *out = (int)v;
  return 0;
}

int supp_parse_cost(const char *s, enum supp_cost *out)
{
  if(s && strcmp(s, "n") == 0)
    *out = SUPP_COST_N;
  else if(s && strcmp(s, "cells") == 0)
    *out = SUPP_COST_CELLS;
  else
    return -1;
  return 0;
}

const char *supp_cost_name(enum supp_cost c)
{
  return c == SUPP_COST_CELLS ? "cells" : "n";
}
