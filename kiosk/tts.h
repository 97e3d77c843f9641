/* tts.h — read-aloud for the kiosk: speaks a text in a language with
 * espeak-ng (used as a library) or plays a recorded clip instead, through
 * audio.h.  All synthesis runs on one engine thread, so tts_say() and
 * tts_stop() return at once and a tap never waits.  It does not decide WHAT
 * to read (see a11y.h) and never logs the text it speaks. */
#ifndef TTS_H
#define TTS_H

#include <stddef.h>
#include <stdint.h>
#include "pr.h"

#define TTS_MAX_TEXT 4096          /* bytes of UTF-8 per utterance */
#define TTS_RATE_WPM 150           /* a little slower than espeak's 175 */
#define TTS_STATUS_LEN 128

struct tts;

/* Start the audio device and the engine thread (espeak-ng with its data
 * from the system).  prewarm_lang ("sv", may be NULL) is loaded at once so
 * the first tap does not pay for reading a dictionary.  Like audio_open, a
 * missing device or a missing espeak-ng is not an error: the handle works
 * silently and tts_status() says why.  *out is the caller's (tts_close);
 * NULL on PR_ENOMEM / PR_EINTERNAL (thread could not start).
 * Only one tts may be open at a time (espeak-ng has global state); it is
 * loaded on the first tts_open and stays loaded until the process ends. */
enum pr_rc tts_open(const char *prewarm_lang, struct tts **out,
                    char *err) PR_MUST;
/* Stop speaking, join the engine thread, close the device.  NULL-safe. */
void tts_close(struct tts *t);

/* Read aloud, replacing whatever is being read.  lang is a short language
 * code ("sv", "en", "ar"...).  When audio_path is non-NULL and names a
 * readable WAV file it is played instead of synthesis; if it cannot be
 * read, text is synthesised (and a warning logged without the text).
 * Returns PR_OK when the request was accepted (it may still turn out silent,
 * see tts_status), PR_EINVAL for an empty/overlong text with no clip or a
 * bad lang.  Never blocks on synthesis. */
enum pr_rc tts_say(struct tts *t, const char *lang, const char *text,
                   const char *audio_path, char *err) PR_MUST;

/* Stop at once: queued sound is dropped (silence within one device buffer,
 * ~23 ms) and synthesis in progress is abandoned.  NULL-safe. */
void tts_stop(struct tts *t);

struct tts_status {
  int device;        /* 1: an audio device is playing what we produce */
  int engine;        /* 1: espeak-ng initialised */
  int speaking;      /* 1: something is being synthesised or played */
  /* Microseconds from the last tts_say() to its first sample taken by the
   * audio device; -1 while not yet (or never, without a device). */
  long long first_sample_us;
  char text[TTS_STATUS_LEN]; /* Swedish, for the staff menu:
                                "Ljud: på (alsa)", "Ljud: ingen ljudenhet",
                                "Ljud: talsyntes saknas" */
};
void tts_status(struct tts *t, struct tts_status *st);

/* Synthesise text in lang into memory (no playback), waiting for the
 * engine thread.  For tests and tools; it stops any reading in progress.
 * On success *out (pr_free) holds *n samples of mono S16 at AUDIO_RATE.
 * On failure *out is NULL, *n 0: PR_ENOTFOUND (no voice for lang),
 * PR_EINTERNAL (no engine), PR_EINVAL (bad text), PR_ENOMEM. */
enum pr_rc tts_synth(struct tts *t, const char *lang, const char *text,
                     int16_t **out, size_t *n, char *err) PR_MUST;

/* Does espeak-ng have a voice for lang?  Waits for the engine thread. */
int tts_has_voice(struct tts *t, const char *lang);

#endif
