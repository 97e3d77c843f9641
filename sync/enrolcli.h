/* enrolcli.h — the kiosk's side of enrolment by one-time code: check the
 * server's key against the code before sending it, exchange the code for a
 * device token over HTTPS pinned to that key, store the token (mode 0600)
 * and beside it the enrolment record (address, key pin, device id, unit,
 * name), which later sync rounds use: the enrolled address, and the key
 * as the only trust anchor.  Messages are Swedish (they reach staff). */
#ifndef ENROLCLI_H
#define ENROLCLI_H

#include "enrolcode.h"
#include "pr.h"
#include "sync_config.h"

struct enrolcli_info {
  char url[SYNC_PATH_LEN];
  char pin[ENROLCODE_PIN_LEN];
  char device[32];
  char unit[48];
  char name[96];
};

/* Path of the enrolment record: "<token_file>.enrol".  0 / -1. */
int enrolcli_info_path(const struct sync_config *c, char *buf,
                       size_t cap) PR_MUST;

/* Read the record.  PR_ENOTFOUND when the kiosk was not enrolled by code,
 * PR_EINVAL when it is unreadable or incomplete. */
enum pr_rc enrolcli_info_read(const struct sync_config *c,
                              struct enrolcli_info *out) PR_MUST;

/* When there is a record: sync to its address, trusting its key pin only
 * (pins, pin_only).  Returns 1 when applied, 0 when there is none. */
int enrolcli_apply(struct sync_config *c);

/* Enrol: url "https://host:port", typed the code as a person typed it.
 * Uses c's timeouts and token_file.  On PR_OK the token and record are
 * written and *out (may be NULL) holds the record.  Failures, err in
 * Swedish: PR_EINVAL (not a code / not an https address), PR_ETLS (the
 * server's key does not belong to the code: wrong address, wrong code or
 * someone in between — nothing was sent), PR_ENET, PR_EAUTH (the server
 * refused the code: unknown, used, expired, locked), PR_EBUSY (too many
 * attempts), PR_EPROTO, PR_EIO (token file). */
enum pr_rc enrolcli_run(const struct sync_config *c, const char *url,
                        const char *typed, struct enrolcli_info *out,
                        char *err) PR_MUST;

#endif
