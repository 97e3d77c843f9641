/* a11y_speak.c — This file contains the speaker-button glue declared in
 * a11y_speak.h. */
#include "a11y_speak.h"
#include "a11y.h"

#include <limits.h>

enum pr_rc a11y_speak_question(struct tts *t, const struct qset *s, int qi,
                               const char *lang, int easy_read,
                               const char *assets_dir, char *err)
{
  char text[TTS_MAX_TEXT + 1];
  char clip[PATH_MAX];
  enum pr_rc rc;
  int has_clip;

  rc = a11y_read_text(s, qi, lang, easy_read, text, sizeof(text));
  if(rc == PR_EINVAL) {
    pr_seterr(err, "read-aloud: no question %d", qi);
    return rc;
  }
  /* PR_ELIMIT: read what fitted (whole alternatives) rather than nothing. */
  has_clip = a11y_audio_path(s, qi, lang, assets_dir, clip, sizeof(clip));
  return tts_say(t, lang, text, has_clip ? clip : NULL, err);
}

enum pr_rc a11y_speak_text(struct tts *t, const char *lang,
                           const char *text, char *err)
{
  return tts_say(t, lang, text, NULL, err);
}
