/* bench_kiosk.c — This file contains the kiosk benchmark of issue 3.  It
 * drives the real rost-kiosk program and measures, on this machine:
 *
 *   first frame   fork+exec N times under Xvfb (SDL's x11 driver) and under
 *                 SDL's offscreen driver, runs interleaved; CLOCK_MONOTONIC
 *                 taken in the child just before execv against the kiosk's
 *                 own "first_frame mono_ns=" log line; also each run's CPU
 *   screenshot    exec to a screenshot written and the program gone, the
 *                 like-for-like figure for Chromium's --screenshot
 *   PSS           /proc/PID/smaps_rollup after a complete survey (inject
 *                 script, pace 500), back on the welcome screen
 *   idle CPU      utime+stime over 60 s (6 x 10 s) on the welcome screen,
 *                 nothing happening and no inject script, so the loop sleeps
 *                 as in service; exact per-thread run time and wake-ups from
 *                 /proc/PID/task; then with audio off, during an inject
 *                 "wait" and under the offscreen driver
 *   tap to frame  bench_tap over several surveys (sv, ar, en; back)
 *
 * When chromium is installed (bench_kiosk_chromium.h) the same run measures
 * the browser kiosk a vårdcentral would otherwise use, showing a local page
 * equivalent to one question screen, and prints both side by side with
 * ratios chromium / kiosk.
 *
 *   bench_kiosk KIOSK ROSTCTL ASSETS_DIR OUT_DIR [CHROMIUM]
 *
 * Output: "BENCH " lines (figures) and "bench_kiosk: " lines (notes); the
 * programs' own logs go to OUT_DIR/bench_kiosk/NAME.log.  Exit 0 however
 * slow; 1 only when the kiosk could not be run at all; 2 on wrong
 * arguments.  BENCH_KIOSK_RUNS (first-frame runs, default 15) and
 * BENCH_KIOSK_IDLE_S (default 60) shorten it for development. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_kiosk_chromium.h"
#include "bench_env.h"
#include "bench_kiosk_proc.h"

#ifndef BK_BUILD
#define BK_BUILD "unknown"   /* set by tests/kiosk_bench.cmake */
#endif
#define BK_MAX_TAPS 256
#define BK_MAX_RUNS 200
#define BK_MAX_NOTES 32
#define BK_SCREEN_W 1280
#define BK_SCREEN_H 800
#define BK_SHOT_ROUNDS 5
#define BK_TAP_SURVEYS 7
#define BK_GOAL_FIRST_MS 100.0
#define BK_GOAL_PSS_MIB 30.0
#define BK_GOAL_IDLE_PCT 0.1
#define BK_BUDGET_S 200      /* ctest's TIMEOUT is 240 s */

/* ---- the one context ----------------------------------------------------- */

struct bk_figs {              /* NAN: not measured */
  double first_ms, first_off_ms, shot_ms, pss_mib, pss_anon_mib, idle_pct,
         idle_wake, tap_ms, tap_p90_ms;
  double cr_shot_ms, cr_pss_mib, cr_procs, cr_idle_pct, cr_idle_wake;
};

struct bench {
  const char *kiosk, *rostctl, *assets, *chromium;
  char dir[PATH_MAX];           /* OUT_DIR/bench_kiosk */
  char conf[PATH_MAX];          /* the kiosk's config */
  char conf_quiet[PATH_MAX];    /* the same with audio = no */
  char display[64];             /* ":N"; "" = no X server */
  pid_t xvfb;                   /* 0 unless we started it */
  int runs, idle_s;
  int kiosk_ran;                /* some run showed a frame */
  long clk_tck;
  int64_t t_start;
  struct bkc cr;                /* chromium, when b->chromium */
  int cr_ok;
  char noted[BK_MAX_NOTES][64]; /* kiosk warn/error events already shown */
  int n_noted;
  struct bk_figs f;
};

/* One kiosk run: the program and what its log said. */
struct krun {
  struct bkp_child ch;
  struct bench *b;
  int64_t first_frame_ns;       /* -1 until logged */
  double taps_ms[BK_MAX_TAPS];
  int n_taps;
  int complete;                 /* kiosk_stop complete=N; -1 until logged */
  int terminated;               /* "terminate" logged */
};

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
  va_list ap;
  printf("bench_kiosk: ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

/* A run that ended by itself with a nonzero code (LeakSanitizer's exit 1
 * in a sanitizer build, say) still counts; say so once per phase. */
static void note_exit(struct bench *b, const char *phase, int rc, const char *last)
{
  char key[64];
  if(rc == 0)
    return;
  snprintf(key, sizeof(key), "exit:%s", phase);
  for(int i = 0; i < b->n_noted; i++)
    if(strcmp(b->noted[i], key) == 0)
      return;
  if(b->n_noted < BK_MAX_NOTES)
    snprintf(b->noted[b->n_noted++], sizeof(b->noted[0]), "%s", key);
  if(rc < 0)
    note("%s: the kiosk was killed or died of a signal (last line: %s)", phase, last);
  else
    note("%s: the kiosk exited with %d (runs still counted; last line: %s)", phase,
         rc, last);
}

/* A goal's number as text for "goal=KEY<=N" (bench_report.py). */
static const char *goal_txt(double goal)
{
  static char b[4][32];
  static int i;
  i = (i + 1) % 4;
  snprintf(b[i], sizeof(b[i]), "%g", goal);
  return b[i];
}

static double elapsed_s(const struct bench *b)
{
  return (double)(bkp_mono_ns() - b->t_start) / 1e9;
}

/* ---- the kiosk's log ------------------------------------------------------ */

static long long field_ll(const char *line, const char *key, long long dflt)
{
  char k[64];
  const char *at;
  snprintf(k, sizeof(k), " %s=", key);
  at = strstr(line, k);
  return at ? strtoll(at + strlen(k), NULL, 10) : dflt;
}

/* "2026-12-01T14:08:41Z info first_frame mono_ns=... w=1280 h=800"; a warn
 * or error event is shown once per benchmark. */
static void klog_line(struct bkp_child *ch, const char *line, void *ctx)
{
  struct krun *k = ctx;
  struct bench *b = k->b;
  char level[16], event[64];
  (void)ch;
  if(sscanf(line, "%*s %15s %63s", level, event) != 2)
    return;
  if(strcmp(event, "first_frame") == 0 && k->first_frame_ns < 0)
    k->first_frame_ns = field_ll(line, "mono_ns", -1);
  else if(strcmp(event, "tap_to_frame") == 0 && k->n_taps < BK_MAX_TAPS)
    k->taps_ms[k->n_taps++] = (double)field_ll(line, "us", 0) / 1000.0;
  else if(strcmp(event, "kiosk_stop") == 0)
    k->complete = (int)field_ll(line, "complete", -1);
  else if(strcmp(event, "terminate") == 0)
    k->terminated = 1;
  if(strcmp(level, "warn") == 0 || strcmp(level, "error") == 0) {
    for(int i = 0; i < b->n_noted; i++)
      if(strcmp(b->noted[i], event) == 0)
        return;
    if(b->n_noted < BK_MAX_NOTES)
      snprintf(b->noted[b->n_noted++], sizeof(b->noted[0]), "%s", event);
    note("the kiosk logged: %s", line);
  }
}

static int until_first_frame(void *arg)
{
  const struct krun *k = arg;
  return k->first_frame_ns >= 0;
}

static int until_tap(void *arg)
{
  const struct krun *k = arg;
  return k->n_taps >= 1;
}

/* ---- setup: scripts, config, store, X server ------------------------------- */

static const char k_first_inj[] = "# first frame only: the script ends at once\n";
static const char k_shot_inj[] = "shot first.png\n";
static const char k_wait_inj[] =
  "# idle as a test sees it: the loop runs a long \"wait\"\n"
  "wait 30000\n";
/* One complete survey at a patient's pace.  Only the last tap is timed,
 * so its log line tells the benchmark the survey is over; then it rests on
 * welcome while the benchmark reads its memory. */
static const char k_survey_inj[] =
  "pace 500\n"
  "expect welcome\n"
  "tap start\n"
  "expect question nojdhet\n"
  "tap option 0\n"
  "tap option 1\n"
  "tap option 2\n"
  "tap option 3\n"
  "expect text kommentar\n"
  "type Bra bemötande\n"
  "tap done\n"
  "expect thanks\n"
  "bench_tap thanks_ok\n"
  "expect welcome\n"
  "wait 2500\n";

/* Surveys in sv (free text), ar (right to left, text skipped) and en, with
 * a change of mind (back) in every other one; every tap timed. */
static int write_tap_script(const char *path, int surveys, int *n_taps)
{
  FILE *f = fopen(path, "we");
  int taps = 0;
  if(!f)
    return -1;
  fprintf(f, "pace 500\n");
  for(int s = 0; s < surveys; s++) {
    int lang = s % 3;   /* 0 sv, 1 ar (welcome's lang 2), 2 en (lang 1) */
    fprintf(f, "expect welcome\n");
    if(lang) {
      fprintf(f, "bench_tap lang %d\n", lang == 1 ? 2 : 1);
      taps++;
    }
    fprintf(f, "bench_tap start\nexpect question nojdhet\n");
    taps++;
    for(int q = 0; q < 4; q++) {
      fprintf(f, "bench_tap option %d\n", (q + s) % 4);
      taps++;
      if(q == 1 && s % 2 == 1) {
        fprintf(f, "bench_tap back\nbench_tap option %d\n", (q + s + 1) % 4);
        taps += 2;
      }
    }
    fprintf(f, "expect text kommentar\n");
    if(lang == 1)
      fprintf(f, "bench_tap skip\n");
    else
      fprintf(f, "type %s\nbench_tap done\n", lang ? "Good" : "Bra");
    taps++;
    fprintf(f, "expect thanks\nbench_tap thanks_ok\n");
    taps++;
  }
  fprintf(f, "expect welcome\n");
  *n_taps = taps;
  return fclose(f) == 0 ? 0 : -1;
}

/* "echo 1234 | rostctl set-pin --store STORE", its output to log. */
static int set_pin(const struct bench *b, const char *store, const char *log)
{
  const char *argv[] = {b->rostctl, "set-pin", "--store", store, NULL};
  int p[2], st = -1;
  pid_t pid;
  if(pipe2(p, O_CLOEXEC) != 0)
    return -1;
  fflush(stdout);
  pid = fork();
  if(pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(p[0], 0);
    if(fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(p[0]);
  if(pid > 0 && write(p[1], "1234\n", 5) != 5)
    st = -1;
  close(p[1]);
  if(pid < 0 || waitpid(pid, &st, 0) != pid)
    return -1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int setup_files(struct bench *b)
{
  static const char *const names[] = {"first.inj", "shot.inj", "wait.inj", "survey.inj"};
  static const char *const texts[] = {k_first_inj, k_shot_inj, k_wait_inj, k_survey_inj};
  static const char *const sfx[] = {"", "-wal", "-shm"};
  char path[PATH_MAX], store[PATH_MAX], log[PATH_MAX], text[4 * PATH_MAX];
  size_t len;

  if(bkp_join(store, sizeof(store), b->dir, "kiosk.db") ||
     bkp_join(b->conf, sizeof(b->conf), b->dir, "kiosk.conf") ||
     bkp_join(b->conf_quiet, sizeof(b->conf_quiet), b->dir, "kiosk-audio-off.conf") ||
     bkp_join(log, sizeof(log), b->dir, "rostctl.log"))
    return -1;
  for(size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(bkp_join(path, sizeof(path), b->dir, names[i]) || bkp_write_file(path, texts[i]))
      return -1;
  if(snprintf(text, sizeof(text),
              "# rost-kiosk config written by bench_kiosk\n"
              "unit = SE2321000032-BENCH1\n"
              "store = %s\n"
              "sets_dir = %s/surveys\n"
              "assets = %s\n"
              "sets = kiosk-besok\n"
              "fullscreen = no\n"
              "width = %d\n"
              "height = %d\n"
              "screen_inch = 15.6\n"
              "screen_res = 1920x1080\n"
              "idle_timeout_s = 3600\n",
              store, b->assets, b->assets, BK_SCREEN_W, BK_SCREEN_H) >=
        (int)sizeof(text) - 16 ||
     bkp_write_file(b->conf, text))
    return -1;
  len = strlen(text);
  snprintf(text + len, sizeof(text) - len, "audio = no\n");
  if(bkp_write_file(b->conf_quiet, text))
    return -1;
  /* a fresh store with a staff PIN, as a kiosk in service has */
  for(size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
    snprintf(path, sizeof(path), "%s%s", store, sfx[i]);
    unlink(path);
  }
  if(set_pin(b, store, log) != 0)
    note("rostctl set-pin failed (see %s); the kiosk runs without a PIN", log);
  return 0;
}

/* DISPLAY when set; else our own Xvfb on a free display it picks itself
 * (-displayfd), which also says when it is ready.  Its output goes
 * straight to a log file: a pipe nobody reads would stall or kill it. */
static void setup_display(struct bench *b)
{
  const char *d = getenv("DISPLAY");
  char xvfb[PATH_MAX], fdtxt[16], log[PATH_MAX], num[16] = "";
  int p[2];
  pid_t pid, parent = getpid();
  struct pollfd pfd;
  size_t got = 0;

  if(d && *d) {
    snprintf(b->display, sizeof(b->display), "%s", d);
    note("using the X display %s from DISPLAY", d);
    return;
  }
  if(!bkp_find_prog("Xvfb", xvfb, sizeof(xvfb))) {
    note("no Xvfb and no DISPLAY: the x11 figures are skipped");
    return;
  }
  if(bkp_join(log, sizeof(log), b->dir, "xvfb.log") || pipe2(p, O_CLOEXEC) != 0)
    return;
  snprintf(fdtxt, sizeof(fdtxt), "%d", p[1]);
  fflush(stdout);
  pid = fork();
  if(pid == 0) {
    const char *argv[] = {xvfb, "-displayfd", fdtxt, "-screen", "0", "1280x800x24",
                          "-nolisten", "tcp", "-noreset", NULL};
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int nul = open("/dev/null", O_RDONLY);
    if(nul >= 0)
      dup2(nul, 0);
    if(fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    fcntl(p[1], F_SETFD, 0);
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if(getppid() != parent)
      _exit(127);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(p[1]);
  if(pid < 0) {
    close(p[0]);
    return;
  }
  /* Xvfb writes "N\n" once it accepts clients */
  pfd.fd = p[0];
  pfd.events = POLLIN;
  while(got < sizeof(num) - 1 && poll(&pfd, 1, 10000) > 0) {
    ssize_t n = read(p[0], num + got, sizeof(num) - 1 - got);
    if(n <= 0)
      break;
    got += (size_t)n;
    if(memchr(num, '\n', got))
      break;
  }
  close(p[0]);
  num[got] = '\0';
  num[strcspn(num, "\n")] = '\0';
  if(!*num) {
    note("Xvfb did not start (see %s): the x11 figures are skipped", log);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return;
  }
  snprintf(b->display, sizeof(b->display), ":%s", num);
  b->xvfb = pid;
  note("started Xvfb on %s (pid %d), %dx%dx24", b->display, (int)b->xvfb,
       BK_SCREEN_W, BK_SCREEN_H);
}

/* ---- starting the kiosk ------------------------------------------------------ */

static int driver_ok(const struct bench *b, const char *driver)
{
  return strcmp(driver, "x11") != 0 || b->display[0];
}

/* rost-kiosk --config conf --window under driver "x11" or "offscreen",
 * audio through SDL's dummy driver, with the inject script SCRIPT in b->dir
 * (NULL: none; it then runs until SIGTERM) and one more environment entry
 * extra (or NULL).  0 or -1; bkp_close(&k->ch) either way. */
static int kiosk_start(struct bench *b, struct krun *k, const char *conf,
                       const char *driver, const char *script, const char *extra,
                       const char *log_name)
{
  char inj[PATH_MAX], log[PATH_MAX], drv[64], disp[96];
  const char *argv[12];
  const char *env[8];
  int a = 0, e = 0;

  memset(k, 0, sizeof(*k));
  k->b = b;
  k->first_frame_ns = -1;
  k->complete = -1;
  snprintf(drv, sizeof(drv), "SDL_VIDEODRIVER=%s", driver);
  snprintf(disp, sizeof(disp), "DISPLAY=%s", b->display);
  argv[a++] = b->kiosk;
  argv[a++] = "--config";
  argv[a++] = conf ? conf : b->conf;
  argv[a++] = "--window";
  if(script) {
    if(bkp_join(inj, sizeof(inj), b->dir, script))
      return -1;
    argv[a++] = "--inject";
    argv[a++] = inj;
    argv[a++] = "--shots";
    argv[a++] = b->dir;
  }
  argv[a] = NULL;
  env[e++] = drv;
  env[e++] = "SDL_AUDIODRIVER=dummy";
  env[e++] = strcmp(driver, "x11") == 0 ? disp : "DISPLAY";
  if(extra)
    env[e++] = extra;
  env[e] = NULL;
  if(bkp_join(log, sizeof(log), b->dir, log_name))
    return -1;
  if(bkp_start(&k->ch, argv, env, -1, log, klog_line, k) != 0) {
    note("cannot start %s: %s", b->kiosk, strerror(errno));
    return -1;
  }
  return 0;
}

/* ---- 1. first frame ------------------------------------------------------- */

struct ff_set { double first[BK_MAX_RUNS], wall[BK_MAX_RUNS], cpu[BK_MAX_RUNS];
                int n, nw; double run1; };

static void first_frame_once(struct bench *b, const char *driver, int r,
                             struct ff_set *s)
{
  struct krun k;
  char log[64];
  int rc;
  snprintf(log, sizeof(log), "first_frame_%s.log", driver);
  if(kiosk_start(b, &k, NULL, driver, "first.inj", NULL, log) == 0) {
    bkp_pump(&k.ch, 15000, until_first_frame, &k);
    rc = bkp_wait(&k.ch, 10000);
    if(k.first_frame_ns >= 0 && *k.ch.exec_ns > 0) {
      double v = (double)(k.first_frame_ns - *k.ch.exec_ns) / 1e6;
      if(r == 0)
        s->run1 = v;
      s->first[s->n++] = v;
      if(rc >= 0) {
        s->cpu[s->nw] = bkp_cpu_ms(&k.ch.ru);
        s->wall[s->nw++] = (double)(k.ch.exit_ns - *k.ch.exec_ns) / 1e6;
      }
      note_exit(b, driver, rc, k.ch.last);
      b->kiosk_ran = 1;
    } else {
      note("%s run %d: no first_frame (exit %d): %s", driver, r + 1, rc, k.ch.last);
    }
  }
  bkp_close(&k.ch);
}

static double print_first_frame(const char *driver, struct ff_set *s, double l0,
                                double l1)
{
  struct bkp_stats f = bkp_stats(s->first, s->n);
  struct bkp_stats w = bkp_stats(s->wall, s->nw);
  struct bkp_stats c = bkp_stats(s->cpu, s->nw);
  printf("BENCH kiosk first_frame_ms driver=%s median=%.1f p90=%.1f min=%.1f "
         "max=%.1f first_run=%.1f n=%d goal=median<=%.0f load1=%.2f..%.2f\n",
         driver, f.median, f.p90, f.min, f.max, s->run1, f.n, BK_GOAL_FIRST_MS,
         l0, l1);
  /* the whole run's own CPU (wait4) hardly depends on the machine's load */
  printf("BENCH kiosk exec_to_exit driver=%s script=empty wall_ms_median=%.1f "
         "min=%.1f max=%.1f cpu_ms_median=%.1f min=%.1f max=%.1f n=%d\n", driver,
         w.median, w.min, w.max, c.median, c.min, c.max, w.n);
  return f.median;
}

/* x11 and offscreen runs interleaved, so both see the same load. */
static void bench_first_frame(struct bench *b)
{
  static struct ff_set x, o;
  double l0 = bkp_load1();
  int runs = b->runs < BK_MAX_RUNS ? b->runs : BK_MAX_RUNS;
  memset(&x, 0, sizeof(x));
  memset(&o, 0, sizeof(o));
  x.run1 = o.run1 = NAN;
  for(int r = 0; r < runs; r++) {
    if(driver_ok(b, "x11"))
      first_frame_once(b, "x11", r, &x);
    first_frame_once(b, "offscreen", r, &o);
  }
  if(driver_ok(b, "x11"))
    b->f.first_ms = print_first_frame("x11", &x, l0, bkp_load1());
  b->f.first_off_ms = print_first_frame("offscreen", &o, l0, bkp_load1());
}

/* ---- screenshots: the kiosk and chromium in turn ----------------------------- */

static void bench_screenshots(struct bench *b)
{
  double km[BK_SHOT_ROUNDS], cm[BK_SHOT_ROUNDS], cl[BK_SHOT_ROUNDS];
  int nk = 0, nc = 0, ncl = 0;
  char png[PATH_MAX], why[512];
  struct bkp_stats s;
  double l0 = bkp_load1();

  if(bkp_join(png, sizeof(png), b->dir, "first.png"))
    return;
  for(int r = 0; r < (int)bench_size(BK_SHOT_ROUNDS, 2); r++) {
    if(driver_ok(b, "x11")) {
      struct krun k;
      struct stat st;
      int rc = -1;
      unlink(png);
      if(kiosk_start(b, &k, NULL, "x11", "shot.inj", NULL, "shot.log") == 0)
        rc = bkp_wait(&k.ch, 20000);
      if(rc >= 0 && stat(png, &st) == 0 && st.st_size > 0) {
        km[nk++] = (double)(k.ch.exit_ns - *k.ch.exec_ns) / 1e6;
        note_exit(b, "screenshot", rc, k.ch.last);
      } else {
        note("kiosk screenshot run %d failed (exit %d): %s", r + 1, rc, k.ch.last);
      }
      bkp_close(&k.ch);
    }
    if(b->cr_ok) {
      double wall, line;
      if(bkc_screenshot(&b->cr, &wall, &line, why, sizeof(why)) == 0) {
        cm[nc++] = wall;
        if(!isnan(line))
          cl[ncl++] = line;
      } else {
        note("chromium screenshot run %d failed: %s", r + 1, why);
      }
    }
  }
  if(driver_ok(b, "x11")) {
    s = bkp_stats(km, nk);
    b->f.shot_ms = s.median;
    printf("BENCH kiosk exec_to_screenshot_ms driver=x11 median=%.1f min=%.1f "
           "max=%.1f n=%d load1=%.2f png=%s\n", s.median, s.min, s.max, nk, l0, png);
  }
  if(b->cr_ok) {
    struct bkp_stats sl = bkp_stats(cl, ncl);
    s = bkp_stats(cm, nc);
    b->f.cr_shot_ms = s.median;
    printf("BENCH chromium exec_to_screenshot_ms headless median=%.1f min=%.1f "
           "max=%.1f n=%d written_line_median=%.1f load1=%.2f png=%s/shot.png\n",
           s.median, s.min, s.max, nc, sl.median, l0, b->cr.dir);
  }
}

/* ---- 2. PSS after a complete survey ------------------------------------------ */

struct pss { long long pss, anon, file, shmem, rss, hwm, threads; };

static int read_pss(pid_t pid, struct pss *m)
{
  m->pss = bkp_proc_value(pid, "smaps_rollup", "Pss");
  m->anon = bkp_proc_value(pid, "smaps_rollup", "Pss_Anon");
  m->file = bkp_proc_value(pid, "smaps_rollup", "Pss_File");
  m->shmem = bkp_proc_value(pid, "smaps_rollup", "Pss_Shmem");
  m->rss = bkp_proc_value(pid, "status", "VmRSS");
  m->hwm = bkp_proc_value(pid, "status", "VmHWM");
  m->threads = bkp_proc_value(pid, "status", "Threads");
  return m->pss > 0 ? 0 : -1;
}

/* runs runs of the survey script; the median in MiB, NAN without one. */
static double bench_pss(struct bench *b, const char *driver, const char *extra,
                        const char *label, int runs, double *anon_median)
{
  double mib[8], anon[8], l0 = bkp_load1();
  int n = 0;
  struct pss m = {0}, last = {0};
  struct bkp_stats s, sa;
  char log[96], top[512] = "";
  int is_main = strcmp(label, "x11") == 0;

  if(!driver_ok(b, driver))
    return NAN;
  snprintf(log, sizeof(log), "pss_%s.log", label);
  for(int r = 0; r < runs && r < 8; r++) {
    struct krun k;
    int rc = -1, ok = 0;
    if(kiosk_start(b, &k, NULL, driver, "survey.inj", extra, log) == 0) {
      ok = bkp_pump(&k.ch, 20000, until_tap, &k) == 1;   /* the survey is done */
      if(ok) {
        bkp_pump(&k.ch, 1000, NULL, NULL);                /* settle on welcome */
        ok = read_pss(k.ch.pid, &m) == 0;
        if(ok && is_main && r == 0)
          bkp_pss_top(k.ch.pid, 8, top, sizeof(top));
      }
      rc = bkp_wait(&k.ch, 20000);
    }
    if(ok && k.complete == 1) {
      anon[n] = (double)m.anon / 1024.0;
      mib[n++] = (double)m.pss / 1024.0;
      last = m;
      b->kiosk_ran = 1;
    } else {
      note("pss %s run %d: no figure (PSS read %s, complete=%d, exit %d): %s",
           label, r + 1, ok ? "yes" : "no", k.complete, rc, k.ch.last);
    }
    bkp_close(&k.ch);
  }
  s = bkp_stats(mib, n);
  sa = bkp_stats(anon, n);
  if(anon_median)
    *anon_median = sa.median;
  if(*top)
    printf("BENCH kiosk pss_top_kib %s%s\n", label, top);
  /* file-backed PSS depends on who else maps the same libraries (Mesa's
   * libLLVM above all); Pss_Anon does not */
  printf("BENCH kiosk pss_mib %s median=%.1f min=%.1f max=%.1f anon_median=%.1f "
         "n=%d last_kib: pss=%lld anon=%lld file=%lld shmem=%lld rss=%lld hwm=%lld "
         "threads=%lld load1=%.2f%s%s\n", label, s.median, s.min, s.max, sa.median,
         n, last.pss, last.anon, last.file, last.shmem, last.rss, last.hwm,
         last.threads, l0, is_main ? " goal=median<=" : "",
         is_main ? goal_txt(BK_GOAL_PSS_MIB) : "");
  return s.median;
}

/* ---- 3. idle CPU -------------------------------------------------------------- */

/* Run time and context switches between two snapshots, thread by thread:
 * a thread that ended in between (the audio device closing) takes its time
 * with it from a plain sum, so only threads alive at the end count, with
 * what they had at the start (0 for a new one). */
static long long tasks_delta(const struct bkp_tasks *a, const struct bkp_tasks *b,
                             long long *dsw)
{
  long long ns = 0, sw = 0;
  for(int i = 0; i < b->n; i++) {
    long long n0 = 0, s0 = 0;
    for(int j = 0; j < a->n; j++)
      if(a->t[j].tid == b->t[i].tid) {
        n0 = a->t[j].ns;
        s0 = a->t[j].sw;
      }
    ns += b->t[i].ns - n0;
    sw += b->t[i].sw - s0;
  }
  *dsw = sw;
  return ns;
}

/* CPU of the kiosk over windows x win_s seconds.  Prints two lines; sets
 * *pct (of one core) and *wake (per second) over the whole span. */
static void measure_idle(struct bench *b, struct krun *k, const char *label,
                         int windows, int win_s, double *pct_out, double *wake_out)
{
  static struct bkp_tasks t0, ta, tb;   /* large; one measurement at a time */
  double pct[16], wake[16], dt_s;
  int n = 0;
  int64_t start, ws, we;
  long long dticks;
  char threads[1024];
  size_t used = 0;
  struct bkp_stats sp, sw;

  *pct_out = *wake_out = NAN;
  if(bkp_tasks_snap(k->ch.pid, &t0) != 0)
    return;
  start = ws = bkp_mono_ns();
  ta = t0;
  for(int w = 0; w < windows && w < 16; w++) {
    if(bkp_pump(&k->ch, (long)win_s * 1000, NULL, NULL) < 0 ||
       bkp_tasks_snap(k->ch.pid, &tb) != 0)
      break;
    we = bkp_mono_ns();
    dt_s = (double)(we - ws) / 1e9;
    {
      long long dsw, dns = tasks_delta(&ta, &tb, &dsw);
      pct[n] = (double)dns / 1e9 / dt_s * 100.0;
      wake[n] = (double)dsw / dt_s;
    }
    n++;
    ta = tb;
    ws = we;
  }
  if(n == 0) {
    note("idle %s: the kiosk ended during the measurement: %s", label, k->ch.last);
    return;
  }
  /* ta is the last complete snapshot */
  dt_s = (double)(ws - start) / 1e9;
  dticks = ta.ticks - t0.ticks;
  threads[0] = '\0';
  for(int i = 0; i < ta.n && used < sizeof(threads); i++) {
    long long s0 = 0, n0 = 0;
    for(int j = 0; j < t0.n; j++)
      if(t0.t[j].tid == ta.t[i].tid) {
        s0 = t0.t[j].sw;
        n0 = t0.t[j].ns;
      }
    if(ta.t[i].sw - s0 > 0)
      used += (size_t)snprintf(threads + used, sizeof(threads) - used,
                               " %s:%.1f/s,%.3fms", ta.t[i].comm,
                               (double)(ta.t[i].sw - s0) / dt_s,
                               (double)(ta.t[i].ns - n0) / 1e6);
  }
  {
    long long dsw, dns = tasks_delta(&t0, &ta, &dsw);
    *pct_out = (double)dns / 1e9 / dt_s * 100.0;
    *wake_out = (double)dsw / dt_s;
  }
  sp = bkp_stats(pct, n);
  sw = bkp_stats(wake, n);
  printf("BENCH kiosk idle_cpu %s seconds=%.1f cpu_pct=%.4f ticks=%lld "
         "ticks_pct=%.3f windows=%dx%ds window_pct_median=%.4f min=%.4f max=%.4f "
         "wakeups_per_s=%.1f window_wakeups_median=%.1f threads=%d load1=%.2f\n",
         label, dt_s, *pct_out, dticks,
         (double)dticks / (double)b->clk_tck / dt_s * 100.0, n, win_s,
         sp.median, sp.min, sp.max, *wake_out, sw.median, ta.n, bkp_load1());
  printf("BENCH kiosk idle_threads %s woke:%s\n", label, *threads ? threads : " none");
}

/* Start, wait for the first frame and settle_ms more, measure, end with
 * SIGTERM.  0 when measured. */
static int idle_run(struct bench *b, const char *conf, const char *driver,
                    const char *script, const char *log, const char *label,
                    int windows, int win_s, double *pct, double *wake)
{
  struct krun k;
  int ret = -1;
  *pct = *wake = NAN;
  if(!driver_ok(b, driver))
    return -1;
  if(kiosk_start(b, &k, conf, driver, script, NULL, log) == 0) {
    if(bkp_pump(&k.ch, 15000, until_first_frame, &k) == 1) {
      b->kiosk_ran = 1;
      bkp_pump(&k.ch, 2000, NULL, NULL);   /* start-up threads settle */
      measure_idle(b, &k, label, windows, win_s, pct, wake);
      ret = isnan(*pct) ? -1 : 0;
      kill(k.ch.pid, SIGTERM);
      bkp_wait(&k.ch, 10000);
    } else {
      note("idle %s: no first frame: %s", label, k.ch.last);
    }
  }
  bkp_close(&k.ch);
  return ret;
}

static void bench_idle(struct bench *b)
{
  struct krun k;
  double pct, wake;
  int windows = b->idle_s >= 20 ? b->idle_s / 10 : 1;
  int win_s = b->idle_s / windows > 0 ? b->idle_s / windows : 1;

  /* in service: welcome, no script, nothing happens */
  if(driver_ok(b, "x11") &&
     kiosk_start(b, &k, NULL, "x11", NULL, NULL, "idle_x11.log") == 0) {
    if(bkp_pump(&k.ch, 15000, until_first_frame, &k) == 1) {
      struct pss m0, m1;
      int rc;
      int64_t t;
      b->kiosk_ran = 1;
      bkp_pump(&k.ch, 2000, NULL, NULL);
      if(read_pss(k.ch.pid, &m0) != 0)
        m0.pss = -1;
      measure_idle(b, &k, "mode=welcome_no_script driver=x11", windows, win_s,
                   &pct, &wake);
      if(read_pss(k.ch.pid, &m1) != 0)
        m1.pss = -1;
      b->f.idle_pct = pct;
      b->f.idle_wake = wake;
      printf("BENCH kiosk idle_cpu_pct driver=x11 seconds=%d value=%.4f "
             "goal=value<=%s\n", windows * win_s, pct, goal_txt(BK_GOAL_IDLE_PCT));
      printf("BENCH kiosk pss_mib welcome_no_survey_yet=%.1f anon=%.1f "
             "after_idle=%.1f anon=%.1f\n", (double)m0.pss / 1024.0,
             (double)m0.anon / 1024.0, (double)m1.pss / 1024.0,
             (double)m1.anon / 1024.0);
      t = bkp_mono_ns();
      kill(k.ch.pid, SIGTERM);
      rc = bkp_wait(&k.ch, 10000);
      printf("BENCH kiosk sigterm_to_exit_ms value=%.1f exit=%d terminate_logged=%d\n",
             (double)(k.ch.exit_ns - t) / 1e6, rc, k.terminated);
      if(rc < 0 || !k.terminated)
        note("the kiosk did not end cleanly on SIGTERM (exit %d): %s", rc, k.ch.last);
      else
        note_exit(b, "sigterm", rc, k.ch.last);
    } else {
      note("idle: no first frame: %s", k.ch.last);
    }
  }
  bkp_close(&k.ch);
  /* is it the read-aloud audio device that wakes? */
  /* (PR_BENCH_TINY: 1-second windows, check.sh) */
  idle_run(b, b->conf_quiet, "x11", NULL, "idle_audio_off.log",
           "mode=welcome_no_script_audio_off driver=x11", 1,
           (int)bench_size(10, 1), &pct, &wake);
  /* as a test sees it: the loop during an inject script's "wait" */
  idle_run(b, NULL, "x11", "wait.inj", "idle_wait.log",
           "mode=inject_wait driver=x11", (int)bench_size(2, 1),
           (int)bench_size(5, 1), &pct, &wake);
  /* the offscreen driver cannot block in SDL_WaitEventTimeout */
  idle_run(b, NULL, "offscreen", NULL, "idle_offscreen.log",
           "mode=welcome_no_script driver=offscreen", 1,
           (int)bench_size(5, 1), &pct, &wake);
}

/* ---- 4. tap to frame ----------------------------------------------------------- */

static void bench_taps(struct bench *b)
{
  char path[PATH_MAX];
  struct krun k;
  int want = 0, rc = -1;
  struct bkp_stats s;
  double l0 = bkp_load1();

  if(!driver_ok(b, "x11") || bkp_join(path, sizeof(path), b->dir, "taps.inj") ||
     write_tap_script(path, BK_TAP_SURVEYS, &want) != 0)
    return;
  if(kiosk_start(b, &k, NULL, "x11", "taps.inj", NULL, "taps.log") == 0)
    rc = bkp_wait(&k.ch, 60000);
  if(rc < 0 || k.complete != BK_TAP_SURVEYS || k.n_taps != want)
    note("taps: exit %d, complete=%d of %d surveys, %d of %d taps timed: %s", rc,
         k.complete, BK_TAP_SURVEYS, k.n_taps, want, k.ch.last);
  else
    note_exit(b, "taps", rc, k.ch.last);
  if(k.n_taps > 0)
    b->kiosk_ran = 1;
  s = bkp_stats(k.taps_ms, k.n_taps);
  b->f.tap_ms = s.median;
  b->f.tap_p90_ms = s.p90;
  printf("BENCH kiosk tap_to_frame_ms driver=x11 median=%.2f p90=%.2f min=%.2f "
         "max=%.2f n=%d surveys=%d complete=%d load1=%.2f\n", s.median, s.p90,
         s.min, s.max, k.n_taps, BK_TAP_SURVEYS, k.complete, l0);
  bkp_close(&k.ch);
}

/* ---- 5. chromium kiosk ----------------------------------------------------------- */

static void bench_chromium_kiosk(struct bench *b)
{
  double mib[2], procs[2], idle[2], wake[2];
  int n = 0;
  char why[512];
  struct bkp_stats s;
  struct bkc_kiosk r;

  for(int i = 0; i < (int)bench_size(2, 1); i++) {
    if(i > 0 && elapsed_s(b) > BK_BUDGET_S - 25) {
      note("chromium kiosk: run %d skipped to stay within the time budget", i + 1);
      break;
    }
    if(bkc_kiosk(&b->cr, 10, &r, why, sizeof(why)) != 0) {
      note("chromium kiosk run %d: %s", i + 1, why);
      continue;
    }
    if(!r.stable)
      note("chromium kiosk run %d: PSS still changing after 15 s; taken as is", i + 1);
    printf("BENCH chromium run=%d mode=%s pss_mib=%.1f processes=%d types=%s "
           "settled_s=%.1f idle_cpu_pct=%.3f idle_wakeups_per_s=%.1f load1=%.2f\n",
           i + 1, r.headless ? "headless" : "kiosk", r.pss_mib, r.procs, r.types,
           r.settled_s, r.idle_pct, r.idle_wake, bkp_load1());
    mib[n] = r.pss_mib;
    procs[n] = r.procs;
    idle[n] = r.idle_pct;
    wake[n] = r.idle_wake;
    n++;
  }
  s = bkp_stats(mib, n);
  b->f.cr_pss_mib = s.median;
  b->f.cr_procs = bkp_stats(procs, n).median;
  b->f.cr_idle_pct = bkp_stats(idle, n).median;
  b->f.cr_idle_wake = bkp_stats(wake, n).median;
  printf("BENCH chromium pss_mib median=%.1f min=%.1f max=%.1f n=%d processes=%.0f "
         "idle_cpu_pct=%.3f idle_wakeups_per_s=%.1f\n", s.median, s.min, s.max, n,
         b->f.cr_procs, b->f.cr_idle_pct, b->f.cr_idle_wake);
}

/* ---- the table ------------------------------------------------------------------- */

static void row(const char *name, double kiosk, double cr, const char *goal)
{
  char k[32] = "-", c[32] = "-", r[32] = "-";
  if(!isnan(kiosk))
    snprintf(k, sizeof(k), "%.3g", kiosk);
  if(!isnan(cr))
    snprintf(c, sizeof(c), "%.3g", cr);
  if(!isnan(kiosk) && !isnan(cr) && kiosk > 0)
    snprintf(r, sizeof(r), "%.1fx", cr / kiosk);
  printf("BENCH side_by_side.%s kiosk=%s chromium=%s chromium_per_kiosk=%s%s%s\n",
         name, k, c, r, *goal ? " goal=kiosk" : "", goal);
}

static void print_table(const struct bench *b)
{
  const struct bk_figs *f = &b->f;
  char load[128];
  row("start_ms", f->first_ms, f->cr_shot_ms, "<=100");
  row("exec_to_screenshot_ms", f->shot_ms, f->cr_shot_ms, "");
  row("pss_mib", f->pss_mib, f->cr_pss_mib, "<=30");
  row("pss_anon_mib", f->pss_anon_mib, NAN, "");
  row("processes", 1, f->cr_procs, "");
  row("idle_cpu_pct_of_core", f->idle_pct, f->cr_idle_pct, "<=0.1");
  row("idle_wakeups_per_s", f->idle_wake, f->cr_idle_wake, "");
  row("tap_to_frame_ms_median", f->tap_ms, NAN, "");
  row("tap_to_frame_ms_p90", f->tap_p90_ms, NAN, "");
  row("first_frame_offscreen_ms", f->first_off_ms, NAN, "");
  bkp_loadavg(load, sizeof(load));
  printf("BENCH machine cpus=%ld loadavg_end=\"%s\" seconds=%.0f\n",
         sysconf(_SC_NPROCESSORS_ONLN), load, elapsed_s(b));
}

/* A SIGTERM or SIGINT to the benchmark: say who sent it (pid and command
 * line, with async-signal-safe calls only), then die of it as before; the
 * programs we started follow (PR_SET_PDEATHSIG). */
static void on_term(int sig, siginfo_t *si, void *uc)
{
  static const char head[] = "bench_kiosk: stopped by signal from pid ";
  char num[16], path[48] = "/proc/", buf[512];
  int n = 0, len = 6, fd;
  unsigned v = si->si_pid > 0 ? (unsigned)si->si_pid : 0;
  (void)uc;
  do
    num[n++] = (char)('0' + v % 10);
  while((v /= 10) != 0);
  if(write(1, head, sizeof(head) - 1) < 0)
    _exit(1);
  while(n > 0) {
    path[len++] = num[--n];
    if(write(1, &path[len - 1], 1) < 0)
      _exit(1);
  }
  memcpy(path + len, "/cmdline", 9);
  if((fd = open(path, O_RDONLY)) >= 0) {
    ssize_t r = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    for(ssize_t i = 0; i < r; i++)
      if(buf[i] == '\0')
        buf[i] = ' ';
    if(r > 0 && write(1, ": ", 2) == 2 && write(1, buf, (size_t)r) < 0)
      _exit(1);
  }
  if(write(1, "\n", 1) < 0)
    _exit(1);
  signal(sig, SIG_DFL);
  raise(sig);
}

static long env_long(const char *name, long dflt, long lo, long hi)
{
  const char *v = getenv(name);
  char *end;
  long x;
  if(!v || !*v)
    return dflt;
  errno = 0;
  x = strtol(v, &end, 10);
  return errno || *end || x < lo || x > hi ? dflt : x;
}

int main(int argc, char **argv)
{
  static struct bench b;   /* large */
  char cr[PATH_MAX], load[128], why[512];

  if(argc < 5 || argc > 6) {
    fprintf(stderr, "usage: bench_kiosk KIOSK ROSTCTL ASSETS_DIR OUT_DIR [CHROMIUM]\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGPIPE, SIG_IGN);
  {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_term;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
  }
  b.t_start = bkp_mono_ns();
  b.kiosk = argv[1];
  b.rostctl = argv[2];
  b.assets = argv[3];
  b.f = (struct bk_figs){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                         NAN, NAN, NAN, NAN, NAN};
  /* PR_BENCH_TINY (check.sh): 2 runs, 2 s idle. */
  b.runs = (int)env_long("BENCH_KIOSK_RUNS", bench_size(15, 2), 1, BK_MAX_RUNS);
  b.idle_s = (int)env_long("BENCH_KIOSK_IDLE_S", bench_size(60, 2), 1, 160);
  b.clk_tck = sysconf(_SC_CLK_TCK);
  if(argc == 6 && access(argv[5], X_OK) == 0)
    b.chromium = argv[5];
  else if(access("/usr/bin/chromium", X_OK) == 0)
    b.chromium = "/usr/bin/chromium";
  else
    b.chromium = bkp_find_prog("chromium", cr, sizeof(cr));
  if(bkp_join(b.dir, sizeof(b.dir), argv[4], "bench_kiosk") ||
     (mkdir(b.dir, 0755) != 0 && errno != EEXIST) || setup_files(&b) != 0) {
    fprintf(stderr, "bench_kiosk: cannot prepare %s/bench_kiosk: %s\n", argv[4],
            strerror(errno));
    return 1;
  }
  bkp_loadavg(load, sizeof(load));
  printf("BENCH machine cpus=%ld loadavg_start=\"%s\" build=%s kiosk=%s chromium=%s\n",
         sysconf(_SC_NPROCESSORS_ONLN), load, BK_BUILD, b.kiosk,
         b.chromium ? b.chromium : "none");
  if(strstr(BK_BUILD, "asan"))
    note("this is a sanitizer build: its time and memory figures are far from "
         "the product's; build RelWithDebInfo without PR_SANITIZE for those");
  setup_display(&b);
  if(b.chromium) {
    b.cr_ok = bkc_setup(&b.cr, b.chromium, b.dir, b.display, why, sizeof(why)) == 0;
    if(!b.cr_ok)
      note("chromium comparison off: %s", why);
  } else {
    printf("BENCH chromium skipped=not_installed\n");
  }

  bench_first_frame(&b);
  bench_screenshots(&b);
  b.f.pss_mib = bench_pss(&b, "x11", NULL, "x11", 3, &b.f.pss_anon_mib);
  bench_pss(&b, "offscreen", NULL, "offscreen", 1, NULL);
  bench_pss(&b, "x11", "SDL_RENDER_DRIVER=software", "x11_software_renderer", 1, NULL);
  bench_taps(&b);
  bench_idle(&b);
  if(b.cr_ok)
    bench_chromium_kiosk(&b);
  print_table(&b);

  if(b.xvfb > 0) {
    kill(b.xvfb, SIGTERM);
    waitpid(b.xvfb, NULL, 0);
  }
  if(!b.kiosk_ran) {
    fprintf(stderr, "bench_kiosk: the kiosk never showed a frame; logs in %s\n", b.dir);
    return 1;
  }
  return 0;
}
