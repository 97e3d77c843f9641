/* kconf.h — the kiosk program's one config file ("key = value", '#'
 * comments): unit, store, question sets, language, timeouts, window,
 * screen size and the staff's accessibility defaults, plus the sync_* keys
 * (sync_config.h) and phone_* keys (calllist.h) it hands on.  Every key,
 * its default and its meaning is documented in assets/kiosk/kiosk.conf.example;
 * an unknown key is an error so a typo is never silently ignored.  It
 * reads only the file: no SDL, no store. */
#ifndef KCONF_H
#define KCONF_H

#include "calllist.h"
#include "pr.h"
#include "qset.h"
#include "store.h"
#include "sync_config.h"

#define KCONF_PATH_LEN 512
#define KCONF_MAX_SETS 16

struct kconf {
  char unit[STORE_UNIT_LEN];       /* HSA-id; required */
  char store[KCONF_PATH_LEN];      /* /var/lib/patientrost/kiosk.db */
  char sets_dir[KCONF_PATH_LEN];   /* shipped sets (assets/surveys) */
  char assets[KCONF_PATH_LEN];     /* fonts, ui-text.json, audio clips */
  int n_sets;                      /* 0: every set with kiosk questions */
  char sets[KCONF_MAX_SETS][QSET_ID_LEN];
  char set[QSET_ID_LEN];           /* shown first; "" = first offered */
  char lang[QSET_LANG_LEN];        /* default language: "sv" */
  int idle_s;                      /* no input this long: "Är du kvar?" (60) */
  int still_there_s;               /* then this long to answer (20) */
  int thanks_s;                    /* thank-you back to welcome (8) */
  int tap_guard_ms;                /* taps this soon after a screen change
                                      are ignored (400) */
  int staff_press_ms;              /* long press in the top-left corner (3000) */
  int staff_timeout_s;             /* staff menu / PIN back to welcome (120) */
  int fullscreen;                  /* 1 (kiosk); 0 = a window */
  int gpu;                         /* renderer: 0 software (default), 1 GPU */
  int width, height;               /* window size when not fullscreen */
  double screen_inch;              /* physical diagonal, for 15 mm targets */
  int screen_w, screen_h;          /* its native resolution in pixels */
  int high_contrast, large_text, auto_read, easy_read; /* staff defaults */
  int audio;                       /* 0: no read-aloud at all */
  struct sync_config sync;         /* sync_url "" = sync off */
  struct calllist_cfg phone;
};

/* Defaults for every key (unit empty). */
void kconf_defaults(struct kconf *c);

/* Set one key from text.  PR_ENOTFOUND for an unknown key, PR_EINVAL
 * with err naming the key and what is wrong (c unchanged for that key). */
enum pr_rc kconf_set(struct kconf *c, const char *key, const char *value,
                     char *err) PR_MUST;

/* kconf_defaults, then every line of the file.  Errors read
 * "PATH:LINE: ..."; PR_EIO when unreadable.  A missing unit is PR_EINVAL. */
enum pr_rc kconf_load(const char *path, struct kconf *c, char *err) PR_MUST;

/* Is set id offered (listed in sets, or every set when the list is empty)? */
int kconf_offers(const struct kconf *c, const char *set_id);

#endif
