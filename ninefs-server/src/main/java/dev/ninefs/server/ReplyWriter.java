// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.FileRegion;
import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Message.Rlerror;
import dev.ninefs.protocol.Message.Rread;
import dev.ninefs.transport.ConnectionOutput;
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
 * blocks), then {@link #flush}: whichever thread gets the lock first yields once, so that the other requests ready
 * to run finish and queue their replies, then writes everything queued in one gathering write (flat combining). A
 * thread that finds the lock taken leaves its reply to the holder, which looks at the queue again after it unlocks.
 * Under load that makes one system call carry many replies; the last request in flight does not yield.
 *
 * <p>Order: replies go out in the order they were enqueued. The session relies on it for Tflush (the flushed
 * request's reply is enqueued before Rflush). A batch with an Rread whose data comes from a file region
 * ({@link ZeroCopyReads}) is written under the channel's exclusive output: the replies before it, its header,
 * its data from the file, then the rest. A reply goes out whole or the connection fails.
 */
final class ReplyWriter {
    private static final System.Logger LOG = System.getLogger(ReplyWriter.class.getPackageName());
    /** Replies gathered into one write at most; bounds the array and the time one thread spends writing. */
    private static final int MAX_BATCH = 256;

    private final FrameChannel channel;
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Runnable onFailure;
    private volatile boolean failed;

    ReplyWriter(FrameChannel channel, Runnable onFailure) {
        this.channel = channel;
        this.onFailure = onFailure;
    }

    /**
     * One encoded reply: its buffers go out back to back, then the bytes of {@code region} if there is one.
     * {@code loan}, if not null, is a {@link ReadBuffers} buffer among them (or, with a region, the buffer its
     * bytes are copied through when they cannot be sent from the file), given back once written, as the region
     * is closed (or once the reply is dropped: {@link #drop}).
     */
    record Reply(ByteBuffer[] buffers, ByteBuffer loan, FileRegion region) {
        Reply(ByteBuffer[] buffers, ByteBuffer loan) {
            this(buffers, loan, null);
        }

        /** Once written, or for a reply that will not be sent. */
        void drop() {
            if (region != null) {
                region.close();
            }
            if (loan != null) {
                ReadBuffers.give(loan);
            }
        }
    }

    /** Queues one reply. */
    void enqueue(Reply reply) {
        if (failed) {
            reply.drop();
        } else {
            queue.add(reply);
        }
    }

    /**
     * Writes what is queued unless another thread is doing it. The caller's thread must not be interrupted, or the
     * channel would close under the write. {@code alone}: no other request is in flight, so no other reply can
     * join this write and the yield that waits for them is skipped (it would wake the other carrier for nothing).
     */
    void flush(boolean alone) {
        List<ByteBuffer> batch = new ArrayList<>();
        List<Reply> replies = new ArrayList<>();
        while (!queue.isEmpty() && lock.tryLock()) {
            try {
                if (!alone) {
                    combine();
                }
                Reply reply;
                boolean regions = false;
                while (replies.size() < MAX_BATCH && (reply = queue.poll()) != null) {
                    replies.add(reply);
                    regions |= reply.region() != null;
                    for (ByteBuffer b : reply.buffers()) {
                        batch.add(b);
                    }
                }
                if (!failed && regions) {
                    channel.writeExclusive(out -> writeWithRegions(out, replies));
                } else if (!failed && !batch.isEmpty()) {
                    channel.write(batch.toArray(ByteBuffer[]::new));
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            } finally {
                for (Reply r : replies) {
                    r.drop();
                }
                replies.clear();
                batch.clear();
                lock.unlock();
            }
        }
    }

    /** Writes {@code replies} in order, each region's bytes right after its reply's header. */
    private static void writeWithRegions(ConnectionOutput out, List<Reply> replies) throws IOException {
        List<ByteBuffer> pending = new ArrayList<>();
        for (Reply r : replies) {
            for (ByteBuffer b : r.buffers()) {
                pending.add(b);
            }
            if (r.region() != null) {
                ZeroCopyReads.send(out, pending.toArray(ByteBuffer[]::new), r.region(), r.loan());
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            out.write(pending.toArray(ByteBuffer[]::new));
        }
    }

    /**
     * Lets the request threads that are ready to run finish before this one writes: they queue their replies and
     * return (the lock is taken), and one write carries them all. Without it each request, run to completion on
     * its carrier in turn, would find the lock free and pay a system call of its own. A yield with nothing else
     * to run returns at once; a platform thread does not yield (a system call of its own).
     */
    private static void combine() {
        if (Thread.currentThread().isVirtual()) {
            Thread.yield();
        }
    }

    /**
     * The reply's frame: one buffer, or a head and the Rread data (sent by a gathering write, not copied), or a
     * head and a file region standing for the data.
     */
    static Reply encode(int tag, Message.Response reply) {
        // Only IoRequests makes an Rread of direct data, always from ReadBuffers.
        ByteBuffer loan = reply instanceof Rread r && r.data().isDirect() ? r.data() : null;
        FileRegion region = loan == null ? null : ZeroCopyReads.claim(loan);
        if (region != null) {
            ByteBuffer head = ByteBuffer.allocate(Codec.encodedSize(reply) - loan.remaining());
            Codec.encodeWithoutPayload(tag, reply, head);
            return new Reply(new ByteBuffer[] {head.flip()}, loan, region);
        }
        try {
            ByteBuffer payload = Codec.payload(reply);
            int size = Codec.encodedSize(reply);
            if (payload == null) {
                ByteBuffer out = ByteBuffer.allocate(size);
                Codec.encode(tag, reply, out);
                return new Reply(new ByteBuffer[] {out.flip()}, loan);
            }
            ByteBuffer head = ByteBuffer.allocate(size - payload.remaining());
            Codec.encodeWithoutPayload(tag, reply, head);
            return new Reply(new ByteBuffer[] {head.flip(), payload.duplicate()}, loan);
        } catch (RuntimeException e) {
            // A reply the codec cannot carry (a string over 64 KiB from a backend): our bug, not the client's.
            Rlerror error = new Rlerror(Errors.errno(e));
            ByteBuffer out = ByteBuffer.allocate(Codec.encodedSize(error));
            Codec.encode(tag, error, out);
            return new Reply(new ByteBuffer[] {out.flip()}, loan);
        }
    }

    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            Reply r;
            while ((r = queue.poll()) != null) {
                r.drop();
            }
            LOG.log(Level.DEBUG, "writing to {0} failed: {1}", channel.peer(), e.toString());
            onFailure.run();
        }
    }
}
