/* hsa.c — This file contains the HSA-id check declared in hsa.h. */
#include "hsa.h"

#include <string.h>

#include "store.h"

int hsa_valid(const char *s)
{
  size_t n;
  if(!s || s[0] != 'S' || s[1] != 'E')
    return 0;
  for(int i = 2; i < 12; i++)
    if(s[i] < '0' || s[i] > '9')
      return 0;
  if(s[12] != '-')
    return 0;
  n = strlen(s + 13);
  if(n < 1 || 13 + n >= STORE_UNIT_LEN)
    return 0;
  for(size_t i = 13; s[i]; i++)
    if(!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
      return 0;
  return 1;
}
