/* aggcli.h — what every rost-agg command does before its own work: read
 * the --config file first (so flags override it), take only options that
 * are spelled out in full and named in the command's help, and open the
 * migrated database.  It does not know any command's own options. */
#ifndef AGGCLI_H
#define AGGCLI_H

#include "aggconf.h"
#include "aggdb.h"

struct option;

/* Returned by aggcli_getopt for an option the command's help does not
 * name (the refusal is already printed). */
#define AGGCLI_REFUSED (-2)

/* Defaults into *conf, then the file of every "--config F" or
 * "--config=F" in argv[1..], then check that every "--name" is one of
 * opts in full (cli_exact_longopts), and restart getopt (optind = 1).
 * 0, or -1 after printing why on stderr. */
int aggcli_begin(int argc, char **argv, const struct option *opts,
                 const char *usage, struct aggconf *conf);

/* getopt_long(argc, argv, shortopts, opts, NULL), but an option that usage
 * does not name (cli_usage_names) is refused: "rost-agg CMD: --NAME gäller
 * inte det här kommandot" and the usage go to stderr and the result is
 * AGGCLI_REFUSED.  Short options and --help are never refused. */
int aggcli_getopt(int argc, char **argv, const char *shortopts,
                  const struct option *opts, const char *usage);

/* Open the database conf names and migrate every component; NULL after
 * printing "rost-agg: why" on stderr.  The result is the caller's
 * (aggdb_close). */
struct aggdb *aggcli_open_db(const struct aggconf *conf);

#endif
