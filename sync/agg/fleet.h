/* fleet.h — the fleet of kiosks as the aggregator sees it: what each kiosk
 * reports with every sync round (software version, question-set versions
 * it holds, responses waiting in its queue — counts and versions only),
 * kept per device to the hour, and shown to region and admin readers as
 * the page "Kiosker" (sortable, CSV) and as /metrics gauges. */
#ifndef FLEET_H
#define FLEET_H

#include "aggdev.h"
#include "aggsrv.h"

#define FLEET_SOFTWARE_LEN 40
#define FLEET_SETS_LEN 512      /* "kiosk-besok v3, ringupp v1" */
#define FLEET_MAX_SETS 32

struct fleet_row {
  struct aggdev dev;
  char software[FLEET_SOFTWARE_LEN];  /* "" = never reported */
  char sets[FLEET_SETS_LEN];
  long long queue;                    /* -1 = never reported */
  long long reported_at;              /* to the hour; 0 = never */
};

/* Table device_status (component "fleet"). */
enum pr_rc fleet_migrate(struct aggdb *db, char *err) PR_MUST;

/* Decode a status report (the JSON body of POST /api/v1/status): software
 * version, the sets as "id v3, id2 v1", the queue length.  PR_EINVAL with
 * err naming the field; no I/O (the fuzz target's entry). */
enum pr_rc fleet_decode(const char *body, size_t len,
                        char software[FLEET_SOFTWARE_LEN],
                        char sets[FLEET_SETS_LEN], long long *queue,
                        char *err) PR_MUST;

/* Store a kiosk's report (the JSON body of POST /api/v1/status) for
 * device_id at now.  PR_EINVAL with err naming the field for a malformed
 * report (nothing stored). */
enum pr_rc fleet_report(struct aggdb *db, const char *device_id,
                        const char *body, size_t len, long long now,
                        char *err) PR_MUST;

/* Every device with its last report, sorted by key ("unit", "name",
 * "software", "queue", "contact"; a leading '-' reverses; NULL or unknown
 * = "contact", least recent first).  *out is the caller's (pr_free). */
enum pr_rc fleet_list(struct aggdb *db, const char *key,
                      struct fleet_row **out, int *n, char *err) PR_MUST;

/* Is the row stale: active and not in contact for more than stale_days? */
int fleet_stale(const struct fleet_row *r, long long now, long stale_days);

/* Prometheus gauges of the reports (queue, set versions, software),
 * appended to *text (pr_malloc'd, the caller's). */
enum pr_rc fleet_metrics(struct aggdb *db, char **text, char *err) PR_MUST;

void fleet_h_status(struct agg_server *s, struct agg_req *rq,
                    struct agg_resp *rs);
void fleet_h_page(struct agg_server *s, struct agg_req *rq,
                  struct agg_resp *rs);
void fleet_h_csv(struct agg_server *s, struct agg_req *rq,
                 struct agg_resp *rs);

#endif
