/* enrolcmd.c — This file contains "rostctl enrol" (enrolcmd.h). */
#include "enrolcmd.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "enrolcli.h"
#include "sync_config.h"

int enrolcmd(int argc, char **argv)
{
  static const char *const opts[] = {"--config", "--token-file", "--url",
                                     "--code"};
  const char *vals[PR_ARRAY_LEN(opts)] = {0};
  const char *pos[1];
  struct sync_config cfg;
  struct enrolcli_info info;
  char err[PR_ERR_LEN];
  int n_pos = 0, ret;

  ret = cli_parse(argc, argv, ENROLCMD_ARGS, (int)PR_ARRAY_LEN(opts), opts,
                  vals, pos, 0, &n_pos);
  if(ret != CLI_OK)
    return ret;
  sync_config_defaults(&cfg);
  if(vals[0] && sync_config_load(vals[0], &cfg, err) != PR_OK)
    return cli_usage(argv[0], ENROLCMD_ARGS, "%s", err);
  if(vals[1] && sync_config_set(&cfg, "token_file", vals[1], err) != PR_OK)
    return cli_usage(argv[0], ENROLCMD_ARGS, "--token-file: %s", err);
  if(!vals[0] && !vals[1])
    return cli_usage(argv[0], ENROLCMD_ARGS, "give --config (the kiosk's "
                     "config file) or --token-file");
  if(!vals[2] || !vals[3])
    return cli_usage(argv[0], ENROLCMD_ARGS, "give --url and --code (both "
                     "printed by rost-agg enrol)");
  if(enrolcli_run(&cfg, vals[2], vals[3], &info, err) != PR_OK) {
    fprintf(stderr, "rostctl enrol: %s\n", err);
    return CLI_FAIL;
  }
  printf("Ansluten till %s som \"%s\" (%s), enhets-id %s.\n"
         "Serverns fingeravtryck: %s\n"
         "Nyckeln sparad i %s (bara läsbar för ägaren).\n", info.url,
         info.name, info.unit, info.device, info.pin, cfg.token_file);
  return CLI_OK;
}
