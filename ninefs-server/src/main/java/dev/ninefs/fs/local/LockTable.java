// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.OfdLock;
import dev.ninefs.posix.Posix;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * POSIX byte-range locks of an export's clients, with the owner semantics 9P needs, mirrored into the kernel.
 *
 * <p>Why a table: the server is one process, so classic fcntl locks would all belong to it and never exclude one
 * client from another (QEMU's behaviour); open-file-description locks belong to a descriptor, so two fids of one
 * owner would exclude each other and an unlock through one fid would not release a lock taken through another.
 * The table keeps each client's ranges per file keyed by {@link LockOwner} (different owners conflict, the same
 * owner merges and splits as POSIX does) and remembers the open file each range was taken through, so closing that
 * file releases it (9P's release on clunk).
 *
 * <p>Why the mirror: to also exclude processes on the host, the union of all clients' ranges of a file (write
 * where anyone writes, else read where anyone reads) is held as OFD locks on one descriptor per file, opened
 * read-write through the magic link of the first locker's descriptor. A change is applied to the mirror before the
 * table: upgrades first, rolled back if a host process holds a conflicting lock (the client then gets BLOCKED),
 * then downgrades, which cannot fail. Where that descriptor cannot be opened (a directory, a file the server may
 * not open read-write) the locks are the table's alone.
 */
final class LockTable {
    private static final long EOF = Long.MAX_VALUE;
    private static final LockOwner HOST = new LockOwner(-1, 0, "host");

    private record Held(LockOwner owner, Object via, int type, long start, long end) {
        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }
    }

    private static final class Inode {
        List<Held> held = List.of();
        Fd kernel;
        boolean tableOnly;
    }

    private final Map<FileKey, Inode> inodes = new HashMap<>();

    /** Tlock: takes, converts or releases a lock without waiting. */
    synchronized LockStatus lock(FileKey key, LockRequest req, Object via, Fd io, int access) throws ErrnoException {
        long start = start(req), end = end(req);
        int type = req.type();
        switch (type) {
            case Dotl.LOCK_TYPE_RDLCK -> require(access != Dotl.O_WRONLY, "read lock needs a file open for reading");
            case Dotl.LOCK_TYPE_WRLCK -> require(access != Dotl.O_RDONLY, "write lock needs a file open for writing");
            case Dotl.LOCK_TYPE_UNLCK -> { }
            default -> throw new ErrnoException(Errno.EINVAL, "lock type " + type);
        }
        Inode inode = inodes.get(key);
        if (type == Dotl.LOCK_TYPE_UNLCK) {
            if (inode != null) {
                apply(key, inode, without(inode.held, h -> h.owner().equals(req.owner()), start, end), null);
            }
            return LockStatus.SUCCESS;
        }
        if (inode != null) {
            for (Held h : inode.held) {
                if (conflicts(h, req.owner(), type, start, end)) {
                    return LockStatus.BLOCKED;
                }
            }
        } else {
            inode = new Inode();
            inodes.put(key, inode);
        }
        List<Held> next = without(inode.held, h -> h.owner().equals(req.owner()), start, end);
        next.add(new Held(req.owner(), via, type, start, end));
        if (!apply(key, inode, next, io)) {
            if (inode.held.isEmpty()) {
                forget(key, inode);
            }
            return LockStatus.BLOCKED;
        }
        return LockStatus.SUCCESS;
    }

    /** Tgetlock: the first conflicting lock of another owner (a client's, then a host process's), or UNLCK. */
    synchronized LockRequest getlock(FileKey key, LockRequest req, Fd io) throws ErrnoException {
        long start = start(req), end = end(req);
        if (req.type() != Dotl.LOCK_TYPE_RDLCK && req.type() != Dotl.LOCK_TYPE_WRLCK) {
            throw new ErrnoException(Errno.EINVAL, "getlock of type " + req.type());
        }
        Inode inode = inodes.get(key);
        if (inode != null) {
            for (Held h : inode.held) {
                if (conflicts(h, req.owner(), req.type(), start, end)) {
                    return new LockRequest(h.type(), h.start(), length(h.start(), h.end()), h.owner());
                }
            }
        }
        // The mirror's own locks never show through its descriptor; without one, no client lock is in the kernel.
        Fd probe = inode != null && inode.kernel != null ? inode.kernel : io;
        OfdLock.Held k;
        try (Fd.Use u = probe.use()) {
            k = OfdLock.get(u.fd(), kernelType(level(req.type())), start, length(start, end));
        }
        if (k != null) {
            int type = k.type() == Linux.F_WRLCK ? Dotl.LOCK_TYPE_WRLCK : Dotl.LOCK_TYPE_RDLCK;
            return new LockRequest(type, k.start(), k.length(), new LockOwner(HOST.connection(), k.pid(),
                    HOST.clientId()));
        }
        return new LockRequest(Dotl.LOCK_TYPE_UNLCK, req.start(), req.length(), req.owner());
    }

    /** Releases every range taken through {@code via} (a file being closed). */
    synchronized void release(FileKey key, Object via) {
        Inode inode = inodes.get(key);
        if (inode == null) {
            return;
        }
        List<Held> next = new ArrayList<>(inode.held);
        if (!next.removeIf(h -> h.via() == via)) {
            return;
        }
        try {
            apply(key, inode, next, null);
        } catch (ErrnoException e) {
            // Downgrades do not fail; should the kernel disagree, the table still lets go.
            inode.held = next;
            if (next.isEmpty()) {
                forget(key, inode);
            }
        }
    }

    /** Number of files with locks (for tests). */
    synchronized int lockedFiles() {
        return inodes.size();
    }

    private boolean apply(FileKey key, Inode inode, List<Held> next, Fd io) throws ErrnoException {
        if (inode.kernel == null && !inode.tableOnly && !next.isEmpty() && io != null) {
            openMirror(inode, io);
        }
        if (inode.kernel != null) {
            try (Fd.Use k = inode.kernel.use()) {
                if (!mirror(k.fd(), inode.held, next)) {
                    return false;
                }
            }
        }
        inode.held = next;
        if (next.isEmpty()) {
            forget(key, inode);
        }
        return true;
    }

    private void forget(FileKey key, Inode inode) {
        if (inode.kernel != null) {
            inode.kernel.release(); // closing the mirror descriptor drops whatever it still holds
            inode.kernel = null;
        }
        inodes.remove(key);
    }

    private static void openMirror(Inode inode, Fd io) {
        try (Fd.Use u = io.use()) {
            int fd = Posix.openat(Linux.AT_FDCWD, Posix.procPath(u.fd()),
                    Linux.O_RDWR | Linux.O_CLOEXEC | Linux.O_NOCTTY | Linux.O_NONBLOCK, 0);
            inode.kernel = Fd.adopt(fd);
        } catch (ErrnoException e) {
            inode.tableOnly = true;
        }
    }

    private record Change(long start, long end, int from, int to) {}

    /** Moves the mirror from the union of {@code before} to that of {@code after}; false if the host blocks it. */
    private static boolean mirror(int fd, List<Held> before, List<Held> after) throws ErrnoException {
        TreeSet<Long> bounds = new TreeSet<>();
        for (List<Held> list : List.of(before, after)) {
            for (Held h : list) {
                bounds.add(h.start());
                if (h.end() != EOF) {
                    bounds.add(h.end() + 1);
                }
            }
        }
        List<Change> ups = new ArrayList<>(), downs = new ArrayList<>();
        Long[] b = bounds.toArray(Long[]::new);
        for (int i = 0; i < b.length; i++) {
            long s = b[i], e = i + 1 < b.length ? b[i + 1] - 1 : EOF;
            int from = level(before, s), to = level(after, s);
            if (from != to) {
                (to > from ? ups : downs).add(new Change(s, e, from, to));
            }
        }
        List<Change> done = new ArrayList<>();
        for (Change c : ups) {
            if (!OfdLock.set(fd, kernelType(c.to()), c.start(), length(c.start(), c.end()))) {
                for (Change d : done) {
                    OfdLock.set(fd, kernelType(d.from()), d.start(), length(d.start(), d.end()));
                }
                return false;
            }
            done.add(c);
        }
        for (Change c : downs) {
            OfdLock.set(fd, kernelType(c.to()), c.start(), length(c.start(), c.end()));
        }
        return true;
    }

    /** 0 unlocked, 1 read-locked, 2 write-locked by someone at offset {@code at}. */
    private static int level(List<Held> held, long at) {
        int level = 0;
        for (Held h : held) {
            if (h.start() <= at && at <= h.end()) {
                level = Math.max(level, level(h.type()));
            }
        }
        return level;
    }

    private static int level(int type) {
        return type == Dotl.LOCK_TYPE_WRLCK ? 2 : type == Dotl.LOCK_TYPE_RDLCK ? 1 : 0;
    }

    private static short kernelType(int level) {
        return level == 2 ? Linux.F_WRLCK : level == 1 ? Linux.F_RDLCK : Linux.F_UNLCK;
    }

    private static boolean conflicts(Held h, LockOwner owner, int type, long start, long end) {
        return !h.owner().equals(owner) && h.overlaps(start, end)
                && (type == Dotl.LOCK_TYPE_WRLCK || h.type() == Dotl.LOCK_TYPE_WRLCK);
    }

    /** {@code held} with the part of every range {@code mine} selects that lies in [start, end] cut out. */
    private static List<Held> without(List<Held> held, java.util.function.Predicate<Held> mine, long start,
            long end) {
        List<Held> out = new ArrayList<>();
        for (Held h : held) {
            if (!mine.test(h) || !h.overlaps(start, end)) {
                out.add(h);
                continue;
            }
            if (h.start() < start) {
                out.add(new Held(h.owner(), h.via(), h.type(), h.start(), start - 1));
            }
            if (h.end() > end) {
                out.add(new Held(h.owner(), h.via(), h.type(), end + 1, h.end()));
            }
        }
        return out;
    }

    private static long start(LockRequest req) throws ErrnoException {
        if (req.start() < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative lock start");
        }
        return req.start();
    }

    /** The last byte: length 0 (or one past the largest offset) means to the end of the file, however long. */
    private static long end(LockRequest req) {
        if (req.length() <= 0) {
            return EOF;
        }
        long end = req.start() + req.length() - 1;
        return end < req.start() ? EOF : end;
    }

    private static long length(long start, long end) {
        return end == EOF ? 0 : end - start + 1;
    }

    private static void require(boolean ok, String why) throws ErrnoException {
        if (!ok) {
            throw new ErrnoException(Errno.EBADF, why);
        }
    }
}
