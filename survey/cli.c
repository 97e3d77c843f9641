/* cli.c — This file contains the helpers every rostctl subcommand uses:
 * usage messages with the right exit code, "--opt VALUE" parsing, and
 * opening a store the way a staff command may: never creating one by
 * mistake, never moving one aside, refusing a file that is not a store. */
#include "cli.h"

#include <assert.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cli_usage(const char *name, const char *args, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "rostctl %s: ", name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nusage: rostctl %s %s\n", name, args);
  return CLI_USAGE;
}

int cli_usage_names(const char *usage, const char *opt)
{
  const char *p;
  size_t n;
  while(opt && *opt == '-')
    opt++;
  if(!usage || !opt || !*opt)
    return 0;
  n = strlen(opt);
  for(p = strstr(usage, "--"); p; p = strstr(p + 2, "--")) {
    char next;
    if(strncmp(p + 2, opt, n) != 0)
      continue;
    next = p[2 + n];
    if(!((next >= 'a' && next <= 'z') || next == '-' || next == '_' ||
         (next >= '0' && next <= '9')))
      return 1;
  }
  return 0;
}

int cli_exact_longopts(int argc, char **argv, const struct option *opts,
                       const char *usage)
{
  for(int i = 1; i < argc; i++) {
    const char *a = argv[i], *eq;
    size_t n;
    int k, found = -1;
    if(strncmp(a, "--", 2) != 0 || a[2] == '\0')
      continue;
    eq = strchr(a + 2, '=');
    n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
    for(k = 0; opts[k].name; k++)
      if(strlen(opts[k].name) == n && strncmp(opts[k].name, a + 2, n) == 0)
        found = k;
    if(found < 0) {
      fprintf(stderr, "%s: %.*s gäller inte det här kommandot (okänd flagga; skriv hela "
                      "namnet)\n"
                      "Användning: %s\n", argv[0], (int)(n + 2), a,
              usage ? usage : argv[0]);
      return -1;
    }
    if(!eq && opts[found].has_arg == required_argument)
      i++;                              /* its value may start with "--" */
  }
  return 0;
}

int cli_parse(int argc, char **argv, const char *args, int n_opts,
              const char *const *opts, const char **vals, const char **pos,
              int max_pos, int *n_pos)
{
  *n_pos = 0;
  /* Every option a command takes is in its help (a programming error
   * otherwise, caught by any test that runs the command). */
  for(int k = 0; k < n_opts; k++)
    assert(cli_usage_names(args, opts[k]));
  for(int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if(strncmp(a, "--", 2) == 0) {
      int k;
      for(k = 0; k < n_opts; k++)
        if(strcmp(a, opts[k]) == 0)
          break;
      if(k == n_opts)
        return cli_usage(argv[0], args, "unknown option %s", a);
      if(i + 1 >= argc || argv[i + 1][0] == '\0')
        return cli_usage(argv[0], args, "%s needs a value", a);
      vals[k] = argv[++i];
      continue;
    }
    if(*n_pos >= max_pos)
      return cli_usage(argv[0], args, "unexpected argument \"%s\"", a);
    pos[(*n_pos)++] = a;
  }
  return CLI_OK;
}

int cli_open_store_mode(const char *name, const char *path,
                        enum store_mode mode, struct store **out)
{
  char err[PR_ERR_LEN] = "";
  enum pr_rc rc;

  *out = NULL;
  if(mode == STORE_KIOSK) {       /* a bug in the caller */
    fprintf(stderr, "rostctl %s: internal error: kiosk open\n", name);
    return CLI_FAIL;
  }
  rc = store_open_mode(path, mode, out, err);
  switch(rc) {
  case PR_OK:
    return CLI_OK;
  case PR_EBUSY:
    fprintf(stderr, "rostctl %s: %s.  Nothing was done; close that program "
            "or try again later (counts, export, check, calls list and "
            "calls stats only read and work meanwhile)\n", name, err);
    return CLI_BUSY;
  case PR_EINVAL:
  case PR_ECORRUPT:
    fprintf(stderr, "rostctl %s: %s; nothing was changed%s\n", name, err,
            rc == PR_ECORRUPT ? ".  Keep a copy for inspection: the kiosk "
            "program moves a damaged store aside and starts a fresh one "
            "when it starts" : "");
    return CLI_FAIL;
  default:
    fprintf(stderr, "rostctl %s: %s\n", name, err);
    return CLI_FAIL;
  }
}

int cli_open_store(const char *name, const char *path, struct store **out)
{
  return cli_open_store_mode(name, path, STORE_WRITE, out);
}

