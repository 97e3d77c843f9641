/* letterconf.c — This file contains the letters' settings (letterconf.h):
 * the key table with defaults and their parsing and checks. */
#include "letterconf.h"

#include <stdio.h>
#include <string.h>

const struct letterconf_key letterconf_keys[] = {
  { "smtp_url", "" },
  { "smtp_user", "" },
  { "smtp_password_file", "" },
  { "smtp_ca", "" },
  { "smtp_from", "" },
  { "smtp_timeout", "60" },
  { "letters_base_url", "" },
  { "letters_retry_base", "300" },
  { "letters_retry_max", "21600" },
  { "letters_max_attempts", "40" },
  { "letters_sending_stale", "900" },
  { "alert_rule", "both" },
  { "alert_goal_months", "2" },
  { "alert_min_n", "5" },
};
const int letterconf_n_keys = (int)PR_ARRAY_LEN(letterconf_keys);

static const char *get(const struct aggconf *c, const char *key)
{
  const char *v = c ? aggconf_get(c, key) : NULL;
  int i;
  if(v)
    return v;
  for(i = 0; i < letterconf_n_keys; i++)
    if(!strcmp(letterconf_keys[i].key, key))
      return letterconf_keys[i].def;
  return "";
}

static enum pr_rc num(const struct aggconf *c, const char *key, long min,
                      long max, long *out, char *err)
{
  if(pr_parse_long(get(c, key), min, max, out) != 0) {
    pr_seterr(err, "%s: a whole number %ld..%ld, not \"%s\"", key, min, max,
              get(c, key));
    return PR_EINVAL;
  }
  return PR_OK;
}

static enum pr_rc str(const struct aggconf *c, const char *key, char *out,
                      size_t cap, char *err)
{
  if(pr_strlcpy(out, get(c, key), cap)) {
    pr_seterr(err, "%s: too long", key);
    return PR_EINVAL;
  }
  return PR_OK;
}

static enum pr_rc read_password(const char *path, char *out, size_t cap,
                                char *err)
{
  FILE *f = fopen(path, "r");
  size_t n;
  if(!f) {
    pr_seterr(err, "smtp_password_file: cannot read %s", path);
    return PR_EIO;
  }
  if(!fgets(out, (int)cap, f)) {
    fclose(f);
    pr_seterr(err, "smtp_password_file: %s is empty", path);
    return PR_EIO;
  }
  fclose(f);
  n = strlen(out);
  while(n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
    out[--n] = '\0';
  return PR_OK;
}

enum pr_rc letterconf_load(const struct aggconf *c, int need_smtp,
                           struct letterconf *out, char *err)
{
  enum pr_rc rc;
  const char *rule = get(c, "alert_rule"), *pwf;

  memset(out, 0, sizeof(*out));
  if((rc = str(c, "smtp_url", out->smtp_url, sizeof(out->smtp_url), err)) ||
     (rc = str(c, "smtp_user", out->smtp_user, sizeof(out->smtp_user), err)) ||
     (rc = str(c, "smtp_ca", out->smtp_ca, sizeof(out->smtp_ca), err)) ||
     (rc = str(c, "smtp_from", out->smtp_from, sizeof(out->smtp_from), err)) ||
     (rc = str(c, "letters_base_url", out->base_url, sizeof(out->base_url),
               err)) ||
     (rc = num(c, "smtp_timeout", 1, 3600, &out->smtp_timeout, err)) ||
     (rc = num(c, "letters_retry_base", 0, 86400, &out->retry_base, err)) ||
     (rc = num(c, "letters_retry_max", 0, 7 * 86400, &out->retry_max, err)) ||
     (rc = num(c, "letters_max_attempts", 1, 1000, &out->max_attempts, err)) ||
     (rc = num(c, "letters_sending_stale", 60, 86400, &out->sending_stale,
               err)) ||
     (rc = num(c, "alert_goal_months", 1, 12, &out->goal_months, err)) ||
     (rc = num(c, "alert_min_n", 0, 100000, &out->min_n, err)))
    return rc;
  if(!strcmp(rule, "off"))
    out->rule = LETTERCONF_RULE_OFF;
  else if(!strcmp(rule, "goal"))
    out->rule = LETTERCONF_RULE_GOAL;
  else if(!strcmp(rule, "quarter"))
    out->rule = LETTERCONF_RULE_QUARTER;
  else if(!strcmp(rule, "both"))
    out->rule = LETTERCONF_RULE_BOTH;
  else {
    pr_seterr(err, "alert_rule: off, goal, quarter or both, not \"%s\"", rule);
    return PR_EINVAL;
  }
  if(out->base_url[0] && strncmp(out->base_url, "https://", 8) != 0) {
    pr_seterr(err, "letters_base_url: an https:// address");
    return PR_EINVAL;
  }
  pwf = get(c, "smtp_password_file");
  if(*pwf && (rc = read_password(pwf, out->smtp_password,
                                 sizeof(out->smtp_password), err)) != PR_OK)
    return rc;
  if(need_smtp) {
    if(strncmp(out->smtp_url, "smtp://", 7) != 0 &&
       strncmp(out->smtp_url, "smtps://", 8) != 0) {
      pr_seterr(err, "smtp_url: smtp://HOST:587 (STARTTLS) or "
                "smtps://HOST:465, not \"%s\"", out->smtp_url);
      return PR_EINVAL;
    }
    if(!strchr(out->smtp_from, '@')) {
      pr_seterr(err, "smtp_from: the sender's address is needed");
      return PR_EINVAL;
    }
  }
  return PR_OK;
}

void letterconf_rule_text(const struct letterconf *lc, char *out, size_t cap)
{
  char a[200] = "", b[200] = "";
  int n;

  if(lc->rule & LETTERCONF_RULE_GOAL)
    snprintf(a, sizeof(a), "95 %%-intervallets övre gräns ligger under "
             "målet %ld månader i rad", lc->goal_months);
  if(lc->rule & LETTERCONF_RULE_QUARTER)
    snprintf(b, sizeof(b), "kvartalets hela 95 %%-intervall ligger under "
             "föregående kvartals");
  if(lc->rule == LETTERCONF_RULE_OFF)
    n = snprintf(out, cap, "Larm är avstängda.");
  else
    n = snprintf(out, cap, "Larm skickas när %s%s%s (bara siffror som visas "
                 "på instrumentpanelen, med minst %ld svar).", a,
                 a[0] && b[0] ? ", eller när " : "", b, lc->min_n);
  if(n < 0 || (size_t)n >= cap)
    out[cap ? cap - 1 : 0] = '\0';
}
