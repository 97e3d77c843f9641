/* enrolcmd.h — "rostctl enrol": enrol this kiosk with a one-time code from
 * `rost-agg enrol` (enrolcli.h), for IT scripts.  It writes the token and
 * the enrolment record named by the kiosk config's sync_token_file; the
 * running kiosk's sync picks them up by itself. */
#ifndef ENROLCMD_H
#define ENROLCMD_H

#define ENROLCMD_ARGS "--config F | --token-file F, --url https://... " \
                      "--code XXXX-XXXX-XXXX"

/* The subcommand (cli.h shape).  0 enrolled, 1 refused or failed (the
 * reason on stderr, nothing written), 2 wrong input. */
int enrolcmd(int argc, char **argv);

#endif
