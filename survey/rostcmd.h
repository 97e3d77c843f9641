/* rostcmd.h — the survey core's rostctl subcommands: validate and list
 * question sets, local counts per indicator, CSV export, store check and
 * the staff PIN, and a set printed for proof-reading.  Each is a cli_fn
 * (see cli.h) listed in rostctl.c. */
#ifndef ROSTCMD_H
#define ROSTCMD_H

#include "cli.h"
#include "vocab.h"

/* Each command's arguments, as its usage message and rostctl --help show
 * them: every option it takes is named (cli_parse checks). */
#define VALIDATE_ARGS "FILE..."
#define SETS_ARGS "[DIR]"
#define SHOW_ARGS "FILE|SET-ID [--lang sv|en|ar] [--easy yes] [--sets DIR]"
#define COUNTS_ARGS "--store PATH [--sets DIR] [--mode kiosk|phone] " \
  "[--track " VOCAB_TRACK_ARG "] [--care " VOCAB_CARE_ARG "] " \
  "[--unit HSA-ID] [--span 2026|2026-K1|2026-03|FROM..TO] " \
  "[--from YYYY-MM-DD] [--to YYYY-MM-DD] " \
  "[--period week|month|quarter|year|range]"
#define EXPORT_ARGS "--store PATH"
#define CHECK_ARGS "--store PATH"
#define SETPIN_ARGS "--store PATH   (the PIN is read from stdin, not argv)"

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
