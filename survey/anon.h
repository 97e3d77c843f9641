/* anon.h — builds the anonymised wire record of one stored response: only
 * the fields sync/PROTOCOL.md allows (uuid, set, version, mode, lang,
 * proxy, status, period, track, care, answers), the date coarsened to an
 * ISO week or a month, free text passed through the scrubber.  It never
 * reads the unit, the exact date or anything else, and does no I/O. */
#ifndef ANON_H
#define ANON_H

#include <jansson.h>

#include "pr.h"
#include "store.h"

enum anon_period { ANON_WEEK = 0, ANON_MONTH = 1 };

/* "week" / "month" -> *out; 0 on success, -1 for anything else. */
int anon_period_parse(const char *s, enum anon_period *out) PR_MUST;

/* Build the wire object of r.  On PR_OK *out is a new JSON object, the
 * caller's (json_decref).  PR_EINVAL (err names the field, never its
 * content) when r cannot be sent as is: an unfinished response, a bad
 * uuid, date, id or language code.  *out is NULL on failure.
 * Control characters in free text other than newline and tab are sent as
 * spaces.  A track or care value outside the protocol's words is sent as null
 * rather than passed through; phone fields are null for kiosk responses.
 * *scrubbed (may be NULL) gets how many identifiers the scrubber replaced. */
enum pr_rc anon_response(const struct store_response *r,
                         enum anon_period period, json_t **out,
                         int *scrubbed, char *err) PR_MUST;

/* The same, and free text also loses the n_names known names (the call
 * list's name parts, borrowed) — see scrub_text_names. */
enum pr_rc anon_response_names(const struct store_response *r,
                               enum anon_period period,
                               const char *const *names, int n_names,
                               json_t **out, int *scrubbed,
                               char *err) PR_MUST;

#endif
