/* cli.h — the shape of a rostctl subcommand and small helpers shared by
 * every module that adds one (survey core, phone call list, sync).  A
 * subcommand is one line in rostctl.c's command table pointing to a
 * function declared in its own module's header.  No parsing framework. */
#ifndef CLI_H
#define CLI_H

#include "pr.h"
#include "store.h"

/* Exit codes of every subcommand. */
#define CLI_OK    0   /* done */
#define CLI_FAIL  1   /* the command ran and found a problem */
#define CLI_USAGE 2   /* wrong input: a message and the usage were shown */
#define CLI_BUSY  3   /* the store is in use by another program that
                         writes to it (the kiosk, rost-phone, another
                         rostctl): nothing was done; try again later */

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

/* 1 when the help text usage names the long option opt ("mode" or
 * "--mode") as a whole word ("--mode", not "--modes"), else 0.  Programs
 * refuse an option their help does not name, so the help is always the
 * whole list. */
int cli_usage_names(const char *usage, const char *opt);

struct option;
/* 0 when every "--name" in argv[1..] is spelled out in full as one of
 * opts (getopt_long would take a unique prefix: "--to" for "--token");
 * else prints which one is not, with usage, to stderr and returns -1. */
int cli_exact_longopts(int argc, char **argv, const struct option *opts,
                       const char *usage);

/* Open the store at path for staff command name in mode (store.h):
 * STORE_READ for a command that only reads (it works while the kiosk
 * runs), STORE_WRITE for one that writes, STORE_CREATE for the two that
 * may prepare a new store (set-pin, calls import).  Never STORE_KIOSK: a
 * staff command never moves a file aside, and refuses a file that is not
 * a Patientröst store without touching it.  Problems are printed as
 * "rostctl NAME: ..." on stderr.  Returns CLI_OK with *out the caller's;
 * CLI_BUSY when another program holds the writers' lock; else CLI_FAIL.
 * *out is NULL on failure. */
int cli_open_store_mode(const char *name, const char *path,
                        enum store_mode mode, struct store **out);
/* cli_open_store_mode(name, path, STORE_WRITE, out). */
int cli_open_store(const char *name, const char *path, struct store **out);


#endif
