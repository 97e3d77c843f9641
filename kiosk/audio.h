/* audio.h — plays 16-bit mono PCM at AUDIO_RATE through one SDL audio
 * device, fed from any thread, cleared at once on stop.  It knows nothing of
 * speech or question sets.  Without an audio device it still works: every
 * push is dropped and audio_status() says so, so the kiosk runs silently. */
#ifndef AUDIO_H
#define AUDIO_H

#include <stddef.h>
#include <stdint.h>
#include "pr.h"

#define AUDIO_RATE 22050                 /* samples per second, mono S16 */
#define AUDIO_MAX_SECONDS 180            /* longest clip held at once */
#define AUDIO_STATUS_LEN 96

struct audio;

/* Open the default output device (SDL audio subsystem, callback mode, small
 * buffers for low latency).  On success *out is the caller's (audio_close).
 * No device, or SDL audio that will not start, is NOT an error: *out is a
 * silent handle and audio_has_device() is 0.  PR_ENOMEM leaves *out NULL. */
enum pr_rc audio_open(struct audio **out, char *err) PR_MUST;
void audio_close(struct audio *a);   /* NULL-safe; stops the device */

/* 1 when a real device plays what is pushed, 0 for a silent handle. */
int audio_has_device(const struct audio *a);

/* The device is closed while nothing plays, so SDL's audio thread does not
 * wake every 23 ms to play silence.  audio_sleep closes it when nothing is
 * queued (returns 1 when it is closed now); audio_wake (also done by audio_push)
 * opens it again.  PR_EIO when it will not open again (pushes are then
 * dropped, as without a device).  Not to be called from the callback. */
int audio_sleep(struct audio *a);
enum pr_rc audio_wake(struct audio *a) PR_MUST;

/* Staff-facing one-line status in Swedish: "Ljud: på (disk)" or
 * "Ljud: ingen ljudenhet".  Borrowed; valid until audio_close. */
const char *audio_status(const struct audio *a);

/* Start a new clip: drop everything queued, so playback stops within one
 * device buffer (about 23 ms), and accept from now on only pushes carrying
 * `token`.  Safe from any thread. */
void audio_clear(struct audio *a, unsigned token);

/* Append n samples for clip `token`.  Pushes for any other token (a clip
 * that was stopped) are dropped silently.  PR_ELIMIT past
 * AUDIO_MAX_SECONDS queued, PR_ENOMEM if the queue cannot grow; nothing
 * queued before is lost either way.  Safe from any thread. */
enum pr_rc audio_push(struct audio *a, unsigned token, const int16_t *s,
                      size_t n) PR_MUST;

/* Samples still queued (0: quiet). */
size_t audio_queued(struct audio *a);

/* SDL performance-counter time at which the device first took a sample of
 * the current clip, or 0 when it has not yet (or there is no device). */
uint64_t audio_first_sample_ticks(struct audio *a);

#endif
