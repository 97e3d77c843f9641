/* synccmd.h — "rostctl sync": run one sync round from the command line
 * (the same code the kiosk's worker runs) and print what happened.  It
 * only reads settings; it never changes the configuration. */
#ifndef SYNCCMD_H
#define SYNCCMD_H

#define SYNCCMD_ARGS "--config F | --store P --url U --token-file F " \
                     "[--ca F] [--pins P] [--sets DIR] [--period week|month]"

/* The subcommand (cli.h shape).  Exit 0 when the round succeeded, 1 when
 * it ran and failed (the reason on stderr), 2 for wrong input. */
int synccmd(int argc, char **argv);

#endif
