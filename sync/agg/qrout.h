/* qrout.h — a text as a QR code (libqrencode, error correction M): in the
 * terminal with half-block characters, or as a PNG file (libpng) for a
 * printed sheet.  Nothing else: the caller decides what the text says. */
#ifndef QROUT_H
#define QROUT_H

#include <stdio.h>

#include "pr.h"

/* Print text as a QR code on f (dark modules as blocks on a light quiet
 * zone, two rows per line).  PR_EINVAL when it does not fit a QR code. */
enum pr_rc qrout_terminal(FILE *f, const char *text, char *err) PR_MUST;

/* Write text as a QR code into the PNG file path (8 pixels a module, a
 * 4-module quiet zone, grey scale).  PR_EIO when the file cannot be
 * written, with err naming it. */
enum pr_rc qrout_png(const char *path, const char *text, char *err) PR_MUST;

#endif
