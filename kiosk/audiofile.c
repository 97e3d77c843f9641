/* audiofile.c — This file contains the recorded-clip loader declared in
 * audiofile.h: SDL_LoadWAV for parsing, SDL_AudioCVT for conversion to the
 * player's fixed format (mono S16 at AUDIO_RATE). */
#include "audiofile.h"
#include "audio.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <vorbis/vorbisfile.h>

/* Decoded but not yet converted audio.  data is pr_malloc'd. */
struct raw {
  SDL_AudioFormat format;
  int channels, rate;
  Uint8 *data;
  size_t len;
};

static enum pr_rc load_wav(const char *path, struct raw *r, char *err)
{
  SDL_AudioSpec spec;
  Uint8 *wav = NULL;
  Uint32 wav_len = 0;

  if(!SDL_LoadWAV(path, &spec, &wav, &wav_len)) {
    pr_seterr(err, "%s: not a readable WAV file (%s)", path, SDL_GetError());
    return PR_EINVAL;
  }
  r->data = pr_malloc(wav_len ? wav_len : 1);
  if(!r->data) {
    SDL_FreeWAV(wav);
    pr_seterr(err, "%s: out of memory", path);
    return PR_ENOMEM;
  }
  memcpy(r->data, wav, wav_len);
  SDL_FreeWAV(wav);
  r->len = wav_len;
  r->format = spec.format;
  r->channels = spec.channels;
  r->rate = spec.freq;
  return PR_OK;
}

static enum pr_rc load_ogg(const char *path, struct raw *r, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  OggVorbis_File vf;
  vorbis_info *vi;
  size_t cap = 0, max;
  int opened = 0, section = 0;

  if(ov_fopen(path, &vf) != 0) {
    pr_seterr(err, "%s: not a readable Ogg Vorbis file", path);
    goto out;
  }
  opened = 1;
  vi = ov_info(&vf, -1);
  if(!vi || vi->channels < 1 || vi->channels > 8 || vi->rate < 4000 ||
     vi->rate > 192000) {
    pr_seterr(err, "%s: unsupported Ogg Vorbis stream", path);
    goto out;
  }
  r->format = AUDIO_S16LSB;
  r->channels = vi->channels;
  r->rate = (int)vi->rate;
  max = (size_t)AUDIO_MAX_SECONDS * (size_t)vi->rate *
        (size_t)vi->channels * 2;
  for(;;) {
    long got;
    if(r->len + 4096 > cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      Uint8 *nb;
      if(ncap > max + 8192)
        ncap = max + 8192;
      if(r->len + 4096 > ncap) {
        pr_seterr(err, "%s: clip longer than %d s", path, AUDIO_MAX_SECONDS);
        rc = PR_ELIMIT;
        goto out;
      }
      nb = pr_realloc(r->data, ncap);
      if(!nb) {
        pr_seterr(err, "%s: out of memory", path);
        rc = PR_ENOMEM;
        goto out;
      }
      r->data = nb;
      cap = ncap;
    }
    got = ov_read(&vf, (char *)r->data + r->len, 4096, 0, 2, 1, &section);
    if(got == 0)
      break;
    if(got < 0) {
      pr_seterr(err, "%s: damaged Ogg Vorbis data (%ld)", path, got);
      goto out;
    }
    r->len += (size_t)got;
  }
  rc = PR_OK;
out:
  if(opened)
    ov_clear(&vf);
  return rc;
}

enum pr_rc audiofile_load(const char *path, int16_t **out, size_t *n,
                          char *err)
{
  enum pr_rc rc = PR_EINVAL;
  struct raw r = {0};
  SDL_AudioCVT cvt;
  Uint8 *work = NULL;
  int16_t *pcm = NULL;
  size_t samples;
  struct stat st;
  char magic[4] = {0};
  FILE *f = NULL;
  int is_ogg;

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
  f = fopen(path, "rb");
  is_ogg = f && fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
           memcmp(magic, "OggS", 4) == 0;
  rc = is_ogg ? load_ogg(path, &r, err) : load_wav(path, &r, err);
  if(rc != PR_OK)
    goto out;
  rc = PR_EINVAL;
  if(SDL_BuildAudioCVT(&cvt, r.format, (Uint8)r.channels, r.rate,
                       AUDIO_S16SYS, 1, AUDIO_RATE) < 0) {
    pr_seterr(err, "%s: cannot convert this audio format (%s)", path,
              SDL_GetError());
    goto out;
  }
  if(r.len > (size_t)INT32_MAX / 8) {
    pr_seterr(err, "%s: audio too long", path);
    rc = PR_ELIMIT;
    goto out;
  }
  cvt.len = (int)r.len;
  work = pr_malloc(r.len * (size_t)(cvt.len_mult > 0 ? cvt.len_mult : 1) + 1);
  if(!work) {
    pr_seterr(err, "%s: out of memory", path);
    rc = PR_ENOMEM;
    goto out;
  }
  memcpy(work, r.data, r.len);
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
  pr_free(r.data);
  return rc;
}
