/* aggconf.h — the aggregator's configuration: documented defaults, a
 * "key = value" file (assets/agg/rost-agg.conf.example lists every key),
 * then command-line overrides.  Keys it does not know are kept so other
 * modules (aggregates: suppression threshold, goal ...) read their own
 * with aggconf_get.  No I/O besides reading the file. */
#ifndef AGGCONF_H
#define AGGCONF_H

#include "pr.h"

#define AGGCONF_STR 512
#define AGGCONF_MAX_EXTRA 64

struct aggconf {
  char db[AGGCONF_STR];        /* db = sqlite:/var/lib/rost-agg/agg.db */
  char listen_addr[64];        /* listen = 127.0.0.1:8443 (IPv4 only) */
  int port;
  char cert[AGGCONF_STR];      /* cert = PEM server certificate (chain) */
  char key[AGGCONF_STR];       /* key = PEM private key */
  char tls_priority[256];      /* tls_priority = GnuTLS priority string */
  char sets_dir[AGGCONF_STR];  /* sets_dir = seed sets at first start */
  int threads;                 /* threads = 0: a thread per connection
                                  (uploads block in the group commit);
                                  N > 0: a pool of N on epoll */
  int conn_timeout;            /* timeout = 15: idle seconds before cut */
  int request_deadline;        /* request_deadline = 30: whole request */
  int conn_limit;              /* conn_limit = 1000 */
  int per_ip_limit;            /* per_ip_limit = 64 (kiosks behind NAT) */
  long max_body;               /* max_body = 2097152 bytes */
  int max_batch;               /* max_batch = 1000 responses */
  int retry_after;             /* retry_after = 30 seconds */
  int device_inflight;         /* device_inflight = 4: open requests per
                                  device token; more get 429 */
  int n_extra;
  char extra_key[AGGCONF_MAX_EXTRA][64];
  char extra_val[AGGCONF_MAX_EXTRA][AGGCONF_STR];
};

/* Fill c with the documented defaults. */
void aggconf_defaults(struct aggconf *c);

/* Read "key = value" lines ('#' comments, blank lines) into c over what it
 * holds.  PR_EIO when the file cannot be read; PR_EINVAL with "FILE:LINE:
 * problem" for a malformed line or a bad value.  On failure c may be
 * partly updated (callers then exit). */
enum pr_rc aggconf_load(struct aggconf *c, const char *path, char *err) PR_MUST;

/* Set one key (file keys or the long option names); same errors. */
enum pr_rc aggconf_set(struct aggconf *c, const char *key, const char *val,
                       char *err) PR_MUST;

/* The same from one "KEY=VALUE" string (the --set option); PR_EINVAL
 * when there is no '='. */
enum pr_rc aggconf_set_kv(struct aggconf *c, const char *kv, char *err) PR_MUST;

/* Value of an extra (module-specific) key, borrowed; NULL when unset. */
const char *aggconf_get(const struct aggconf *c, const char *key);

#endif
