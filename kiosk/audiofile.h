/* audiofile.h — reads a recorded clip (WAV in any format SDL understands,
 * or Ogg Vorbis through libvorbisfile) into 16-bit mono PCM at AUDIO_RATE
 * for audio_push().
 * It does not play anything and trusts nothing in the file: size is capped
 * and a bad file is a clear error, never a crash. */
#ifndef AUDIOFILE_H
#define AUDIOFILE_H

#include <stddef.h>
#include <stdint.h>
#include "pr.h"

#define AUDIOFILE_MAX_BYTES (16L * 1024 * 1024)

/* Load path.  On success *out (pr_malloc'd, the caller's: pr_free) holds *n
 * samples.  On failure *out is NULL, *n is 0 and err names the file and the
 * problem: PR_ENOTFOUND (no such file), PR_ELIMIT (too big or too long),
 * PR_EINVAL (neither a readable WAV nor Ogg Vorbis), PR_ENOMEM. */
enum pr_rc audiofile_load(const char *path, int16_t **out, size_t *n,
                          char *err) PR_MUST;

#endif
