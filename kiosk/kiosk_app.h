/* kiosk_app.h — runs the patient kiosk in a window: SDL setup (locked:
 * window close, Alt+F4 and Escape do nothing), the event loop that blocks
 * in SDL_WaitEventTimeout until the next deadline and redraws only on
 * change, touch and mouse turned into taps (on release, inside the button
 * pressed), the staff long-press, read-aloud, the sync thread, question-set
 * rollout between patients, SIGTERM, and an inject script that drives all
 * of it with real SDL events for tests.  The flow itself is patient.h.
 *
 * Inject script, one command per line ('#' starts a comment):
 *   tap NAME [I]     tap the button NAME (start, lang, option, back, skip,
 *                    done, key, still_yes, thanks_ok, speak, hc, large,
 *                    easy, auto, pin_digit, pin_del, pin_ok, cancel,
 *                    staff_set, staff_lang, staff_hc, staff_large,
 *                    staff_easy, staff_auto, staff_phone, staff_sync,
 *                    staff_back, staff_exit, staff_enrol, enrol_field,
 *                    enrol_go, staff_page) number I (default 0) with a
 *                    finger-down and finger-up at its centre; the button
 *                    must be on screen
 *   type TEXT        tap the on-screen keyboard's keys for TEXT (shift too)
 *   touch X Y        a finger tap at pixel (X, Y); "mouse X Y" a click
 *   press X Y / release X Y   finger down / up alone
 *   staff            a long press in the staff corner
 *   advance MS       move the kiosk's clock MS ms forward (timeouts); under
 *                    a script the clock moves only by advance, pace and
 *                    the waits, never by how long a frame or a tap took
 *   pace MS          advance the clock MS ms before every tap and key
 *                    typed (a patient's pace; 0 = hurried taps)
 *   wait MS          keep running the loop for MS ms of real time
 *   wait_enrol       keep running until "Anslut till server" has its
 *                    answer (at most 60 s)
 *   key NAME         a key: esc, altf4, enter, backspace, or a digit
 *   close            the window manager's close (window event + SDL_QUIT)
 *   sigterm          raise SIGTERM
 *   expect SCREEN [QID]  stop with an error unless SCREEN (welcome,
 *                    question, text, still_there, thanks, pin, staff, enrol) is
 *                    shown (and question QID)
 *   shot FILE        draw, then write FILE (.png) under shots_dir
 *   bench_tap NAME [I]  as tap, and log the time until the next frame
 * The program ends when the script does. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include "kconf.h"
#include "pr.h"
#include "store.h"

struct kiosk_app_opts {
  const struct kconf *cfg;    /* borrowed */
  struct store *store;        /* borrowed, open */
  const char *inject;         /* inject script, or NULL */
  const char *phone_inject;   /* inject script for phone mode, or NULL */
  const char *shots_dir;      /* for "shot"; NULL = current directory */
};

/* Run until staff choose "Avsluta", SIGTERM/SIGINT, or the inject script
 * ends.  The caller must have blocked SIGTERM, SIGINT and SIGHUP in every
 * thread (kiosk_app_block_signals, before SDL_Init) so they reach the loop
 * as events.  PR_EIO/PR_EINVAL with err on a window, font or script
 * problem; PR_OK otherwise. */
enum pr_rc kiosk_app_run(const struct kiosk_app_opts *o, char *err) PR_MUST;

/* Block SIGTERM, SIGINT and SIGHUP in the calling thread (and so in every
 * thread it starts later).  Call first thing in main. */
void kiosk_app_block_signals(void);

#endif
