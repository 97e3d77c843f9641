/* callscmd.h — the "rostctl calls ..." subcommand for the phone call list:
 * import a CSV, list who to call (or every entry), add or correct one by
 * hand, erase (one entry now, or everything past the retention period),
 * and the weekly statistics.  It prints personal data only on stdout for the coordinator
 * at this machine, never in log lines. */
#ifndef CALLSCMD_H
#define CALLSCMD_H

/* rostctl calls SUB ...; see CALLSCMD_ARGS.  Returns a CLI_* code. */
int callscmd(int argc, char **argv);

#define CALLSCMD_ARGS "import|list|add|fix|erase|stats --store PATH ..."

#endif
