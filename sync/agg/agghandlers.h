/* agghandlers.h — the aggregator's own HTTP handlers (aggserve.c): health,
 * metrics, response upload and question-set download.  Registered in
 * aggroutes.c. */
#ifndef AGGHANDLERS_H
#define AGGHANDLERS_H

#include "aggsrv.h"

void agg_h_healthz(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs);
void agg_h_metrics(struct agg_server *s, struct agg_req *rq,
                   struct agg_resp *rs);
void agg_h_responses(struct agg_server *s, struct agg_req *rq,
                     struct agg_resp *rs);
void agg_h_sets(struct agg_server *s, struct agg_req *rq,
                struct agg_resp *rs);
void agg_h_set(struct agg_server *s, struct agg_req *rq, struct agg_resp *rs);

/* Note the authenticated device's contact (aggdev_seen, to the hour) after
 * a successful request; a failure is logged, never answered. */
void agg_device_seen(struct agg_server *s, struct agg_req *rq);

#endif
