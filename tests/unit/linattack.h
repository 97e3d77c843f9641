/* linattack.h — the attacker of the suppression tests: every published
 * figure is a linear equation over unknown atoms (the stored counts rows);
 * a hidden figure is recovered when its vector lies in the span of the
 * published ones.  An incremental row-echelon basis (Gaussian elimination
 * in doubles; coefficients are small integers, so a tolerance of 1e-7 is
 * exact enough) answers "is this vector determined?".  Header-only: shared
 * by test_supp.c and test_indicq.c. */
#ifndef LINATTACK_H
#define LINATTACK_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LINATTACK_EPS 1e-7

struct linattack {
  int n_vars;
  int n_rows;
  double *rows;     /* n_rows x n_vars, each normalised: pivot = 1 */
  int *pivot;       /* column of each row's pivot */
};

static inline int linattack_init(struct linattack *a, int n_vars)
{
  memset(a, 0, sizeof(*a));
  a->n_vars = n_vars;
  a->rows = calloc((size_t)n_vars * (size_t)(n_vars > 0 ? n_vars : 1),
                   sizeof(double));
  a->pivot = calloc((size_t)(n_vars > 0 ? n_vars : 1), sizeof(int));
  return a->rows && a->pivot ? 0 : -1;
}

static inline void linattack_free(struct linattack *a)
{
  free(a->rows);
  free(a->pivot);
  memset(a, 0, sizeof(*a));
}

/* Reduce v (n_vars) against the basis in insertion order; returns the
 * largest remaining |entry|. */
static inline double linattack_reduce(const struct linattack *a, double *v)
{
  double big = 0;
  int i, k;
  for(i = 0; i < a->n_rows; i++) {
    const double *r = a->rows + (size_t)i * (size_t)a->n_vars;
    double f = v[a->pivot[i]];
    if(fabs(f) < LINATTACK_EPS)
      continue;
    for(k = 0; k < a->n_vars; k++)
      v[k] -= f * r[k];
  }
  for(k = 0; k < a->n_vars; k++)
    if(fabs(v[k]) > big)
      big = fabs(v[k]);
  return big;
}

/* Add the equation with coefficients coef (n_vars; copied).  1 when it
 * added information, 0 when it was already implied. */
static inline int linattack_add(struct linattack *a, const double *coef)
{
  double *v = a->rows + (size_t)a->n_rows * (size_t)a->n_vars;
  int k, p = -1;
  if(a->n_rows >= a->n_vars)
    return 0;
  memcpy(v, coef, (size_t)a->n_vars * sizeof(double));
  if(linattack_reduce(a, v) < LINATTACK_EPS)
    return 0;
  for(k = 0; k < a->n_vars; k++)
    if(p < 0 || fabs(v[k]) > fabs(v[p]))
      p = k;
  {
    double f = v[p];
    for(k = 0; k < a->n_vars; k++)
      v[k] /= f;
  }
  a->pivot[a->n_rows++] = p;
  return 1;
}

/* 1 when the vector target (n_vars) is determined by the equations added. */
static inline int linattack_determined(const struct linattack *a,
                                       const double *target)
{
  double *v = malloc((size_t)a->n_vars * sizeof(double));
  int det;
  if(!v)
    abort();
  memcpy(v, target, (size_t)a->n_vars * sizeof(double));
  det = linattack_reduce(a, v) < LINATTACK_EPS;
  free(v);
  return det;
}

#endif
