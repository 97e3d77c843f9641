/* pr.c — This file contains the shared result codes, error formatting,
 * logging, clock and allocation hook declared in pr.h. */
#include "pr.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rc_names[] = {
  [PR_OK] = "ok",
  [PR_ENOMEM] = "out of memory",
  [PR_EINVAL] = "invalid input",
  [PR_EDB] = "database error",
  [PR_EIO] = "I/O error",
  [PR_ENOTFOUND] = "not found",
  [PR_ECORRUPT] = "corrupt file",
  [PR_EFULL] = "disk full",
  [PR_ENET] = "network error",
  [PR_ETLS] = "TLS error",
  [PR_EAUTH] = "not authorised",
  [PR_EBUSY] = "busy, try again later",
  [PR_ELIMIT] = "over limit",
  [PR_ECONFLICT] = "conflict",
  [PR_EPROTO] = "protocol error",
  [PR_EINTERNAL] = "internal error",
};

const char *pr_strerror(enum pr_rc rc)
{
  if((unsigned)rc >= PR_ARRAY_LEN(rc_names) || !rc_names[rc])
    return "unknown error";
  return rc_names[rc];
}

void pr_seterr(char *err, const char *fmt, ...)
{
  va_list ap;
  if(!err)
    return;
  va_start(ap, fmt);
  vsnprintf(err, PR_ERR_LEN, fmt, ap); /* truncation is acceptable here */
  va_end(ap);
}

int pr_strlcpy(char *dst, const char *src, size_t cap)
{
  size_t n;
  if(cap == 0)
    return -1;
  n = strlen(src);
  if(n >= cap) {
    memcpy(dst, src, cap - 1);
    dst[cap - 1] = '\0';
    return -1;
  }
  memcpy(dst, src, n + 1);
  return 0;
}

int pr_parse_long(const char *s, long min, long max, long *out)
{
  char *end = NULL;
  long v;
  if(!s || !*s)
    return -1;
  errno = 0;
  v = strtol(s, &end, 10);
  if(errno || end == s || *end != '\0' || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

/* Log level is process-wide configuration, set once at start-up. */
static _Atomic int log_min = PR_LOG_INFO;

void pr_log_set_level(enum pr_log_level min) { log_min = min; }

void pr_log(enum pr_log_level lvl, const char *event, const char *fmt, ...)
{
  static const char *const names[] = {"debug", "info", "warn", "error"};
  char line[1024];
  char ts[32];
  struct tm tm;
  time_t now = time(NULL);
  int n;
  va_list ap;

  if((int)lvl < log_min)
    return;
  gmtime_r(&now, &tm);
  strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
  n = snprintf(line, sizeof(line), "%s %s %s", ts, names[lvl], event);
  if(n < 0 || (size_t)n >= sizeof(line))
    n = (int)sizeof(line) - 1;
  if(fmt && *fmt && (size_t)n < sizeof(line) - 2) {
    line[n++] = ' ';
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
  }
  /* One write per event keeps lines whole when threads log at once. */
  fprintf(stderr, "%s\n", line);
}

time_t pr_now(void)
{
  /* Read once: the pinned clock is a test hook, not configuration. */
  static _Atomic long long pinned = -2;
  long long p = pinned;
  if(p == -2) {
    const char *e = getenv("PATIENTROST_NOW");
    long v;
    p = -1;
    if(e && pr_parse_long(e, 0, LONG_MAX, &v) == 0)
      p = v;
    pinned = p;
  }
  return p >= 0 ? (time_t)p : time(NULL);
}

/* Countdown to the injected failure; -1 = never.  Tests only. */
static _Atomic long fail_countdown = -1;

void pr_alloc_fail_after(long n) { fail_countdown = n < 0 ? -1 : n; }

static int alloc_should_fail(void)
{
  long c = fail_countdown;
  if(c < 0)
    return 0;
  if(c == 0) {
    fail_countdown = -1;
    return 1;
  }
  fail_countdown = c - 1;
  return 0;
}

void *pr_malloc(size_t n)
{
  if(alloc_should_fail())
    return NULL;
  return malloc(n ? n : 1);
}

void *pr_calloc(size_t nmemb, size_t size)
{
  if(alloc_should_fail())
    return NULL;
  return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *pr_realloc(void *p, size_t n)
{
  if(alloc_should_fail())
    return NULL;
  return realloc(p, n ? n : 1);
}

int pr_grow(void *arr, int *cap, int n, size_t size, int first)
{
  void *old, *nv;
  int nc;

  if(n < *cap)
    return 0;
  if(*cap > INT_MAX / 2 || first < 1)
    return -1;
  nc = *cap ? 2 * *cap : first;
  if(size && (size_t)nc > SIZE_MAX / size)
    return -1;
  /* arr is a T ** of the caller's: copy the pointer out and back rather
   * than pretend it is a void **. */
  memcpy(&old, arr, sizeof(old));
  nv = pr_realloc(old, (size_t)nc * size);
  if(!nv)
    return -1;
  memcpy(arr, &nv, sizeof(nv));
  *cap = nc;
  return 0;
}

char *pr_strndup(const char *s, size_t n)
{
  size_t len = strnlen(s, n);
  char *d = pr_malloc(len + 1);
  if(!d)
    return NULL;
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

char *pr_strdup(const char *s) { return pr_strndup(s, (size_t)-1); }

void pr_free(void *p) { free(p); }

enum pr_rc pr_init(void)
{
  if(sodium_init() < 0)
    return PR_EINTERNAL;
  json_set_alloc_funcs(pr_malloc, pr_free);
  return PR_OK;
}
