/* This file contains the aggregator's route table and the list of schema
 * components to migrate at start.  Other modules add ONE line each here
 * (their handler and migration functions are declared in their own
 * headers).  Order matters for routes: the first match wins. */
#include "aggcalls.h"
#include "aggsrv.h"
#include "aggschema.h"
#include "agghandlers.h"
#include "dashroutes.h"
#include "aggdb_pg.h"
#include "enrol.h"
#include "fleet.h"
#include "samv.h"
#include "samvweb.h"
#include "letterdb.h"
#include "letterpage.h"
#include "phoneq.h"
#include "ingest.h"
#include "indicq.h"

const struct agg_route agg_routes[] = {
  { "GET",  "/healthz",          "healthz",   agg_h_healthz,   AGG_AUTH_NONE },
  { "GET",  "/metrics",          "metrics",   agg_h_metrics,   AGG_AUTH_NONE },
  { "POST", "/api/v1/responses", "responses", agg_h_responses, AGG_AUTH_DEVICE },
  { "GET",  "/api/v1/sets",      "sets",      agg_h_sets,      AGG_AUTH_DEVICE },
  { "GET",  "/api/v1/sets/*",    "set",       agg_h_set,       AGG_AUTH_DEVICE },
  { "POST", "/api/v1/callstats", "callstats", agg_h_callstats, AGG_AUTH_DEVICE },
  { "POST", "/api/v1/enrol",     "enrol",     enrol_h_redeem,  AGG_AUTH_NONE },
  { "POST", "/api/v1/status",    "status",    fleet_h_status,  AGG_AUTH_DEVICE },
  { "GET",  "/dashboard/kiosker",     "kiosker",     fleet_h_page, AGG_AUTH_NONE },
  { "GET",  "/dashboard/kiosker.csv", "kiosker_csv", fleet_h_csv,  AGG_AUTH_NONE },
  /* "aggregates" (dashroutes.c): */
  { "GET",  "/api/v1/indicators",     "indicators",     dash_h_indicators,     AGG_AUTH_NONE },
  { "GET",  "/api/v1/indicators.csv", "indicators_csv", dash_h_indicators_csv, AGG_AUTH_NONE },
  { "GET",  "/dashboard",             "dashboard",      dash_h_dashboard,      AGG_AUTH_NONE },
  { "GET",  "/login",                 "login",          dash_h_login_form,     AGG_AUTH_NONE },
  { "POST", "/login",                 "login",          dash_h_login,          AGG_AUTH_NONE },
  { "POST", "/logout",                "logout",         dash_h_logout,         AGG_AUTH_NONE },
  { "GET",  "/export.xlsx",           "export_xlsx",    dash_h_export_xlsx,    AGG_AUTH_NONE },
  /* "samverkan" (samvweb.c): the collaboration follow-up */
  { "GET",  "/samverkan",                      "samverkan",          samv_h_home,      AGG_AUTH_NONE },
  { "POST", "/samverkan/start",                "samverkan_start",    samv_h_start,     AGG_AUTH_NONE },
  { "GET",  "/samverkan/form",                 "samverkan_form",     samv_h_form,      AGG_AUTH_NONE },
  { "POST", "/samverkan/svar",                 "samverkan_svar",     samv_h_answer,    AGG_AUTH_NONE },
  { "POST", "/samverkan/deltagare",            "samverkan_people",   samv_h_people,    AGG_AUTH_NONE },
  { "POST", "/samverkan/klar",                 "samverkan_klar",     samv_h_done,      AGG_AUTH_NONE },
  { "POST", "/samverkan/oppna",                "samverkan_oppna",    samv_h_reopen,    AGG_AUTH_NONE },
  { "POST", "/samverkan/lansdel",              "samverkan_lansdel",  samv_h_lansdel,   AGG_AUTH_NONE },
  { "GET",  "/samverkan/sammanstallning",      "samverkan_comp",     samv_h_comp,      AGG_AUTH_NONE },
  { "GET",  "/samverkan/sammanstallning.csv",  "samverkan_csv",      samv_h_comp_csv,  AGG_AUTH_NONE },
  { "GET",  "/samverkan/sammanstallning.xlsx", "samverkan_xlsx",     samv_h_comp_xlsx, AGG_AUTH_NONE },
  { "GET",  "/api/v1/samverkan",               "samverkan_api",      samv_h_api,       AGG_AUTH_NONE },
  /* "letters" (letterpage.c): */
  { "GET",  "/admin/recipients",      "recipients",     letterpage_h_form,     AGG_AUTH_NONE },
  { "POST", "/admin/recipients",      "recipients",     letterpage_h_post,     AGG_AUTH_NONE },
};
const int agg_n_routes = (int)PR_ARRAY_LEN(agg_routes);

const struct agg_component agg_components[] = {
  { "agg", aggschema_migrate },
  { "aggregates", dash_migrate },
  { "pg", aggdb_pg_migrate },
  { "enrol", enrol_migrate },
  { "fleet", fleet_migrate },
  { "samverkan", samv_migrate },
  { "letters", letterdb_migrate },
  { "phone-cut", phoneq_migrate },
  { "ingest", ingest_migrate },
  { "phone-month-retired", phoneq_migrate_retire },
  { "indicq", indicq_migrate },
};
const int agg_n_components = (int)PR_ARRAY_LEN(agg_components);

enum pr_rc aggschema_migrate_all(struct aggdb *db, char *err)
{
  enum pr_rc rc = PR_OK;
  int i;

  for(i = 0; i < agg_n_components && rc == PR_OK; i++)
    rc = agg_components[i].migrate(db, err);
  return rc;
}

enum pr_rc aggschema_open(const char *url, struct aggdb **out, char *err)
{
  struct aggdb *db = NULL;
  char why[PR_ERR_LEN] = "";
  enum pr_rc rc;

  *out = NULL;
  if((rc = aggdb_open(url, &db, why)) != PR_OK) {
    pr_seterr(err, "databas: %s", why);
    return rc;
  }
  if((rc = aggschema_migrate_all(db, why)) != PR_OK) {
    pr_seterr(err, "databasschema: %s", why);
    aggdb_close(db);
    return rc;
  }
  *out = db;
  return PR_OK;
}
