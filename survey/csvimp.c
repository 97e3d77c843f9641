/* csvimp.c — This file contains the CSV reader declared in csvimp.h:
 * encoding detection and conversion, separator detection, an RFC 4180
 * record parser that keeps going after a bad row, and header mapping. */
#include "csvimp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "textcol.h"

struct csvimp_rowrec {
  long line;
  size_t first;      /* index of its first field in c->fields */
  int nfields;
  char *error;       /* owned, or NULL */
};

struct csvimp {
  char sep;
  const char *encoding;
  char *arena;       /* all field texts, NUL-separated */
  size_t arena_len, arena_cap;
  size_t *fields;    /* offsets into arena */
  size_t nfields, fields_cap;
  struct csvimp_rowrec *rows;  /* rows[0] is the header while parsing */
  int nrows, rows_cap;
  int ncols;
  long skipped_lines; /* lines before the text parsed (a "sep=" line) */
  int *map;          /* wanted column -> header field index, or -1 */
  int header_fields;
};

/* ---- growing buffers ------------------------------------------------ */

static int arena_put(struct csvimp *c, const char *s, size_t n)
{
  if(c->arena_len + n + 1 > c->arena_cap) {
    size_t cap = c->arena_cap ? c->arena_cap : 4096;
    char *p;
    while(cap < c->arena_len + n + 1)
      cap *= 2;
    p = pr_realloc(c->arena, cap);
    if(!p)
      return -1;
    c->arena = p;
    c->arena_cap = cap;
  }
  memcpy(c->arena + c->arena_len, s, n);
  c->arena_len += n;
  return 0;
}

static int field_push(struct csvimp *c, size_t off)
{
  if(c->nfields == c->fields_cap) {
    size_t cap = c->fields_cap ? c->fields_cap * 2 : 256;
    size_t *p = pr_realloc(c->fields, cap * sizeof(*p));
    if(!p)
      return -1;
    c->fields = p;
    c->fields_cap = cap;
  }
  c->fields[c->nfields++] = off;
  return 0;
}

static struct csvimp_rowrec *row_push(struct csvimp *c, long line)
{
  struct csvimp_rowrec *r;
  if(c->nrows == c->rows_cap) {
    int cap = c->rows_cap ? c->rows_cap * 2 : 64;
    struct csvimp_rowrec *p = pr_realloc(c->rows, (size_t)cap * sizeof(*p));
    if(!p)
      return NULL;
    c->rows = p;
    c->rows_cap = cap;
  }
  r = &c->rows[c->nrows++];
  memset(r, 0, sizeof(*r));
  r->line = line;
  r->first = c->nfields;
  return r;
}

static int row_fail(struct csvimp_rowrec *r, const char *msg)
{
  if(r->error)
    return 0;            /* the first problem is the one reported */
  r->error = pr_strdup(msg);
  return r->error ? 0 : -1;
}

/* ---- encoding ------------------------------------------------------- */


static int is_utf8(const char *buf, size_t len)
{
  const unsigned char *p = (const unsigned char *)buf;
  size_t i = 0;
  while(i < len) {
    size_t k = textcol_utf8_next(p + i, len - i, NULL);
    if(!k)
      return 0;
    i += k;
  }
  return 1;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const unsigned short cp1252_hi[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* Convert Windows-1252 to UTF-8.  *out is the caller's; NULL when a byte
 * is undefined in Windows-1252 (then the file is no text we know). */
static enum pr_rc cp1252_to_utf8(const char *buf, size_t len, char **out,
                                 size_t *olen, char *err)
{
  const unsigned char *p = (const unsigned char *)buf;
  char *o = pr_malloc(len * 3 + 1);
  size_t k = 0;
  *out = NULL;
  if(!o)
    return PR_ENOMEM;
  for(size_t i = 0; i < len; i++) {
    unsigned cp = p[i];
    if(cp >= 0x80 && cp <= 0x9F) {
      cp = cp1252_hi[cp - 0x80];
      if(!cp) {
        pr_seterr(err, "byte 0x%02X at offset %zu is neither UTF-8 nor "
                  "Windows-1252 text", p[i], i);
        pr_free(o);
        return PR_EINVAL;
      }
    }
    if(cp < 0x80) {
      o[k++] = (char)cp;
    } else if(cp < 0x800) {
      o[k++] = (char)(0xC0 | (cp >> 6));
      o[k++] = (char)(0x80 | (cp & 0x3F));
    } else {
      o[k++] = (char)(0xE0 | (cp >> 12));
      o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
      o[k++] = (char)(0x80 | (cp & 0x3F));
    }
  }
  o[k] = '\0';
  *out = o;
  *olen = k;
  return PR_OK;
}

/* Refuse what is plainly not a CSV text file, naming what it looks like. */
static enum pr_rc sniff(const char *name, const char *buf, size_t len,
                        char *err)
{
  const unsigned char *p = (const unsigned char *)buf;
  size_t ctrl = 0, i = 0;
  if(len == 0) {
    pr_seterr(err, "%s: the file is empty", name);
    return PR_EINVAL;
  }
  if(len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
                  (p[0] == 0xFE && p[1] == 0xFF))) {
    pr_seterr(err, "%s: the file is UTF-16; save it as \"CSV UTF-8\"",
              name);
    return PR_EINVAL;
  }
  if(len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0) {
    pr_seterr(err, "%s: this is a ZIP/Excel (.xlsx) file, not CSV; save "
              "it as CSV first", name);
    return PR_EINVAL;
  }
  if(len >= 5 && memcmp(buf, "%PDF-", 5) == 0) {
    pr_seterr(err, "%s: this is a PDF file, not CSV", name);
    return PR_EINVAL;
  }
  for(i = 0; i < len; i++) {
    if(p[i] == 0) {
      pr_seterr(err, "%s: binary file (NUL byte at offset %zu), not CSV",
                name, i);
      return PR_EINVAL;
    }
    if(p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n' &&
       p[i] != 0x0C)
      ctrl++;
  }
  if(ctrl > 0) {
    pr_seterr(err, "%s: binary file (%zu control bytes), not CSV", name,
              ctrl);
    return PR_EINVAL;
  }
  i = 0;
  if(len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while(i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
                    p[i] == '\n'))
    i++;
  if(i < len && p[i] == '<') {
    pr_seterr(err, "%s: this looks like HTML or XML (starts with '<'), "
              "not CSV", name);
    return PR_EINVAL;
  }
  if(i < len && (p[i] == '{' || p[i] == '[')) {
    pr_seterr(err, "%s: this looks like JSON, not CSV", name);
    return PR_EINVAL;
  }
  return PR_OK;
}

/* ---- parsing -------------------------------------------------------- */

/* Separator from the first line: the more frequent of ';' and ',' outside
 * quotes; ';' (Swedish Excel) on a tie. */
static char detect_sep(const char *p, size_t n)
{
  int semi = 0, comma = 0, inq = 0;
  for(size_t i = 0; i < n; i++) {
    if(p[i] == '"')
      inq = !inq;
    else if(!inq && (p[i] == '\n' || p[i] == '\r'))
      break;
    else if(!inq && p[i] == ';')
      semi++;
    else if(!inq && p[i] == ',')
      comma++;
  }
  return comma > semi ? ',' : ';';
}

/* Store field text [s, s+n) trimmed of spaces/tabs, as one arena string. */
static int put_field(struct csvimp *c, const char *s, size_t n)
{
  size_t off = c->arena_len;
  while(n > 0 && (s[0] == ' ' || s[0] == '\t')) { s++; n--; }
  while(n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if(arena_put(c, s, n) || arena_put(c, "", 0))
    return -1;
  c->arena[c->arena_len++] = '\0';
  return field_push(c, off);
}

/* Parse every record.  Returns -1 on out-of-memory only. */
static int parse_records(struct csvimp *c, const char *p, size_t n)
{
  size_t i = 0;
  long line = 1;
  char msg[PR_ERR_LEN];
  char *tmp = pr_malloc(CSVIMP_MAX_FIELD + 1);
  int rc = -1;

  if(!tmp)
    return -1;
  while(i < n) {
    struct csvimp_rowrec *r = row_push(c, line);
    int end_of_record = 0;
    if(!r)
      goto out;
    while(!end_of_record) {
      size_t k = 0;
      int toolong = 0;
      size_t ws = i;
      /* spaces before an opening quote are allowed (" a", "b") */
      while(ws < n && (p[ws] == ' ' || p[ws] == '\t'))
        ws++;
      if(ws < n && p[ws] == '"')
        i = ws;
      if(i < n && p[i] == '"') {
        long opened = line;
        int closed = 0;
        i++;
        while(i < n) {
          if(p[i] == '"') {
            if(i + 1 < n && p[i + 1] == '"') {
              i += 2;
              if(k < CSVIMP_MAX_FIELD) tmp[k++] = '"'; else toolong = 1;
              continue;
            }
            i++;
            closed = 1;
            break;
          }
          if(p[i] == '\n')
            line++;
          if(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') {
            i++;        /* CRLF inside a quoted field is one newline */
            continue;
          }
          if(k < CSVIMP_MAX_FIELD) tmp[k++] = p[i]; else toolong = 1;
          i++;
        }
        if(!closed) {
          snprintf(msg, sizeof(msg), "a quoted field opened on line %ld "
                   "is never closed (lines %ld-%ld were not read)", opened,
                   opened, line);
          if(row_fail(r, msg))
            goto out;
        } else {
          /* Only spaces may follow a closing quote. */
          while(i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
          if(i < n && p[i] != c->sep && p[i] != '\r' && p[i] != '\n') {
            if(row_fail(r, "text after a closing quote (a quote inside a "
                        "field must be doubled: \"\")"))
              goto out;
            while(i < n && p[i] != c->sep && p[i] != '\r' && p[i] != '\n')
              i++;
          }
        }
      } else {
        int stray = 0;
        while(i < n && p[i] != c->sep && p[i] != '\r' && p[i] != '\n') {
          if(p[i] == '"')
            stray = 1;
          if(k < CSVIMP_MAX_FIELD) tmp[k++] = p[i]; else toolong = 1;
          i++;
        }
        if(stray && row_fail(r, "a quote inside an unquoted field (quote "
                             "the whole field and double the quote)"))
          goto out;
      }
      if(toolong) {
        snprintf(msg, sizeof(msg), "field %d is longer than %d bytes",
                 r->nfields + 1, CSVIMP_MAX_FIELD);
        if(row_fail(r, msg))
          goto out;
      }
      if(put_field(c, tmp, k))
        goto out;
      r->nfields++;
      if(i < n && p[i] == c->sep) {
        i++;
        if(i == n)              /* "a;b;" at end of file: one more field */
          continue;
      } else {
        if(i < n && p[i] == '\r')
          i++;
        if(i < n && p[i] == '\n')
          i++;
        line++;
        end_of_record = 1;
      }
      if(i >= n)
        end_of_record = 1;
    }
  }
  rc = 0;
out:
  pr_free(tmp);
  return rc;
}

/* ---- header mapping ------------------------------------------------- */

/* Fold a header name: ASCII lower case, å/ä/ö/é to a/a/o/e, drop spaces,
 * '_', '-', '.', '/'. */
static void fold(const char *s, char *o, size_t cap)
{
  size_t k = 0;
  const unsigned char *p = (const unsigned char *)s;
  while(*p && k + 1 < cap) {
    unsigned char ch = *p;
    if(ch == 0xC3 && p[1]) {
      unsigned char x = p[1] | 0x20;   /* upper -> lower for A-ring etc. */
      char f = 0;
      if(x == 0xA5 || x == 0xA4 || x == 0xA0 || x == 0xA1) f = 'a';
      else if(x == 0xB6 || x == 0xB3) f = 'o';
      else if(x == 0xA9 || x == 0xA8) f = 'e';
      else if(x == 0xBC) f = 'u';
      if(f) { o[k++] = f; p += 2; continue; }
    }
    if(ch == ' ' || ch == '_' || ch == '-' || ch == '.' || ch == '/' ||
       ch == '\t') {
      p++;
      continue;
    }
    o[k++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
    p++;
  }
  o[k] = '\0';
}

static const char *field_at(const struct csvimp *c, int row, int f)
{
  const struct csvimp_rowrec *r = &c->rows[row];
  if(f < 0 || f >= r->nfields)
    return "";
  return c->arena + c->fields[r->first + (size_t)f];
}

static int row_empty(const struct csvimp *c, int row)
{
  for(int f = 0; f < c->rows[row].nfields; f++)
    if(field_at(c, row, f)[0])
      return 0;
  return 1;
}

static enum pr_rc map_header(struct csvimp *c, const char *name,
                             const struct csvimp_col *cols, int ncols,
                             int hdr, char *err)
{
  char missing[160] = "", seen[200] = "";
  int nmissing = 0, known = 0;
  const struct csvimp_rowrec *h = &c->rows[hdr];

  c->map = pr_malloc((size_t)ncols * sizeof(int));
  if(!c->map)
    return PR_ENOMEM;
  c->ncols = ncols;
  c->header_fields = h->nfields;
  if(h->error) {
    pr_seterr(err, "%s: line %ld: the header row is broken: %s", name,
              h->line, h->error);
    return PR_EINVAL;
  }
  for(int w = 0; w < ncols; w++) {
    c->map[w] = -1;
    for(int f = 0; f < h->nfields; f++) {
      char a[64], b[64];
      fold(field_at(c, hdr, f), a, sizeof(a));
      for(const char *const *al = cols[w].aliases; *al; al++) {
        fold(*al, b, sizeof(b));
        if(strcmp(a, b) == 0) {
          if(c->map[w] >= 0) {
            pr_seterr(err, "%s: line %ld: two columns mean '%s' "
                      "(columns %d and %d)", name, h->line, cols[w].key,
                      c->map[w] + 1, f + 1);
            return PR_EINVAL;
          }
          c->map[w] = f;
        }
      }
    }
    if(c->map[w] >= 0)
      known++;
    else if(cols[w].required) {
      size_t l = strlen(missing);
      snprintf(missing + l, sizeof(missing) - l, "%s%s",
               nmissing ? ", " : "", cols[w].key);
      nmissing++;
    }
  }
  if(nmissing) {
    for(int f = 0; f < h->nfields && f < 8; f++) {
      size_t l = strlen(seen);
      /* Header names are column titles, not personal data. */
      snprintf(seen + l, sizeof(seen) - l, "%s'%.30s'", f ? ", " : "",
               field_at(c, hdr, f));
    }
    if(!known)
      pr_seterr(err, "%s: not a call list: no known column in the first "
                "row (found %s)", name, seen);
    else
      pr_seterr(err, "%s: line %ld: missing column(s): %s (found %s)", name,
                h->line, missing, seen);
    return PR_EINVAL;
  }
  return PR_OK;
}

/* ---- public --------------------------------------------------------- */

enum pr_rc csvimp_parse(const char *name, const char *buf, size_t len,
                        const struct csvimp_col *cols, int ncols,
                        struct csvimp **out, char *err)
{
  enum pr_rc rc = PR_EINVAL;
  struct csvimp *c = NULL;
  char *conv = NULL;
  const char *text = buf;
  size_t tlen = len;
  int hdr = 0, w = 0;

  *out = NULL;
  if(len > (size_t)CSVIMP_MAX_BYTES) {
    pr_seterr(err, "%s: the file is larger than %ld MiB", name,
              CSVIMP_MAX_BYTES / (1024 * 1024));
    return PR_ELIMIT;
  }
  rc = sniff(name, buf, len, err);
  if(rc)
    goto out;
  c = pr_calloc(1, sizeof(*c));
  if(!c) { rc = PR_ENOMEM; goto out; }
  if(len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    tlen -= 3;
    c->encoding = "UTF-8 BOM";
    if(!is_utf8(text, tlen)) {
      pr_seterr(err, "%s: starts with a UTF-8 mark but is not valid UTF-8",
                name);
      rc = PR_EINVAL;
      goto out;
    }
  } else if(is_utf8(text, tlen)) {
    c->encoding = "UTF-8";
  } else {
    char e2[PR_ERR_LEN];
    size_t clen = 0;
    rc = cp1252_to_utf8(text, tlen, &conv, &clen, e2);
    if(rc) {
      pr_seterr(err, "%s: %s", name, e2);
      goto out;
    }
    text = conv;
    tlen = clen;
    c->encoding = "Windows-1252";
  }
  c->sep = detect_sep(text, tlen);
  /* Excel's "sep=;" first line names the separator: use it, skip it. */
  if(tlen >= 5 && strncmp(text, "sep=", 4) == 0 &&
     (text[4] == ';' || text[4] == ',') &&
     (tlen == 5 || text[5] == '\r' || text[5] == '\n')) {
    c->sep = text[4];
    text += 5;
    tlen -= 5;
    while(tlen > 0 && (*text == '\r' || *text == '\n')) {
      if(*text == '\n')
        c->skipped_lines++;
      text++;
      tlen--;
    }
  }
  rc = PR_ENOMEM;
  if(parse_records(c, text, tlen))
    goto out;
  while(hdr < c->nrows && row_empty(c, hdr))
    hdr++;
  if(hdr == c->nrows) {
    pr_seterr(err, "%s: the file has no rows", name);
    rc = PR_EINVAL;
    goto out;
  }
  rc = map_header(c, name, cols, ncols, hdr, err);
  if(rc)
    goto out;
  /* Drop the header and empty lines; check field counts.  Only rows up to
   * the header can carry an error and be dropped: free those texts. */
  for(int r = 0; r <= hdr; r++) {
    pr_free(c->rows[r].error);
    c->rows[r].error = NULL;
  }
  for(int r = hdr + 1; r < c->nrows; r++) {
    struct csvimp_rowrec *row = &c->rows[r];
    if(!row->error && row_empty(c, r))
      continue;
    if(!row->error && row->nfields < c->header_fields) {
      char msg[PR_ERR_LEN];
      snprintf(msg, sizeof(msg), "has %d field(s), the header has %d "
               "(separator is '%c')", row->nfields, c->header_fields,
               c->sep);
      if(row_fail(row, msg)) { rc = PR_ENOMEM; goto out; }
    } else if(!row->error && row->nfields > c->header_fields) {
      /* Trailing empty fields (Excel) are harmless; text there is not. */
      for(int f = c->header_fields; f < row->nfields; f++)
        if(field_at(c, r, f)[0]) {
          char msg[PR_ERR_LEN];
          snprintf(msg, sizeof(msg), "has %d fields, the header has %d "
                   "(an unquoted '%c' inside a field?)", row->nfields,
                   c->header_fields, c->sep);
          if(row_fail(row, msg)) { rc = PR_ENOMEM; goto out; }
          break;
        }
    }
  }
  for(int r = hdr + 1; r < c->nrows; r++)
    if(c->rows[r].error || !row_empty(c, r))
      c->rows[w++] = c->rows[r];
  c->nrows = w;
  *out = c;
  c = NULL;
  rc = PR_OK;
out:
  pr_free(conv);
  csvimp_free(c);
  return rc;
}

enum pr_rc csvimp_read_file(const char *path, const struct csvimp_col *cols,
                            int ncols, struct csvimp **out, char *err)
{
  enum pr_rc rc = PR_EIO;
  FILE *f = NULL;
  char *buf = NULL;
  struct stat st;
  size_t got;
  const char *base = strrchr(path, '/');

  *out = NULL;
  base = base ? base + 1 : path;
  f = fopen(path, "rb");
  if(!f || fstat(fileno(f), &st) != 0) {
    pr_seterr(err, "%s: cannot open: %s", path, strerror(errno));
    goto out;
  }
  if(!S_ISREG(st.st_mode)) {
    pr_seterr(err, "%s: not a regular file", path);
    rc = PR_EINVAL;
    goto out;
  }
  if(st.st_size > CSVIMP_MAX_BYTES) {
    pr_seterr(err, "%s: the file is larger than %ld MiB", path,
              CSVIMP_MAX_BYTES / (1024 * 1024));
    rc = PR_ELIMIT;
    goto out;
  }
  buf = pr_malloc((size_t)st.st_size + 1);
  if(!buf) { rc = PR_ENOMEM; goto out; }
  got = fread(buf, 1, (size_t)st.st_size, f);
  if(got != (size_t)st.st_size) {
    pr_seterr(err, "%s: read error", path);
    goto out;
  }
  rc = csvimp_parse(base, buf, got, cols, ncols, out, err);
out:
  if(f)
    fclose(f);
  pr_free(buf);
  return rc;
}

void csvimp_free(struct csvimp *c)
{
  if(!c)
    return;
  for(int r = 0; r < c->nrows; r++)
    pr_free(c->rows[r].error);
  pr_free(c->rows);
  pr_free(c->fields);
  pr_free(c->arena);
  pr_free(c->map);
  pr_free(c);
}

int csvimp_rows(const struct csvimp *c)
{
  return c->nrows;
}

long csvimp_line(const struct csvimp *c, int r)
{
  return c->rows[r].line + c->skipped_lines;
}

const char *csvimp_field(const struct csvimp *c, int r, int col)
{
  if(col < 0 || col >= c->ncols)
    return "";
  return field_at(c, r, c->map[col]);
}

const char *csvimp_row_error(const struct csvimp *c, int r)
{
  return c->rows[r].error;
}

char csvimp_separator(const struct csvimp *c)
{
  return c->sep;
}

const char *csvimp_encoding(const struct csvimp *c)
{
  return c->encoding;
}
