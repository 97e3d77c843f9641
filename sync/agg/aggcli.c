/* aggcli.c — This file contains the start every rost-agg command shares
 * (aggcli.h): the configuration file before the flags, the refusal of
 * options a command's help does not name, and opening the database. */
#include "aggcli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "aggschema.h"
#include "cli.h"

int aggcli_begin(int argc, char **argv, const struct option *opts,
                 const char *usage, struct aggconf *conf)
{
  char err[PR_ERR_LEN];
  int i;

  aggconf_defaults(conf);
  /* The file first wherever --config stands, so that every flag given
   * with it overrides what the file says. */
  for(i = 1; i < argc; i++) {
    const char *path = NULL;
    if(!strcmp(argv[i], "--config") && i + 1 < argc)
      path = argv[i + 1];
    else if(!strncmp(argv[i], "--config=", 9))
      path = argv[i] + 9;
    if(path && aggconf_load(conf, path, err) != PR_OK) {
      fprintf(stderr, "rost-agg: %s\n", err);
      return -1;
    }
  }
  if(cli_exact_longopts(argc, argv, opts, usage) != 0)
    return -1;
  optind = 1;
  return 0;
}

int aggcli_getopt(int argc, char **argv, const char *shortopts,
                  const struct option *opts, const char *usage)
{
  int li = -1, c = getopt_long(argc, argv, shortopts, opts, &li);

  /* The help names every option a command takes: refuse the others
   * (--help itself is never in it). */
  if(c != -1 && c != '?' && li >= 0 && strcmp(opts[li].name, "help") != 0 &&
     !cli_usage_names(usage, opts[li].name)) {
    fprintf(stderr, "rost-agg %s: --%s gäller inte det här kommandot\n"
                    "Användning: rost-agg %s\n", argv[0], opts[li].name,
            usage ? usage : argv[0]);
    return AGGCLI_REFUSED;
  }
  return c;
}

struct aggdb *aggcli_open_db(const struct aggconf *conf)
{
  struct aggdb *db = NULL;
  char err[PR_ERR_LEN];

  if(aggschema_open(conf->db, &db, err) != PR_OK)
    fprintf(stderr, "rost-agg: %s\n", err);
  return db;
}
