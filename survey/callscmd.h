/* callscmd.h — the "rostctl calls ..." subcommand for the phone call list:
 * import a CSV, list who to call (or every entry), add or correct one by
 * hand, erase (one entry now, or everything past the retention period),
 * and the weekly statistics.  It prints personal data only on stdout for the coordinator
 * at this machine, never in log lines. */
#ifndef CALLSCMD_H
#define CALLSCMD_H

#include "vocab.h"

/* rostctl calls SUB ...; see CALLSCMD_ARGS.  Returns a CLI_* code. */
int callscmd(int argc, char **argv);

/* The whole usage, as rostctl --help and a usage message show it: every
 * option named. */
#define CALLSCMD_ARGS \
  "import --store PATH --unit HSA-ID FILE.csv [--days 3-7]\n"\
  "       | list --store PATH [--unit HSA-ID] [--all yes] [--csv yes]"\
  " [--days 3-7] [--hours 09:00-18:00] [--attempts 3]\n"\
  "       | add --store PATH --unit HSA-ID --name N --phone P [--pnr X]"\
  " --discharge YYYY-MM-DD --track " VOCAB_TRACK_ARG " --care "\
  VOCAB_CARE_ARG\
  " --consent ja|nej\n"\
  "       | fix --store PATH ID [--name N] [--phone P] [--pnr X]"\
  " [--discharge D] [--track T] [--care C] [--consent ja|nej]\n"\
  "       | erase --store PATH (ID | --expired yes) [--retention 14]"\
  " [--days 3-7]\n"\
  "       | stats --store PATH\n"\
  "       (each also takes --config KIOSK.CONF: the kiosk's store and"\
  " phone_* settings, for options not given)"

#endif
