// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.io.IOException;

/** A frame that breaks the protocol: the peer sent something malformed, or something out of order. */
public final class ProtocolException extends IOException {
    /** {@link #tag()} when the frame's header could not be read. */
    public static final int NO_TAG = -1;

    private final int tag;
    private final int type;

    public ProtocolException(String message) {
        this(message, NO_TAG, 0);
    }

    public ProtocolException(String message, int tag, int type) {
        super(message);
        this.tag = tag;
        this.type = type;
    }

    /** The tag of the offending frame, or {@link #NO_TAG}. */
    public int tag() {
        return tag;
    }

    /** The type byte of the offending frame, 0 if unknown. */
    public int type() {
        return type;
    }
}
