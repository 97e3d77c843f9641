/* tts.c — This file contains the read-aloud engine declared in tts.h.
 *
 * espeak-ng keeps global state and is not thread-safe, so exactly one
 * thread (the engine thread started by tts_open) ever calls it.  The UI
 * thread only writes a request into a slot under a mutex and signals.  A
 * generation counter makes stop immediate: tts_stop/tts_say bump it and
 * clear the audio FIFO; the synthesis callback sees a stale generation on
 * its next chunk (every TTS_CHUNK_MS of audio) and aborts, and pushes
 * carrying the old generation are dropped by audio_push. */
#include "tts.h"
#include "audio.h"
#include "audiofile.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>

/* espeak hands us audio in chunks this long: the granularity of both the
 * first-sample latency and of abort. */
#define TTS_CHUNK_MS 40
/* quiet this long after the last sample: the audio device may sleep */
#define TTS_SLEEP_MS 2000
#define TTS_LANG_LEN 16

enum tts_job { JOB_NONE = 0, JOB_SYNTH, JOB_VOICE };
enum tts_mode { MODE_PLAY, MODE_COLLECT };

struct tts {
  struct audio *audio;
  SDL_Thread *thread;
  SDL_mutex *mu;
  SDL_cond *cv;        /* engine thread waits for work */
  SDL_cond *done_cv;   /* callers wait for start-up / blocking jobs */

  /* --- guarded by mu --- */
  int quit, ready;
  int say_pending;
  unsigned say_gen;
  char say_lang[TTS_LANG_LEN];
  char say_text[TTS_MAX_TEXT + 1];
  char say_path[PATH_MAX];
  enum tts_job job;            /* pending blocking job */
  int job_busy, job_done;
  char job_lang[TTS_LANG_LEN];
  char job_text[TTS_MAX_TEXT + 1];
  enum pr_rc job_rc;
  char job_err[PR_ERR_LEN];
  int16_t *job_out;
  size_t job_n;
  int engine_ok;
  char status[TTS_STATUS_LEN];

  /* --- shared, lock-free --- */
  _Atomic unsigned gen;        /* current utterance; bumped by say/stop */
  _Atomic int busy;            /* engine thread is producing sound */
  _Atomic uint64_t say_ticks;  /* perf counter at the last tts_say */

  /* --- engine thread only --- */
  char cur_voice[TTS_LANG_LEN];
  enum tts_mode mode;
  unsigned w_gen;
  char w_lang[TTS_LANG_LEN];
  char w_text[TTS_MAX_TEXT + 1];
  char w_path[PATH_MAX];
  int16_t *col;                /* MODE_COLLECT buffer */
  size_t col_n, col_cap;
  int col_fail;
};

static int lang_ok(const char *lang)
{
  size_t i, n;
  if(!lang)
    return 0;
  n = strlen(lang);
  if(n < 2 || n >= TTS_LANG_LEN)
    return 0;
  for(i = 0; i < n; i++) {
    char c = lang[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-'))
      return 0;
  }
  return 1;
}

/* ---------------------------------------------------------------- engine */

static int synth_cb(short *wav, int n, espeak_EVENT *ev)
{
  struct tts *t = NULL;
  espeak_EVENT *e;

  for(e = ev; e && !t; e++) {
    t = e->user_data;
    if(e->type == espeakEVENT_LIST_TERMINATED)
      break;
  }
  if(!t)
    return 1;                          /* cannot happen: abort safely */
  if(t->mode == MODE_PLAY) {
    if(atomic_load(&t->gen) != t->w_gen)
      return 1;                        /* stopped: abandon synthesis */
    if(wav && n > 0 &&
       audio_push(t->audio, t->w_gen, wav, (size_t)n) != PR_OK)
      return 1;
    return 0;
  }
  if(!wav || n <= 0)
    return 0;
  if(t->col_n + (size_t)n > (size_t)AUDIO_RATE * AUDIO_MAX_SECONDS) {
    t->col_fail = 1;
    return 1;
  }
  if(t->col_n + (size_t)n > t->col_cap) {
    size_t ncap = t->col_cap ? t->col_cap : AUDIO_RATE;
    int16_t *nb;
    while(ncap < t->col_n + (size_t)n)
      ncap *= 2;
    nb = pr_realloc(t->col, ncap * sizeof(int16_t));
    if(!nb) {
      t->col_fail = 1;
      return 1;
    }
    t->col = nb;
    t->col_cap = ncap;
  }
  memcpy(t->col + t->col_n, wav, (size_t)n * sizeof(int16_t));
  t->col_n += (size_t)n;
  return 0;
}

/* Does espeak-ng list a voice whose language is lang or lang-*? */
static int voice_exists(const char *lang)
{
  const espeak_VOICE **v = espeak_ListVoices(NULL);
  size_t ll = strlen(lang);

  for(; v && *v; v++) {
    /* languages: repeated (priority byte, NUL-terminated name), then 0. */
    const char *p = (*v)->languages;
    while(p && *p) {
      const char *name = p + 1;
      if(strcmp(name, lang) == 0 ||
         (strncmp(name, lang, ll) == 0 && name[ll] == '-'))
        return 1;
      p = name + strlen(name) + 1;
    }
  }
  return 0;
}

/* Select the voice for lang unless it is already selected. */
static enum pr_rc use_voice(struct tts *t, const char *lang, char *err)
{
  espeak_VOICE spec;

  if(strcmp(t->cur_voice, lang) == 0)
    return PR_OK;
  if(!voice_exists(lang)) {
    pr_seterr(err, "no speech voice for language \"%s\"", lang);
    return PR_ENOTFOUND;
  }
  memset(&spec, 0, sizeof(spec));
  spec.languages = lang;
  if(espeak_SetVoiceByProperties(&spec) != EE_OK) {
    pr_seterr(err, "speech voice for \"%s\" would not load", lang);
    t->cur_voice[0] = '\0';
    return PR_ENOTFOUND;
  }
  espeak_SetParameter(espeakRATE, TTS_RATE_WPM, 0);
  pr_strlcpy(t->cur_voice, lang, sizeof(t->cur_voice));
  return PR_OK;
}

static enum pr_rc synth_text(struct tts *t, const char *lang,
                             const char *text, char *err)
{
  enum pr_rc rc = use_voice(t, lang, err);
  espeak_ERROR e;

  if(rc != PR_OK)
    return rc;
  e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                   espeakCHARS_UTF8, NULL, t);
  if(e != EE_OK) {
    pr_seterr(err, "speech synthesis failed (espeak error %d)", (int)e);
    return PR_EINTERNAL;
  }
  return PR_OK;
}

/* espeak-ng is a process-wide singleton, and in 1.51 a second
 * espeak_Initialize after espeak_Terminate deadlocks in Terminate.  So it
 * is initialised once per process, on first tts_open, and left loaded; a
 * later tts_open (tests, a restarted audio device) reuses it.  This is the
 * one piece of process state here, and it mirrors the library's own. */
static _Atomic int espeak_rate;   /* 0: not tried; >0 rate; <0 failed */

static void engine_init(struct tts *t, const char *prewarm)
{
  int rate = atomic_load(&espeak_rate);
  char err[PR_ERR_LEN] = "";

  if(rate == 0) {
    rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, TTS_CHUNK_MS, NULL,
                             espeakINITIALIZE_DONT_EXIT);
    atomic_store(&espeak_rate, rate > 0 ? rate : -1);
  }
  if(rate != AUDIO_RATE) {
    pr_log(PR_LOG_WARN, "tts_no_engine", "espeak_rate=%d", rate);
    return;
  }
  espeak_SetSynthCallback(synth_cb);
  t->engine_ok = 1;
  if(prewarm && lang_ok(prewarm)) {
    /* Load the dictionary and run the synthesiser once, so the first tap
     * costs only synthesis of its own first chunk. */
    t->mode = MODE_COLLECT;
    if(synth_text(t, prewarm, ".", err) != PR_OK)
      pr_log(PR_LOG_WARN, "tts_prewarm", "lang=%s why=\"%s\"", prewarm, err);
    pr_free(t->col);
    t->col = NULL;
    t->col_n = t->col_cap = 0;
  }
}

static void run_job(struct tts *t, enum tts_job job)
{
  enum pr_rc rc = PR_OK;
  char err[PR_ERR_LEN] = "";
  int16_t *out = NULL;
  size_t n = 0;

  if(job == JOB_VOICE) {
    rc = t->engine_ok && voice_exists(t->w_lang) ? PR_OK : PR_ENOTFOUND;
    goto out;
  }
  if(!t->engine_ok) {
    pr_seterr(err, "speech engine (espeak-ng) not available");
    rc = PR_EINTERNAL;
    goto out;
  }
  t->mode = MODE_COLLECT;
  t->col = NULL;
  t->col_n = t->col_cap = 0;
  t->col_fail = 0;
  rc = synth_text(t, t->w_lang, t->w_text, err);
  if(rc == PR_OK && t->col_fail) {
    pr_seterr(err, "synthesised audio too long or out of memory");
    rc = PR_ENOMEM;
  }
  if(rc == PR_OK) {
    out = t->col;
    n = t->col_n;
    t->col = NULL;
  }
  pr_free(t->col);
  t->col = NULL;
  t->col_n = t->col_cap = 0;
out:
  SDL_LockMutex(t->mu);
  t->job_rc = rc;
  pr_strlcpy(t->job_err, err, sizeof(t->job_err));
  t->job_out = out;
  t->job_n = n;
  t->job_done = 1;
  SDL_CondBroadcast(t->done_cv);
  SDL_UnlockMutex(t->mu);
}

static void run_say(struct tts *t)
{
  char err[PR_ERR_LEN] = "";
  int16_t *clip = NULL;
  size_t n = 0;

  if(t->w_path[0]) {
    enum pr_rc rc = audiofile_load(t->w_path, &clip, &n, err);
    if(rc == PR_OK) {
      if(audio_push(t->audio, t->w_gen, clip, n) != PR_OK)
        pr_log(PR_LOG_WARN, "tts_clip_push", "samples=%zu", n);
      pr_free(clip);
      return;
    }
    /* The error names the file, never the patient-facing text. */
    pr_log(PR_LOG_WARN, "tts_clip_unreadable", "why=\"%s\"", err);
    if(!t->w_text[0])
      return;
  }
  if(!t->engine_ok || !t->w_text[0])
    return;
  t->mode = MODE_PLAY;
  if(synth_text(t, t->w_lang, t->w_text, err) != PR_OK)
    pr_log(PR_LOG_WARN, "tts_say_failed", "lang=%s why=\"%s\"", t->w_lang,
           err);
}

struct engine_start {
  struct tts *t;
  char prewarm[TTS_LANG_LEN];
};

static int engine_main(void *ud)
{
  struct engine_start *st = ud;
  struct tts *t = st->t;

  engine_init(t, st->prewarm[0] ? st->prewarm : NULL);
  SDL_LockMutex(t->mu);
  t->ready = 1;
  SDL_CondBroadcast(t->done_cv);
  for(;;) {
    enum tts_job job;
    while(!t->quit && !t->job && !t->say_pending) {
      /* Once the last words have played, let the device sleep: an idle
       * kiosk then has no audio thread waking 43 times a second. */
      if(SDL_CondWaitTimeout(t->cv, t->mu, TTS_SLEEP_MS) == SDL_MUTEX_TIMEDOUT &&
         !atomic_load(&t->busy) && audio_sleep(t->audio))
        while(!t->quit && !t->job && !t->say_pending)
          SDL_CondWait(t->cv, t->mu);
    }
    if(t->quit)
      break;
    job = t->job;
    if(job) {
      t->job = JOB_NONE;
      memcpy(t->w_lang, t->job_lang, sizeof(t->w_lang));
      memcpy(t->w_text, t->job_text, sizeof(t->w_text));
      SDL_UnlockMutex(t->mu);
      run_job(t, job);
      SDL_LockMutex(t->mu);
      continue;
    }
    t->say_pending = 0;
    t->w_gen = t->say_gen;
    memcpy(t->w_lang, t->say_lang, sizeof(t->w_lang));
    memcpy(t->w_text, t->say_text, sizeof(t->w_text));
    memcpy(t->w_path, t->say_path, sizeof(t->w_path));
    if(atomic_load(&t->gen) != t->w_gen)
      continue;                       /* stopped before we got to it */
    atomic_store(&t->busy, 1);
    SDL_UnlockMutex(t->mu);
    if(audio_wake(t->audio) != PR_OK)
      pr_log(PR_LOG_WARN, "tts_device_lost", "lang=%s", t->w_lang);
    run_say(t);
    atomic_store(&t->busy, 0);
    SDL_LockMutex(t->mu);
  }
  SDL_UnlockMutex(t->mu);
  return 0;
}

/* ------------------------------------------------------------------- API */

enum pr_rc tts_open(const char *prewarm_lang, struct tts **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct tts *t = NULL;
  struct engine_start st;

  *out = NULL;
  t = pr_calloc(1, sizeof(*t));
  if(!t) {
    pr_seterr(err, "tts: out of memory");
    goto out;
  }
  rc = audio_open(&t->audio, err);
  if(rc != PR_OK)
    goto out;
  t->mu = SDL_CreateMutex();
  t->cv = SDL_CreateCond();
  t->done_cv = SDL_CreateCond();
  if(!t->mu || !t->cv || !t->done_cv) {
    pr_seterr(err, "tts: cannot create lock (%s)", SDL_GetError());
    rc = PR_EINTERNAL;
    goto out;
  }
  memset(&st, 0, sizeof(st));
  st.t = t;
  if(prewarm_lang && lang_ok(prewarm_lang))
    pr_strlcpy(st.prewarm, prewarm_lang, sizeof(st.prewarm));
  t->thread = SDL_CreateThread(engine_main, "tts", &st);
  if(!t->thread) {
    pr_seterr(err, "tts: cannot start engine thread (%s)", SDL_GetError());
    rc = PR_EINTERNAL;
    goto out;
  }
  /* Wait for start-up: st lives on this stack, and the status must be
   * known before anyone asks for it. */
  SDL_LockMutex(t->mu);
  while(!t->ready)
    SDL_CondWait(t->done_cv, t->mu);
  if(!t->engine_ok)
    pr_strlcpy(t->status, "Ljud: talsyntes saknas", sizeof(t->status));
  else
    pr_strlcpy(t->status, audio_status(t->audio), sizeof(t->status));
  SDL_UnlockMutex(t->mu);
  pr_log(PR_LOG_INFO, "tts_open", "engine=%d device=%d", t->engine_ok,
         audio_has_device(t->audio));
  *out = t;
  t = NULL;
  rc = PR_OK;
out:
  tts_close(t);
  return rc;
}

void tts_close(struct tts *t)
{
  if(!t)
    return;
  if(t->thread) {
    tts_stop(t);
    SDL_LockMutex(t->mu);
    t->quit = 1;
    SDL_CondSignal(t->cv);
    SDL_UnlockMutex(t->mu);
    SDL_WaitThread(t->thread, NULL);
  }
  audio_close(t->audio);
  if(t->done_cv)
    SDL_DestroyCond(t->done_cv);
  if(t->cv)
    SDL_DestroyCond(t->cv);
  if(t->mu)
    SDL_DestroyMutex(t->mu);
  pr_free(t->col);
  pr_free(t);
}

enum pr_rc tts_say(struct tts *t, const char *lang, const char *text,
                   const char *audio_path, char *err)
{
  unsigned g;
  int has_path = audio_path && *audio_path;

  if(!t) {
    pr_seterr(err, "tts: not open");
    return PR_EINVAL;
  }
  if(!lang_ok(lang)) {
    pr_seterr(err, "tts: bad language code");
    return PR_EINVAL;
  }
  if(!text)
    text = "";
  if(strlen(text) > TTS_MAX_TEXT) {
    pr_seterr(err, "tts: text longer than %d bytes", TTS_MAX_TEXT);
    return PR_EINVAL;
  }
  if(!*text && !has_path) {
    pr_seterr(err, "tts: nothing to read");
    return PR_EINVAL;
  }
  if(has_path && strlen(audio_path) >= PATH_MAX) {
    pr_seterr(err, "tts: audio path too long");
    return PR_EINVAL;
  }
  SDL_LockMutex(t->mu);
  g = atomic_load(&t->gen) + 1;
  atomic_store(&t->gen, g);
  atomic_store(&t->say_ticks, SDL_GetPerformanceCounter());
  audio_clear(t->audio, g);
  t->say_gen = g;
  pr_strlcpy(t->say_lang, lang, sizeof(t->say_lang));
  pr_strlcpy(t->say_text, text, sizeof(t->say_text));
  pr_strlcpy(t->say_path, has_path ? audio_path : "", sizeof(t->say_path));
  t->say_pending = 1;
  SDL_CondSignal(t->cv);
  SDL_UnlockMutex(t->mu);
  return PR_OK;
}

void tts_stop(struct tts *t)
{
  unsigned g;
  if(!t)
    return;
  SDL_LockMutex(t->mu);
  g = atomic_load(&t->gen) + 1;
  atomic_store(&t->gen, g);
  t->say_pending = 0;
  audio_clear(t->audio, g);
  SDL_UnlockMutex(t->mu);
}

void tts_status(struct tts *t, struct tts_status *st)
{
  uint64_t first, said;

  memset(st, 0, sizeof(*st));
  st->first_sample_us = -1;
  if(!t) {
    pr_strlcpy(st->text, "Ljud: ingen ljudenhet", sizeof(st->text));
    return;
  }
  SDL_LockMutex(t->mu);
  st->engine = t->engine_ok;
  st->speaking = t->say_pending;
  pr_strlcpy(st->text, t->status, sizeof(st->text));
  SDL_UnlockMutex(t->mu);
  st->device = audio_has_device(t->audio);
  if(atomic_load(&t->busy) || audio_queued(t->audio) > 0)
    st->speaking = 1;
  first = audio_first_sample_ticks(t->audio);
  said = atomic_load(&t->say_ticks);
  if(first && said && first >= said)
    st->first_sample_us = (long long)((first - said) * 1000000ULL /
                                      SDL_GetPerformanceFrequency());
}

/* Post a blocking job, wait for the engine thread to run it, and collect
 * its result.  One blocking job at a time (job_busy); called unlocked. */
static enum pr_rc post_job(struct tts *t, enum tts_job job, const char *lang,
                           const char *text, int16_t **out, size_t *n,
                           char *err)
{
  enum pr_rc rc;

  SDL_LockMutex(t->mu);
  while(t->job_busy)
    SDL_CondWait(t->done_cv, t->mu);
  t->job_busy = 1;
  t->job = job;
  t->job_done = 0;
  pr_strlcpy(t->job_lang, lang, sizeof(t->job_lang));
  pr_strlcpy(t->job_text, text ? text : "", sizeof(t->job_text));
  SDL_CondSignal(t->cv);
  while(!t->job_done)
    SDL_CondWait(t->done_cv, t->mu);
  rc = t->job_rc;
  if(rc == PR_OK && out) {
    *out = t->job_out;
    *n = t->job_n;
    t->job_out = NULL;
  } else if(rc != PR_OK) {
    pr_seterr(err, "%s", t->job_err);
  }
  pr_free(t->job_out);
  t->job_out = NULL;
  t->job_n = 0;
  t->job_busy = 0;
  SDL_CondBroadcast(t->done_cv);
  SDL_UnlockMutex(t->mu);
  return rc;
}

enum pr_rc tts_synth(struct tts *t, const char *lang, const char *text,
                     int16_t **out, size_t *n, char *err)
{
  *out = NULL;
  *n = 0;
  if(!t || !lang_ok(lang) || !text || !*text ||
     strlen(text) > TTS_MAX_TEXT) {
    pr_seterr(err, "tts_synth: bad language or text");
    return PR_EINVAL;
  }
  tts_stop(t);
  return post_job(t, JOB_SYNTH, lang, text, out, n, err);
}

int tts_has_voice(struct tts *t, const char *lang)
{
  if(!t || !lang_ok(lang))
    return 0;
  return post_job(t, JOB_VOICE, lang, NULL, NULL, NULL, NULL) == PR_OK;
}
