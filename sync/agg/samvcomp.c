/* samvcomp.c — This file contains the collaboration follow-up's
 * compilation (samv_compile in samv.h).  Every figure that leaves is built
 * here from done (locked) meetings only, and protected in one place,
 * protect(): a group below the threshold is hidden, and so is the smallest
 * published group when the county minus the published groups would give
 * away fewer than threshold meetings.  Länsdelar are disjoint, which makes
 * that rule complete (the groups and the units outside any länsdel
 * partition the county). */
#include "samv.h"

#include <stdlib.h>
#include <string.h>

/* ---- compilation ------------------------------------------------------ */

/* Tallies of one year per group: groups 0..ng-1 are the länsdelar, ng the
 * units outside any. */
struct tally {
  long meetings[SAMV_MAX_GROUPS + 1];
  long n[SAMV_MAX_GROUPS + 1][QSET_MAX_QUESTIONS];
  long steps[SAMV_MAX_GROUPS + 1][QSET_MAX_QUESTIONS][4];
  long people[SAMV_MAX_GROUPS + 1][SAMV_N_ROLES][SAMV_N_EMPLOYERS];
};

struct unit_group {
  char unit[40];
  int g;
};

struct cctx {
  const struct qset *set;
  struct unit_group *ug;
  int n_ug, ng;
  const char (*names)[SAMV_NAME_LEN];   /* ng länsdel names */
  int target;           /* group compiled, or -1 for the county */
  struct tally *t;
  /* question id -> question index (this year's ids, or last year's) */
  const char *const *qids;
  struct samv_comp *comp;  /* comments go here (this year only) */
  int failed;
};

static int cmp_ug(const void *a, const void *b)
{
  return strcmp(((const struct unit_group *)a)->unit,
                ((const struct unit_group *)b)->unit);
}

static int group_of(const struct cctx *c, const char *unit)
{
  struct unit_group key, *hit;
  pr_strlcpy(key.unit, unit, sizeof(key.unit));
  hit = c->n_ug ? bsearch(&key, c->ug, (size_t)c->n_ug, sizeof(*c->ug), cmp_ug)
                : NULL;
  return hit ? hit->g : c->ng;
}

static int in_target(const struct cctx *c, int g)
{
  return c->target < 0 || c->target == g;
}

static int ug_row(void *ctx, int ncol, const char *const *v, const int *isnull)
{
  struct cctx *c = ctx;
  (void)ncol;
  (void)isnull;
  if(c->n_ug % 64 == 0) {
    void *nv = pr_realloc(c->ug, (size_t)(c->n_ug + 64) * sizeof(*c->ug));
    if(!nv) {
      c->failed = 1;
      return 1;
    }
    c->ug = nv;
  }
  pr_strlcpy(c->ug[c->n_ug].unit, v[0], sizeof(c->ug[0].unit));
  c->ug[c->n_ug].g = c->ng;
  for(int g = 0; g < c->ng; g++)
    if(strcmp(c->names[g], v[1]) == 0)
      c->ug[c->n_ug].g = g;
  c->n_ug++;
  return 0;
}

static int meeting_count_row(void *ctx, int ncol, const char *const *v,
                             const int *isnull)
{
  struct cctx *c = ctx;
  (void)ncol;
  (void)isnull;
  c->t->meetings[group_of(c, v[0])]++;
  return 0;
}

static int qindex(const struct cctx *c, const char *id)
{
  for(int i = 0; i < c->set->n_questions; i++)
    if(c->qids[i][0] && strcmp(c->qids[i], id) == 0)
      return i;
  return -1;
}

static int add_comment(struct samv_comp *comp, int qi, const char *text)
{
  struct samv_qres *q = &comp->q[qi];
  char **nv = pr_realloc(q->comments, (size_t)(q->n_comments + 1) *
                         sizeof(*nv));
  if(!nv)
    return -1;
  q->comments = nv;
  if(!(q->comments[q->n_comments] = pr_strdup(text)))
    return -1;
  q->n_comments++;
  return 0;
}

static int answer_tally_row(void *ctx, int ncol, const char *const *v,
                            const int *isnull)
{
  struct cctx *c = ctx;
  int g = group_of(c, v[0]);
  int qi = qindex(c, v[1]);
  (void)ncol;
  if(qi < 0)
    return 0;
  if(c->set->questions[qi].type == QSET_TEXT) {
    if(!isnull[3] && v[3][0]) {
      c->t->n[g][qi]++;
      if(c->comp && in_target(c, g) && add_comment(c->comp, qi, v[3]) != 0) {
        c->failed = 1;
        return 1;
      }
    }
    return 0;
  }
  if(!isnull[2]) {
    int k = qset_option_index(qset_question_scale(c->set, qi), v[2]);
    if(k >= 0 && k < 4) {
      c->t->steps[g][qi][k]++;
      c->t->n[g][qi]++;
    }
  }
  if(c->comp && !isnull[3] && v[3][0] && in_target(c, g) &&
     add_comment(c->comp, qi, v[3]) != 0) {
    c->failed = 1;
    return 1;
  }
  return 0;
}

static int people_tally_row(void *ctx, int ncol, const char *const *v,
                            const int *isnull)
{
  struct cctx *c = ctx;
  int g = group_of(c, v[0]);
  (void)ncol;
  (void)isnull;
  for(int r = 0; r < SAMV_N_ROLES; r++)
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
      if(strcmp(v[1], samv_roles[r]) == 0 &&
         strcmp(v[2], samv_employers[e]) == 0)
        c->t->people[g][r][e] += strtol(v[3], NULL, 10);
  return 0;
}

/* Tally the done meetings of set_id (version 0: any) and year. */
static enum pr_rc tally_year(struct aggdb_conn *conn, struct cctx *c,
                             const char *set_id, int version, int year,
                             char *err)
{
  const struct aggdb_param p[] = {AGGDB_TEXT(set_id), AGGDB_INT(year),
                                  AGGDB_INT(version)};
  enum pr_rc rc;
  rc = aggdb_query(conn, "SELECT unit FROM samv_meetings WHERE set_id = $1"
                   " AND year = $2 AND status = 'done'"
                   " AND ($3 = 0 OR set_version = $3)", p, 3,
                   meeting_count_row, c, err);
  if(rc == PR_OK)
    rc = aggdb_query(conn, "SELECT a.unit, a.question, a.option, a.comment"
                     " FROM samv_answers a JOIN samv_meetings m"
                     " ON m.unit = a.unit AND m.set_id = a.set_id"
                     " AND m.year = a.year WHERE m.set_id = $1"
                     " AND m.year = $2 AND m.status = 'done'"
                     " AND ($3 = 0 OR m.set_version = $3)", p, 3,
                     answer_tally_row, c, err);
  if(rc == PR_OK)
    rc = aggdb_query(conn, "SELECT a.unit, a.role, a.employer, a.n"
                     " FROM samv_participants a JOIN samv_meetings m"
                     " ON m.unit = a.unit AND m.set_id = a.set_id"
                     " AND m.year = a.year WHERE m.set_id = $1"
                     " AND m.year = $2 AND m.status = 'done'"
                     " AND ($3 = 0 OR m.set_version = $3)", p, 3,
                     people_tally_row, c, err);
  if(rc == PR_OK && c->failed) {
    pr_seterr(err, "out of memory");
    rc = PR_ENOMEM;
  }
  return rc;
}

/* Which of groups 0..ng-1 and the county (index ng) may be published,
 * given n[0..ng] (n[ng] = the units outside any länsdel).  A group needs
 * n >= threshold; when the county is published, the hidden rest (county
 * minus the published groups) must be 0 or >= threshold too, else the
 * smallest published groups are hidden until it is. */
static void protect(const long *n, int ng, int threshold, int *shown)
{
  long county = 0, hidden;
  for(int g = 0; g <= ng; g++)
    county += n[g];
  shown[ng] = county >= threshold;
  for(int g = 0; g < ng; g++)
    shown[g] = shown[ng] && n[g] >= threshold;
  if(!shown[ng])
    return;
  hidden = n[ng];
  for(int g = 0; g < ng; g++)
    if(!shown[g])
      hidden += n[g];
  while(hidden > 0 && hidden < threshold) {
    int pick = -1;
    for(int g = 0; g < ng; g++)
      if(shown[g] && (pick < 0 || n[g] < n[pick]))
        pick = g;
    if(pick < 0)
      break;      /* every group hidden: the rest is the county itself */
    shown[pick] = 0;
    hidden += n[pick];
  }
}

static double mean_of(const long *steps, long n)
{
  double s = 0;
  for(int k = 0; k < 4; k++)
    s += (double)(k + 1) * (double)steps[k];
  return n > 0 ? s / (double)n : 0.0;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void samv_comp_free(struct samv_comp *c)
{
  if(!c)
    return;
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++) {
    for(int k = 0; k < c->q[i].n_comments; k++)
      pr_free(c->q[i].comments[k]);
    pr_free(c->q[i].comments);
  }
  pr_free(c);
}

/* Sum over the target group (or every group for the county). */
static long sum_target(const struct cctx *c, const long *per_group,
                       size_t stride)
{
  long s = 0;
  for(int g = 0; g <= c->ng; g++)
    if(in_target(c, g))
      s += per_group[(size_t)g * stride];
  return s;
}

/* The three highest (dir = 1) or lowest (dir = -1) rated statements among
 * those shown and not yet in used. */
static void pick_three(struct samv_comp *comp, int dir, int *used, int *out)
{
  const struct qset *set = comp->set;
  for(int k = 0; k < 3; k++) {
    int best = -1;
    for(int i = 0; i < set->n_questions; i++) {
      const struct samv_qres *q = &comp->q[i];
      if(!q->shown || q->n == 0 || set->questions[i].type == QSET_TEXT ||
         used[i])
        continue;
      if(best < 0 || (double)dir * (q->mean - comp->q[best].mean) > 0)
        best = i;
    }
    out[k] = best;
    if(best >= 0)
      used[best] = 1;
  }
}

static void pick_extremes(struct samv_comp *comp)
{
  int used[QSET_MAX_QUESTIONS] = {0};
  pick_three(comp, 1, used, comp->top);
  pick_three(comp, -1, used, comp->bottom);
}

enum pr_rc samv_compile(struct aggdb *db, const struct qset *set, int year,
                        const char *group, int threshold,
                        struct samv_comp **out, char *err)
{
  struct samv_comp *comp = NULL;
  struct tally *t = NULL;
  struct cctx c;
  struct aggdb_conn *conn = NULL;
  char (*names)[SAMV_NAME_LEN] = NULL;
  const char *ids[QSET_MAX_QUESTIONS];
  int n_names = 0, shown[SAMV_MAX_GROUPS + 1];
  long nv[SAMV_MAX_GROUPS + 1];
  enum pr_rc rc;

  *out = NULL;
  memset(&c, 0, sizeof(c));
  if(threshold < 1)
    threshold = 1;
  rc = samv_lansdel_names(db, &names, &n_names, err);
  if(rc != PR_OK)
    return rc;
  c.set = set;
  c.ng = n_names;
  c.target = -1;
  if(group && *group) {
    for(int g = 0; g < n_names; g++)
      if(strcmp(names[g], group) == 0)
        c.target = g;
    if(c.target < 0) {
      pr_seterr(err, "no länsdel named \"%s\"", group);
      rc = PR_ENOTFOUND;
      goto out;
    }
  }
  rc = PR_ENOMEM;
  comp = pr_calloc(1, sizeof(*comp));
  t = pr_calloc(1, sizeof(*t));
  if(!comp || !t)
    goto out;
  comp->set = set;
  comp->year = year;
  comp->threshold = threshold;
  pr_strlcpy(comp->group, c.target >= 0 ? group : "", sizeof(comp->group));
  rc = aggdb_acquire(db, &conn, err);
  if(rc != PR_OK)
    goto out;
  /* unit -> group index (rows come sorted by unit, for bsearch) */
  c.names = (const char (*)[SAMV_NAME_LEN])names;
  rc = aggdb_query(conn, "SELECT unit, name FROM samv_lansdel ORDER BY unit",
                   NULL, 0, ug_row, &c, err);
  if(rc == PR_OK && c.failed)
    rc = PR_ENOMEM;
  if(rc != PR_OK)
    goto out;
  /* SQL's order and strcmp's may differ (collation): sort again. */
  if(c.n_ug > 1)
    qsort(c.ug, (size_t)c.n_ug, sizeof(*c.ug), cmp_ug);

  /* This year. */
  for(int i = 0; i < set->n_questions; i++)
    ids[i] = set->questions[i].id;
  c.qids = ids;
  c.t = t;
  c.comp = comp;
  rc = tally_year(conn, &c, set->id, 0, year, err);
  if(rc != PR_OK)
    goto out;
  protect(t->meetings, c.ng, threshold, shown);
  comp->meetings = sum_target(&c, t->meetings, 1);
  comp->shown = shown[c.target < 0 ? c.ng : c.target];
  if(comp->shown)
    for(int g = 0; g <= c.ng; g++)
      if(in_target(&c, g))
        for(int r = 0; r < SAMV_N_ROLES; r++)
          for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
            comp->people[r][e] += t->people[g][r][e];
  for(int i = 0; i < set->n_questions; i++) {
    struct samv_qres *q = &comp->q[i];
    for(int g = 0; g <= c.ng; g++)
      nv[g] = t->n[g][i];
    protect(nv, c.ng, threshold, shown);
    q->shown = comp->shown && shown[c.target < 0 ? c.ng : c.target];
    q->n = sum_target(&c, &t->n[0][i], QSET_MAX_QUESTIONS);
    for(int k = 0; k < 4; k++)
      q->steps[k] = sum_target(&c, &t->steps[0][i][k],
                               (size_t)QSET_MAX_QUESTIONS * 4);
    q->mean = mean_of(q->steps, q->n);
    if(!q->shown) {
      /* Nothing of a hidden figure leaves: counts, mean or comments. */
      memset(q->steps, 0, sizeof(q->steps));
      q->mean = 0;
      for(int k = 0; k < q->n_comments; k++)
        pr_free(q->comments[k]);
      q->n_comments = 0;
    }
    else if(q->n_comments > 1)
      qsort(q->comments, (size_t)q->n_comments, sizeof(char *), cmp_str);
  }
  pick_extremes(comp);

  /* Last year: once per (set, version) the links name. */
  for(int i = 0; i < set->n_questions; i++) {
    const struct qset_question *x = &set->questions[i];
    const char *lids[QSET_MAX_QUESTIONS];
    int done_before = 0;
    if(x->cmp_version <= 0)
      continue;
    for(int j = 0; j < i; j++)
      if(set->questions[j].cmp_version == x->cmp_version &&
         strcmp(set->questions[j].cmp_set, x->cmp_set) == 0)
        done_before = 1;
    if(done_before)
      continue;
    for(int j = 0; j < set->n_questions; j++) {
      const struct qset_question *y = &set->questions[j];
      lids[j] = (y->cmp_version == x->cmp_version &&
                 strcmp(y->cmp_set, x->cmp_set) == 0) ? y->cmp_question : "";
    }
    memset(t, 0, sizeof(*t));
    c.qids = lids;
    c.comp = NULL;
    rc = tally_year(conn, &c, x->cmp_set, x->cmp_version, year - 1, err);
    if(rc != PR_OK)
      goto out;
    protect(t->meetings, c.ng, threshold, shown);
    if(!comp->last_meetings)
      comp->last_meetings = sum_target(&c, t->meetings, 1);
    {
      int last_group_shown = shown[c.target < 0 ? c.ng : c.target];
      for(int j = 0; j < set->n_questions; j++) {
        struct samv_qres *q = &comp->q[j];
        if(!lids[j][0])
          continue;
        q->has_last = 1;
        for(int g = 0; g <= c.ng; g++)
          nv[g] = t->n[g][j];
        protect(nv, c.ng, threshold, shown);
        q->last_shown = last_group_shown &&
                        shown[c.target < 0 ? c.ng : c.target];
        q->last_n = sum_target(&c, &t->n[0][j], QSET_MAX_QUESTIONS);
        if(q->last_shown) {
          for(int k = 0; k < 4; k++)
            q->last_steps[k] = sum_target(&c, &t->steps[0][j][k],
                                          (size_t)QSET_MAX_QUESTIONS * 4);
          q->last_mean = mean_of(q->last_steps, q->last_n);
        }
      }
    }
  }
  *out = comp;
  comp = NULL;
  rc = PR_OK;
out:
  if(rc == PR_ENOMEM)
    pr_seterr(err, "out of memory");
  aggdb_release(conn);
  samv_comp_free(comp);
  pr_free(t);
  pr_free(c.ug);
  pr_free(names);
  return rc;
}

