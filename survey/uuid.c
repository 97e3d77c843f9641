/* uuid.c — This file contains UUID v4 generation from getrandom() and a
 * strict check of the textual form (used to refuse junk ids from files). */
#include "uuid.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

enum pr_rc uuid_v4(char out[UUID_STR_LEN])
{
  static const char hex[] = "0123456789abcdef";
  uint8_t b[16];
  size_t got = 0;
  int o = 0;

  out[0] = '\0';
  while(got < sizeof(b)) {
    ssize_t r = getrandom(b + got, sizeof(b) - got, 0);
    if(r < 0) {
      if(errno == EINTR)
        continue;
      return PR_EIO;
    }
    got += (size_t)r;
  }
  b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);   /* version 4 */
  b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
  for(int i = 0; i < 16; i++) {
    if(i == 4 || i == 6 || i == 8 || i == 10)
      out[o++] = '-';
    out[o++] = hex[b[i] >> 4];
    out[o++] = hex[b[i] & 0x0f];
  }
  out[o] = '\0';
  return PR_OK;
}

int uuid_is_v4(const char *s)
{
  if(!s || strlen(s) != 36)
    return 0;
  for(int i = 0; i < 36; i++) {
    char c = s[i];
    if(i == 8 || i == 13 || i == 18 || i == 23) {
      if(c != '-')
        return 0;
    }
    else if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return 0;
  }
  return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}
