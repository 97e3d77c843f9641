/* layout_screens.h — the screens (layout_patient.c: welcome, question, free
 * text with its keyboard, "Är du kvar?", thank-you; layout_staff.c: PIN,
 * staff menu, "Anslut till server"), each laid out with layout_int.h.
 * Only layout_build.c calls them.  Not for use outside layout*.c. */
#ifndef LAYOUT_SCREENS_H
#define LAYOUT_SCREENS_H

#include "layout_int.h"

void lay_welcome(struct lay *l, const struct lay_env *e, const struct met *m,
                 const struct patient *p, int rtl);
void lay_question(struct lay *l, const struct lay_env *e, const struct met *m,
                  const struct patient *p, int rtl);
void lay_text_screen(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p, int rtl,
                     struct lay_rect *kb);
void lay_keyboard(struct lay *l, const struct lay_env *e, const struct met *m,
                  const struct patient *p, struct lay_rect area);
void lay_still_there(struct lay *l, const struct lay_env *e,
                     const struct met *m, const struct patient *p, int rtl);
void lay_thanks(struct lay *l, const struct lay_env *e, const struct met *m,
                const struct patient *p, int rtl);
void lay_pin(struct lay *l, const struct lay_env *e, const struct met *m,
             const struct patient *p);
/* "Anslut till server": the two fields, the buttons, the message; *kb
 * receives the area for the keyboard. */
void lay_enrol(struct lay *l, const struct lay_env *e, const struct met *m,
               const struct patient *p, struct lay_rect *kb);
void lay_staff(struct lay *l, const struct lay_env *e, const struct met *m,
               const struct patient *p);

#endif
