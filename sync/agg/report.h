/* report.h — the aggregates commands of rost-agg: `report` prints the same
 * published table as the API and dashboard (suppression applied) for a
 * unit, period and indicator; `user add` and `token add` create accounts
 * and API tokens.  Each takes argc/argv after the command name and returns
 * an exit status (0 ok, 1 failure, 2 usage). */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>
#include "indicq.h"

int report_cmd_report(int argc, char **argv);
int report_cmd_user(int argc, char **argv);
int report_cmd_token(int argc, char **argv);

/* Print r as a terminal table to f (what `report` shows). */
void report_print(FILE *f, const struct indicq_result *r);

#endif
