/* lettermime.c — This file contains the MIME builder (lettermime.h).
 * base64 comes from libsodium; the boundaries are random so no part's
 * base64 text can contain one. */
#include "lettermime.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void lettermime_base64(struct dashbuf *b, const unsigned char *data,
                       size_t len)
{
  /* 57 bytes -> one 76-character line. */
  char line[80];
  size_t off = 0;

  while(off < len) {
    size_t k = len - off > 57 ? 57 : len - off;
    sodium_bin2base64(line, sizeof(line), data + off, k,
                      sodium_base64_VARIANT_ORIGINAL);
    dashbuf_add(b, line);
    dashbuf_add(b, "\r\n");
    off += k;
  }
}

void lettermime_subject(struct dashbuf *b, const char *s)
{
  size_t n = strlen(s), i, off = 0;
  int ascii = 1;
  char word[80];

  for(i = 0; i < n; i++)
    if((unsigned char)s[i] >= 127 || (unsigned char)s[i] < ' ')
      ascii = 0;
  if(ascii && n < 60 && !strstr(s, "=?")) {
    dashbuf_add(b, s);
    return;
  }
  /* Chunks of at most 39 bytes (52 base64 characters, a 64-character
   * word after "Subject: " stays under 78) cut only between UTF-8
   * sequences: an encoded word must hold whole characters. */
  while(off < n) {
    size_t k = n - off > 39 ? 39 : n - off;
    while(k > 0 && off + k < n && ((unsigned char)s[off + k] & 0xC0) == 0x80)
      k--;
    if(k == 0)
      k = n - off > 39 ? 39 : n - off;
    sodium_bin2base64(word, sizeof(word), (const unsigned char *)s + off, k,
                      sodium_base64_VARIANT_ORIGINAL);
    if(off > 0)
      dashbuf_add(b, "\r\n ");
    dashbuf_addf(b, "=?UTF-8?B?%s?=", word);
    off += k;
  }
}

static int header_safe(const char *s)
{
  for(; s && *s; s++)
    if((unsigned char)*s < ' ' || (unsigned char)*s >= 127 || *s == '<' ||
       *s == '>' || *s == ',')
      return 0;
  return s != NULL;
}

static void rfc5322_date(long long now, char out[64])
{
  static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
                                    "Fri", "Sat" };
  static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov",
                                    "Dec" };
  time_t t = (time_t)now;
  struct tm tm;
  if(!gmtime_r(&t, &tm)) {
    snprintf(out, 64, "Thu, 01 Jan 1970 00:00:00 +0000");
    return;
  }
  snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday],
           tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
           tm.tm_min, tm.tm_sec);
}

static void part_text(struct dashbuf *b, const char *bound, const char *ctype,
                      const char *text)
{
  dashbuf_addf(b, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n", bound, ctype);
  lettermime_base64(b, (const unsigned char *)text, strlen(text));
}

enum pr_rc lettermime_build(const char *from, const char *to,
                            const char *subject, long long now,
                            const char *text, const char *html,
                            const struct lettermime_img *imgs, int n_imgs,
                            char **out, size_t *out_len, char *err)
{
  struct dashbuf b;
  char date[64], rnd[33], alt[48], rel[48];
  unsigned char raw[16];
  const char *domain;
  int i;
  enum pr_rc rc;

  *out = NULL;
  *out_len = 0;
  if(!header_safe(from) || !header_safe(to) || !strchr(from, '@')) {
    pr_seterr(err, "an address holds a character a header cannot carry");
    return PR_EINVAL;
  }
  domain = strchr(from, '@') + 1;
  randombytes_buf(raw, sizeof(raw));
  sodium_bin2hex(rnd, sizeof(rnd), raw, sizeof(raw));
  snprintf(alt, sizeof(alt), "=_alt_%.24s", rnd);
  snprintf(rel, sizeof(rel), "=_rel_%.24s", rnd + 8);
  rfc5322_date(now, date);
  dashbuf_init(&b);
  dashbuf_add(&b, "From: ");
  lettermime_subject(&b, "Patientröst");
  dashbuf_addf(&b, " <%s>\r\nTo: <%s>\r\nSubject: ", from, to);
  lettermime_subject(&b, subject);
  dashbuf_addf(&b, "\r\nDate: %s\r\nMessage-ID: <%lld.%s@%s>\r\n"
               "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
               "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n"
               "\r\nThis is a MIME message.\r\n", date, now, rnd, domain, alt);
  part_text(&b, alt, "text/plain", text);
  if(html) {
    if(n_imgs > 0) {
      dashbuf_addf(&b, "--%s\r\nContent-Type: multipart/related; "
                   "type=\"text/html\";\r\n boundary=\"%s\"\r\n\r\n", alt, rel);
      part_text(&b, rel, "text/html", html);
      for(i = 0; i < n_imgs; i++) {
        dashbuf_addf(&b, "--%s\r\nContent-Type: image/png; name=\"%s\"\r\n"
                     "Content-Transfer-Encoding: base64\r\n"
                     "Content-ID: <%s>\r\n"
                     "Content-Disposition: inline; filename=\"%s\"\r\n\r\n",
                     rel, imgs[i].name, imgs[i].cid, imgs[i].name);
        lettermime_base64(&b, imgs[i].png, imgs[i].len);
      }
      dashbuf_addf(&b, "--%s--\r\n", rel);
    }
    else
      part_text(&b, alt, "text/html", html);
  }
  dashbuf_addf(&b, "--%s--\r\n", alt);
  if((rc = dashbuf_status(&b)) != PR_OK) {
    dashbuf_free(&b);
    pr_seterr(err, "the message is too large");
    return rc;
  }
  *out = dashbuf_take(&b, out_len);
  return *out ? PR_OK : PR_ENOMEM;
}
