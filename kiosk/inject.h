/* inject.h — what the two inject-script drivers (kiosk_inject.c for the
 * patient kiosk, phone_app.c for phone mode) share: reading a script one
 * command at a time, pushing a key press as SDL events, and where a "shot"
 * is written.  It knows nothing of what a command means. */
#ifndef INJECT_H
#define INJECT_H

#include <SDL2/SDL.h>
#include <stdio.h>

#include "pr.h"

/* The next command of the script f into line (cap bytes), blank lines and
 * '#' comments skipped, the line end cut; *lineno counts every line read.
 * *arg points after the first space ("" when there is none).  1 when a
 * command was read, 0 at the end of the script. */
int inject_next(FILE *f, long *lineno, char *line, size_t cap, char **arg);

/* A key press: SDL_KEYDOWN then SDL_KEYUP for k with modifiers mod. */
void inject_key(SDL_Keycode k, Uint16 mod);

/* Where "shot NAME" writes: NAME itself when absolute or dir is NULL,
 * else dir/NAME, into buf.  PR_EINVAL "inject script line N: path too
 * long" when it does not fit. */
enum pr_rc inject_shot_path(const char *dir, const char *name, long lineno,
                            char *buf, size_t cap, char *err) PR_MUST;

#endif
