/* scrub.c — This file contains the free-text scrubber declared in scrub.h:
 * it finds e-mail addresses, personnummer and phone numbers in UTF-8 text
 * and writes a copy with each replaced by a marker.
 *
 * It works in two steps: find spans (start, end, kind) that do not overlap,
 * then copy the text with every span replaced.  Only ASCII bytes are ever
 * matched as digits or separators, so multi-byte UTF-8 characters pass
 * through untouched (except inside an e-mail address, where they belong to
 * the address). */
#include "scrub.h"

#include <stdlib.h>
#include <string.h>

#define SCRUB_MAX_GROUPS 16

static const char *const scrub_markers[SCRUB_N_KINDS] = {
  [SCRUB_PNR] = "[personnummer]",
  [SCRUB_PHONE] = "[telefon]",
  [SCRUB_EMAIL] = "[e-post]",
  [SCRUB_NUMBER] = "[nummer]",
  [SCRUB_NAME] = "[namn]",
};

struct span {
  size_t start, end;
  enum scrub_kind kind;
};

const char *scrub_marker(enum scrub_kind k)
{
  if((unsigned)k >= SCRUB_N_KINDS)
    return "[?]";
  return scrub_markers[k];
}

static int is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Bytes of an e-mail local part: letters, digits, ._%+- and any non-ASCII
 * byte (so "åsa@..." is taken whole, never leaving "å" behind). */
static int is_local(unsigned char c)
{
  return is_alnum(c) || c >= 0x80 || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}

static int is_domain(unsigned char c)
{
  return is_alnum(c) || c >= 0x80 || c == '-' || c == '.';
}

/* Length of a separator between digit groups at p, 0 if none.  kind 'p'
 * (personnummer) allows '-', '+', space, en dash; kind 't' (phone) allows
 * space, '-', no-break space, en dash, '.' (only between dots, checked by
 * the caller) and "/" (after the area code only, checked by the caller). */
static size_t sep_len(const unsigned char *p, int kind)
{
  if(p[0] == '-' || p[0] == ' ')
    return 1;
  /* U+2010 hyphen, U+2011 no-break hyphen, U+2012 figure dash, U+2013 en
   * dash: what phones and word processors put in place of '-'. */
  if(p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x93)
    return 3;
  if(kind == 'p')
    return p[0] == '+' ? 1 : 0;
  if(p[0] == 0xC2 && p[1] == 0xA0)                   /* no-break space */
    return 2;
  if(p[0] == '/' || p[0] == '.')
    return 1;
  return 0;
}

/* " - ", " – " or (kind 'p') " + " at p: one separator written with
 * spaces around it.  Its length, 0 if none. */
static size_t spaced_sep_len(const unsigned char *p, int kind)
{
  size_t d;
  if(p[0] != ' ' || p[1] == ' ')
    return 0;
  d = sep_len(p + 1, kind);
  if(d == 0 || (p[1] != '-' && p[1] != '+' && p[1] != 0xE2))
    return 0;
  return p[1 + d] == ' ' ? d + 2 : 0;
}

static size_t digit_run(const unsigned char *p)
{
  size_t n = 0;
  while(is_digit(p[n]))
    n++;
  return n;
}

static int two_digits(const unsigned char *p)
{
  return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Separator inside a date written in parts ("1912 12 12", "12-12-12",
 * "12.12.12"): one space, '-', '.', or a dash character; 0 if none. */
static size_t date_sep_len(const unsigned char *p)
{
  if(p[0] == '.')
    return 1;
  if(p[0] == '+')
    return 0;
  return sep_len(p, 'p');
}

/* A personnummer whose date is written in parts: YYYY or YY, then MM and
 * DD, each after one separator, then the separator and four digits
 * ("1912 12 12-1212", "12 12 12-1212", "12-12-12-1212").  The month must
 * be 01..12 and the day 01..31 or 61..91 (samordningsnummer): four loose
 * groups are a personnummer only when they spell a date.  When the date
 * parts are split by anything but spaces, a space before the last four is
 * not enough: "2026-11-24 1430" is a date and a time. */
static size_t match_pnr_parts(const unsigned char *p)
{
  size_t pos = digit_run(p), sl, at[2];
  int spaces_only = 1, mm, dd;

  if(pos != 2 && pos != 4)
    return 0;
  for(int part = 0; part < 2; part++) {
    sl = date_sep_len(p + pos);
    if(sl == 0 || digit_run(p + pos + sl) != 2)
      return 0;
    if(p[pos] != ' ')
      spaces_only = 0;
    at[part] = pos + sl;
    pos += sl + 2;
  }
  mm = two_digits(p + at[0]);
  dd = two_digits(p + at[1]);
  if(mm < 1 || mm > 12 || !((dd >= 1 && dd <= 31) || (dd >= 61 && dd <= 91)))
    return 0;
  sl = spaced_sep_len(p + pos, 'p');
  if(sl == 0) {
    if(p[pos] == ' ' && !spaces_only)
      return 0;
    sl = sep_len(p + pos, 'p');
  }
  if(sl == 0 || digit_run(p + pos + sl) != 4)
    return 0;
  return pos + sl + 4;
}

/* Personnummer at s[i] (a digit not preceded by a digit).  Returns the
 * length matched, 0 for none.  *bare is set to 1 for a run of 10 digits
 * written together (which may also be a phone number). */
static size_t match_pnr(const unsigned char *s, size_t i, int *bare)
{
  const unsigned char *p = s + i;
  size_t n = digit_run(p), sl;

  *bare = 0;
  if(n == 12)
    return 12;
  if(n == 10) {
    *bare = 1;
    return 10;
  }
  if(n == 2 || n == 4)
    return match_pnr_parts(p);
  if(n != 6 && n != 8)
    return 0;
  sl = sep_len(p + n, 'p');
  if(sl == 0)
    return 0;
  /* " - " around the separator is still one separator. */
  if(spaced_sep_len(p + n, 'p'))
    sl = spaced_sep_len(p + n, 'p');
  if(digit_run(p + n + sl) != 4)
    return 0;
  return n + sl + 4;
}

/* Do the n bytes at p read as a date DD?MM?YYYY ("01-12-2026",
 * "01.12.2026"): three digit groups of 2, 2 and 4 digits, a day 1..31, a
 * month 1..12 and a year 1900..2099? */
static int is_dmy_date(const unsigned char *p, size_t n)
{
  size_t len[3], at[3], k = 0, g = 0;
  while(k < n) {
    size_t d = digit_run(p + k);
    if(d == 0) {
      k++;
      continue;
    }
    if(g == 3)
      return 0;
    at[g] = k;
    len[g++] = d;
    k += d;
  }
  if(g != 3 || len[0] != 2 || len[1] != 2 || len[2] != 4)
    return 0;
  {
    int day = two_digits(p + at[0]), mon = two_digits(p + at[1]);
    int cent = two_digits(p + at[2]);
    return day >= 1 && day <= 31 && mon >= 1 && mon <= 12 &&
           (cent == 19 || cent == 20);
  }
}

/* Phone number at s[i] ('+' or a digit not preceded by a digit).  Walks
 * digit groups and separators and keeps the longest prefix, ending after a
 * group, whose digit count fits a phone number.  Returns its length. */
static size_t match_phone(const unsigned char *s, size_t i)
{
  const unsigned char *p = s + i;
  size_t pos = 0, best = 0;
  int digits = 0, groups = 0, intl = 0, min, max, dots = 0, others = 0;

  if(p[0] == '+') {
    if(!is_digit(p[1]) || p[1] == '0')
      return 0;
    intl = 1;
    pos = 1;
  } else if(p[0] == '0' && p[1] == '0' && is_digit(p[2]) && p[2] != '0') {
    intl = 1;      /* 0046 ... */
  } else if(p[0] == '(' && p[1] == '0') {
    pos = 1;
  } else if(p[0] != '0' || !is_digit(p[1]) || p[1] == '0') {
    return 0;
  }
  /* International: country code + 7..11 digits; national: 8..10 digits
   * including the leading 0. */
  min = intl ? 9 : 8;
  max = intl ? 15 : 10;
  if(intl && p[0] == '0') {   /* "00" is counted as digits too */
    min += 2;
    max += 2;
  }
  for(;;) {
    size_t n = digit_run(p + pos), sl;
    if(n == 0)
      break;
    pos += n;
    digits += (int)n;
    groups++;
    if(digits > max)
      break;
    if(digits >= min)
      best = pos;
    if(groups >= SCRUB_MAX_GROUPS)
      break;
    /* "(08) 123 45 67": closing parenthesis after the area code. */
    if(p[0] == '(' && groups == 1) {
      if(p[pos] != ')')
        return 0;
      pos++;
      if(p[pos] == ' ')
        pos++;
      continue;
    }
    /* "+46 (0)70 ...": the trunk zero in parentheses. */
    if(intl && groups == 1) {
      size_t q = pos;
      if(p[q] == ' ')
        q++;
      if(p[q] == '(' && p[q + 1] == '0' && p[q + 2] == ')') {
        pos = q + 3;
        if(p[pos] == ' ')
          pos++;
        continue;
      }
    }
    sl = sep_len(p + pos, 't');
    if(sl == 0)
      break;
    /* Dots only with dots ("070.174.06.05"); the separator after the
     * area or country code may differ from the rest ("070.174 06 05",
     * "08.123 45 67", "+46 70.174.06.05"), but a dot after a two-digit
     * area code only before 3 or more digits: a dot beside another
     * separator is otherwise a time or a decimal ("08.15-09.40"). */
    if(groups == 1 && (p[pos] != '.' || intl || digits >= 3 ||
                       digit_run(p + pos + 1) >= 3)) {
      /* after the area or country code: like the slash there */
    } else if(p[pos] == '.' ? others : dots) {
      break;
    } else if(p[pos] == '.') {
      dots = 1;
    } else {
      others = 1;
    }
    /* A slash only after the area code ("08/123 45 67"); two slashes or a
     * slash later is a date ("01/12/2026"). */
    if(p[pos] == '/' && groups != 1)
      break;
    /* " - " and " – " are one separator. */
    if(spaced_sep_len(p + pos, 't'))
      sl = spaced_sep_len(p + pos, 't');
    if(!is_digit(p[pos + sl]))
      break;
    pos += sl;
  }
  if(best && is_digit(p[best]))
    return 0;
  /* "01-12-2026" and "01.12.2026" have a phone number's 8 digits. */
  if(best && !intl && is_digit(p[0]) && is_dmy_date(p, best))
    return 0;
  return best;
}

/* Words after which a short number is a phone number without area code
 * ("ring mig på 17 40 605", "tel: 12 34 56"). */
static const char *const phone_words[] = {
  "tel", "tfn", "telefon", "telefonnummer", "telnr", "mobil", "mobilnr",
  "mobilnummer", "hemnummer", "ring", "ringa", "ringer", "nr", "nummer",
  "numret", "sms", "nås", "nas",
};

#define SCRUB_WORD_WINDOW 16

static int word_char(unsigned char c)
{
  return is_alnum(c) || c >= 0x80;
}

static int ieq(unsigned char a, unsigned char b)
{
  if(a >= 'A' && a <= 'Z')
    a = (unsigned char)(a - 'A' + 'a');
  if(b >= 'A' && b <= 'Z')
    b = (unsigned char)(b - 'A' + 'a');
  return a == b;
}

/* Is one of phone_words a whole word in the few bytes before s[i], with
 * no digit in between? */
static int after_phone_word(const unsigned char *s, size_t i)
{
  size_t from = i > SCRUB_WORD_WINDOW ? i - SCRUB_WORD_WINDOW : 0;
  for(size_t k = from; k < i; k++)
    if(is_digit(s[k]))
      from = k + 1;
  for(size_t w = 0; w < sizeof(phone_words) / sizeof(phone_words[0]); w++) {
    const unsigned char *pw = (const unsigned char *)phone_words[w];
    size_t wl = strlen(phone_words[w]);
    for(size_t k = from; k + wl <= i; k++) {
      size_t j = 0;
      if(k > 0 && word_char(s[k - 1]))
        continue;
      while(j < wl && ieq(s[k + j], pw[j]))
        j++;
      if(j == wl && !word_char(s[k + wl]))
        return 1;
    }
  }
  return 0;
}

/* A local number (5..12 digits in groups separated by one space or '-')
 * at s[i]; only called after a phone word. */
static size_t match_local(const unsigned char *s, size_t i)
{
  const unsigned char *p = s + i;
  size_t pos = 0, best = 0;
  int digits = 0;
  for(;;) {
    size_t n = digit_run(p + pos);
    if(n == 0)
      break;
    pos += n;
    digits += (int)n;
    if(digits > 12)
      break;
    if(digits >= 5)
      best = pos;
    if((p[pos] == ' ' || p[pos] == '-') && is_digit(p[pos + 1]))
      pos++;
    else
      break;
  }
  if(best && is_digit(p[best]))
    return 0;
  return best;
}

static int overlaps(const struct span *sp, int n, size_t a, size_t b)
{
  for(int k = 0; k < n; k++)
    if(a < sp[k].end && sp[k].start < b)
      return 1;
  return 0;
}

static enum pr_rc add_span(struct span **sp, int *n, int *cap, size_t a,
                           size_t b, enum scrub_kind kind)
{
  if(*n == *cap) {
    int nc = *cap ? *cap * 2 : 8;
    struct span *ns = pr_realloc(*sp, (size_t)nc * sizeof(**sp));
    if(!ns)
      return PR_ENOMEM;
    *sp = ns;
    *cap = nc;
  }
  (*sp)[*n].start = a;
  (*sp)[*n].end = b;
  (*sp)[*n].kind = kind;
  (*n)++;
  return PR_OK;
}

/* E-mail addresses: expand around each '@'. */
static enum pr_rc find_emails(const unsigned char *s, size_t len,
                              struct span **sp, int *n, int *cap)
{
  for(size_t at = 0; at < len; at++) {
    size_t a, b, last_dot = 0, tld;
    if(s[at] != '@')
      continue;
    a = at;
    while(a > 0 && is_local(s[a - 1]))
      a--;
    while(a < at && s[a] == '.')
      a++;
    if(a == at)
      continue;
    b = at + 1;
    while(b < len && is_domain(s[b]))
      b++;
    while(b > at + 1 && (s[b - 1] == '.' || s[b - 1] == '-'))
      b--;   /* the full stop ending the sentence is not the address */
    for(size_t k = at + 1; k < b; k++)
      if(s[k] == '.')
        last_dot = k;
    if(!last_dot || last_dot == at + 1)
      continue;
    tld = b - last_dot - 1;
    if(tld < 2)
      continue;
    if(add_span(sp, n, cap, a, b, SCRUB_EMAIL) != PR_OK)
      return PR_ENOMEM;
    at = b;
  }
  return PR_OK;
}

static enum pr_rc find_numbers(const unsigned char *s, size_t len,
                               struct span **sp, int *n, int *cap)
{
  int n_email = *n;
  size_t i = 0;

  while(i < len) {
    size_t lp = 0, lt = 0, ld;
    int bare = 0;
    enum scrub_kind kind;
    size_t l;

    if(!(is_digit(s[i]) || s[i] == '+' || s[i] == '(') ||
       (i > 0 && is_digit(s[i - 1])) || overlaps(*sp, n_email, i, i + 1)) {
      i++;
      continue;
    }
    if(is_digit(s[i]))
      lp = match_pnr(s, i, &bare);
    lt = match_phone(s, i);
    if(lp && lt && bare && s[i] == '0') {
      kind = SCRUB_PHONE;
      l = lt;
    } else if(lp) {
      kind = SCRUB_PNR;
      l = lp;
    } else if(lt) {
      kind = SCRUB_PHONE;
      l = lt;
    } else if(is_digit(s[i]) && (ld = digit_run(s + i)) >= 9) {
      kind = SCRUB_NUMBER;
      l = ld;
    } else if(is_digit(s[i]) && after_phone_word(s, i) &&
              (ld = match_local(s, i)) > 0) {
      kind = SCRUB_PHONE;
      l = ld;
    } else {
      /* Skip the rest of this digit run: a match never starts mid-run.
       * After '+' or '(' the digits that follow get their own chance. */
      if(is_digit(s[i++]))
        while(i < len && is_digit(s[i]))
          i++;
      continue;
    }
    if(overlaps(*sp, n_email, i, i + l)) {
      i++;
      continue;
    }
    if(add_span(sp, n, cap, i, i + l, kind) != PR_OK)
      return PR_ENOMEM;
    i += l;
  }
  return PR_OK;
}

static unsigned char fold(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static int is_letter(unsigned char c)
{
  return is_alnum(c) || c >= 0x80;
}

/* Known names as whole words, outside spans found so far. */
static enum pr_rc find_names(const unsigned char *s, size_t len,
                             const char *const *names, int n_names,
                             struct span **sp, int *n, int *cap)
{
  for(int k = 0; k < n_names; k++) {
    const unsigned char *w = (const unsigned char *)names[k];
    size_t wl = w ? strlen(names[k]) : 0;
    if(wl < 2)
      continue;
    for(size_t i = 0; i + wl <= len; i++) {
      size_t j = 0;
      if(i > 0 && is_letter(s[i - 1]))
        continue;
      while(j < wl && fold(s[i + j]) == fold(w[j]))
        j++;
      if(j < wl || (i + wl < len && is_letter(s[i + wl])))
        continue;
      if(overlaps(*sp, *n, i, i + wl))
        continue;
      if(add_span(sp, n, cap, i, i + wl, SCRUB_NAME) != PR_OK)
        return PR_ENOMEM;
      i += wl - 1;
    }
  }
  return PR_OK;
}

static int span_cmp(const void *a, const void *b)
{
  const struct span *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

enum pr_rc scrub_text(const char *in, char **out, struct scrub_stats *st)
{
  return scrub_text_names(in, NULL, 0, out, st);
}

enum pr_rc scrub_text_names(const char *in, const char *const *names,
                            int n_names, char **out, struct scrub_stats *st)
{
  enum pr_rc rc = PR_ENOMEM;
  const unsigned char *s = (const unsigned char *)in;
  struct span *sp = NULL;
  int n = 0, cap = 0;
  size_t len, need, o = 0, pos = 0;
  char *buf = NULL;

  *out = NULL;
  if(st)
    memset(st, 0, sizeof(*st));
  if(!in)
    return PR_EINVAL;
  len = strlen(in);
  if(find_emails(s, len, &sp, &n, &cap) != PR_OK)
    goto out;
  if(find_numbers(s, len, &sp, &n, &cap) != PR_OK)
    goto out;
  if(n_names > 0 && find_names(s, len, names, n_names, &sp, &n, &cap) != PR_OK)
    goto out;
  if(n > 1)
    qsort(sp, (size_t)n, sizeof(*sp), span_cmp);
  need = len + 1;
  for(int k = 0; k < n; k++)
    need += strlen(scrub_markers[sp[k].kind]);
  buf = pr_malloc(need);
  if(!buf)
    goto out;
  for(int k = 0; k < n; k++) {
    const char *m = scrub_markers[sp[k].kind];
    size_t ml = strlen(m);
    if(sp[k].start < pos)   /* overlapping spans never happen; be safe */
      continue;
    memcpy(buf + o, in + pos, sp[k].start - pos);
    o += sp[k].start - pos;
    memcpy(buf + o, m, ml);
    o += ml;
    pos = sp[k].end;
    if(st)
      st->n[sp[k].kind]++;
  }
  memcpy(buf + o, in + pos, len - pos);
  o += len - pos;
  buf[o] = '\0';
  *out = buf;
  buf = NULL;
  rc = PR_OK;
out:
  pr_free(buf);
  pr_free(sp);
  return rc;
}
