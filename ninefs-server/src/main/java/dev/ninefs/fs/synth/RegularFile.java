// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A regular file: its content, guarded by its own lock so that I/O on one file never stops the others. */
final class RegularFile extends Inode {
    final ReentrantReadWriteLock io = new ReentrantReadWriteLock();
    final Content content;

    RegularFile(long ino, int mode, int uid, int gid, Timestamp now, Space space) {
        super(ino, mode, uid, gid, now);
        this.content = new Content(space);
    }

    @Override
    long size() {
        return content.size();
    }

    @Override
    long allocated() {
        return content.allocated();
    }

    @Override
    void freeContent() {
        io.writeLock().lock();
        try {
            content.free();
        } finally {
            io.writeLock().unlock();
        }
    }
}
