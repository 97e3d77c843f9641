/* lettercmd.h — the rost-agg commands of the letters: `recipients
 * add|list|remove` (who gets the monthly letters and alerts) and
 * `letters [run|list|resend ID] [--dry-run]` (compose what is due, send
 * the outbox; meant for a systemd timer).  Each takes argc/argv after the
 * command name and returns an exit status (0 ok, 1 failure, 2 usage). */
#ifndef LETTERCMD_H
#define LETTERCMD_H

/* The commands' help lines; each names every option the command takes
 * (the parser refuses the others). */
#define LETTERCMD_RECIPIENTS_USAGE "recipients add|list|remove [E-POST] " \
  "[--unit HSA-ID --role kvalitet|verksamhetschef] [--config F|--db URL] " \
  "[--set NYCKEL=VÄRDE]"
#define LETTERCMD_LETTERS_USAGE "letters [run|list|resend ID] [--dry-run] " \
  "[--max N] [--config F|--db URL] [--set NYCKEL=VÄRDE]   (månadsbrev och larm)"

int lettercmd_recipients(int argc, char **argv);
int lettercmd_letters(int argc, char **argv);

#endif
