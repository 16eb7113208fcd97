// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The state of one synth file system, shared by its writable export and its read-only views.
 *
 * <p>Locking: {@link #tree} guards the name space (entries, links, link counts), ownership, modes and xattrs:
 * lookups and listings take it shared, changes exclusive. A regular file's bytes have their own lock, always taken
 * after the tree lock when both are needed, so large reads and writes of different files run side by side.
 */
final class Store {
    final ReentrantReadWriteLock tree = new ReentrantReadWriteLock();
    final long dev;
    final Space space;
    final Access access;
    final long maxFileSize;
    final Directory root;
    private final AtomicLong nextIno = new AtomicLong(1);

    Store(long dev, Space space, Access access, long maxFileSize, int rootMode, int rootUid, int rootGid) {
        this.dev = dev;
        this.space = space;
        this.access = access;
        this.maxFileSize = maxFileSize;
        try {
            space.reserveInode();
        } catch (ErrnoException e) {
            throw new IllegalArgumentException("no room for the root inode", e);
        }
        this.root = new Directory(nextIno.getAndIncrement(), FileId.S_IFDIR | (rootMode & 07777), rootUid, rootGid,
                Timestamp.now());
        this.root.nlink = 2;
    }

    /** What a new inode is made from: its number and creation time. */
    @FunctionalInterface
    interface Maker {
        Inode make(long ino, Timestamp now);
    }

    /** A new inode, counted against the inode limit (ENOSPC). */
    Inode allocate(Maker maker, Timestamp now) throws ErrnoException {
        space.reserveInode();
        return maker.make(nextIno.getAndIncrement(), now);
    }
}
