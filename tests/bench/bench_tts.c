/* bench_tts.c — This file contains the read-aloud benchmark: time from a
 * tap on the speaker button (tts_say) to the first sample taken by the audio
 * device, per language, warm and for the first use of a language; and the
 * memory (PSS) the speech engine adds to the process.  Run it under SDL's
 * disk audio driver so a real device thread consumes the samples.
 * Prints "BENCH ..." lines; never fails for being slow. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tts.h"

#include "bench_env.h"

#define ROUNDS 25

static long pss_kib(void)
{
  FILE *f = fopen("/proc/self/smaps_rollup", "r");
  char line[256];
  long v = -1;
  if(!f)
    return -1;
  while(fgets(line, sizeof(line), f))
    if(sscanf(line, "Pss: %ld kB", &v) == 1)
      break;
  fclose(f);
  return v;
}

static int cmp_ll(const void *a, const void *b)
{
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* One tap: say, wait for the device to take the first sample.  Returns
 * microseconds or -1 after 2 s. */
static long long one_tap(struct tts *t, const char *lang, const char *text)
{
  struct tts_status st;
  char err[PR_ERR_LEN];

  if(tts_say(t, lang, text, NULL, err) != PR_OK) {
    fprintf(stderr, "bench_tts: %s\n", err);
    return -1;
  }
  for(int i = 0; i < 4000; i++) {
    tts_status(t, &st);
    if(st.first_sample_us >= 0)
      return st.first_sample_us;
    SDL_Delay(0);
    if(i > 100)
      SDL_Delay(1);
  }
  return -1;
}

static void run_lang(struct tts *t, const char *lang, const char *text)
{
  long long us[ROUNDS], first;
  int n = 0, rounds = (int)bench_size(ROUNDS, 2);   /* PR_BENCH_TINY */

  first = one_tap(t, lang, text);     /* first use of this language */
  SDL_Delay(150);
  tts_stop(t);
  for(int r = 0; r < rounds; r++) {
    long long v = one_tap(t, lang, text);
    SDL_Delay(60 + (r * 7) % 30);     /* taps land anywhere in a buffer */
    tts_stop(t);
    SDL_Delay(20);
    if(v >= 0)
      us[n++] = v;
  }
  if(n == 0) {
    printf("BENCH tts_tap_to_first_sample lang=%s no samples\n", lang);
    return;
  }
  qsort(us, (size_t)n, sizeof(us[0]), cmp_ll);
  printf("BENCH tts_tap_to_first_sample lang=%s n=%d median_ms=%.1f "
         "p90_ms=%.1f min_ms=%.1f max_ms=%.1f first_use_ms=%.1f "
         "goal=median_ms<=150\n",
         lang, n, us[n / 2] / 1000.0, us[(n * 9) / 10] / 1000.0,
         us[0] / 1000.0, us[n - 1] / 1000.0, first / 1000.0);
}

int main(void)
{
  struct tts *t = NULL;
  char err[PR_ERR_LEN] = "";
  struct tts_status st;
  long pss0, pss1, pss2;

  if(pr_init() != PR_OK)
    return 1;
  pr_log_set_level(PR_LOG_WARN);
  /* Baseline with SDL audio already up, so only the engine is counted. */
  if(SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
    fprintf(stderr, "bench_tts: SDL audio: %s\n", SDL_GetError());
  pss0 = pss_kib();
  if(tts_open("sv", &t, err) != PR_OK) {
    fprintf(stderr, "bench_tts: %s\n", err);
    return 1;
  }
  pss1 = pss_kib();
  tts_status(t, &st);
  printf("BENCH tts_status device=%d engine=%d text=\"%s\"\n", st.device,
         st.engine, st.text);
  run_lang(t, "sv", "Hur nöjd är du med ditt besök i dag?");
  run_lang(t, "en", "How satisfied are you with your visit today?");
  run_lang(t, "ar", "ما مدى رضاك عن زيارتك اليوم؟");
  pss2 = pss_kib();
  printf("BENCH tts_memory pss_before_kib=%ld after_open_sv_kib=%ld "
         "after_sv_en_ar_kib=%ld added_mib=%.1f\n", pss0, pss1, pss2,
         (pss2 - pss0) / 1024.0);
  tts_close(t);
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
  return 0;
}
