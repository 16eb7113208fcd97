// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes and decodes 9P2000.L frames: size[4] type[1] tag[2] body, little-endian (layout in {@link FrameHeader}).
 *
 * <p>Both directions work on the caller's buffers: decode slices payloads out of the frame, encode writes into the
 * caller's buffer. Neither keeps a reference once it returns (see the package documentation for who owns what).
 * Both set the buffer's byte order to little-endian while they run and restore it before they return.
 */
public final class Codec {
    /** size[4] type[1] tag[2]. */
    public static final int HEADER_SIZE = FrameHeader.LENGTH;

    private Codec() {}

    /**
     * Decodes exactly one frame. {@code frame} holds the whole frame from its size field to its last byte
     * (position to limit); the size field must equal {@code frame.remaining()}. Payload buffers in the result
     * are slices of {@code frame}. The frame's position and limit are left as they were.
     *
     * @throws ProtocolException if the frame is malformed; {@link ProtocolException#tag()} is the tag when the
     *     header could be read, so that the server may answer Rlerror instead of closing
     */
    public static Frame decode(ByteBuffer frame) throws ProtocolException {
        int start = frame.position();
        int length = frame.remaining();
        if (length < FrameHeader.LENGTH) {
            throw new ProtocolException("frame of " + length + " bytes is shorter than the 7-byte header");
        }
        long size = FrameHeader.sizeAt(frame, start);
        if (size != length) {
            // The boundaries are wrong, so nothing in this frame (tag included) can be trusted.
            throw new ProtocolException("size field says " + size + " but the frame has " + length + " bytes");
        }
        int type = FrameHeader.typeAt(frame, start);
        int tag = FrameHeader.tagAt(frame, start);
        ByteOrder order = frame.order();
        frame.order(ByteOrder.LITTLE_ENDIAN);
        try {
            return new Frame(tag, new FrameDecoder(frame, start + FrameHeader.LENGTH, start + length, tag, type).body());
        } finally {
            frame.order(order);
        }
    }

    /** Bytes {@code message} takes on the wire, header included. */
    public static int encodedSize(Message message) {
        int size = FrameHeader.LENGTH + FrameEncoder.bodySize(message);
        if (size < 0) {
            throw new IllegalArgumentException("message larger than 2 GiB");
        }
        return size;
    }

    /**
     * Writes the whole frame (header included) at {@code out}'s position and advances it.
     *
     * <p>u8 and u16 fields (qid type, lock type and status, dirent type, Tflush's oldtag) are sent as their low 8 or
     * 16 bits.
     *
     * @throws java.nio.BufferOverflowException if {@code out} has less than {@link #encodedSize} remaining; nothing
     *     is written then
     * @throws IllegalArgumentException if the tag is not 16 bits, a string is longer than 65535 bytes of UTF-8, or a
     *     Twalk/Rwalk has more than 16 elements; nothing is written then
     */
    public static void encode(int tag, Message message, ByteBuffer out) {
        int size = encodedSize(message);
        write(tag, message, out, size, size, true);
    }

    /**
     * Writes the frame except the data of a {@link Message.Twrite} or {@link Message.Rread}, which comes last in
     * those messages: the size field still counts it. The caller then sends {@link #payload} right after (a
     * gathering write), so that file data is never copied into a frame buffer. For any other message this is
     * {@link #encode}.
     *
     * @return the bytes written, {@link #encodedSize} minus the payload's length
     */
    public static int encodeWithoutPayload(int tag, Message message, ByteBuffer out) {
        int size = encodedSize(message);
        ByteBuffer payload = FrameEncoder.payload(message);
        int head = payload == null ? size : size - payload.remaining();
        write(tag, message, out, size, head, payload == null);
        return head;
    }

    /**
     * The data of a Twrite or Rread (the record's own buffer: send a {@link ByteBuffer#duplicate} if others may
     * read it too), or null for messages that carry none.
     */
    public static ByteBuffer payload(Message message) {
        return FrameEncoder.payload(message);
    }

    private static void write(int tag, Message message, ByteBuffer out, int size, int bytes, boolean withPayload) {
        if ((tag & ~0xffff) != 0) {
            throw new IllegalArgumentException("tag is 16 bits: " + tag);
        }
        if (out.remaining() < bytes) {
            throw new BufferOverflowException();
        }
        ByteOrder order = out.order();
        out.order(ByteOrder.LITTLE_ENDIAN);
        try {
            out.putInt(size).put((byte) message.type()).putShort((short) tag);
            FrameEncoder.body(message, out, withPayload);
        } finally {
            out.order(order);
        }
    }
}
