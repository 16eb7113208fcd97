// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor shared by reference count. The number is closed when the last reference goes, never while a
 * call is using it: a request racing a clunk must not end up operating on whatever file the kernel gives the
 * reused number next, which could be outside the export.
 *
 * <p>Every user holds a reference ({@link #retain}) for as long as it keeps the number, and every call through it
 * runs inside {@link #use}.
 */
public final class Fd {
    private final int fd;
    private final AtomicInteger refs = new AtomicInteger(1);

    private Fd(int fd) {
        this.fd = fd;
    }

    /** Takes ownership of {@code fd}: the caller holds the first reference. */
    public static Fd adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        return new Fd(fd);
    }

    /** Another reference; EBADF once the last one is gone. */
    public Fd retain() throws ErrnoException {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                throw new ErrnoException(Errno.EBADF, "descriptor already closed");
            }
            if (refs.compareAndSet(n, n + 1)) {
                return this;
            }
        }
    }

    /** Gives one reference back; the last one closes the descriptor. */
    public void release() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            Posix.close(fd);
        } else if (n < 0) {
            throw new IllegalStateException("descriptor " + fd + " released too often");
        }
    }

    /** A reference held for one call: {@code try (Fd.Use u = fd.use()) { call(u.fd()); }}. */
    public Use use() throws ErrnoException {
        retain();
        return new Use(this);
    }

    /** The number; valid only while a reference is held. */
    public int number() {
        return fd;
    }

    /** One call's hold on a descriptor. */
    public static final class Use implements AutoCloseable {
        private final Fd owner;

        private Use(Fd owner) {
            this.owner = owner;
        }

        public int fd() {
            return owner.fd;
        }

        @Override
        public void close() {
            owner.release();
        }
    }
}
