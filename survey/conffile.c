/* conffile.c — This file contains the config-file reader of conffile.h. */
#include "conffile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

char *conffile_trim(char *s)
{
  char *e;
  while(*s == ' ' || *s == '\t')
    s++;
  e = s + strlen(s);
  while(e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
                  e[-1] == '\r'))
    *--e = '\0';
  return s;
}

enum pr_rc conffile_each(const char *path, conffile_fn fn, void *ctx,
                         char *err)
{
  char line[CONFFILE_LINE_MAX + 2], e2[PR_ERR_LEN];
  enum pr_rc rc = PR_OK;
  int ln = 0;
  FILE *f = fopen(path, "r");

  if(!f) {
    pr_seterr(err, "%s: cannot read: %s", path, strerror(errno));
    return PR_EIO;
  }
  while(rc == PR_OK && fgets(line, sizeof(line), f)) {
    char *k, *v, *eq;
    ln++;
    if(!strchr(line, '\n') && !feof(f)) {
      pr_seterr(err, "%s:%d: line longer than %d bytes", path, ln,
                CONFFILE_LINE_MAX);
      rc = PR_EINVAL;
      break;
    }
    k = conffile_trim(line);
    if(*k == '\0' || *k == '#')
      continue;
    eq = strchr(k, '=');
    if(!eq) {
      pr_seterr(err, "%s:%d: expected \"key = value\"", path, ln);
      rc = PR_EINVAL;
      break;
    }
    *eq = '\0';
    v = conffile_trim(eq + 1);
    k = conffile_trim(k);
    if(*k == '\0') {
      pr_seterr(err, "%s:%d: missing key before '='", path, ln);
      rc = PR_EINVAL;
      break;
    }
    e2[0] = '\0';
    rc = fn(ctx, k, v, ln, e2);
    if(rc != PR_OK)
      pr_seterr(err, "%s:%d: %s", path, ln, e2);
  }
  if(rc == PR_OK && ferror(f)) {
    pr_seterr(err, "%s: read error", path);
    rc = PR_EIO;
  }
  fclose(f);
  return rc;
}

struct get_ctx {
  const char *key;
  char *out;
  size_t cap;
  int found;
};

static enum pr_rc get_one(void *ctx, const char *key, const char *value,
                          int line, char *err)
{
  struct get_ctx *g = ctx;
  (void)line;
  if(strcmp(key, g->key) != 0)
    return PR_OK;
  if(pr_strlcpy(g->out, value, g->cap) != 0) {
    pr_seterr(err, "%s: value too long", key);
    return PR_ELIMIT;
  }
  g->found = 1;
  return PR_OK;
}

int conffile_get(const char *path, const char *key, char *out, size_t cap)
{
  struct get_ctx g = {key, out, cap, 0};
  if(cap)
    out[0] = '\0';
  if(conffile_each(path, get_one, &g, NULL) != PR_OK) {
    if(cap)
      out[0] = '\0';
    return -1;
  }
  return g.found;
}
