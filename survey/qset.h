/* qset.h — question sets as data: load a set from JSON (jansson), validate
 * it completely, and answer questions about it (texts per language, which
 * answers are positive, which questions apply given earlier answers).
 * It does no I/O beyond reading the set file and knows nothing of the
 * store, the UI or the network.  The file format is documented in
 * assets/surveys/README.md. */
#ifndef QSET_H
#define QSET_H

#include <stdint.h>
#include "pr.h"

#define QSET_MAX_LANGS   12
#define QSET_MAX_OPTIONS 16   /* options per scale, incl. "vet ej" */
#define QSET_MAX_QUESTIONS 64
#define QSET_ID_LEN      48   /* set, question, scale, option ids, indicator */
#define QSET_LANG_LEN    8    /* "sv", "en", "ar", ... */

/* A text in several languages.  lang[i] is a short code, text[i] owned. */
struct qset_text {
  int n;
  char lang[QSET_MAX_LANGS][QSET_LANG_LEN];
  char *text[QSET_MAX_LANGS];
};

struct qset_option {
  char code[QSET_ID_LEN];    /* stable answer code stored and sent: "mycket" */
  struct qset_text label;    /* what the patient sees */
  int dontknow;              /* 1: "Vet ej / vill inte svara": neither
                                positive nor negative, counted on its own */
};

struct qset_scale {
  char id[QSET_ID_LEN];      /* "tre_grad", "fyra_grad", "ja_nej" */
  int n_options;
  struct qset_option options[QSET_MAX_OPTIONS];
};

enum qset_qtype {
  QSET_CHOICE = 1,  /* one option of a named scale */
  QSET_YESNO,       /* a choice whose scale is the yes/no scale */
  QSET_TEXT         /* free text, never has an indicator */
};

/* MEETING: the yearly collaboration follow-up filled in by staff at a
 * meeting on the aggregator's web pages (samverkan); never offered by the
 * kiosk or the phone interview, and never mixed with them in one set. */
enum qset_mode { QSET_MODE_KIOSK = 1 << 0, QSET_MODE_PHONE = 1 << 1,
                 QSET_MODE_MEETING = 1 << 2 };

/* "Ask question i only if earlier question `on` was answered with one of
 * (op IN) / none of (op NOT_IN) the options in `values` (bit k = option k of
 * that question's scale)."  An unanswered `on` question never satisfies
 * IN and always satisfies NOT_IN only when `unanswered_ok` is 1. */
enum qset_cond_op { QSET_COND_NONE = 0, QSET_COND_IN, QSET_COND_NOT_IN };
struct qset_cond {
  enum qset_cond_op op;
  int on;                    /* index of an EARLIER question (validator) */
  uint32_t values;
  int unanswered_ok;
};

struct qset_question {
  char id[QSET_ID_LEN];
  enum qset_qtype type;
  int scale;                 /* index into qset.scales; -1 for QSET_TEXT */
  struct qset_text text;     /* required: Swedish at least */
  struct qset_text easy;     /* easy-read variant (may have n == 0) */
  struct qset_text script;   /* interviewer's line for phone mode */
  char indicator[QSET_ID_LEN]; /* "" for free text */
  uint32_t positive;         /* bit k: option k counts as positive */
  struct qset_cond cond;
  unsigned modes;            /* QSET_MODE_* bits */
  int optional;              /* patient may skip it */
  struct qset_text audio;    /* optional recorded audio path per language,
                                relative to the assets directory */
  struct qset_text section;  /* heading the question sits under (may be
                                n == 0): "Planera hälso- och sjukvård" */
  int comment;               /* 1: a free-text comment goes with the rating */
  /* Comparability with an earlier version (a year's form with last year's):
   * cmp_version > 0 when this question is comparable with question
   * cmp_question of set cmp_set version cmp_version; is_new = 1 when it is
   * new (nothing to compare with).  Never both. */
  char cmp_set[QSET_ID_LEN];
  int cmp_version;
  char cmp_question[QSET_ID_LEN];
  int is_new;
};

struct qset {
  char id[QSET_ID_LEN];      /* "kiosk-besok" */
  int version;               /* >= 1 */
  char *path;                /* file it came from (owned), or the name given */
  int n_langs;               /* languages the set fully carries, "sv" first */
  char langs[QSET_MAX_LANGS][QSET_LANG_LEN];
  struct qset_text title, intro;
  struct qset_text lang_names; /* own name of each language: "Svenska" */
  int n_scales;
  struct qset_scale *scales;
  int n_questions;
  struct qset_question *questions;
};

/* Load and fully validate a set.  On success *out is the caller's (free
 * with qset_free).  On any problem *out is NULL, the result is PR_EINVAL
 * (or PR_EIO / PR_ENOMEM) and err says "FILE: question Q: problem".
 * A set is never half-loaded. */
enum pr_rc qset_load_file(const char *path, struct qset **out,
                          char *err) PR_MUST;
/* The same from a buffer (e.g. a set received over the network); name is
 * used in messages in place of the file name. */
enum pr_rc qset_load_buffer(const char *name, const char *buf, size_t len,
                            struct qset **out, char *err) PR_MUST;
void qset_free(struct qset *s);   /* NULL-safe */

/* Every *.json in dir (sorted by name), each validated; stops at the first
 * broken file.  Several versions of one set id may sit side by side (a
 * rolled-out "id.v2.json" next to the shipped file).  The same id AND
 * version in two files is PR_EINVAL unless the files are byte for byte
 * identical: then the first in name order is kept ("id.json" before
 * "id.v1.json"), the other is left out and a warning is logged
 * ("qset.duplicate_copy").  *out is an array of *n sets, the caller's:
 * free with qset_free_all. */
enum pr_rc qset_load_dir(const char *dir, struct qset ***out, int *n,
                         char *err) PR_MUST;
void qset_free_all(struct qset **sets, int n);

/* Check the comparability links ("compare") of every set in sets[0..n)
 * against the others: where the target set version is present, the
 * target question must exist and be of the same kind (a rating on the
 * same option codes, or free text), and no two questions of one set may
 * point at the same target.  A link to a version that is not present is
 * fine (last year's form may live elsewhere).  qset_load_dir calls it.
 * PR_OK, or PR_EINVAL with err "FILE: question Q: compare: problem". */
enum pr_rc qset_check_links(struct qset *const *sets, int n,
                            char *err) PR_MUST;
/* Among sets[0..n), the set with this id and version (version 0: the
 * highest version of that id).  Borrowed; NULL when there is none. */
const struct qset *qset_pick(struct qset *const *sets, int n, const char *id,
                             int version);

/* Text in lang, falling back to Swedish, then to the first text present.
 * Borrowed; never NULL (returns "" when t is empty). */
const char *qset_text(const struct qset_text *t, const char *lang);
/* Easy-read text of q when present in lang (or sv), else the normal text. */
const char *qset_question_text(const struct qset_question *q,
                               const char *lang, int easy_read);

int qset_find_question(const struct qset *s, const char *id); /* -1 if none */
const struct qset_scale *qset_question_scale(const struct qset *s, int qi);
int qset_option_index(const struct qset_scale *sc, const char *code);

/* Value class of option opt of question qi. */
enum qset_value { QSET_NEGATIVE = 0, QSET_POSITIVE = 1, QSET_DONTKNOW = 2 };
enum qset_value qset_classify(const struct qset *s, int qi, int opt);

/* Whether question qi is asked in `mode` given the answers so far.
 * answers[i] is the option index answered for question i, QSET_UNANSWERED,
 * or QSET_TEXT_ANSWERED for a free-text question that has text. */
#define QSET_UNANSWERED     (-1)
#define QSET_TEXT_ANSWERED  (-2)
int qset_applies(const struct qset *s, int qi, unsigned mode,
                 const int *answers);

/* Does the set carry language lang completely (every text)? */
int qset_has_lang(const struct qset *s, const char *lang);

/* Is s an id as the question-set format allows it (set, question, option,
 * language codes): 1..cap-1 bytes of [a-z0-9_-]?  NULL is not.  1 / 0.
 * Everything that takes an id from a file, the network or a store checks
 * it with this. */
int qset_valid_id(const char *s, size_t cap);

#endif
