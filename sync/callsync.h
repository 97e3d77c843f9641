/* callsync.h — the sync round's call-statistics step: the phone follow-up's
 * weekly counts (survey/callstat.h: entries, calls, final dispositions,
 * SIPs per ISO week — no personal data, no unit: the token decides it) go
 * to the aggregator's POST /api/v1/callstats (sync/PROTOCOL.md).  Only the
 * weeks from the newest one already acknowledged on are sent, and nothing
 * when they have not changed since; the server replaces a week it already
 * has, so a resend after a lost reply is harmless. */
#ifndef CALLSYNC_H
#define CALLSYNC_H

#include <stddef.h>

#include "dispo.h"
#include "pr.h"
#include "store.h"
#include "uplink.h"

/* The request body for the n weeks w (oldest first, at most one row per
 * week): {"protocol":1,"weeks":[{"week":"2026-W48","entries":3,...,
 * "outcomes":{"complete":2}}]}; counts that are 0 are left out.  *out is
 * the caller's (pr_free). */
enum pr_rc callsync_body(const struct dispo_week *w, int n, char **out,
                         size_t *len) PR_MUST;

/* Run the step on store st through up to base url with the device token.
 * *sent: weeks acknowledged this round (0 when nothing changed).  PR_OK;
 * PR_ENET / PR_ETLS (transport); PR_EAUTH (401/403); PR_EBUSY (429/503,
 * *retry_after set); PR_EPROTO (another status, or a 2xx that is not the
 * protocol's reply); PR_EDB.  A 404 — an aggregator from before this
 * endpoint — is PR_OK with nothing sent; the next round tries again.
 * *http_status: the status seen (unchanged when no request was made). */
enum pr_rc callsync_run(struct store *st, struct uplink *up, const char *url,
                        const char *token, int *sent, long *http_status,
                        long *retry_after, char *err) PR_MUST;

#endif
