// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.local.posix.Fd;
import dev.ninefs.fs.local.posix.Linux;
import dev.ninefs.fs.local.posix.Posix;
import dev.ninefs.fs.local.posix.PosixIo;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** A regular file of a local export, open for I/O on its own descriptor. */
final class LocalFile implements OpenFile {
    private final LocalFileSystem fs;
    private final FileKey key;
    private final Fd io;
    private final int access;
    private final AtomicBoolean closed = new AtomicBoolean();

    LocalFile(LocalFileSystem fs, FileKey key, Fd io, int access) {
        this.fs = fs;
        this.key = key;
        this.io = io;
        this.access = access;
    }

    /**
     * The host open flags for a client's: access mode, O_TRUNC, O_APPEND, the sync flags and O_NOATIME pass;
     * O_CREAT/O_EXCL (creation is the server's business), O_DIRECT (our buffers are not aligned), O_NONBLOCK and
     * FASYNC do not. Always O_CLOEXEC | O_NOCTTY.
     */
    static int hostFlags(int flags) {
        int keep = Dotl.O_ACCMODE | Dotl.O_TRUNC | Dotl.O_APPEND | Dotl.O_SYNC | Dotl.O_DSYNC | Dotl.O_NOATIME
                | Dotl.O_LARGEFILE;
        return (flags & keep) | Linux.O_CLOEXEC | Linux.O_NOCTTY;
    }

    /**
     * Opens the regular file an O_PATH descriptor holds through its magic link; callers have checked the type.
     * O_NOATIME is dropped if the server may not use it on this file (it is only a hint).
     */
    static int reopen(int pathFd, int flags) throws ErrnoException {
        try {
            return Posix.openat(Linux.AT_FDCWD, Posix.procPath(pathFd), flags, 0);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPERM && (flags & Linux.O_NOATIME) != 0) {
                return Posix.openat(Linux.AT_FDCWD, Posix.procPath(pathFd), flags & ~Linux.O_NOATIME, 0);
            }
            throw e;
        }
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        if (access == Dotl.O_WRONLY) {
            throw new ErrnoException(Errno.EBADF, "not open for reading");
        }
        try (Fd.Use u = io.use()) {
            return PosixIo.pread(u.fd(), offset, dst);
        }
    }

    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        if (access == Dotl.O_RDONLY) {
            throw new ErrnoException(Errno.EBADF, "not open for writing");
        }
        try (Fd.Use u = io.use()) {
            int n = PosixIo.pwrite(u.fd(), offset, src);
            if (fs.options().writeoutImmediate()) {
                PosixIo.fsync(u.fd(), true);
            }
            return n;
        }
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTDIR, "not a directory");
    }

    @Override
    public void fsync(boolean dataOnly) throws ErrnoException {
        try (Fd.Use u = io.use()) {
            PosixIo.fsync(u.fd(), dataOnly);
        }
    }

    @Override
    public LockStatus lock(LockRequest request) throws ErrnoException {
        return fs.locks().lock(key, request, this, io, access);
    }

    @Override
    public LockRequest getlock(LockRequest request) throws ErrnoException {
        return fs.locks().getlock(key, request, io);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            fs.locks().release(key, this);
            io.release();
        }
    }
}
