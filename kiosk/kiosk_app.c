/* kiosk_app.c — This file contains the kiosk's window loop declared in
 * kiosk_app.h: SDL setup, input handling, read-aloud and sync glue, set
 * rollout between patients, signals and housekeeping.  The inject-script
 * driver is kiosk_inject.c, which reaches this loop only through the
 * struct kinject_host filled in here. */
#include "kiosk_app.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "a11y.h"
#include "a11y_speak.h"
#include "calllist.h"
#include "enrolcli.h"
#include "flow.h"
#include "kdraw.h"
#include "kiosk_inject.h"
#include "layout.h"
#include "patient.h"
#include "phone_app.h"
#include "sync_worker.h"
#include "theme.h"
#include "tts.h"
#include "uitext.h"

/* How often the call list's expired personal data is looked for while the
 * kiosk runs (also once at start). */
#define HOUSEKEEP_MS (6ull * 3600 * 1000)

#define MAX_SETS 64

struct kapp {
  const struct kiosk_app_opts *o;
  const struct kconf *cfg;
  SDL_Window *win;
  SDL_Renderer *r;
  struct kdraw *kd;
  struct uitext *ui;
  struct tts *tts;
  struct sync_worker *sync;
  struct sync_config sync_cfg;   /* the config's, with the enrolment */
  struct enrol_job *enrol;       /* "Anslut till server" running */
  pthread_t enrol_th;
  struct patient *p;
  struct lay *lay;
  struct lay_env env;
  int lay_valid;

  struct qset **all;             /* every loaded set (owned) */
  int n_all;
  struct qset *offered[MAX_SETS];/* one version per offered id (borrowed) */
  int n_offered;
  struct timespec sets_mtime;    /* of the fetched-sets directory */

  Uint32 ev_sync, ev_term, ev_enrol;
  int running, dirty, frames;
  unsigned said_gen;
  uint64_t housekeep_at;         /* next call-list erasure run */

  /* the finger or mouse button that is down */
  int down;
  enum pt_target down_t;
  int down_i;
  int corner;                    /* went down in the staff corner */
  int corner_fired;
  uint64_t down_at;

  char sync_text[512];
  char audio_text[TTS_STATUS_LEN];

  struct kinject inj;            /* the test script (inj.f NULL: none) */
};


/* The kiosk's clock: SDL ticks plus what an inject script advanced. */
static uint64_t kapp_now_ms(const struct kapp *a)
{
  return (a->inj.f ? a->inj.clock : SDL_GetTicks64()) + a->inj.clock_off;
}

/* A script's clock moves by the real time that passes while the script
 * waits ("wait", "idle", "wait_enrol") and otherwise only by "advance" and
 * "pace": the time the machine takes to draw a frame or handle a tap never
 * counts, so a script's timings (a double tap 150 ms apart) hold on a
 * loaded machine. */
static void inj_clock_run(struct kapp *a)
{
  uint64_t t = SDL_GetTicks64();

  if(a->inj.wait_until)
    a->inj.clock += t - a->inj.mark;
  a->inj.mark = t;
}

/* ---- signals ------------------------------------------------------------ */

void kiosk_app_block_signals(void)
{
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &s, NULL);
}

static Uint32 g_ev_term;   /* set once before the thread starts */

/* Waits for SIGTERM / SIGINT / SIGHUP and hands them to the loop as an
 * event, so the answer being saved is always saved first. */
static void *signal_thread(void *arg)
{
  sigset_t s;
  (void)arg;
  sigemptyset(&s);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGHUP);
  for(;;) {
    int sig = 0;
    SDL_Event ev;
    if(sigwait(&s, &sig) != 0)
      continue;
    memset(&ev, 0, sizeof(ev));
    ev.type = g_ev_term;
    ev.user.code = sig;
    SDL_PushEvent(&ev);
  }
  return NULL;
}

static void sync_notify(const struct sync_status *st, void *ctx)
{
  struct kapp *a = ctx;
  SDL_Event ev;
  (void)st;
  memset(&ev, 0, sizeof(ev));
  ev.type = a->ev_sync;
  SDL_PushEvent(&ev);
}

/* ---- question sets -------------------------------------------------------- */

static int dir_mtime(const char *dir, struct timespec *out)
{
  struct stat st;
  if(!dir || !*dir || stat(dir, &st) != 0)
    return -1;
  *out = st.st_mtim;
  return 0;
}

static int has_id(struct qset **sets, int n, const char *id)
{
  for(int i = 0; i < n; i++)
    if(strcmp(sets[i]->id, id) == 0)
      return 1;
  return 0;
}

/* The shipped sets, plus the versions the sync thread fetched into
 * sync_sets_dir (a broken or missing fetched directory leaves only the
 * shipped ones).  Builds a fresh offered list; the caller swaps. */
static enum pr_rc load_sets(const struct kconf *c, struct qset ***all_out,
                            int *n_out, char *err)
{
  struct qset **a = NULL, **b = NULL, **m;
  int na = 0, nb = 0, nm = 0;
  char e2[PR_ERR_LEN];
  enum pr_rc rc = qset_load_dir(c->sets_dir, &a, &na, err);
  if(rc)
    return rc;
  if(c->sync.sets_dir[0] && strcmp(c->sync.sets_dir, c->sets_dir) != 0) {
    struct stat st;
    if(stat(c->sync.sets_dir, &st) == 0 &&
       qset_load_dir(c->sync.sets_dir, &b, &nb, e2) != PR_OK) {
      pr_log(PR_LOG_ERROR, "fetched_sets_refused", "reason=\"%s\"", e2);
      b = NULL;
      nb = 0;
    }
  }
  m = pr_calloc((size_t)(na + nb) + 1, sizeof(*m));
  if(!m) {
    qset_free_all(a, na);
    qset_free_all(b, nb);
    pr_seterr(err, "out of memory");
    return PR_ENOMEM;
  }
  for(int i = 0; i < na; i++)
    m[nm++] = a[i];
  for(int i = 0; i < nb; i++) {
    /* the same id and version as a shipped file: keep the shipped one */
    if(qset_pick(a, na, b[i]->id, b[i]->version))
      qset_free(b[i]);
    else
      m[nm++] = b[i];
  }
  pr_free(a);
  pr_free(b);
  *all_out = m;
  *n_out = nm;
  return PR_OK;
}

static int pick_offered(const struct kconf *c, struct qset **all, int n,
                        struct qset **offered)
{
  int k = 0;
  for(int i = 0; i < n && k < MAX_SETS; i++) {
    struct qset *s = all[i];
    const struct qset *hi;
    if(!kconf_offers(c, s->id) || !flow_has_mode(s, QSET_MODE_KIOSK) ||
       has_id(offered, k, s->id))
      continue;
    hi = qset_pick(all, n, s->id, 0);
    offered[k++] = (struct qset *)hi;
  }
  return k;
}

/* Between patients: take new set versions the sync thread saved. */
static void maybe_reload_sets(struct kapp *a)
{
  struct timespec mt;
  struct qset **all = NULL, *off[MAX_SETS];
  int n = 0, k;
  char err[PR_ERR_LEN];
  if(patient_busy(a->p) || dir_mtime(a->cfg->sync.sets_dir, &mt) != 0)
    return;
  if(mt.tv_sec == a->sets_mtime.tv_sec && mt.tv_nsec == a->sets_mtime.tv_nsec)
    return;
  a->sets_mtime = mt;
  if(load_sets(a->cfg, &all, &n, err) != PR_OK) {
    pr_log(PR_LOG_ERROR, "sets_reload_failed", "reason=\"%s\"", err);
    return;
  }
  k = pick_offered(a->cfg, all, n, off);
  memcpy(a->offered, off, sizeof(off));
  a->n_offered = k;
  patient_set_sets(a->p, a->offered, a->n_offered);
  qset_free_all(a->all, a->n_all);
  a->all = all;
  a->n_all = n;
  for(int i = 0; i < k; i++)
    pr_log(PR_LOG_INFO, "sets_loaded", "set=%s version=%d", off[i]->id,
           off[i]->version);
  a->lay_valid = 0;
  a->dirty = 1;
}

/* ---- drawing ------------------------------------------------------------- */

static void refresh_status(struct kapp *a);

/* Sync runs when the config names an aggregator or the kiosk was enrolled
 * by code (enrolcli.h). */
static int sync_wanted(const struct kconf *c)
{
  struct enrolcli_info i;

  return c->sync.url[0] || enrolcli_info_read(&c->sync, &i) == PR_OK;
}

/* ---- enrolment by code ("Anslut till server") ------------------------ */

/* One exchange, run on its own thread (it waits on the network) and
 * handed back with an SDL event. */
struct enrol_job {
  struct sync_config cfg;
  char url[SYNC_PATH_LEN];
  char code[40];
  enum pr_rc rc;
  char err[PR_ERR_LEN];
  struct enrolcli_info info;
  Uint32 ev;
};

static void *enrol_thread(void *arg)
{
  struct enrol_job *j = arg;
  SDL_Event ev;

  j->rc = enrolcli_run(&j->cfg, j->url, j->code, &j->info, j->err);
  memset(&ev, 0, sizeof(ev));
  ev.type = j->ev;
  SDL_PushEvent(&ev);
  return NULL;
}

/* "Väntrum plan 2 (SE...)" from the enrolment record, for the menu. */
static void enrolled_as(struct kapp *a)
{
  struct enrolcli_info i;

  a->p->enrolled_as[0] = '\0';
  if(enrolcli_info_read(&a->cfg->sync, &i) == PR_OK)
    snprintf(a->p->enrolled_as, sizeof(a->p->enrolled_as), "%s (%s)",
             i.name, i.unit);
}

static void enrol_start(struct kapp *a)
{
  struct enrol_job *j = pr_calloc(1, sizeof(*j));
  struct patient *p = a->p;

  p->want_enrol = 0;
  if(!j || a->enrol) {
    patient_enrol_done(p, 0, "Kunde inte starta anslutningen.",
                       kapp_now_ms(a));
    pr_free(j);
    return;
  }
  j->cfg = a->cfg->sync;
  j->ev = a->ev_enrol;
  snprintf(j->url, sizeof(j->url), "https://%s", p->enrol_addr);
  pr_strlcpy(j->code, p->enrol_code, sizeof(j->code));
  sodium_memzero(p->enrol_code, sizeof(p->enrol_code));
  if(pthread_create(&a->enrol_th, NULL, enrol_thread, j) != 0) {
    sodium_memzero(j, sizeof(*j));
    pr_free(j);
    patient_enrol_done(p, 0, "Kunde inte starta anslutningen.",
                       kapp_now_ms(a));
    return;
  }
  a->enrol = j;
  pr_log(PR_LOG_INFO, "enrol_start", "by=staff_menu");
}

/* The exchange ended: tell the model, and sync under the new token. */
static void enrol_finish(struct kapp *a)
{
  struct enrol_job *j = a->enrol;
  char msg[PR_ERR_LEN + 64], e2[PR_ERR_LEN];

  if(!j)
    return;
  pthread_join(a->enrol_th, NULL);
  a->enrol = NULL;
  if(j->rc == PR_OK) {
    snprintf(msg, sizeof(msg), "Ansluten som %s (%s).", j->info.name,
             j->info.unit);
    enrolled_as(a);
    if(a->cfg->sync.sets_dir[0] && mkdir(a->cfg->sync.sets_dir, 0755) != 0 &&
       errno != EEXIST)
      pr_log(PR_LOG_ERROR, "sets_dir_missing", "dir=%s reason=\"%s\"",
             a->cfg->sync.sets_dir, strerror(errno));
    if(a->sync) {
      sync_worker_kick(a->sync);
    } else {
      a->sync_cfg = a->cfg->sync;
      pr_strlcpy(a->sync_cfg.shipped_sets_dir, a->cfg->sets_dir,
                 sizeof(a->sync_cfg.shipped_sets_dir));
      (void)enrolcli_apply(&a->sync_cfg);
      if(sync_worker_start(a->o->store, &a->sync_cfg, sync_notify, a,
                           &a->sync, e2) != PR_OK)
        pr_log(PR_LOG_ERROR, "sync_off", "reason=\"%s\"", e2);
    }
    refresh_status(a);
  } else {
    snprintf(msg, sizeof(msg), "Inte ansluten: %s", j->err);
    pr_log(PR_LOG_WARN, "enrol_failed", "rc=%s", pr_strerror(j->rc));
  }
  patient_enrol_done(a->p, j->rc == PR_OK, msg, kapp_now_ms(a));
  sodium_memzero(j, sizeof(*j));
  pr_free(j);
  a->dirty = 1;
  a->lay_valid = 0;
}

static void refresh_status(struct kapp *a)
{
  if(a->sync) {
    struct sync_status st;
    sync_worker_status(a->sync, &st);
    sync_status_text(&st, a->sync_text, sizeof(a->sync_text));
  }
  if(a->tts) {
    struct tts_status ts;
    tts_status(a->tts, &ts);
    pr_strlcpy(a->audio_text, ts.text, sizeof(a->audio_text));
    a->env.audio = ts.device && ts.engine;
  } else {
    pr_strlcpy(a->audio_text, a->cfg->audio ? "Ljud: talsyntes saknas"
                                            : "Ljud: av (audio = no)",
               sizeof(a->audio_text));
    a->env.audio = 0;
  }
}

/* Lay out the screen the model shows (for hits and for drawing). */
static void kapp_relayout(struct kapp *a)
{
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(a->r, &w, &h);
  a->env.w = w;
  a->env.h = h;
  a->env.now = kapp_now_ms(a);
  a->env.sync_text = a->sync ? a->sync_text : NULL;
  a->env.audio_text = a->audio_text;
  layout_build(a->p, &a->env, a->lay);
  a->lay_valid = 1;
}

/* Lay out, draw and present. */
static void kapp_draw(struct kapp *a)
{
  kapp_relayout(a);
  kdraw_render(a->kd, a->r, a->lay, theme_get(a->p->hc));
  SDL_RenderPresent(a->r);
  a->dirty = 0;
  if(a->frames++ == 0) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    pr_log(PR_LOG_INFO, "first_frame", "mono_ns=%lld w=%d h=%d",
           (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, a->env.w,
           a->env.h);
  }
  if(a->inj.bench_tap_pc) {
    Uint64 d = SDL_GetPerformanceCounter() - a->inj.bench_tap_pc;
    pr_log(PR_LOG_INFO, "tap_to_frame", "us=%llu",
           (unsigned long long)(d * 1000000ULL / SDL_GetPerformanceFrequency()));
    a->inj.bench_tap_pc = 0;
  }
  if(a->lay->overflow)
    pr_log(PR_LOG_WARN, "text_too_long", "screen=%s question=%d text=\"%.40s\"",
           patient_screen_name(a->p->screen), a->p->q, a->lay->overflow_text);
}

/* What the inject driver may ask of the loop (struct kinject_host). */
static const struct lay *host_layout(void *ctx)
{
  struct kapp *a = ctx;
  kapp_relayout(a);
  return a->lay;
}

static void host_draw(void *ctx)
{
  kapp_draw(ctx);
}

/* ---- read-aloud -------------------------------------------------------------- */

static void speak_screen(struct kapp *a)
{
  struct patient *p = a->p;
  const struct qset *s = patient_set(p);
  char text[TTS_MAX_TEXT], err[PR_ERR_LEN];
  enum pr_rc rc = PR_OK;
  const char *lang = p->lang;
  if(!a->tts)
    return;
  switch(p->screen) {
  case PT_QUESTION:
  case PT_TEXT:
    rc = a11y_speak_question(a->tts, s, p->q, lang, p->easy, a->cfg->assets,
                             err);
    break;
  case PT_WELCOME:
    if(!s)
      return;
    snprintf(text, sizeof(text), "%s. %s %s.", qset_text(&s->title, lang),
             qset_text(&s->intro, lang), uitext_get(a->ui, lang, UT_START));
    rc = a11y_speak_text(a->tts, lang, text, err);
    break;
  case PT_STILL_THERE:
    snprintf(text, sizeof(text), "%s %s.", uitext_get(a->ui, lang,
             UT_STILL_THERE), uitext_get(a->ui, lang, UT_STILL_THERE_YES));
    rc = a11y_speak_text(a->tts, lang, text, err);
    break;
  case PT_THANKS:
    snprintf(text, sizeof(text), "%s %s", uitext_get(a->ui, lang, UT_THANKS),
             uitext_get(a->ui, lang, UT_THANKS_NOTE));
    rc = a11y_speak_text(a->tts, lang, text, err);
    break;
  default:
    tts_stop(a->tts);
    return;
  }
  if(rc)
    pr_log(PR_LOG_WARN, "read_aloud_failed", "reason=\"%s\"", err);
}

/* Act on what the model asked for after an input or a timeout. */
static void after_model(struct kapp *a)
{
  struct patient *p = a->p;
  if(p->say_gen != a->said_gen) {
    a->said_gen = p->say_gen;
    if(p->say == PT_SAY_SCREEN)
      speak_screen(a);
    else if(a->tts)
      tts_stop(a->tts);
  }
  /* A finished response waits for the next periodic round: syncing the
   * moment a patient finishes would tell the aggregator when they were
   * here.  Only staff's "Synka nu" starts a round at once. */
  if(p->want_sync && a->sync)
    sync_worker_kick(a->sync);
  p->want_kick = p->want_sync = 0;
  if(p->want_enrol)
    enrol_start(a);
  if(p->want_exit) {
    a->running = 0;
    p->want_exit = 0;
  }
  if(p->want_phone) {
    char err[PR_ERR_LEN];
    p->want_phone = 0;
    if(a->tts)
      tts_stop(a->tts);
    pr_log(PR_LOG_INFO, "phone_mode", "from=staff_menu");
    if(phone_app_start(a->o->store, a->cfg->sets_dir, a->cfg->unit,
                       &a->cfg->phone, a->r, a->o->phone_inject,
                       a->o->shots_dir, 0, err) != PR_OK)
      pr_log(PR_LOG_ERROR, "phone_mode_failed", "reason=\"%s\"", err);
    p->last_input = kapp_now_ms(a);   /* the staff menu again, fresh timeout */
  }
  if(!patient_busy(p))
    maybe_reload_sets(a);
  if(p->screen == PT_STAFF)
    refresh_status(a);
  a->dirty = 1;
}

/* ---- input ----------------------------------------------------------------- */

static int in_rect(struct lay_rect r, int x, int y)
{
  return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static void pointer_down(struct kapp *a, int x, int y)
{
  const struct lay_item *it;
  if(!a->lay_valid)
    kapp_relayout(a);
  it = layout_hit(a->lay, x, y);
  a->down = 1;
  a->down_t = it ? it->target : PT_T_NONE;
  a->down_i = it ? it->index : 0;
  a->corner = in_rect(layout_staff_corner(a->env.w, a->env.h), x, y);
  a->corner_fired = 0;
  a->down_at = kapp_now_ms(a);
}

static void pointer_up(struct kapp *a, int x, int y)
{
  const struct lay_item *it;
  int was_down = a->down;
  a->down = 0;
  a->corner = 0;
  if(a->corner_fired) {
    a->corner_fired = 0;      /* the release that ends the long press */
    return;
  }
  if(!was_down || !a->lay_valid)
    return;
  it = layout_hit(a->lay, x, y);
  /* a tap counts on release inside the button it went down on */
  if(!it || it->target != a->down_t || it->index != a->down_i)
    return;
  patient_tap(a->p, it->target, it->index, kapp_now_ms(a));
  after_model(a);
}

static void handle(struct kapp *a, const SDL_Event *ev)
{
  switch(ev->type) {
  case SDL_FINGERDOWN:
  case SDL_FINGERUP: {
    int x = (int)(ev->tfinger.x * a->env.w), y = (int)(ev->tfinger.y * a->env.h);
    if(ev->type == SDL_FINGERDOWN)
      pointer_down(a, x, y);
    else
      pointer_up(a, x, y);
    break;
  }
  case SDL_MOUSEBUTTONDOWN:
  case SDL_MOUSEBUTTONUP:
    /* touch also arrives as mouse events: take the finger ones only */
    if(ev->button.which == SDL_TOUCH_MOUSEID ||
       ev->button.button != SDL_BUTTON_LEFT)
      break;
    if(ev->type == SDL_MOUSEBUTTONDOWN)
      pointer_down(a, ev->button.x, ev->button.y);
    else
      pointer_up(a, ev->button.x, ev->button.y);
    break;
  case SDL_KEYDOWN: {
    SDL_Keycode k = ev->key.keysym.sym;
    int ch = 0;
    /* Patients cannot leave: Escape, Alt+F4, Ctrl+Q and the like do
     * nothing.  Only the PIN screen takes keys (a staff keyboard). */
    if(k >= SDLK_0 && k <= SDLK_9)
      ch = '0' + (int)(k - SDLK_0);
    else if(k >= SDLK_KP_1 && k <= SDLK_KP_9)
      ch = '1' + (int)(k - SDLK_KP_1);
    else if(k == SDLK_KP_0)
      ch = '0';
    else if(k == SDLK_BACKSPACE)
      ch = '\b';
    else if(k == SDLK_RETURN || k == SDLK_KP_ENTER)
      ch = '\n';
    if(ch && a->p->screen == PT_PIN) {
      patient_key(a->p, ch, kapp_now_ms(a));
      after_model(a);
    } else if(k == SDLK_ESCAPE || (k == SDLK_F4 && (ev->key.keysym.mod & KMOD_ALT))) {
      pr_log(PR_LOG_INFO, "key_ignored", "key=%s",
             k == SDLK_ESCAPE ? "escape" : "alt+f4");
    }
    break;
  }
  case SDL_QUIT:
    pr_log(PR_LOG_INFO, "quit_ignored", "reason=patient_mode");
    break;
  case SDL_WINDOWEVENT:
    if(ev->window.event == SDL_WINDOWEVENT_CLOSE)
      pr_log(PR_LOG_INFO, "quit_ignored", "reason=window_close");
    a->lay_valid = 0;
    a->dirty = 1;
    break;
  default:
    if(ev->type == a->ev_sync) {
      if(!patient_busy(a->p))
        maybe_reload_sets(a);
      if(a->p->screen == PT_STAFF) {
        refresh_status(a);
        a->dirty = 1;
      }
    } else if(ev->type == a->ev_enrol) {
      enrol_finish(a);
    } else if(ev->type == a->ev_term) {
      pr_log(PR_LOG_INFO, "terminate", "signal=%d", ev->user.code);
      a->running = 0;
    }
    break;
  }
}

/* Erase the personal data of call-list entries whose retention has passed
 * (calllist_housekeep), so names and numbers go even when nobody opens
 * phone mode.  Runs at start and every HOUSEKEEP_MS. */
static void housekeep(struct kapp *a)
{
  char err[PR_ERR_LEN];
  int closed = 0, erased = 0;
  a->housekeep_at = kapp_now_ms(a) + HOUSEKEEP_MS;
  if(calllist_housekeep(a->o->store, &a->cfg->phone, pr_now(), &closed,
                        &erased, err) != PR_OK)
    pr_log(PR_LOG_ERROR, "housekeep_failed", "reason=\"%s\"", err);
  else if(closed || erased)
    pr_log(PR_LOG_INFO, "housekeep", "closed=%d erased=%d", closed, erased);
}

/* ---- setup and loop ---------------------------------------------------------- */

static enum pr_rc open_window(struct kapp *a, char *err)
{
  const struct kconf *c = a->cfg;
  Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
  SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
  SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
  /* The software renderer straight to the window (XShm / wl_shm): a GPU
   * driver (Mesa's llvmpipe on a machine without one) costs 60-70 MiB for
   * screens that change a few times a minute. */
  if(!c->gpu)
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if(c->fullscreen)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  a->win = SDL_CreateWindow("Patientröst", SDL_WINDOWPOS_CENTERED,
                            SDL_WINDOWPOS_CENTERED, c->width, c->height, flags);
  if(!a->win) {
    pr_seterr(err, "window: %s", SDL_GetError());
    return PR_EIO;
  }
  a->r = SDL_CreateRenderer(a->win, -1, c->gpu ? 0 : SDL_RENDERER_SOFTWARE);
  if(!a->r && !c->gpu) {
    /* Some video drivers (SDL 2.26's Wayland) have no framebuffer of
     * their own: the software renderer then needs an accelerated one to
     * show its pixels. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "1");
    a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
  }
  if(!a->r)
    a->r = SDL_CreateRenderer(a->win, -1, 0);
  if(!a->r) {
    pr_seterr(err, "renderer: %s", SDL_GetError());
    return PR_EIO;
  }
  {
    SDL_RendererInfo ri;
    if(SDL_GetRendererInfo(a->r, &ri) == 0)
      pr_log(PR_LOG_INFO, "renderer", "name=%s framebuffer_acceleration=%s",
             ri.name, SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION)
                          ? SDL_GetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION)
                          : "default");
  }
  if(c->fullscreen) {
    SDL_ShowCursor(SDL_DISABLE);
    SDL_SetWindowKeyboardGrab(a->win, SDL_TRUE);
  }
  return PR_OK;
}

/* How long the loop may sleep: until the model's next deadline, the staff
 * long press, or the next second of a visible countdown. */
static int wait_ms(struct kapp *a)
{
  uint64_t now = kapp_now_ms(a), d = patient_deadline(a->p);
  if(a->down && a->corner && !a->corner_fired) {
    uint64_t lp = a->down_at + (uint64_t)a->cfg->staff_press_ms;
    if(lp < d)
      d = lp;
  }
  if(a->p->screen == PT_STILL_THERE ||
     (a->p->screen == PT_PIN && patient_pin_wait(a->p, now) > 0)) {
    uint64_t sec = now + 1000 - now % 1000;
    if(sec < d)
      d = sec;
  }
  if(a->housekeep_at < d)
    d = a->housekeep_at;
  if(a->inj.f) {
    /* a script's "wait" sleeps like the kiosk does, until the earlier of
     * its end and the next deadline (so idle can be measured with it) */
    uint64_t t = SDL_GetTicks64();
    if(!a->inj.wait_until)
      return 0;
    if(a->inj.wait_until <= t)
      return 0;
    if(d > now && d - now < a->inj.wait_until - t)
      return (int)(d - now);
    return d <= now ? 0 : (int)(a->inj.wait_until - t);
  }
  if(d == UINT64_MAX)
    return 3600 * 1000;   /* nothing to wait for: sleep until input */
  if(d <= now)
    return 0;
  return d - now > 3600 * 1000 ? 3600 * 1000 : (int)(d - now);
}

static void timers(struct kapp *a)
{
  uint64_t now = kapp_now_ms(a);
  if(a->down && a->corner && !a->corner_fired &&
     now >= a->down_at + (uint64_t)a->cfg->staff_press_ms) {
    a->corner_fired = 1;
    patient_staff_gesture(a->p, now);
    after_model(a);
  }
  if(patient_tick(a->p, now))
    after_model(a);
  if(now >= a->housekeep_at && !patient_busy(a->p))
    housekeep(a);
  if(a->p->screen == PT_STILL_THERE ||
     (a->p->screen == PT_PIN && patient_pin_wait(a->p, now) > 0))
    a->dirty = 1;   /* countdowns (the loop wakes once a second for them) */
}

enum pr_rc kiosk_app_run(const struct kiosk_app_opts *o, char *err)
{
  struct kapp a;
  enum pr_rc rc = PR_EIO;
  int ttf = 0, n;
  char path[1024];
  pthread_t sig;

  memset(&a, 0, sizeof(a));
  a.o = o;
  a.cfg = o->cfg;
  a.running = 1;
  a.dirty = 1;
  a.lay = pr_calloc(1, sizeof(*a.lay));
  if(!a.lay) {
    pr_seterr(err, "out of memory");
    return PR_ENOMEM;
  }
  if(o->inject && kinject_open(&a.inj, o->inject, err) != PR_OK) {
    rc = PR_EINVAL;
    goto out;
  }
  a.inj.clock = a.inj.mark = SDL_GetTicks64();
  snprintf(path, sizeof(path), "%s/kiosk/ui-text.json", a.cfg->assets);
  rc = uitext_load(path, &a.ui, err);
  if(rc)
    goto out;
  rc = load_sets(a.cfg, &a.all, &a.n_all, err);
  if(rc)
    goto out;
  a.n_offered = pick_offered(a.cfg, a.all, a.n_all, a.offered);
  if(a.n_offered == 0)
    pr_log(PR_LOG_ERROR, "no_sets_offered", "sets_dir=%s", a.cfg->sets_dir);
  /* where the sync thread saves new set versions: made here so the first
   * round can save into it */
  if(sync_wanted(a.cfg) && a.cfg->sync.sets_dir[0] &&
     mkdir(a.cfg->sync.sets_dir, 0755) != 0 && errno != EEXIST)
    pr_log(PR_LOG_ERROR, "sets_dir_missing", "dir=%s reason=\"%s\"",
           a.cfg->sync.sets_dir, strerror(errno));
  dir_mtime(a.cfg->sync.sets_dir, &a.sets_mtime);
  rc = PR_EIO;
  if(TTF_Init()) {
    pr_seterr(err, "TTF_Init: %s", TTF_GetError());
    goto out;
  }
  ttf = 1;
  if(open_window(&a, err))
    goto out;
  if(kdraw_open(a.cfg->assets, &a.kd, err))
    goto out;
  a.ev_sync = SDL_RegisterEvents(2);
  if(a.ev_sync == (Uint32)-1) {
    pr_seterr(err, "SDL_RegisterEvents: %s", SDL_GetError());
    goto out;
  }
  a.ev_term = a.ev_sync + 1;
  a.ev_enrol = SDL_RegisterEvents(1);
  if(a.ev_enrol == (Uint32)-1) {
    pr_seterr(err, "SDL_RegisterEvents: %s", SDL_GetError());
    goto out;
  }
  g_ev_term = a.ev_term;
  if(pthread_create(&sig, NULL, signal_thread, NULL) == 0)
    pthread_detach(sig);
  {
    /* in-progress responses a crash or power cut left behind */
    char e2[PR_ERR_LEN];
    int left = 0;
    if(store_abandon_open(o->store, &left, e2) != PR_OK)
      pr_log(PR_LOG_ERROR, "abandon_open_failed", "reason=\"%s\"", e2);
    else if(left)
      pr_log(PR_LOG_INFO, "abandoned_after_restart", "responses=%d", left);
  }
  housekeep(&a);
  rc = patient_open(o->store, a.cfg, a.offered, a.n_offered, kapp_now_ms(&a), &a.p,
                    err);
  if(rc)
    goto out;
  a.env.px_per_mm = a11y_px_per_mm(a.cfg->screen_inch, a.cfg->screen_w,
                                   a.cfg->screen_h);
  a.env.measure = kdraw_measure;
  a.env.measure_ctx = a.kd;
  a.env.ui = a.ui;
  a.inj.host.ctx = &a;
  a.inj.host.layout = host_layout;
  a.inj.host.draw = host_draw;
  a.inj.p = a.p;
  a.inj.r = a.r;
  a.inj.win = a.win;
  a.inj.shots_dir = o->shots_dir;
  if(a.cfg->audio) {
    char e2[PR_ERR_LEN];
    if(tts_open(a.p->def_lang, &a.tts, e2) != PR_OK)
      pr_log(PR_LOG_WARN, "read_aloud_off", "reason=\"%s\"", e2);
  }
  /* A kiosk enrolled by code syncs to where it enrolled (enrolcli.h). */
  a.sync_cfg = a.cfg->sync;
  pr_strlcpy(a.sync_cfg.shipped_sets_dir, a.cfg->sets_dir,
             sizeof(a.sync_cfg.shipped_sets_dir));
  (void)enrolcli_apply(&a.sync_cfg);
  enrolled_as(&a);
  if(a.sync_cfg.url[0]) {
    char e2[PR_ERR_LEN];
    if(sync_worker_start(o->store, &a.sync_cfg, sync_notify, &a, &a.sync,
                         e2) != PR_OK)
      pr_log(PR_LOG_ERROR, "sync_off", "reason=\"%s\"", e2);
  }
  refresh_status(&a);
  pr_log(PR_LOG_INFO, "kiosk_start", "unit=%s sets=%d audio=%d sync=%d "
         "video=%s", a.cfg->unit, a.n_offered, a.env.audio, a.sync != NULL,
         SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?");
  rc = PR_OK;
  while(a.running) {
    SDL_Event ev;
    if(a.inj.f)
      inj_clock_run(&a);
    if(a.dirty)
      kapp_draw(&a);
    if(a.inj.f && !a.inj.wait_until && !a.inj.staff &&
         (SDL_PumpEvents(), SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT,
                                           SDL_FIRSTEVENT, SDL_LASTEVENT)) <= 0) {
      int s;
      timers(&a);          /* what "advance" made due happens first */
      if(a.dirty)
        kapp_draw(&a);
      s = kinject_step(&a.inj, err);
      if(s < 0) {
        rc = PR_EINVAL;
        break;
      }
      if(s == 0) {
        pr_log(PR_LOG_INFO, "inject_end", "lines=%ld", a.inj.line);
        break;
      }
      continue;
    }
    if(a.inj.wait_until && (SDL_GetTicks64() >= a.inj.wait_until ||
                            (a.inj.wait_enrol && !a.enrol))) {
      a.inj.wait_until = 0;
      a.inj.wait_enrol = 0;
    }
    n = SDL_WaitEventTimeout(&ev, wait_ms(&a));
    if(a.inj.f)
      inj_clock_run(&a);
    if(n) {
      handle(&a, &ev);
      while(a.running && SDL_PollEvent(&ev))
        handle(&a, &ev);
    }
    if(a.inj.staff && a.down && a.corner) {
      /* the script's long press: hold past the delay, then lift */
      struct lay_rect c = layout_staff_corner(a.env.w, a.env.h);
      a.inj.clock_off += (uint64_t)a.cfg->staff_press_ms + 50;
      timers(&a);
      kinject_finger(&a.inj, SDL_FINGERUP, c.x + c.w / 2, c.y + c.h / 2);
      a.inj.staff = 0;
    }
    timers(&a);
    if(a.corner_fired && !a.down)
      a.corner_fired = 0;
  }
  {
    char e2[PR_ERR_LEN];
    if(a.p && patient_shutdown(a.p, e2) != PR_OK)
      pr_log(PR_LOG_ERROR, "shutdown_save_failed", "reason=\"%s\"", e2);
  }
  pr_log(PR_LOG_INFO, "kiosk_stop", "complete=%d abandoned=%d",
         a.p ? a.p->n_complete : 0, a.p ? a.p->n_abandoned : 0);
out:
  if(a.enrol) {
    pthread_join(a.enrol_th, NULL);   /* bounded by the request timeouts */
    sodium_memzero(a.enrol, sizeof(*a.enrol));
    pr_free(a.enrol);
  }
  sync_worker_stop(a.sync);
  tts_close(a.tts);
  patient_close(a.p);
  kdraw_close(a.kd);
  if(a.r)
    SDL_DestroyRenderer(a.r);
  if(a.win)
    SDL_DestroyWindow(a.win);
  if(ttf)
    TTF_Quit();
  qset_free_all(a.all, a.n_all);
  uitext_free(a.ui);
  pr_free(a.lay);
  kinject_close(&a.inj);
  return rc;
}
