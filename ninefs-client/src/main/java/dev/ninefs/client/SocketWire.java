// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.transport.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The wire over a TCP or Unix domain socket, put in non-blocking mode so that callers can write their own requests:
 * a non-blocking write is not interruptible (the JDK closes a channel on interrupt only around blocking calls), so
 * an interrupted caller never closes the connection, and a request leaves without waking any other thread.
 *
 * <p>Writing: a request that is alone on the connection, or carries much data, is written by its caller at once,
 * unless the write lock is busy. Others are queued for a virtual writer thread, which lets the callers that are
 * ready queue theirs too and sends them all in one {@code writev} (the server then reads them in one system call);
 * bytes that do not fit in the socket also wait there, the writer waiting with a selector until the socket can
 * take them. Only a caller that lends a large payload and blocks for its reply anyway waits for room in the socket
 * while it holds the lock, instead of having its data copied; everyone else queues meanwhile, and the sweeper and
 * Tflush never wait for the lock. Reading: see {@link SocketReader}.
 */
final class SocketWire implements Wire {
    private static final int WRITE_BATCH = 64;

    private final SocketChannel socket;
    private final FrameChannel channel;
    private final Multiplexer mux;
    private final String peer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Frames for the writer thread; their buffers are ours (never borrowed). */
    private final ConcurrentLinkedQueue<ByteBuffer[]> outbox = new ConcurrentLinkedQueue<>();
    /** Bytes that could not be written at once, owned by the writer thread; guarded by writeLock. */
    private final ArrayDeque<ByteBuffer> stalled = new ArrayDeque<>();
    /** Whether {@link #stalled} has bytes, for the writer thread to look at without the lock. */
    private volatile boolean hasStalled;
    private final Selector writable;
    private final SocketReader reader;
    private final Thread writer;
    private volatile boolean closed;
    /** How long a caller may wait for room in the socket without progress (0: until interrupted or closed). */
    private final long waitMillis;

    SocketWire(SocketChannel socket, FrameChannel channel, Multiplexer mux, Duration timeout, Duration spin) {
        this.waitMillis = timeout.isZero() ? 0 : Math.max(1, timeout.toMillis());
        this.socket = socket;
        this.channel = channel;
        this.mux = mux;
        this.peer = channel.peer();
        try {
            socket.configureBlocking(false);
            this.writable = Selector.open();
            socket.register(writable, SelectionKey.OP_WRITE);
            this.reader = new SocketReader(socket, mux, peer, spin);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.writer = Thread.ofVirtual().name("9p-writer " + peer).unstarted(this::writeLoop);
    }

    @Override
    public void start() {
        reader.start();
        writer.start();
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void send(ByteBuffer[] buffers, boolean borrowed, boolean now, boolean mayWait) {
        if (now && writeLock.tryLock()) {
            try {
                if (stalled.isEmpty()) {
                    if (mayWait && borrowed) {
                        writeWaiting(buffers);
                    }
                    write(buffers, borrowed ? 1 : buffers.length);
                    return;
                }
            } catch (IOException | RuntimeException e) {
                failed(e);
                return;
            } finally {
                writeLock.unlock();
            }
        }
        // A lent payload is copied, with its header, into one buffer: one iovec per frame in the batched write.
        outbox.add(borrowed ? new ByteBuffer[] {Wire.copy(buffers, 0)} : buffers);
        LockSupport.unpark(writer);
    }

    /**
     * Writes {@code buffers}, waiting for room in the socket as long as it makes progress, until the thread is
     * interrupted or the connection closes: a large write by a caller who blocks for its reply anyway, whose data
     * then needs no copy. Replies must go on being read meanwhile (the peer may wait for that before it reads on).
     * Holds writeLock; the writer thread is not waiting on {@link #writable} since nothing is stalled.
     */
    private void writeWaiting(ByteBuffer[] buffers) throws IOException {
        ByteBuffer last = buffers[buffers.length - 1];
        socket.write(buffers);
        if (!last.hasRemaining()) {
            return;
        }
        reader.replyDue();
        while (last.hasRemaining() && !closed && !Thread.currentThread().isInterrupted()) {
            if (writable.select(waitMillis) == 0 && !Thread.currentThread().isInterrupted()) {
                return; // no room for that long: the writer thread takes over, with a copy
            }
            writable.selectedKeys().clear();
            socket.write(buffers);
        }
    }

    /**
     * Writes {@code buffers} without blocking; what does not fit goes to the writer thread. Buffers from index
     * {@code borrowedFrom} on are the caller's and are copied if they have to wait. Holds writeLock.
     */
    private void write(ByteBuffer[] buffers, int borrowedFrom) throws IOException {
        int first = 0;
        while (true) {
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
            if (first == buffers.length || socket.write(buffers, first, buffers.length - first) == 0) {
                break;
            }
        }
        if (first == buffers.length) {
            return;
        }
        for (int i = first; i < buffers.length; i++) {
            stalled.add(i >= borrowedFrom ? Wire.copy(buffers[i]) : buffers[i]);
        }
        hasStalled = true;
        LockSupport.unpark(writer);
    }

    private void writeLoop() {
        List<ByteBuffer> batch = new ArrayList<>();
        try {
            while (!closed) {
                if (outbox.isEmpty() && !hasStalled) {
                    LockSupport.park(this);
                    continue;
                }
                // Callers that are ready to run queue their requests first, so that one write carries them all (the
                // server then reads them in one system call too); with nothing else to run this returns at once.
                Thread.yield();
                boolean full;
                writeLock.lock();
                try {
                    full = writeStalled();
                    if (!full) {
                        ByteBuffer[] frame;
                        for (int n = 0; n < WRITE_BATCH && (frame = outbox.poll()) != null; n++) {
                            batch.addAll(List.of(frame));
                        }
                        write(batch.toArray(ByteBuffer[]::new), Integer.MAX_VALUE);
                        batch.clear();
                        full = !stalled.isEmpty();
                    }
                } finally {
                    writeLock.unlock();
                }
                while (full && !closed) {
                    writable.select(); // an interrupt (from close) only wakes it up
                    writable.selectedKeys().clear();
                    writeLock.lock();
                    try {
                        full = writeStalled();
                    } finally {
                        writeLock.unlock();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
        } finally {
            closeQuietly(writable);
        }
    }

    /** Writes what it can of the stalled bytes; true if some are left. Holds writeLock. */
    private boolean writeStalled() throws IOException {
        while (true) {
            while (!stalled.isEmpty() && !stalled.peekFirst().hasRemaining()) {
                stalled.pollFirst();
            }
            if (stalled.isEmpty()) {
                break;
            }
            if (socket.write(stalled.toArray(ByteBuffer[]::new)) == 0) {
                return true;
            }
        }
        hasStalled = false;
        return false;
    }

    private void failed(Exception e) {
        if (!closed) {
            mux.fail(new ConnectionClosedException("writing to " + peer + " failed: " + e, e));
        }
    }

    @Override
    public void replyDue() {
        reader.replyDue();
    }

    @Override
    public void lead(CallFuture reply, boolean more) {
        reader.lead(reply, more);
    }

    @Override
    public void wakeLeader() {
        reader.wakeLeader();
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is all we wanted; the multiplexer knows why.
        }
        writable.wakeup();
        LockSupport.unpark(writer);
        reader.close();
    }

    static void closeQuietly(Selector selector) {
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
