/* kiosk_inject.c — This file contains the kiosk's inject-script driver of
 * kiosk_inject.h (the language is documented in kiosk_app.h): it turns
 * script lines into real SDL finger, mouse, key and window events, moves
 * the kiosk's clock, checks what is shown and takes screenshots, for the
 * end-to-end tests and the benchmarks.  The window loop is reached only
 * through struct kinject_host. */
#include "kiosk_inject.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "inject.h"
#include "kdraw.h"
#include "osk.h"

static const struct { const char *name; enum pt_target t; } tnames[] = {
  {"start", PT_T_START}, {"lang", PT_T_LANG}, {"hc", PT_T_HC},
  {"large", PT_T_LARGE}, {"auto", PT_T_AUTO}, {"easy", PT_T_EASY},
  {"speak", PT_T_SPEAK}, {"option", PT_T_OPTION}, {"back", PT_T_BACK},
  {"skip", PT_T_SKIP}, {"done", PT_T_DONE}, {"key", PT_T_KEY},
  {"still_yes", PT_T_STILL_YES}, {"thanks_ok", PT_T_THANKS_OK},
  {"pin_digit", PT_T_PIN_DIGIT}, {"pin_del", PT_T_PIN_DEL},
  {"pin_ok", PT_T_PIN_OK}, {"cancel", PT_T_CANCEL},
  {"staff_exit", PT_T_STAFF_EXIT}, {"staff_set", PT_T_STAFF_SET},
  {"staff_lang", PT_T_STAFF_LANG}, {"staff_hc", PT_T_STAFF_HC},
  {"staff_large", PT_T_STAFF_LARGE}, {"staff_auto", PT_T_STAFF_AUTO},
  {"staff_easy", PT_T_STAFF_EASY}, {"staff_phone", PT_T_STAFF_PHONE},
  {"staff_sync", PT_T_STAFF_SYNC}, {"staff_back", PT_T_STAFF_BACK},
  {"staff_enrol", PT_T_STAFF_ENROL}, {"enrol_field", PT_T_ENROL_FIELD},
  {"enrol_go", PT_T_ENROL_GO}, {"staff_page", PT_T_STAFF_PAGE}};

enum pr_rc kinject_open(struct kinject *k, const char *path, char *err)
{
  memset(k, 0, sizeof(*k));
  k->f = fopen(path, "r");
  if(!k->f) {
    pr_seterr(err, "inject script %s: %s", path, strerror(errno));
    return PR_EINVAL;
  }
  return PR_OK;
}

void kinject_close(struct kinject *k)
{
  if(k && k->f) {
    fclose(k->f);
    k->f = NULL;
  }
}

void kinject_finger(const struct kinject *k, Uint32 type, int x, int y)
{
  SDL_Event ev;
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(k->r, &w, &h);
  memset(&ev, 0, sizeof(ev));
  ev.type = type;
  ev.tfinger.timestamp = SDL_GetTicks();
  ev.tfinger.touchId = 1;
  ev.tfinger.fingerId = 1;
  ev.tfinger.x = ((float)x + 0.5f) / (float)(w > 0 ? w : 1);
  ev.tfinger.y = ((float)y + 0.5f) / (float)(h > 0 ? h : 1);
  ev.tfinger.pressure = 1.0f;
  SDL_PushEvent(&ev);
}

static void push_tap(struct kinject *a, int x, int y)
{
  kinject_finger(a, SDL_FINGERDOWN, x, y);
  kinject_finger(a, SDL_FINGERUP, x, y);
}

static void push_mouse(Uint32 type, int x, int y)
{
  SDL_Event ev;
  memset(&ev, 0, sizeof(ev));
  ev.type = type;
  ev.button.button = SDL_BUTTON_LEFT;
  ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
  ev.button.clicks = 1;
  ev.button.x = x;
  ev.button.y = y;
  SDL_PushEvent(&ev);
}

static int tap_target(struct kinject *a, const char *name, const char *idx,
                      char *err)
{
  long i = 0;
  const struct lay_item *it;
  for(size_t k = 0; k < PR_ARRAY_LEN(tnames); k++) {
    if(strcmp(name, tnames[k].name) != 0)
      continue;
    if(idx && *idx && pr_parse_long(idx, 0, 1000, &i)) {
      pr_seterr(err, "inject script line %ld: bad index \"%s\"", a->line,
                idx);
      return -1;
    }
    it = layout_find(a->host.layout(a->host.ctx), tnames[k].t, (int)i);
    if(!it) {
      pr_seterr(err, "inject script line %ld: no \"%s %ld\" on the %s screen",
                a->line, name, i, patient_screen_name(a->p->screen));
      return -1;
    }
    push_tap(a, it->r.x + it->r.w / 2, it->r.y + it->r.h / 2);
    return 0;
  }
  pr_seterr(err, "inject script line %ld: unknown button \"%s\"", a->line,
            name);
  return -1;
}

/* Tap the keyboard keys that type text (shift first for capitals). */
static int type_text(struct kinject *a, const char *text, char *err)
{
  const struct osk_layout *k = patient_osk(a->p);
  size_t i = 0, n = strlen(text);
  const struct lay *lay = a->host.layout(a->host.ctx);
  while(i < n) {
    size_t j = i + 1;
    int found = -1, shifted = 0, shift_key = -1;
    char ch[8];
    while(j < n && ((unsigned char)text[j] & 0xC0) == 0x80)
      j++;
    if(j - i >= sizeof(ch))
      return -1;
    memcpy(ch, text + i, j - i);
    ch[j - i] = '\0';
    for(int q = 0; q < osk_n_keys(k); q++) {
      const struct osk_key *key = osk_key_at(k, q);
      if(key->act == OSK_SHIFT)
        shift_key = q;
      if((key->act == OSK_CHAR && strcmp(key->text, ch) == 0) ||
         (key->act == OSK_SPACE && strcmp(ch, " ") == 0)) {
        found = q;
        break;
      }
      if(key->act == OSK_CHAR && key->shifted && strcmp(key->shifted, ch) == 0) {
        found = q;
        shifted = 1;
      }
    }
    for(int q = 0; shift_key < 0 && q < osk_n_keys(k); q++)
      if(osk_key_at(k, q)->act == OSK_SHIFT)
        shift_key = q;
    if(found < 0 || (shifted && shift_key < 0)) {
      pr_seterr(err, "inject script line %ld: no key for \"%s\"", a->line,
                ch);
      return -1;
    }
    if(shifted && !a->p->shift) {
      const struct lay_item *it = layout_find(lay, PT_T_KEY, shift_key);
      if(it)
        push_tap(a, it->r.x + it->r.w / 2, it->r.y + it->r.h / 2);
    }
    {
      const struct lay_item *it = layout_find(lay, PT_T_KEY, found);
      if(!it) {
        pr_seterr(err, "inject script line %ld: keyboard not on screen",
                  a->line);
        return -1;
      }
      push_tap(a, it->r.x + it->r.w / 2, it->r.y + it->r.h / 2);
    }
    i = j;
  }
  return 0;
}

static int two_ints(const char *arg, long *x, long *y)
{
  char xs[16] = "", ys[16] = "";
  return sscanf(arg, "%15s %15s", xs, ys) == 2 &&
         !pr_parse_long(xs, 0, 100000, x) && !pr_parse_long(ys, 0, 100000, y);
}

int kinject_step(struct kinject *a, char *err)
{
  char line[1024], *arg, *arg2;
  long x, y;
  if(!inject_next(a->f, &a->line, line, sizeof(line), &arg))
    return 0;
  arg2 = strchr(arg, ' ');
  if(strcmp(line, "wait_enrol") == 0) {
    /* until "Anslut till server" has its answer (at most 60 s) */
    a->wait_until = SDL_GetTicks64() + 60000;
    a->wait_enrol = 1;
    return 1;
  }
  if(strcmp(line, "tap") == 0 || strcmp(line, "bench_tap") == 0) {
    if(arg2)
      *arg2++ = '\0';
    a->clock_off += (uint64_t)a->pace;
    if(tap_target(a, arg, arg2, err))
      return -1;
    if(line[0] == 'b')
      a->bench_tap_pc = SDL_GetPerformanceCounter();
    return 1;
  }
  if(strcmp(line, "type") == 0) {
    a->clock_off += (uint64_t)a->pace;
    return type_text(a, arg, err) ? -1 : 1;
  }
  if((strcmp(line, "touch") == 0 || strcmp(line, "mouse") == 0 ||
      strcmp(line, "press") == 0 || strcmp(line, "release") == 0) &&
     two_ints(arg, &x, &y)) {
    if(line[0] == 't')
      push_tap(a, (int)x, (int)y);
    else if(line[0] == 'm') {
      push_mouse(SDL_MOUSEBUTTONDOWN, (int)x, (int)y);
      push_mouse(SDL_MOUSEBUTTONUP, (int)x, (int)y);
    } else
      kinject_finger(a, line[0] == 'p' ? SDL_FINGERDOWN : SDL_FINGERUP, (int)x,
                  (int)y);
    return 1;
  }
  if(strcmp(line, "staff") == 0) {
    int w = 0, h = 0;
    struct lay_rect c;
    SDL_GetRendererOutputSize(a->r, &w, &h);
    c = layout_staff_corner(w, h);
    kinject_finger(a, SDL_FINGERDOWN, c.x + c.w / 2, c.y + c.h / 2);
    /* the loop holds it past the long press, then lifts it */
    a->staff = 1;
    return 1;
  }
  if(strcmp(line, "pace") == 0 && pr_parse_long(arg, 0, 60000L, &x) == 0) {
    a->pace = x;
    return 1;
  }
  if(strcmp(line, "advance") == 0 && pr_parse_long(arg, 0, 86400000L, &x) == 0) {
    a->clock_off += (uint64_t)x;
    return 1;
  }
  if((strcmp(line, "wait") == 0 || strcmp(line, "idle") == 0) &&
     pr_parse_long(arg, 0, 3600000L, &x) == 0) {
    a->wait_until = SDL_GetTicks64() + (uint64_t)x;
    return 1;
  }
  if(strcmp(line, "key") == 0) {
    if(strcmp(arg, "esc") == 0)
      inject_key(SDLK_ESCAPE, 0);
    else if(strcmp(arg, "altf4") == 0)
      inject_key(SDLK_F4, KMOD_LALT);
    else if(strcmp(arg, "enter") == 0)
      inject_key(SDLK_RETURN, 0);
    else if(strcmp(arg, "backspace") == 0)
      inject_key(SDLK_BACKSPACE, 0);
    else if(strlen(arg) == 1 && arg[0] >= '0' && arg[0] <= '9')
      inject_key((SDL_Keycode)arg[0], 0);
    else
      goto bad;
    return 1;
  }
  if(strcmp(line, "close") == 0) {
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_WINDOWEVENT;
    ev.window.event = SDL_WINDOWEVENT_CLOSE;
    ev.window.windowID = SDL_GetWindowID(a->win);
    SDL_PushEvent(&ev);
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_QUIT;
    SDL_PushEvent(&ev);
    return 1;
  }
  if(strcmp(line, "sigterm") == 0) {
    kill(getpid(), SIGTERM);
    return 1;
  }
  if(strcmp(line, "expect") == 0) {
    const char *want = arg, *qid = NULL;
    const struct qset *s = patient_set(a->p);
    if(arg2) {
      *arg2++ = '\0';
      qid = arg2;
    }
    if(strcmp(patient_screen_name(a->p->screen), want) != 0) {
      pr_seterr(err, "inject script line %ld: expected the %s screen, the %s "
                "screen is shown", a->line, want,
                patient_screen_name(a->p->screen));
      return -1;
    }
    if(qid && (!s || a->p->q < 0 || strcmp(s->questions[a->p->q].id, qid))) {
      pr_seterr(err, "inject script line %ld: expected question %s, shown %s",
                a->line, qid,
                s && a->p->q >= 0 ? s->questions[a->p->q].id : "none");
      return -1;
    }
    return 1;
  }
  if(strcmp(line, "shot") == 0 && *arg) {
    char path[1024];
    a->host.draw(a->host.ctx);
    if(inject_shot_path(a->shots_dir, arg, a->line, path, sizeof(path),
                        err) != PR_OK)
      return -1;
    return kdraw_screenshot(a->r, path, err) ? -1 : 1;
  }
bad:
  pr_seterr(err, "inject script line %ld: not understood", a->line);
  return -1;
}
