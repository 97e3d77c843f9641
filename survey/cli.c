/* cli.c — This file contains the helpers every rostctl subcommand uses:
 * usage messages with the right exit code, "--opt VALUE" parsing, and
 * opening an existing store without ever creating one by mistake. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"

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

int cli_parse(int argc, char **argv, const char *args, int n_opts,
              const char *const *opts, const char **vals, const char **pos,
              int max_pos, int *n_pos)
{
  *n_pos = 0;
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

int cli_open_store(const char *name, const char *path, struct store **out)
{
  char err[PR_ERR_LEN] = "";
  struct stat st;
  *out = NULL;
  if(stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
    fprintf(stderr, "rostctl %s: no store file at %s\n", name, path);
    return CLI_FAIL;
  }
  if(store_open(path, out, err) != PR_OK) {
    fprintf(stderr, "rostctl %s: %s\n", name, err);
    return CLI_FAIL;
  }
  if(store_recovered_from(*out)) {
    fprintf(stderr, "rostctl %s: the store %s was damaged; it was moved to "
            "%s and a fresh, empty store was started\n", name, path,
            store_recovered_from(*out));
    store_close(*out);
    *out = NULL;
    return CLI_FAIL;
  }
  return CLI_OK;
}
