/* patient.h — the patient flow of the kiosk as a model without a window:
 * which screen is shown (welcome, question, free text, "Är du kvar?",
 * thank-you, staff PIN, staff menu), what a tap on a target does, the
 * timeouts, the tap guard against hurried double taps, and saving every
 * answer in the store the moment it is given.  The layout (layout.h) draws
 * from this state and tags its buttons with enum pt_target; the program
 * (kiosk_app.h) turns touch and mouse into patient_tap() calls.  Time is a
 * monotonic millisecond clock passed in by the caller, so tests set it.
 * Nothing one patient entered survives the return to the welcome screen. */
#ifndef PATIENT_H
#define PATIENT_H

#include <stdint.h>

#include "kconf.h"
#include "pin.h"
#include "pr.h"
#include "qset.h"
#include "store.h"

enum pt_screen {
  PT_WELCOME = 0,
  PT_QUESTION,      /* a choice or yes/no question */
  PT_TEXT,          /* a free-text question with the on-screen keyboard */
  PT_STILL_THERE,   /* "Är du kvar?" after a while without input */
  PT_THANKS,
  PT_PIN,           /* staff PIN entry */
  PT_STAFF,         /* staff menu */
  PT_ENROL          /* staff: "Anslut till server" (address and code) */
};

/* What a button does when tapped; the index says which one of several. */
enum pt_target {
  PT_T_NONE = 0,
  PT_T_START, PT_T_LANG, PT_T_HC, PT_T_LARGE, PT_T_AUTO, PT_T_EASY,
  PT_T_SPEAK,
  PT_T_OPTION, PT_T_BACK, PT_T_SKIP, PT_T_DONE, PT_T_KEY, PT_T_STILL_YES,
  PT_T_THANKS_OK,
  PT_T_PIN_DIGIT, PT_T_PIN_DEL, PT_T_PIN_OK, PT_T_CANCEL,
  PT_T_STAFF_EXIT, PT_T_STAFF_SET, PT_T_STAFF_LANG, PT_T_STAFF_HC,
  PT_T_STAFF_LARGE, PT_T_STAFF_AUTO, PT_T_STAFF_EASY, PT_T_STAFF_PHONE,
  PT_T_STAFF_SYNC,
  PT_T_STAFF_BACK,
  PT_T_STAFF_ENROL, PT_T_ENROL_FIELD, PT_T_ENROL_GO,
  PT_T_STAFF_PAGE,  /* the staff menu's page; index = the page to show */
  PT_T_COUNT
};

/* What the program should do about read-aloud after the last call. */
enum pt_say { PT_SAY_NONE = 0, PT_SAY_STOP, PT_SAY_SCREEN };

struct patient {
  /* borrowed, set by patient_open */
  struct store *store;
  const struct kconf *cfg;
  struct qset *const *sets;       /* the offered sets, one version each */
  int n_sets;

  /* staff defaults, kept in the store's meta table */
  int set_idx;                    /* index into sets; -1 when none */
  char def_lang[QSET_LANG_LEN];
  int def_hc, def_large, def_auto, def_easy;

  /* the patient at the screen now */
  enum pt_screen screen;
  enum pt_screen back_to;         /* where "Ja, jag är kvar" returns */
  char lang[QSET_LANG_LEN];
  int hc, large, autoread, easy; /* easy: easy-read question texts */
  char uuid[STORE_UUID_LEN];
  int begun;                      /* a response exists in the store */
  int q;                          /* current question */
  int answers[QSET_MAX_QUESTIONS];
  char *texts[QSET_MAX_QUESTIONS];/* confirmed free text (owned) */
  char typing[STORE_MAX_TEXT + 1];/* text being typed on PT_TEXT */
  int shift;
  int text_full;                  /* the last key did not fit */
  int save_failed;                /* the last save failed: say so */

  /* clocks (ms, caller's monotonic clock) */
  uint64_t last_input;
  uint64_t guard_until;           /* taps before this are ignored */
  uint64_t still_until;           /* PT_STILL_THERE: abandon at */
  uint64_t thanks_until;          /* PT_THANKS: welcome at */

  /* staff */
  char pin[PIN_MAX_DIGITS + 1];
  struct pin_guard guard;
  int pin_wrong;                  /* last PIN was wrong */
  int pin_none;                   /* no PIN is set in the store */
  int staff_page;                 /* the staff menu's page shown (the
                                     layout shows its last page when this
                                     is past it); 0 when the menu opens */

  /* "Anslut till server": what staff typed (the address without
   * "https://", which the screen shows fixed), which field the keyboard
   * types into, and what the program reports back */
  char enrol_addr[128];
  char enrol_code[32];
  int enrol_field;                /* 0 address, 1 code */
  int enrol_busy;                 /* the program is exchanging the code */
  int enrol_failed;               /* enrol_msg is a refusal */
  char enrol_msg[PR_ERR_LEN + 64];
  char enrolled_as[200];          /* "Väntrum plan 2 (SE...)"; "" = not */

  /* requests for the program, cleared by it */
  int want_exit, want_phone, want_sync, want_kick, want_enrol;

  /* read-aloud requests: say_gen changes with every new request */
  unsigned say_gen;
  enum pt_say say;

  /* counts since start, for the log */
  int n_complete, n_abandoned;
};

/* Start on the welcome screen.  sets (borrowed, must outlive p or be
 * replaced with patient_set_sets) are the offered sets.  The staff's
 * defaults are read from the store's meta table, falling back to cfg.
 * *out is the caller's (patient_close); NULL on PR_ENOMEM. */
enum pr_rc patient_open(struct store *st, const struct kconf *cfg,
                        struct qset *const *sets, int n_sets, uint64_t now,
                        struct patient **out, char *err) PR_MUST;
/* Free p (wiping what a patient typed).  NULL-safe.  Does not touch the
 * store: call patient_shutdown first to keep an open response. */
void patient_close(struct patient *p);

/* A tap on target t (index for the targets that have several), at now.
 * Ignored while the tap guard runs or when t does not belong to the
 * screen shown. */
void patient_tap(struct patient *p, enum pt_target t, int index,
                 uint64_t now);
/* A digit, Backspace ('\b') or Enter ('\n') from a physical keyboard; only
 * the PIN screen takes them. */
void patient_key(struct patient *p, int ch, uint64_t now);
/* The staff gesture (a long press in the corner) was made: abandon what a
 * patient left open and ask for the PIN. */
void patient_staff_gesture(struct patient *p, uint64_t now);

/* Apply whatever timeout is due at now.  Returns 1 when the screen
 * changed (redraw). */
int patient_tick(struct patient *p, uint64_t now);
/* The next time patient_tick has something to do, or UINT64_MAX. */
uint64_t patient_deadline(const struct patient *p);
/* Seconds left on the "Är du kvar?" countdown (for its text). */
int patient_still_left(const struct patient *p, uint64_t now);
/* Seconds the PIN lockout still runs (0 = may try). */
long patient_pin_wait(const struct patient *p, uint64_t now);

/* The on-screen keyboard of the screen shown: the patient's language on
 * the free-text question, Swedish on the staff screens. */
struct osk_layout;
const struct osk_layout *patient_osk(const struct patient *p);

/* The program finished the exchange started by want_enrol: ok 1 goes back
 * to the staff menu (the code is wiped either way), msg is shown. */
void patient_enrol_done(struct patient *p, int ok, const char *msg,
                        uint64_t now);

/* The set shown now (NULL when none is offered). */
const struct qset *patient_set(const struct patient *p);
/* A patient is in the middle of a survey (anything between welcome and
 * thank-you, or the staff screens): sets must not change now. */
int patient_busy(const struct patient *p);
/* "welcome", "question", "text", "still_there", "thanks", "pin", "staff":
 * the screen's name in logs and inject scripts (static string). */
const char *patient_screen_name(enum pt_screen s);
/* New offered sets (a rolled-out version): call only when !patient_busy.
 * The shown set is kept by id. */
void patient_set_sets(struct patient *p, struct qset *const *sets, int n);

/* The service manager asked the program to end: keep an open response as
 * abandoned with what was answered.  PR_OK or the store's error. */
enum pr_rc patient_shutdown(struct patient *p, char *err) PR_MUST;

#endif
