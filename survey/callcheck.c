/* callcheck.c — This file contains the checks of what people type or
 * import for the call list and the scrubbing of free text declared in
 * callcheck.h. */
#include "callcheck.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pdate.h"
#include "vocab.h"

/* ---- validation ----------------------------------------------------- */

static const char *nz(const char *s)
{
  return s ? s : "";
}

/* Lower-case ASCII copy with å/ä/ö folded, trimmed. */
static void fold_word(const char *s, char *o, size_t cap)
{
  size_t k = 0;
  const unsigned char *p = (const unsigned char *)nz(s);
  while(*p == ' ')
    p++;
  while(*p && k + 1 < cap) {
    if(p[0] == 0xC3 && p[1]) {
      unsigned char x = p[1] | 0x20;
      o[k++] = (x == 0xB6) ? 'o' : 'a';   /* ö -> o, å/ä -> a */
      p += 2;
      continue;
    }
    o[k++] = (char)tolower(*p);
    p++;
  }
  while(k > 0 && o[k - 1] == ' ')
    k--;
  o[k] = '\0';
}

static int word_in(const char *w, const char *const *list)
{
  for(; *list; list++)
    if(strcmp(w, *list) == 0)
      return 1;
  return 0;
}

static const char *const yes_words[] = {"ja", "j", "yes", "y", "1", "x",
                                        "sant", "true", NULL};
static const char *const no_words[] = {"nej", "n", "no", "0", "falskt",
                                       "false", NULL};

/* Phone number: keep digits and one leading '+'; 6..15 digits; spaces,
 * '-', '(' ')' and '/' are allowed separators. */
static int norm_phone(const char *s, char *o, size_t cap)
{
  size_t k = 0, digits = 0;
  const char *p = nz(s);
  while(*p == ' ')
    p++;
  if(*p == '+')
    o[k++] = *p++;
  for(; *p; p++) {
    if(*p >= '0' && *p <= '9') {
      if(k + 1 >= cap)
        return -1;
      o[k++] = *p;
      digits++;
    } else if(*p != ' ' && *p != '-' && *p != '(' && *p != ')' &&
              *p != '/' && *p != '.') {
      return -1;
    }
  }
  o[k] = '\0';
  return digits >= 6 && digits <= 15 ? 0 : -1;
}

/* Discharge date: YYYY-MM-DD (or YYYYMMDD), optionally followed by a time
 * (ignored). */
static int parse_discharge(const char *s, long *day)
{
  char d[11];
  const char *p = nz(s);
  size_t n = 0;
  while(*p == ' ')
    p++;
  while(p[n] >= '0' && p[n] <= '9')
    n++;
  if(n == 8 && (!p[8] || p[8] == ' ' || p[8] == 'T')) {
    snprintf(d, sizeof(d), "%.4s-%.2s-%.2s", p, p + 4, p + 6);
    return pdate_parse(d, day);
  }
  if(strlen(p) < 10)
    return -1;
  memcpy(d, p, 10);
  d[10] = '\0';
  if(p[10] && p[10] != ' ' && p[10] != 'T')
    return -1;
  return pdate_parse(d, day);
}

enum pr_rc callcheck_entry(const struct calllist_input *in, long today,
                           struct calllist_entry *out, char *err)
{
  struct calllist_entry e;
  char w[32], e2[PR_ERR_LEN];
  const char *name = nz(in->name), *v;
  size_t nl;

  memset(out, 0, sizeof(*out));
  memset(&e, 0, sizeof(e));
  e.closed_day = -1;
  e.sip_offered = e.sip_accepted = -1;
  while(*name == ' ')
    name++;
  nl = strlen(name);
  while(nl > 0 && name[nl - 1] == ' ')
    nl--;
  if(nl == 0) {
    pr_seterr(err, "name: missing");
    return PR_EINVAL;
  }
  if(nl >= sizeof(e.name)) {
    pr_seterr(err, "name: longer than %zu bytes", sizeof(e.name) - 1);
    return PR_EINVAL;
  }
  memcpy(e.name, name, nl);
  e.name[nl] = '\0';
  if(!in->phone || !*in->phone) {
    pr_seterr(err, "phone: missing");
    return PR_EINVAL;
  }
  if(norm_phone(in->phone, e.phone, sizeof(e.phone))) {
    pr_seterr(err, "phone: not a phone number (6-15 digits, spaces and "
              "'-' allowed)");
    return PR_EINVAL;
  }
  if(in->pnr && *in->pnr) {
    struct pnr p;
    if(pnr_parse(in->pnr, today, &p, e2)) {
      pr_seterr(err, "%s", e2);
      return PR_EINVAL;
    }
    pr_strlcpy(e.pnr, p.canon, sizeof(e.pnr));
  }
  if(!in->discharge || !*in->discharge) {
    pr_seterr(err, "discharge date: missing");
    return PR_EINVAL;
  }
  if(parse_discharge(in->discharge, &e.discharge)) {
    pr_seterr(err, "discharge date: not a date (expected YYYY-MM-DD)");
    return PR_EINVAL;
  }
  if(e.discharge > today) {
    pr_seterr(err, "discharge date: in the future");
    return PR_EINVAL;
  }
  /* Track and care type: the one vocabulary every door shares. */
  if(!(v = vocab_track(in->track))) {
    pr_seterr(err, "track: %s (expected " VOCAB_TRACK_WORDS ")",
              in->track && *in->track ? "unknown" : "missing");
    return PR_EINVAL;
  }
  pr_strlcpy(e.track, v, sizeof(e.track));
  if(!(v = vocab_care(in->care))) {
    pr_seterr(err, "care type: %s (expected " VOCAB_CARE_WORDS ")",
              in->care && *in->care ? "unknown" : "missing");
    return PR_EINVAL;
  }
  pr_strlcpy(e.care, v, sizeof(e.care));
  fold_word(in->consent, w, sizeof(w));
  if(word_in(w, yes_words))
    e.consent = 1;
  else if(word_in(w, no_words))
    e.consent = 0;
  else {
    pr_seterr(err, "consent: %s (expected ja or nej)",
              w[0] ? "unknown" : "missing");
    return PR_EINVAL;
  }
  *out = e;
  return PR_OK;
}

/* ---- scrubbing free text -------------------------------------------- */

/* Fold one character at *p for comparison: ASCII letters and the Swedish
 * (and a few common) capitals to lower case; *len is its byte length. */
static unsigned fold_char(const unsigned char *p, size_t *len)
{
  if(p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
    *len = 2;
    /* U+00C0..U+00DE capitals -> U+00E0..U+00FE (not U+00D7) */
    if(p[1] <= 0x9E && p[1] != 0x97)
      return 0xE0u + (p[1] - 0x80u);
    return 0xC0u + (p[1] - 0x80u);
  }
  *len = 1;
  return (unsigned)tolower(p[0]);
}

/* Length in text of a case-folded match of needle at text, or 0. */
static size_t match_word(const char *text, const char *needle)
{
  const unsigned char *t = (const unsigned char *)text;
  const unsigned char *n = (const unsigned char *)needle;
  size_t tl, nl, used = 0;
  while(*n) {
    if(!*t || fold_char(t, &tl) != fold_char(n, &nl))
      return 0;
    t += tl;
    n += nl;
    used += tl;
  }
  return used;
}

/* Length in text of digits equal to `digits`, allowing ' ', '-' between
 * them (a number written "070-555 01 01"); 0 if none.  Not inside a longer
 * run of digits. */
static size_t match_digits(const char *text, const char *digits,
                           int at_start)
{
  const char *t = text;
  const char *d = digits;
  if(!at_start && text[-1] >= '0' && text[-1] <= '9')
    return 0;
  while(*d) {
    if(*t == *d) {
      t++;
      d++;
    } else if((*t == ' ' || *t == '-') && t != text && d != digits) {
      t++;
    } else {
      return 0;
    }
  }
  if(*t >= '0' && *t <= '9')
    return 0;
  return (size_t)(t - text);
}

/* Replace every match of needle in buf (cap bytes).  digits: match as a
 * number (see match_digits), else as case-folded text. */
static int replace_all(char *buf, size_t cap, const char *needle,
                       int digits, const char *with)
{
  size_t wl = strlen(with), bl = strlen(buf), i = 0;
  if(!*needle)
    return 0;
  while(i < bl) {
    size_t ml = digits ? match_digits(buf + i, needle, i == 0)
                       : match_word(buf + i, needle);
    if(!ml) {
      i++;
      continue;
    }
    if(bl - ml + wl + 1 > cap)
      return -1;
    memmove(buf + i + wl, buf + i + ml, bl - i - ml + 1);
    memcpy(buf + i, with, wl);
    bl = bl - ml + wl;
    i += wl;
  }
  return 0;
}

enum pr_rc callcheck_scrub(const struct calllist_entry *e, const char *text,
                           char *out, size_t cap)
{
  char word[CALLLIST_NAME_LEN], num[16];
  const char *p = e->name;
  if(pr_strlcpy(out, text, cap))
    return PR_ELIMIT;
  if(e->pnr[0]) {
    /* 12 digits (with or without '-'), then the 10-digit forms */
    snprintf(num, sizeof(num), "%.8s%.4s", e->pnr, e->pnr + 9);
    if(replace_all(out, cap, num, 1, "[personnummer]") ||
       replace_all(out, cap, num + 2, 1, "[personnummer]"))
      return PR_ELIMIT;
  }
  if(e->phone[0]) {
    const char *ph = e->phone[0] == '+' ? e->phone + 1 : e->phone;
    if(replace_all(out, cap, ph, 1, "[telefon]"))
      return PR_ELIMIT;
    /* +46 70... written as 070...: the national form too */
    if(strncmp(ph, "46", 2) == 0) {
      snprintf(num, sizeof(num), "0%.14s", ph + 2);
      if(replace_all(out, cap, num, 1, "[telefon]"))
        return PR_ELIMIT;
    }
  }
  /* each part of the name of 3 characters or more */
  while(*p) {
    size_t k = 0;
    while(*p == ' ' || *p == '-' || *p == '"')
      p++;
    while(*p && *p != ' ' && *p != '-' && *p != '"' && k + 1 < sizeof(word))
      word[k++] = *p++;
    word[k] = '\0';
    if(k >= 3 && replace_all(out, cap, word, 0, "[namn]"))
      return PR_ELIMIT;
  }
  return PR_OK;
}
