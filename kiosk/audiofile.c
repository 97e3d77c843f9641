/* audiofile.c — This file contains the recorded-clip loader declared in
 * audiofile.h: SDL_LoadWAV for parsing, SDL_AudioCVT for conversion to the
 * player's fixed format (mono S16 at AUDIO_RATE). */
#include "audiofile.h"
#include "audio.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum pr_rc audiofile_load(const char *path, int16_t **out, size_t *n,
                          char *err)
{
  enum pr_rc rc = PR_EINVAL;
  SDL_AudioSpec spec, *got = NULL;
  SDL_AudioCVT cvt;
  Uint8 *wav = NULL;
  Uint32 wav_len = 0;
  Uint8 *work = NULL;
  int16_t *pcm = NULL;
  size_t samples;
  struct stat st;
  char magic[4] = {0};
  FILE *f = NULL;

  *out = NULL;
  *n = 0;
  if(!path || !*path) {
    pr_seterr(err, "audio file: empty path");
    goto out;
  }
  if(stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
    pr_seterr(err, "%s: no such audio file", path);
    rc = PR_ENOTFOUND;
    goto out;
  }
  if(st.st_size > AUDIOFILE_MAX_BYTES) {
    pr_seterr(err, "%s: audio file is %lld bytes, limit %ld", path,
              (long long)st.st_size, AUDIOFILE_MAX_BYTES);
    rc = PR_ELIMIT;
    goto out;
  }
  /* A friendlier message than SDL's for the common wrong format. */
  f = fopen(path, "rb");
  if(f && fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
     memcmp(magic, "OggS", 4) == 0) {
    pr_seterr(err, "%s: Ogg audio is not supported, use WAV", path);
    goto out;
  }
  got = SDL_LoadWAV(path, &spec, &wav, &wav_len);
  if(!got) {
    pr_seterr(err, "%s: not a readable WAV file (%s)", path, SDL_GetError());
    goto out;
  }
  if(SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq,
                       AUDIO_S16SYS, 1, AUDIO_RATE) < 0) {
    pr_seterr(err, "%s: cannot convert this WAV format (%s)", path,
              SDL_GetError());
    goto out;
  }
  cvt.len = (int)wav_len;
  work = pr_malloc((size_t)wav_len * (size_t)(cvt.len_mult > 0 ?
                                              cvt.len_mult : 1));
  if(!work) {
    pr_seterr(err, "%s: out of memory", path);
    rc = PR_ENOMEM;
    goto out;
  }
  memcpy(work, wav, wav_len);
  cvt.buf = work;
  if(cvt.needed && SDL_ConvertAudio(&cvt) != 0) {
    pr_seterr(err, "%s: conversion failed (%s)", path, SDL_GetError());
    goto out;
  }
  samples = (size_t)(cvt.needed ? cvt.len_cvt : cvt.len) / sizeof(int16_t);
  if(samples == 0) {
    pr_seterr(err, "%s: audio file holds no sound", path);
    goto out;
  }
  if(samples > (size_t)AUDIO_RATE * AUDIO_MAX_SECONDS) {
    pr_seterr(err, "%s: clip longer than %d s", path, AUDIO_MAX_SECONDS);
    rc = PR_ELIMIT;
    goto out;
  }
  pcm = pr_malloc(samples * sizeof(int16_t));
  if(!pcm) {
    pr_seterr(err, "%s: out of memory", path);
    rc = PR_ENOMEM;
    goto out;
  }
  memcpy(pcm, work, samples * sizeof(int16_t));
  *out = pcm;
  *n = samples;
  pcm = NULL;
  rc = PR_OK;
out:
  if(f)
    fclose(f);
  pr_free(pcm);
  pr_free(work);
  SDL_FreeWAV(wav);
  return rc;
}
