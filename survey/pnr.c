/* pnr.c — This file contains the parsing and checking of personnummer and
 * samordningsnummer declared in pnr.h. */
#include "pnr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pdate.h"

int pnr_luhn_digit(const char digits9[9])
{
  int sum = 0;
  for(int i = 0; i < 9; i++) {
    int v = (digits9[i] - '0') * ((i % 2) ? 1 : 2);
    sum += v > 9 ? v - 9 : v;
  }
  return (10 - sum % 10) % 10;
}

int pnr_luhn_ok(const char digits10[10])
{
  for(int i = 0; i < 10; i++)
    if(digits10[i] < '0' || digits10[i] > '9')
      return 0;
  return pnr_luhn_digit(digits10) == digits10[9] - '0';
}

static int two(const char *p)
{
  return (p[0] - '0') * 10 + (p[1] - '0');
}

static int days_in_month(int y, int m)
{
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if(m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

enum pr_rc pnr_parse(const char *s, long today, struct pnr *out, char *err)
{
  char d[13];        /* the digits only, 10 or 12 */
  size_t nd = 0, len;
  int plus = 0, sep_seen = 0;
  int century = -1, yy, ty, tm, tdd, dd;
  struct pnr p;

  memset(out, 0, sizeof(*out));
  memset(&p, 0, sizeof(p));
  if(!s) {
    pr_seterr(err, "personnummer is missing");
    return PR_EINVAL;
  }
  while(*s == ' ' || *s == '\t')
    s++;
  len = strlen(s);
  while(len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  for(size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if(isdigit(c)) {
      if(nd >= 12) {
        pr_seterr(err, "personnummer has too many digits");
        return PR_EINVAL;
      }
      d[nd++] = (char)c;
    } else if((c == '-' || c == '+') && !sep_seen &&
              (nd == 6 || nd == 8) && len - i - 1 == 4) {
      sep_seen = 1;
      plus = c == '+';
    } else {
      pr_seterr(err, "personnummer has an unexpected character "
                "(expected YYYYMMDD-NNNN)");
      return PR_EINVAL;
    }
  }
  d[nd] = '\0';
  if(nd != 10 && nd != 12) {
    pr_seterr(err, "personnummer must have 10 or 12 digits "
              "(YYYYMMDD-NNNN)");
    return PR_EINVAL;
  }
  if(plus && nd == 12) {
    pr_seterr(err, "personnummer: '+' is only used with the 10-digit form");
    return PR_EINVAL;
  }
  pdate_ymd(today, &ty, &tm, &tdd);
  if(nd == 12) {
    century = two(d);
    memmove(d, d + 2, 11);   /* keep the 10-digit form for Luhn */
  }
  yy = two(d);
  p.month = two(d + 2);
  dd = two(d + 4);
  p.coordination = dd > 60;
  p.day = p.coordination ? dd - 60 : dd;
  if(century >= 0) {
    p.year = century * 100 + yy;
  } else {
    /* Short form: the latest year not in the future; '+' adds 100 years. */
    p.year = (ty / 100) * 100 + yy;
    if(p.year > ty)
      p.year -= 100;
    if(plus)
      p.year -= 100;
  }
  if(p.month < 1 || p.month > 12 || p.day < 1 || p.year < 1850 ||
     p.day > days_in_month(p.year, p.month)) {
    pr_seterr(err, "personnummer holds no valid birth date");
    return PR_EINVAL;
  }
  if(pdate_from_ymd(p.year, p.month, p.day) > today) {
    pr_seterr(err, "personnummer has a birth date in the future");
    return PR_EINVAL;
  }
  if(!pnr_luhn_ok(d)) {
    pr_seterr(err, "personnummer check digit is wrong");
    return PR_EINVAL;
  }
  snprintf(p.canon, sizeof(p.canon), "%04d%.2s%.2s-%.4s", p.year, d + 2,
           d + 4, d + 6);
  *out = p;
  return PR_OK;
}
