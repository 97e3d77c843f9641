/* samv.c — This file contains the collaboration follow-up's storage and
 * compilation (samv.h).  Every figure that leaves is built here from done
 * (locked) meetings only, and protected in one place, protect(): a group
 * below the threshold is hidden, and so is the smallest published group
 * when the county minus the published groups would give away fewer than
 * threshold meetings.  Länsdelar are disjoint, which makes that rule
 * complete (the groups and the units outside any länsdel partition the
 * county). */
#include "samv.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggconf.h"
#include "aggschema.h"
#include "scrub.h"

const char *const samv_roles[SAMV_N_ROLES] = {
  "chef", "sjukskoterska", "lakare", "fysioterapeut", "arbetsterapeut",
  "annan"};
const char *const samv_role_names[SAMV_N_ROLES] = {
  "Chef", "Sjuksköterska", "Läkare", "Fysioterapeut", "Arbetsterapeut",
  "Annan"};
const char *const samv_employers[SAMV_N_EMPLOYERS] = {"region", "kommun"};
const char *const samv_employer_names[SAMV_N_EMPLOYERS] = {"Region",
                                                           "Kommun"};

static const struct aggdb_step samv_steps[] = {
  {1,
   "CREATE TABLE samv_meetings (unit TEXT NOT NULL, set_id TEXT NOT NULL,"
   " year BIGINT NOT NULL, set_version BIGINT NOT NULL,"
   " status TEXT NOT NULL, PRIMARY KEY (unit, set_id, year));"
   "CREATE INDEX samv_meetings_year ON samv_meetings (set_id, year, status);"
   "CREATE TABLE samv_answers (unit TEXT NOT NULL, set_id TEXT NOT NULL,"
   " year BIGINT NOT NULL, question TEXT NOT NULL, option TEXT,"
   " comment TEXT, PRIMARY KEY (unit, set_id, year, question));"
   "CREATE TABLE samv_participants (unit TEXT NOT NULL,"
   " set_id TEXT NOT NULL, year BIGINT NOT NULL, role TEXT NOT NULL,"
   " employer TEXT NOT NULL, n BIGINT NOT NULL,"
   " PRIMARY KEY (unit, set_id, year, role, employer));"
   "CREATE TABLE samv_lansdel (unit TEXT PRIMARY KEY, name TEXT NOT NULL);"
   "CREATE INDEX samv_lansdel_name ON samv_lansdel (name);",
   NULL, NULL},
};

enum pr_rc samv_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "samverkan", samv_steps,
                       (int)PR_ARRAY_LEN(samv_steps), err);
}

void samv_meeting_clear(struct samv_meeting *m)
{
  if(!m)
    return;
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++)
    pr_free(m->comment[i]);
  memset(m, 0, sizeof(*m));
  for(int i = 0; i < QSET_MAX_QUESTIONS; i++)
    m->option[i] = -1;
}

int samv_valid_name(const char *s)
{
  size_t n = s ? strlen(s) : 0;
  if(n == 0 || n >= SAMV_NAME_LEN)
    return 0;
  for(size_t i = 0; i < n; i++)
    if((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 0;
  return 1;
}

/* ---- one meeting ---------------------------------------------------------- */

static int status_row(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  int *st = ctx;
  (void)isnull;
  if(ncol >= 1 && v[0])
    *st = strcmp(v[0], "done") == 0 ? SAMV_DONE : SAMV_OPEN;
  return 1;
}

/* Status of a meeting on a held connection. */
static enum pr_rc get_status(struct aggdb_conn *c, const char *unit,
                             const char *set_id, int year, int *st, char *err)
{
  const struct aggdb_param p[] = {AGGDB_TEXT(unit), AGGDB_TEXT(set_id),
                                  AGGDB_INT(year)};
  *st = SAMV_NONE;
  return aggdb_query(c, "SELECT status FROM samv_meetings WHERE unit = $1"
                     " AND set_id = $2 AND year = $3", p, 3, status_row, st,
                     err);
}

enum pr_rc samv_meeting_open(struct aggdb *db, const char *unit,
                             const struct qset *set, int year,
                             enum samv_status *status, char *err)
{
  const struct aggdb_param p[] = {AGGDB_TEXT(unit), AGGDB_TEXT(set->id),
                                  AGGDB_INT(year), AGGDB_INT(set->version)};
  struct aggdb_conn *c = NULL;
  int st = SAMV_NONE;
  enum pr_rc rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_exec(c, "INSERT INTO samv_meetings (unit, set_id, year,"
                  " set_version, status) VALUES ($1, $2, $3, $4, 'open')"
                  " ON CONFLICT (unit, set_id, year) DO NOTHING", p, 4, NULL,
                  err);
  if(rc == PR_OK)
    rc = get_status(c, unit, set->id, year, &st, err);
  aggdb_release(c);
  *status = (enum samv_status)st;
  return rc;
}

struct load_ctx {
  const struct qset *set;
  struct samv_meeting *m;
  int failed;
};

static int meeting_row(void *ctx, int ncol, const char *const *v,
                       const int *isnull)
{
  struct load_ctx *l = ctx;
  (void)ncol;
  (void)isnull;
  l->m->status = strcmp(v[0], "done") == 0 ? SAMV_DONE : SAMV_OPEN;
  l->m->set_version = (int)strtol(v[1], NULL, 10);
  return 1;
}

static int answer_row(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  struct load_ctx *l = ctx;
  int qi = qset_find_question(l->set, v[0]);
  (void)ncol;
  if(qi < 0)
    return 0;
  if(!isnull[1])
    l->m->option[qi] = qset_option_index(qset_question_scale(l->set, qi),
                                         v[1]);
  if(!isnull[2] && v[2][0]) {
    pr_free(l->m->comment[qi]);
    l->m->comment[qi] = pr_strdup(v[2]);
    if(!l->m->comment[qi]) {
      l->failed = 1;
      return 1;
    }
  }
  return 0;
}

static int people_row(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  long (*people)[SAMV_N_EMPLOYERS] = ctx;
  (void)ncol;
  (void)isnull;
  for(int r = 0; r < SAMV_N_ROLES; r++)
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
      if(strcmp(v[0], samv_roles[r]) == 0 &&
         strcmp(v[1], samv_employers[e]) == 0)
        people[r][e] = strtol(v[2], NULL, 10);
  return 0;
}

enum pr_rc samv_meeting_load(struct aggdb *db, const char *unit,
                             const struct qset *set, int year,
                             struct samv_meeting *m, char *err)
{
  const struct aggdb_param p[] = {AGGDB_TEXT(unit), AGGDB_TEXT(set->id),
                                  AGGDB_INT(year)};
  struct load_ctx l = {set, m, 0};
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;

  memset(m, 0, sizeof(*m));
  samv_meeting_clear(m);
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_query(c, "SELECT status, set_version FROM samv_meetings WHERE"
                   " unit = $1 AND set_id = $2 AND year = $3", p, 3,
                   meeting_row, &l, err);
  if(rc == PR_OK && m->status != SAMV_NONE)
    rc = aggdb_query(c, "SELECT question, option, comment FROM samv_answers"
                     " WHERE unit = $1 AND set_id = $2 AND year = $3", p, 3,
                     answer_row, &l, err);
  if(rc == PR_OK && m->status != SAMV_NONE)
    rc = aggdb_query(c, "SELECT role, employer, n FROM samv_participants"
                     " WHERE unit = $1 AND set_id = $2 AND year = $3", p, 3,
                     people_row, m->people, err);
  aggdb_release(c);
  if(rc == PR_OK && l.failed) {
    pr_seterr(err, "out of memory");
    rc = PR_ENOMEM;
  }
  if(rc != PR_OK)
    samv_meeting_clear(m);
  return rc;
}

/* Begin a write on a meeting that must exist and be open. */
static enum pr_rc begin_open(struct aggdb *db, struct aggdb_conn **out,
                             const char *unit, const char *set_id, int year,
                             char *err)
{
  struct aggdb_conn *c = NULL;
  int st = SAMV_NONE;
  enum pr_rc rc = aggdb_acquire(db, &c, err);
  *out = NULL;
  if(rc != PR_OK)
    return rc;
  rc = aggdb_begin(c, err);
  if(rc == PR_OK)
    rc = get_status(c, unit, set_id, year, &st, err);
  if(rc == PR_OK && st == SAMV_NONE) {
    pr_seterr(err, "no meeting started for this unit, type and year");
    rc = PR_ENOTFOUND;
  }
  if(rc == PR_OK && st == SAMV_DONE) {
    pr_seterr(err, "the meeting is marked done (Klar); an administrator "
              "can reopen it");
    rc = PR_ECONFLICT;
  }
  if(rc != PR_OK) {
    aggdb_release(c);
    return rc;
  }
  *out = c;
  return PR_OK;
}

enum pr_rc samv_save_answer(struct aggdb *db, const char *unit,
                            const struct qset *set, int year, int qi,
                            int opt, const char *comment, char *err)
{
  const struct qset_scale *sc;
  struct aggdb_conn *c = NULL;
  char *clean = NULL;
  enum pr_rc rc;

  if(qi < 0 || qi >= set->n_questions) {
    pr_seterr(err, "no such question");
    return PR_EINVAL;
  }
  sc = qset_question_scale(set, qi);
  if(opt >= 0 && (!sc || opt >= sc->n_options)) {
    pr_seterr(err, "question %s: no such answer", set->questions[qi].id);
    return PR_EINVAL;
  }
  if(comment && strlen(comment) > SAMV_MAX_COMMENT) {
    pr_seterr(err, "question %s: the comment is longer than %d bytes",
              set->questions[qi].id, SAMV_MAX_COMMENT);
    return PR_EINVAL;
  }
  if(comment && *comment) {
    rc = scrub_text(comment, &clean, NULL);
    if(rc != PR_OK) {
      pr_seterr(err, "out of memory");
      return rc;
    }
  }
  rc = begin_open(db, &c, unit, set->id, year, err);
  if(rc == PR_OK) {
    const struct aggdb_param p[] = {
      AGGDB_TEXT(unit), AGGDB_TEXT(set->id), AGGDB_INT(year),
      AGGDB_TEXT(set->questions[qi].id),
      opt >= 0 ? AGGDB_TEXT(sc->options[opt].code) : AGGDB_NULL,
      AGGDB_TEXTN(clean)};
    rc = aggdb_exec(c, "INSERT INTO samv_answers (unit, set_id, year,"
                    " question, option, comment) VALUES ($1, $2, $3, $4, $5,"
                    " $6) ON CONFLICT (unit, set_id, year, question) DO UPDATE"
                    " SET option = excluded.option, comment = excluded.comment",
                    p, 6, NULL, err);
    if(rc == PR_OK)
      rc = aggdb_commit(c, err);
    aggdb_release(c);
  }
  pr_free(clean);
  return rc;
}

enum pr_rc samv_save_people(struct aggdb *db, const char *unit,
                            const char *set_id, int year,
                            const long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS],
                            char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;
  for(int r = 0; r < SAMV_N_ROLES; r++)
    for(int e = 0; e < SAMV_N_EMPLOYERS; e++)
      if(people[r][e] < 0 || people[r][e] > SAMV_MAX_COUNT) {
        pr_seterr(err, "%s (%s): a count from 0 to %d", samv_roles[r],
                  samv_employers[e], SAMV_MAX_COUNT);
        return PR_EINVAL;
      }
  rc = begin_open(db, &c, unit, set_id, year, err);
  for(int r = 0; rc == PR_OK && r < SAMV_N_ROLES; r++)
    for(int e = 0; rc == PR_OK && e < SAMV_N_EMPLOYERS; e++) {
      const struct aggdb_param p[] = {
        AGGDB_TEXT(unit), AGGDB_TEXT(set_id), AGGDB_INT(year),
        AGGDB_TEXT(samv_roles[r]), AGGDB_TEXT(samv_employers[e]),
        AGGDB_INT(people[r][e])};
      rc = aggdb_exec(c, "INSERT INTO samv_participants (unit, set_id, year,"
                      " role, employer, n) VALUES ($1, $2, $3, $4, $5, $6)"
                      " ON CONFLICT (unit, set_id, year, role, employer)"
                      " DO UPDATE SET n = excluded.n", p, 6, NULL, err);
    }
  if(rc == PR_OK)
    rc = aggdb_commit(c, err);
  aggdb_release(c);
  return rc;
}

enum pr_rc samv_set_done(struct aggdb *db, const char *unit,
                         const char *set_id, int year, int done, char *err)
{
  const struct aggdb_param p[] = {AGGDB_TEXT(done ? "done" : "open"),
                                  AGGDB_TEXT(unit), AGGDB_TEXT(set_id),
                                  AGGDB_INT(year)};
  long changes = 0;
  enum pr_rc rc = aggdb_exec1(db, "UPDATE samv_meetings SET status = $1"
                              " WHERE unit = $2 AND set_id = $3 AND year = $4",
                              p, 4, &changes, err);
  if(rc == PR_OK && changes == 0) {
    pr_seterr(err, "no such meeting");
    rc = PR_ENOTFOUND;
  }
  return rc;
}

struct list_ctx {
  samv_meeting_fn fn;
  void *ctx;
};

static int list_row(void *ctx, int ncol, const char *const *v,
                    const int *isnull)
{
  struct list_ctx *l = ctx;
  (void)ncol;
  (void)isnull;
  return l->fn(l->ctx, v[0], v[1],
               strcmp(v[2], "done") == 0 ? SAMV_DONE : SAMV_OPEN);
}

enum pr_rc samv_meetings_list(struct aggdb *db, const char *unit, int year,
                              samv_meeting_fn fn, void *ctx, char *err)
{
  struct list_ctx l = {fn, ctx};
  const struct aggdb_param p[] = {AGGDB_INT(year), AGGDB_TEXTN(unit)};
  if(unit)
    return aggdb_query1(db, "SELECT unit, set_id, status FROM samv_meetings"
                        " WHERE year = $1 AND unit = $2 ORDER BY set_id", p, 2,
                        list_row, &l, err);
  return aggdb_query1(db, "SELECT unit, set_id, status FROM samv_meetings"
                      " WHERE year = $1 ORDER BY unit, set_id", p, 1, list_row,
                      &l, err);
}

/* ---- länsdelar ---------------------------------------------------------- */

enum pr_rc samv_lansdel_add(struct aggdb *db, const char *name,
                            const char *const *units, int n, char *err)
{
  struct aggdb_conn *c = NULL;
  enum pr_rc rc;
  if(!samv_valid_name(name)) {
    pr_seterr(err, "a länsdel name is 1 to %d characters", SAMV_NAME_LEN - 1);
    return PR_EINVAL;
  }
  for(int i = 0; i < n; i++)
    if(!units[i] || !*units[i] || strlen(units[i]) >= 40) {
      pr_seterr(err, "unit %d: an HSA-id", i + 1);
      return PR_EINVAL;
    }
  rc = aggdb_acquire(db, &c, err);
  if(rc != PR_OK)
    return rc;
  rc = aggdb_begin(c, err);
  for(int i = 0; rc == PR_OK && i < n; i++) {
    const struct aggdb_param p[] = {AGGDB_TEXT(units[i]), AGGDB_TEXT(name)};
    char *other = NULL;
    rc = aggdb_query_text(c, "SELECT name FROM samv_lansdel WHERE unit = $1",
                          p, 1, &other, err);
    if(rc == PR_OK && other && strcmp(other, name) != 0) {
      pr_seterr(err, "unit %s is already in länsdel %s (a unit belongs to "
                "one länsdel)", units[i], other);
      rc = PR_ECONFLICT;
    }
    pr_free(other);
    if(rc == PR_OK)
      rc = aggdb_exec(c, "INSERT INTO samv_lansdel (unit, name) VALUES ($1,"
                      " $2) ON CONFLICT (unit) DO NOTHING", p, 2, NULL, err);
  }
  if(rc == PR_OK)
    rc = aggdb_commit(c, err);
  aggdb_release(c);
  return rc;
}

struct names_ctx {
  char (*v)[SAMV_NAME_LEN];
  int n, cap, failed;
};

static int names_row(void *ctx, int ncol, const char *const *v,
                     const int *isnull)
{
  struct names_ctx *l = ctx;
  (void)ncol;
  (void)isnull;
  if(l->n == l->cap) {
    int ncap = l->cap ? l->cap * 2 : 8;
    void *nv;
    if(ncap > SAMV_MAX_GROUPS) {
      l->failed = 2;
      return 1;
    }
    nv = pr_realloc(l->v, (size_t)ncap * SAMV_NAME_LEN);
    if(!nv) {
      l->failed = 1;
      return 1;
    }
    l->v = nv;
    l->cap = ncap;
  }
  pr_strlcpy(l->v[l->n++], v[0], SAMV_NAME_LEN);
  return 0;
}

enum pr_rc samv_lansdel_names(struct aggdb *db, char (**out)[SAMV_NAME_LEN],
                              int *n, char *err)
{
  struct names_ctx l = {NULL, 0, 0, 0};
  enum pr_rc rc = aggdb_query1(db, "SELECT DISTINCT name FROM samv_lansdel"
                               " ORDER BY name", NULL, 0, names_row, &l, err);
  *out = NULL;
  *n = 0;
  if(rc == PR_OK && l.failed) {
    pr_seterr(err, l.failed == 2 ? "more than 64 länsdelar" : "out of memory");
    rc = l.failed == 2 ? PR_ELIMIT : PR_ENOMEM;
  }
  if(rc != PR_OK) {
    pr_free(l.v);
    return rc;
  }
  *out = l.v;
  *n = l.n;
  return PR_OK;
}

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

static void pick_extremes(struct samv_comp *comp)
{
  const struct qset *set = comp->set;
  int used[QSET_MAX_QUESTIONS] = {0};
  for(int k = 0; k < 3; k++) {
    int hi = -1;
    for(int i = 0; i < set->n_questions; i++)
      if(comp->q[i].shown && comp->q[i].n > 0 && set->questions[i].type !=
         QSET_TEXT && !used[i] && (hi < 0 || comp->q[i].mean > comp->q[hi].mean))
        hi = i;
    comp->top[k] = hi;
    if(hi >= 0)
      used[hi] = 1;
  }
  for(int k = 0; k < 3; k++) {
    int lo = -1;
    for(int i = 0; i < set->n_questions; i++)
      if(comp->q[i].shown && comp->q[i].n > 0 && set->questions[i].type !=
         QSET_TEXT && !used[i] && (lo < 0 || comp->q[i].mean < comp->q[lo].mean))
        lo = i;
    comp->bottom[k] = lo;
    if(lo >= 0)
      used[lo] = 1;
  }
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

/* ---- rost-agg lansdel ---------------------------------------------------- */

int samv_cmd_lansdel(int argc, char **argv)
{
  static const struct option opts[] = {
    {"unit", required_argument, NULL, 'u'},
    {"config", required_argument, NULL, 'c'},
    {"db", required_argument, NULL, 'd'},
    {NULL, 0, NULL, 0}};
  struct aggconf conf;
  struct aggdb *db = NULL;
  const char *units[256];
  char err[PR_ERR_LEN] = "";
  int n_units = 0, ch, rc = 1;

  aggconf_defaults(&conf);
  optind = 1;
  while((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    if(ch == 'u' && n_units < (int)PR_ARRAY_LEN(units))
      units[n_units++] = optarg;
    else if(ch == 'c' && aggconf_load(&conf, optarg, err) != PR_OK) {
      fprintf(stderr, "rost-agg lansdel: %s\n", err);
      return 2;
    }
    else if(ch == 'd' && aggconf_set(&conf, "db", optarg, err) != PR_OK) {
      fprintf(stderr, "rost-agg lansdel: %s\n", err);
      return 2;
    }
    else if(ch != 'u' && ch != 'c' && ch != 'd')
      goto usage;
  }
  if(optind >= argc)
    goto usage;
  if(strcmp(argv[optind], "add") == 0 && (optind + 2 != argc || !n_units))
    goto usage;
  if(strcmp(argv[optind], "list") != 0 && strcmp(argv[optind], "add") != 0)
    goto usage;
  if(aggdb_open(conf.db, &db, err) != PR_OK ||
     aggschema_migrate_all(db, err) != PR_OK) {
    fprintf(stderr, "rost-agg lansdel: databas: %s\n", err);
    goto out;
  }
  if(strcmp(argv[optind], "add") == 0) {
    if(samv_lansdel_add(db, argv[optind + 1], units, n_units, err) != PR_OK) {
      fprintf(stderr, "rost-agg lansdel: %s\n", err);
      goto out;
    }
    printf("Länsdelen %s har nu %d enhet(er) till.\n", argv[optind + 1],
           n_units);
  }
  else {
    char (*names)[SAMV_NAME_LEN] = NULL;
    int n = 0;
    if(samv_lansdel_names(db, &names, &n, err) != PR_OK) {
      fprintf(stderr, "rost-agg lansdel: %s\n", err);
      goto out;
    }
    for(int i = 0; i < n; i++)
      printf("%s\n", names[i]);
    pr_free(names);
  }
  rc = 0;
out:
  aggdb_close(db);
  return rc;
usage:
  fprintf(stderr, "Användning: rost-agg lansdel add NAMN --unit HSA-ID "
          "[--unit HSA-ID ...] [--config F|--db URL]\n"
          "            rost-agg lansdel list [--config F|--db URL]\n");
  return 2;
}
