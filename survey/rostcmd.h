/* rostcmd.h — the survey core's rostctl subcommands: validate and list
 * question sets, local counts per indicator, CSV export, store check and
 * the staff PIN, and a set printed for proof-reading.  Each is a cli_fn
 * (see cli.h) listed in rostctl.c. */
#ifndef ROSTCMD_H
#define ROSTCMD_H

#include "cli.h"

int rostcmd_validate(int argc, char **argv);
int rostcmd_sets(int argc, char **argv);
int rostcmd_show(int argc, char **argv);
int rostcmd_counts(int argc, char **argv);
int rostcmd_export(int argc, char **argv);
int rostcmd_check(int argc, char **argv);
int rostcmd_set_pin(int argc, char **argv);

/* Default directory of the shipped question sets. */
const char *rostcmd_sets_dir(void);

#endif
