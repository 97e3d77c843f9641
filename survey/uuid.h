/* uuid.h — random UUID version 4 strings from the kernel's getrandom().
 * It only makes and checks the textual form; it stores nothing. */
#ifndef UUID_H
#define UUID_H

#include "pr.h"

#define UUID_STR_LEN 37   /* 36 characters + NUL */

/* Write a fresh lower-case UUID v4 ("xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx")
 * into out.  PR_EIO when the kernel gives no randomness; out is then "". */
enum pr_rc uuid_v4(char out[UUID_STR_LEN]) PR_MUST;
/* 1 when s is a well-formed lower-case UUID v4 string, else 0. */
int uuid_is_v4(const char *s);

#endif
