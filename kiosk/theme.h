/* theme.h — the kiosk's colours as data: a normal theme and a high-contrast
 * theme, each a table of roles (background, text, button, selected ...),
 * and the list of foreground/background pairs that carry text or mark a
 * control, so a test can hold every pair to WCAG 2.2 (7:1 high contrast,
 * 4.5:1 normal).  No SDL: colours are 0xRRGGBB. */
#ifndef THEME_H
#define THEME_H

#include <stdint.h>

enum theme_role {
  TH_BG,            /* screen background */
  TH_TEXT,          /* body text on TH_BG */
  TH_MUTED,         /* secondary text on TH_BG (progress, hints) */
  TH_BAR,           /* top bar background */
  TH_BAR_TEXT,      /* text and icons on TH_BAR */
  TH_BTN,           /* answer / ordinary button face */
  TH_BTN_TEXT,      /* its label */
  TH_BTN_EDGE,      /* its border, against TH_BG */
  TH_SEL,           /* a chosen answer's face */
  TH_SEL_TEXT,      /* its label and check mark */
  TH_PRIMARY,       /* the main action ("Börja", "Klar") */
  TH_PRIMARY_TEXT,
  TH_KEY,           /* on-screen keyboard key face */
  TH_KEY_TEXT,
  TH_FIELD,         /* text field face */
  TH_FIELD_TEXT,
  TH_FIELD_EDGE,    /* its border, against TH_BG */
  TH_ERR,           /* error banner */
  TH_ERR_TEXT,
  TH_PROGRESS,      /* answered part of the progress bar, against TH_BAR */
  TH_N
};

struct theme {
  const char *name;          /* "normal", "hög kontrast" */
  uint32_t c[TH_N];
  double min_contrast;       /* what every pair must reach */
};

extern const struct theme theme_normal;
extern const struct theme theme_hc;

/* A foreground drawn on a background somewhere on screen. */
struct theme_pair {
  enum theme_role fg, bg;
  const char *what;          /* for test messages */
};
extern const struct theme_pair theme_pairs[];
extern const int theme_n_pairs;

/* The theme to draw with: high contrast when hc is non-zero. */
const struct theme *theme_get(int hc);

#endif
