/* kiosk_inject.h — the patient kiosk's inject-script driver (the language
 * is documented in kiosk_app.h): script lines become real SDL finger,
 * mouse, key and window events, a clock offset, checks of the screen
 * shown, and screenshots.  It knows the window loop only through struct
 * kinject_host, which the loop fills in; it never calls the loop. */
#ifndef KIOSK_INJECT_H
#define KIOSK_INJECT_H

#include <SDL2/SDL.h>
#include <stdint.h>
#include <stdio.h>

#include "layout.h"
#include "patient.h"
#include "pr.h"

/* What the driver needs from the program that runs the script. */
struct kinject_host {
  void *ctx;
  /* Lay out the screen shown now; the layout is borrowed until the next
   * call. */
  const struct lay *(*layout)(void *ctx);
  /* Draw and present the screen shown now (before a screenshot). */
  void (*draw)(void *ctx);
};

struct kinject {
  FILE *f;                       /* the script; NULL = no script */
  long line;                     /* lines read so far */
  struct kinject_host host;
  const struct patient *p;       /* the model (borrowed) */
  SDL_Renderer *r;               /* for sizes and screenshots (borrowed) */
  SDL_Window *win;               /* for "close" (borrowed) */
  const char *shots_dir;         /* for "shot"; NULL = current directory */
  uint64_t clock_off;            /* "advance", "pace": ms added to the
                                    kiosk's clock */
  uint64_t clock, mark;          /* the script's clock (moves only while
                                    it waits) and the SDL ticks it last
                                    moved at */
  uint64_t wait_until;           /* "wait": real time, SDL ticks; 0 none */
  int wait_enrol;                /* "wait_enrol": also ends when the loop
                                    has no enrolment exchange running */
  int staff;                     /* "staff": finger held in the corner */
  long pace;                     /* "pace": clock ms added before a tap */
  Uint64 bench_tap_pc;           /* "bench_tap": when the tap was pushed */
};

/* Open the script at path into k (everything else zeroed; the caller
 * fills in host, p, r, win and shots_dir).  PR_EINVAL with err when it
 * cannot be read. */
enum pr_rc kinject_open(struct kinject *k, const char *path,
                        char *err) PR_MUST;
/* Close the script (NULL-safe, idempotent). */
void kinject_close(struct kinject *k);

/* Run the script's next command.  1: go on, 0: the script ended, -1: a bad
 * line or a failed expectation (err set). */
int kinject_step(struct kinject *k, char *err);

/* Push a finger event of type at window pixel (x, y). */
void kinject_finger(const struct kinject *k, Uint32 type, int x, int y);

#endif
