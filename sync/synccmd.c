/* synccmd.c — This file contains "rostctl sync" (synccmd.h): settings from
 * a kiosk config file or from options, one sync_round, a report for a
 * person on stdout. */
#include "synccmd.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conffile.h"
#include "enrolcli.h"
#include "store.h"
#include "sync.h"

/* The kiosk config names its store with "store = PATH"; read just that. */
static int store_from_config(const char *path, char *out, size_t cap)
{
  return conffile_get(path, "store", out, cap) == 1 ||
         conffile_get(path, "store_path", out, cap) == 1;
}

int synccmd(int argc, char **argv)
{
  static const char *const opts[] = {"--config", "--store", "--url",
    "--token-file", "--ca", "--pins", "--sets", "--period"};
  static const char *const keys[] = {NULL, NULL, "url", "token_file",
    "ca_file", "pins", "sets_dir", "period"};
  const char *vals[PR_ARRAY_LEN(opts)] = {0};
  const char *pos[1];
  struct sync_config cfg;
  struct store *st = NULL;
  struct sync_client *cl = NULL;
  struct sync_report rep;
  char err[PR_ERR_LEN], store_path[SYNC_PATH_LEN], text[600];
  int n_pos = 0, ret;

  ret = cli_parse(argc, argv, SYNCCMD_ARGS, (int)PR_ARRAY_LEN(opts), opts,
                  vals, pos, 0, &n_pos);
  if(ret != CLI_OK)
    return ret;
  sync_config_defaults(&cfg);
  store_path[0] = '\0';
  if(vals[0]) {
    if(sync_config_load(vals[0], &cfg, err) != PR_OK)
      return cli_usage(argv[0], SYNCCMD_ARGS, "%s", err);
    if(!store_from_config(vals[0], store_path, sizeof(store_path)) &&
       !vals[1])
      return cli_usage(argv[0], SYNCCMD_ARGS, "%s has no \"store = PATH\"; "
                       "give --store", vals[0]);
  }
  if(vals[1])
    pr_strlcpy(store_path, vals[1], sizeof(store_path));
  if(!store_path[0])
    return cli_usage(argv[0], SYNCCMD_ARGS, "give --config or --store");
  for(size_t i = 2; i < PR_ARRAY_LEN(opts); i++)
    if(vals[i] && sync_config_set(&cfg, keys[i], vals[i], err) != PR_OK)
      return cli_usage(argv[0], SYNCCMD_ARGS, "%s: %s", opts[i], err);
  (void)enrolcli_apply(&cfg);    /* enrolled by code (rostctl enrol) */
  if(vals[0] && conffile_get(vals[0], "sets_dir", cfg.shipped_sets_dir,
                             sizeof(cfg.shipped_sets_dir)) != 1)
    cfg.shipped_sets_dir[0] = '\0';
  if(sync_config_check(&cfg, err) != PR_OK)
    return cli_usage(argv[0], SYNCCMD_ARGS, "%s", err);
  ret = cli_open_store(argv[0], store_path, &st);
  if(ret != CLI_OK)
    return ret;
  ret = CLI_FAIL;
  if(sync_client_new(st, &cfg, &cl, err) != PR_OK) {
    fprintf(stderr, "rostctl sync: %s\n", err);
    goto out;
  }
  (void)sync_round(cl, &rep);
  sync_report_text(&rep, text, sizeof(text));
  printf("sync: %s\n", text);
  printf("  requests %d, sent %d, stored %d, duplicates %d, rejected %d "
         "(parked %d), could not anonymise %d, identifiers scrubbed %d\n",
         rep.requests, rep.sent, rep.stored, rep.duplicates, rep.rejected,
         sync_rejected_count(cl), rep.unsendable, rep.scrubbed);
  printf("  queue %d, new question-set versions %d, call statistics weeks "
         "%d, last HTTP status %ld", rep.queue, rep.sets_saved,
         rep.callstat_weeks, rep.http_status);
  if(rep.retry_after >= 0)
    printf(", retry after %ld s", rep.retry_after);
  printf("\n");
  if(rep.rc != PR_OK)
    fprintf(stderr, "rostctl sync: %s: %s\n", pr_strerror(rep.rc), rep.err);
  ret = rep.rc == PR_OK ? CLI_OK : CLI_FAIL;
out:
  sync_client_free(cl);
  store_close(st);
  return ret;
}
