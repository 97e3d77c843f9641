/* pr.h — result codes, error text, logging and the allocation hook shared by
 * every Patientröst module.  It holds no domain logic; each module's own
 * header says what it does.  Every fallible function returns enum pr_rc and
 * may write human detail into a caller-supplied char err[PR_ERR_LEN]. */
#ifndef PR_H
#define PR_H

#include <stddef.h>
#include <time.h>

enum pr_rc {
  PR_OK = 0,
  PR_ENOMEM,     /* allocation failed */
  PR_EINVAL,     /* bad input: the err text names what and where */
  PR_EDB,        /* database error */
  PR_EIO,        /* file or OS error */
  PR_ENOTFOUND,  /* no such item */
  PR_ECORRUPT,   /* a file failed an integrity check */
  PR_EFULL,      /* disk or quota full */
  PR_ENET,       /* network error (connect, timeout, cut) */
  PR_ETLS,       /* TLS or certificate/pin error */
  PR_EAUTH,      /* not authorised: token, PIN, password */
  PR_EBUSY,      /* try again later (locked out, Retry-After, 503) */
  PR_ELIMIT,     /* over a size or count limit */
  PR_ECONFLICT,  /* same id, different content */
  PR_EPROTO,     /* peer broke the protocol (e.g. captive-portal HTML) */
  PR_EINTERNAL   /* a bug: an invariant did not hold */
};

#define PR_ERR_LEN 256
#define PR_MUST __attribute__((warn_unused_result))
#define PR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define PR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Short English name of rc ("out of memory"); never NULL. */
const char *pr_strerror(enum pr_rc rc);

/* Format into err (PR_ERR_LEN bytes).  err may be NULL.  Truncates safely. */
void pr_seterr(char *err, const char *fmt, ...) PR_PRINTF(2, 3);

/* Copy src into dst of size cap, always NUL-terminated.  Returns 0 when it
 * fit, -1 when truncated (dst then holds the truncated prefix). */
int pr_strlcpy(char *dst, const char *src, size_t cap);

/* Parse a whole decimal integer in [min, max]; 0 on success, -1 on any
 * junk, overflow or range error.  Use instead of atoi/strtol by hand. */
int pr_parse_long(const char *s, long min, long max, long *out) PR_MUST;

/* One event per line on stderr: "2026-11-24T10:00:00Z level event k=v ...".
 * Callers must never pass a personal detail (name, phone, personnummer). */
enum pr_log_level { PR_LOG_DEBUG, PR_LOG_INFO, PR_LOG_WARN, PR_LOG_ERROR };
void pr_log(enum pr_log_level lvl, const char *event, const char *fmt, ...)
    PR_PRINTF(3, 4);
void pr_log_set_level(enum pr_log_level min);

/* Wall clock, seconds.  Tests may pin it with the environment variable
 * PATIENTROST_NOW=<unix seconds> (read once, at first call). */
time_t pr_now(void);

/* Allocation hook.  All project allocations go through these (jansson is
 * pointed at them too by pr_init).  pr_alloc_fail_after(n) makes the n-th
 * allocation from now fail (n = 0: the very next); n < 0 disables. */
void *pr_malloc(size_t n);
void *pr_calloc(size_t nmemb, size_t size);
void *pr_realloc(void *p, size_t n);
char *pr_strdup(const char *s);
char *pr_strndup(const char *s, size_t n);
void pr_free(void *p);
void pr_alloc_fail_after(long n);

/* Room for item n of a growing array: arr points to the array pointer (an
 * array of *cap items of size bytes; NULL when *cap is 0).  When n reaches
 * *cap the array grows to twice as many items (first when it had none).
 * 0, or -1 when out of memory with the array and *cap unchanged.  Call it
 * as PR_GROW(v, n, cap, first) with v the array itself. */
int pr_grow(void *arr, int *cap, int n, size_t size, int first) PR_MUST;
#define PR_GROW(v, n, cap, first) \
  pr_grow(&(v), &(cap), (n), sizeof(*(v)), (first))

/* Call once at program start (idempotent): libsodium init, jansson
 * allocator.  Returns PR_OK or PR_EINTERNAL if libsodium cannot start. */
enum pr_rc pr_init(void) PR_MUST;

#endif
