/* This file contains the QR output (qrout.h).  The terminal form draws two
 * module rows per text line with the Unicode half blocks, light on dark
 * inverted so a phone reads it from a dark terminal too. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "qrout.h"

#define QUIET 2        /* terminal quiet zone, modules */
#define PNG_QUIET 4
#define PNG_SCALE 8

static QRcode *encode(const char *text, char *err)
{
  QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);

  if(!q)
    pr_seterr(err, "the text does not fit a QR code (%zu bytes)",
              strlen(text));
  return q;
}

/* 1 when module (x, y) is dark; outside the symbol is the quiet zone. */
static int dark(const QRcode *q, int x, int y)
{
  if(x < 0 || y < 0 || x >= q->width || y >= q->width)
    return 0;
  return q->data[y * q->width + x] & 1;
}

enum pr_rc qrout_terminal(FILE *f, const char *text, char *err)
{
  QRcode *q = encode(text, err);
  int x, y;

  if(!q)
    return PR_EINVAL;
  for(y = -QUIET; y < q->width + QUIET; y += 2) {
    for(x = -QUIET; x < q->width + QUIET; x++) {
      int top = dark(q, x, y), bot = dark(q, x, y + 1);
      /* light = a full block, so the code is dark on light anywhere */
      fputs(top && bot ? " " : top ? "▄" : bot ? "▀" : "█", f);
    }
    fputc('\n', f);
  }
  QRcode_free(q);
  return PR_OK;
}

/* libpng reports errors by longjmp: keep the jump in a function whose
 * locals are not used after it.  0 / -1. */
static int write_png(png_structp png, png_infop info, FILE *f,
                     const QRcode *q, int size, unsigned char *row)
{
  int x, y;

  if(setjmp(png_jmpbuf(png)))
    return -1;
  png_init_io(png, f);
  png_set_IHDR(png, info, (png_uint_32)size, (png_uint_32)size, 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for(y = 0; y < size; y++) {
    for(x = 0; x < size; x++)
      row[x] = dark(q, x / PNG_SCALE - PNG_QUIET, y / PNG_SCALE - PNG_QUIET)
                   ? 0 : 255;
    png_write_row(png, row);
  }
  png_write_end(png, NULL);
  return 0;
}

enum pr_rc qrout_png(const char *path, const char *text, char *err)
{
  QRcode *q = encode(text, err);
  FILE *f = NULL;
  png_structp png = NULL;
  png_infop info = NULL;
  unsigned char *row = NULL;
  enum pr_rc rc = PR_EIO;
  int size;

  if(!q)
    return PR_EINVAL;
  size = (q->width + 2 * PNG_QUIET) * PNG_SCALE;
  row = pr_malloc((size_t)size);
  f = fopen(path, "wb");
  if(!f) {
    pr_seterr(err, "%s: cannot write: %s", path, strerror(errno));
    goto out;
  }
  png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  info = png ? png_create_info_struct(png) : NULL;
  if(!row || !png || !info) {
    rc = PR_ENOMEM;
    goto out;
  }
  if(write_png(png, info, f, q, size, row) != 0) {
    pr_seterr(err, "%s: PNG could not be written", path);
    goto out;
  }
  rc = PR_OK;
out:
  if(png)
    png_destroy_write_struct(&png, info ? &info : NULL);
  if(f && fclose(f) != 0 && rc == PR_OK) {
    pr_seterr(err, "%s: cannot write: %s", path, strerror(errno));
    rc = PR_EIO;
  }
  pr_free(row);
  QRcode_free(q);
  return rc;
}
