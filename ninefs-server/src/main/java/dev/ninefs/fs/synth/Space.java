// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The capacity of one synth file system: bytes of file content and inodes, reserved before use and given back
 * when freed, so statfs reports what is really held and a full file system answers ENOSPC.
 */
final class Space {
    /** The unit of accounting and of statfs, as a disk block. */
    static final int BLOCK = 4096;

    private final long capacity;
    private final long maxInodes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong inodes = new AtomicLong();

    Space(long capacity, long maxInodes) {
        if (capacity < 0 || maxInodes < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", inodes " + maxInodes);
        }
        this.capacity = capacity;
        this.maxInodes = maxInodes;
    }

    /** Takes {@code bytes} (a multiple of {@link #BLOCK}) or fails with ENOSPC, taking nothing. */
    void reserve(long bytes) throws ErrnoException {
        long now;
        do {
            now = used.get();
            if (bytes > capacity - now) {
                throw new ErrnoException(Errno.ENOSPC);
            }
        } while (!used.compareAndSet(now, now + bytes));
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    void reserveInode() throws ErrnoException {
        long now;
        do {
            now = inodes.get();
            if (now >= maxInodes) {
                throw new ErrnoException(Errno.ENOSPC);
            }
        } while (!inodes.compareAndSet(now, now + 1));
    }

    void releaseInode() {
        inodes.decrementAndGet();
    }

    long capacity() {
        return capacity;
    }

    long used() {
        return used.get();
    }

    long maxInodes() {
        return maxInodes;
    }

    long inodes() {
        return inodes.get();
    }

    static long roundUp(long bytes) {
        return (bytes + BLOCK - 1) & -BLOCK;
    }
}
