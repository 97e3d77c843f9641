/* This file contains the aggregator's schema as ordered migration steps.
 * Every statement is portable (SQLite and PostgreSQL): TEXT and BIGINT,
 * natural keys, no AUTOINCREMENT.  Append steps; never edit a published one.
 *
 * devices    one row per enrolled kiosk.
 *   id TEXT PK          "k" + 16 hex, the public half of the token
 *   unit TEXT           HSA-id the device submits for (decides every
 *                       response's unit)
 *   name TEXT           administrator's label ("Väntrum plan 2")
 *   token_hash TEXT     hex BLAKE2b-256 (libsodium generichash) of the
 *                       secret half of the token; the token itself is never
 *                       stored
 *   created_at, revoked_at (NULL = active)  BIGINT unix seconds
 *   last_sync BIGINT    the device's last successful request (upload, set
 *                       list, call statistics) in unix seconds ROUNDED DOWN
 *                       TO THE HOUR (aggdev.h): what operations need to
 *                       see a kiosk that stopped syncing, and nothing that
 *                       could time a response (step 2 dropped last_count,
 *                       the responses of the last upload)
 *
 * sets       every published question-set version, immutable once stored.
 *   (id TEXT, version BIGINT) PK, body TEXT (the file exactly as published),
 *   sha256 TEXT (hex of body), published_at BIGINT
 *
 * responses  one row per response uuid, never updated.
 *   uuid TEXT PK (lower-case), unit, device, set_id TEXT, set_version BIGINT,
 *   mode TEXT ('kiosk'|'phone'), lang TEXT, proxy BIGINT (0|1),
 *   status TEXT ('complete'|'abandoned'),
 *   period_kind TEXT ('week'|'month'), period_start BIGINT (day number:
 *   days since 1970-01-01 of the Monday of the ISO week or the 1st of the
 *   month), period TEXT (as sent: '2026-W47' / '2026-11'),
 *   track TEXT ('' | 'gron'|'gul'|'rod'), care TEXT ('' | 'somatisk'|
 *   'psykiatrisk'), content_hash TEXT (hex, canonical content).
 *   No time of arrival: kiosks sync soon after a patient finishes, so a
 *   per-response timestamp would be the finish time.  Step 2 dropped the
 *   received_at column of step 1 (on an old database, VACUUM — SQLite —
 *   or VACUUM FULL responses — PostgreSQL — also wipes the old bytes from
 *   free pages).
 *
 * answers    one row per answered question of a stored response.
 *   (uuid, question) PK — until component "ingest" (ingest_store.c) step 1
 *   made answers append-only with a partial index on uuid for free text;
 *   its step 2 makes responses a rowid table on SQLite — indicator TEXT ('' for free text), option TEXT
 *   (option code, NULL for free text), value TEXT ('pos'|'neg'|'dontknow',
 *   NULL for free text; classified by the set version answered), text TEXT
 *   (scrubbed free text, NULL for choices)
 *
 * counts     pre-aggregated answers, updated in the same transaction as the
 *            responses they count (so they always equal the answers table).
 *   PRIMARY KEY (unit, period_kind, period_start, indicator, mode, track,
 *                care, set_id, set_version)
 *   unit TEXT, period_kind TEXT ('week'|'month'), period_start BIGINT (day
 *   number as in responses), indicator TEXT, mode TEXT, track TEXT ('' when
 *   none), care TEXT ('' when none), set_id TEXT, set_version BIGINT,
 *   pos BIGINT, neg BIGINT, dontknow BIGINT
 *   Every choice answer of every stored response is counted, whether the
 *   response is complete or abandoned (answers given before walking away
 *   are real answers); free text is never counted.
 *   A week row and a month row never overlap a response: a kiosk sends one
 *   or the other.  To bucket into months, take week rows by their Monday
 *   (documented approximation) or use month rows only.
 *   Index counts_region (indicator, period_start) serves region queries.
 *
 * callstats  the phone follow-up's weekly call statistics (step 3,
 *            aggcalls.h), one row per unit, device and ISO week; a resend
 *            replaces the row.  week_start (Monday) and month_start (the
 *            month of that Monday) are day numbers; then one BIGINT per
 *            item: entries, attempts, sip_offered, sip_accepted and every
 *            disposition code of survey/dispo.h. */
#include <stddef.h>

#include "aggcalls.h"
#include "aggcache.h"
#include "aggschema.h"

/* Step 1 for both dialects; WR is " WITHOUT ROWID" on SQLite, where the
 * tables keyed by text would otherwise be two B-trees each (the rowid table
 * and the key's index) — half the work per stored response. */
#define AGG_SCHEMA_V1(WR) \
    "CREATE TABLE devices (" \
    " id TEXT PRIMARY KEY," \
    " unit TEXT NOT NULL," \
    " name TEXT NOT NULL," \
    " token_hash TEXT NOT NULL," \
    " created_at BIGINT NOT NULL," \
    " revoked_at BIGINT," \
    " last_sync BIGINT," \
    " last_count BIGINT NOT NULL DEFAULT 0);" \
    "CREATE TABLE sets (" \
    " id TEXT NOT NULL," \
    " version BIGINT NOT NULL," \
    " body TEXT NOT NULL," \
    " sha256 TEXT NOT NULL," \
    " published_at BIGINT NOT NULL," \
    " PRIMARY KEY (id, version));" \
    "CREATE TABLE responses (" \
    " uuid TEXT PRIMARY KEY," \
    " unit TEXT NOT NULL," \
    " device TEXT NOT NULL," \
    " set_id TEXT NOT NULL," \
    " set_version BIGINT NOT NULL," \
    " mode TEXT NOT NULL," \
    " lang TEXT NOT NULL," \
    " proxy BIGINT NOT NULL," \
    " status TEXT NOT NULL," \
    " period_kind TEXT NOT NULL," \
    " period_start BIGINT NOT NULL," \
    " period TEXT NOT NULL," \
    " track TEXT NOT NULL," \
    " care TEXT NOT NULL," \
    " content_hash TEXT NOT NULL," \
    " received_at BIGINT NOT NULL)" WR ";" \
    "CREATE INDEX responses_unit_period ON responses (unit, period_start);" \
    "CREATE TABLE answers (" \
    " uuid TEXT NOT NULL," \
    " question TEXT NOT NULL," \
    " indicator TEXT NOT NULL," \
    " option TEXT," \
    " value TEXT," \
    " text TEXT," \
    " PRIMARY KEY (uuid, question))" WR ";" \
    "CREATE TABLE counts (" \
    " unit TEXT NOT NULL," \
    " period_kind TEXT NOT NULL," \
    " period_start BIGINT NOT NULL," \
    " indicator TEXT NOT NULL," \
    " mode TEXT NOT NULL," \
    " track TEXT NOT NULL," \
    " care TEXT NOT NULL," \
    " set_id TEXT NOT NULL," \
    " set_version BIGINT NOT NULL," \
    " pos BIGINT NOT NULL DEFAULT 0," \
    " neg BIGINT NOT NULL DEFAULT 0," \
    " dontknow BIGINT NOT NULL DEFAULT 0," \
    " PRIMARY KEY (unit, period_kind, period_start, indicator, mode, track," \
    "  care, set_id, set_version))" WR ";" \
    "CREATE INDEX counts_region ON counts (indicator, period_start);"

/* Step 2: no per-response arrival time, no per-upload count; the device's
 * last contact kept to the hour.  Both dialects (SQLite >= 3.35 has DROP
 * COLUMN; Debian 12 ships 3.40). */
#define AGG_SCHEMA_V2 \
    "ALTER TABLE responses DROP COLUMN received_at;" \
    "ALTER TABLE devices DROP COLUMN last_count;" \
    "UPDATE devices SET last_sync = last_sync - last_sync % 3600" \
    " WHERE last_sync IS NOT NULL;"

static const struct aggdb_step agg_steps[] = {
  { 1, NULL, AGG_SCHEMA_V1(" WITHOUT ROWID"), AGG_SCHEMA_V1("") },
  { 2, AGG_SCHEMA_V2, NULL, NULL },
  /* Step 3: the kiosks' weekly call statistics (aggcalls.h). */
  { 3, AGGCALLS_SCHEMA, NULL, NULL },
};

enum pr_rc aggschema_migrate(struct aggdb *db, char *err)
{
  enum pr_rc rc = aggdb_migrate(db, "agg", agg_steps,
                                (int)PR_ARRAY_LEN(agg_steps), err);

  /* Every writer of counts, callstats and sets raises the figures'
   * generation (component "cache"), so it comes with this schema. */
  if(rc == PR_OK)
    rc = aggcache_migrate(db, err);
  return rc;
}

enum pr_rc aggschema_migrate_to(struct aggdb *db, int version, char *err)
{
  int n = 0;
  while(n < (int)PR_ARRAY_LEN(agg_steps) && agg_steps[n].version <= version)
    n++;
  return aggdb_migrate(db, "agg", agg_steps, n, err);
}
