/* a11y_speak.h — the glue the kiosk calls when a patient taps the speaker
 * button or enters a screen with automatic read-aloud on: picks the
 * recorded clip or composes the words (a11y.h) and hands them to tts.h.
 * It draws nothing and keeps no state of its own. */
#ifndef A11Y_SPEAK_H
#define A11Y_SPEAK_H

#include "pr.h"
#include "qset.h"
#include "tts.h"

/* Read question qi of s in lang: its recorded clip for exactly lang when
 * the set names one that exists under assets_dir, else the question (easy
 * text when easy_read) and its alternatives by synthesis.  Returns at once
 * (tts_say); PR_EINVAL / PR_ELIMIT as a11y_read_text and tts_say. */
enum pr_rc a11y_speak_question(struct tts *t, const struct qset *s, int qi,
                               const char *lang, int easy_read,
                               const char *assets_dir, char *err) PR_MUST;

/* Read a screen's own text (welcome, thank-you, "Är du kvar?"). */
enum pr_rc a11y_speak_text(struct tts *t, const char *lang,
                           const char *text, char *err) PR_MUST;

#endif
