/* dashbuf.c — This file contains the growable, capped text buffer used to
 * build the aggregator's HTML, SVG, CSV and JSON replies (dashbuf.h). */
#include "dashbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dashbuf_init(struct dashbuf *b) { memset(b, 0, sizeof(*b)); }

void dashbuf_free(struct dashbuf *b)
{
  if(!b)
    return;
  pr_free(b->p);
  memset(b, 0, sizeof(*b));
}

static int reserve(struct dashbuf *b, size_t more)
{
  size_t need, cap;
  char *p;
  if(b->failed)
    return -1;
  if(more > DASHBUF_MAX || b->len + more + 1 > DASHBUF_MAX) {
    b->failed = 2;
    return -1;
  }
  need = b->len + more + 1;
  if(need <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 256;
  while(cap < need)
    cap *= 2;
  p = pr_realloc(b->p, cap);
  if(!p) {
    b->failed = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void dashbuf_addn(struct dashbuf *b, const char *s, size_t n)
{
  if(reserve(b, n) != 0)
    return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void dashbuf_add(struct dashbuf *b, const char *s)
{
  dashbuf_addn(b, s, strlen(s));
}

void dashbuf_addf(struct dashbuf *b, const char *fmt, ...)
{
  va_list ap;
  int n;
  char small[256];

  va_start(ap, fmt);
  n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  if(n < 0) {
    b->failed = 1;
    return;
  }
  if((size_t)n < sizeof(small)) {
    dashbuf_addn(b, small, (size_t)n);
    return;
  }
  if(reserve(b, (size_t)n) != 0)
    return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void dashbuf_html(struct dashbuf *b, const char *s)
{
  const char *run = s;
  for(; *s; s++) {
    const char *rep = NULL;
    switch(*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: break;
    }
    if(rep) {
      dashbuf_addn(b, run, (size_t)(s - run));
      dashbuf_add(b, rep);
      run = s + 1;
    }
  }
  dashbuf_addn(b, run, (size_t)(s - run));
}

void dashbuf_json(struct dashbuf *b, const char *s)
{
  const unsigned char *u = (const unsigned char *)s;
  dashbuf_add(b, "\"");
  for(; *u; u++) {
    if(*u == '"' || *u == '\\') {
      char esc[3] = {'\\', (char)*u, 0};
      dashbuf_add(b, esc);
    }
    else if(*u < 0x20 || *u == 0x7f)
      dashbuf_addf(b, "\\u%04x", (unsigned)*u);
    else
      dashbuf_addn(b, (const char *)u, 1);
  }
  dashbuf_add(b, "\"");
}

void dashbuf_num(struct dashbuf *b, double v, int decimals, char sep)
{
  char tmp[64];
  long long p = 1, r, ip, fp;
  int i, n;

  if(decimals < 0 || decimals > 6 || !isfinite(v) || fabs(v) > 1e12) {
    b->failed = 1;
    return;
  }
  for(i = 0; i < decimals; i++)
    p *= 10;
  /* Half away from zero (71.25 -> 71.3), as Excel and a reader round;
   * printf's round-half-even would say 71.2. */
  r = llround(v * (double)p);
  ip = llabs(r) / p;
  fp = llabs(r) % p;
  /* "-0,0" reads as a negative share; print zero plainly. */
  if(decimals > 0)
    n = snprintf(tmp, sizeof(tmp), "%s%lld%c%0*lld", r < 0 ? "-" : "", ip,
                 sep, decimals, fp);
  else
    n = snprintf(tmp, sizeof(tmp), "%s%lld", r < 0 ? "-" : "", ip);
  if(n < 0 || (size_t)n >= sizeof(tmp)) {
    b->failed = 1;
    return;
  }
  dashbuf_add(b, tmp);
}

enum pr_rc dashbuf_status(const struct dashbuf *b)
{
  if(b->failed == 1)
    return PR_ENOMEM;
  if(b->failed)
    return PR_ELIMIT;
  return PR_OK;
}

char *dashbuf_take(struct dashbuf *b, size_t *len)
{
  char *p;
  if(b->failed) {
    dashbuf_free(b);
    if(len)
      *len = 0;
    return NULL;
  }
  if(!b->p && reserve(b, 0) != 0)
    return NULL;
  if(!b->p)
    return NULL;
  b->p[b->len] = '\0';
  p = b->p;
  if(len)
    *len = b->len;
  memset(b, 0, sizeof(*b));
  return p;
}
