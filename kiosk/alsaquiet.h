/* alsaquiet.h — keeps alsa-lib from writing its own lines to stderr while
 * the kiosk looks for a sound card: without one, alsa-lib prints eight
 * "ALSA lib ..." lines on every start, and the kiosk says what it found in
 * one log line of its own instead (audio.c).  libasound is reached through
 * dlopen, so the kiosk neither links nor needs it; where it is missing
 * nothing happens.  Real errors after the search are printed as before. */
#ifndef ALSAQUIET_H
#define ALSAQUIET_H

struct alsaquiet;

/* Silence alsa-lib's error printing until alsaquiet_end.  NULL (and
 * nothing changed) when libasound is not installed. */
struct alsaquiet *alsaquiet_begin(void);

/* Give alsa-lib its own error printing back.  NULL-safe. */
void alsaquiet_end(struct alsaquiet *q);

#endif
