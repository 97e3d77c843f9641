/* pdate.c — This file contains calendar arithmetic on day numbers: strict
 * parsing and formatting of dates, ISO 8601 weeks (which cross New Year),
 * months, and the kiosk's local date.  The civil-from-days conversion is
 * Howard Hinnant's proleptic Gregorian algorithm. */
#include "pdate.h"

#include <string.h>

long pdate_from_ymd(int y, int m, int d)
{
  long yy = (long)y - (m <= 2);
  long era = (yy >= 0 ? yy : yy - 399) / 400;
  long yoe = yy - era * 400;
  long mp = (m + 9) % 12;                     /* March = 0 */
  long doy = (153 * mp + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void pdate_ymd(long day, int *y, int *m, int *d)
{
  long z = day + 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long dd = doy - (153 * mp + 2) / 5 + 1;
  long mm = mp < 10 ? mp + 3 : mp - 9;
  long yy = yoe + era * 400 + (mm <= 2);
  *y = (int)yy;
  *m = (int)mm;
  *d = (int)dd;
}

static int days_in_month(int y, int m)
{
  static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : dim[m - 1];
}

/* Write v (taken modulo 10^width) as exactly width digits; returns the
 * position after them.  Avoids printf width guesses on out-parameters of
 * fixed size. */
static char *put_num(char *o, long v, int width)
{
  if(v < 0)
    v = -v;
  for(int i = width - 1; i >= 0; i--) {
    o[i] = (char)('0' + v % 10);
    v /= 10;
  }
  return o + width;
}

/* Parse exactly n ASCII digits at s. */
static int digits(const char *s, int n, int *out)
{
  int v = 0;
  for(int i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

int pdate_parse(const char *s, long *day)
{
  int y, m, d;
  if(!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  if(digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
    return -1;
  if(y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  *day = pdate_from_ymd(y, m, d);
  return 0;
}

void pdate_format(long day, char out[11])
{
  int y, m, d;
  pdate_ymd(day, &y, &m, &d);
  char *o = put_num(out, y, 4);
  *o++ = '-';
  o = put_num(o, m, 2);
  *o++ = '-';
  o = put_num(o, d, 2);
  *o = '\0';
}

int pdate_weekday(long day)
{
  /* 1970-01-01 was a Thursday (4). */
  long w = (day + 3) % 7;
  if(w < 0)
    w += 7;
  return (int)w + 1;
}

long pdate_monday(long day)
{
  return day - (pdate_weekday(day) - 1);
}

long pdate_iso_week_start(int iso_year, int week)
{
  /* Week 1 is the week that holds 4 January. */
  long jan4 = pdate_from_ymd(iso_year, 1, 4);
  long monday1 = jan4 - (pdate_weekday(jan4) - 1);
  return monday1 + 7L * (week - 1);
}

void pdate_iso_week(long day, int *iso_year, int *week)
{
  /* The Thursday of day's week decides the ISO year. */
  long thursday = day - (pdate_weekday(day) - 1) + 3;
  int y, m, d;
  pdate_ymd(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (int)((thursday - pdate_from_ymd(y, 1, 1)) / 7) + 1;
}

void pdate_format_week(long day, char out[9])
{
  int y, w;
  pdate_iso_week(day, &y, &w);
  char *o = put_num(out, y, 4);
  *o++ = '-';
  *o++ = 'W';
  o = put_num(o, w, 2);
  *o = '\0';
}

static int iso_weeks_in_year(int y)
{
  int yy, w;
  pdate_iso_week(pdate_from_ymd(y, 12, 28), &yy, &w);
  return w;
}

int pdate_parse_week(const char *s, long *monday)
{
  int y, w;
  if(!s || strlen(s) != 8 || s[4] != '-' || s[5] != 'W')
    return -1;
  if(digits(s, 4, &y) || digits(s + 6, 2, &w))
    return -1;
  if(y < 1900 || w < 1 || w > iso_weeks_in_year(y))
    return -1;
  *monday = pdate_iso_week_start(y, w);
  return 0;
}

void pdate_format_month(long day, char out[8])
{
  int y, m, d;
  pdate_ymd(day, &y, &m, &d);
  char *o = put_num(out, y, 4);
  *o++ = '-';
  o = put_num(o, m, 2);
  *o = '\0';
}

int pdate_parse_month(const char *s, long *first)
{
  int y, m;
  if(!s || strlen(s) != 7 || s[4] != '-')
    return -1;
  if(digits(s, 4, &y) || digits(s + 5, 2, &m))
    return -1;
  if(y < 1900 || m < 1 || m > 12)
    return -1;
  *first = pdate_from_ymd(y, m, 1);
  return 0;
}

long pdate_local_today(time_t now)
{
  struct tm tm;
  if(!localtime_r(&now, &tm))
    return (long)(now / 86400);
  return pdate_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- spans ------------------------------------------------------------ */

/* "2026-K2" / "2026-Q2" -> first day of the quarter and its last day. */
static int parse_quarter(const char *s, long *from, long *to)
{
  long y, q;
  char ybuf[5];

  if(strlen(s) != 7 || s[4] != '-' || (s[5] != 'K' && s[5] != 'Q'))
    return -1;
  memcpy(ybuf, s, 4);
  ybuf[4] = '\0';
  if(pr_parse_long(ybuf, 1900, 9999, &y) != 0 ||
     pr_parse_long(s + 6, 1, 4, &q) != 0)
    return -1;
  *from = pdate_from_ymd((int)y, (int)(q - 1) * 3 + 1, 1);
  *to = q == 4 ? pdate_from_ymd((int)y, 12, 31)
               : pdate_from_ymd((int)y, (int)q * 3 + 1, 1) - 1;
  return 0;
}

static int parse_one(const char *s, long *from, long *to)
{
  long y;

  if(pdate_parse(s, from) == 0) {
    *to = *from;
    return 0;
  }
  if(pdate_parse_week(s, from) == 0) {
    *to = *from + 6;
    return 0;
  }
  if(pdate_parse_month(s, from) == 0) {
    int yy, mm, dd;
    pdate_ymd(*from, &yy, &mm, &dd);
    *to = (mm == 12 ? pdate_from_ymd(yy + 1, 1, 1)
                    : pdate_from_ymd(yy, mm + 1, 1)) - 1;
    return 0;
  }
  if(parse_quarter(s, from, to) == 0)
    return 0;
  if(strlen(s) == 4 && pr_parse_long(s, 1900, 9999, &y) == 0) {
    *from = pdate_from_ymd((int)y, 1, 1);
    *to = pdate_from_ymd((int)y, 12, 31);
    return 0;
  }
  return -1;
}

int pdate_parse_span(const char *s, long *from, long *to)
{
  const char *dots;
  char left[32];
  long f1, t1, f2, t2;
  size_t ll;

  if(!s || !*s || strlen(s) > 64)
    return -1;
  dots = strstr(s, "..");
  if(!dots)
    return parse_one(s, from, to);
  ll = (size_t)(dots - s);
  if(ll == 0 || ll >= sizeof(left))
    return -1;
  memcpy(left, s, ll);
  left[ll] = '\0';
  if(parse_one(left, &f1, &t1) != 0 || parse_one(dots + 2, &f2, &t2) != 0)
    return -1;
  if(f1 > t2)
    return -1;
  *from = f1;
  *to = t2;
  return 0;
}
