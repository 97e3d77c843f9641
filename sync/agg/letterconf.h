/* letterconf.h — the settings of the monthly letters and alerts (SMTP
 * server, dashboard link, alert rule and thresholds, retry backoff), read
 * from the aggregator's config (aggconf_get).  One table lists every key
 * with its default, so assets/agg/rost-agg.conf.example and a test stay in
 * step with the code.  No I/O besides reading the SMTP password file. */
#ifndef LETTERCONF_H
#define LETTERCONF_H

#include "aggconf.h"

/* Alert rules (alert_rule = off | goal | quarter | both). */
enum letterconf_rule {
  LETTERCONF_RULE_OFF = 0,
  LETTERCONF_RULE_GOAL = 1,      /* upper bound under the goal N months */
  LETTERCONF_RULE_QUARTER = 2,   /* quarter's interval below the previous */
  LETTERCONF_RULE_BOTH = 3
};

struct letterconf {
  char smtp_url[AGGCONF_STR];     /* smtps://host:465 or smtp://host:587 */
  char smtp_user[128];
  char smtp_password[256];        /* read from smtp_password_file */
  char smtp_ca[AGGCONF_STR];      /* "" = the system's CA store */
  char smtp_from[256];
  long smtp_timeout;              /* seconds for one whole send */
  char base_url[AGGCONF_STR];     /* the dashboard's address */
  long retry_base, retry_max;     /* backoff seconds: base * 2^k, capped */
  long max_attempts;              /* then state "failed" (kept, listed) */
  long sending_stale;             /* "sending" this long: "uncertain" */
  enum letterconf_rule rule;
  long goal_months;               /* consecutive months under the goal */
  long min_n;                     /* cells with fewer answers never alert */
};

struct letterconf_key {
  const char *key;
  const char *def;                /* default, as written in the example */
};
extern const struct letterconf_key letterconf_keys[];
extern const int letterconf_n_keys;

/* Fill out from c (defaults for keys not set).  PR_EINVAL naming the key
 * for a bad value; PR_EIO when smtp_password_file is set but unreadable.
 * need_smtp: smtp_url and smtp_from must be set and the URL must be
 * smtp:// or smtps:// (sending); 0 for a dry run. */
enum pr_rc letterconf_load(const struct aggconf *c, int need_smtp,
                           struct letterconf *out, char *err) PR_MUST;

/* Swedish sentence stating the rule in force and its thresholds (what the
 * alerts and the README say), into out. */
void letterconf_rule_text(const struct letterconf *lc, char *out, size_t cap);

#endif
