/* csvout.c — This file contains the CSV writer for Swedish Excel
 * (csvout.h): BOM, ';', decimal comma, quoting and formula defusing. */
#include "csvout.h"

#include <string.h>

void csvout_begin(struct csvout *c, struct dashbuf *b)
{
  c->b = b;
  c->col = 0;
  dashbuf_add(b, CSVOUT_BOM);
}

static void sep(struct csvout *c)
{
  if(c->col++ > 0)
    dashbuf_add(c->b, ";");
}

int csvout_is_dangerous(const char *s)
{
  return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
               s[0] == '\t' || s[0] == '\r');
}

void csvout_text(struct csvout *c, const char *s)
{
  int quote;
  const char *p;

  sep(c);
  if(!s || !*s)
    return;
  quote = strpbrk(s, ";\"\r\n") != NULL;
  /* A leading apostrophe makes Excel take the cell as text; quoting alone
   * does not stop =HYPERLINK(...) from running. */
  if(csvout_is_dangerous(s))
    quote = 1;
  if(quote)
    dashbuf_add(c->b, "\"");
  if(csvout_is_dangerous(s))
    dashbuf_add(c->b, "'");
  for(p = s; *p; p++) {
    if(*p == '"')
      dashbuf_add(c->b, "\"\"");
    else
      dashbuf_addn(c->b, p, 1);
  }
  if(quote)
    dashbuf_add(c->b, "\"");
}

void csvout_num(struct csvout *c, double v, int decimals)
{
  sep(c);
  dashbuf_num(c->b, v, decimals, ',');
}

void csvout_int(struct csvout *c, long v)
{
  sep(c);
  dashbuf_addf(c->b, "%ld", v);
}

void csvout_eol(struct csvout *c)
{
  dashbuf_add(c->b, "\r\n");
  c->col = 0;
}
