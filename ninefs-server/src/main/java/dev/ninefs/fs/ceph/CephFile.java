// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A regular file opened through libcephfs ({@code Fh*}). A read or write of 0..n bytes returns what libcephfs did
 * (0 is end of file, not an error, as the QEMU patch had it). POSIX locks go to the MDS, so they exclude clients of
 * every gateway.
 *
 * <p>libcephfs also keeps each {@code Fh}'s locks locally, per owner, and aborts the process when that record
 * disagrees with the MDS, which it does once one owner's locks on a file are changed through two {@code Fh}s. So
 * every lock call of an owner on an inode goes through one carrier file, the first of its open files it used; closing
 * the carrier releases them (closing any file of a process releases its locks, in POSIX).
 *
 * <p>Calls hold a read lock, {@link #close} the write lock: the {@code Fh*} is never used after it is freed.
 */
final class CephFile implements OpenFile {
    private static final long OWNER_BIT = 1L << 63;

    private final CephClient client;
    private final MemorySegment fh;
    private final long ino;
    private final int accessMode;
    private final boolean append;
    private final LockOwners owners;
    private final Runnable onClose;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock
    private final Set<Long> carried = new HashSet<>(); // guarded by lock (either mode: synchronized on itself)

    /** {@code onClose} runs after the file is closed (the node refreshes its identity after a write). */
    CephFile(CephClient client, MemorySegment fh, long ino, int flags, LockOwners owners, Runnable onClose) {
        this.client = client;
        this.fh = fh;
        this.ino = ino;
        this.accessMode = flags & Dotl.O_ACCMODE;
        this.append = (flags & Dotl.O_APPEND) != 0;
        this.owners = owners;
        this.onClose = onClose;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        lock.readLock().lock();
        try {
            checkOpen();
            return client.read(fh, offset, dst);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** With O_APPEND, libcephfs appends only to writes at offset -1 (the file position): so those are what it gets. */
    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        lock.readLock().lock();
        try {
            checkOpen();
            return client.write(fh, append ? -1 : offset, src);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTDIR);
    }

    @Override
    public void fsync(boolean dataOnly) throws ErrnoException {
        lock.readLock().lock();
        try {
            checkOpen();
            client.fsync(fh, dataOnly);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public LockStatus lock(LockRequest request) throws ErrnoException {
        checkLockType(request.type());
        // as fcntl(F_SETLK): a read lock needs a file open for reading, a write lock one open for writing
        if (request.type() == Dotl.LOCK_TYPE_RDLCK && accessMode == Dotl.O_WRONLY
                || request.type() == Dotl.LOCK_TYPE_WRLCK && accessMode == Dotl.O_RDONLY) {
            throw new ErrnoException(Errno.EBADF, "cephfs: lock type does not match the open mode");
        }
        checkOpenNow();
        long owner = ownerId(request.owner());
        while (true) {
            CephFile carrier = owners.carrier(ino, owner, this);
            Integer rc = carrier.setlkAsCarrier(request, owner);
            if (rc == null) {
                owners.dropCarrier(ino, owner, carrier); // closed under us: the next one carries
                continue;
            }
            if (rc == 0) {
                if (request.type() != Dotl.LOCK_TYPE_UNLCK) {
                    owners.holding(request.owner());
                }
                return LockStatus.SUCCESS;
            }
            Errno errno = Errno.of(-rc);
            if (errno == Errno.EAGAIN || errno == Errno.EACCES) {
                return LockStatus.BLOCKED;
            }
            throw CephMount.error(-rc, "ceph_ll_setlk");
        }
    }

    /** F_SETLK through this file's {@code Fh} for {@code owner}; null when this file is closed. */
    private Integer setlkAsCarrier(LockRequest request, long owner) throws ErrnoException {
        lock.readLock().lock();
        try (Arena arena = Arena.ofConfined()) {
            if (closed) {
                return null;
            }
            synchronized (carried) {
                carried.add(owner);
            }
            MemorySegment flock = arena.allocate(CephFlock.SIZE);
            CephFlock.set(flock, request.type(), request.start(), request.length(), request.owner().procId());
            return client.setlk(fh, flock, owner);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public LockRequest getlock(LockRequest request) throws ErrnoException {
        checkLockType(request.type());
        lock.readLock().lock();
        try (Arena arena = Arena.ofConfined()) {
            checkOpen();
            MemorySegment flock = arena.allocate(CephFlock.SIZE);
            CephFlock.set(flock, request.type(), request.start(), request.length(), request.owner().procId());
            client.getlk(fh, flock, ownerId(request.owner()));
            int type = CephFlock.type(flock);
            if (type == Dotl.LOCK_TYPE_UNLCK) {
                return new LockRequest(Dotl.LOCK_TYPE_UNLCK, request.start(), request.length(), request.owner());
            }
            return new LockRequest(type, CephFlock.start(flock), CephFlock.length(flock),
                    owners.withPid(CephFlock.pid(flock)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (carried) {
                for (long owner : carried) {
                    owners.dropCarrier(ino, owner, this);
                }
            }
            client.close(fh); // releases the locks this file carried
        } finally {
            lock.writeLock().unlock();
        }
        onClose.run();
    }

    /**
     * The 64-bit lock owner libcephfs and the MDS compare: one per (connection, process, client name). The top bit
     * tells the MDS to compare owners alone, not owner and pid (libcephfs sets it too).
     */
    static long ownerId(LockOwner owner) {
        long h = mix(owner.connection() ^ 0x9e3779b97f4a7c15L);
        h = mix(h ^ owner.procId());
        for (byte b : owner.clientId().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001b3L;
        }
        return mix(h) | OWNER_BIT;
    }

    private static long mix(long z) { // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void checkLockType(int type) throws ErrnoException {
        if (type != Dotl.LOCK_TYPE_RDLCK && type != Dotl.LOCK_TYPE_WRLCK && type != Dotl.LOCK_TYPE_UNLCK) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: lock type " + type);
        }
    }

    private void checkOpenNow() throws ErrnoException {
        lock.readLock().lock();
        try {
            checkOpen();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkOpen() throws ErrnoException {
        if (closed) {
            throw new ErrnoException(Errno.EBADF, "cephfs: file used after close");
        }
    }
}
