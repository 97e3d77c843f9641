/* report.h — the aggregates commands of rost-agg: `report` prints the same
 * published table as the API and dashboard (suppression applied) for a
 * unit, period and indicator; `user add` and `token add` create accounts
 * and API tokens.  Each takes argc/argv after the command name and returns
 * an exit status (0 ok, 1 failure, 2 usage). */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>
#include "indicq.h"
#include "vocab.h"

/* Each command's usage: every option it takes is named, and an option
 * the usage does not name is refused (cli_usage_names). */
#define REPORT_USAGE "report --indicator NAMN [--unit HSA-ID] " \
  "[--period week|month|quarter|year|range] " \
  "[--span 2026|2026-K1|2026-03|2026-W05|FRÅN..TILL] [--from ÅÅÅÅ-MM-DD] " \
  "[--to ÅÅÅÅ-MM-DD] [--mode kiosk|phone] [--track " VOCAB_TRACK_ARG "] " \
  "[--care " VOCAB_CARE_ARG "] [--set ID] [--version N] [--goal PROCENT] " \
  "[--config F|--db URL]   (utan --span/--from/--to: de 12 senaste hela " \
  "månaderna)"
#define USER_USAGE "user add NAMN --role unit|region|admin [--unit HSA-ID] " \
  "[--config F|--db URL]   (lösenord från standard in)"
#define TOKEN_USAGE "token add NAMN --role unit|region|admin " \
  "[--unit HSA-ID] [--config F|--db URL]   (skriver API-nyckeln en gång)"

int report_cmd_report(int argc, char **argv);
int report_cmd_user(int argc, char **argv);
int report_cmd_token(int argc, char **argv);

/* Print r as a terminal table to f (what `report` shows). */
void report_print(FILE *f, const struct indicq_result *r);

#endif
