// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file of a synth file system, whatever names it has (none once unlinked).
 *
 * <p>Guarding: the names ({@link #links}, {@link #nlink}, a directory's entries), ownership, mode and xattrs change
 * only under the file system's tree write lock; a regular file's content under its own lock. The fields that stat
 * reads are volatile so that getattr and data I/O never wait for each other.
 */
abstract sealed class Inode permits Directory, RegularFile, Symlink, Special {
    /** A name of this file: entry {@code name} of {@code dir}. */
    record Link(Directory dir, String name) {}

    final long ino;
    final Timestamp btime;
    volatile int mode;
    volatile int uid;
    volatile int gid;
    volatile long nlink;
    volatile Timestamp atime;
    volatile Timestamp mtime;
    volatile Timestamp ctime;
    volatile long dataVersion;
    final List<Link> links = new ArrayList<>(1);
    final Xattrs xattrs = new Xattrs();
    final LockTable locks = new LockTable();
    /** Nodes and open files referring to this file: an unlinked file lives until the last goes. */
    private final AtomicInteger refs = new AtomicInteger();
    private final AtomicBoolean freed = new AtomicBoolean();

    Inode(long ino, int mode, int uid, int gid, Timestamp now) {
        this.ino = ino;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.btime = now;
        this.atime = now;
        this.mtime = now;
        this.ctime = now;
    }

    final int type() {
        return mode & FileId.S_IFMT;
    }

    final boolean isDirectory() {
        return this instanceof Directory;
    }

    /** The size stat reports. */
    abstract long size();

    /** The bytes of space held, for st_blocks. */
    long allocated() {
        return 0;
    }

    /** The d_type of a directory entry for this file. */
    final int dtype() {
        return type() >>> 12;
    }

    final void touchCtime(Timestamp now) {
        ctime = now;
    }

    final void touchModified(Timestamp now) {
        mtime = now;
        ctime = now;
    }

    final void retain() {
        refs.incrementAndGet();
    }

    /** Drops a reference; frees the file when it was the last one and no name is left. */
    final void release(Space space) {
        if (refs.decrementAndGet() == 0 && nlink == 0) {
            free(space);
        }
    }

    /** Called when a name goes (under the tree write lock): frees the file if nothing refers to it any more. */
    final void unlinked(Space space) {
        if (nlink == 0 && refs.get() == 0) {
            free(space);
        }
    }

    private void free(Space space) {
        if (freed.compareAndSet(false, true)) {
            freeContent();
            space.releaseInode();
        }
    }

    /** Gives back the space the content holds. */
    void freeContent() {}
}
