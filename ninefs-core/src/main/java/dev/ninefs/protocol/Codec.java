// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes 9P2000.L frames: size[4] type[1] tag[2] body, little-endian.
 *
 * <p>TO BE IMPLEMENTED (codec helper). The signatures below are the contract other modules code against.
 */
public final class Codec {
    /** size[4] type[1] tag[2]. */
    public static final int HEADER_SIZE = 7;

    private Codec() {}

    /**
     * Decodes exactly one frame. {@code frame} holds the whole frame from its size field to its last byte
     * (position to limit); the size field must equal {@code frame.remaining()}. Payload buffers in the result
     * are slices of {@code frame}.
     *
     * @throws ProtocolException if the frame is malformed; {@link ProtocolException#tag()} is the tag when the
     *     header could be read, so that the server may answer Rlerror instead of closing
     */
    public static Frame decode(ByteBuffer frame) throws ProtocolException {
        throw new UnsupportedOperationException("codec");
    }

    /** Bytes {@code message} takes on the wire, header included. */
    public static int encodedSize(Message message) {
        throw new UnsupportedOperationException("codec");
    }

    /**
     * Writes the whole frame (header included) at {@code out}'s position and advances it.
     *
     * @throws java.nio.BufferOverflowException if {@code out} has less than {@link #encodedSize} remaining
     */
    public static void encode(int tag, Message message, ByteBuffer out) {
        throw new UnsupportedOperationException("codec");
    }
}
