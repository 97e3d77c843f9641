/* kiosk_app_int.h — what kiosk_app.c (the window loop) and kiosk_inject.c
 * (the test-script driver) share: the program's one context and a few of
 * the loop's functions.  Not for use outside those two files. */
#ifndef KIOSK_APP_INT_H
#define KIOSK_APP_INT_H

#include <SDL2/SDL.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "kdraw.h"
#include "kiosk_app.h"
#include "layout.h"
#include "patient.h"
#include "enrolcli.h"
#include "sync_worker.h"
#include "tts.h"
#include "uitext.h"

#define MAX_SETS 64

struct kapp {
  const struct kiosk_app_opts *o;
  const struct kconf *cfg;
  SDL_Window *win;
  SDL_Renderer *r;
  struct kdraw *kd;
  struct uitext *ui;
  struct tts *tts;
  struct sync_worker *sync;
  struct sync_config sync_cfg;   /* the config's, with the enrolment */
  struct enrol_job *enrol;       /* "Anslut till server" running */
  pthread_t enrol_th;
  struct patient *p;
  struct lay *lay;
  struct lay_env env;
  int lay_valid;

  struct qset **all;             /* every loaded set (owned) */
  int n_all;
  struct qset *offered[MAX_SETS];/* one version per offered id (borrowed) */
  int n_offered;
  struct timespec sets_mtime;    /* of the fetched-sets directory */

  Uint32 ev_sync, ev_term, ev_enrol;
  int running, dirty, frames;
  unsigned said_gen;
  uint64_t clock_off;            /* inject "advance" */
  uint64_t housekeep_at;         /* next call-list erasure run */

  /* the finger or mouse button that is down */
  int down;
  enum pt_target down_t;
  int down_i;
  int corner;                    /* went down in the staff corner */
  int corner_fired;
  uint64_t down_at;

  char sync_text[512];
  char audio_text[TTS_STATUS_LEN];

  FILE *inj;
  long inj_line;
  uint64_t inj_wait_until;       /* "wait": real time, SDL ticks */
  uint64_t inj_clock, inj_mark;  /* the script's clock (without "advance")
                                    and the SDL ticks it last moved at */
  int inj_staff;                 /* "staff": finger held in the corner */
  long inj_pace;                 /* "pace": clock ms added before a tap */
  int inj_wait_enrol;            /* "wait_enrol": until the exchange ends */
  Uint64 bench_tap_pc;           /* "bench_tap": when the tap was pushed */
};

/* The kiosk's clock: SDL ticks; under an inject script the script's clock
 * (it moves only while the script waits) plus what the script advanced. */
uint64_t kapp_now_ms(const struct kapp *a);
/* Lay out the screen the model shows (for hits and for drawing). */
void kapp_relayout(struct kapp *a);
/* Lay out, draw and present. */
void kapp_draw(struct kapp *a);
/* "welcome", "question", ... as the inject script names them. */
const char *kapp_screen_name(enum pt_screen s);

/* kiosk_inject.c: run the script's next command.  1: go on, 0: the script
 * ended, -1: a bad line or a failed expectation (err set). */
int kinject_step(struct kapp *a, char *err);
/* Push a finger event at window pixel (x, y). */
void kinject_finger(struct kapp *a, Uint32 type, int x, int y);

#endif
