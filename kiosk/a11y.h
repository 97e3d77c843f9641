/* a11y.h — accessibility arithmetic and wording, as plain functions tested
 * without a window: what the speaker button reads for a question, which
 * recorded clip belongs to it, the WCAG 2.2 contrast ratio of two colours,
 * and pixels <-> millimetres on a screen of known diagonal.  No SDL, no
 * audio: tts.h plays, the kiosk draws. */
#ifndef A11Y_H
#define A11Y_H

#include <stddef.h>
#include <stdint.h>
#include "pr.h"
#include "qset.h"

#define A11Y_MIN_TARGET_MM 15.0   /* smallest answer target, each side */
#define A11Y_MIN_CONTRAST_HC 7.0  /* WCAG AAA, high-contrast theme */
#define A11Y_MIN_CONTRAST 4.5     /* WCAG AA, normal theme */

/* The words read aloud for question qi of s in lang: the question (its
 * easy-read text when easy_read and the set has one in lang), then each
 * answer alternative, each ending in a full stop so the voice pauses.
 * Free-text questions read only the question.  Writes a NUL-terminated
 * string into buf.  PR_ELIMIT when it did not fit (buf then holds what
 * fitted, cut at a whole alternative), PR_EINVAL for a bad qi. */
enum pr_rc a11y_read_text(const struct qset *s, int qi, const char *lang,
                          int easy_read, char *buf, size_t cap) PR_MUST;

/* The recorded clip for question qi in EXACTLY lang (never another
 * language's clip), as a path under assets_dir, written into buf.
 * Returns 1 when the set names one and the file exists, else 0 (buf "").
 * A clip path that tries to leave assets_dir ("..", absolute) is refused. */
int a11y_audio_path(const struct qset *s, int qi, const char *lang,
                    const char *assets_dir, char *buf, size_t cap);

/* WCAG 2.2 relative luminance of 0xRRGGBB (sRGB), in [0, 1]. */
double a11y_luminance(uint32_t rgb);
/* WCAG 2.2 contrast ratio (L1 + 0.05) / (L2 + 0.05), in [1, 21]. */
double a11y_contrast(uint32_t fg, uint32_t bg);

/* Pixels per millimetre of a screen diag_inch across with w x h square
 * pixels.  0 for nonsense input. */
double a11y_px_per_mm(double diag_inch, int w, int h);
/* Pixels needed for mm millimetres on that screen (rounded up). */
int a11y_mm_to_px(double mm, double diag_inch, int w, int h);

#endif
