/* test_tts.c — This file contains the unit tests of read-aloud: espeak-ng
 * synthesis of every question and alternative of every shipped question set
 * in every language it carries, playback and stop through SDL's disk audio
 * driver, recorded WAV clips instead of synthesis, and the silent fallback
 * when there is no audio device. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a11y.h"
#include "audio.h"
#include "audiofile.h"
#include "qset.h"
#include "tts.h"

#define SURVEYS PR_ASSETS_DIR "/surveys"

/* RMS of s[0..n) in 16-bit units. */
static double rms(const int16_t *s, size_t n)
{
  double acc = 0;
  for(size_t i = 0; i < n; i++)
    acc += (double)s[i] * s[i];
  return n ? sqrt(acc / (double)n) : 0;
}

/* Samples with |x| above a speech-ish floor. */
static size_t loud_samples(const int16_t *s, size_t n)
{
  size_t k = 0;
  for(size_t i = 0; i < n; i++)
    if(s[i] > 500 || s[i] < -500)
      k++;
  return k;
}

/* Number of UTF-8 code points: espeak's time per text goes by characters,
 * not bytes (Arabic letters are two bytes each). */
static size_t utf8_chars(const char *s)
{
  size_t k = 0;
  for(; *s; s++)
    if(((unsigned char)*s & 0xC0) != 0x80)
      k++;
  return k;
}

/* Speech for text must be real sound and of a length that fits the text:
 * roughly 6 to 40 characters per second at TTS_RATE_WPM. */
static void check_speech(struct tts *t, const char *lang, const char *text,
                         const char *where)
{
  int16_t *pcm = NULL;
  size_t n = 0;
  char err[PR_ERR_LEN] = "";
  double secs, chars = (double)utf8_chars(text);
  enum pr_rc rc = tts_synth(t, lang, text, &pcm, &n, err);

  if(rc != PR_OK)
    fail_msg("%s [%s]: synthesis failed: %s", where, lang, err);
  secs = (double)n / AUDIO_RATE;
  if(secs < chars / 40.0 || secs > chars / 6.0 + 1.0 || secs < 0.2)
    fail_msg("%s [%s]: %.2f s of audio for %.0f characters", where, lang,
             secs, chars);
  if(rms(pcm, n) < 300 || loud_samples(pcm, n) < n / 20)
    fail_msg("%s [%s]: audio is (nearly) silent: rms %.0f", where, lang,
             rms(pcm, n));
  pr_free(pcm);
}

static void test_every_shipped_text_speaks(void **state)
{
  struct qset **sets = NULL;
  int nsets = 0, checked = 0, langs_seen = 0;
  char err[PR_ERR_LEN] = "";
  struct tts *t = NULL;
  char where[256];

  (void)state;
  assert_int_equal(qset_load_dir(SURVEYS, &sets, &nsets, err), PR_OK);
  assert_true(nsets >= 1);   /* the product ships sets; none is a defect */
  assert_int_equal(tts_open("sv", &t, err), PR_OK);
  for(int si = 0; si < nsets; si++) {
    const struct qset *s = sets[si];
    for(int li = 0; li < s->n_langs; li++) {
      const char *lang = s->langs[li];
      if(!tts_has_voice(t, lang))
        fail_msg("set %s: no espeak-ng voice for its language %s", s->id,
                 lang);
      langs_seen++;
      for(int qi = 0; qi < s->n_questions; qi++) {
        const struct qset_question *q = &s->questions[qi];
        const struct qset_scale *sc = qset_question_scale(s, qi);
        snprintf(where, sizeof(where), "%s/%s", s->id, q->id);
        check_speech(t, lang, qset_question_text(q, lang, 0), where);
        checked++;
        if(q->easy.n > 0) {
          snprintf(where, sizeof(where), "%s/%s (easy)", s->id, q->id);
          check_speech(t, lang, qset_question_text(q, lang, 1), where);
          checked++;
        }
        for(int oi = 0; sc && q->type != QSET_TEXT && oi < sc->n_options;
            oi++) {
          snprintf(where, sizeof(where), "%s/%s option %s", s->id, q->id,
                   sc->options[oi].code);
          check_speech(t, lang, qset_text(&sc->options[oi].label, lang),
                       where);
          checked++;
        }
      }
    }
  }
  print_message("synthesised %d texts in %d set-languages\n", checked,
                langs_seen);
  assert_true(checked > 20);
  tts_close(t);
  qset_free_all(sets, nsets);
}

static void test_languages_differ_and_unknown_is_refused(void **state)
{
  struct tts *t = NULL;
  char err[PR_ERR_LEN] = "";
  int16_t *sv = NULL, *ar = NULL, *xx = NULL;
  size_t nsv = 0, nar = 0, nxx = 0;

  (void)state;
  assert_int_equal(tts_open(NULL, &t, err), PR_OK);
  assert_true(tts_has_voice(t, "sv"));
  assert_true(tts_has_voice(t, "en"));
  assert_true(tts_has_voice(t, "ar"));
  assert_false(tts_has_voice(t, "xq"));
  assert_int_equal(tts_synth(t, "xq", "Hej", &xx, &nxx, err), PR_ENOTFOUND);
  assert_null(xx);
  assert_non_null(strstr(err, "xq"));
  assert_int_equal(tts_synth(t, "sv", "Hur nöjd är du?", &sv, &nsv, err),
                   PR_OK);
  assert_int_equal(tts_synth(t, "ar", "ما مدى رضاك؟", &ar, &nar, err),
                   PR_OK);
  assert_true(nsv > AUDIO_RATE / 4 && nar > AUDIO_RATE / 4);
  /* Bad input: a clear refusal, not a crash. */
  assert_int_equal(tts_say(t, "sv", "", NULL, err), PR_EINVAL);
  assert_int_equal(tts_say(t, "s v", "Hej", NULL, err), PR_EINVAL);
  assert_int_equal(tts_say(t, NULL, "Hej", NULL, err), PR_EINVAL);
  pr_free(sv);
  pr_free(ar);
  tts_close(t);
}

/* Read a whole disk-driver output file. */
static int16_t *read_pcm(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  long len;
  int16_t *p;
  *n = 0;
  if(!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  len = ftell(f);
  fseek(f, 0, SEEK_SET);
  p = malloc((size_t)len + 2);
  if(p && fread(p, 1, (size_t)len, f) != (size_t)len) {
    free(p);
    p = NULL;
  }
  fclose(f);
  *n = p ? (size_t)len / 2 : 0;
  return p;
}

static void wait_quiet(struct tts *t, int max_ms)
{
  struct tts_status st;
  for(int i = 0; i < max_ms / 10; i++) {
    tts_status(t, &st);
    if(!st.speaking)
      return;
    SDL_Delay(10);
  }
  fail_msg("still speaking after %d ms", max_ms);
}

static void test_playback_reaches_device_and_stop_cuts_it(void **state)
{
  struct tts *t = NULL;
  char err[PR_ERR_LEN] = "";
  struct tts_status st;
  char full_path[512], cut_path[512];
  int16_t *full = NULL, *cut = NULL;
  size_t nfull, ncut;
  const char *text = "Hur nöjd är du med ditt besök hos oss i dag? "
                     "Mycket nöjd. Ganska nöjd. Inte så nöjd. Inte alls nöjd.";

  (void)state;
  snprintf(full_path, sizeof(full_path), "%s/tts-full.raw", PR_TEST_OUT);
  snprintf(cut_path, sizeof(cut_path), "%s/tts-cut.raw", PR_TEST_OUT);

  /* Full utterance, played to the end. */
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", full_path, 1);
  assert_int_equal(tts_open("sv", &t, err), PR_OK);
  tts_status(t, &st);
  assert_int_equal(st.device, 1);
  assert_int_equal(st.engine, 1);
  assert_non_null(strstr(st.text, "Ljud: på"));
  assert_int_equal(tts_say(t, "sv", text, NULL, err), PR_OK);
  wait_quiet(t, 20000);
  tts_status(t, &st);
  assert_true(st.first_sample_us >= 0);
  print_message("tap to first sample: %lld us\n", st.first_sample_us);
  tts_close(t);
  t = NULL;
  full = read_pcm(full_path, &nfull);
  assert_non_null(full);
  /* Speech of plausible length reached the device. */
  assert_true(loud_samples(full, nfull) > AUDIO_RATE / 2);

  /* Same text, stopped after 400 ms: the device gets far less. */
  setenv("SDL_DISKAUDIOFILE", cut_path, 1);
  assert_int_equal(tts_open("sv", &t, err), PR_OK);
  assert_int_equal(tts_say(t, "sv", text, NULL, err), PR_OK);
  SDL_Delay(400);
  tts_stop(t);
  wait_quiet(t, 200);   /* stop is at once: nothing left after ~1 buffer */
  SDL_Delay(300);
  tts_close(t);
  cut = read_pcm(cut_path, &ncut);
  assert_non_null(cut);
  print_message("loud samples: full %zu, stopped %zu\n",
                loud_samples(full, nfull), loud_samples(cut, ncut));
  assert_true(loud_samples(cut, ncut) > 0);
  assert_true(loud_samples(cut, ncut) * 3 < loud_samples(full, nfull));
  free(full);
  free(cut);
  unsetenv("SDL_DISKAUDIOFILE");
  setenv("SDL_AUDIODRIVER", "dummy", 1);
}

/* Write a 16 kHz stereo 16-bit WAV of a 440 Hz tone, secs long. */
static void write_wav(const char *path, double secs)
{
  FILE *f = fopen(path, "wb");
  uint32_t rate = 16000, frames = (uint32_t)(secs * rate);
  uint32_t data = frames * 4, riff = 36 + data, fmt_len = 16, byte_rate =
      rate * 4;
  uint16_t pcm = 1, ch = 2, align = 4, bits = 16;
  assert_non_null(f);
  fwrite("RIFF", 1, 4, f); fwrite(&riff, 4, 1, f); fwrite("WAVE", 1, 4, f);
  fwrite("fmt ", 1, 4, f); fwrite(&fmt_len, 4, 1, f); fwrite(&pcm, 2, 1, f);
  fwrite(&ch, 2, 1, f); fwrite(&rate, 4, 1, f); fwrite(&byte_rate, 4, 1, f);
  fwrite(&align, 2, 1, f); fwrite(&bits, 2, 1, f);
  fwrite("data", 1, 4, f); fwrite(&data, 4, 1, f);
  for(uint32_t i = 0; i < frames; i++) {
    int16_t v = (int16_t)(8000 * sin(2 * M_PI * 440 * i / rate));
    fwrite(&v, 2, 1, f);
    fwrite(&v, 2, 1, f);
  }
  fclose(f);
}

static void test_recorded_clip_loads_and_bad_files_are_named(void **state)
{
  char wav[512], bad[512], ogg[512], err[PR_ERR_LEN] = "";
  int16_t *pcm = NULL;
  size_t n = 0;
  FILE *f;

  (void)state;
  assert_int_equal(SDL_Init(0), 0);
  snprintf(wav, sizeof(wav), "%s/tts-clip.wav", PR_TEST_OUT);
  snprintf(bad, sizeof(bad), "%s/tts-bad.wav", PR_TEST_OUT);
  snprintf(ogg, sizeof(ogg), "%s/tts-clip.ogg", PR_TEST_OUT);
  write_wav(wav, 1.5);
  assert_int_equal(audiofile_load(wav, &pcm, &n, err), PR_OK);
  /* 1.5 s at 16 kHz stereo becomes 1.5 s at 22050 Hz mono. */
  assert_in_range(n, AUDIO_RATE * 3 / 2 - 600, AUDIO_RATE * 3 / 2 + 600);
  assert_true(rms(pcm, n) > 4000);
  pr_free(pcm);

  f = fopen(bad, "wb");
  fputs("RIFF\x10\0\0\0WAVEjunkjunkjunk", f);
  fclose(f);
  assert_int_equal(audiofile_load(bad, &pcm, &n, err), PR_EINVAL);
  assert_null(pcm);
  assert_non_null(strstr(err, "tts-bad.wav"));
  /* A real Ogg Vorbis clip (44.1 kHz stereo, 1.2 s, made with sox). */
  assert_int_equal(audiofile_load(PR_TEST_DATA "/a11y/tone-1200ms.ogg", &pcm,
                                  &n, err), PR_OK);
  assert_in_range(n, AUDIO_RATE * 12 / 10 - 600, AUDIO_RATE * 12 / 10 + 600);
  assert_true(rms(pcm, n) > 3000);
  pr_free(pcm);
  /* Ogg magic with garbage after it: refused, file named. */
  f = fopen(ogg, "wb");
  fputs("OggS\x01\x02 not really vorbis", f);
  fclose(f);
  assert_int_equal(audiofile_load(ogg, &pcm, &n, err), PR_EINVAL);
  assert_null(pcm);
  assert_non_null(strstr(err, "tts-clip.ogg"));
  assert_non_null(strstr(err, "Ogg"));
  assert_int_equal(audiofile_load("/nonexistent/x.wav", &pcm, &n, err),
                   PR_ENOTFOUND);
  assert_int_equal(n, 0);
  SDL_Quit();
}

static void test_clip_is_played_instead_of_synthesis(void **state)
{
  char wav[512], out[512], err[PR_ERR_LEN] = "";
  struct tts *t = NULL;
  int16_t *pcm;
  size_t n, tone = 0;

  (void)state;
  snprintf(wav, sizeof(wav), "%s/tts-clip.wav", PR_TEST_OUT);
  snprintf(out, sizeof(out), "%s/tts-clip-played.raw", PR_TEST_OUT);
  write_wav(wav, 0.5);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", out, 1);
  assert_int_equal(tts_open("sv", &t, err), PR_OK);
  assert_int_equal(tts_say(t, "sv", "Det här ska inte läsas", wav, err),
                   PR_OK);
  wait_quiet(t, 5000);
  SDL_Delay(100);
  tts_close(t);
  pcm = read_pcm(out, &n);
  assert_non_null(pcm);
  /* The tone is a steady ~8000-amplitude sine: count its loud samples; a
   * synthesised sentence would be several seconds, the clip is 0.5 s. */
  tone = loud_samples(pcm, n);
  print_message("clip: %zu loud samples of %zu\n", tone, n);
  assert_in_range(tone, AUDIO_RATE / 4, AUDIO_RATE * 6 / 10);
  free(pcm);
  unsetenv("SDL_DISKAUDIOFILE");
  setenv("SDL_AUDIODRIVER", "dummy", 1);
}

static void test_no_audio_device_is_silent_and_says_so(void **state)
{
  struct tts *t = NULL;
  char err[PR_ERR_LEN] = "";
  struct tts_status st;

  (void)state;
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  assert_int_equal(tts_open("sv", &t, err), PR_OK);
  tts_status(t, &st);
  assert_int_equal(st.device, 0);
  assert_string_equal(st.text, "Ljud: ingen ljudenhet");
  assert_int_equal(tts_say(t, "sv", "Hej och välkommen", NULL, err), PR_OK);
  wait_quiet(t, 5000);
  /* A tap never waits for synthesis: tts_say returns at once even while a
   * long text is being synthesised. */
  for(int i = 0; i < 20; i++) {
    Uint64 t0 = SDL_GetPerformanceCounter();
    double ms;
    assert_int_equal(tts_say(t, i % 2 ? "ar" : "sv", i % 2 ?
                             "ما مدى رضاك عن زيارتك اليوم؟ كثيرا. قليلا. لا على الإطلاق." :
                             "Hur nöjd är du med ditt besök i dag? Mycket. "
                             "Lite. Inte alls. Vet ej eller vill inte svara.",
                             NULL, err), PR_OK);
    ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
         (double)SDL_GetPerformanceFrequency();
    if(ms > 10.0)
      fail_msg("tts_say blocked for %.1f ms", ms);
    SDL_Delay(3);
  }
  wait_quiet(t, 10000);
  tts_stop(t);
  tts_close(t);
  setenv("SDL_AUDIODRIVER", "dummy", 1);
}

/* Every allocation of ours that can fail, failing: a clean PR_ENOMEM
 * (or success when the failing one was not needed), nothing leaked
 * (LeakSanitizer), nothing half-made handed out. */
static void test_allocation_failures_are_clean(void **state)
{
  char err[PR_ERR_LEN] = "";
  int16_t *pcm = NULL;
  size_t n = 0;
  int oks = 0, fails = 0;

  (void)state;
  assert_int_equal(SDL_Init(0), 0);
  for(long k = 0; k < 12; k++) {
    enum pr_rc rc;
    pr_alloc_fail_after(k);
    rc = audiofile_load(PR_TEST_DATA "/a11y/tone-1200ms.ogg", &pcm, &n, err);
    pr_alloc_fail_after(-1);
    if(rc == PR_OK) {
      assert_true(n > 0);
      pr_free(pcm);
      oks++;
    } else {
      assert_int_equal(rc, PR_ENOMEM);
      assert_null(pcm);
      assert_int_equal(n, 0);
      fails++;
    }
  }
  assert_true(fails > 0 && oks > 0);
  for(long k = 0; k < 3; k++) {
    struct tts *t = (struct tts *)&n;   /* must be reset to NULL */
    enum pr_rc rc;
    pr_alloc_fail_after(k);
    rc = tts_open(NULL, &t, err);
    pr_alloc_fail_after(-1);
    if(rc == PR_OK) {
      assert_non_null(t);
      tts_close(t);
    } else {
      assert_int_equal(rc, PR_ENOMEM);
      assert_null(t);
    }
  }
  SDL_Quit();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_languages_differ_and_unknown_is_refused),
    cmocka_unit_test(test_recorded_clip_loads_and_bad_files_are_named),
    cmocka_unit_test(test_no_audio_device_is_silent_and_says_so),
    cmocka_unit_test(test_playback_reaches_device_and_stop_cuts_it),
    cmocka_unit_test(test_clip_is_played_instead_of_synthesis),
    cmocka_unit_test(test_allocation_failures_are_clean),
    cmocka_unit_test(test_every_shipped_text_speaks),
  };
  if(pr_init() != PR_OK)
    return 1;
  return cmocka_run_group_tests(tests, NULL, NULL);
}
