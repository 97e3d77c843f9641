/* callcheck.h — checks and normalises what people type or import for the
 * phone call list (name, phone number, personnummer, discharge date, track,
 * care type, consent) and scrubs free text of a called person's details.
 * Pure: no clock, no I/O.  Error texts name the field, never the value. */
#ifndef CALLCHECK_H
#define CALLCHECK_H

#include <stddef.h>
#include "calllist.h"

/* Validate and normalise one input (today = pdate day for "future"
 * checks).  PR_EINVAL with err naming the field and the problem (never the
 * value); *out zeroed then. */
enum pr_rc callcheck_entry(const struct calllist_input *in, long today,
                           struct calllist_entry *out, char *err) PR_MUST;

/* Copy text to out (cap bytes) with the entry's name parts, phone number
 * and personnummer replaced by "[namn]", "[telefon]", "[personnummer]", so
 * free text typed during the call cannot carry them into a response.
 * PR_ELIMIT when out is too small. */
enum pr_rc callcheck_scrub(const struct calllist_entry *e, const char *text,
                           char *out, size_t cap) PR_MUST;

#endif
