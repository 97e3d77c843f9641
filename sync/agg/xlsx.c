/* xlsx.c — This file contains the Excel export (xlsx.h).  libxlsxwriter
 * only writes to a path, so the workbook goes to a mkstemp file that is
 * read back and unlinked at once. */
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "dash.h"
#include "pdate.h"

/* Sheet names: at most 31 chars, none of []:*?/\ .  A name already in
 * the workbook (two filters on one indicator) gets a number. */
static void sheet_name(lxw_workbook *wb, const char *ind, int i, char out[32])
{
  size_t k;
  snprintf(out, 32, "%.24s", dash_indicator_name(ind));
  for(k = 0; out[k]; k++)
    if(strchr("[]:*?/\\", out[k]))
      out[k] = '_';
  if(workbook_get_worksheet_by_name(wb, out)) {
    char tmp[48];
    snprintf(tmp, sizeof(tmp), "%.24s %d", out, (i + 1) % 1000);
    pr_strlcpy(out, tmp, 32);
  }
}

static void write_cell(lxw_worksheet *ws, int row, int col,
                       const struct indicq_cell *c, lxw_format *pctf,
                       int threshold, int with_ci)
{
  char txt[48];
  if(c->mark != SUPP_SHOW) {
    snprintf(txt, sizeof(txt), "visas inte (skydd, tröskel %d)", threshold);
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, txt, NULL);
    return;
  }
  if(!c->s.valid) {
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, "–", NULL);
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + (with_ci ? 3 : 1)),
                           0, NULL);
    return;
  }
  worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->s.share, pctf);
  if(with_ci) {
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 1), c->s.lo,
                           pctf);
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 2), c->s.hi,
                           pctf);
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 3),
                           (double)c->s.n, NULL);
    if(c->dk_hidden) {
      snprintf(txt, sizeof(txt), "dolt");
      worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)(col + 4), txt,
                             NULL);
    }
    else
      worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 4),
                             (double)c->s.dk, NULL);
  }
  else
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 1),
                           (double)c->s.n, NULL);
}

static void one_sheet(lxw_workbook *wb, const struct indicq_result *r, int idx,
                      lxw_format *bold, lxw_format *pctf)
{
  char name[32], from[11], to[11], title[160];
  lxw_worksheet *ws;
  lxw_chart *ch;
  lxw_chart_series *se;
  int nb = indicq_n_buckets(r), nu = indicq_n_units(r), i;
  int u = r->focus >= 0 ? r->focus : nu;
  const int top = 4;  /* header row index */
  static const char *const head[] = {
    "Period", "Andel positiva", "95 % KI låg", "95 % KI hög", "n", "Vet ej",
    "Regionen", "n (regionen)", "Mål"};

  sheet_name(wb, r->f.indicator, idx, name);
  ws = workbook_add_worksheet(wb, name);
  if(!ws)
    return;
  pdate_format(r->f.from, from);
  pdate_format(r->f.to, to);
  snprintf(title, sizeof(title), "%s – %s, %s till %s",
           dash_indicator_name(r->f.indicator),
           r->f.unit[0] ? r->f.unit : "hela regionen", from, to);
  worksheet_write_string(ws, 0, 0, title, bold);
  snprintf(title, sizeof(title), "Mål: %.0f %%. Grupper under %d svar visas "
           "inte. 95 %% Wilson-intervall. Vet ej räknas inte i andelen.",
           r->f.goal * 100.0, r->f.threshold);
  worksheet_write_string(ws, 1, 0, title, NULL);
  xlsx_head_row(ws, top, head, PR_ARRAY_LEN(head), bold);
  for(i = 0; i < nb; i++) {
    struct indicq_cell c = indicq_cell(r, i, u);
    struct indicq_cell rc = indicq_cell(r, i, nu);
    worksheet_write_string(ws, (lxw_row_t)(top + 1 + i), 0, r->labels[i], NULL);
    write_cell(ws, top + 1 + i, 1, &c, pctf, r->f.threshold, 1);
    write_cell(ws, top + 1 + i, 6, &rc, pctf, r->f.threshold, 0);
    worksheet_write_number(ws, (lxw_row_t)(top + 1 + i), 8, r->f.goal, pctf);
  }
  {
    struct indicq_cell c = indicq_cell(r, nb, u);
    struct indicq_cell rc = indicq_cell(r, nb, nu);
    worksheet_write_string(ws, (lxw_row_t)(top + 1 + nb), 0, "Hela perioden",
                           bold);
    write_cell(ws, top + 1 + nb, 1, &c, pctf, r->f.threshold, 1);
    write_cell(ws, top + 1 + nb, 6, &rc, pctf, r->f.threshold, 0);
  }
  worksheet_set_column(ws, 0, 0, 16, NULL);
  worksheet_set_column(ws, 1, 8, 13, NULL);

  ch = workbook_add_chart(wb, LXW_CHART_LINE);
  if(!ch)
    return;
  se = xlsx_series(ch, name, top + 1, top + nb, 0, 1,
                   r->f.unit[0] ? r->f.unit : "Regionen");
  if(se)
    chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
  if(r->focus >= 0)
    xlsx_series(ch, name, top + 1, top + nb, 0, 6, "Regionen");
  xlsx_series(ch, name, top + 1, top + nb, 0, 8, "Mål");
  chart_title_set_name(ch, dash_indicator_name(r->f.indicator));
  chart_axis_set_min(ch->y_axis, 0);
  chart_axis_set_max(ch->y_axis, 1);
  chart_axis_set_num_format(ch->y_axis, "0%");
  chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
  worksheet_insert_chart(ws, (lxw_row_t)(top + nb + 4), 0, ch);
}

struct export_ctx {
  struct indicq_result *const *res;
  int n;
};

static void fill_export(lxw_workbook *wb, lxw_format *bold, void *ctx)
{
  static const char *const about[] = {
    "Andel positiva = positiva svar / (positiva + negativa). Vet ej / vill "
    "inte svara räknas för sig.",
    "Konfidensintervall: 95 % Wilson.",
    "Celler med färre svar än tröskeln visas inte, och fler celler döljs så "
    "att de inte kan räknas fram ur summor.",
    "Perioden räknas i hela månader (veckor i hela veckor). Ett kvartal, ett "
    "år eller hela perioden visas bara när det är summan av månader eller "
    "kvartal som själva visas.",
    "Svarsfrekvens (RR1) och samarbetsgrad (COOP1): genomförda intervjuer av "
    "alla med slutligt utfall, respektive av dem som nåddes; n = nämnaren."};
  const struct export_ctx *x = ctx;
  lxw_format *pctf;
  int i;

  pctf = workbook_add_format(wb);
  format_set_num_format(pctf, "0.0%");
  for(i = 0; i < x->n; i++)
    one_sheet(wb, x->res[i], i, bold, pctf);
  xlsx_about(wb, bold, "Patientröst – export", about, PR_ARRAY_LEN(about));
}

lxw_chart_series *xlsx_series(lxw_chart *ch, const char *sheet, int first,
                              int last, int cat_col, int val_col,
                              const char *name)
{
  lxw_chart_series *se = chart_add_series(ch, NULL, NULL);

  if(!se)
    return NULL;
  chart_series_set_categories(se, sheet, (lxw_row_t)first, (lxw_col_t)cat_col,
                              (lxw_row_t)last, (lxw_col_t)cat_col);
  chart_series_set_values(se, sheet, (lxw_row_t)first, (lxw_col_t)val_col,
                          (lxw_row_t)last, (lxw_col_t)val_col);
  if(name)
    chart_series_set_name(se, name);
  return se;
}

void xlsx_head_row(lxw_worksheet *ws, int row, const char *const *head,
                   size_t n, lxw_format *bold)
{
  for(size_t k = 0; k < n; k++)
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)k, head[k], bold);
}

void xlsx_about(lxw_workbook *wb, lxw_format *bold, const char *title,
                const char *const *line, size_t n)
{
  lxw_worksheet *about = workbook_add_worksheet(wb, "Om siffrorna");

  if(!about)
    return;
  worksheet_write_string(about, 0, 0, title, bold);
  for(size_t k = 0; k < n; k++)
    worksheet_write_string(about, (lxw_row_t)(k + 1), 0, line[k], NULL);
}

enum pr_rc xlsx_export(struct indicq_result *const *res, int n, char **out,
                       size_t *len, char *err)
{
  struct export_ctx x = {res, n};
  return xlsx_build(fill_export, &x, out, len, err);
}

enum pr_rc xlsx_build(xlsx_fill_fn fill, void *ctx, char **out, size_t *len,
                      char *err)
{
  enum pr_rc rc = PR_EIO;
  char path[] = "/tmp/rost-agg-xlsx-XXXXXX";
  lxw_workbook *wb = NULL;
  lxw_workbook_options opt;
  lxw_format *bold;
  FILE *f = NULL;
  char *buf = NULL;
  long size;
  int fd;

  *out = NULL;
  *len = 0;
  fd = mkstemp(path);
  if(fd < 0) {
    pr_seterr(err, "cannot create a temporary file for the workbook");
    return PR_EIO;
  }
  close(fd);
  memset(&opt, 0, sizeof(opt));
  opt.constant_memory = LXW_FALSE;
  opt.tmpdir = "/tmp";
  wb = workbook_new_opt(path, &opt);
  if(!wb) {
    pr_seterr(err, "libxlsxwriter could not start a workbook");
    goto out;
  }
  bold = workbook_add_format(wb);
  format_set_bold(bold);
  fill(wb, bold, ctx);
  if(workbook_close(wb) != LXW_NO_ERROR) {
    wb = NULL;
    pr_seterr(err, "libxlsxwriter could not write the workbook");
    goto out;
  }
  wb = NULL;
  f = fopen(path, "rb");
  if(!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
     fseek(f, 0, SEEK_SET) != 0) {
    pr_seterr(err, "cannot read the workbook back");
    goto out;
  }
  rc = PR_ENOMEM;
  buf = pr_malloc((size_t)size);
  if(!buf)
    goto out;
  rc = PR_EIO;
  if(fread(buf, 1, (size_t)size, f) != (size_t)size) {
    pr_seterr(err, "short read of the workbook");
    goto out;
  }
  *out = buf;
  *len = (size_t)size;
  buf = NULL;
  rc = PR_OK;
out:
  if(wb)
    workbook_close(wb);
  if(f)
    fclose(f);
  unlink(path);
  pr_free(buf);
  return rc;
}
