/* scrub.h — the free-text scrubber: replaces personnummer and
 * samordningsnummer, phone numbers and e-mail addresses in a patient's
 * comment with markers ("[personnummer]", "[telefon]", "[e-post]") before
 * the text may leave the kiosk.  Names it finds only when told them (the
 * call list's); it works on bytes of UTF-8 text and never changes anything else. */
#ifndef SCRUB_H
#define SCRUB_H

#include "pr.h"

enum scrub_kind {
  SCRUB_PNR = 0,   /* personnummer / samordningsnummer, 10 or 12 digits */
  SCRUB_PHONE,     /* Swedish or international phone number */
  SCRUB_EMAIL,     /* e-mail address */
  SCRUB_NUMBER,    /* any other unbroken run of 9 or more digits */
  SCRUB_NAME,      /* a name the kiosk knows (call list), whole word */
  SCRUB_N_KINDS
};

/* How many of each kind one call replaced. */
struct scrub_stats {
  int n[SCRUB_N_KINDS];
};

/* The marker text of kind k ("[telefon]"); never NULL. */
const char *scrub_marker(enum scrub_kind k);

/* Scrub the NUL-terminated text in.  On PR_OK *out is a new string, the
 * caller's (pr_free), and st (may be NULL) holds the counts.  On failure
 * (PR_ENOMEM only, or PR_EINVAL for a NULL in) *out is NULL.
 *
 * What is replaced:
 *  - personnummer: YYMMDD-NNNN, YYMMDD+NNNN, YYMMDD NNNN, YYYYMMDD-NNNN,
 *    YYYYMMDD NNNN (also with an en dash or " - "), and 10 or 12 digits
 *    written together, whether or not the check digit or the date holds
 *    (day + 60 included); the date may also be written in parts split by
 *    spaces, '-' or '.' ("1912 12 12-1212", "12 12 12-1212",
 *    "12-12-12-1212", "12 12 12 1212"): then the month must be 01..12 and
 *    the day 01..31 or 61..91, and after a date split by '-' or '.' the
 *    last four need '-', '+' or a dash ("2026-11-24 1430" is a date and a
 *    time);
 *  - phone: a number starting with 0, +CC or 00CC whose digit groups are
 *    separated by single spaces, '-', '.', '/', an en dash, " - " or
 *    "(0)", with 8 to 10 digits in the national form (7 to 13 after a
 *    country code); a bare 10-digit run starting with 0 is a phone number.
 *    '/' only after the area code; '.' only when every separator is a dot
 *    ("070.174.06.05") except the one after the area or country code
 *    ("070.174 06 05", "+46 70.174.06.05"), and after a two-digit area
 *    code a dot only before 3 or more digits ("08.123 45 67" yes,
 *    "08.15-09.40" no); DD-MM-YYYY and DD.MM.YYYY dates are not phones;
 *  - e-mail: local@domain.tld;
 *  - a number of 5 to 12 digits (groups split by a space or '-') right
 *    after a phone word ("ring", "tel", "mobil", "nummer", "sms", ...):
 *    a local number without area code;
 *  - any other run of 9 or more digits.
 * Not replaced: dates ("3/12", "2026-11-24", "01/12/2026", "01-12-2026",
 * "01.12.2026"), times and time ranges ("kl 14.30", "08.15-09.40"),
 * years, amounts ("350 kr"), room numbers, doses ("500 mg"), counts. */
enum pr_rc scrub_text(const char *in, char **out,
                      struct scrub_stats *st) PR_MUST;

/* The same, and also every whole-word occurrence of one of the n_names
 * words in names (e.g. the name parts of the phone call list: the kiosk
 * cannot recognise names in general, but it knows these) is replaced by
 * "[namn]".  ASCII letters compare case-insensitively, other bytes
 * exactly; words shorter than 2 bytes are ignored. */
enum pr_rc scrub_text_names(const char *in, const char *const *names,
                            int n_names, char **out,
                            struct scrub_stats *st) PR_MUST;

#endif
