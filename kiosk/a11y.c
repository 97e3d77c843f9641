/* a11y.c — This file contains the accessibility helpers declared in
 * a11y.h: the read-aloud wording of a question, the recorded-clip lookup,
 * the WCAG 2.2 contrast formula and screen millimetre arithmetic. */
#include "a11y.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Append s and a sentence end to buf at *len.  0 when it fit. */
static int append_sentence(char *buf, size_t cap, size_t *len, const char *s)
{
  size_t n = strlen(s);
  int needs_stop;

  while(n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
    n--;
  if(n == 0)
    return 0;
  /* The question may end in "?" already; alternatives usually do not. */
  needs_stop = !(s[n - 1] == '.' || s[n - 1] == '?' || s[n - 1] == '!' ||
                 (n >= 2 && (unsigned char)s[n - 2] == 0xD8 &&
                  (unsigned char)s[n - 1] == 0x9F)); /* Arabic ? U+061F */
  if(*len + (*len ? 1 : 0) + n + (size_t)needs_stop + 1 > cap)
    return -1;
  if(*len)
    buf[(*len)++] = ' ';
  memcpy(buf + *len, s, n);
  *len += n;
  if(needs_stop)
    buf[(*len)++] = '.';
  buf[*len] = '\0';
  return 0;
}

enum pr_rc a11y_read_text(const struct qset *s, int qi, const char *lang,
                          int easy_read, char *buf, size_t cap)
{
  const struct qset_question *q;
  const struct qset_scale *sc;
  size_t len = 0;

  if(cap == 0)
    return PR_EINVAL;
  buf[0] = '\0';
  if(!s || qi < 0 || qi >= s->n_questions)
    return PR_EINVAL;
  q = &s->questions[qi];
  if(append_sentence(buf, cap, &len, qset_question_text(q, lang, easy_read)))
    return PR_ELIMIT;
  if(q->type == QSET_TEXT)
    return PR_OK;
  sc = qset_question_scale(s, qi);
  for(int i = 0; sc && i < sc->n_options; i++)
    if(append_sentence(buf, cap, &len,
                       qset_text(&sc->options[i].label, lang)))
      return PR_ELIMIT;
  return PR_OK;
}

int a11y_audio_path(const struct qset *s, int qi, const char *lang,
                    const char *assets_dir, char *buf, size_t cap)
{
  const struct qset_text *a;
  const char *rel = NULL;
  struct stat st;
  int n;

  if(cap)
    buf[0] = '\0';
  if(!s || qi < 0 || qi >= s->n_questions || !lang || !assets_dir || !cap)
    return 0;
  a = &s->questions[qi].audio;
  for(int i = 0; i < a->n; i++)
    if(strcmp(a->lang[i], lang) == 0)
      rel = a->text[i];
  if(!rel || !*rel || rel[0] == '/' || strstr(rel, ".."))
    return 0;
  n = snprintf(buf, cap, "%s/%s", assets_dir, rel);
  if(n < 0 || (size_t)n >= cap || stat(buf, &st) != 0 || !S_ISREG(st.st_mode)) {
    buf[0] = '\0';
    return 0;
  }
  return 1;
}

static double channel(uint32_t c8)
{
  double c = (double)c8 / 255.0;
  /* WCAG 2.2 uses 0.04045 (the sRGB standard's threshold). */
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double a11y_luminance(uint32_t rgb)
{
  return 0.2126 * channel((rgb >> 16) & 0xff) +
         0.7152 * channel((rgb >> 8) & 0xff) +
         0.0722 * channel(rgb & 0xff);
}

double a11y_contrast(uint32_t fg, uint32_t bg)
{
  double l1 = a11y_luminance(fg), l2 = a11y_luminance(bg);
  if(l1 < l2) {
    double t = l1;
    l1 = l2;
    l2 = t;
  }
  return (l1 + 0.05) / (l2 + 0.05);
}

double a11y_px_per_mm(double diag_inch, int w, int h)
{
  double diag_px;
  if(!(diag_inch > 0) || w <= 0 || h <= 0)
    return 0;
  diag_px = sqrt((double)w * w + (double)h * h);
  return diag_px / (diag_inch * 25.4);
}

int a11y_mm_to_px(double mm, double diag_inch, int w, int h)
{
  double ppm = a11y_px_per_mm(diag_inch, w, h);
  if(ppm <= 0 || !(mm > 0))
    return 0;
  return (int)ceil(mm * ppm - 1e-9);
}
