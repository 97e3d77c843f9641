/* cli.h — the shape of a rostctl subcommand and small helpers shared by
 * every module that adds one (survey core, phone call list, sync).  A
 * subcommand is one line in rostctl.c's command table pointing to a
 * function declared in its own module's header.  No parsing framework. */
#ifndef CLI_H
#define CLI_H

#include "pr.h"

struct store;

/* Exit codes of every subcommand. */
#define CLI_OK    0   /* done */
#define CLI_FAIL  1   /* the command ran and found a problem */
#define CLI_USAGE 2   /* wrong input: a message and the usage were shown */

/* A subcommand: argv[0] is its name, argv[argc] is NULL.  Returns a CLI_*
 * exit code; prints results on stdout and messages on stderr. */
typedef int (*cli_fn)(int argc, char **argv);

struct cli_cmd {
  const char *name;   /* "counts" */
  cli_fn fn;
  const char *args;   /* "--store PATH [--sets DIR]" */
  const char *help;   /* one line */
};

/* Print "rostctl NAME: message" and "usage: rostctl NAME ARGS" on stderr;
 * returns CLI_USAGE. */
int cli_usage(const char *name, const char *args, const char *fmt, ...)
    PR_PRINTF(3, 4);

/* Parse "--opt VALUE" pairs: for each i, opts[i] names an option
 * ("--store") and vals[i] receives its value (left unchanged when absent).
 * Positional arguments go to pos (up to max_pos, count in *n_pos).
 * Returns CLI_OK or CLI_USAGE (message printed). */
int cli_parse(int argc, char **argv, const char *args, int n_opts,
              const char *const *opts, const char **vals, const char **pos,
              int max_pos, int *n_pos);

/* Open an EXISTING store for a staff command (never creates one).  A
 * corrupt file is moved aside by store_open; that is reported on stderr
 * and counts as failure.  Returns CLI_OK with *out the caller's, or
 * CLI_FAIL with *out NULL. */
int cli_open_store(const char *name, const char *path, struct store **out);

#endif
