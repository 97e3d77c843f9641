/* lettercmd.h — the rost-agg commands of the letters: `recipients
 * add|list|remove` (who gets the monthly letters and alerts) and
 * `letters [run|list|resend ID] [--dry-run]` (compose what is due, send
 * the outbox; meant for a systemd timer).  Each takes argc/argv after the
 * command name and returns an exit status (0 ok, 1 failure, 2 usage). */
#ifndef LETTERCMD_H
#define LETTERCMD_H

int lettercmd_recipients(int argc, char **argv);
int lettercmd_letters(int argc, char **argv);

#endif
