// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.FrameHeader;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;
import dev.ninefs.transport.Spin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads replies from a non-blocking socket, waiting with a selector (an interrupt only wakes a selector up; it never
 * closes the socket). Leader/follower: whoever holds the read token reads and hands every reply to its call. A
 * caller that waits for its own reply takes the token if it is free and reads itself, so a lone request costs one
 * wake-up, as a plain blocking ping-pong does; a reader thread of the connection takes the token whenever replies
 * are due and no caller reads (async calls, or many callers at once).
 *
 * <p>Small replies arrive through a direct buffer, several per read when they come in a burst; the rest of a large
 * one is read straight into its own buffer, a pooled direct one when its caller gives it back (see
 * {@link Multiplexer#replyBuffer}), or, when the caller reads its own large Rread, into the caller's buffer itself
 * (a {@link Landing}). The partial frame lives here, not in a thread, so the token can change hands in the middle
 * of a frame; a landing never does (it is moved to a buffer of ours first).
 */
final class SocketReader {
    private static final int READ_BUFFER = 16 << 10;

    private final SocketChannel socket;
    private final Multiplexer mux;
    private final String peer;
    private final Selector readable;
    private final AtomicBoolean token = new AtomicBoolean();
    /** Guarded by the token: whether a lone caller polls for its reply before it sleeps, and if it does now. */
    private final Spin spin;
    private boolean spinNow;
    private final Thread thread;
    private volatile boolean closed;

    // Guarded by the token.
    private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER).order(ByteOrder.LITTLE_ENDIAN).flip();
    /** A large frame being filled straight from the socket, and the pooled buffer it is in (or null). */
    private ByteBuffer partial;
    private ByteBuffer partialPooled;
    /** A large Rread being read into its caller's buffer by that caller, which holds the token (or null). */
    private Landing landing;
    /** The last read left the socket empty: wait before reading again rather than read nothing first. */
    private boolean drained;
    /**
     * Read before waiting, and count the socket as drained only when a read found nothing: for the reader thread
     * serving many callers, whose replies are often there already. A lone caller expects to wait for its reply.
     */
    private boolean readFirst;

    SocketReader(SocketChannel socket, Multiplexer mux, String peer, Duration spin) throws IOException {
        this.spin = new Spin(spin);
        this.socket = socket;
        this.mux = mux;
        this.peer = peer;
        this.readable = Selector.open();
        socket.register(readable, SelectionKey.OP_READ);
        // A virtual thread: it reads when many requests are in flight, mostly for virtual callers, whom it wakes
        // more cheaply from a carrier thread of their own scheduler than a platform thread could.
        this.thread = Thread.ofVirtual().name("9p-reader " + peer).unstarted(this::readLoop);
    }

    void start() {
        thread.start();
    }

    void close() {
        closed = true;
        readable.wakeup();
        LockSupport.unpark(thread);
    }

    /** Replies are due that nobody may be reading: make sure the reader thread sees to them. */
    void replyDue() {
        if (!token.get()) {
            LockSupport.unpark(thread);
        }
    }

    /** Something a reading caller waits for happened elsewhere (a timeout, a cancel): let it look. */
    void wakeLeader() {
        readable.wakeup();
    }

    /**
     * Reads replies in the calling thread until {@code reply} is complete, if no one else is reading; returns at
     * once otherwise, or when the thread is interrupted or the connection closes (the caller then waits as usual).
     * With {@code more}, the caller leads again at once for another reply of its own (see {@link Wire#lead}).
     */
    void lead(CompletableFuture<?> reply, boolean more) {
        if (reply.isDone() || closed || !token.compareAndSet(false, true)) {
            return;
        }
        try {
            readFirst = false;
            spinNow = spin.begin();
            while (!reply.isDone() && !closed && !Thread.currentThread().isInterrupted()) {
                pump();
            }
        } catch (ProtocolException e) {
            mux.fail(Multiplexer.brokeProtocol(peer, e));
        } catch (IOException | RuntimeException e) {
            failed(e);
        } finally {
            release(more && !closed && !Thread.currentThread().isInterrupted());
        }
    }

    /** Gives the token back; {@code more}: its holder takes it again at once, no need to wake the reader thread. */
    private void release(boolean more) {
        if (landing != null) {
            evacuate(); // the caller is about to return: whoever reads next must not write into its buffer
        }
        token.set(false);
        if (!more && mux.repliesDue() && !closed) {
            LockSupport.unpark(thread);
        }
    }

    private void readLoop() {
        try {
            while (!closed) {
                if (mux.repliesDue() && token.compareAndSet(false, true)) {
                    try {
                        readFirst = true;
                        drained = false;
                        while (mux.repliesDue() && !closed) {
                            pump();
                        }
                    } finally {
                        release(false);
                    }
                } else {
                    LockSupport.park(this);
                }
            }
        } catch (ProtocolException e) {
            mux.fail(Multiplexer.brokeProtocol(peer, e));
        } catch (IOException | RuntimeException e) {
            failed(e);
        } finally {
            SocketWire.closeQuietly(readable);
        }
    }

    private void failed(Exception e) {
        if (!closed) {
            mux.fail(new ConnectionClosedException("connection to " + peer + " failed: " + e, e));
        }
    }

    /**
     * One step, with the token held: dispatches the whole replies buffered; if there were none, reads once,
     * waiting first for the socket to be readable when it was left empty. Returns after at most one wait, so that
     * the holder can look at why it reads.
     */
    private void pump() throws IOException {
        if (dispatchBuffered() > 0) {
            return;
        }
        if (landing != null && !landing.wanted()) {
            evacuate(); // flushed: its caller may return before the rest arrives
        }
        if (drained && spinNow) {
            spinNow = false;
            if (spin.poll(this::readSome)) {
                return;
            }
        }
        if (drained) {
            readable.select(); // returns early on wakeup() or an interrupt
            readable.selectedKeys().clear();
            if (closed) {
                return;
            }
        }
        int n = read();
        ByteBuffer frame = landing != null ? landing.data : partial;
        drained = readFirst ? n == 0 : (frame != null ? frame : in).hasRemaining();
        if (n < 0) {
            endOfStream();
        }
    }

    /**
     * One read without waiting, for a lone caller polling for its reply (see {@link Spin}): true if bytes came or
     * the stream ended (the next pump sees to both).
     */
    private boolean readSome() throws IOException {
        int n = read();
        if (n < 0) {
            endOfStream();
        }
        if (n != 0) {
            drained = false;
            return true;
        }
        return false;
    }

    /** One read into the caller's buffer, the partial frame or the read buffer. */
    private int read() throws IOException {
        ByteBuffer frame = landing != null ? landing.data : partial;
        if (frame != null) {
            return socket.read(frame);
        }
        in.compact();
        try {
            return socket.read(in);
        } finally {
            in.flip();
        }
    }

    private void endOfStream() throws ProtocolException {
        if (landing != null || partial != null || in.hasRemaining()) {
            throw new ProtocolException("end of stream inside a frame from " + peer);
        }
        closed = true;
        mux.fail(new ConnectionClosedException("server " + peer + " closed the connection"));
    }

    /** Dispatches every whole frame now buffered (or completed in {@link #partial}); returns how many. */
    private int dispatchBuffered() throws ProtocolException {
        int count = 0;
        while (true) {
            if (landing != null) {
                if (landing.data.hasRemaining()) {
                    return count;
                }
                Frame landed = landing.frame();
                landing = null;
                mux.dispatch(landed, null);
                count++;
                continue;
            }
            if (partial != null) {
                if (partial.hasRemaining()) {
                    return count;
                }
                ByteBuffer frame = partial.flip();
                ByteBuffer pooled = partialPooled;
                partial = null;
                partialPooled = null;
                mux.dispatch(Codec.decode(frame), pooled);
                count++;
                continue;
            }
            if (in.remaining() < FrameHeader.SIZE_LENGTH) {
                return count;
            }
            int at = in.position();
            // Checked before anything is allocated for it, and before waiting for more bytes.
            int size = FrameHeader.checkSize(Integer.toUnsignedLong(in.getInt(at)), mux.msize());
            if (size <= in.capacity()) {
                if (in.remaining() < size) {
                    return count;
                }
                ByteBuffer frame = ByteBuffer.allocate(size);
                frame.put(0, in, at, size);
                in.position(at + size);
                mux.dispatch(Codec.decode(frame), null);
                count++;
                continue;
            }
            if (in.remaining() < FrameHeader.LENGTH) {
                return count;
            }
            if (FrameHeader.typeAt(in, at) == Message.RREAD) {
                if (in.remaining() < Landing.HEAD) {
                    return count;
                }
                landing = mux.landing(FrameHeader.tagAt(in, at), size,
                        Integer.toUnsignedLong(in.getInt(at + FrameHeader.LENGTH)));
                if (landing != null) {
                    in.position(at + Landing.HEAD);
                    landing.data.put(in); // all of it: the frame is larger than the buffer
                    continue;
                }
            }
            ByteBuffer pooled = mux.replyBuffer(FrameHeader.tagAt(in, at), FrameHeader.typeAt(in, at), size);
            partial = pooled != null ? pooled.clear().limit(size) : ByteBuffer.allocate(size);
            partialPooled = pooled;
            partial.put(in); // all of it: the frame is larger than the buffer
        }
    }

    /** Moves the landing's frame so far into a buffer of ours, where the rest of it is read as usual. */
    private void evacuate() {
        Landing l = landing;
        landing = null;
        ByteBuffer pooled = mux.replyBuffer(l.tag(), Message.RREAD, l.size());
        partial = l.moveTo(pooled != null ? pooled : ByteBuffer.allocate(l.size()));
        partialPooled = pooled;
    }
}
