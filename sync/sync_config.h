/* sync_config.h — the kiosk's sync settings: where the aggregator is, the
 * device token file, CA file and pins, how coarse the period is, batch
 * size, timeouts and retry timing.  Read from "sync_key = value" lines
 * (the kiosk's own config file holds other keys; they are ignored).  It
 * does not open the network or the token file. */
#ifndef SYNC_CONFIG_H
#define SYNC_CONFIG_H

#include <stddef.h>

#include "anon.h"
#include "pr.h"

#define SYNC_PATH_LEN 512

struct sync_config {
  char url[SYNC_PATH_LEN];        /* base, "https://agg.example.se:8443" */
  char token_file[SYNC_PATH_LEN]; /* file holding the device token */
  char ca_file[SYNC_PATH_LEN];    /* PEM; "" = system CAs */
  char pins[SYNC_PATH_LEN];       /* "sha256//A=;sha256//B=" or "" */
  char sets_dir[SYNC_PATH_LEN];   /* where new set versions go; "" = none */
  enum anon_period period;        /* week (default) or month */
  int batch;                      /* responses per request (1..1000) */
  long connect_timeout_ms;
  long timeout_ms;                /* one request, whole */
  long low_speed_bytes, low_speed_time_s;
  long interval_s;                /* between rounds when all is well */
  long backoff_base_s, backoff_cap_s;
  long max_reply;                 /* reply body cap, bytes */
  int pin_only;                   /* trust the pins alone (set by an
                                     enrolment by code, enrolcli.h) */
  char shipped_sets_dir[SYNC_PATH_LEN]; /* not a key: the kiosk's own
                                     sets, reported with each round */
};

/* Defaults: week, batch 500, connect 10 s, request 120 s, abort below
 * 100 B/s for 30 s, every 300 s, backoff 10 s .. 1800 s, reply 4 MiB. */
void sync_config_defaults(struct sync_config *c);

/* Set one key ("url", "token_file", "ca_file", "pins", "sets_dir",
 * "period", "batch", "connect_timeout_ms", "timeout_ms", "low_speed_bytes",
 * "low_speed_time_s", "interval_s", "backoff_base_s", "backoff_cap_s",
 * "max_reply"; each may also be written with a "sync_" prefix).
 * PR_ENOTFOUND for a key that is not a sync key; PR_EINVAL with err naming
 * the key for a bad value (c is then unchanged for that key). */
enum pr_rc sync_config_set(struct sync_config *c, const char *key,
                           const char *value, char *err) PR_MUST;

/* Read every sync key from the file at path: in a file the keys carry
 * the "sync_" prefix ("sync_url", "sync_sets_dir", ...), exactly as the
 * kiosk reads its config; every other key is skipped (the kiosk's own
 * "sets_dir", the shipped sets, is not "sync_sets_dir").  PR_EIO when it
 * cannot be read, PR_EINVAL with "path:line: ..." for a bad value or a
 * line without '='. */
enum pr_rc sync_config_load(const char *path, struct sync_config *c,
                            char *err) PR_MUST;

/* Enough to sync?  url https://..., token_file set.  PR_EINVAL with err. */
enum pr_rc sync_config_check(const struct sync_config *c, char *err) PR_MUST;

/* Read the device token from c->token_file: one line of printable
 * characters without spaces, at most cap-1 bytes.  The token is never
 * logged or put into err.  PR_EIO when unreadable, PR_EINVAL when empty or
 * malformed. */
enum pr_rc sync_config_token(const struct sync_config *c, char *tok,
                             size_t cap, char *err) PR_MUST;

#endif
