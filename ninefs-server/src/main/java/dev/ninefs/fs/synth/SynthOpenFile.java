// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

/**
 * An open synth file. Reads share the file's lock and writes take it alone; neither touches the tree lock, so
 * I/O on one file does not hold up the rest of the file system. It keeps the inode alive after an unlink.
 */
final class SynthOpenFile implements OpenFile {
    private final SynthFileSystem fs;
    private final Store store;
    private final int uid;
    private final Inode inode;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final boolean noatime;
    /** The owners that locked through this file: closing it releases their locks, as close(2) does. */
    private final Set<LockOwner> lockers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** For an inode the caller has retained once on this file's behalf. */
    SynthOpenFile(SynthFileSystem fs, int uid, Inode inode, int flags) {
        this.fs = fs;
        this.store = fs.store;
        this.uid = uid;
        this.inode = inode;
        int access = flags & Dotl.O_ACCMODE;
        this.readable = access != Dotl.O_WRONLY;
        this.writable = access != Dotl.O_RDONLY;
        this.append = (flags & Dotl.O_APPEND) != 0;
        this.noatime = (flags & Dotl.O_NOATIME) != 0 || fs.readOnly();
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        RegularFile file = regular(readable);
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative offset");
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n;
        file.io.readLock().lock();
        try {
            n = file.content.read(offset, dst);
        } finally {
            file.io.readLock().unlock();
        }
        if (!noatime) {
            file.atime = Timestamp.now();
        }
        return n;
    }

    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        RegularFile file = regular(writable);
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative offset");
        }
        if (!src.hasRemaining()) {
            return 0;
        }
        killPrivileges(file);
        int n;
        file.io.writeLock().lock();
        try {
            long at = append ? file.content.size() : offset;
            if (at >= store.maxFileSize) {
                throw new ErrnoException(Errno.EFBIG);
            }
            int room = (int) Math.min(src.remaining(), store.maxFileSize - at);
            ByteBuffer slice = src.slice(src.position(), room);
            n = file.content.write(at, slice);
            src.position(src.position() + n);
            file.dataVersion++;
        } finally {
            file.io.writeLock().unlock();
        }
        file.touchModified(Timestamp.now());
        return n;
    }

    /** The sink runs under the tree's read lock: it may read the file system but must not change it. */
    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        if (!(inode instanceof Directory dir)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        Lock lock = store.tree.readLock();
        lock.lock();
        try {
            if (dir.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "directory was removed"); // as getdents(2) says
            }
            if (Long.compareUnsigned(offset, Directory.DOT) < 0
                    && !sink.accept(new DirEntry(".", store.dev, dir.ino, dir.dtype(), Directory.DOT))) {
                return;
            }
            Directory parent = dir.parent;
            if (Long.compareUnsigned(offset, Directory.DOTDOT) < 0
                    && !sink.accept(new DirEntry("..", store.dev, parent.ino, parent.dtype(), Directory.DOTDOT))) {
                return;
            }
            long after = offset < 0 ? Long.MAX_VALUE : Math.max(offset, Directory.DOTDOT);
            for (Directory.Entry e : dir.after(after)) {
                if (!sink.accept(new DirEntry(e.name(), store.dev, e.inode().ino, e.inode().dtype(), e.cookie()))) {
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!noatime) {
            dir.atime = Timestamp.now();
        }
    }

    @Override
    public void fsync(boolean dataOnly) {
        // memory is as durable as it gets
    }

    @Override
    public LockStatus lock(LockRequest request) throws ErrnoException {
        long end = end(request);
        switch (request.type()) {
            case Dotl.LOCK_TYPE_UNLCK -> {
                inode.locks.set(request.owner(), Dotl.LOCK_TYPE_UNLCK, request.start(), end);
                return LockStatus.SUCCESS;
            }
            case Dotl.LOCK_TYPE_RDLCK, Dotl.LOCK_TYPE_WRLCK -> {
                if (!(request.type() == Dotl.LOCK_TYPE_RDLCK ? readable : writable)) {
                    throw new ErrnoException(Errno.EBADF, "lock type not allowed by the open mode");
                }
                lockers.add(request.owner());
                return inode.locks.set(request.owner(), request.type(), request.start(), end)
                        ? LockStatus.SUCCESS
                        : LockStatus.BLOCKED;
            }
            default -> throw new ErrnoException(Errno.EINVAL, "lock type " + request.type());
        }
    }

    @Override
    public LockRequest getlock(LockRequest request) throws ErrnoException {
        if (request.type() != Dotl.LOCK_TYPE_RDLCK && request.type() != Dotl.LOCK_TYPE_WRLCK) {
            throw new ErrnoException(Errno.EINVAL, "getlock type " + request.type());
        }
        LockTable.Held h = inode.locks.conflict(request.owner(), request.type(), request.start(), end(request));
        if (h == null) {
            return new LockRequest(Dotl.LOCK_TYPE_UNLCK, request.start(), request.length(), request.owner());
        }
        long length = h.end() == LockTable.EOF ? 0 : h.end() - h.start() + 1;
        return new LockRequest(h.type(), h.start(), length, h.owner());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            lockers.forEach(inode.locks::release);
            inode.release(store.space);
        }
    }

    private RegularFile regular(boolean allowed) throws ErrnoException {
        if (inode.isDirectory()) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (!allowed || !(inode instanceof RegularFile file)) {
            throw new ErrnoException(Errno.EBADF);
        }
        return file;
    }

    /** The last byte of a request: length 0 (or one running past the largest offset) means to the end. */
    private static long end(LockRequest request) throws ErrnoException {
        if (request.start() < 0) {
            throw new ErrnoException(Errno.EINVAL, "lock start " + request.start());
        }
        long length = request.length();
        if (length <= 0 || length - 1 > LockTable.EOF - request.start()) {
            return LockTable.EOF;
        }
        return request.start() + length - 1;
    }

    /** A write by anyone but root drops set-user-ID and set-group-ID, as Linux does. */
    private void killPrivileges(RegularFile file) {
        if (Access.root(uid) || Access.killPrivileges(file.mode) == file.mode) {
            return;
        }
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            file.mode = Access.killPrivileges(file.mode);
        } finally {
            lock.unlock();
        }
    }
}
