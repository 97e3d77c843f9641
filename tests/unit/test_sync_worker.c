/* test_sync_worker.c — This file contains the tests of the kiosk's sync
 * thread (sync/sync_worker.c) against a server that is down: the first
 * round starts at once off the calling thread, the status shows the queue
 * and the error, the next attempt follows the backoff, a kick runs a round
 * at once, the notify callback fires, and stop returns promptly.  (The
 * worker against a live server is in tests/e2e/sync_e2e.py.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "sync_worker.h"

struct seen {
  atomic_int calls;
  pthread_t ui;
  atomic_int on_ui_thread;
};

static void on_notify(const struct sync_status *st, void *ctx)
{
  struct seen *s = ctx;
  (void)st;
  if(pthread_equal(pthread_self(), s->ui))
    atomic_store(&s->on_ui_thread, 1);
  atomic_fetch_add(&s->calls, 1);
}

/* A loopback port nobody listens on. */
static int dead_port(void)
{
  struct sockaddr_in a = {.sin_family = AF_INET};
  socklen_t l = sizeof(a);
  int fd = socket(AF_INET, SOCK_STREAM, 0), port;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
  port = ntohs(a.sin_port);
  close(fd);
  return port;
}

static double mono(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void wait_calls(struct seen *s, int n)
{
  double t0 = mono();
  while(atomic_load(&s->calls) < n && mono() - t0 < 20)
    usleep(10000);
  assert_true(atomic_load(&s->calls) >= n);
}

static void test_down_server(void **state)
{
  struct store *st = NULL;
  struct sync_worker *w = NULL;
  struct sync_config c;
  struct sync_status ss;
  struct seen seen = {.ui = pthread_self()};
  char err[PR_ERR_LEN], uuid[STORE_UUID_LEN], text[512];
  const char *db = PR_TEST_OUT "/sync_worker.db";
  const char *tok = PR_TEST_OUT "/sync_worker.token";
  struct store_new n = {.set_id = "kiosk-besok", .set_version = 1,
                        .unit = "SE2321000032-ABC123",
                        .mode = QSET_MODE_KIOSK, .lang = "sv",
                        .date = "2026-11-24"};
  FILE *f;
  double t0;
  (void)state;

  unlink(db);
  assert_int_equal(store_open(db, &st, err), PR_OK);
  for(int i = 0; i < 3; i++) {
    assert_int_equal(store_begin(st, &n, uuid, err), PR_OK);
    assert_int_equal(store_answer(st, uuid, "nojdhet", "mycket", NULL, err),
                     PR_OK);
    assert_int_equal(store_finish(st, uuid, STORE_COMPLETE, err), PR_OK);
  }
  f = fopen(tok, "w");
  assert_non_null(f);
  fputs("token-for-worker-test\n", f);
  fclose(f);

  sync_config_defaults(&c);
  snprintf(c.url, sizeof(c.url), "https://127.0.0.1:%d", dead_port());
  pr_strlcpy(c.token_file, tok, sizeof(c.token_file));
  c.backoff_base_s = 60;
  c.backoff_cap_s = 600;
  c.connect_timeout_ms = 2000;

  /* Bad settings are refused before any thread starts. */
  {
    struct sync_config bad = c;
    bad.url[0] = '\0';
    assert_int_equal(sync_worker_start(st, &bad, NULL, NULL, &w, err),
                     PR_EINVAL);
    assert_null(w);
  }

  t0 = mono();
  assert_int_equal(sync_worker_start(st, &c, on_notify, &seen, &w, err),
                   PR_OK);
  assert_true(mono() - t0 < 0.5);      /* the caller never waits */
  wait_calls(&seen, 1);
  sync_worker_status(w, &ss);
  assert_int_equal(ss.rounds, 1);
  assert_int_equal(ss.last_rc, PR_ENET);
  assert_int_equal(ss.queue, 3);
  assert_int_equal(ss.last_ok, 0);
  assert_true(strlen(ss.last_error) > 0);
  /* Backoff after the first failure: 30..60 s from the attempt. */
  assert_true(ss.next_attempt - ss.last_attempt >= 30);
  assert_true(ss.next_attempt - ss.last_attempt <= 60);
  assert_int_equal(atomic_load(&seen.on_ui_thread), 0);
  sync_status_text(&ss, text, sizeof(text));
  assert_non_null(strstr(text, "Senast synkad: aldrig"));
  assert_non_null(strstr(text, "I kö: 3 svar"));
  assert_non_null(strstr(text, "Senaste fel: ingen kontakt med servern"));
  print_message("staff menu:\n%s\n", text);

  /* Nothing happens until the backoff ends ... unless kicked. */
  usleep(300000);
  sync_worker_status(w, &ss);
  assert_int_equal(ss.rounds, 1);
  sync_worker_kick(w);
  wait_calls(&seen, 2);
  sync_worker_status(w, &ss);
  assert_int_equal(ss.rounds, 2);
  /* Second failure: 60..120 s. */
  assert_true(ss.next_attempt - ss.last_attempt >= 60);

  t0 = mono();
  sync_worker_stop(w);
  assert_true(mono() - t0 < 1.0);
  assert_int_equal(store_outbox_count(st), 3);   /* nothing lost */

  /* After a restart the staff menu still shows the last success. */
  assert_int_equal(store_meta_set(st, "sync_last_ok", "1795000000", err),
                   PR_OK);
  assert_int_equal(sync_worker_start(st, &c, NULL, NULL, &w, err), PR_OK);
  sync_worker_status(w, &ss);
  assert_int_equal((long)ss.last_ok, 1795000000L);
  sync_status_text(&ss, text, sizeof(text));
  assert_null(strstr(text, "aldrig"));
  sync_worker_stop(w);
  store_close(st);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_down_server),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
