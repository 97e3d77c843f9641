/* pdate.h — calendar dates as day numbers (days since 1970-01-01, UTC
 * calendar), ISO 8601 weeks, months and quarters.  Pure functions: no
 * clock, no time zone, no time of day.  Used by the store (response date),
 * anonymisation (week/month coarsening) and the aggregator (periods). */
#ifndef PDATE_H
#define PDATE_H

#include <time.h>
#include "pr.h"

/* "YYYY-MM-DD" -> day number.  Strict: rejects 2026-02-30, junk, spaces. */
int pdate_parse(const char *s, long *day) PR_MUST;           /* 0 / -1 */
void pdate_format(long day, char out[11]);                   /* YYYY-MM-DD */
void pdate_ymd(long day, int *y, int *m, int *d);
long pdate_from_ymd(int y, int m, int d);
int pdate_weekday(long day);                  /* 1 = Monday .. 7 = Sunday */
long pdate_monday(long day);                  /* the Monday of day's week */
/* ISO 8601 week of day: *iso_year may differ from the calendar year. */
void pdate_iso_week(long day, int *iso_year, int *week);
long pdate_iso_week_start(int iso_year, int week);      /* its Monday */
void pdate_format_week(long day, char out[9]);          /* "2026-W01" */
int pdate_parse_week(const char *s, long *monday) PR_MUST;   /* 0 / -1 */
void pdate_format_month(long day, char out[8]);         /* "2026-01" */
int pdate_parse_month(const char *s, long *first) PR_MUST;   /* 0 / -1 */
/* A span expression, as the aggregator's API and CLI and rostctl take it,
 * into [*from, *to] (inclusive day numbers): "2026-W05", "2026-03",
 * "2026-K2" / "2026-Q2", "2026", "2026-01-01" or "A..B" of two of those
 * ("2026-01..2026-06").  0 / -1. */
int pdate_parse_span(const char *s, long *from, long *to) PR_MUST;
/* Local calendar date of a wall-clock time (the kiosk's own date). */
long pdate_local_today(time_t now);

#endif
