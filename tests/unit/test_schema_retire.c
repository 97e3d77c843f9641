/* test_schema_retire.c — This file contains the test of the schema
 * component "phone-month-retired" (phoneq.c): a database as the previous
 * release left it (every component before it), holding kiosk and phone
 * responses stored through the real ingest path, loses phone_month and its
 * trigger and nothing else — every other table keeps every row — and phone
 * responses stored afterwards still reach phone_cut.  Runs on SQLite, and
 * on PostgreSQL as pg_test_schema_retire (PR_AGG_TEST_DB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "agg_testdb.h"
#include "aggr_seed.h"

#define UA "SE2321000032-VC0001"
#define UB "SE2321000032-VC0002"
#define MAX_TABLES 200

#define q agg_testdb_long

/* Every table of the database with its row count. */
struct snap {
  int n;
  char name[MAX_TABLES][64];
  long long rows[MAX_TABLES];
};

static int add_name(void *ctx, int ncol, const char *const *v,
                    const int *isnull)
{
  struct snap *s = ctx;
  (void)ncol;
  (void)isnull;
  if(s->n == MAX_TABLES)
    fail_msg("more than %d tables", MAX_TABLES);
  pr_strlcpy(s->name[s->n++], v[0], sizeof(s->name[0]));
  return 0;
}

static void take(struct aggdb *db, struct snap *s)
{
  char err[PR_ERR_LEN] = "", sql[160];
  const char *list = aggdb_dialect(db) == AGGDB_POSTGRES
    ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
      " ORDER BY 1"
    : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1";

  memset(s, 0, sizeof(*s));
  if(aggdb_query1(db, list, NULL, 0, add_name, s, err) != PR_OK)
    fail_msg("tables: %s", err);
  for(int i = 0; i < s->n; i++) {
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM \"%s\"", s->name[i]);
    s->rows[i] = q(db, sql);
  }
}

static long long rows_of(const struct snap *s, const char *name)
{
  for(int i = 0; i < s->n; i++)
    if(!strcmp(s->name[i], name))
      return s->rows[i];
  return -1;
}

static long long trigger_count(struct aggdb *db)
{
  return q(db, aggdb_dialect(db) == AGGDB_POSTGRES
    ? "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'responses'::regclass"
      " AND tgname = 'phone_month_trg'"
    : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
      " AND name = 'phone_month_ins'");
}

static void phone(struct aggr_seed *s, const char *unit, const char *period,
                  int pos, int neg, const char *status)
{
  char err[PR_ERR_LEN] = "";
  if(aggr_seed_batch(s, unit, "ring-upp-utskrivning", 1, "phone", period,
                     "rod", "somatisk", pos, neg, 0, NULL, status, err) != 0)
    fail_msg("seed phone: %s", err);
}

static void test_drops_phone_month_only(void **state)
{
  struct aggr_seed s;
  struct snap before, after;
  char url[600], err[PR_ERR_LEN] = "";

  (void)state;
  agg_testdb_url("schema_retire", url, sizeof(url));
  {
    struct aggdb *db = NULL;
    if(aggdb_open(url, &db, err) != PR_OK)
      fail_msg("open: %s", err);
    assert_int_equal(agg_testdb_drop_all(db), 0);
    aggdb_close(db);
  }
  if(aggr_seed_open_before(url, "phone-month-retired", &s, err) != 0)
    fail_msg("old schema: %s", err);
  if(aggr_seed_batch(&s, UA, "kiosk-besok", 1, "kiosk", "2026-01", NULL,
                     NULL, 8, 2, 1, "Bra bemötande", "complete", err) != 0)
    fail_msg("seed kiosk: %s", err);
  phone(&s, UA, "2026-01", 5, 1, "complete");
  phone(&s, UB, "2026-02", 2, 0, "abandoned");

  /* The old release's roll-up is there and counting. */
  take(s.db, &before);
  assert_int_equal(q(s.db, "SELECT SUM(n) FROM phone_month"), 8);
  assert_int_equal(trigger_count(s.db), 1);
  assert_true(rows_of(&before, "responses") >= 19);
  assert_true(rows_of(&before, "answers") > rows_of(&before, "responses"));
  assert_true(rows_of(&before, "counts") > 0);
  assert_int_equal(rows_of(&before, "phone_cut") > 0, 1);

  if(aggschema_migrate_all(s.db, err) != PR_OK)
    fail_msg("migrate: %s", err);
  take(s.db, &after);
  assert_int_equal(rows_of(&after, "phone_month"), -1);
  assert_int_equal(trigger_count(s.db), 0);
  if(aggdb_dialect(s.db) == AGGDB_POSTGRES)   /* nor a partition's copy */
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_trigger WHERE tgname ="
                     " 'phone_month_trg'"), 0);
  if(aggdb_dialect(s.db) == AGGDB_POSTGRES)
    assert_int_equal(q(s.db, "SELECT COUNT(*) FROM pg_proc WHERE proname ="
                     " 'phone_month_sync'"), 0);
  /* Every other table is still there with every row; schema_version has
   * this component and those listed after it. */
  assert_int_equal(after.n, before.n - 1);
  for(int i = 0; i < before.n; i++) {
    if(!strcmp(before.name[i], "phone_month"))
      continue;
    if(!strcmp(before.name[i], "schema_version")) {
      /* One row for this component, and the rows of components listed
       * after it (which the old release did not have either). */
      long long later = 0;
      int from = 0;
      while(from < agg_n_components &&
            strcmp(agg_components[from].name, "phone-month-retired"))
        from++;
      for(int c = from; c < agg_n_components; c++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM schema_version"
                 " WHERE component = '%s'", agg_components[c].name);
        later += q(s.db, sql);
      }
      assert_int_equal(q(s.db, "SELECT COUNT(*) FROM schema_version WHERE"
                         " component = 'phone-month-retired'"), 1);
      assert_int_equal(rows_of(&after, "schema_version"),
                       before.rows[i] + later);
      continue;
    }
    if(rows_of(&after, before.name[i]) != before.rows[i])
      fail_msg("%s: %lld rows before, %lld after", before.name[i],
               before.rows[i], rows_of(&after, before.name[i]));
  }

  /* Phone responses go on being stored and counted where they are read. */
  phone(&s, UA, "2026-03", 3, 0, "complete");
  assert_int_equal(q(s.db, "SELECT SUM(n) FROM phone_cut"), 11);
  assert_int_equal(q(s.db, "SELECT COUNT(*) FROM responses WHERE mode ="
                   " 'phone'"), 11);

  /* Running every migration again changes nothing. */
  if(aggschema_migrate_all(s.db, err) != PR_OK)
    fail_msg("again: %s", err);
  take(s.db, &before);
  assert_int_equal(rows_of(&before, "phone_month"), -1);
  aggr_seed_close(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_drops_phone_month_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
