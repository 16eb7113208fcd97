// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.bench;

import dev.ninefs.protocol.FrameHeader;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link FrameChannel} in memory, for feeding a server session frames without a socket: the benchmark offers
 * request frames, the session's reader takes them, and every reply the session writes comes back as one buffer
 * per frame. What it measures is the server's own path (decode, fid table, dispatch, backend, encode, the reply
 * writer) plus the thread hand-offs a socket would also cost.
 */
final class MemoryChannel implements FrameChannel {
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final BlockingQueue<ByteBuffer> requests = new ArrayBlockingQueue<>(4096);
    private final BlockingQueue<ByteBuffer> replies = new ArrayBlockingQueue<>(4096);

    /** Hands one whole request frame to the server (the buffer is the server's from now on). */
    void offer(ByteBuffer frame) throws InterruptedException {
        requests.put(frame);
    }

    /** The next reply frame, whole. */
    ByteBuffer take() throws InterruptedException {
        return replies.take();
    }

    @Override
    public ByteBuffer readFrame(int maxSize) throws IOException {
        try {
            ByteBuffer frame = requests.take();
            return frame == END ? null : frame;
        } catch (InterruptedException e) {
            throw new IOException("interrupted", e);
        }
    }

    /** Splits what the server writes (possibly several replies in one gathering write) into frames. */
    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(total));
        for (ByteBuffer b : buffers) {
            all.put(b);
        }
        all.flip();
        while (all.hasRemaining()) {
            int size = all.order(ByteOrder.LITTLE_ENDIAN).getInt(all.position());
            ByteBuffer frame = all.slice(all.position(), size).order(ByteOrder.BIG_ENDIAN);
            all.position(all.position() + size);
            if (!replies.offer(frame)) {
                throw new IOException("benchmark is not taking replies");
            }
        }
    }

    @Override
    public String peer() {
        return "memory";
    }

    @Override
    public void close() {
        requests.offer(END);
    }

    static int tagOf(ByteBuffer frame) {
        return FrameHeader.tagAt(frame, frame.position());
    }

    static int typeOf(ByteBuffer frame) {
        return FrameHeader.typeAt(frame, frame.position());
    }
}
