// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.io.IOException;

/**
 * The one error currency of ninefs: a failed file operation, carrying the Linux errno that 9P2000.L sends
 * in Rlerror. Backends throw it, the server turns it into Rlerror, the client throws it for Rlerror.
 */
public final class ErrnoException extends IOException {
    private final transient Errno errno;
    private final int code;

    public ErrnoException(Errno errno) {
        this(errno, errno.name());
    }

    public ErrnoException(Errno errno, String message) {
        super(message);
        this.errno = errno;
        this.code = errno.code();
    }

    public ErrnoException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
        this.code = errno.code();
    }

    /** For an errno number that may not be in {@link Errno} (the client keeps the exact number). */
    public ErrnoException(int code, String message) {
        super(message);
        this.errno = Errno.of(code);
        this.code = code;
    }

    public Errno errno() {
        return errno;
    }

    /** The exact Linux number, even one {@link Errno} does not name. */
    public int code() {
        return code;
    }

    /** Lightweight: errors are control flow in a file server (ENOENT on every failed lookup). */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
