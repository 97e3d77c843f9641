/* audio.c — This file contains the PCM player behind audio.h: a FIFO of
 * 16-bit mono samples drained by an SDL audio callback.  The FIFO has a
 * mutex of its own, taken by the callback too, so a clear takes effect
 * before the next buffer is handed to the device.  The device itself is
 * closed while nothing plays (audio_sleep): SDL's audio thread otherwise
 * wakes every buffer, paused or not, to play silence. */
#include "audio.h"

#include <SDL.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "alsaquiet.h"

/* 512 samples at 22050 Hz is 23 ms: the longest a stop can lag, and the
 * device-side part of the tap-to-sound latency. */
#define AUDIO_DEVICE_SAMPLES 512
#define AUDIO_MAX_SAMPLES ((size_t)AUDIO_RATE * AUDIO_MAX_SECONDS)

struct audio {
  SDL_AudioDeviceID dev;       /* 0: closed (asleep, or no device) */
  int usable;                  /* the device opened once: audio works */
  int sdl_inited;              /* we hold a ref on SDL_INIT_AUDIO */
  SDL_mutex *dev_mu;           /* opening and closing dev */
  SDL_mutex *mu;               /* the FIFO below */
  char status[AUDIO_STATUS_LEN];
  /* FIFO: valid samples are buf[head .. head+len).  Guarded by mu
   * (callback side and producers). */
  int16_t *buf;
  size_t cap, head, len;
  unsigned token;
  _Atomic uint64_t first_ticks;
};

static void audio_callback(void *ud, Uint8 *stream, int bytes)
{
  struct audio *a = ud;
  size_t want = (size_t)bytes / sizeof(int16_t);
  size_t n;

  SDL_LockMutex(a->mu);
  n = a->len < want ? a->len : want;
  if(n) {
    memcpy(stream, a->buf + a->head, n * sizeof(int16_t));
    a->head += n;
    a->len -= n;
    if(a->len == 0)
      a->head = 0;
    if(atomic_load(&a->first_ticks) == 0)
      atomic_store(&a->first_ticks, SDL_GetPerformanceCounter());
  }
  SDL_UnlockMutex(a->mu);
  if(n < want)
    memset(stream + n * sizeof(int16_t), 0, (want - n) * sizeof(int16_t));
}

/* Open the device and let it run.  Called with dev_mu held. */
static int open_device(struct audio *a, int *freq)
{
  SDL_AudioSpec want, have;
  SDL_zero(want);
  want.freq = AUDIO_RATE;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = AUDIO_DEVICE_SAMPLES;
  want.callback = audio_callback;
  want.userdata = a;
  /* No allowed changes: SDL converts to whatever the hardware wants, so
   * the FIFO format is fixed. */
  a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
  if(!a->dev)
    return -1;
  if(freq)
    *freq = have.freq;
  SDL_PauseAudioDevice(a->dev, 0);
  return 0;
}

enum pr_rc audio_open(struct audio **out, char *err)
{
  struct audio *a;
  const char *drv;
  struct alsaquiet *quiet;
  int freq = 0, rc;

  *out = NULL;
  a = pr_calloc(1, sizeof(*a));
  if(!a) {
    pr_seterr(err, "audio: out of memory");
    return PR_ENOMEM;
  }
  pr_strlcpy(a->status, "Ljud: ingen ljudenhet", sizeof(a->status));
  a->mu = SDL_CreateMutex();
  a->dev_mu = SDL_CreateMutex();
  if(!a->mu || !a->dev_mu) {
    pr_seterr(err, "audio: cannot create lock (%s)", SDL_GetError());
    audio_close(a);
    return PR_ENOMEM;
  }
  /* alsa-lib prints its own lines when there is no sound card: the
   * kiosk says it once, below, in its own words */
  quiet = alsaquiet_begin();
  rc = SDL_InitSubSystem(SDL_INIT_AUDIO);
  if(rc == 0) {
    a->sdl_inited = 1;
    rc = open_device(a, &freq);
  }
  alsaquiet_end(quiet);
  if(rc) {
    pr_log(PR_LOG_WARN, "audio_no_device", "say=\"no sound card found: "
           "read-aloud is off\" why=\"%s\"", SDL_GetError());
    *out = a;
    return PR_OK;
  }
  drv = SDL_GetCurrentAudioDriver();
  snprintf(a->status, sizeof(a->status), "Ljud: på (%s)",
           drv ? drv : "okänd");
  a->usable = 1;
  pr_log(PR_LOG_INFO, "audio_open", "driver=%s rate=%d", drv ? drv : "?",
         freq);
  *out = a;
  return PR_OK;
}

void audio_close(struct audio *a)
{
  if(!a)
    return;
  if(a->dev)
    SDL_CloseAudioDevice(a->dev);  /* joins the callback thread */
  if(a->sdl_inited)
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
  if(a->mu)
    SDL_DestroyMutex(a->mu);
  if(a->dev_mu)
    SDL_DestroyMutex(a->dev_mu);
  pr_free(a->buf);
  pr_free(a);
}

int audio_has_device(const struct audio *a) { return a && a->usable; }

enum pr_rc audio_wake(struct audio *a)
{
  enum pr_rc rc = PR_OK;
  if(!a || !a->usable)
    return PR_OK;
  SDL_LockMutex(a->dev_mu);
  if(!a->dev && open_device(a, NULL)) {
    pr_log(PR_LOG_WARN, "audio_reopen_failed", "why=\"%s\"", SDL_GetError());
    rc = PR_EIO;
  }
  SDL_UnlockMutex(a->dev_mu);
  return rc;
}

int audio_sleep(struct audio *a)
{
  int slept = 0;
  if(!a || !a->usable)
    return 0;
  SDL_LockMutex(a->dev_mu);
  if(a->dev && audio_queued(a) == 0) {
    SDL_CloseAudioDevice(a->dev);   /* joins SDL's audio thread */
    a->dev = 0;
  }
  slept = a->dev == 0;
  SDL_UnlockMutex(a->dev_mu);
  return slept;
}

const char *audio_status(const struct audio *a)
{
  return a ? a->status : "Ljud: ingen ljudenhet";
}

void audio_clear(struct audio *a, unsigned token)
{
  if(!a || !a->mu)
    return;
  SDL_LockMutex(a->mu);
  a->token = token;
  a->head = 0;
  a->len = 0;
  atomic_store(&a->first_ticks, 0);
  SDL_UnlockMutex(a->mu);
}

/* Make room for n more samples at the tail.  Called under the lock. */
static enum pr_rc fifo_reserve(struct audio *a, size_t n)
{
  size_t need, ncap;
  int16_t *nb;

  if(a->len + n > AUDIO_MAX_SAMPLES)
    return PR_ELIMIT;
  if(a->head && a->head + a->len + n > a->cap) {
    memmove(a->buf, a->buf + a->head, a->len * sizeof(int16_t));
    a->head = 0;
  }
  need = a->head + a->len + n;
  if(need <= a->cap)
    return PR_OK;
  ncap = a->cap ? a->cap : AUDIO_RATE;
  while(ncap < need)
    ncap *= 2;
  nb = pr_realloc(a->buf, ncap * sizeof(int16_t));
  if(!nb)
    return PR_ENOMEM;
  a->buf = nb;
  a->cap = ncap;
  return PR_OK;
}

enum pr_rc audio_push(struct audio *a, unsigned token, const int16_t *s,
                      size_t n)
{
  enum pr_rc rc = PR_OK;

  if(!a || !a->usable || n == 0)
    return PR_OK;
  if(audio_wake(a) != PR_OK)
    return PR_OK;           /* the device went away: silent, as without one */
  SDL_LockMutex(a->mu);
  if(token != a->token)
    goto out;               /* a stopped clip: drop */
  rc = fifo_reserve(a, n);
  if(rc != PR_OK)
    goto out;
  memcpy(a->buf + a->head + a->len, s, n * sizeof(int16_t));
  a->len += n;
out:
  SDL_UnlockMutex(a->mu);
  return rc;
}

size_t audio_queued(struct audio *a)
{
  size_t n;
  if(!a || !a->mu)
    return 0;
  SDL_LockMutex(a->mu);
  n = a->len;
  SDL_UnlockMutex(a->mu);
  return n;
}

uint64_t audio_first_sample_ticks(struct audio *a)
{
  return a ? atomic_load(&a->first_ticks) : 0;
}
