// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A directory opened for listing ({@code ceph_ll_opendir}). Offsets are Ceph's own cookies (each entry's d_off,
 * ordered by name hash within a fragment), so a listing continued from one stays right while entries are added or
 * removed, and a cookie from one open directory works in another. The stream is moved ({@code ceph_seekdir}) only
 * when a call does not continue where the last one stopped.
 */
final class CephDirectory implements OpenFile {
    private final CephFileSystem fs;
    private final CephClient client;
    private final InodeRef dir;
    private final boolean exportRoot;
    private final MemorySegment dirp;
    private long position; // guarded by this: the cookie the stream is at, or -1 when unknown
    private boolean closed; // guarded by this

    /** Takes over the reference to {@code dir}. */
    CephDirectory(CephFileSystem fs, InodeRef dir, boolean exportRoot) throws ErrnoException {
        this.fs = fs;
        this.client = fs.client();
        this.dir = dir;
        this.exportRoot = exportRoot;
        try {
            this.dirp = client.opendir(dir);
        } catch (ErrnoException e) {
            dir.release();
            throw e;
        }
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws ErrnoException {
        throw new ErrnoException(Errno.EISDIR);
    }

    @Override
    public int write(long offset, ByteBuffer src) throws ErrnoException {
        throw new ErrnoException(Errno.EISDIR);
    }

    @Override
    public synchronized void readdir(long offset, DirSink sink) throws ErrnoException {
        checkOpen();
        if (client.getattr(dir).nlink() == 0) {
            return; // removed: getdents(2) would fail with ENOENT, readdir(3) would see the end
        }
        if (offset != position) {
            client.seekdir(dirp, offset);
            position = offset;
        }
        Security security = fs.security();
        boolean plus = security.dtypeNeedsInode();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dirent = arena.allocate(CephDirent.SIZE);
            while (true) {
                int dtype;
                if (plus) {
                    InodeRef entry = client.readdirplus(dirp, dirent);
                    if (entry == null) {
                        return;
                    }
                    try {
                        dtype = security.dtype(entry, CephDirent.type(dirent));
                    } finally {
                        entry.release();
                    }
                } else if (client.readdir(dirp, dirent)) {
                    dtype = CephDirent.type(dirent);
                } else {
                    return;
                }
                String name = CephDirent.name(dirent);
                // at the export's root, ".." is the root itself: its real parent is outside the export
                long ino = exportRoot && name.equals("..") ? dir.ino() : CephDirent.ino(dirent);
                var entry = new DirEntry(name, fs.dev(), ino, dtype, CephDirent.off(dirent));
                if (!sink.accept(entry)) {
                    position = -1; // the stream has moved past an entry nobody took
                    return;
                }
                position = entry.offset();
            }
        }
    }

    @Override
    public synchronized void fsync(boolean dataOnly) throws ErrnoException {
        checkOpen();
        client.syncInode(dir, dataOnly);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            client.releasedir(dirp);
            dir.release();
        }
    }

    private void checkOpen() throws ErrnoException {
        if (closed) {
            throw new ErrnoException(Errno.EBADF, "cephfs: directory used after close");
        }
    }
}
