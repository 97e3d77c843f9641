/* a11y_pcmstat.c — This file contains a test helper that reads what SDL's
 * disk audio driver wrote (raw mono S16 at 22050 Hz) and prints the bursts
 * of sound in it: one line "burst START_MS END_MS" per stretch of sound
 * separated from the next by at least GAP_MS of quiet, then
 * "total_loud_ms N".  Used by the read-aloud end-to-end test to check that
 * speech was played, for how long, and that it stopped.
 *
 * usage: a11y_pcmstat FILE [GAP_MS]        (GAP_MS default 1000) */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "pr.h"

#define RATE 22050
#define WIN (RATE / 100)      /* 10 ms windows */
#define LOUD 400              /* peak above this: the window has sound */

int main(int argc, char **argv)
{
  FILE *f;
  int16_t win[WIN];
  long gap_ms = 1000, t = 0, loud_ms = 0;
  long start = -1, last = -1;
  size_t got;

  if(argc < 2 || argc > 3 ||
     (argc == 3 && pr_parse_long(argv[2], 10, 600000, &gap_ms) != 0)) {
    fprintf(stderr, "usage: a11y_pcmstat FILE [GAP_MS]\n");
    return 2;
  }
  f = fopen(argv[1], "rb");
  if(!f) {
    fprintf(stderr, "a11y_pcmstat: cannot open %s\n", argv[1]);
    return 1;
  }
  while((got = fread(win, sizeof(int16_t), WIN, f)) > 0) {
    int peak = 0;
    for(size_t i = 0; i < got; i++) {
      int v = win[i] < 0 ? -win[i] : win[i];
      if(v > peak)
        peak = v;
    }
    if(peak > LOUD) {
      loud_ms += 10;
      if(start < 0)
        start = t;
      else if(t - last > gap_ms) {
        printf("burst %ld %ld\n", start, last + 10);
        start = t;
      }
      last = t;
    }
    t += 10;
  }
  if(start >= 0)
    printf("burst %ld %ld\n", start, last + 10);
  printf("total_loud_ms %ld\nlength_ms %ld\n", loud_ms, t);
  fclose(f);
  return 0;
}
