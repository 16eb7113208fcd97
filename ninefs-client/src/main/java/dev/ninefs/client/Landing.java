// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.FrameHeader;
import dev.ninefs.protocol.Message;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A large Rread whose data the socket reads straight into its caller's direct buffer (the {@link PendingCall.Sink}
 * the caller gave), instead of into a pooled buffer that the caller would copy out of.
 *
 * <pre>
 *   0          4        5         7           11
 *   +----------+--------+---------+-----------+---------------------------------------+
 *   | size[4]  | type[1]| tag[2]  | count[4]  | data[count]  -> the caller's buffer     |
 *   +----------+--------+---------+-----------+---------------------------------------+
 * </pre>
 *
 * <p>Safe only because the thread reading the socket is that caller ({@link SocketReader#lead}): it cannot return
 * from its call (timeout, interrupt, cancel) while it reads. So a landing never outlives the caller's turn at
 * reading: before the reader's token changes hands, or as soon as the call stops waiting for its reply (a flush),
 * what has arrived is moved to a buffer of the connection ({@link #moveTo}) and the rest of the frame follows it
 * there, exactly as if it had never landed.
 */
final class Landing {
    /** Rread's fields before its data: the frame header and count[4]. */
    static final int HEAD = FrameHeader.LENGTH + 4;

    private final PendingCall call;
    private final int tag;
    private final int size;
    /** The caller's memory, filled from position 0 up to the reply's count. */
    final ByteBuffer data;

    private Landing(PendingCall call, int tag, int size, ByteBuffer sink, int count) {
        this.call = call;
        this.tag = tag;
        this.size = size;
        this.data = sink.clear().limit(count);
    }

    /**
     * A landing for the Rread of {@code size} bytes carrying {@code count} bytes of data under {@code tag} of
     * {@code call}, or null when the data must go through a buffer of the connection: the current thread is not
     * the one that gave the sink, the call no longer waits, or the frame is not what the request allows (too much
     * data is the caller's EIO, an inconsistent count the codec's protocol error: both are found as usual).
     */
    static Landing of(PendingCall call, int tag, int size, long count) {
        PendingCall.Sink sink = call.sink;
        if (sink == null || sink.owner() != Thread.currentThread() || count != size - HEAD
                || count > sink.data().capacity() || !call.inFlight()) {
            return null;
        }
        return new Landing(call, tag, size, sink.data(), (int) count);
    }

    /** Whether its call still waits for this reply; once flushed, its caller may return at any moment. */
    boolean wanted() {
        return call.inFlight();
    }

    /** The whole reply, its data the caller's own buffer. */
    Frame frame() {
        return new Frame(tag, new Message.Rread(data.flip()));
    }

    int size() {
        return size;
    }

    int tag() {
        return tag;
    }

    /**
     * Copies the frame so far, header included, into {@code frame} (of at least {@link #size} bytes, from 0); the
     * caller's buffer is not touched after that. Returns {@code frame}, positioned after the copy, limit size.
     */
    ByteBuffer moveTo(ByteBuffer frame) {
        frame.clear().limit(size);
        ByteBuffer head = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(size).put((byte) Message.RREAD).putShort((short) tag).putInt(data.limit());
        frame.position(HEAD);
        return frame.put(data.duplicate().flip());
    }
}
