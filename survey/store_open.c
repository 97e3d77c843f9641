/* store_open.c — This file contains how a store file is opened and closed
 * (store.h): the kiosk's open that creates, migrates and moves a corrupt
 * file aside; the staff commands' opens that never create or move
 * anything and refuse a file that is not a Patientröst store; the writers'
 * advisory lock that keeps a second writing program out; and the messages
 * that name a missing, unreadable or damaged file. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "store_int.h"

#define STORE_BUSY_MS 5000
#define STORE_LOCK_SUFFIX "-lock"

void store_close(struct store *s)
{
  if(!s)
    return;
  if(s->db)
    sqlite3_close_v2(s->db);
  /* The lock goes last: the connection is closed (and has checkpointed)
   * before another writer may start. */
  if(s->lock_fd >= 0)
    close(s->lock_fd);
  if(s->lock_ok)
    pthread_mutex_destroy(&s->lock);
  pr_free(s->path);
  pr_free(s->recovered_from);
  pr_free(s);
}

const char *store_recovered_from(const struct store *s)
{
  return s ? s->recovered_from : NULL;
}

int store_integrity(sqlite3 *db, char *first, size_t cap)
{
  sqlite3_stmt *st = NULL;
  int rc, bad = 0;
  if(first && cap)
    first[0] = '\0';
  rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
  if(rc != SQLITE_OK)
    return -rc;
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if(!t || strcmp(t, "ok") != 0) {
      if(!bad && first && t)
        pr_strlcpy(first, t, cap);
      bad = 1;
    }
  }
  sqlite3_finalize(st);
  if(rc != SQLITE_DONE)
    return -rc;
  return bad;
}

/* ---- what is at the path ---------------------------------------------- */

/* "no permission to read it (Permission denied; owned by uid 0, mode 0600;
 * this program runs as uid 1000)" for path, checked with access(). */
static enum pr_rc perm_fail(const char *path, const struct stat *st,
                            int writes, int e, char *err)
{
  pr_seterr(err, "store %s: no permission to %s it (%s; the file belongs "
            "to uid %ld with mode %04o, this program runs as uid %ld)",
            path, writes ? "read and write" : "read", strerror(e),
            (long)st->st_uid, (unsigned)(st->st_mode & 07777),
            (long)geteuid());
  return PR_EIO;
}

/* Check what is at path before SQLite touches it: the directory exists
 * (and, for a writer, is writable: SQLite keeps PATH-wal and PATH-shm
 * beside the store), the path is a regular file we may read (and write),
 * and a staff command does not take an empty file for a store.  *exists
 * says whether there is a file. */
static enum pr_rc check_path(const char *path, enum store_mode mode,
                             int *exists, char *err)
{
  int writes = mode != STORE_READ;
  char *copy = pr_strdup(path);
  struct stat st;
  enum pr_rc rc = PR_OK;
  const char *dir;

  *exists = 0;
  if(!copy)
    return PR_ENOMEM;
  dir = dirname(copy);
  if(stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    if(errno == EACCES)
      pr_seterr(err, "store %s: no permission to look into the directory "
                "%s (%s)", path, dir, strerror(errno));
    else
      pr_seterr(err, "store %s: directory %s does not exist", path, dir);
    rc = PR_EIO;
    goto out;
  }
  if(stat(path, &st) != 0) {
    if(errno != ENOENT) {
      pr_seterr(err, "store %s: %s", path, strerror(errno));
      rc = PR_EIO;
    }
    goto dir_writable;
  }
  *exists = 1;
  if(S_ISDIR(st.st_mode)) {
    pr_seterr(err, "store %s: is a directory, not a store file", path);
    rc = PR_EIO;
    goto out;
  }
  if(!S_ISREG(st.st_mode)) {
    pr_seterr(err, "store %s: is not a regular file", path);
    rc = PR_EIO;
    goto out;
  }
  if(access(path, writes ? R_OK | W_OK : R_OK) != 0) {
    rc = perm_fail(path, &st, writes, errno, err);
    goto out;
  }
  if(st.st_size == 0 && mode != STORE_KIOSK) {
    /* SQLite would happily make a database of it. */
    pr_seterr(err, "%s is not a Patientröst store (an empty file)", path);
    rc = PR_EINVAL;
    goto out;
  }
dir_writable:
  if(rc == PR_OK && writes && access(dir, W_OK | X_OK) != 0) {
    pr_seterr(err, "store %s: no permission to create files in the "
              "directory %s (%s; SQLite keeps the store's -wal and -shm "
              "files beside it)", path, dir, strerror(errno));
    rc = PR_EIO;
  }
out:
  pr_free(copy);
  return rc;
}

/* Is the open connection a Patientröst store?  A staff command refuses
 * anything else untouched: another program's database, an empty one, or
 * a file that is not SQLite at all (a CSV given as --store). */
static enum pr_rc identify(struct store *s, char *err)
{
  sqlite3_stmt *st = NULL;
  int src, tables = 0, version = 0;
  enum pr_rc rc = PR_OK;

  src = sqlite3_prepare_v2(s->db,
    "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
    "name IN ('response', 'answer', 'meta')), "
    "(SELECT user_version FROM pragma_user_version)", -1, &st, NULL);
  if(src == SQLITE_OK)
    src = sqlite3_step(st);
  if(src == SQLITE_ROW) {
    tables = sqlite3_column_int(st, 0);
    version = sqlite3_column_int(st, 1);
    src = SQLITE_OK;
  }
  sqlite3_finalize(st);
  if((src & 0xff) == SQLITE_NOTADB) {
    pr_seterr(err, "%s is not a Patientröst store (not an SQLite database)",
              s->path);
    return PR_EINVAL;
  }
  if((src & 0xff) == SQLITE_CORRUPT) {
    pr_seterr(err, "store %s is damaged: %s", s->path, sqlite3_errmsg(s->db));
    return PR_ECORRUPT;
  }
  if(src != SQLITE_OK) {
    int e = sqlite3_system_errno(s->db);
    pr_seterr(err, "store %s: cannot read it: %s%s%s", s->path,
              sqlite3_errmsg(s->db), e ? ": " : "", e ? strerror(e) : "");
    rc = schema_rc(src);
    return rc == PR_OK || rc == PR_EDB ? PR_EIO : rc;
  }
  if(tables == 3 && version >= 1)
    return PR_OK;
  pr_seterr(err, "%s is not a Patientröst store (%s)", s->path,
            tables == 0 && version == 0
                ? "an SQLite database without the store's tables"
                : "an SQLite database of another program");
  return PR_EINVAL;
}

/* ---- the writers' lock ------------------------------------------------ */

/* "rost-kiosk 4242" from the lock file, as " (rost-kiosk, pid 4242)"; ""
 * when it cannot be read (the holder may not have written it yet). */
static void lock_holder(int fd, char *out, size_t cap)
{
  char buf[96];
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  char *sp;
  long pid;
  out[0] = '\0';
  if(n <= 0)
    return;
  buf[n] = '\0';
  buf[strcspn(buf, "\n")] = '\0';
  for(char *p = buf; *p; p++)
    if((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
      *p = '?';
  sp = strrchr(buf, ' ');
  if(!sp || sp == buf || pr_parse_long(sp + 1, 1, 1L << 30, &pid) != 0)
    return;
  *sp = '\0';
  snprintf(out, cap, " (%.40s, pid %ld)", buf, pid);
}

/* Take PATH-lock with flock(LOCK_EX | LOCK_NB) for the life of the handle.
 * A lock file of its own rather than the database file: SQLite's POSIX
 * locks on the database would be dropped by close() on any other
 * descriptor of that file in this process.  The kernel releases the lock
 * when the holder exits, however it exits. */
static enum pr_rc lock_take(struct store *s, char *err)
{
  size_t n = strlen(s->path) + sizeof(STORE_LOCK_SUFFIX);
  char *lp = pr_malloc(n);
  char who[80];
  enum pr_rc rc = PR_EIO;
  int fd = -1;

  if(!lp)
    return PR_ENOMEM;
  snprintf(lp, n, "%s%s", s->path, STORE_LOCK_SUFFIX);
  /* 0644: it holds only a program name and a pid, and a lock file made
   * by another user (root running rostctl) must not lock the kiosk's
   * user out: flock works on a descriptor opened for reading too. */
  fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if(fd < 0 && errno == EACCES)
    fd = open(lp, O_RDONLY | O_CLOEXEC);
  if(fd < 0) {
    pr_seterr(err, "store %s: cannot open its lock file %s: %s", s->path, lp,
              strerror(errno));
    goto out;
  }
  if(flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if(errno == EWOULDBLOCK) {
      lock_holder(fd, who, sizeof(who));
      pr_seterr(err, "store %s is in use by another Patientröst program%s: "
                "only one program at a time may write to a store",
                s->path, who);
      rc = PR_EBUSY;
    }
    else
      pr_seterr(err, "store %s: cannot lock %s: %s", s->path, lp,
                strerror(errno));
    goto out;
  }
  /* Who holds it, for the next program's message; not needed for the
   * lock itself, so a failure here is ignored. */
  if(ftruncate(fd, 0) == 0)
    (void)!dprintf(fd, "%s %ld\n", program_invocation_short_name,
                   (long)getpid());
  s->lock_fd = fd;
  fd = -1;
  rc = PR_OK;
out:
  if(fd >= 0)
    close(fd);
  pr_free(lp);
  return rc;
}

/* ---- opening ---------------------------------------------------------- */

/* Configure a fresh read-write connection, check it and migrate.  SQLite
 * rc on failure; *prc is set when the migration refused (leave the file
 * as it is). */
static int db_setup(struct store *s, enum pr_rc *prc, char *err)
{
  static const char *const pragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = FULL;"
    "PRAGMA secure_delete = ON;"
    "PRAGMA foreign_keys = ON;";
  int rc;
  int bad;
  char first[128];

  *prc = PR_OK;
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
  rc = sqlite3_exec(s->db, pragmas, NULL, NULL, NULL);
  if(rc != SQLITE_OK)
    return rc;
  bad = store_integrity(s->db, first, sizeof(first));
  if(bad < 0)
    return -bad;
  if(bad > 0) {
    pr_seterr(err, "integrity_check: %s", first);
    return SQLITE_CORRUPT;
  }
  *prc = schema_migrate(s->db, err);
  if(*prc != PR_OK)
    return SQLITE_ERROR;
  return SQLITE_OK;
}

/* Move path (and its -wal/-shm companions) aside as
 * path.corrupt-YYYYMMDDTHHMMSSZ; never delete it. */
static enum pr_rc move_aside(struct store *s, char *err)
{
  static const char *const sfx[] = {"", "-wal", "-shm"};
  char stamp[32], dst[4096], src[4096];
  struct tm tm;
  time_t now = pr_now();
  int w;

  gmtime_r(&now, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
  for(int attempt = 0; attempt < 100; attempt++) {
    struct stat st;
    w = attempt ? snprintf(dst, sizeof(dst), "%s.corrupt-%s-%d", s->path,
                           stamp, attempt)
                : snprintf(dst, sizeof(dst), "%s.corrupt-%s", s->path, stamp);
    if(w < 0 || (size_t)w >= sizeof(dst) - 8) {
      pr_seterr(err, "store %s: path too long to move aside", s->path);
      return PR_EIO;
    }
    if(stat(dst, &st) != 0)
      break;
  }
  for(size_t i = 0; i < PR_ARRAY_LEN(sfx); i++) {
    char d2[4096 + 8];
    snprintf(src, sizeof(src), "%s%s", s->path, sfx[i]);
    snprintf(d2, sizeof(d2), "%s%s", dst, sfx[i]);
    if(rename(src, d2) != 0 && errno != ENOENT) {
      pr_seterr(err, "store %s is corrupt and could not be moved aside: %s",
                s->path, strerror(errno));
      return PR_EIO;
    }
  }
  pr_free(s->recovered_from);
  s->recovered_from = pr_strdup(dst);
  if(!s->recovered_from)
    return PR_ENOMEM;
  pr_log(PR_LOG_ERROR, "store.corrupt_moved", "path=%s moved_to=%s", s->path,
         dst);
  return PR_OK;
}

/* "store PATH: cannot open: <sqlite>: <errno text>" */
static void open_fail_text(struct store *s, int src, const char *why,
                           char *err)
{
  int e = s->db ? sqlite3_system_errno(s->db) : 0;
  if(why && why[0]) {
    pr_seterr(err, "store %s: cannot open: %s", s->path, why);
    return;
  }
  pr_seterr(err, "store %s: cannot open: %s%s%s", s->path,
            s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src),
            e ? ": " : "", e ? strerror(e) : "");
}

/* Open read-write: the kiosk creates a missing file and moves a corrupt
 * one aside; a staff writer does neither. */
static enum pr_rc open_write(struct store *s, enum store_mode mode,
                             int exists, char *err)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  /* Whoever may create or move files takes the lock before anything
   * else; a staff writer first makes sure the file is a store, so that a
   * wrong --store leaves no lock file beside it. */
  int lock_first = mode == STORE_KIOSK || !exists;
  char why[PR_ERR_LEN] = "";
  enum pr_rc rc;

  if(lock_first) {
    flags |= SQLITE_OPEN_CREATE;
    rc = lock_take(s, err);
    if(rc != PR_OK)
      return rc;
  }
  for(int attempt = 0; attempt < 2; attempt++) {
    enum pr_rc prc = PR_OK;
    int src = sqlite3_open_v2(s->path, &s->db, flags, NULL);
    if(src == SQLITE_OK && !lock_first) {
      sqlite3_extended_result_codes(s->db, 1);
      rc = identify(s, err);
      if(rc == PR_OK)
        rc = lock_take(s, err);
      if(rc != PR_OK)
        return rc;
    }
    if(src == SQLITE_OK)
      src = db_setup(s, &prc, why);
    if(src == SQLITE_OK)
      return PR_OK;
    if(prc != PR_OK) {            /* migration refused: leave file as is */
      pr_seterr(err, "store %s: %s", s->path, why);
      return prc;
    }
    rc = schema_rc(src);
    if(rc == PR_ECORRUPT && mode != STORE_KIOSK) {
      pr_seterr(err, "store %s is damaged (%s); it was left as it is",
                s->path, why[0] ? why : sqlite3_errmsg(s->db));
      return rc;
    }
    if(rc != PR_ECORRUPT || attempt > 0) {
      open_fail_text(s, src, why, err);
      return rc == PR_OK || rc == PR_EDB ? PR_EIO : rc;
    }
    /* The kiosk with a corrupt file: keep it for inspection, start
     * afresh (still holding the lock: it is on the path, not the file). */
    sqlite3_close_v2(s->db);
    s->db = NULL;
    rc = move_aside(s, err);
    if(rc != PR_OK)
      return rc;
    why[0] = '\0';
  }
  return PR_EINTERNAL;            /* not reached: attempt 1 returns */
}

/* Open read-only, without the lock: what a staff command that only reads
 * needs, also while the kiosk writes.  A store of an older schema is
 * brought up to date first through a writer's open (which the kiosk
 * would have done itself, had it been running). */
static enum pr_rc open_read(struct store *s, char *err)
{
  char first[160];
  int src, bad, version;
  enum pr_rc rc;

  for(int attempt = 0; attempt < 2; attempt++) {
    src = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY |
                          SQLITE_OPEN_NOMUTEX, NULL);
    if(src != SQLITE_OK) {
      open_fail_text(s, src, NULL, err);
      rc = schema_rc(src);
      return rc == PR_OK || rc == PR_EDB ? PR_EIO : rc;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
    rc = identify(s, err);
    if(rc != PR_OK)
      return rc;
    bad = store_integrity(s->db, first, sizeof(first));
    if(bad > 0 || (bad < 0 && ((-bad) & 0xff) == SQLITE_CORRUPT)) {
      pr_seterr(err, "store %s is damaged (integrity_check: %s); it was "
                "left as it is", s->path, bad > 0 ? first : "cannot run");
      return PR_ECORRUPT;
    }
    if(bad < 0) {
      open_fail_text(s, -bad, NULL, err);
      return PR_EIO;
    }
    version = store_schema_version(s);
    if(version > schema_latest()) {
      pr_seterr(err, "store %s has schema version %d, newer than this "
                "program knows (%d); use a newer program", s->path, version,
                schema_latest());
      return PR_EINVAL;
    }
    if(version == schema_latest() || attempt > 0)
      break;
    /* Older schema: migrate with a writer's open, then read again. */
    struct store *w = NULL;
    sqlite3_close_v2(s->db);
    s->db = NULL;
    rc = store_open_mode(s->path, STORE_WRITE, &w, err);
    store_close(w);
    if(rc != PR_OK)
      return rc;
  }
  if(sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL) !=
     SQLITE_OK) {
    open_fail_text(s, SQLITE_ERROR, NULL, err);
    return PR_EDB;
  }
  return PR_OK;
}

enum pr_rc store_open_mode(const char *path, enum store_mode mode,
                           struct store **out, char *err)
{
  enum pr_rc rc = PR_ENOMEM;
  struct store *s = NULL;
  int exists = 0;

  *out = NULL;
  if(!path || !*path) {
    pr_seterr(err, "store: no path given");
    return PR_EINVAL;
  }
  if(mode != STORE_KIOSK && mode != STORE_WRITE && mode != STORE_CREATE &&
     mode != STORE_READ) {
    pr_seterr(err, "store_open_mode: unknown mode");
    return PR_EINVAL;
  }
  s = pr_calloc(1, sizeof(*s));
  if(!s)
    goto out;
  s->lock_fd = -1;
  s->readonly = mode == STORE_READ;
  s->path = pr_strdup(path);
  if(!s->path)
    goto out;
  if(pthread_mutex_init(&s->lock, NULL) != 0) {
    rc = PR_EINTERNAL;
    goto out;
  }
  s->lock_ok = 1;
  rc = check_path(path, mode, &exists, err);
  if(rc != PR_OK)
    goto out;
  if(!exists && (mode == STORE_WRITE || mode == STORE_READ)) {
    pr_seterr(err, "no store file at %s", path);
    rc = PR_ENOTFOUND;
    goto out;
  }
  rc = mode == STORE_READ ? open_read(s, err)
                          : open_write(s, mode, exists, err);
  if(rc != PR_OK)
    goto out;
  *out = s;
  s = NULL;
out:
  store_close(s);
  return rc;
}

enum pr_rc store_open(const char *path, struct store **out, char *err)
{
  return store_open_mode(path, STORE_KIOSK, out, err);
}

int store_readonly(const struct store *s)
{
  return s && s->readonly;
}

int store_schema_version(struct store *s)
{
  sqlite3_stmt *st = NULL;
  int v = -1;
  pthread_mutex_lock(&s->lock);
  if(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
     SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  pthread_mutex_unlock(&s->lock);
  return v;
}
