/* bench_kiosk_chromium.h — the comparison the kiosk benchmark prints next
 * to rost-kiosk: Chromium, the browser kiosk a vårdcentral would otherwise
 * run, showing a local page equivalent to one question screen.  Each run
 * has a fresh profile and HOME under the build tree; nothing uses the
 * network.  It measures and returns figures; printing is the caller's. */
#ifndef BENCH_KIOSK_CHROMIUM_H
#define BENCH_KIOSK_CHROMIUM_H

#include <limits.h>
#include <stddef.h>

struct bkc {
  const char *chromium;         /* borrowed */
  char dir[PATH_MAX];           /* OUT_DIR/chromium: page, profiles, logs */
  char url[PATH_MAX + 16];      /* file:// of the page */
  char home_kv[PATH_MAX + 8];   /* "HOME=..." for its runs */
  char display[64];             /* X display for --kiosk; "" = headless */
  int n_runs;                   /* tags runs apart */
};

/* Fill c, write the page under out_dir/chromium (emptied first).  0, or
 * -1 with why. */
int bkc_setup(struct bkc *c, const char *chromium, const char *out_dir,
              const char *display, char *why, size_t why_size);

/* One "--headless --screenshot --window-size=1280,800" run: *wall_ms from
 * just before exec to its exit with the PNG written, *line_ms to its
 * "bytes written" line (NAN when not seen).  0, or -1 with why. */
int bkc_screenshot(struct bkc *c, double *wall_ms, double *line_ms, char *why,
                   size_t why_size);

struct bkc_kiosk {
  int headless;                 /* no X display: --headless instead */
  double pss_mib;               /* summed over all its processes */
  int procs;
  char types[256];              /* "browser=1,renderer=3,..." */
  double settled_s;             /* when its PSS stopped changing */
  int stable;                   /* 0: still changing after 15 s */
  double idle_pct, idle_wake;   /* CPU % of a core, wake-ups/s, while idle */
};

/* One "--kiosk" run on c->display: wait until the page shows and its
 * memory settles, read PSS over the process tree, idle_s of idle CPU, end
 * it and everything it started.  0, or -1 with why. */
int bkc_kiosk(struct bkc *c, int idle_s, struct bkc_kiosk *out, char *why,
              size_t why_size);

#endif
