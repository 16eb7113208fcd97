// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counted reference to a libcephfs {@code Inode}: the one reference a lookup (or create, mkdir...) took, shared by
 * the nodes that {@code duplicate} and {@code walk(".")} make, given back with {@code ceph_ll_put} when the last of
 * them lets go. Holding it keeps the inode usable after its file is renamed or unlinked.
 */
final class InodeRef {
    private final CephClient client;
    private final MemorySegment inode;
    private final long ino;
    private final AtomicInteger refs = new AtomicInteger(1);

    InodeRef(CephClient client, MemorySegment inode, long ino) {
        this.client = client;
        this.inode = inode;
        this.ino = ino;
    }

    /** The {@code Inode*}, valid while this reference is held. */
    MemorySegment inode() {
        return inode;
    }

    /** The inode number, the same on every client of the filesystem. */
    long ino() {
        return ino;
    }

    /** One more holder. */
    InodeRef retain() {
        int before = refs.getAndIncrement();
        if (before <= 0) {
            throw new IllegalStateException("inode " + ino + " retained after its last release");
        }
        return this;
    }

    /** One holder less; the last one gives the reference back to libcephfs. */
    void release() {
        int after = refs.decrementAndGet();
        if (after == 0) {
            client.put(inode);
        } else if (after < 0) {
            throw new IllegalStateException("inode " + ino + " released more often than retained");
        }
    }

    @Override
    public String toString() {
        return "inode " + ino;
    }
}
