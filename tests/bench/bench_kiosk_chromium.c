/* bench_kiosk_chromium.c — This file contains the Chromium side of the
 * kiosk benchmark declared in bench_kiosk_chromium.h: the equivalent page,
 * the headless screenshot run and the kiosk run measured over its whole
 * process tree. */
#include "bench_kiosk_chromium.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_kiosk_proc.h"

#define BKC_MAX_ARGS 24
#define BKC_SETTLE_MIN_NS 6000000000LL
#define BKC_SETTLE_MAX_NS 15000000000LL

/* One question screen as a web survey would have it: the kiosk's header
 * with progress and "Lyssna", the question, four answers, back; and the
 * little script a real survey page has so a tap moves on. */
static const char bkc_page[] =
  "<!doctype html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">\n"
  "<meta name=\"viewport\" content=\"width=device-width\">\n"
  "<title>Patientröst</title>\n<style>\n"
  "html,body{margin:0;height:100%;font-family:'Noto Sans',sans-serif;"
  "background:#f5f7fa;color:#1c2430}\n"
  "header{height:100px;background:#1f3a5f;color:#fff;display:flex;"
  "align-items:center;justify-content:space-between;padding:0 88px}\n"
  "#prog{font-weight:700;font-size:28px}\n"
  ".bar{display:flex;gap:6px;margin-top:8px}.bar i{width:90px;height:8px;"
  "border:2px solid #fff}.bar i.on{background:#fff}\n"
  "header button{font:700 28px 'Noto Sans';color:#fff;background:none;"
  "border:3px solid #fff;border-radius:12px;padding:16px 14px}\n"
  "h1{font-size:44px;margin:60px 28px 50px}\n"
  ".opt{display:flex;align-items:center;gap:18px;width:920px;height:82px;"
  "margin:16px auto;font:700 32px 'Noto Sans';background:#fff;"
  "border:2px solid #4a5a70;border-radius:12px;padding:0 16px}\n"
  ".opt::before{content:'';width:34px;height:34px;border:4px solid #1c2430;"
  "border-radius:50%}\n"
  "#back{position:absolute;left:28px;bottom:28px;width:340px;height:82px;"
  "font:700 32px 'Noto Sans';background:#fff;border:2px solid #4a5a70;"
  "border-radius:12px}\n</style></head>\n<body>\n"
  "<header><div><div id=\"prog\">Fråga 1 av 5</div><div class=\"bar\">"
  "<i class=\"on\"></i><i></i><i></i><i></i><i></i></div></div>"
  "<button>&#128266; Lyssna</button></header>\n"
  "<h1 id=\"q\">Hur nöjd är du med ditt besök i dag?</h1>\n"
  "<div id=\"opts\"><button class=\"opt\">Mycket</button>"
  "<button class=\"opt\">Lite</button><button class=\"opt\">Inte alls</button>"
  "<button class=\"opt\">Vet ej / vill inte svara</button></div>\n"
  "<button id=\"back\">&larr; Tillbaka</button>\n<script>\n"
  "var qs=['Hur nöjd är du med ditt besök i dag?',"
  "'Hur delaktig fick du vara i besluten om din vård?',"
  "'Hur trygg känner du dig efter besöket?','Hur respektfullt blev du bemött?'];\n"
  "var i=0,ans=[];function show(){document.getElementById('q').textContent=qs[i];"
  "document.getElementById('prog').textContent='Fråga '+(i+1)+' av 5';"
  "var b=document.querySelectorAll('.bar i');for(var k=0;k<b.length;k++)"
  "b[k].className=k<=i?'on':'';}\n"
  "document.querySelectorAll('.opt').forEach(function(o,k){o.onclick=function(){"
  "ans[i]=k;if(i<qs.length-1){i++;show();}};});\n"
  "document.getElementById('back').onclick=function(){if(i>0){i--;show();}};\n"
  "</script>\n</body></html>\n";

int bkc_setup(struct bkc *c, const char *chromium, const char *out_dir,
              const char *display, char *why, size_t why_size)
{
  char page[PATH_MAX], home[PATH_MAX];
  memset(c, 0, sizeof(*c));
  c->chromium = chromium;
  snprintf(c->display, sizeof(c->display), "%s", display ? display : "");
  if(bkp_join(c->dir, sizeof(c->dir), out_dir, "chromium") ||
     bkp_join(page, sizeof(page), c->dir, "question.html") ||
     bkp_join(home, sizeof(home), c->dir, "home") ||
     snprintf(c->url, sizeof(c->url), "file://%s", page) >= (int)sizeof(c->url) ||
     snprintf(c->home_kv, sizeof(c->home_kv), "HOME=%s", home) >= (int)sizeof(c->home_kv)) {
    snprintf(why, why_size, "path too long");
    return -1;
  }
  bkp_rm_rf(c->dir);
  if(mkdir(c->dir, 0755) != 0 || mkdir(home, 0755) != 0 ||
     bkp_write_file(page, bkc_page) != 0) {
    snprintf(why, why_size, "cannot write %s: %s", page, strerror(errno));
    return -1;
  }
  return 0;
}

/* The flags of every run (the benchmark's brief: no GPU, QUIC, first-run
 * dialogs, background networking, component updates or sync; a fresh
 * profile; --no-sandbox as root), then mode flags, then the page. */
static int make_argv(const struct bkc *c, const char **argv, const char *profile_flag,
                     const char *m1, const char *m2, const char *m3)
{
  static const char *const common[] = {
    "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync"};
  int a = 0;
  argv[a++] = c->chromium;
  if(geteuid() == 0)
    argv[a++] = "--no-sandbox";
  for(size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
    argv[a++] = common[i];
  argv[a++] = profile_flag;
  if(m1)
    argv[a++] = m1;
  if(m2)
    argv[a++] = m2;
  if(m3)
    argv[a++] = m3;
  argv[a++] = c->url;
  argv[a] = NULL;
  return a < BKC_MAX_ARGS ? 0 : -1;
}

static int fresh_profile(const struct bkc *c, char *dir, size_t size, char *flag,
                         size_t flag_size)
{
  if(snprintf(dir, size, "%s/profile-XXXXXX", c->dir) >= (int)size || !mkdtemp(dir))
    return -1;
  return snprintf(flag, flag_size, "--user-data-dir=%s", dir) >= (int)flag_size ? -1 : 0;
}

static void on_shot_line(struct bkp_child *ch, const char *line, void *ctx)
{
  int64_t *seen = ctx;
  (void)ch;
  if(*seen < 0 && strstr(line, "bytes written to file"))
    *seen = bkp_mono_ns();
}

int bkc_screenshot(struct bkc *c, double *wall_ms, double *line_ms, char *why,
                   size_t why_size)
{
  char png[PATH_MAX], shot[PATH_MAX + 16], log[PATH_MAX], prof[PATH_MAX],
       pflag[PATH_MAX + 32];
  const char *argv[BKC_MAX_ARGS];
  const char *env[] = {c->home_kv, "DISPLAY", NULL};
  struct bkp_child ch;
  struct stat st;
  int64_t seen = -1;
  int rc, ret = -1;

  *wall_ms = *line_ms = NAN;
  if(bkp_join(png, sizeof(png), c->dir, "shot.png") ||
     bkp_join(log, sizeof(log), c->dir, "screenshot.log") ||
     snprintf(shot, sizeof(shot), "--screenshot=%s", png) >= (int)sizeof(shot) ||
     fresh_profile(c, prof, sizeof(prof), pflag, sizeof(pflag)) ||
     make_argv(c, argv, pflag, "--headless", shot, "--window-size=1280,800")) {
    snprintf(why, why_size, "path too long or no profile directory");
    return -1;
  }
  unlink(png);
  if(bkp_start(&ch, argv, env, -1, log, on_shot_line, &seen) != 0) {
    snprintf(why, why_size, "cannot start %s: %s", c->chromium, strerror(errno));
  } else {
    rc = bkp_wait(&ch, 30000);
    if(rc == 0 && stat(png, &st) == 0 && st.st_size > 0) {
      *wall_ms = (double)(ch.exit_ns - *ch.exec_ns) / 1e6;
      if(seen > 0)
        *line_ms = (double)(seen - *ch.exec_ns) / 1e6;
      ret = 0;
    } else {
      snprintf(why, why_size, "exit %d, no %s: %s", rc, png, ch.last);
    }
  }
  bkp_close(&ch);
  bkp_rm_rf(prof);
  return ret;
}

/* End a chromium and whatever of it is left (only processes it started:
 * its tree and those carrying our tag). */
static void end_all(struct bkp_child *ch, const char *tag)
{
  struct bkp_group g;
  if(ch->pid > 0 && !ch->exited)
    kill(ch->pid, SIGTERM);
  bkp_wait(ch, 10000);
  bkp_group_collect(-1, tag, &g);
  for(int i = 0; i < g.n; i++)
    kill(g.pid[i], SIGTERM);
  if(g.n) {
    bkp_sleep_ms(1000);
    bkp_group_collect(-1, tag, &g);
    for(int i = 0; i < g.n; i++)
      kill(g.pid[i], SIGKILL);
  }
}

int bkc_kiosk(struct bkc *c, int idle_s, struct bkc_kiosk *out, char *why,
              size_t why_size)
{
  char prof[PATH_MAX], pflag[PATH_MAX + 32], tag[96], disp[96], log[PATH_MAX];
  const char *argv[BKC_MAX_ARGS];
  const char *env[4];
  struct bkp_child ch;
  struct bkp_group g;
  long long pss = 0, prev = -1, ns0, sw0, ns1, sw1;
  int prev_n = -1, n_read = 0, stable = 0, ret = -1;
  int64_t t0, t1;

  memset(out, 0, sizeof(*out));
  out->headless = !c->display[0];
  snprintf(tag, sizeof(tag), "ROST_BENCH_TAG=bench_kiosk-%d-%d", (int)getpid(),
           c->n_runs++);
  snprintf(disp, sizeof(disp), "DISPLAY=%s", c->display);
  env[0] = c->home_kv;
  env[1] = tag;
  env[2] = out->headless ? "DISPLAY" : disp;
  env[3] = NULL;
  if(bkp_join(log, sizeof(log), c->dir, "kiosk.log") ||
     fresh_profile(c, prof, sizeof(prof), pflag, sizeof(pflag)) ||
     make_argv(c, argv, pflag, out->headless ? "--headless" : "--kiosk",
               "--window-size=1280,800",
               out->headless ? NULL : "--window-position=0,0")) {
    snprintf(why, why_size, "path too long or no profile directory");
    return -1;
  }
  if(bkp_start(&ch, argv, env, -1, log, NULL, NULL) != 0) {
    snprintf(why, why_size, "cannot start %s: %s", c->chromium, strerror(errno));
    bkp_rm_rf(prof);
    return -1;
  }
  /* showing the page: a renderer exists, and the tree's size and PSS hold
   * still (within 2 %) for two samples half a second apart */
  t0 = bkp_mono_ns();
  g.n = 0;
  while(bkp_mono_ns() - t0 < BKC_SETTLE_MAX_NS) {
    int has_renderer = 0;
    bkp_linger(&ch, 500);
    if(waitpid(ch.pid, &ch.status, WNOHANG) == ch.pid) {
      ch.exited = 1;
      break;
    }
    bkp_group_collect(ch.pid, tag, &g);
    pss = bkp_group_pss(&g, &n_read);
    for(int i = 0; i < g.n; i++)
      has_renderer |= strcmp(g.type[i], "renderer") == 0;
    if(ch.log)
      fprintf(ch.log, "bench_kiosk: t=%.1fs processes=%d pss_kib=%lld\n",
              (double)(bkp_mono_ns() - t0) / 1e9, n_read, pss);
    if(bkp_mono_ns() - t0 > BKC_SETTLE_MIN_NS && has_renderer && prev_n == g.n &&
       prev > 0 && llabs(pss - prev) * 50 < prev) {
      if(++stable >= 2)
        break;
    } else {
      stable = 0;
    }
    prev = pss;
    prev_n = g.n;
  }
  if(ch.exited || g.n == 0) {
    snprintf(why, why_size, "it ended before showing the page: %s", ch.last);
    goto out;
  }
  t1 = bkp_mono_ns();
  out->stable = stable >= 2;
  out->settled_s = (double)(t1 - t0) / 1e9;
  out->pss_mib = (double)pss / 1024.0;
  out->procs = n_read;
  bkp_group_types(&g, out->types, sizeof(out->types));
  /* idle: the page is shown and nothing happens */
  bkp_group_usage(&g, &ns0, &sw0);
  bkp_linger(&ch, (long)idle_s * 1000);
  bkp_group_collect(ch.pid, tag, &g);
  bkp_group_usage(&g, &ns1, &sw1);
  {
    double dt = (double)(bkp_mono_ns() - t1) / 1e9;
    out->idle_pct = (double)(ns1 - ns0) / 1e9 / dt * 100.0;
    out->idle_wake = (double)(sw1 - sw0) / dt;
  }
  ret = 0;
out:
  end_all(&ch, tag);
  bkp_close(&ch);
  bkp_rm_rf(prof);
  return ret;
}
