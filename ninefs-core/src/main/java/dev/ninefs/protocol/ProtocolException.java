// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.io.IOException;

/**
 * A frame that breaks the protocol: the peer sent something malformed, or something out of order.
 *
 * <p>When {@link #tag()} is not {@link #NO_TAG} the frame's boundaries and header were sound and only its body was
 * bad, so a server may answer {@code Rlerror(errno())} to that tag and keep the connection. {@link #NO_TAG} means
 * the stream can no longer be trusted: close the connection.
 */
public final class ProtocolException extends IOException {
    /** {@link #tag()} when the frame's header could not be read. */
    public static final int NO_TAG = -1;

    private final int tag;
    private final int type;
    private final transient Errno errno;

    public ProtocolException(String message) {
        this(message, NO_TAG, 0);
    }

    public ProtocolException(String message, int tag, int type) {
        this(message, tag, type, Errno.EPROTO);
    }

    /**
     * @param errno what a server should answer: EPROTO for a malformed body, EINVAL for a value out of range
     *     (nwname above 16), EOPNOTSUPP for a type 9P2000.L does not have
     */
    public ProtocolException(String message, int tag, int type, Errno errno) {
        super(message);
        this.tag = tag;
        this.type = type;
        this.errno = errno;
    }

    /** The tag of the offending frame, or {@link #NO_TAG}. */
    public int tag() {
        return tag;
    }

    /** The type byte of the offending frame, 0 if unknown. */
    public int type() {
        return type;
    }

    /** The errno to answer with when {@link #tag()} is known. */
    public Errno errno() {
        return errno;
    }

    /** Cheap: hostile peers can make these as fast as they can send bytes. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
