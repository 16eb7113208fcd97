// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.nio.ByteBuffer;

/**
 * Layout of the 9P frame header, shared by the codec and every transport.
 *
 * <pre>
 *   0                   4         5                   7
 *   +-------------------+---------+-------------------+---------------------------+
 *   |      size[4]      | type[1] |      tag[2]       |      body[size - 7]       |
 *   +-------------------+---------+-------------------+---------------------------+
 *   size counts the whole frame, itself included; all integers little-endian.
 * </pre>
 *
 * A transport reads {@link #SIZE_LENGTH} bytes, checks the size with {@link #checkSize} before it allocates
 * anything, then reads {@code size - 4} more.
 */
public final class FrameHeader {
    /** Offset of size[4], the whole frame's length in bytes. */
    public static final int SIZE_OFFSET = 0;
    /** Width of the size field: what a stream reader needs before it knows how much to read. */
    public static final int SIZE_LENGTH = 4;
    /** Offset of type[1]. */
    public static final int TYPE_OFFSET = 4;
    /** Offset of tag[2]. */
    public static final int TAG_OFFSET = 5;
    /** Offset of the body; also the header's length and the smallest legal frame. */
    public static final int LENGTH = 7;
    /** The smallest legal size field: a header and an empty body (Rclunk, Rflush...). */
    public static final int MIN_FRAME_SIZE = LENGTH;

    private FrameHeader() {}

    /**
     * Reads the size field at absolute {@code index} (which must have 4 readable bytes), whatever the buffer's
     * byte order, as an unsigned value.
     */
    public static long sizeAt(ByteBuffer buffer, int index) {
        int raw = buffer.getInt(index);
        if (buffer.order() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            raw = Integer.reverseBytes(raw);
        }
        return Integer.toUnsignedLong(raw);
    }

    /** Reads type[1] of the frame starting at absolute {@code index}. */
    public static int typeAt(ByteBuffer buffer, int index) {
        return buffer.get(index + TYPE_OFFSET) & 0xff;
    }

    /** Reads tag[2] of the frame starting at absolute {@code index}, whatever the buffer's byte order. */
    public static int tagAt(ByteBuffer buffer, int index) {
        return (buffer.get(index + TAG_OFFSET) & 0xff) | (buffer.get(index + TAG_OFFSET + 1) & 0xff) << 8;
    }

    /**
     * Checks a size field read from the wire, before anything is allocated for it.
     *
     * @return the size as an int, between {@link #MIN_FRAME_SIZE} and {@code maxSize}
     * @throws ProtocolException if it is outside that range
     */
    public static int checkSize(long size, int maxSize) throws ProtocolException {
        if (size < MIN_FRAME_SIZE || size > maxSize) {
            throw new ProtocolException("frame size " + size + " outside [" + MIN_FRAME_SIZE + ", " + maxSize + "]");
        }
        return (int) size;
    }
}
