// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a local file or directory open for the client shares: its own descriptor, fsync, the locks taken through
 * it (this object is their holder, released on close) and closing once.
 */
abstract sealed class LocalOpenFile implements OpenFile permits LocalFile, LocalDirectory {
    final LocalFileSystem fs;
    final FileKey key;
    final Fd io;
    /** The access mode (Dotl.O_RDONLY, O_WRONLY, O_RDWR) the lock table checks a lock type against. */
    final int access;
    private final AtomicBoolean closed = new AtomicBoolean();

    LocalOpenFile(LocalFileSystem fs, FileKey key, Fd io, int access) {
        this.fs = fs;
        this.key = key;
        this.io = io;
        this.access = access;
    }

    @Override
    public final void fsync(boolean dataOnly) throws ErrnoException {
        try (Fd.Use u = io.use()) {
            PosixIo.fsync(u.fd(), dataOnly);
        }
    }

    @Override
    public final LockStatus lock(LockRequest request) throws ErrnoException {
        return fs.locks().lock(key, request, this, io, access);
    }

    @Override
    public final LockRequest getlock(LockRequest request) throws ErrnoException {
        return fs.locks().getlock(key, request, io);
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            fs.locks().release(key, this);
            io.release();
        }
    }
}
