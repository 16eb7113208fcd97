// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import dev.ninefs.protocol.FrameHeader;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cuts a byte stream into whole frames, whatever the chunks it arrives in: feed it what a read returned, take out
 * every complete frame. Blocking transports use it behind {@link FrameChannel#readFrame}; a non-blocking or ring
 * transport can use it directly.
 *
 * <p>The size field is checked against the current maximum as soon as its 4 bytes are in, before the frame's
 * buffer is allocated; the buffer is allocated once the type byte is in too. Each frame gets its own buffer, owned by
 * the caller once returned (position 0, limit = size): a heap buffer, except a large Twrite, which gets a pooled
 * direct one from {@link FrameBuffers} (within this connection's share) that its consumer gives back with
 * {@link FrameBuffers#give}. After a {@link ProtocolException} the stream is out of step: discard the assembler and
 * the connection.
 *
 * <p>Not thread-safe: one reader feeds it.
 */
public final class FrameAssembler {
    private int maxSize;
    /** The size field while its bytes trickle in, little-endian, {@link #headerBytes} of them so far. */
    private int header;
    private int headerBytes;
    /** The checked size, once its 4 bytes are in. */
    private int size;
    private final FrameBuffers.Share share = new FrameBuffers.Share();
    /** The frame being filled once its size and type are known; null between frames. */
    private ByteBuffer frame;

    public FrameAssembler(int maxSize) {
        maxSize(maxSize);
    }

    /** Sets the largest frame accepted from now on (after Tversion the negotiated msize). */
    public void maxSize(int maxSize) {
        if (maxSize < FrameHeader.MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("maxSize below " + FrameHeader.MIN_FRAME_SIZE + ": " + maxSize);
        }
        this.maxSize = maxSize;
    }

    public int maxSize() {
        return maxSize;
    }

    /**
     * Takes bytes from {@code in} (advancing its position) until one frame is complete, and returns it; returns
     * null when {@code in} ran out first, keeping the partial frame for the next call. Bytes after a returned
     * frame are left in {@code in}: call again until it returns null.
     */
    public ByteBuffer next(ByteBuffer in) throws ProtocolException {
        if (frame == null) {
            while (headerBytes < FrameHeader.SIZE_LENGTH) {
                if (!in.hasRemaining()) {
                    return null;
                }
                header |= (in.get() & 0xff) << (8 * headerBytes++);
                if (headerBytes == FrameHeader.SIZE_LENGTH) {
                    size = FrameHeader.checkSize(Integer.toUnsignedLong(header), maxSize);
                }
            }
            if (!in.hasRemaining()) {
                return null;
            }
            frame = allocate(size, in.get() & 0xff);
        }
        int n = Math.min(in.remaining(), frame.remaining());
        frame.put(frame.position(), in, in.position(), n);
        frame.position(frame.position() + n);
        in.position(in.position() + n);
        if (frame.hasRemaining()) {
            return null;
        }
        ByteBuffer whole = frame.flip();
        frame = null;
        header = 0;
        headerBytes = 0;
        return whole;
    }

    /** The frame's buffer with size[4] type[1] in place. */
    private ByteBuffer allocate(int size, int type) {
        ByteBuffer b = type == Message.TWRITE ? share.take(size) : null;
        if (b == null) {
            b = ByteBuffer.allocate(size);
        }
        return b.order(ByteOrder.LITTLE_ENDIAN).putInt(header).order(ByteOrder.BIG_ENDIAN).put((byte) type);
    }

    /** Pooled frames of this assembler not given back yet (for tests). */
    int lent() {
        return share.lent();
    }

    /**
     * The incomplete frame's buffer, positioned where the next byte goes, so that a blocking reader can read a large
     * remainder straight into it instead of through its own buffer; null between frames or before the size and
     * type are known. After filling it, call {@link #next} (with an empty buffer if need be) to take the frame.
     */
    public ByteBuffer partialFrame() {
        return frame;
    }

    /** Whether some bytes of a frame have arrived but not the whole frame: an end of stream now is an error. */
    public boolean inFrame() {
        return frame != null || headerBytes > 0;
    }
}
