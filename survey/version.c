/* version.c — This file contains the version string of version.h. */
#include "version.h"

#ifndef PR_VERSION
#define PR_VERSION "unknown"
#endif

const char *version_string(void)
{
  return PR_VERSION;
}
