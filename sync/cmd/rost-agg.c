/* This file contains rost-agg, the aggregator's program: `serve` runs the
 * HTTPS server until SIGTERM, the other commands administer devices and
 * question sets.  Commands are a table; other modules add one line each
 * (their functions take argc/argv after the command name and return an
 * exit status). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aggcli.h"
#include "aggconf.h"
#include "aggdb.h"
#include "aggdev.h"
#include "aggsets.h"
#include "aggsrv.h"
#include "enrol.h"
#include "qrout.h"
#include "lettercmd.h"
#include "cli.h"
#include "report.h"
#include "version.h"
#include "samv.h"

struct cmd {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *usage;
};

static int cmd_serve(int argc, char **argv);
static int cmd_enrol(int argc, char **argv);
static int cmd_revoke(int argc, char **argv);
static int cmd_devices(int argc, char **argv);
static int cmd_publish(int argc, char **argv);
static int cmd_migrate(int argc, char **argv);
static void fmt_time(long long t, char *out, size_t cap);

static const struct cmd cmds[] = {
  { "serve", cmd_serve, "serve [--config F] [--db URL] [--listen ADDR:PORT] "
    "[--cert F] [--key F] [--sets-dir D] [--port-file F] [--set KEY=VALUE]" },
  { "enrol", cmd_enrol, "enrol --unit HSA-ID --name NAMN [--valid 24h] "
    "[--url https://...] [--cert F] [--qr] [--png FIL] [--token] [--config F|--db URL]"
    "   (engångskod för kiosken; --token: skriv nyckeln direkt)" },
  { "revoke", cmd_revoke, "revoke ENHET-ID [--config F|--db URL]   (spärra)" },
  { "devices", cmd_devices, "devices [--stale-days N] [--config F|--db URL]"
    "   (vilka kiosker har synkat, och när)" },
  { "publish", cmd_publish, "publish FIL.json [--config F|--db URL]"
    "   (ny version av en frågeuppsättning)" },
  { "migrate", cmd_migrate, "migrate [--config F|--db URL]" },
  /* "aggregates" (report.c): */
  { "report", report_cmd_report, REPORT_USAGE },
  { "user", report_cmd_user, USER_USAGE },
  { "token", report_cmd_token, TOKEN_USAGE },
  /* "samverkan" (samv.c): */
  { "lansdel", samv_cmd_lansdel, "lansdel add NAMN --unit HSA-ID [--unit ...] "
    "| lansdel list [--config F|--db URL]   (länsdelar för samverkan)" },
  /* "letters" (lettercmd.c): */
  { "recipients", lettercmd_recipients, LETTERCMD_RECIPIENTS_USAGE },
  { "letters", lettercmd_letters, LETTERCMD_LETTERS_USAGE },
};

static void usage(FILE *f)
{
  size_t i;

  fprintf(f, "Användning: rost-agg KOMMANDO [flaggor] | --version\n");
  for(i = 0; i < PR_ARRAY_LEN(cmds); i++)
    fprintf(f, "  rost-agg %s\n", cmds[i].usage);
}

/* Options shared by every command: --config, --db, and serve's keys. */
struct opts {
  struct aggconf conf;
  char port_file[512];
  char unit[64], name[128];
  long stale_days;
  long valid_s;                 /* enrol --valid */
  int qr, token;                /* enrol --qr, --token */
  char png[512], url[512];      /* enrol --png, --url */
};

enum { O_CONFIG = 1000, O_DB, O_LISTEN, O_CERT, O_KEY, O_SETS, O_PORTFILE,
       O_SET, O_UNIT, O_NAME, O_STALE, O_VALID, O_QR, O_PNG, O_URL,
       O_TOKEN };

static const struct option long_opts[] = {
  { "config", required_argument, NULL, O_CONFIG },
  { "db", required_argument, NULL, O_DB },
  { "listen", required_argument, NULL, O_LISTEN },
  { "cert", required_argument, NULL, O_CERT },
  { "key", required_argument, NULL, O_KEY },
  { "sets-dir", required_argument, NULL, O_SETS },
  { "port-file", required_argument, NULL, O_PORTFILE },
  { "set", required_argument, NULL, O_SET },
  { "unit", required_argument, NULL, O_UNIT },
  { "name", required_argument, NULL, O_NAME },
  { "stale-days", required_argument, NULL, O_STALE },
  { "valid", required_argument, NULL, O_VALID },
  { "qr", no_argument, NULL, O_QR },
  { "png", required_argument, NULL, O_PNG },
  { "url", required_argument, NULL, O_URL },
  { "token", no_argument, NULL, O_TOKEN },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 }
};

/* "24h", "90m", "2d", "3600s" or plain seconds -> *out (60 s .. 30 d).
 * 0 / -1. */
static int parse_duration(const char *s, long *out)
{
  char num[16];
  size_t n = strlen(s);
  long v, mul = 1;

  if(n == 0 || n >= sizeof(num))
    return -1;
  memcpy(num, s, n + 1);
  switch(num[n - 1]) {
  case 's': mul = 1; num[n - 1] = '\0'; break;
  case 'm': mul = 60; num[n - 1] = '\0'; break;
  case 'h': mul = 3600; num[n - 1] = '\0'; break;
  case 'd': mul = 86400; num[n - 1] = '\0'; break;
  default: break;
  }
  if(pr_parse_long(num, 1, ENROL_MAX_VALID, &v) != 0 ||
     v * mul < 60 || v * mul > ENROL_MAX_VALID)
    return -1;
  *out = v * mul;
  return 0;
}

/* Parse argv into o; the config file is read first wherever it appears so
 * flags override it.  Returns optind, or -1 after printing the error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
  char err[PR_ERR_LEN];
  const char *usage_line = NULL;
  int c, i;

  for(i = 0; i < (int)PR_ARRAY_LEN(cmds); i++)
    if(!strcmp(argv[0], cmds[i].name))
      usage_line = cmds[i].usage;

  memset(o, 0, sizeof(*o));
  o->stale_days = 2;
  o->valid_s = ENROL_DEFAULT_VALID;
  if(aggcli_begin(argc, argv, long_opts, usage_line, &o->conf) != 0)
    return -1;
  while((c = aggcli_getopt(argc, argv, "h", long_opts, usage_line)) != -1) {
    enum pr_rc rc = PR_OK;
    if(c == AGGCLI_REFUSED)
      return -1;
    switch(c) {
    case O_CONFIG: break;
    case O_DB: rc = aggconf_set(&o->conf, "db", optarg, err); break;
    case O_LISTEN: rc = aggconf_set(&o->conf, "listen", optarg, err); break;
    case O_CERT: rc = aggconf_set(&o->conf, "cert", optarg, err); break;
    case O_KEY: rc = aggconf_set(&o->conf, "key", optarg, err); break;
    case O_SETS: rc = aggconf_set(&o->conf, "sets_dir", optarg, err); break;
    case O_PORTFILE:
      pr_strlcpy(o->port_file, optarg, sizeof(o->port_file));
      break;
    case O_SET: rc = aggconf_set_kv(&o->conf, optarg, err); break;
    case O_UNIT:
      if(pr_strlcpy(o->unit, optarg, sizeof(o->unit))) {
        fprintf(stderr, "rost-agg: --unit är för lång\n");
        return -1;
      }
      break;
    case O_NAME:
      if(pr_strlcpy(o->name, optarg, sizeof(o->name))) {
        fprintf(stderr, "rost-agg: --name är för lång\n");
        return -1;
      }
      break;
    case O_STALE:
      if(pr_parse_long(optarg, 0, 3650, &o->stale_days)) {
        fprintf(stderr, "rost-agg: --stale-days vill ha ett antal dygn\n");
        return -1;
      }
      break;
    case O_VALID:
      if(parse_duration(optarg, &o->valid_s) != 0) {
        fprintf(stderr, "rost-agg: --valid vill ha en tid som 24h, 90m "
                "eller 2d (högst 30d)\n");
        return -1;
      }
      break;
    case O_QR: o->qr = 1; break;
    case O_TOKEN: o->token = 1; break;
    case O_PNG:
      if(pr_strlcpy(o->png, optarg, sizeof(o->png))) {
        fprintf(stderr, "rost-agg: --png: sökvägen är för lång\n");
        return -1;
      }
      break;
    case O_URL:
      if(pr_strlcpy(o->url, optarg, sizeof(o->url)) ||
         strncmp(o->url, "https://", 8) != 0) {
        fprintf(stderr, "rost-agg: --url vill ha serverns adress som "
                "https://värd:port\n");
        return -1;
      }
      break;
    case 'h':
      if(usage_line)
        printf("Användning: rost-agg %s\n", usage_line);
      else
        usage(stdout);
      exit(0);
    default:
      usage(stderr);
      return -1;
    }
    if(rc != PR_OK) {
      fprintf(stderr, "rost-agg: %s\n", err);
      return -1;
    }
  }
  return optind;
}

static int cmd_serve(int argc, char **argv)
{
  struct opts o;
  struct agg_server *s = NULL;
  char err[PR_ERR_LEN];
  sigset_t set;
  int sig = 0, ind = parse_opts(argc, argv, &o);

  if(ind < 0)
    return 2;
  if(ind < argc) {
    fprintf(stderr, "rost-agg serve: oväntat argument \"%s\"\n",
            argv[ind]);
    return 2;
  }
  /* Block the stop signals before any server thread exists, so only
   * sigwait below ever sees them. */
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  if(agg_server_start(&o.conf, &s, err) != PR_OK) {
    fprintf(stderr, "rost-agg: %s\n", err);
    pr_log(PR_LOG_ERROR, "server_start_failed", "why=\"%s\"", err);
    return 1;
  }
  if(o.port_file[0]) {
    char tmp[600];
    FILE *f;
    snprintf(tmp, sizeof(tmp), "%s.tmp", o.port_file);
    f = fopen(tmp, "w");
    if(!f || fprintf(f, "%d\n", agg_server_port(s)) < 0 || fclose(f) != 0 ||
       rename(tmp, o.port_file) != 0) {
      fprintf(stderr, "rost-agg: kan inte skriva %s\n", o.port_file);
      agg_server_stop(s, 0);
      return 1;
    }
  }
  sigwait(&set, &sig);
  pr_log(PR_LOG_INFO, "server_stopping", "signal=%s grace=10",
         sig == SIGTERM ? "TERM" : "INT");
  agg_server_stop(s, 10);
  return 0;
}

/* The address kiosks reach this server at: --url, public_url in the
 * configuration, else this host's name and the listening port. */
static void public_url(const struct opts *o, char *out, size_t cap)
{
  const char *cfg = aggconf_get(&o->conf, "public_url");
  char host[256];

  if(o->url[0]) {
    pr_strlcpy(out, o->url, cap);
  } else if(cfg && *cfg) {
    pr_strlcpy(out, cfg, cap);
  } else {
    if(gethostname(host, sizeof(host)) != 0)
      pr_strlcpy(host, "localhost", sizeof(host));
    host[sizeof(host) - 1] = '\0';
    snprintf(out, cap, "https://%s:%d", host, o->conf.port);
  }
}

/* The old way, kept for scripts: print a device token once. */
static int enrol_token(struct opts *o)
{
  struct aggdb *db;
  struct aggdev dev;
  char token[AGGDEV_TOKEN_LEN], err[PR_ERR_LEN];
  int rc;

  if(!(db = aggcli_open_db(&o->conf)))
    return 1;
  rc = aggdev_enrol(db, o->unit, o->name, token, &dev, err) == PR_OK ? 0 : 1;
  aggdb_close(db);
  if(rc) {
    fprintf(stderr, "rost-agg enrol: %s\n", err);
    return 1;
  }
  fprintf(stderr, "Enhet %s registrerad för %s. Nyckeln visas bara nu — "
          "för in den i kioskens konfiguration:\n", dev.id, dev.unit);
  printf("%s\n", token);
  memset(token, 0, sizeof(token));
  return 0;
}

/* The key pin of the configured certificate file; -1 after saying why. */
static int cert_pin(const struct opts *o, char pin[ENROLCODE_PIN_LEN])
{
  char err[PR_ERR_LEN], *pem = NULL;
  FILE *f = o->conf.cert[0] ? fopen(o->conf.cert, "rb") : NULL;
  size_t n;
  int rc = -1;

  if(!f) {
    fprintf(stderr, "rost-agg enrol: kan inte läsa serverns certifikat "
            "(cert = i konfigurationen eller --cert)%s%s\n",
            o->conf.cert[0] ? ": " : "", o->conf.cert);
    return -1;
  }
  pem = pr_malloc(256 * 1024 + 1);
  n = pem ? fread(pem, 1, 256 * 1024, f) : 0;
  fclose(f);
  if(pem) {
    pem[n] = '\0';
    if(enrolcode_pin_from_pem(pem, pin, err) == PR_OK)
      rc = 0;
    else
      fprintf(stderr, "rost-agg enrol: %s: %s\n", o->conf.cert, err);
  }
  pr_free(pem);
  return rc;
}

static int cmd_enrol(int argc, char **argv)
{
  struct opts o;
  struct aggdb *db;
  char code[ENROLCODE_LEN + 1], shown[ENROLCODE_SHOWN + 1];
  char pin[ENROLCODE_PIN_LEN], grouped[96], url[512], until[40];
  char qr[1200], err[PR_ERR_LEN];
  long long expires = 0;
  int rc;

  if(parse_opts(argc, argv, &o) < 0)
    return 2;
  if(!o.unit[0] || !o.name[0]) {
    fprintf(stderr, "rost-agg enrol: ange --unit HSA-ID och --name NAMN\n");
    return 2;
  }
  if(!aggdev_valid_unit(o.unit)) {
    fprintf(stderr, "rost-agg enrol: \"%s\" är inget HSA-id (exempel: "
            "SE2321000032-ABC123)\n", o.unit);
    return 2;
  }
  if(o.token)
    return enrol_token(&o);
  if(cert_pin(&o, pin) != 0)
    return 1;
  public_url(&o, url, sizeof(url));
  if(!(db = aggcli_open_db(&o.conf)))
    return 1;
  rc = enrol_create(db, o.unit, o.name, pin, o.valid_s, code, &expires,
                    err) == PR_OK ? 0 : 1;
  aggdb_close(db);
  if(rc) {
    fprintf(stderr, "rost-agg enrol: %s\n", err);
    return 1;
  }
  enrolcode_format(code, shown);
  enrolcode_pin_grouped(pin, grouped, sizeof(grouped));
  fmt_time(expires, until, sizeof(until));
  printf("Engångskod för \"%s\" på %s, giltig till %s, en gång:\n\n"
         "  Kod:           %s\n"
         "  Server:        %s\n"
         "  Fingeravtryck: %s\n"
         "                 (%s)\n\n"
         "På kiosken: personalmenyn → Anslut till server, skriv adressen och "
         "koden.\nEller: rostctl enrol --config /etc/patientrost/kiosk.conf "
         "--url %s --code %s\n",
         o.name, o.unit, until, shown, url, pin, grouped, url, shown);
  rc = snprintf(qr, sizeof(qr), "rostctl enrol --url %s --code %s", url,
                shown) >= (int)sizeof(qr);
  if(!rc && o.qr) {
    printf("\n");
    if(qrout_terminal(stdout, qr, err) != PR_OK) {
      fprintf(stderr, "rost-agg enrol: QR: %s\n", err);
      rc = 1;
    }
  }
  if(!rc && o.png[0]) {
    if(qrout_png(o.png, qr, err) != PR_OK) {
      fprintf(stderr, "rost-agg enrol: %s\n", err);
      rc = 1;
    } else {
      printf("\nQR-kod sparad i %s.\n", o.png);
    }
  }
  memset(code, 0, sizeof(code));
  memset(shown, 0, sizeof(shown));
  memset(qr, 0, sizeof(qr));
  return rc ? 1 : 0;
}

static int cmd_revoke(int argc, char **argv)
{
  struct opts o;
  struct aggdb *db;
  char err[PR_ERR_LEN];
  int ind = parse_opts(argc, argv, &o), rc;

  if(ind < 0)
    return 2;
  if(ind >= argc) {
    fprintf(stderr, "rost-agg revoke: ange enhetens id (se rost-agg "
            "devices)\n");
    return 2;
  }
  if(!(db = aggcli_open_db(&o.conf)))
    return 1;
  rc = aggdev_revoke(db, argv[ind], err) == PR_OK ? 0 : 1;
  aggdb_close(db);
  if(rc) {
    fprintf(stderr, "rost-agg revoke: %s\n", err);
    return 1;
  }
  printf("Enhet %s spärrad.\n", argv[ind]);
  return 0;
}

static void fmt_time(long long t, char *out, size_t cap)
{
  time_t tt = (time_t)t;
  struct tm tm;

  if(!t || !gmtime_r(&tt, &tm)) {
    pr_strlcpy(out, "aldrig", cap);
    return;
  }
  strftime(out, cap, "%Y-%m-%d %H:%M UTC", &tm);
}

static int cmd_devices(int argc, char **argv)
{
  struct opts o;
  struct aggdb *db;
  struct aggdev *v = NULL;
  char err[PR_ERR_LEN], when[40];
  long long now = pr_now();
  int n = 0, i, stale = 0;

  if(parse_opts(argc, argv, &o) < 0)
    return 2;
  if(!(db = aggcli_open_db(&o.conf)))
    return 1;
  if(aggdev_list(db, &v, &n, err) != PR_OK) {
    fprintf(stderr, "rost-agg devices: %s\n", err);
    aggdb_close(db);
    return 1;
  }
  printf("%-18s %-22s %-22s %-20s %s\n", "ENHET-ID", "VÅRDENHET (HSA)",
         "SENAST SYNKAD", "STATUS", "NAMN");
  for(i = 0; i < n; i++) {
    const char *state = "ok";
    fmt_time(v[i].last_sync, when, sizeof(when));
    if(v[i].revoked_at)
      state = "spärrad";
    else if(!v[i].last_sync || now - v[i].last_sync > o.stale_days * 86400) {
      state = "EJ SYNKAD";
      stale++;
    }
    printf("%-18s %-22s %-22s %-20s %s\n", v[i].id, v[i].unit, when, state,
           v[i].name);
  }
  printf("%d enheter, %d ej synkade på %ld dygn.\n", n, stale, o.stale_days);
  pr_free(v);
  aggdb_close(db);
  return 0;
}

static int cmd_publish(int argc, char **argv)
{
  struct opts o;
  struct aggdb *db;
  char err[PR_ERR_LEN], *buf = NULL;
  size_t len;
  int ind = parse_opts(argc, argv, &o), already = 0, rc;
  FILE *f;

  if(ind < 0)
    return 2;
  if(ind >= argc) {
    fprintf(stderr, "rost-agg publish: ange en frågeuppsättning (FIL.json)\n");
    return 2;
  }
  f = fopen(argv[ind], "rb");
  if(!f) {
    fprintf(stderr, "rost-agg publish: kan inte öppna %s\n", argv[ind]);
    return 1;
  }
  buf = pr_malloc(AGGSETS_MAX_BODY + 1);
  len = buf ? fread(buf, 1, AGGSETS_MAX_BODY + 1, f) : 0;
  fclose(f);
  if(!buf || len > AGGSETS_MAX_BODY) {
    fprintf(stderr, "rost-agg publish: %s är för stor\n", argv[ind]);
    pr_free(buf);
    return 1;
  }
  if(!(db = aggcli_open_db(&o.conf))) {
    pr_free(buf);
    return 1;
  }
  rc = aggsets_publish(db, argv[ind], buf, len, &already, err) == PR_OK ? 0 : 1;
  pr_free(buf);
  aggdb_close(db);
  if(rc) {
    fprintf(stderr, "rost-agg publish: vägrar: %s\n", err);
    return 1;
  }
  printf(already ? "Redan publicerad: %s (oförändrad).\n"
                 : "Publicerad: %s\n", argv[ind]);
  return 0;
}

static int cmd_migrate(int argc, char **argv)
{
  struct opts o;
  struct aggdb *db;

  if(parse_opts(argc, argv, &o) < 0)
    return 2;
  if(!(db = aggcli_open_db(&o.conf)))
    return 1;
  aggdb_close(db);
  printf("Databasen är uppdaterad.\n");
  return 0;
}

int main(int argc, char **argv)
{
  size_t i;

  if(pr_init() != PR_OK) {
    fprintf(stderr, "rost-agg: cannot initialise libsodium\n");
    return 1;
  }
  if(getenv("ROST_AGG_LOG_LEVEL") && !strcmp(getenv("ROST_AGG_LOG_LEVEL"),
                                             "warn"))
    pr_log_set_level(PR_LOG_WARN);
  if(argc >= 2 && !strcmp(argv[1], "--version")) {
    printf("rost-agg %s\n", version_string());
    return 0;
  }
  if(argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for(i = 0; i < PR_ARRAY_LEN(cmds); i++)
    if(!strcmp(argv[1], cmds[i].name))
      return cmds[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "rost-agg: okänt kommando \"%s\"\n", argv[1]);
  usage(stderr);
  return 2;
}
