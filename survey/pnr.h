/* pnr.h — Swedish personnummer and samordningsnummer: parse the common
 * written forms, check the Luhn digit and the date, and give one canonical
 * form (YYYYMMDD-NNNN).  Pure: no clock (the caller passes today), no I/O.
 * Error texts never repeat the number itself, so they are safe to log. */
#ifndef PNR_H
#define PNR_H

#include "pr.h"

#define PNR_LEN 14   /* "YYYYMMDD-NNNN" + NUL */

struct pnr {
  int year, month, day;   /* birth date (day without the +60) */
  int coordination;       /* 1: samordningsnummer (day + 60 in the number) */
  char canon[PNR_LEN];    /* YYYYMMDD-NNNN, day as written (+60 kept) */
};

/* Parse s: "YYYYMMDD-NNNN", "YYYYMMDDNNNN", "YYMMDD-NNNN", "YYMMDDNNNN" or
 * "YYMMDD+NNNN" ('+' = 100 years or older).  Surrounding spaces are
 * ignored.  today is a day number (pdate) used to pick the century of the
 * short forms and to refuse birth dates in the future.  On success fills
 * *out and returns PR_OK; otherwise PR_EINVAL with err naming the problem
 * (format, date, check digit, future) but never the digits; *out is then
 * zeroed. */
enum pr_rc pnr_parse(const char *s, long today, struct pnr *out,
                     char *err) PR_MUST;

/* Luhn check over the 10 digits YYMMDDNNNN; 1 when valid. */
int pnr_luhn_ok(const char digits10[10]);

/* The Luhn digit that completes the 9 digits YYMMDDNNN (for test data). */
int pnr_luhn_digit(const char digits9[9]);

#endif
