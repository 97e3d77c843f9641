/* audit.c — This file contains the pull audit log (audit.h).  Entries are
 * only ever inserted; the id is made in C (time + random) because the
 * portable SQL layer has no AUTOINCREMENT. */
#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct aggdb_step audit_steps[] = {
  {1,
   "CREATE TABLE IF NOT EXISTS audit_log ("
   " id TEXT PRIMARY KEY, at BIGINT NOT NULL, who TEXT NOT NULL,"
   " what TEXT NOT NULL, detail TEXT NOT NULL);"
   "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);",
   NULL, NULL},
};

enum pr_rc audit_migrate(struct aggdb *db, char *err)
{
  return aggdb_migrate(db, "aggregates-audit", audit_steps,
                       (int)PR_ARRAY_LEN(audit_steps), err);
}

/* Copy at most cap-1 bytes without leaving half a UTF-8 sequence. */
static void cut_utf8(char *dst, const char *src, size_t cap)
{
  size_t n, i;
  unsigned char lead;
  size_t need;

  if(pr_strlcpy(dst, src ? src : "", cap) == 0)
    return;
  n = strlen(dst);
  i = n;
  while(i > 0 && ((unsigned char)dst[i - 1] & 0xC0) == 0x80)
    i--;
  if(i == 0)
    return;
  lead = (unsigned char)dst[i - 1];
  need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if((i - 1) + need > n)
    dst[i - 1] = '\0';
}

enum pr_rc audit_log(struct aggdb *db, time_t when, const char *who,
                     const char *what, const char *detail, char *err)
{
  char id[48], w[64], wh[32], d[512];
  struct aggdb_param p[5];
  int n = snprintf(id, sizeof(id), "%012lld-%08x", (long long)when,
                   (unsigned)randombytes_random());
  if(n < 0 || (size_t)n >= sizeof(id))
    return PR_EINTERNAL;
  cut_utf8(w, who, sizeof(w));
  cut_utf8(wh, what, sizeof(wh));
  cut_utf8(d, detail, sizeof(d));
  p[0] = AGGDB_TEXT(id);
  p[1] = AGGDB_INT((long long)when);
  p[2] = AGGDB_TEXT(w);
  p[3] = AGGDB_TEXT(wh);
  p[4] = AGGDB_TEXT(d);
  return aggdb_exec1(db, "INSERT INTO audit_log (id, at, who, what, detail)"
                         " VALUES ($1, $2, $3, $4, $5)", p, 5, NULL, err);
}

struct list_ctx {
  audit_row_fn fn;
  void *ctx;
};

static int list_cb(void *ctx, int ncol, const char *const *v,
                   const int *isnull)
{
  struct list_ctx *lc = ctx;
  long when = 0;
  if(ncol < 4 || isnull[0] || pr_parse_long(v[0], 0, 1L << 62, &when) != 0)
    return 0;
  return lc->fn(lc->ctx, when, isnull[1] ? "" : v[1], isnull[2] ? "" : v[2],
                isnull[3] ? "" : v[3]);
}

enum pr_rc audit_list(struct aggdb *db, long from, long to, int max,
                      audit_row_fn fn, void *ctx, char *err)
{
  struct aggdb_param p[3];
  struct list_ctx lc = {fn, ctx};
  p[0] = AGGDB_INT(from);
  p[1] = AGGDB_INT(to);
  p[2] = AGGDB_INT(max);
  return aggdb_query1(db, "SELECT at, who, what, detail FROM audit_log"
                          " WHERE at >= $1 AND at <= $2"
                          " ORDER BY at DESC, id DESC LIMIT $3",
                      p, 3, list_cb, &lc, err);
}
