/* lettermime.h — one e-mail message as MIME text (RFC 5322 / 2045-2047):
 * From, To, Date, Message-ID, a UTF-8 subject as encoded words, and a
 * multipart/alternative body of a plain-text part and an HTML part that
 * is multipart/related with its PNG images inline (Content-ID).  Every
 * part is base64, so the message is 7-bit ASCII with lines under 78
 * characters.  It builds text only: no sending, no parsing. */
#ifndef LETTERMIME_H
#define LETTERMIME_H

#include <stddef.h>
#include "dashbuf.h"

struct lettermime_img {
  char cid[64];                  /* "trend-nojdhet@patientrost" */
  char name[64];                 /* file name offered, "nojdhet.png" */
  unsigned char *png;            /* owned by the caller */
  size_t len;
};

/* Append subject (UTF-8) to b as RFC 2047 "B" encoded words, folded so
 * no header line passes 76 characters; plain ASCII is written as is. */
void lettermime_subject(struct dashbuf *b, const char *subject);

/* Append data as base64 in lines of 76 characters, each ended by CRLF. */
void lettermime_base64(struct dashbuf *b, const unsigned char *data,
                       size_t len);

/* The whole message into *out (caller's, pr_free).  from and to are bare
 * addresses (letterdb_valid_email); html and imgs may be NULL / 0.  now
 * gives the Date header; the Message-ID is random at the sender's domain.
 * PR_EINVAL when an address holds a character that could break a header,
 * PR_ENOMEM. */
enum pr_rc lettermime_build(const char *from, const char *to,
                            const char *subject, long long now,
                            const char *text, const char *html,
                            const struct lettermime_img *imgs, int n_imgs,
                            char **out, size_t *out_len, char *err) PR_MUST;

#endif
