/* theme.c — This file contains the two colour tables of theme.h and the
 * list of colour pairs that must meet the contrast minimum.  The colours
 * were chosen with a11y_contrast(); test_theme holds them to it. */
#include "theme.h"

#include "a11y.h"

/* Calm blue on off-white; every text pair at least 4.5:1 (most above 7). */
const struct theme theme_normal = {
  "normal",
  {
    [TH_BG] = 0xF5F7FA,
    [TH_TEXT] = 0x1B1F24,
    [TH_MUTED] = 0x4A5562,
    [TH_BAR] = 0x1F3A5F,
    [TH_BAR_TEXT] = 0xFFFFFF,
    [TH_BTN] = 0xFFFFFF,
    [TH_BTN_TEXT] = 0x1B1F24,
    [TH_BTN_EDGE] = 0x4F6378,
    [TH_SEL] = 0x0B4F94,
    [TH_SEL_TEXT] = 0xFFFFFF,
    [TH_PRIMARY] = 0x0B6E3B,
    [TH_PRIMARY_TEXT] = 0xFFFFFF,
    [TH_KEY] = 0xE4E9EF,
    [TH_KEY_TEXT] = 0x1B1F24,
    [TH_FIELD] = 0xFFFFFF,
    [TH_FIELD_TEXT] = 0x1B1F24,
    [TH_FIELD_EDGE] = 0x4F6378,
    [TH_ERR] = 0xA4161A,
    [TH_ERR_TEXT] = 0xFFFFFF,
    [TH_PROGRESS] = 0xFFFFFF,
  },
  A11Y_MIN_CONTRAST,
};

/* Black, white and yellow: every pair at least 7:1 (WCAG AAA). */
const struct theme theme_hc = {
  "hög kontrast",
  {
    [TH_BG] = 0x000000,
    [TH_TEXT] = 0xFFFFFF,
    [TH_MUTED] = 0xE0E0E0,
    [TH_BAR] = 0x000000,
    [TH_BAR_TEXT] = 0xFFFF00,
    [TH_BTN] = 0x000000,
    [TH_BTN_TEXT] = 0xFFFFFF,
    [TH_BTN_EDGE] = 0xFFFFFF,
    [TH_SEL] = 0xFFFF00,
    [TH_SEL_TEXT] = 0x000000,
    [TH_PRIMARY] = 0xFFFF00,
    [TH_PRIMARY_TEXT] = 0x000000,
    [TH_KEY] = 0x1A1A1A,
    [TH_KEY_TEXT] = 0xFFFFFF,
    [TH_FIELD] = 0x000000,
    [TH_FIELD_TEXT] = 0xFFFFFF,
    [TH_FIELD_EDGE] = 0xFFFF00,
    [TH_ERR] = 0xFFFFFF,
    [TH_ERR_TEXT] = 0x000000,
    [TH_PROGRESS] = 0xFFFF00,
  },
  A11Y_MIN_CONTRAST_HC,
};

/* Every place a colour carries text, or marks where a control is. */
const struct theme_pair theme_pairs[] = {
  {TH_TEXT, TH_BG, "text on background"},
  {TH_MUTED, TH_BG, "secondary text on background"},
  {TH_BAR_TEXT, TH_BAR, "top bar text and speaker icon"},
  {TH_BAR, TH_BAR_TEXT, "chosen language in the top bar (small panels)"},
  {TH_BTN_TEXT, TH_BTN, "answer button label"},
  {TH_BTN_EDGE, TH_BG, "answer button border"},
  {TH_SEL_TEXT, TH_SEL, "chosen answer label"},
  {TH_PRIMARY_TEXT, TH_PRIMARY, "main button label"},
  {TH_KEY_TEXT, TH_KEY, "keyboard key label"},
  {TH_FIELD_TEXT, TH_FIELD, "typed text"},
  {TH_MUTED, TH_FIELD, "hint in the empty text field"},
  {TH_FIELD_EDGE, TH_BG, "text field border"},
  {TH_ERR_TEXT, TH_ERR, "error banner"},
  {TH_PROGRESS, TH_BAR, "progress bar"},
  {TH_SEL, TH_BG, "chosen answer against background"},
  {TH_PRIMARY, TH_BG, "main button against background"},
};
const int theme_n_pairs = (int)(sizeof(theme_pairs) / sizeof(theme_pairs[0]));

const struct theme *theme_get(int hc)
{
  return hc ? &theme_hc : &theme_normal;
}
