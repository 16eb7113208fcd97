// SPDX-License-Identifier: Apache-2.0
//
// nfcheck: the POSIX checks of the guest suite that a shell cannot express (errno values, two processes racing
// on one file, byte-exact timestamps), plus two workload tools (mktree) and two host-side helpers (holdlock).
// Built with gcc -static so it runs in the busybox guest without libraries.
//
//   nfcheck CHECK ARGS...   prints one line of detail; exit 0 = pass, 1 = fail, 77 = skip.
//
// Two processes are synchronised with pipes, never with sleeps: a step waits until the other side says it is done.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PASS = 0, FAIL = 1, SKIP = 77 };

static int report(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    return code;
}

#define FAILF(...) return report(FAIL, __VA_ARGS__)
#define EXPECT(cond, ...) do { if (!(cond)) FAILF(__VA_ARGS__); } while (0)
#define SYS(call, what) do { if ((call) < 0) FAILF("%s: %s", what, strerror(errno)); } while (0)

static char *join(const char *dir, const char *name) {
    static char buf[4][4096];
    static int next;
    char *b = buf[next++ & 3];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    if (fd < 0) return -1;
    ssize_t n = write(fd, data, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t) len ? 0 : -1;
}

static ssize_t read_file(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, cap);
    close(fd);
    return n;
}

// One byte over a pipe: the only way the two processes of a check wait for each other.
static void signal_peer(int fd) { char c = 1; if (write(fd, &c, 1) != 1) _exit(3); }
static void wait_peer(int fd) { char c; if (read(fd, &c, 1) != 1) _exit(3); }

// Progress lines: when a step hangs and the suite's timeout kills the check, the last one says where.
static void step(const char *what) { printf("at: %s\n", what); fflush(stdout); }

static int wait_child(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Unlink a file while it is open: the descriptor must keep reading and writing the data.
static int check_unlink_open(const char *dir) {
    char buf[64] = {0};
    const char *f = join(dir, "victim");
    int fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0644);
    SYS(fd, "create");
    EXPECT(write(fd, "hello", 5) == 5, "write: %s", strerror(errno));
    SYS(unlink(f), "unlink");
    struct stat st;
    EXPECT(stat(f, &st) < 0 && errno == ENOENT, "name still visible after unlink");
    EXPECT(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0, "read after unlink: %s", strerror(errno));
    EXPECT(pwrite(fd, " world", 6, 5) == 6, "write after unlink: %s", strerror(errno));
    memset(buf, 0, sizeof buf);
    EXPECT(pread(fd, buf, 11, 0) == 11 && strcmp(buf, "hello world") == 0, "read back after unlink: '%s'", buf);
    close(fd);
    return report(PASS, "read and write through the open descriptor");
}

// The same, for the calls that go to the server by fid rather than by data: fstat and ftruncate.
static int check_unlink_open_fstat(const char *dir) {
    const char *f = join(dir, "victim2");
    int fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0644);
    SYS(fd, "create");
    EXPECT(write(fd, "hello world", 11) == 11, "write: %s", strerror(errno));
    SYS(unlink(f), "unlink");
    struct stat st;
    SYS(fstat(fd, &st), "fstat after unlink");
    EXPECT(st.st_size == 11, "fstat size %lld, want 11", (long long) st.st_size);
    EXPECT(st.st_nlink == 0, "fstat nlink %lu, want 0", (unsigned long) st.st_nlink);
    SYS(ftruncate(fd, 3), "ftruncate after unlink");
    SYS(fstat(fd, &st), "fstat after ftruncate");
    EXPECT(st.st_size == 3, "size after ftruncate %lld, want 3", (long long) st.st_size);
    close(fd);
    return report(PASS, "fstat nlink=0, ftruncate works");
}

// Two processes append fixed-size records through their own O_APPEND descriptors: none may overwrite another.
enum { RECORD = 100 };
static int check_append2(const char *dir, int n) {
    const char *f = join(dir, "appendlog");
    SYS(write_file(f, "", 0, 0644), "create");
    int go[2];
    SYS(pipe(go), "pipe");
    pid_t kids[2];
    for (int w = 0; w < 2; w++) {
        kids[w] = fork();
        if (kids[w] == 0) {
            int fd = open(f, O_WRONLY | O_APPEND);
            if (fd < 0) _exit(2);
            wait_peer(go[0]);
            char rec[RECORD + 1];
            for (int i = 0; i < n; i++) {
                memset(rec, ' ', sizeof rec);
                int len = snprintf(rec, sizeof rec, "writer %c record %06d", 'A' + w, i % 1000000);
                rec[len] = ' ';
                rec[RECORD - 1] = '\n';
                if (write(fd, rec, RECORD) != RECORD) _exit(1);
            }
            _exit(0);
        }
    }
    signal_peer(go[1]);
    signal_peer(go[1]);
    for (int w = 0; w < 2; w++) EXPECT(wait_child(kids[w]) == 0, "writer %c failed", 'A' + w);
    int fd = open(f, O_RDONLY);
    SYS(fd, "open for verify");
    struct stat st;
    SYS(fstat(fd, &st), "fstat");
    EXPECT(st.st_size == (off_t) 2 * n * RECORD, "size %lld, want %lld (records overwritten)",
           (long long) st.st_size, (long long) 2 * n * RECORD);
    int next[2] = {0, 0};
    char rec[RECORD];
    for (int i = 0; i < 2 * n; i++) {
        EXPECT(read(fd, rec, RECORD) == RECORD, "short read at record %d", i);
        int w = rec[7] - 'A', seq;
        EXPECT((w == 0 || w == 1) && rec[RECORD - 1] == '\n' && sscanf(rec + 16, "%d", &seq) == 1,
               "record %d garbled", i);
        EXPECT(seq == next[w], "writer %c record %d out of order at %d", 'A' + w, seq, i);
        next[w]++;
    }
    close(fd);
    return report(PASS, "%d records from each of two writers intact", n);
}

// flock between two processes of the guest, each with its own open file description.
static int check_flock(const char *dir) {
    const char *f = join(dir, "flockfile");
    SYS(write_file(f, "x", 1, 0644), "create");
    int fd = open(f, O_RDWR);
    SYS(fd, "open");
    SYS(flock(fd, LOCK_EX), "flock LOCK_EX");
    int to_child[2], to_parent[2];
    SYS(pipe(to_child), "pipe");
    SYS(pipe(to_parent), "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = open(f, O_RDWR);
        if (cfd < 0) _exit(10);
        step("child flock LOCK_EX|LOCK_NB while the parent holds LOCK_EX");
        if (flock(cfd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK) _exit(11);
        if (flock(cfd, LOCK_SH | LOCK_NB) == 0 || errno != EWOULDBLOCK) _exit(12);
        signal_peer(to_parent[1]);
        wait_peer(to_child[0]);
        step("child flock LOCK_EX|LOCK_NB after the parent's unlock");
        if (flock(cfd, LOCK_EX | LOCK_NB) != 0) _exit(13);
        if (flock(cfd, LOCK_UN) != 0) _exit(14);
        _exit(0);
    }
    wait_peer(to_parent[0]);
    step("parent flock LOCK_UN");
    SYS(flock(fd, LOCK_UN), "flock LOCK_UN");
    signal_peer(to_child[1]);
    int rc = wait_child(pid);
    static const char *why[] = {"child open failed", "LOCK_EX granted over another LOCK_EX",
                                "LOCK_SH granted over LOCK_EX", "LOCK_EX refused after unlock", "unlock failed"};
    EXPECT(rc == 0, "%s", rc >= 10 && rc <= 14 ? why[rc - 10] : "child died");
    close(fd);
    return report(PASS, "exclusive lock excludes, released lock is granted");
}

static int setlk(int fd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, F_SETLK, &fl);
}

// POSIX byte-range locks between two processes: conflicting ranges refused, disjoint ones granted, F_GETLK names
// the holder.
static int check_fcntl_lock(const char *dir) {
    const char *f = join(dir, "lockfile");
    SYS(write_file(f, "0123456789", 10, 0644), "create");
    int fd = open(f, O_RDWR);
    SYS(fd, "open");
    SYS(setlk(fd, F_WRLCK, 0, 100), "F_SETLK F_WRLCK 0-99");
    int to_child[2], to_parent[2];
    SYS(pipe(to_child), "pipe");
    SYS(pipe(to_parent), "pipe");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = open(f, O_RDWR);
        if (cfd < 0) _exit(10);
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100};
        step("child F_GETLK 0-99");
        if (fcntl(cfd, F_GETLK, &fl) != 0 || fl.l_type != F_WRLCK || fl.l_pid != parent) _exit(11);
        step("child F_SETLK F_WRLCK 50-149 (overlaps)");
        if (setlk(cfd, F_WRLCK, 50, 100) == 0 || (errno != EAGAIN && errno != EACCES)) _exit(12);
        if (setlk(cfd, F_RDLCK, 0, 1) == 0 || (errno != EAGAIN && errno != EACCES)) _exit(13);
        step("child F_SETLK F_WRLCK 200-299 (disjoint)");
        if (setlk(cfd, F_WRLCK, 200, 100) != 0) _exit(14);
        signal_peer(to_parent[1]);
        wait_peer(to_child[0]);
        step("child F_SETLK F_WRLCK 0-99 after the parent's unlock");
        if (setlk(cfd, F_WRLCK, 0, 100) != 0) _exit(15);
        _exit(0);
    }
    wait_peer(to_parent[0]);
    step("parent F_UNLCK 0-99");
    SYS(setlk(fd, F_UNLCK, 0, 100), "F_UNLCK");
    signal_peer(to_child[1]);
    int rc = wait_child(pid);
    static const char *why[] = {"child open failed", "F_GETLK did not report the parent's lock",
                                "overlapping F_WRLCK granted", "F_RDLCK granted over F_WRLCK",
                                "disjoint range refused", "lock refused after unlock"};
    EXPECT(rc == 0, "%s", rc >= 10 && rc <= 15 ? why[rc - 10] : "child died");
    close(fd);
    return report(PASS, "conflicts refused, disjoint ranges granted, holder reported");
}

// A process on the host holds both kinds of lock on FILE (see holdlock): the server must refuse the guest's.
static int check_hostlock(const char *f, int use_flock) {
    int fd = open(f, O_RDWR);
    SYS(fd, "open");
    int rc = use_flock ? flock(fd, LOCK_EX | LOCK_NB) : setlk(fd, F_WRLCK, 0, 0);
    int err = errno;
    close(fd);
    if (rc == 0) FAILF("%s lock granted although a host process holds the file locked", use_flock ? "flock" : "fcntl");
    EXPECT(err == EAGAIN || err == EACCES || err == EWOULDBLOCK, "unexpected error %s", strerror(err));
    return report(PASS, "refused with %s", strerror(err));
}

static int holdlock(const char *f) {
    int fd = open(f, O_RDWR | O_CREAT, 0666);
    if (fd < 0 || setlk(fd, F_WRLCK, 0, 0) != 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        perror("holdlock");
        return 1;
    }
    printf("locked\n");
    fflush(stdout);
    for (;;) pause();
}

// Linux 6.1's v9fs leaves s_time_gran at one second, so the kernel truncates the times it sends: the check accepts
// exact nanoseconds or whole seconds and says which. stat_ns checks the other direction, which the server decides.
static int check_utimes(const char *dir) {
    const char *f = join(dir, "stamped");
    SYS(write_file(f, "x", 1, 0644), "create");
    struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    SYS(utimensat(AT_FDCWD, f, ts, 0), "utimensat");
    struct stat st;
    SYS(stat(f, &st), "stat");
    EXPECT(st.st_atim.tv_sec == ts[0].tv_sec && (st.st_atim.tv_nsec == ts[0].tv_nsec || st.st_atim.tv_nsec == 0),
           "atime %lld.%09ld, want %lld.%09ld", (long long) st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long) ts[0].tv_sec, ts[0].tv_nsec);
    EXPECT(st.st_mtim.tv_sec == ts[1].tv_sec && (st.st_mtim.tv_nsec == ts[1].tv_nsec || st.st_mtim.tv_nsec == 0),
           "mtime %lld.%09ld, want %lld.%09ld", (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
           (long long) ts[1].tv_sec, ts[1].tv_nsec);
    int exact = st.st_mtim.tv_nsec == ts[1].tv_nsec;
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    SYS(utimensat(AT_FDCWD, f, omit, 0), "utimensat OMIT/NOW");
    struct stat st2;
    SYS(stat(f, &st2), "stat");
    EXPECT(st2.st_atim.tv_sec == st.st_atim.tv_sec && st2.st_atim.tv_nsec == st.st_atim.tv_nsec,
           "UTIME_OMIT changed atime");
    EXPECT(st2.st_mtim.tv_sec > ts[1].tv_sec, "UTIME_NOW left mtime at %lld", (long long) st2.st_mtim.tv_sec);
    return report(PASS, "atime/mtime set (%s), UTIME_OMIT and UTIME_NOW honoured",
                  exact ? "nanoseconds kept" : "the kernel sent whole seconds");
}

static int check_stat_ns(const char *f, long long sec, long nsec) {
    struct stat st;
    SYS(stat(f, &st), "stat");
    EXPECT(st.st_mtim.tv_sec == sec && st.st_mtim.tv_nsec == nsec, "mtime %lld.%09ld, want %lld.%09ld",
           (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec, sec, nsec);
    return report(PASS, "mtime %lld.%09ld set on the host seen exactly", sec, nsec);
}

static int check_fsync(const char *dir) {
    const char *f = join(dir, "synced");
    int fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0644);
    SYS(fd, "create");
    static char buf[1 << 20];
    memset(buf, 'y', sizeof buf);
    EXPECT(write(fd, buf, sizeof buf) == (ssize_t) sizeof buf, "write: %s", strerror(errno));
    SYS(fsync(fd), "fsync");
    SYS(fdatasync(fd), "fdatasync");
    close(fd);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    SYS(dfd, "open dir");
    SYS(fsync(dfd), "fsync of a directory");
    close(dfd);
    return report(PASS, "fsync, fdatasync and directory fsync return 0");
}

static int check_truncate(const char *dir) {
    const char *f = join(dir, "trunc");
    static char buf[10000];
    memset(buf, 'x', sizeof buf);
    SYS(write_file(f, buf, sizeof buf, 0644), "create");
    SYS(truncate(f, 100), "truncate to 100");
    struct stat st;
    SYS(stat(f, &st), "stat");
    EXPECT(st.st_size == 100, "size %lld after truncate to 100", (long long) st.st_size);
    SYS(truncate(f, 5000), "truncate to 5000");
    memset(buf, 0, sizeof buf);
    EXPECT(read_file(f, buf, sizeof buf) == 5000, "size after extending is not 5000");
    for (int i = 0; i < 5000; i++)
        EXPECT(buf[i] == (i < 100 ? 'x' : 0), "byte %d is %d after extend", i, buf[i]);
    int fd = open(f, O_RDWR);
    SYS(fd, "open");
    SYS(ftruncate(fd, 0), "ftruncate to 0");
    SYS(fstat(fd, &st), "fstat");
    EXPECT(st.st_size == 0, "size %lld after ftruncate 0", (long long) st.st_size);
    close(fd);
    SYS(write_file(f, "abc", 3, 0644), "rewrite");
    fd = open(f, O_WRONLY | O_TRUNC);
    SYS(fd, "open O_TRUNC");
    close(fd);
    SYS(stat(f, &st), "stat");
    EXPECT(st.st_size == 0, "O_TRUNC left size %lld", (long long) st.st_size);
    return report(PASS, "shrink, extend with zeros, ftruncate, O_TRUNC");
}

static int check_mmap(const char *dir, int shared_write) {
    const char *f = join(dir, shared_write ? "mapped-w" : "mapped");
    static char buf[8192];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char) ('a' + i % 26);
    SYS(write_file(f, buf, sizeof buf, 0644), "create");
    int fd = open(f, shared_write ? O_RDWR : O_RDONLY);
    SYS(fd, "open");
    char *p = mmap(NULL, sizeof buf, shared_write ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        if (shared_write && (errno == EINVAL || errno == ENODEV || errno == EACCES))
            return report(SKIP, "kernel refuses a writable shared mapping here (%s): cache=none", strerror(errno));
        FAILF("mmap: %s", strerror(errno));
    }
    EXPECT(memcmp(p, buf, sizeof buf) == 0, "mapped bytes differ from the file");
    if (shared_write) {
        memcpy(p + 100, "MAPPED", 6);
        SYS(msync(p, sizeof buf, MS_SYNC), "msync");
        char back[8192];
        EXPECT(pread(fd, back, sizeof back, 0) == (ssize_t) sizeof back, "read back");
        EXPECT(memcmp(back + 100, "MAPPED", 6) == 0, "write through the mapping not visible to read()");
    }
    munmap(p, sizeof buf);
    close(fd);
    return report(PASS, shared_write ? "store through MAP_SHARED reaches the file" : "MAP_SHARED read matches");
}

static int name_index(const char *name, int n) {
    char *end;
    if (name[0] != 'f') return -1;
    long i = strtol(name + 1, &end, 10);
    return *end == 0 && i >= 0 && i < n ? (int) i : -1;
}

static int list_dir(const char *dir, int n, unsigned char *seen, int *count, int *dups) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    memset(seen, 0, n);
    *count = 0;
    *dups = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int i = name_index(e->d_name, n);
        if (i < 0) continue;
        if (seen[i]++) (*dups)++;
        (*count)++;
    }
    closedir(d);
    return 0;
}

// A directory of N entries must list completely and exactly once each, also after every STEP-th one is removed.
// With create=0 the entries f00000.. already exist (made on the host, which is much faster than over TCP in TCG).
static int check_bigdir(const char *dir, int n, int create, int step) {
    char name[32];
    for (int i = 0; create && i < n; i++) {
        snprintf(name, sizeof name, "f%05d", i);
        int fd = open(join(dir, name), O_CREAT | O_EXCL | O_WRONLY, 0644);
        SYS(fd, "create");
        close(fd);
    }
    unsigned char *seen = malloc(n);
    int count, dups, removed = 0;
    SYS(list_dir(dir, n, seen, &count, &dups), "opendir");
    EXPECT(count == n && dups == 0, "listed %d of %d entries, %d duplicates", count, n, dups);
    for (int i = 1; i < n; i += step) {
        snprintf(name, sizeof name, "f%05d", i);
        SYS(unlink(join(dir, name)), "unlink");
        removed++;
    }
    SYS(list_dir(dir, n, seen, &count, &dups), "opendir");
    for (int i = 0; i < n; i++) {
        int gone = i >= 1 && (i - 1) % step == 0;
        EXPECT(seen[i] == !gone, "entry f%05d %s after unlinking %d", i, seen[i] ? "listed" : "missing", removed);
    }
    free(seen);
    return report(PASS, "%d entries (%s) listed once each; %d after removing %d", n,
                  create ? "created in the guest" : "created on the host", count, removed);
}

static int as_nobody(void) {
    return setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0 ? 0 : -1;
}

// Permission bits enforced for an unprivileged user.
static int check_perm_nobody(const char *dir) {
    SYS(write_file(join(dir, "secret"), "s", 1, 0600), "create 0600");
    SYS(write_file(join(dir, "public"), "p", 1, 0644), "create 0644");
    SYS(chmod(join(dir, "secret"), 0600), "chmod");
    SYS(chmod(dir, 0755), "chmod dir");
    pid_t pid = fork();
    if (pid == 0) {
        if (as_nobody() != 0) _exit(10);
        if (open(join(dir, "secret"), O_RDONLY) >= 0 || errno != EACCES) _exit(11);
        int fd = open(join(dir, "public"), O_RDONLY);
        if (fd < 0) _exit(12);
        close(fd);
        if (open(join(dir, "public"), O_WRONLY) >= 0 || errno != EACCES) _exit(13);
        if (open(join(dir, "new"), O_CREAT | O_WRONLY, 0644) >= 0 || errno != EACCES) _exit(14);
        if (unlink(join(dir, "public")) == 0 || errno != EACCES) _exit(15);
        _exit(0);
    }
    int rc = wait_child(pid);
    static const char *why[] = {"setuid failed", "read of a 0600 root file allowed",
                                "read of a 0644 file refused", "write to a 0644 root file allowed",
                                "create in a 0755 root directory allowed", "unlink in a 0755 root directory allowed"};
    EXPECT(rc == 0, "%s", rc >= 10 && rc <= 15 ? why[rc - 10] : "child died");
    return report(PASS, "uid 65534 refused where the mode bits say so");
}

// A file created by uid 65534 belongs to uid 65534.
static int check_create_owner(const char *dir) {
    SYS(chmod(dir, 0777), "chmod dir 0777");
    const char *f = join(dir, "made-by-nobody");
    pid_t pid = fork();
    if (pid == 0) {
        if (as_nobody() != 0) _exit(10);
        int fd = open(f, O_CREAT | O_WRONLY | O_EXCL, 0644);
        if (fd < 0) _exit(11);
        _exit(write(fd, "n", 1) == 1 ? 0 : 12);
    }
    int rc = wait_child(pid);
    EXPECT(rc == 0, "uid 65534 could not create a file in a 0777 directory (%d)", rc);
    struct stat st;
    SYS(stat(f, &st), "stat");
    EXPECT(st.st_uid == 65534 && st.st_gid == 65534, "owner %u:%u, want 65534:65534", st.st_uid, st.st_gid);
    return report(PASS, "owner 65534:65534");
}

static int check_sparse(const char *dir) {
    const char *f = join(dir, "sparse");
    int fd = open(f, O_CREAT | O_RDWR | O_TRUNC, 0644);
    SYS(fd, "create");
    const off_t far = 5LL << 30;
    EXPECT(pwrite(fd, "end", 3, far) == 3, "pwrite at 5 GiB: %s", strerror(errno));
    struct stat st;
    SYS(fstat(fd, &st), "fstat");
    EXPECT(st.st_size == far + 3, "size %lld, want %lld", (long long) st.st_size, (long long) far + 3);
    char buf[4096], zero[4096] = {0};
    EXPECT(pread(fd, buf, sizeof buf, 1LL << 30) == (ssize_t) sizeof buf && memcmp(buf, zero, sizeof buf) == 0,
           "hole does not read as zeros");
    EXPECT(pread(fd, buf, 3, far) == 3 && memcmp(buf, "end", 3) == 0, "data beyond 4 GiB lost");
    close(fd);
    return report(PASS, "offset beyond 4 GiB; %lld blocks allocated", (long long) st.st_blocks);
}

static int check_errno_basics(const char *dir) {
    const char *f = join(dir, "exists");
    int fd = open(f, O_CREAT | O_EXCL | O_WRONLY, 0644);
    SYS(fd, "O_EXCL create");
    close(fd);
    EXPECT(open(f, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST, "second O_EXCL: %s", strerror(errno));
    EXPECT(mkdir(f, 0755) < 0 && errno == EEXIST, "mkdir over a file: %s", strerror(errno));
    EXPECT(rmdir(f) < 0 && errno == ENOTDIR, "rmdir of a file: %s", strerror(errno));
    EXPECT(open(dir, O_WRONLY) < 0 && errno == EISDIR, "open dir O_WRONLY: %s", strerror(errno));
    EXPECT(open(join(dir, "missing"), O_RDONLY) < 0 && errno == ENOENT, "open missing: %s", strerror(errno));
    EXPECT(open(join(f, "x"), O_RDONLY) < 0 && errno == ENOTDIR, "file as directory: %s", strerror(errno));
    EXPECT(unlink(dir) < 0 && (errno == EISDIR || errno == EPERM), "unlink of a dir: %s", strerror(errno));
    return report(PASS, "EEXIST, ENOTDIR, EISDIR, ENOENT as expected");
}

static int check_rename(const char *dir, const char *which) {
    char buf[64] = {0};
    if (strcmp(which, "file_over_file") == 0) {
        SYS(write_file(join(dir, "a"), "new", 3, 0644), "create a");
        SYS(write_file(join(dir, "b"), "old", 3, 0644), "create b");
        int keep = open(join(dir, "b"), O_RDONLY);
        SYS(keep, "open b");
        SYS(rename(join(dir, "a"), join(dir, "b")), "rename a b");
        struct stat st;
        EXPECT(stat(join(dir, "a"), &st) < 0 && errno == ENOENT, "source still present");
        EXPECT(read_file(join(dir, "b"), buf, sizeof buf) == 3 && memcmp(buf, "new", 3) == 0, "target content '%s'", buf);
        EXPECT(pread(keep, buf, 3, 0) == 3 && memcmp(buf, "old", 3) == 0, "open replaced file no longer reads");
        close(keep);
        return report(PASS, "target replaced; descriptor on the replaced file still reads it");
    }
    if (strcmp(which, "dir_over_empty_dir") == 0) {
        SYS(mkdir(join(dir, "src"), 0755), "mkdir src");
        SYS(write_file(join(dir, "src/inside"), "i", 1, 0644), "create src/inside");
        SYS(mkdir(join(dir, "dst"), 0755), "mkdir dst");
        SYS(rename(join(dir, "src"), join(dir, "dst")), "rename dir over empty dir");
        EXPECT(read_file(join(dir, "dst/inside"), buf, sizeof buf) == 1, "dst/inside missing after rename");
        SYS(rename(join(dir, "dst"), join(dir, "moved")), "rename dir to new name");
        EXPECT(read_file(join(dir, "moved/inside"), buf, sizeof buf) == 1, "moved/inside missing");
        return report(PASS, "directory replaced an empty one, then moved with its content");
    }
    if (strcmp(which, "dir_over_nonempty_dir") == 0) {
        SYS(mkdir(join(dir, "src"), 0755), "mkdir src");
        SYS(mkdir(join(dir, "full"), 0755), "mkdir full");
        SYS(write_file(join(dir, "full/f"), "f", 1, 0644), "create full/f");
        int rc = rename(join(dir, "src"), join(dir, "full")), err = errno;
        EXPECT(rc < 0, "rename over a non-empty directory succeeded");
        EXPECT(err == ENOTEMPTY || err == EEXIST, "rename over non-empty dir: %s", strerror(err));
        EXPECT(read_file(join(dir, "full/f"), buf, sizeof buf) == 1, "target content lost");
        return report(PASS, "refused with %s", strerror(err));
    }
    if (strcmp(which, "type_mismatch") == 0) {
        SYS(mkdir(join(dir, "d"), 0755), "mkdir d");
        SYS(write_file(join(dir, "f"), "f", 1, 0644), "create f");
        EXPECT(rename(join(dir, "f"), join(dir, "d")) < 0 && errno == EISDIR, "file over dir: %s", strerror(errno));
        EXPECT(rename(join(dir, "d"), join(dir, "f")) < 0 && errno == ENOTDIR, "dir over file: %s", strerror(errno));
        EXPECT(rename(join(dir, "d"), join(dir, "d/sub")) < 0 && errno == EINVAL, "dir into itself: %s", strerror(errno));
        return report(PASS, "EISDIR, ENOTDIR, EINVAL");
    }
    FAILF("unknown rename case %s", which);
}

static int check_create_mode(const char *dir) {
    struct stat st;
    umask(022);
    int fd = open(join(dir, "m640"), O_CREAT | O_WRONLY, 0640);
    SYS(fd, "create");
    close(fd);
    SYS(stat(join(dir, "m640"), &st), "stat");
    EXPECT((st.st_mode & 07777) == 0640, "mode %o, want 640", st.st_mode & 07777);
    umask(0);
    fd = open(join(dir, "m666"), O_CREAT | O_WRONLY, 0666);
    SYS(fd, "create");
    close(fd);
    SYS(stat(join(dir, "m666"), &st), "stat");
    EXPECT((st.st_mode & 07777) == 0666, "mode %o, want 666 with umask 0", st.st_mode & 07777);
    umask(077);
    SYS(mkdir(join(dir, "d700"), 0777), "mkdir");
    SYS(stat(join(dir, "d700"), &st), "stat");
    EXPECT((st.st_mode & 07777) == 0700, "dir mode %o, want 700 with umask 077", st.st_mode & 07777);
    umask(022);
    SYS(chmod(join(dir, "d700"), 02755 | S_ISVTX), "chmod setgid+sticky");
    SYS(stat(join(dir, "d700"), &st), "stat");
    EXPECT((st.st_mode & 07777) == 03755, "dir mode %o after chmod 3755", st.st_mode & 07777);
    return report(PASS, "create modes honour umask; setgid and sticky bits kept");
}

static int check_statfs(const char *dir) {
    struct statfs s;
    SYS(statfs(dir, &s), "statfs");
    EXPECT(s.f_bsize > 0 && s.f_blocks > 0 && s.f_bfree <= s.f_blocks && s.f_bavail <= s.f_blocks,
           "bsize %ld blocks %llu free %llu avail %llu", (long) s.f_bsize, (unsigned long long) s.f_blocks,
           (unsigned long long) s.f_bfree, (unsigned long long) s.f_bavail);
    EXPECT(s.f_namelen > 0, "namelen 0");
    // f_type is whatever the server reports (v9fs passes it through), so it is shown, not checked.
    return report(PASS, "type=%#lx bsize=%ld blocks=%llu free=%llu files=%llu namelen=%ld",
                  (unsigned long) s.f_type, (long) s.f_bsize,
                  (unsigned long long) s.f_blocks, (unsigned long long) s.f_bfree, (unsigned long long) s.f_files,
                  (long) s.f_namelen);
}

// Deterministic tree for the checksum comparison between guest and host: NDIRS directories nested three deep,
// NFILES files of pseudo-random size (0..64 KiB) and content.
static uint64_t rng;
static uint64_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int mktree(const char *dir, int ndirs, int nfiles, unsigned seed) {
    rng = 0x9e3779b97f4a7c15ULL ^ seed;
    char path[4096];
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) FAILF("mkdir %s: %s", dir, strerror(errno));
    for (int d = 0; d < ndirs; d++) {
        snprintf(path, sizeof path, "%s/d%d", dir, d % 8);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/d%d/e%d", dir, d % 8, (d / 8) % 8);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/d%d/e%d/g%d", dir, d % 8, (d / 8) % 8, d);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) FAILF("mkdir %s: %s", path, strerror(errno));
    }
    static unsigned char buf[65536];
    for (int i = 0; i < nfiles; i++) {
        int d = i % ndirs;
        snprintf(path, sizeof path, "%s/d%d/e%d/g%d/file%05d", dir, d % 8, (d / 8) % 8, d, i);
        size_t len = next_random() % sizeof buf;
        if (i % 10 == 0) len = 0;
        for (size_t j = 0; j < len; j += 8) {
            uint64_t r = next_random();
            memcpy(buf + j, &r, len - j < 8 ? len - j : 8);
        }
        if (write_file(path, buf, len, 0644) < 0) FAILF("write %s: %s", path, strerror(errno));
    }
    return report(PASS, "%d directories, %d files", ndirs, nfiles);
}

// trans=fd: the kernel reads and writes the descriptors it is given. A virtio-serial port is tried first as is;
// when the kernel refuses it, a relay process copies between the port and one end of a socketpair whose other
// end is handed to the mount.
static void relay(int a, int b) {
    char buf[65536];
    struct pollfd p[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            _exit(1);
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = read(p[i].fd, buf, sizeof buf);
                if (n <= 0) {
                    if (n < 0 && errno == EAGAIN) continue;
                    if (p[i].fd == a && n == 0) continue;  // a port without a reader reports EOF; keep polling
                    _exit(0);
                }
                for (ssize_t off = 0; off < n;) {
                    ssize_t w = write(p[1 - i].fd, buf + off, n - off);
                    if (w < 0) _exit(1);
                    off += w;
                }
            }
        }
    }
}

static int fdmount(const char *dev, const char *target, const char *opts) {
    char data[1024];
    int fd = open(dev, O_RDWR);
    SYS(fd, dev);
    snprintf(data, sizeof data, "trans=fd,rfdno=%d,wfdno=%d,%s", fd, fd, opts);
    if (mount("ninefs", target, "9p", 0, data) == 0) return report(PASS, "direct trans=fd on %s", dev);
    int direct = errno;
    int sv[2];
    SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        setsid();
        relay(fd, sv[1]);
    }
    close(sv[1]);
    close(fd);
    snprintf(data, sizeof data, "trans=fd,rfdno=%d,wfdno=%d,%s", sv[0], sv[0], opts);
    if (mount("ninefs", target, "9p", 0, data) != 0) {
        int e = errno;
        kill(pid, SIGKILL);
        FAILF("direct trans=fd on %s: %s; through a relay: %s", dev, strerror(direct), strerror(e));
    }
    return report(PASS, "direct trans=fd on %s: %s; mounted through a userspace relay (pid %d)", dev,
                  strerror(direct), (int) pid);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: nfcheck CHECK ARGS...\n");
        return 2;
    }
    const char *c = argv[1];
    const char *a = argc > 2 ? argv[2] : ".";
    if (!strcmp(c, "unlink_open")) return check_unlink_open(a);
    if (!strcmp(c, "unlink_open_fstat")) return check_unlink_open_fstat(a);
    if (!strcmp(c, "append2")) return check_append2(a, argc > 3 ? atoi(argv[3]) : 500);
    if (!strcmp(c, "flock")) return check_flock(a);
    if (!strcmp(c, "fcntl_lock")) return check_fcntl_lock(a);
    if (!strcmp(c, "hostlock_fcntl")) return check_hostlock(a, 0);
    if (!strcmp(c, "hostlock_flock")) return check_hostlock(a, 1);
    if (!strcmp(c, "holdlock")) return holdlock(a);
    if (!strcmp(c, "utimes")) return check_utimes(a);
    if (!strcmp(c, "stat_ns") && argc > 4) return check_stat_ns(a, atoll(argv[3]), atol(argv[4]));
    if (!strcmp(c, "fsync")) return check_fsync(a);
    if (!strcmp(c, "truncate")) return check_truncate(a);
    if (!strcmp(c, "mmap_read")) return check_mmap(a, 0);
    if (!strcmp(c, "mmap_shared_write")) return check_mmap(a, 1);
    if (!strcmp(c, "bigdir") && argc > 5)
        return check_bigdir(a, atoi(argv[3]), !strcmp(argv[4], "create"), atoi(argv[5]));
    if (!strcmp(c, "perm_nobody")) return check_perm_nobody(a);
    if (!strcmp(c, "create_owner")) return check_create_owner(a);
    if (!strcmp(c, "sparse")) return check_sparse(a);
    if (!strcmp(c, "errno_basics")) return check_errno_basics(a);
    if (!strcmp(c, "rename") && argc > 3) return check_rename(a, argv[3]);
    if (!strcmp(c, "create_mode")) return check_create_mode(a);
    if (!strcmp(c, "statfs")) return check_statfs(a);
    if (!strcmp(c, "mktree") && argc > 5) return mktree(a, atoi(argv[3]), atoi(argv[4]), (unsigned) atoi(argv[5]));
    if (!strcmp(c, "fdmount") && argc > 4) return fdmount(argv[2], argv[3], argv[4]);
    fprintf(stderr, "nfcheck: unknown check %s\n", c);
    return 2;
}
