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
#include "phoneq.h"

const struct agg_route agg_routes[] = {
  { "GET",  "/healthz",          "healthz",   agg_h_healthz,   AGG_AUTH_NONE },
  { "GET",  "/metrics",          "metrics",   agg_h_metrics,   AGG_AUTH_NONE },
  { "POST", "/api/v1/responses", "responses", agg_h_responses, AGG_AUTH_DEVICE },
  { "GET",  "/api/v1/sets",      "sets",      agg_h_sets,      AGG_AUTH_DEVICE },
  { "GET",  "/api/v1/sets/*",    "set",       agg_h_set,       AGG_AUTH_DEVICE },
  { "POST", "/api/v1/callstats", "callstats", agg_h_callstats, AGG_AUTH_DEVICE },
  /* "aggregates" (dashroutes.c): */
  { "GET",  "/api/v1/indicators",     "indicators",     dash_h_indicators,     AGG_AUTH_NONE },
  { "GET",  "/api/v1/indicators.csv", "indicators_csv", dash_h_indicators_csv, AGG_AUTH_NONE },
  { "GET",  "/dashboard",             "dashboard",      dash_h_dashboard,      AGG_AUTH_NONE },
  { "GET",  "/login",                 "login",          dash_h_login_form,     AGG_AUTH_NONE },
  { "POST", "/login",                 "login",          dash_h_login,          AGG_AUTH_NONE },
  { "POST", "/logout",                "logout",         dash_h_logout,         AGG_AUTH_NONE },
  { "GET",  "/export.xlsx",           "export_xlsx",    dash_h_export_xlsx,    AGG_AUTH_NONE },
};
const int agg_n_routes = (int)PR_ARRAY_LEN(agg_routes);

const struct agg_component agg_components[] = {
  { "agg", aggschema_migrate },
  { "aggregates", dash_migrate },
  { "pg", aggdb_pg_migrate },
  { "phone-cut", phoneq_migrate },
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
