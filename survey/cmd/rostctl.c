/* rostctl.c — This file contains rostctl, the staff/IT command-line tool:
 * a table of subcommands, each a function in its own module.  To add one,
 * add ONE line to `commands` and include your module's header. */
#include <stdio.h>
#include <string.h>

#include "callscmd.h"
#include "cli.h"
#include "pr.h"
#include "rostcmd.h"
#include "synccmd.h"
#include "enrolcmd.h"
#include "version.h"

static const struct cli_cmd commands[] = {
  {"validate", rostcmd_validate, VALIDATE_ARGS,
   "check question-set files; names file, question and problem"},
  {"sets", rostcmd_sets, SETS_ARGS, "list the question sets in DIR"},
  {"show", rostcmd_show, SHOW_ARGS,
   "print a set as the patient/interviewer meets it, for proof-reading"},
  {"counts", rostcmd_counts, COUNTS_ARGS,
   "local counts per set and indicator (positive/negative/vet ej), cut "
   "like the aggregator's"},
  {"export", rostcmd_export, EXPORT_ARGS,
   "all local answers as CSV for Excel, to stdout"},
  {"check", rostcmd_check, CHECK_ARGS,
   "integrity check, schema version, responses waiting to sync"},
  {"set-pin", rostcmd_set_pin, SETPIN_ARGS,
   "set the staff PIN (read from stdin or a hidden prompt)"},
  {"calls", callscmd, CALLSCMD_ARGS, "phone call list: import, list, add, erase, stats"},
  {"sync", synccmd, SYNCCMD_ARGS, "run one sync round now and print what happened"},
  {"enrol", enrolcmd, ENROLCMD_ARGS, "connect this kiosk to the aggregator with a one-time code"},
  /* Other modules add their line here, e.g. {"calls", ...}, {"sync", ...}. */
};

static void usage(FILE *f)
{
  fprintf(f, "usage: rostctl COMMAND [ARGS] | --version\n\ncommands:\n");
  for(size_t i = 0; i < PR_ARRAY_LEN(commands); i++)
    fprintf(f, "  %s %s\n      %s\n", commands[i].name, commands[i].args,
            commands[i].help);
  fprintf(f, "\nCommands that only read the store (counts, export, check, "
          "calls list, calls stats)\nopen it read-only and work while the "
          "kiosk runs; no command moves or creates a store\nby mistake "
          "(set-pin and calls import may create a new one).\n"
          "exit: 0 done, 1 a problem found, 2 wrong input, 3 the store is in "
          "use by another\nprogram that writes to it (try again later)\n");
}

int main(int argc, char **argv)
{
  if(pr_init() != PR_OK) {
    fprintf(stderr, "rostctl: libsodium could not start\n");
    return CLI_FAIL;
  }
  if(argc < 2) {
    fprintf(stderr, "rostctl: no command given\n");
    usage(stderr);
    return CLI_USAGE;
  }
  if(strcmp(argv[1], "--version") == 0) {
    printf("rostctl %s\n", version_string());
    return CLI_OK;
  }
  if(strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
     strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return CLI_OK;
  }
  for(size_t i = 0; i < PR_ARRAY_LEN(commands); i++)
    if(strcmp(argv[1], commands[i].name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "rostctl: unknown command \"%s\"\n", argv[1]);
  usage(stderr);
  return CLI_USAGE;
}
