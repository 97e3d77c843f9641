/* audit.h — the pull audit log: every read of aggregates (API, CSV,
 * dashboard, Excel, CLI report) is written down with who, what and when,
 * before the figures are sent.  Sign-ins and refusals are logged too.  It
 * stores names of accounts and tokens, never a patient detail. */
#ifndef AUDIT_H
#define AUDIT_H

#include <time.h>
#include "aggdb.h"

/* Create the audit table (component "aggregates-audit").  Idempotent. */
enum pr_rc audit_migrate(struct aggdb *db, char *err) PR_MUST;

/* Append one entry: who (account/token/"cli:<user>"), what ("indicators",
 * "dashboard", "export.xlsx", "report", "login-failed", "denied"), and a
 * short detail (the filter, e.g. "indicator=nojdhet unit=SE... span=...").
 * Strings are cut to 64 / 32 / 512 bytes.  A failure to log is returned so
 * the caller refuses the pull rather than serve it unlogged. */
enum pr_rc audit_log(struct aggdb *db, time_t when, const char *who,
                     const char *what, const char *detail, char *err) PR_MUST;

/* Entries in [from, to] (unix seconds), newest first, at most max, each
 * passed to fn(ctx, when, who, what, detail); fn returns 0 to go on. */
typedef int (*audit_row_fn)(void *ctx, long when, const char *who,
                            const char *what, const char *detail);
enum pr_rc audit_list(struct aggdb *db, long from, long to, int max,
                      audit_row_fn fn, void *ctx, char *err) PR_MUST;

#endif
