// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.local.posix.Fd;
import dev.ninefs.fs.local.posix.Linux;
import dev.ninefs.fs.local.posix.Posix;
import dev.ninefs.fs.local.posix.PosixIo;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;

/** A regular file of a local export, open for I/O on its own descriptor. */
final class LocalFile extends LocalOpenFile {

    /** The node of a file made together with this open file, until the first write changes it; else null. */
    private volatile LocalNode made;

    LocalFile(LocalFileSystem fs, FileKey key, Fd io, int access) {
        super(fs, key, io, access);
    }

    /** The open file of a just-made file: its first write ends the node's identity from the creation. */
    LocalFile(LocalFileSystem fs, LocalNode made, Fd io, int access) {
        super(fs, made.key(), io, access);
        this.made = made;
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
        LocalNode node = made;
        if (node != null) {
            node.changed();
            made = null;
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
}
