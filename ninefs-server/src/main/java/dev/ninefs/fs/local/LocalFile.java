// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.FileRegion;
import dev.ninefs.fs.WriteTarget;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.posix.Sendfile;
import dev.ninefs.posix.Splice;
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

    /**
     * The file's own descriptor, held by the region until the server closes it; the count cut at the size
     * fstat(2) gives now. Null when the file is not open for reading or holds nothing at {@code offset}: read()
     * answers that.
     */
    @Override
    public FileRegion region(long offset, int count) throws ErrnoException {
        if (access == Dotl.O_WRONLY || offset < 0 || count <= 0) {
            return null;
        }
        Fd.Use u = io.use();
        try {
            long size = Sendfile.regularFileSize(u.fd());
            if (size > offset) {
                FileRegion region = new FileRegion(u.fd(), offset, (int) Math.min(count, size - offset), u::close);
                u = null; // the region holds it now
                return region;
            }
            return null;
        } finally {
            if (u != null) {
                u.close();
            }
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

    /**
     * The file's own descriptor, held by the target until the server closes it. Null when the file is not open
     * for writing or was opened with O_APPEND (write() answers those), or when every write is followed by an
     * fdatasync (writeout=immediate), which only write() does.
     */
    @Override
    public WriteTarget writeTarget() throws ErrnoException {
        if (access == Dotl.O_RDONLY || fs.options().writeoutImmediate()) {
            return null;
        }
        Fd.Use u = io.use();
        try {
            if ((Splice.statusFlags(u.fd()) & Linux.O_APPEND) != 0) {
                return null;
            }
            LocalNode node = made;
            if (node != null) {
                node.changed(); // as write() does: the bytes are on their way
                made = null;
            }
            WriteTarget target = new WriteTarget(u.fd(), u::close);
            u = null; // the target holds it now
            return target;
        } finally {
            if (u != null) {
                u.close();
            }
        }
    }

    @Override
    public void readdir(long offset, DirSink sink) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTDIR, "not a directory");
    }
}
