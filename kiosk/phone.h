/* phone.h — the phone-interview mode ("ring upp") as a model without a
 * window: the call list, the call screen's script steps (introduction,
 * consent, who answers, each question, SIP, outcome, call-back time) and
 * what every key does.  It writes answers through the store and outcomes
 * through the call list; phone_draw.c draws it, phone_app.c runs it in a
 * window.  Free text typed by the coordinator is scrubbed of the called
 * person's name, number and personnummer before it is stored. */
#ifndef PHONE_H
#define PHONE_H

#include <time.h>
#include "calllist.h"
#include "qset.h"
#include "store.h"

enum phone_step {
  PHONE_LIST = 0,   /* who to call now */
  PHONE_INTRO,      /* dialling: introduction, or a no-contact outcome */
  PHONE_CONSENT,    /* may I ask a few questions? */
  PHONE_PROXY,      /* the patient or a relative answers? */
  PHONE_QUESTION,   /* question q of the set */
  PHONE_SIP,        /* was a SIP offered / accepted? */
  PHONE_OUTCOME,    /* the call's disposition */
  PHONE_CALLBACK,   /* typing the agreed call-back time */
  PHONE_EDIT,       /* adding or correcting an entry by hand */
  PHONE_STATS,      /* the unit's weekly call statistics */
  PHONE_ERASE       /* confirm: erase the selected person's data now */
};

enum { PHONE_F_NAME, PHONE_F_PHONE, PHONE_F_PNR, PHONE_F_DISCHARGE,
       PHONE_F_TRACK, PHONE_F_CARE, PHONE_F_CONSENT, PHONE_F_N };
#define PHONE_FIELD_LEN 128

/* Keys, independent of SDL. */
enum phone_key {
  PHONE_K_NONE = 0, PHONE_K_UP, PHONE_K_DOWN, PHONE_K_ENTER, PHONE_K_ESC,
  PHONE_K_BACKSPACE, PHONE_K_TAB, PHONE_K_REFRESH, PHONE_K_CHAR,
  PHONE_K_PAGEUP, PHONE_K_PAGEDOWN
};

#define PHONE_TEXT_MAX 600

/* The model.  Callers read the fields to draw; only phone_* change them. */
struct phone {
  struct store *store;
  const struct qset *set;          /* borrowed: the phone question set */
  struct calllist_cfg cfg;
  char unit[STORE_UNIT_LEN];
  enum phone_step step;
  /* the list */
  struct calllist_entry *queue;    /* owned */
  int n_queue, sel, closed_hours;
  struct calllist_entry *later;    /* owned: open, waiting for a retry or
                                      an agreed call-back time */
  int n_later;
  /* the call in progress */
  struct calllist_entry cur;
  int proxy;
  char uuid[STORE_UUID_LEN];       /* "" until the interview starts */
  int q;                           /* current question index */
  int answers[QSET_MAX_QUESTIONS]; /* option index, QSET_UNANSWERED, or
                                      QSET_TEXT_ANSWERED */
  int interview_done;              /* every question passed */
  enum phone_step back_to;         /* where Esc in CALLBACK returns */
  char text[PHONE_TEXT_MAX];       /* free text / call-back time typed */
  char status[PR_ERR_LEN];         /* last message for the status line */
  /* the add/correct form */
  char field[PHONE_F_N][PHONE_FIELD_LEN];
  int field_cur;
  long edit_id;                    /* 0: a new entry */
  struct dispo_week *weeks;        /* owned, for PHONE_STATS */
  int n_weeks;
  int quit;                        /* the coordinator left phone mode */
};

/* Open the model on the first list: unit's own entries only.  set must
 * carry QSET_MODE_PHONE questions and unit be an HSA-id (hsa_valid), else
 * PR_EINVAL; *out is the caller's (phone_close). */
enum pr_rc phone_open(struct store *s, const struct qset *set,
                      const struct calllist_cfg *cfg, const char *unit,
                      time_t now, struct phone **out, char *err) PR_MUST;
void phone_close(struct phone *p);                      /* NULL-safe */

/* Reload the queue (housekeeping first: closing and erasing). */
enum pr_rc phone_refresh(struct phone *p, time_t now, char *err) PR_MUST;

/* Handle one key.  ch is the character for PHONE_K_CHAR (ASCII; letters
 * are taken case-insensitively).  A store error leaves the step as it was
 * and is returned with err (also put in p->status). */
enum pr_rc phone_key(struct phone *p, enum phone_key k, int ch, time_t now,
                     char *err) PR_MUST;
/* Select list row i (a mouse click); on the list step only. */
void phone_select(struct phone *p, int i);
/* Typed UTF-8 text for the free-text and call-back fields (ignored
 * elsewhere; digits and letters arrive as keys there). */
void phone_text(struct phone *p, const char *utf8);
/* Does the current step take typed text? */
int phone_wants_text(const struct phone *p);

/* Indexes of the set's phone questions, in order; returns how many. */
int phone_questions(const struct qset *set, int *idx, int cap);

#endif
