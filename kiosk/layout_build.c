/* layout_build.c — This file contains layout_build (layout.h): it sets up
 * the metrics and picks the screen the model shows (layout_patient.c,
 * layout_staff.c), built from the toolkit in layout.c.  Each screen is laid
 * out from the start side (left in Swedish); a right-to-left language then
 * mirrors every x, and the keyboard is added after the mirror so its keys
 * keep a physical keyboard's order. */
#include "layout_screens.h"

void layout_build(const struct patient *p, const struct lay_env *e,
                  struct lay *out)
{
  struct met m;
  int staff = p->screen == PT_PIN || p->screen == PT_STAFF ||
              p->screen == PT_ENROL;
  int rtl = !staff && layout_lang_rtl(p->lang);
  struct lay_rect kb = {0, 0, 0, 0};

  out->n = 0;
  out->rtl = 0;
  out->min_px = 0;
  out->overflow = 0;
  out->str_used = 0;
  lay_met_init(&m, e, staff ? 0 : p->large);
  out->target_px = m.target;
  lay_fill(out, lay_r(0, 0, e->w, e->h), TH_BG);
  switch(p->screen) {
  case PT_WELCOME: lay_welcome(out, e, &m, p, rtl); break;
  case PT_QUESTION: lay_question(out, e, &m, p, rtl); break;
  case PT_TEXT: lay_text_screen(out, e, &m, p, rtl, &kb); break;
  case PT_STILL_THERE: lay_still_there(out, e, &m, p, rtl); break;
  case PT_THANKS: lay_thanks(out, e, &m, p, rtl); break;
  case PT_PIN: lay_pin(out, e, &m, p); break;
  case PT_STAFF: lay_staff(out, e, &m, p); break;
  case PT_ENROL: lay_enrol(out, e, &m, p, &kb); break;
  }
  if(rtl)
    lay_mirror(out, e->w);
  if(p->screen == PT_TEXT || (p->screen == PT_ENROL && !p->enrol_busy))
    lay_keyboard(out, e, &m, p, kb);
}
