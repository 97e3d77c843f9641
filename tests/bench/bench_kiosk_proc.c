/* bench_kiosk_proc.c — This file contains the started-program and /proc
 * helpers of bench_kiosk_proc.h. */
#include "bench_kiosk_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BKP_MAX_PROCS 8192

/* ---- small helpers ---------------------------------------------------------- */

int64_t bkp_mono_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void bkp_sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while(nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

double bkp_load1(void)
{
  double v = -1;
  FILE *f = fopen("/proc/loadavg", "re");
  if(f) {
    if(fscanf(f, "%lf", &v) != 1)
      v = -1;
    fclose(f);
  }
  return v;
}

void bkp_loadavg(char *out, size_t size)
{
  FILE *f = fopen("/proc/loadavg", "re");
  snprintf(out, size, "?");
  if(f) {
    if(fgets(out, (int)size, f))
      out[strcspn(out, "\n")] = '\0';
    fclose(f);
  }
}

int bkp_join(char *out, size_t size, const char *a, const char *b)
{
  int n = snprintf(out, size, "%s/%s", a, b);
  return n < 0 || (size_t)n >= size ? -1 : 0;
}

int bkp_write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "we");
  int ok;
  if(!f)
    return -1;
  ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb; (void)flag; (void)ftw;
  remove(p);
  return 0;
}

void bkp_rm_rf(const char *path)
{
  nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

const char *bkp_find_prog(const char *name, char *out, size_t size)
{
  const char *path = getenv("PATH"), *d;
  if(!path || !*path)
    path = "/usr/bin:/bin";
  for(d = path; *d; d += strcspn(d, ":"), d += *d == ':') {
    size_t n = strcspn(d, ":");
    if(n > 0 && snprintf(out, size, "%.*s/%s", (int)n, d, name) < (int)size &&
       access(out, X_OK) == 0)
      return out;
  }
  return NULL;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

struct bkp_stats bkp_stats(double *v, int n)
{
  struct bkp_stats s = {n, NAN, NAN, NAN, NAN};
  int r;
  if(n <= 0)
    return s;
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  r = (int)ceil(0.9 * n) - 1;
  s.p90 = v[r < 0 ? 0 : r];
  s.min = v[0];
  s.max = v[n - 1];
  return s;
}

/* ---- started programs ------------------------------------------------------- */

int bkp_start(struct bkp_child *c, const char *const argv[], const char *const env[],
              int keep_fd, const char *log_path, bkp_line_fn *on_line, void *ctx)
{
  int p[2];
  pid_t parent = getpid(), pid;

  memset(c, 0, sizeof(*c));
  c->pid = -1;
  c->fd = -1;
  c->started = 1;
  c->on_line = on_line;
  c->ctx = ctx;
  /* the child writes the instant before execv here; we read it later */
  c->exec_ns = mmap(NULL, sizeof(int64_t), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if(c->exec_ns == MAP_FAILED) {
    c->exec_ns = NULL;
    return -1;
  }
  *c->exec_ns = 0;
  if(pipe2(p, O_CLOEXEC) != 0)
    return -1;
  if(log_path)
    c->log = fopen(log_path, "we");
  fflush(stdout);
  pid = fork();
  if(pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if(pid == 0) {
    int nul = open("/dev/null", O_RDONLY);
    if(nul >= 0)
      dup2(nul, 0);
    dup2(p[1], 1);
    dup2(p[1], 2);
    if(keep_fd >= 0)
      fcntl(keep_fd, F_SETFD, 0);
    /* a session of its own: what it signals as a group never reaches us */
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if(getppid() != parent)
      _exit(127);
    for(int i = 0; env && env[i]; i++) {
      char kv[PATH_MAX + 64];
      char *eq;
      snprintf(kv, sizeof(kv), "%s", env[i]);
      eq = strchr(kv, '=');
      if(eq) {
        *eq = '\0';
        setenv(kv, eq + 1, 1);
      } else {
        unsetenv(kv);
      }
    }
    *c->exec_ns = bkp_mono_ns();
    execv(argv[0], (char *const *)argv);
    dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(p[1]);
  c->pid = pid;
  c->fd = p[0];
  return 0;
}

static void child_line(struct bkp_child *c, const char *line)
{
  if(c->log)
    fprintf(c->log, "%s\n", line);
  snprintf(c->last, sizeof(c->last), "%s", line);
  if(c->on_line)
    c->on_line(c, line, c->ctx);
}

/* Hand every complete line in the buffer on; at EOF the rest. */
static void child_split(struct bkp_child *c, int eof)
{
  char *nl;
  while((nl = memchr(c->buf, '\n', c->len)) != NULL) {
    size_t n = (size_t)(nl - c->buf);
    *nl = '\0';
    child_line(c, c->buf);
    memmove(c->buf, nl + 1, c->len - n - 1);
    c->len -= n + 1;
  }
  if(c->len == sizeof(c->buf) - 1 || (eof && c->len > 0)) {
    c->buf[c->len] = '\0';   /* an overlong line, or the last one */
    child_line(c, c->buf);
    c->len = 0;
  }
}

int bkp_pump(struct bkp_child *c, long timeout_ms, int (*done)(void *), void *arg)
{
  int64_t end = bkp_mono_ns() + (int64_t)timeout_ms * 1000000LL;
  for(;;) {
    struct pollfd pfd;
    int64_t left;
    ssize_t n;
    if(done && done(arg))
      return 1;
    if(c->fd < 0)
      return -1;
    /* round up: a 1 ms pump must sleep 1 ms, not spin */
    left = (end - bkp_mono_ns() + 999999) / 1000000LL;
    if(left <= 0)
      return 0;
    pfd.fd = c->fd;
    pfd.events = POLLIN;
    if(poll(&pfd, 1, (int)(left > 1000 ? 1000 : left)) <= 0)
      continue;
    n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0) {
      close(c->fd);
      c->fd = -1;
      child_split(c, 1);
      continue;
    }
    c->len += (size_t)n;
    child_split(c, 0);
  }
}

int bkp_linger(struct bkp_child *c, long ms)
{
  int64_t end = bkp_mono_ns() + (int64_t)ms * 1000000LL;
  if(bkp_pump(c, ms, NULL, NULL) >= 0)
    return 0;
  while(bkp_mono_ns() < end)
    bkp_sleep_ms((long)((end - bkp_mono_ns()) / 1000000LL) + 1);
  return -1;
}

int bkp_wait(struct bkp_child *c, long timeout_ms)
{
  int64_t end = bkp_mono_ns() + (int64_t)timeout_ms * 1000000LL;
  int sent = 0;
  while(c->pid > 0 && !c->exited) {
    pid_t r = wait4(c->pid, &c->status, WNOHANG, &c->ru);
    if(r == c->pid) {
      c->exited = 1;
      c->exit_ns = bkp_mono_ns();
      break;
    }
    if(r < 0 && errno != EINTR)
      break;
    /* a full pipe would stall it, so read while waiting */
    if(c->fd >= 0)
      bkp_pump(c, 1, NULL, NULL);
    else
      bkp_sleep_ms(1);
    if(bkp_mono_ns() > end) {
      kill(c->pid, sent ? SIGKILL : SIGTERM);
      sent = 1;
      end = bkp_mono_ns() + 3000000000LL;
    }
  }
  /* the rest of its output; a grandchild may hold the pipe, so not forever */
  if(c->fd >= 0)
    bkp_pump(c, 2000, NULL, NULL);
  return c->exited && WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1;
}

void bkp_close(struct bkp_child *c)
{
  if(!c || !c->started)
    return;
  if(c->pid > 0 && !c->exited) {
    kill(c->pid, SIGKILL);
    waitpid(c->pid, &c->status, 0);
    c->exited = 1;
  }
  if(c->fd >= 0)
    close(c->fd);
  c->fd = -1;
  if(c->log)
    fclose(c->log);
  c->log = NULL;
  if(c->exec_ns)
    munmap((void *)c->exec_ns, sizeof(int64_t));
  c->exec_ns = NULL;
  c->started = 0;
}

double bkp_cpu_ms(const struct rusage *ru)
{
  return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
         (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* ---- /proc ------------------------------------------------------------------ */

/* A /proc directory name as a pid; 0 when it is not one. */
static int pid_of(const char *name)
{
  char *end;
  long v;
  errno = 0;
  v = strtol(name, &end, 10);
  return errno || *end || end == name || v <= 0 || v > INT_MAX ? 0 : (int)v;
}

long long bkp_proc_value(pid_t pid, const char *file, const char *key)
{
  char path[96], line[256];
  size_t kl = strlen(key);
  long long v = -1;
  FILE *f;
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  f = fopen(path, "re");
  if(!f)
    return -1;
  while(fgets(line, sizeof(line), f))
    if(strncmp(line, key, kl) == 0 && line[kl] == ':') {
      v = strtoll(line + kl + 1, NULL, 10);
      break;
    }
  fclose(f);
  return v;
}

long long bkp_proc_ticks(pid_t pid, pid_t *ppid)
{
  char path[64], buf[1024], *p;
  long long ut = 0, st = 0;
  int pp = 0;
  FILE *f;
  size_t n;
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  f = fopen(path, "re");
  if(!f)
    return -1;
  n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  p = strrchr(buf, ')');   /* comm may hold spaces and parentheses */
  if(!p || sscanf(p + 1, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld",
                  &pp, &ut, &st) != 3)
    return -1;
  if(ppid)
    *ppid = pp;
  return ut + st;
}

int bkp_tasks_snap(pid_t pid, struct bkp_tasks *out)
{
  char path[64];
  DIR *d;
  struct dirent *e;
  memset(out, 0, sizeof(*out));
  out->ticks = bkp_proc_ticks(pid, NULL);
  if(out->ticks < 0)
    return -1;
  snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
  if(!(d = opendir(path)))
    return -1;
  while((e = readdir(d)) != NULL && out->n < BKP_MAX_TASKS) {
    char p2[96], file[64];
    int tid = pid_of(e->d_name);
    long long ns = 0, v, nv;
    FILE *f;
    if(tid <= 0)
      continue;
    snprintf(p2, sizeof(p2), "/proc/%d/task/%d/schedstat", (int)pid, tid);
    if((f = fopen(p2, "re")) != NULL) {
      if(fscanf(f, "%lld", &ns) != 1)
        ns = 0;
      fclose(f);
    }
    snprintf(file, sizeof(file), "task/%d/status", tid);
    v = bkp_proc_value(pid, file, "voluntary_ctxt_switches");
    nv = bkp_proc_value(pid, file, "nonvoluntary_ctxt_switches");
    out->t[out->n].tid = tid;
    out->t[out->n].ns = ns;
    out->t[out->n].sw = (v > 0 ? v : 0) + (nv > 0 ? nv : 0);
    out->t[out->n].comm[0] = '\0';
    snprintf(p2, sizeof(p2), "/proc/%d/task/%d/comm", (int)pid, tid);
    if((f = fopen(p2, "re")) != NULL) {
      if(fgets(out->t[out->n].comm, sizeof(out->t[0].comm), f))
        out->t[out->n].comm[strcspn(out->t[out->n].comm, "\n")] = '\0';
      fclose(f);
    }
    out->ns += ns;
    out->sw += out->t[out->n].sw;
    out->n++;
  }
  closedir(d);
  return 0;
}

void bkp_pss_top(pid_t pid, int count, char *out, size_t size)
{
  struct { char name[64]; long kb; } top[256];
  int n = 0;
  char path[64], line[1024], cur[64] = "[anon]";
  size_t used = 0;
  FILE *f;
  out[0] = '\0';
  snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
  if(!(f = fopen(path, "re")))
    return;
  while(fgets(line, sizeof(line), f)) {
    unsigned long lo, hi;
    int off = 0;
    long kb;
    if(sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &off) == 2 && off > 0) {
      char *nm = line + off, *slash;
      nm[strcspn(nm, "\n")] = '\0';
      slash = strrchr(nm, '/');
      snprintf(cur, sizeof(cur), "%s", !*nm ? "[anon]" : slash ? slash + 1 : nm);
      for(char *s = cur; *s; s++)
        if(*s == ' ')
          *s = '_';
    } else if(sscanf(line, "Pss: %ld kB", &kb) == 1 && kb > 0) {
      int i;
      for(i = 0; i < n && strcmp(top[i].name, cur) != 0; i++)
        ;
      if(i == n && n < (int)(sizeof(top) / sizeof(top[0]))) {
        snprintf(top[n].name, sizeof(top[0].name), "%s", cur);
        top[n++].kb = 0;
      }
      if(i < n)
        top[i].kb += kb;
    }
  }
  fclose(f);
  for(int k = 0; k < count && used < size; k++) {
    int best = -1;
    for(int i = 0; i < n; i++)
      if(top[i].kb > 0 && (best < 0 || top[i].kb > top[best].kb))
        best = i;
    if(best < 0)
      break;
    used += (size_t)snprintf(out + used, size - used, " %s=%ld", top[best].name,
                             top[best].kb);
    top[best].kb = 0;
  }
}

static int environ_has(pid_t pid, const char *kv)
{
  char path[64], *buf = NULL;
  size_t len = 0, cap = 0;
  int found = 0;
  FILE *f;
  snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
  if(!(f = fopen(path, "re")))
    return 0;
  for(;;) {
    size_t n;
    if(len + 4096 > cap) {
      char *nb = realloc(buf, cap + 65536);
      if(!nb)
        break;
      buf = nb;
      cap += 65536;
    }
    n = fread(buf + len, 1, cap - len - 1, f);
    if(n == 0)
      break;
    len += n;
  }
  fclose(f);
  if(buf) {
    buf[len] = '\0';
    for(size_t i = 0; i < len; i += strlen(buf + i) + 1)
      if(strcmp(buf + i, kv) == 0) {
        found = 1;
        break;
      }
  }
  free(buf);
  return found;
}

static void proc_type(pid_t pid, char *out, size_t size)
{
  char path[64], buf[8192], *t;
  size_t n;
  FILE *f;
  snprintf(out, size, "?");
  snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
  if(!(f = fopen(path, "re")))
    return;
  n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = '\0';
  /* chromium rewrites its command line as one space-separated string, so
   * look at the text, not at argv entries */
  for(size_t i = 0; i < n; i++)
    if(buf[i] == '\0')
      buf[i] = ' ';
  t = strstr(buf, "--type=");
  if(t)
    snprintf(out, size, "%.*s", (int)strcspn(t + 7, " "), t + 7);
  else if(strstr(buf, "crashpad_handler") &&
          strstr(buf, "crashpad_handler") < buf + strcspn(buf, " "))
    snprintf(out, size, "crashpad");
  else
    snprintf(out, size, "browser");
}

void bkp_group_collect(pid_t root, const char *tag_kv, struct bkp_group *g)
{
  static int pids[BKP_MAX_PROCS], ppids[BKP_MAX_PROCS];
  static char in[BKP_MAX_PROCS];
  int n = 0, changed = 1;
  DIR *d = opendir("/proc");
  struct dirent *e;
  g->n = 0;
  if(!d)
    return;
  while((e = readdir(d)) != NULL && n < BKP_MAX_PROCS) {
    int pid = pid_of(e->d_name);
    pid_t pp = 0;
    if(pid <= 0 || bkp_proc_ticks(pid, &pp) < 0)
      continue;
    pids[n] = pid;
    ppids[n] = pp;
    in[n] = pid == root || (tag_kv && environ_has(pid, tag_kv));
    n++;
  }
  closedir(d);
  while(changed) {   /* the descendants of what is in */
    changed = 0;
    for(int i = 0; i < n; i++) {
      if(in[i])
        continue;
      for(int k = 0; k < n; k++)
        if(in[k] && pids[k] == ppids[i]) {
          in[i] = 1;
          changed = 1;
          break;
        }
    }
  }
  for(int i = 0; i < n && g->n < BKP_MAX_GROUP; i++)
    if(in[i]) {
      g->pid[g->n] = pids[i];
      proc_type(pids[i], g->type[g->n], sizeof(g->type[0]));
      g->n++;
    }
}

long long bkp_group_pss(const struct bkp_group *g, int *n_read)
{
  long long sum = 0;
  *n_read = 0;
  for(int i = 0; i < g->n; i++) {
    long long v = bkp_proc_value(g->pid[i], "smaps_rollup", "Pss");
    if(v >= 0) {
      sum += v;
      (*n_read)++;
    }
  }
  return sum;
}

void bkp_group_usage(const struct bkp_group *g, long long *ns, long long *sw)
{
  static struct bkp_tasks t;   /* large */
  *ns = *sw = 0;
  for(int i = 0; i < g->n; i++)
    if(bkp_tasks_snap(g->pid[i], &t) == 0) {
      *ns += t.ns;
      *sw += t.sw;
    }
}

void bkp_group_types(const struct bkp_group *g, char *out, size_t size)
{
  size_t used = 0;
  out[0] = '\0';
  for(int i = 0; i < g->n && used < size; i++) {
    int seen = 0, count = 0;
    for(int k = 0; k < i; k++)
      seen |= strcmp(g->type[k], g->type[i]) == 0;
    if(seen)
      continue;
    for(int k = i; k < g->n; k++)
      count += strcmp(g->type[k], g->type[i]) == 0;
    used += (size_t)snprintf(out + used, size - used, "%s%s=%d", used ? "," : "",
                             g->type[i], count);
  }
}
