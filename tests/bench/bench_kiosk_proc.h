/* bench_kiosk_proc.h — started programs and /proc readings for the kiosk
 * benchmark: fork+exec with the program's output read as lines and the
 * instant just before execv recorded in the child; exit with its rusage;
 * PSS, CPU and wake-ups of one process or of a whole process tree; small
 * statistics and file helpers.  It knows nothing of the kiosk or chromium. */
#ifndef BENCH_KIOSK_PROC_H
#define BENCH_KIOSK_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

#define BKP_LINE_MAX 16384
#define BKP_MAX_TASKS 128
#define BKP_MAX_GROUP 64

/* ---- small helpers ---- */

int64_t bkp_mono_ns(void);                 /* CLOCK_MONOTONIC */
void bkp_sleep_ms(long ms);
double bkp_load1(void);                    /* 1-minute load average, or -1 */
void bkp_loadavg(char *out, size_t size);  /* /proc/loadavg as text, or "?" */
/* out = a/b; 0, or -1 when it does not fit. */
int bkp_join(char *out, size_t size, const char *a, const char *b);
int bkp_write_file(const char *path, const char *text);   /* 0 or -1 */
void bkp_rm_rf(const char *path);          /* best effort, never follows links */
/* The first executable NAME on PATH, written to out; NULL when none. */
const char *bkp_find_prog(const char *name, char *out, size_t size);

struct bkp_stats { int n; double median, p90, min, max; };
/* Sorts v.  p90 is the nearest rank; all NAN when n is 0. */
struct bkp_stats bkp_stats(double *v, int n);

/* ---- started programs ---- */

struct bkp_child;
/* Called for every line the program writes (stdout and stderr alike). */
typedef void bkp_line_fn(struct bkp_child *c, const char *line, void *ctx);

struct bkp_child {
  pid_t pid;                    /* -1 when not started */
  int fd;                       /* read end of its output; -1 at EOF */
  int started;
  FILE *log;                    /* a copy of every line, or NULL */
  bkp_line_fn *on_line;         /* or NULL */
  void *ctx;
  char buf[BKP_LINE_MAX];
  size_t len;
  volatile int64_t *exec_ns;    /* shared page: mono ns just before execv */
  int exited, status;
  int64_t exit_ns;              /* when we saw it exit, within 1 ms */
  struct rusage ru;             /* its own CPU, once exited */
  char last[256];               /* its last line, for failure messages */
};

/* Fork and exec argv[0]: stdin /dev/null, stdout and stderr into a pipe we
 * read, env entries "K=V" set and "K" unset (env may be NULL), keep_fd (or
 * -1) inherited, every line copied to log_path (or NULL) and handed to
 * on_line.  It runs in a session of its own and dies with us
 * (PR_SET_PDEATHSIG, SIGTERM).  0, or -1 with errno; bkp_close is safe
 * either way. */
int bkp_start(struct bkp_child *c, const char *const argv[], const char *const env[],
              int keep_fd, const char *log_path, bkp_line_fn *on_line, void *ctx);

/* Read the output for up to timeout_ms, stopping early once done(arg) is
 * true (done may be NULL).  1: done, 0: timed out, -1: output ended. */
int bkp_pump(struct bkp_child *c, long timeout_ms, int (*done)(void *), void *arg);

/* Let ms pass, reading the output meanwhile (sleeping once it ended).
 * 0, or -1 when the output ended. */
int bkp_linger(struct bkp_child *c, long ms);

/* Wait up to timeout_ms for the program to exit, reading its output
 * meanwhile; then SIGTERM, and 3 s later SIGKILL.  Its exit code, or -1
 * when it was killed or died of a signal. */
int bkp_wait(struct bkp_child *c, long timeout_ms);

/* Kill (SIGKILL) if still running, reap, close everything.  NULL-safe. */
void bkp_close(struct bkp_child *c);

/* user + system time of a rusage, in ms. */
double bkp_cpu_ms(const struct rusage *ru);

/* ---- /proc ---- */

/* The number after "key:" in /proc/PID/FILE (kB for memory lines), or -1. */
long long bkp_proc_value(pid_t pid, const char *file, const char *key);

/* utime+stime of the whole process in clock ticks, and its parent; -1 when
 * it is gone. */
long long bkp_proc_ticks(pid_t pid, pid_t *ppid);

/* Run time (schedstat, ns) and context switches per thread. */
struct bkp_tasks {
  long long ticks, ns, sw;      /* ticks from /proc/PID/stat; ns, sw summed */
  int n;
  struct { int tid; char comm[24]; long long ns, sw; } t[BKP_MAX_TASKS];
};
int bkp_tasks_snap(pid_t pid, struct bkp_tasks *out);     /* 0 or -1 */

/* The biggest PSS contributors by mapping name: " name=kB ..." in out. */
void bkp_pss_top(pid_t pid, int count, char *out, size_t size);

/* All processes of one program: root's descendants and every process
 * whose environment holds tag_kv ("K=V"; for children re-parented to init),
 * each with its chromium-style --type (or "browser" / "crashpad"). */
struct bkp_group {
  int n;
  pid_t pid[BKP_MAX_GROUP];
  char type[BKP_MAX_GROUP][32];
};
void bkp_group_collect(pid_t root, const char *tag_kv, struct bkp_group *g);
long long bkp_group_pss(const struct bkp_group *g, int *n_read);   /* kB */
void bkp_group_usage(const struct bkp_group *g, long long *ns, long long *sw);
/* "type=count,..." of a group. */
void bkp_group_types(const struct bkp_group *g, char *out, size_t size);

#endif
