/* samv.c — This file contains the collaboration follow-up's storage
 * (samv.h): the schema component, meetings saved answer by answer,
 * participant counts, locking, länsdelar and `rost-agg lansdel`.  The
 * compilation is samvcomp.c. */
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

/* ---- rost-agg lansdel ---------------------------------------------------- */

static int print_unit(void *ctx, int ncol, const char *const *v,
                      const int *isnull)
{
  (void)ctx;
  (void)ncol;
  (void)isnull;
  printf(" %s", v[0]);
  return 0;
}

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
    for(int i = 0; i < n; i++) {
      const struct aggdb_param p[] = {AGGDB_TEXT(names[i])};
      printf("%s", names[i]);
      if(aggdb_query1(db, "SELECT unit FROM samv_lansdel WHERE name = $1"
                      " ORDER BY unit", p, 1, print_unit, NULL, err) != PR_OK) {
        fprintf(stderr, "rost-agg lansdel: %s\n", err);
        pr_free(names);
        goto out;
      }
      printf("\n");
    }
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
