/* phone_app.c — This file contains the phone mode's window loop and the
 * inject-script driver declared in phone_app.h. */
#include "phone_app.h"

#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "inject.h"
#include "kdraw.h"
#include "phone.h"
#include "phone_draw.h"

#define PHONE_SET_ID "ring-upp-utskrivning"

struct app {
  const struct phone_app_opts *o;
  SDL_Window *win;
  SDL_Renderer *r;
  struct phone_gfx gfx;
  struct phone *ph;
  time_t clock0;              /* pr_now() at start */
  long clock_off;             /* seconds added by "clock" */
  FILE *inj;
  long inj_line;
  int dirty;
  struct phone_hits hits;     /* clickable regions of the last frame */
  Uint32 last_cmd_ts;         /* timestamp of the last command key */
  char last_cmd_ch;
};

const struct qset *phone_app_find_set(struct qset *const *sets, int n)
{
  for(int i = 0; i < n; i++)
    if(strcmp(sets[i]->id, PHONE_SET_ID) == 0)
      return sets[i];
  for(int i = 0; i < n; i++)
    for(int q = 0; q < sets[i]->n_questions; q++)
      if(sets[i]->questions[q].modes & QSET_MODE_PHONE)
        return sets[i];
  return NULL;
}

static time_t app_now(const struct app *a)
{
  return a->clock0 + a->clock_off;
}

static void draw(struct app *a)
{
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(a->r, &w, &h);
  phone_draw(a->r, &a->gfx, a->ph, app_now(a), w, h, &a->hits);
  SDL_RenderPresent(a->r);
  a->dirty = 0;
}

static enum phone_key map_key(SDL_Keycode k, int *ch)
{
  *ch = 0;
  switch(k) {
  case SDLK_UP: return PHONE_K_UP;
  case SDLK_DOWN: return PHONE_K_DOWN;
  case SDLK_RETURN: case SDLK_KP_ENTER: return PHONE_K_ENTER;
  case SDLK_ESCAPE: return PHONE_K_ESC;
  case SDLK_BACKSPACE: case SDLK_LEFT: return PHONE_K_BACKSPACE;
  case SDLK_TAB: return PHONE_K_TAB;
  case SDLK_F5: return PHONE_K_REFRESH;
  case SDLK_PAGEUP: return PHONE_K_PAGEUP;
  case SDLK_PAGEDOWN: return PHONE_K_PAGEDOWN;
  default: break;
  }
  if(k >= SDLK_KP_1 && k <= SDLK_KP_9) {
    *ch = '1' + (int)(k - SDLK_KP_1);
    return PHONE_K_CHAR;
  }
  if((k >= '0' && k <= '9') || (k >= 'a' && k <= 'z')) {
    *ch = (int)k;
    return PHONE_K_CHAR;
  }
  return PHONE_K_NONE;
}

static void handle(struct app *a, const SDL_Event *ev)
{
  char err[PR_ERR_LEN];
  switch(ev->type) {
  case SDL_KEYDOWN: {
    int ch;
    enum phone_key k = map_key(ev->key.keysym.sym, &ch);
    if(k == PHONE_K_NONE)
      return;
    /* In a text field letters and digits arrive as SDL_TEXTINPUT. */
    if(k == PHONE_K_CHAR && phone_wants_text(a->ph))
      return;
    if(k == PHONE_K_CHAR) {
      a->last_cmd_ts = ev->key.timestamp;
      a->last_cmd_ch = (char)ch;
    }
    if(phone_key(a->ph, k, ch, app_now(a), err) == PR_OK)
      err[0] = '\0';
    a->dirty = 1;
    break;
  }
  case SDL_TEXTINPUT:
    /* The character of a command key that just moved us into a text
     * field must not land in it. */
    if(ev->text.text[0] == a->last_cmd_ch && !ev->text.text[1] &&
       ev->text.timestamp - a->last_cmd_ts < 50) {
      a->last_cmd_ch = 0;
      return;
    }
    phone_text(a->ph, ev->text.text);
    a->dirty = 1;
    break;
  case SDL_MOUSEBUTTONUP: {
    const struct phone_hit *h;
    if(ev->button.button != SDL_BUTTON_LEFT)
      return;
    h = phone_hit_at(&a->hits, ev->button.x, ev->button.y);
    if(!h)
      return;
    if(h->row >= 0) {
      /* a click selects; a click on the selected row calls */
      if(h->row == a->ph->sel && ev->button.clicks >= 2) {
        if(phone_key(a->ph, PHONE_K_ENTER, 0, app_now(a), err) != PR_OK)
          err[0] = '\0';   /* already on the status line */
      }
      phone_select(a->ph, h->row);
    } else if(phone_key(a->ph, h->k, h->ch, app_now(a), err) != PR_OK) {
      err[0] = '\0';       /* already on the status line */
    }
    a->dirty = 1;
    break;
  }
  case SDL_WINDOWEVENT:
    a->dirty = 1;
    break;
  default:
    break;
  }
}

static void push_text(const char *s)
{
  /* SDL_TEXTINPUT carries at most 31 bytes: split on character starts. */
  size_t n = strlen(s), i = 0;
  while(i < n) {
    SDL_Event ev;
    size_t k = n - i < 31 ? n - i : 31;
    while(k > 0 && i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
      k--;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_TEXTINPUT;
    ev.text.timestamp = SDL_GetTicks() + 1000;
    memcpy(ev.text.text, s + i, k);
    SDL_PushEvent(&ev);
    i += k;
  }
}

static const struct { const char *name; SDL_Keycode k; } key_names[] = {
  {"enter", SDLK_RETURN}, {"esc", SDLK_ESCAPE}, {"up", SDLK_UP},
  {"down", SDLK_DOWN}, {"backspace", SDLK_BACKSPACE}, {"tab", SDLK_TAB},
  {"f5", SDLK_F5}, {"left", SDLK_LEFT}, {"pageup", SDLK_PAGEUP},
  {"pagedown", SDLK_PAGEDOWN}};

/* Run the next script command.  Returns 1 to go on, 0 at the end or on
 * quit, -1 on a bad line (err set). */
static int inject_step(struct app *a, char *err)
{
  char line[1024], *arg;
  if(!inject_next(a->inj, &a->inj_line, line, sizeof(line), &arg))
    return 0;
  if(strcmp(line, "key") == 0) {
    for(size_t i = 0; i < PR_ARRAY_LEN(key_names); i++)
      if(strcmp(arg, key_names[i].name) == 0) {
        inject_key(key_names[i].k, 0);
        return 1;
      }
    if(strlen(arg) == 1 && ((arg[0] >= '0' && arg[0] <= '9') ||
                            (arg[0] >= 'a' && arg[0] <= 'z'))) {
      inject_key((SDL_Keycode)arg[0], 0);
      return 1;
    }
  } else if(strcmp(line, "click") == 0 || strcmp(line, "mouse") == 0 ||
            strcmp(line, "tap") == 0) {
    char xs[16] = "", ys[16] = "";
    long x, y;
    SDL_Event ev;
    if(sscanf(arg, "%15s %15s", xs, ys) == 2 &&
       !pr_parse_long(xs, 0, 10000, &x) && !pr_parse_long(ys, 0, 10000, &y)) {
      memset(&ev, 0, sizeof(ev));
      ev.type = SDL_MOUSEBUTTONUP;
      ev.button.button = SDL_BUTTON_LEFT;
      ev.button.clicks = 1;
      ev.button.x = (int)x;
      ev.button.y = (int)y;
      SDL_PushEvent(&ev);
      return 1;
    }
  } else if(strcmp(line, "text") == 0) {
    push_text(arg);
    return 1;
  } else if(strcmp(line, "shot") == 0 && *arg) {
    char path[1024];
    draw(a);
    if(inject_shot_path(a->o->shots_dir, arg, a->inj_line, path, sizeof(path),
                        err) != PR_OK)
      return -1;
    return kdraw_screenshot(a->r, path, err) ? -1 : 1;
  } else if(strcmp(line, "clock") == 0 && (arg[0] == '+' || arg[0] == '=')) {
    long v;
    if(pr_parse_long(arg + 1, 0, 4102444800L, &v) == 0) {
      if(arg[0] == '+')
        a->clock_off += v;
      else
        a->clock_off = v - (long)a->clock0;
      a->dirty = 1;
      return 1;
    }
  } else if(strcmp(line, "wait") == 0 || strcmp(line, "idle") == 0) {
    long ms;
    if(pr_parse_long(arg, 0, 60000, &ms) == 0) {
      SDL_Delay((Uint32)ms);
      return 1;
    }
  } else if(strcmp(line, "quit") == 0 || strcmp(line, "close") == 0) {
    return 0;
  }
  pr_seterr(err, "inject script line %ld: not understood", a->inj_line);
  return -1;
}

enum pr_rc phone_app_run(const struct phone_app_opts *o, char *err)
{
  struct app a;
  enum pr_rc rc = PR_EIO;
  int ttf_started = 0;

  memset(&a, 0, sizeof(a));
  a.o = o;
  a.clock0 = pr_now();
  a.dirty = 1;
  if(o->inject) {
    a.inj = fopen(o->inject, "r");
    if(!a.inj) {
      pr_seterr(err, "inject script %s: cannot open", o->inject);
      goto out;
    }
  }
  if(!TTF_WasInit()) {
    if(TTF_Init()) {
      pr_seterr(err, "TTF_Init: %s", TTF_GetError());
      goto out;
    }
    ttf_started = 1;
  }
  a.r = o->renderer;
  if(!a.r) {
    a.win = SDL_CreateWindow("Patientröst – Telefonintervju",
                             SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                             o->width ? o->width : 1280,
                             o->height ? o->height : 800,
                             SDL_WINDOW_RESIZABLE);
    if(!a.win) {
      pr_seterr(err, "window: %s", SDL_GetError());
      goto out;
    }
    a.r = SDL_CreateRenderer(a.win, -1, SDL_RENDERER_SOFTWARE);
    if(!a.r) {
      pr_seterr(err, "renderer: %s", SDL_GetError());
      goto out;
    }
  }
  rc = phone_gfx_open(&a.gfx, err);
  if(rc)
    goto out;
  rc = phone_open(o->store, o->set, &o->cfg, o->unit, app_now(&a), &a.ph,
                  err);
  if(rc)
    goto out;
  SDL_StartTextInput();
  pr_log(PR_LOG_INFO, "phone_mode", "start queue=%d", a.ph->n_queue);
  while(!a.ph->quit) {
    SDL_Event ev;
    int got;
    if(a.dirty)
      draw(&a);
    if(a.inj && SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT,
                               SDL_LASTEVENT) <= 0) {
      SDL_PumpEvents();
      if(SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT,
                        SDL_LASTEVENT) <= 0) {
        int s = inject_step(&a, err);
        if(s < 0) {
          rc = PR_EINVAL;
          goto out;
        }
        if(s == 0)
          break;
        continue;
      }
    }
    /* Block until input; wake once a minute so "dag N" and due
     * call-backs move on without polling. */
    got = SDL_WaitEventTimeout(&ev, a.inj ? 10 : 60000);
    if(!got) {
      if(!a.inj && phone_refresh(a.ph, app_now(&a), err) == PR_OK)
        a.dirty = 1;
      continue;
    }
    if(ev.type == SDL_QUIT) {
      if(o->quit_on_close)
        break;
      continue;     /* the locked kiosk decides about quitting */
    }
    handle(&a, &ev);
  }
  pr_log(PR_LOG_INFO, "phone_mode", "end");
  rc = PR_OK;
out:
  SDL_StopTextInput();
  phone_close(a.ph);
  phone_gfx_close(&a.gfx);
  if(a.win) {
    SDL_DestroyRenderer(a.r);
    SDL_DestroyWindow(a.win);
  }
  if(ttf_started)
    TTF_Quit();
  if(a.inj)
    fclose(a.inj);
  return rc;
}

enum pr_rc phone_app_start(struct store *s, const char *sets_dir,
                           const char *unit, const struct calllist_cfg *cfg,
                           SDL_Renderer *renderer, const char *inject,
                           const char *shots_dir, int quit_on_close,
                           char *err)
{
  struct qset **sets = NULL;
  int n = 0;
  struct phone_app_opts o;
  enum pr_rc rc = qset_load_dir(sets_dir, &sets, &n, err);
  if(rc)
    return rc;
  memset(&o, 0, sizeof(o));
  o.store = s;
  o.set = phone_app_find_set(sets, n);
  o.unit = unit;
  if(cfg)
    o.cfg = *cfg;
  else
    calllist_cfg_default(&o.cfg);
  o.renderer = renderer;
  o.inject = inject;
  o.shots_dir = shots_dir;
  o.quit_on_close = quit_on_close;
  if(!o.set) {
    pr_seterr(err, "%s: no question set with phone questions "
              "(ring-upp-utskrivning)", sets_dir);
    rc = PR_EINVAL;
  } else {
    rc = phone_app_run(&o, err);
  }
  qset_free_all(sets, n);
  return rc;
}
