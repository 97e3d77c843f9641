/* samv.h — the collaboration follow-up (Samverkansuppföljning) between a
 * vårdcentral and its kommun: one meeting per unit, meeting type (a set
 * with mode "meeting") and year, its answers saved one at a time, its
 * participant counts per role and employer (never names), locking, länsdelar
 * (named, disjoint groups of units) and the compilation over done meetings
 * with small-group protection.  Storage and figures only; HTTP and output
 * formats live in samvweb.c and samvout.c. */
#ifndef SAMV_H
#define SAMV_H

#include "aggdb.h"
#include "qset.h"

#define SAMV_N_ROLES 6
#define SAMV_N_EMPLOYERS 2
#define SAMV_NAME_LEN 64          /* länsdel name */
#define SAMV_MAX_COMMENT 8000     /* bytes of one comment (the form
                                     allows 2000 characters) */
#define SAMV_COMMENT_CHARS 2000
#define SAMV_MAX_COUNT 999        /* participants of one role and employer */
#define SAMV_MAX_GROUPS 64        /* länsdelar */

/* Codes stored and their Swedish labels. */
extern const char *const samv_roles[SAMV_N_ROLES];        /* "chef", ... */
extern const char *const samv_role_names[SAMV_N_ROLES];   /* "Chef", ... */
extern const char *const samv_employers[SAMV_N_EMPLOYERS]; /* "region", "kommun" */
extern const char *const samv_employer_names[SAMV_N_EMPLOYERS];

/* Schema component "samverkan" (its own tables; aggroutes.c). */
enum pr_rc samv_migrate(struct aggdb *db, char *err) PR_MUST;

enum samv_status { SAMV_NONE = 0, SAMV_OPEN = 1, SAMV_DONE = 2 };

/* One meeting as stored.  answer[i] / comment[i] belong to question i of
 * the set the caller passed (option index into its scale or -1; comment
 * NULL or owned). */
struct samv_meeting {
  enum samv_status status;
  int set_version;
  int option[QSET_MAX_QUESTIONS];
  char *comment[QSET_MAX_QUESTIONS];
  long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS];
};
void samv_meeting_clear(struct samv_meeting *m);     /* frees comments */

/* Start (or find) the meeting of unit for set->id and year, on set's
 * version when new.  *status says what it is now. */
enum pr_rc samv_meeting_open(struct aggdb *db, const char *unit,
                             const struct qset *set, int year,
                             enum samv_status *status, char *err) PR_MUST;
/* Load the meeting of unit/set_id/year, answers mapped by question id onto
 * set (questions it does not know are left out).  status SAMV_NONE when
 * there is none.  m is the caller's (samv_meeting_clear). */
enum pr_rc samv_meeting_load(struct aggdb *db, const char *unit,
                             const struct qset *set, int year,
                             struct samv_meeting *m, char *err) PR_MUST;
/* Save the answer to question qi of set: opt (index or -1 for none) and a
 * comment (NULL or "" for none; scrubbed here as all free text is).
 * PR_ENOTFOUND when the meeting was never started, PR_ECONFLICT when it
 * is locked (Klar), PR_EINVAL for a bad option or too long a comment. */
enum pr_rc samv_save_answer(struct aggdb *db, const char *unit,
                            const struct qset *set, int year, int qi,
                            int opt, const char *comment, char *err) PR_MUST;
/* Save the participant counts (each 0..SAMV_MAX_COUNT); same results. */
enum pr_rc samv_save_people(struct aggdb *db, const char *unit,
                            const char *set_id, int year,
                            const long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS],
                            char *err) PR_MUST;
/* Lock (done = 1, "Klar") or reopen (done = 0).  PR_ENOTFOUND when none. */
enum pr_rc samv_set_done(struct aggdb *db, const char *unit,
                         const char *set_id, int year, int done,
                         char *err) PR_MUST;

/* Meetings of one year for the admin's overview: fn(ctx, unit, set_id,
 * status) for each, ordered; fn returns 0 to go on. */
typedef int (*samv_meeting_fn)(void *ctx, const char *unit,
                               const char *set_id, enum samv_status st);
enum pr_rc samv_meetings_list(struct aggdb *db, const char *unit, int year,
                              samv_meeting_fn fn, void *ctx, char *err) PR_MUST;

/* Länsdelar.  A unit belongs to at most one: adding a unit that is in
 * another länsdel is PR_ECONFLICT (the figures would overlap). */
enum pr_rc samv_lansdel_add(struct aggdb *db, const char *name,
                            const char *const *units, int n,
                            char *err) PR_MUST;
/* Names, sorted; *out is the caller's (pr_free), *n of them. */
enum pr_rc samv_lansdel_names(struct aggdb *db,
                              char (**out)[SAMV_NAME_LEN], int *n,
                              char *err) PR_MUST;
int samv_valid_name(const char *s);   /* 1: 1..63 chars, no control chars */

/* One question of a compilation. */
struct samv_qres {
  int shown;            /* 1: the figures may be published */
  long n;               /* meetings that answered (rated, or wrote text) */
  long steps[4];        /* meetings per step, "inte alls" .. "helt" */
  double mean;          /* 1..4 over steps; valid when shown and n > 0 */
  int has_last;         /* comparable with last year's question */
  int last_shown;
  long last_n;
  long last_steps[4];
  double last_mean;
  int n_comments;
  char **comments;      /* scrubbed texts, sorted, shown only when shown */
};

struct samv_comp {
  const struct qset *set;    /* borrowed: the form compiled */
  int year;
  char group[SAMV_NAME_LEN]; /* "" = the county */
  int threshold;
  long meetings;             /* done meetings in the group */
  long last_meetings;        /* last year's, same group */
  int shown;                 /* meetings >= threshold (and protected) */
  long people[SAMV_N_ROLES][SAMV_N_EMPLOYERS];  /* valid when shown */
  struct samv_qres q[QSET_MAX_QUESTIONS];        /* one per set question */
  int top[3], bottom[3];     /* highest / lowest mean (question index, -1) */
};

/* Compile the done meetings of year on set->id (answers matched by
 * question id, whatever version they were given on) for group ("" =
 * county, else a länsdel name: PR_ENOTFOUND when unknown).  A figure is
 * shown only when at least threshold meetings give it and it cannot be
 * worked out by subtracting published figures (county minus the other
 * länsdelar).  Last year's figures come from year - 1's done meetings on
 * the set and version each question's "compare" names.  *out is the
 * caller's (samv_comp_free). */
enum pr_rc samv_compile(struct aggdb *db, const struct qset *set, int year,
                        const char *group, int threshold,
                        struct samv_comp **out, char *err) PR_MUST;
void samv_comp_free(struct samv_comp *c);            /* NULL-safe */

/* rost-agg lansdel add NAMN --unit HSA-ID ... | lansdel list */
int samv_cmd_lansdel(int argc, char **argv);

#endif
