// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.Rlerror;
import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one path replies take to a connection. Request threads {@link #enqueue} encoded replies (cheap, never
 * blocks), then {@link #flush}: whichever thread gets the lock writes everything queued so far in one gathering
 * write, so replies that finish together share a system call. A thread that finds the lock taken leaves its reply
 * to the holder, which looks at the queue again after it unlocks.
 *
 * <p>Order: replies go out in the order they were enqueued. The session relies on it for Tflush (the flushed
 * request's reply is enqueued before Rflush).
 */
final class ReplyWriter {
    private static final System.Logger LOG = System.getLogger(ReplyWriter.class.getPackageName());
    /** Replies gathered into one write at most; bounds the array and the time one thread spends writing. */
    private static final int MAX_BATCH = 256;

    private final FrameChannel channel;
    private final ConcurrentLinkedQueue<ByteBuffer[]> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Runnable onFailure;
    private volatile boolean failed;

    ReplyWriter(FrameChannel channel, Runnable onFailure) {
        this.channel = channel;
        this.onFailure = onFailure;
    }

    /** Queues one reply (its buffers go out back to back). */
    void enqueue(ByteBuffer... frame) {
        if (!failed) {
            queue.add(frame);
        }
    }

    /**
     * Writes what is queued unless another thread is doing it. The caller's thread must not be interrupted, or the
     * channel would close under the write.
     */
    void flush() {
        List<ByteBuffer> batch = new ArrayList<>();
        while (!queue.isEmpty() && lock.tryLock()) {
            try {
                ByteBuffer[] frame;
                int frames = 0;
                while (frames < MAX_BATCH && (frame = queue.poll()) != null) {
                    frames++;
                    for (ByteBuffer b : frame) {
                        batch.add(b);
                    }
                }
                if (!batch.isEmpty() && !failed) {
                    channel.write(batch.toArray(ByteBuffer[]::new));
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            } finally {
                batch.clear();
                lock.unlock();
            }
        }
    }

    /** The reply's frame: one buffer, or a head and the Rread data (sent by a gathering write, not copied). */
    static ByteBuffer[] encode(int tag, Message.Response reply) {
        try {
            ByteBuffer payload = Codec.payload(reply);
            int size = Codec.encodedSize(reply);
            if (payload == null) {
                ByteBuffer out = ByteBuffer.allocate(size);
                Codec.encode(tag, reply, out);
                return new ByteBuffer[] {out.flip()};
            }
            ByteBuffer head = ByteBuffer.allocate(size - payload.remaining());
            Codec.encodeWithoutPayload(tag, reply, head);
            return new ByteBuffer[] {head.flip(), payload.duplicate()};
        } catch (RuntimeException e) {
            // A reply the codec cannot carry (a string over 64 KiB from a backend): our bug, not the client's.
            Rlerror error = new Rlerror(Errors.errno(e));
            ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(error));
            Codec.encode(tag, error, out);
            return new ByteBuffer[] {out.flip()};
        }
    }

    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            queue.clear();
            LOG.log(Level.DEBUG, "writing to {0} failed: {1}", channel.peer(), e.toString());
            onFailure.run();
        }
    }
}
