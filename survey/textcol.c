/* textcol.c — This file contains the table-cell and CSV-field helpers
 * declared in textcol.h. */
#include "textcol.h"

#include <stdint.h>
#include <string.h>

size_t textcol_utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
  size_t len, i;
  uint32_t c;
  if(n == 0)
    return 0;
  if(p[0] < 0x80) {
    len = 1;
    c = p[0];
  } else if(p[0] >= 0xC2 && p[0] <= 0xDF) {
    len = 2;
    c = p[0] & 0x1F;
  } else if(p[0] >= 0xE0 && p[0] <= 0xEF) {
    len = 3;
    c = p[0] & 0x0F;
  } else if(p[0] >= 0xF0 && p[0] <= 0xF4) {
    len = 4;
    c = p[0] & 0x07;
  } else {
    return 0;
  }
  if(n < len)
    return 0;
  for(i = 1; i < len; i++) {
    if((p[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (p[i] & 0x3F);
  }
  if((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
     (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
    return 0;
  if(cp)
    *cp = c;
  return len;
}

static int cp_width(uint32_t c)
{
  /* Combining marks (Latin diacritics, Arabic harakat), zero-width
   * joiners and the variation selectors take no column of their own. */
  if((c >= 0x0300 && c <= 0x036F) || (c >= 0x0610 && c <= 0x061A) ||
     (c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
     (c >= 0x06D6 && c <= 0x06ED) || (c >= 0x200B && c <= 0x200F) ||
     (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x20D0 && c <= 0x20FF))
    return 0;
  if((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
     (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
     (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
     (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) ||
     (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

void textcol_clean(const char *s, char *out, size_t cap)
{
  static const char brk[] = " \xE2\x8F\x8E ";     /* " ⏎ " */
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t k = 0;

  while(*p) {
    const char *add;
    char one[5];
    size_t n, len;
    uint32_t c;
    if(*p == '\r' || *p == '\n') {
      n = (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
      add = brk;
      len = sizeof(brk) - 1;
    } else if(!(n = textcol_utf8_next(p, SIZE_MAX, &c))) {
      n = 1;
      add = "?";
      len = 1;
    } else if(c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
              c == 0x2028 || c == 0x2029) {
      add = " ";
      len = 1;
    } else {
      memcpy(one, p, n);
      add = one;
      len = n;
    }
    if(k + len >= cap)
      break;
    memcpy(out + k, add, len);
    k += len;
    p += n;
  }
  out[k] = '\0';
}

size_t textcol_width(const char *s)
{
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t w = 0;
  while(*p) {
    uint32_t c = 0xFFFD;
    size_t n = textcol_utf8_next(p, SIZE_MAX, &c);
    w += (size_t)cp_width(n ? c : 0xFFFD);
    p += n ? n : 1;
  }
  return w;
}

void textcol_pad(FILE *f, const char *s, size_t width)
{
  size_t w = textcol_width(s);
  fputs(s ? s : "", f);
  for(; w < width; w++)
    fputc(' ', f);
}

void textcol_csv_field(FILE *f, const char *v)
{
  fputc('"', f);
  if(v && v[0] && strchr("=+-@\t\r", v[0]))
    fputc('\'', f);
  for(; v && *v; v++) {
    if(*v == '"')
      fputc('"', f);
    fputc(*v, f);
  }
  fputc('"', f);
}
