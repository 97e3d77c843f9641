/* conffile.h — reads the project's "key = value" config files (the kiosk's,
 * the sync settings inside it, the aggregator's) line by line: blank lines
 * and '#' comments skipped, key and value trimmed, every error naming the
 * file and line.  What a key means is the caller's; it opens nothing but
 * the file. */
#ifndef CONFFILE_H
#define CONFFILE_H

#include <stddef.h>
#include "pr.h"

#define CONFFILE_LINE_MAX 2046   /* bytes of one line, newline excluded */

/* Called for each "key = value" line with the line number; a result other
 * than PR_OK stops the reading, and err (PR_ERR_LEN) is then prefixed with
 * "PATH:LINE: ". */
typedef enum pr_rc (*conffile_fn)(void *ctx, const char *key,
                                  const char *value, int line, char *err);

/* Call fn for every key = value line of path, in order.  PR_EIO ("PATH:
 * cannot read: ...") when the file cannot be opened; PR_EINVAL
 * "PATH:LINE: ..." for a line without '=', an empty key or a line longer
 * than CONFFILE_LINE_MAX; otherwise fn's first failure. */
enum pr_rc conffile_each(const char *path, conffile_fn fn, void *ctx,
                         char *err) PR_MUST;

/* Strip blanks, tabs and line ends from both ends of s, in place; returns
 * the first byte kept (inside s). */
char *conffile_trim(char *s);

/* The value of the last "key = value" line for key, into out (cap bytes).
 * 1 found, 0 not there, -1 when the file cannot be read, a line is bad or
 * the value does not fit (out is then ""). */
int conffile_get(const char *path, const char *key, char *out, size_t cap);

#endif
