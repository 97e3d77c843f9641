/* crash_store.c — This file contains the store's crash test: a child
 * process saves answers as fast as it can and reports each one through a
 * pipe only AFTER store_answer() returned PR_OK; the parent SIGKILLs it at
 * random moments (during open, migration, integrity check, mid-commit),
 * over and over.  Afterwards every acknowledged answer must be in the
 * store, no answer may be half-written, integrity_check must say ok and
 * the store must not have been moved aside.
 *
 * Phase 1 kills 50 children while they create the store (migration).
 *
 * usage: crash_store DIR [MIN_KILLS] [MAX_SECONDS]
 * prints "kills N, acknowledged N, lost N"; exit 0 only when lost == 0,
 * nothing is torn, and at least MIN_KILLS kills happened. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "schema.h"
#include "store.h"

#define N_QUESTIONS 6
static const char *const questions[N_QUESTIONS] = {
  "delaktighet", "samordning", "trygghet", "hansyn", "information",
  "kommentar"};

/* One acknowledgement; fixed size and < PIPE_BUF, so a write is atomic
 * and a kill never leaves half a record in the pipe. */
struct ack {
  char kind;                   /* 'R' open, 'B' begun, 'A' answered,
                                  'F' finished */
  char q;                      /* question index for 'A' */
  char uuid[STORE_UUID_LEN];
};

/* The content an answer must have: derived from uuid and question, so a
 * torn or mixed-up write is detectable. */
static void expected(const char *uuid, int q, char *opt, size_t ocap,
                     char *text, size_t tcap)
{
  static const char *const opts[] = {"stammer_helt", "stammer_ganska_bra",
                                     "stammer_daligt", "stammer_inte_alls",
                                     "vet_ej"};
  unsigned h = 2166136261u;
  for(const char *p = uuid; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  h = (h ^ (unsigned)q) * 16777619u;
  opt[0] = text[0] = '\0';
  if(q == N_QUESTIONS - 1) {
    /* ~600 bytes of text ending in a marker: spans a page boundary. */
    size_t n = 0;
    while(n + 40 < tcap && n < 600) {
      memcpy(text + n, uuid, 36);
      n += 36;
      text[n++] = ' ';
    }
    snprintf(text + n, tcap - n, "|END%u", h % 1000);
  }
  else
    snprintf(opt, ocap, "%s", opts[h % 5]);
}

static int send_ack(int fd, char kind, int q, const char *uuid)
{
  struct ack a;
  memset(&a, 0, sizeof(a));
  a.kind = kind;
  a.q = (char)q;
  pr_strlcpy(a.uuid, uuid, sizeof(a.uuid));
  return write(fd, &a, sizeof(a)) == (ssize_t)sizeof(a) ? 0 : -1;
}

static void child(const char *path, int fd)
{
  struct store *s = NULL;
  char err[PR_ERR_LEN];
  if(store_open(path, &s, err) != PR_OK) {
    fprintf(stderr, "child: %s\n", err);
    _exit(3);
  }
  if(store_recovered_from(s)) {
    fprintf(stderr, "child: store was moved aside to %s\n",
            store_recovered_from(s));
    _exit(4);
  }
  if(send_ack(fd, 'R', 0, ""))        /* open: saving starts now */
    _exit(6);
  for(;;) {
    char uuid[STORE_UUID_LEN], opt[QSET_ID_LEN], text[800];
    struct store_new n = {"ring-upp-utskrivning", 1, "SE2321000032-ABC123",
                          QSET_MODE_PHONE, "sv", 0, "gul", "somatisk",
                          NULL};
    if(store_begin(s, &n, uuid, err) != PR_OK)
      _exit(5);
    if(send_ack(fd, 'B', 0, uuid))
      _exit(6);
    /* Start at a different question each time, so the long free-text
     * answer is written early as often as late. */
    int first = (int)(uuid[0] % N_QUESTIONS);
    for(int k = 0; k < N_QUESTIONS; k++) {
      int q = (first + k) % N_QUESTIONS;
      expected(uuid, q, opt, sizeof(opt), text, sizeof(text));
      if(store_answer(s, uuid, questions[q], opt[0] ? opt : NULL,
                      opt[0] ? NULL : text, err) != PR_OK) {
        fprintf(stderr, "child: %s\n", err);
        _exit(7);
      }
      if(send_ack(fd, 'A', q, uuid))   /* only now is it "saved" */
        _exit(6);
    }
    if(store_finish(s, uuid, STORE_COMPLETE, err) != PR_OK)
      _exit(8);
    if(send_ack(fd, 'F', 0, uuid))
      _exit(6);
  }
}

struct acks {
  struct ack *a;
  size_t n, cap;
};

static int acks_push(struct acks *l, const struct ack *a)
{
  if(l->n == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 4096;
    struct ack *na = realloc(l->a, ncap * sizeof(*na));
    if(!na)
      return -1;
    l->a = na;
    l->cap = ncap;
  }
  l->a[l->n++] = *a;
  return 0;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Verify the store against the acknowledgements.  Returns the number of
 * lost answers; *torn counts answers whose content is wrong, *unacked
 * answers present without an ack (at most one in flight per kill). */
static long verify(const char *path, const struct acks *l, long *torn,
                   long *unacked, long *acked_answers, int *integrity_ok)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *get = NULL, *all = NULL, *ic = NULL, *fin = NULL;
  long lost = 0;
  *torn = *unacked = *acked_answers = 0;
  *integrity_ok = 0;
  if(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return -1;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &ic, NULL);
  if(sqlite3_step(ic) == SQLITE_ROW &&
     strcmp((const char *)sqlite3_column_text(ic, 0), "ok") == 0)
    *integrity_ok = 1;
  sqlite3_finalize(ic);
  sqlite3_prepare_v2(db, "SELECT a.option, a.text FROM answer a JOIN "
                     "response r ON r.id = a.response WHERE r.uuid = ? AND "
                     "a.question = ?", -1, &get, NULL);
  sqlite3_prepare_v2(db, "SELECT status FROM response WHERE uuid = ?", -1,
                     &fin, NULL);
  for(size_t i = 0; i < l->n; i++) {
    const struct ack *a = &l->a[i];
    if(a->kind == 'F') {
      sqlite3_bind_text(fin, 1, a->uuid, -1, SQLITE_STATIC);
      if(sqlite3_step(fin) != SQLITE_ROW || sqlite3_column_int(fin, 0) != 1)
        lost++;
      sqlite3_reset(fin);
      continue;
    }
    if(a->kind != 'A')
      continue;
    (*acked_answers)++;
    sqlite3_bind_text(get, 1, a->uuid, -1, SQLITE_STATIC);
    sqlite3_bind_text(get, 2, questions[(int)a->q], -1, SQLITE_STATIC);
    if(sqlite3_step(get) != SQLITE_ROW)
      lost++;
    sqlite3_reset(get);
  }
  /* Every stored answer must be whole, whether acknowledged or not. */
  sqlite3_prepare_v2(db, "SELECT r.uuid, a.question, a.option, a.text FROM "
                     "answer a LEFT JOIN response r ON r.id = a.response",
                     -1, &all, NULL);
  long rows = 0;
  while(sqlite3_step(all) == SQLITE_ROW) {
    const char *uuid = (const char *)sqlite3_column_text(all, 0);
    const char *qid = (const char *)sqlite3_column_text(all, 1);
    const char *opt = (const char *)sqlite3_column_text(all, 2);
    const char *text = (const char *)sqlite3_column_text(all, 3);
    char eo[QSET_ID_LEN], et[800];
    int q = -1;
    rows++;
    for(int k = 0; qid && k < N_QUESTIONS; k++)
      if(strcmp(qid, questions[k]) == 0)
        q = k;
    if(!uuid || q < 0) {
      (*torn)++;
      continue;
    }
    expected(uuid, q, eo, sizeof(eo), et, sizeof(et));
    if(eo[0] ? (!opt || strcmp(opt, eo) != 0 || text)
             : (opt || !text || strcmp(text, et) != 0))
      (*torn)++;
  }
  *unacked = rows - *acked_answers;
  sqlite3_finalize(all);
  sqlite3_finalize(get);
  sqlite3_finalize(fin);
  sqlite3_close(db);
  return lost;
}

int main(int argc, char **argv)
{
  char path[4096];
  long min_kills = 1000, max_seconds = 150;
  long kills = 0, exits = 0;
  struct acks l = {NULL, 0, 0};
  unsigned seed;
  double t0;

  if(argc < 2) {
    fprintf(stderr, "usage: crash_store DIR [MIN_KILLS] [MAX_SECONDS]\n");
    return 2;
  }
  if((argc > 2 && pr_parse_long(argv[2], 1, 1000000, &min_kills) != 0) ||
     (argc > 3 && pr_parse_long(argv[3], 1, 3600, &max_seconds) != 0)) {
    fprintf(stderr, "crash_store: MIN_KILLS and MAX_SECONDS are numbers\n");
    return 2;
  }
  if(pr_init() != PR_OK)
    return 1;
  mkdir(argv[1], 0700);
  snprintf(path, sizeof(path), "%s/crash.db", argv[1]);
  {
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for(size_t i = 0; i < PR_ARRAY_LEN(sfx); i++) {   /* start afresh */
      char p[4200];
      snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
      unlink(p);
    }
  }
  if(getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
    seed = (unsigned)time(NULL);
  printf("crash_store: seed %u\n", seed);
  srand(seed);
  t0 = now_s();

  /* Phase 1: kill a child while it CREATES the store (schema migration
   * steps, first WAL setup).  The next open must carry on - never treat
   * the half-made file as corrupt, never lose the migration. */
  long creation_kills = 0, creation_bad = 0;
  for(int i = 0; i < 50; i++) {
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for(size_t k = 0; k < PR_ARRAY_LEN(sfx); k++) {
      char p[4200];
      snprintf(p, sizeof(p), "%s%s", path, sfx[k]);
      unlink(p);
    }
    fflush(NULL);
    pid_t pid = fork();
    if(pid < 0) {
      perror("fork");
      return 1;
    }
    if(pid == 0) {
      struct store *cs = NULL;
      char cerr[PR_ERR_LEN];
      if(store_open(path, &cs, cerr) != PR_OK)
        _exit(3);
      for(;;)
        pause();
    }
    struct timespec d = {0, (long)(rand() % 8000) * 1000L};
    nanosleep(&d, NULL);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    creation_kills++;
    struct store *s = NULL;
    char err[PR_ERR_LEN] = "";
    if(store_open(path, &s, err) != PR_OK || store_recovered_from(s) ||
       store_schema_version(s) != schema_latest()) {
      fprintf(stderr, "crash_store: after a kill during creation: %s%s\n",
              err, s && store_recovered_from(s) ? " (moved aside)" : "");
      creation_bad++;
    }
    store_close(s);
  }
  printf("crash_store: %ld kills while creating the store, %ld bad "
         "reopens (%.1f s)\n", creation_kills, creation_bad, now_s() - t0);
  kills += creation_kills;
  {
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for(size_t k = 0; k < PR_ARRAY_LEN(sfx); k++) {
      char p[4200];
      snprintf(p, sizeof(p), "%s%s", path, sfx[k]);
      unlink(p);
    }
  }

  while(kills < min_kills && now_s() - t0 < (double)max_seconds) {
    int fds[2];
    pid_t pid;
    struct ack a;
    int status;
    if(pipe(fds) != 0) {
      perror("pipe");
      return 1;
    }
    fflush(NULL);
    pid = fork();
    if(pid < 0) {
      perror("fork");
      return 1;
    }
    if(pid == 0) {
      close(fds[0]);
      child(path, fds[1]);
      _exit(0);
    }
    close(fds[1]);
    /* One kill in four lands anywhere in the first 30 ms (open, integrity
     * check, migration); the rest within 30 ms after the store is open,
     * mid-save, however slow opening is on a loaded machine. */
    struct timespec d = {0, 0};
    if(rand() % 4 == 0)
      d.tv_nsec = (long)(rand() % 30000) * 1000L;
    else {
      struct pollfd pf = {fds[0], POLLIN, 0};
      if(poll(&pf, 1, 5000) == 1 &&
         read(fds[0], &a, sizeof(a)) == (ssize_t)sizeof(a) &&
         acks_push(&l, &a) != 0)
        return 1;
      d.tv_nsec = (long)(rand() % 30000) * 1000L;
    }
    nanosleep(&d, NULL);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      kills++;
    else {
      exits++;
      fprintf(stderr, "crash_store: child exited by itself (status %d)\n",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    ssize_t r;
    while((r = read(fds[0], &a, sizeof(a))) == (ssize_t)sizeof(a))
      if(acks_push(&l, &a) != 0) {
        fprintf(stderr, "crash_store: out of memory\n");
        return 1;
      }
    close(fds[0]);
    if(exits > 5)
      break;
  }

  long torn, unacked, acked, lost;
  int integrity_ok;
  lost = verify(path, &l, &torn, &unacked, &acked, &integrity_ok);
  /* The real program must open it again without moving it aside. */
  struct store *s = NULL;
  char err[PR_ERR_LEN] = "";
  int reopened = store_open(path, &s, err) == PR_OK &&
                 !store_recovered_from(s);
  store_close(s);

  printf("crash_store: %.1f s, %ld acknowledged answers, %ld committed but "
         "not yet acknowledged (in flight at a kill), %ld torn, "
         "integrity_check %s, reopen %s\n", now_s() - t0, acked, unacked,
         torn, integrity_ok ? "ok" : "FAILED", reopened ? "ok" : err);
  printf("kills %ld, acknowledged %ld, lost %ld\n", kills, acked, lost);
  free(l.a);
  if(lost != 0 || torn != 0 || !integrity_ok || !reopened || exits > 0 ||
     creation_bad > 0 ||
     kills < min_kills || unacked < 0 || unacked > kills) {
    fprintf(stderr, "crash_store: FAILED\n");
    return 1;
  }
  return 0;
}
