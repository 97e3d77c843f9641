/* phone_app.h — runs the phone-interview mode in a window: the event loop
 * (blocking in SDL_WaitEventTimeout, redrawing only on change), keyboard
 * and text input, and an optional inject script that drives it with real
 * SDL key and text events for tests.  The kiosk program calls it for its
 * --phone flag and its staff-menu entry "Telefonintervju".
 *
 * Inject script, one command per line ('#' starts a comment); the same
 * words as rost-kiosk --inject where they overlap:
 *   key NAME     a key press: enter esc up down pageup pagedown backspace
 *                tab f5 left, or
 *                one character (digit or lower-case letter)
 *   text UTF-8   typed text (SDL_TEXTINPUT)
 *   mouse X Y    a left mouse click at window pixel (X, Y) ("click", "tap")
 *   shot FILE    draw, then write FILE (.png): absolute, or under shots_dir
 *   clock +S     move the interview clock S seconds forward ("clock =T"
 *                sets it to unix time T); the start is pr_now()
 *   wait MS      sleep MS milliseconds ("idle")
 *   quit         leave phone mode ("close")
 * The script ends phone mode when it runs out. */
#ifndef PHONE_APP_H
#define PHONE_APP_H

#include <SDL2/SDL.h>
#include "calllist.h"
#include "qset.h"
#include "store.h"

struct phone_app_opts {
  struct store *store;        /* borrowed, open */
  const struct qset *set;     /* borrowed: the phone set */
  const char *unit;           /* HSA-id */
  struct calllist_cfg cfg;
  SDL_Renderer *renderer;     /* borrowed; NULL: open a window of its own */
  const char *inject;         /* inject script path, or NULL */
  const char *shots_dir;      /* for "shot"; NULL = current directory */
  int width, height;          /* own window size; 0 = 1280 x 800 */
  int quit_on_close;          /* 1: closing the window ends phone mode
                                 (started with --phone at a desktop); 0:
                                 ignored (the locked kiosk decides) */
};

/* Run until the coordinator leaves phone mode (Esc on the list) or the
 * inject script ends.  PR_EIO/PR_EINVAL with err on a window, font or
 * script problem. */
enum pr_rc phone_app_run(const struct phone_app_opts *o, char *err) PR_MUST;

/* Everything the kiosk program needs for its --phone flag or its staff-menu
 * entry in one call: load the sets in sets_dir, pick the phone set, apply
 * the config's phone_* settings (cfg may be NULL: defaults; see
 * calllist_cfg_set) and run phone mode on renderer (NULL: own window).
 * inject (may be NULL) is an inject script; shots_dir for its "shot". */
enum pr_rc phone_app_start(struct store *s, const char *sets_dir,
                           const char *unit, const struct calllist_cfg *cfg,
                           SDL_Renderer *renderer, const char *inject,
                           const char *shots_dir, int quit_on_close,
                           char *err) PR_MUST;

/* Find the phone question set (id "ring-upp-utskrivning") among sets;
 * NULL if none. */
const struct qset *phone_app_find_set(struct qset *const *sets, int n);

#endif
