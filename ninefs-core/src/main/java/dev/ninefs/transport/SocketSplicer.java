// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import dev.ninefs.protocol.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket's reading side as a descriptor, for the rest of a frame a request diverted ({@link FrameFill#divert}):
 * the reader thread lends the descriptor to the request's {@link FrameFill.Sink}, which moves the bytes out of the
 * socket itself (the server splices them into a file).
 *
 * <p>The number is good only while the socket is open, and the JDK knows nothing of our calls on it: every call
 * holds a lock that {@link #shut} takes before the channel closes the socket. A platform thread may wait for bytes
 * inside the call; shutting the input down first wakes it.
 */
final class SocketSplicer {
    /** The channel the frames are read through: the socket, or a view of it that counts. */
    private final ReadableByteChannel in;
    private final SocketChannel socket;
    private final String peer;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean shut;

    /** A view of a socket's reading side that counts what it delivers ({@link ReadAheadChannel}). */
    interface CountingInput extends ReadableByteChannel {
        /** The socket it reads. */
        SocketChannel socket();

        /** Bytes of the socket taken around it (spliced), for its count. */
        void bypassed(long bytes);
    }

    private SocketSplicer(ReadableByteChannel in, SocketChannel socket, String peer) {
        this.in = in;
        this.socket = socket;
        this.peer = peer;
    }

    /** The splicer for what {@code in} reads, or null when it is not a socket or its descriptor is out of sight. */
    static SocketSplicer of(ReadableByteChannel in, String peer) {
        SocketChannel socket = socketOf(in);
        return socket != null && SocketDescriptor.available() ? new SocketSplicer(in, socket, peer) : null;
    }

    /** The socket {@code in} reads, directly or through a counting view; null when it reads no socket. */
    static SocketChannel socketOf(ReadableByteChannel in) {
        return switch (in) {
            case SocketChannel s -> s;
            case CountingInput c -> c.socket();
            default -> null;
        };
    }

    /**
     * Sends the rest of a frame, from {@code partial}'s position to its limit, to the sink a request diverted it to:
     * exactly those bytes. What the socket has is spliced; when it has nothing and this thread may not wait in a
     * native call (a virtual thread), the next bytes come through the frame's buffer, the JDK parking the thread,
     * and go to the sink from there. Once the sink stops (its file failed) the rest is read and dropped, so that
     * the stream stays in step. {@code dataStart} is the frame offset of the data's first byte.
     */
    void sendRest(FrameFill.Sink sink, int dataStart, ByteBuffer partial) throws IOException {
        while (partial.hasRemaining()) {
            int at = partial.position();
            if (!sink.stopped()) {
                long n = splice(sink, at - dataStart, partial.remaining());
                if (n < 0) {
                    throw new ProtocolException("end of stream inside a frame from " + peer);
                }
                if (n > 0) {
                    partial.position(at + (int) n);
                    if (in instanceof CountingInput counting) {
                        counting.bypassed(n);
                    }
                    continue;
                }
            }
            int n = in.read(partial);
            if (n < 0) {
                throw new ProtocolException("end of stream inside a frame from " + peer);
            }
            if (!sink.stopped()) {
                sink.write(at - dataStart, partial.slice(at, n));
            }
        }
    }

    /**
     * Has {@code sink} take up to {@code max} bytes from the socket, the first of them data byte {@code at}: see
     * {@link FrameFill.Sink#splice}. A platform thread may wait for them; a virtual one never does.
     *
     * @throws AsynchronousCloseException once the channel is closing
     */
    private long splice(FrameFill.Sink sink, long at, int max) throws IOException {
        boolean wait = !Thread.currentThread().isVirtual();
        lock.lock();
        try {
            int fd = shut ? -1 : SocketDescriptor.of(socket);
            if (fd < 0) {
                throw new AsynchronousCloseException();
            }
            return sink.splice(fd, at, max, wait);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes sure no call uses the descriptor any more, for closing: a call under way ends first (one waiting for
     * bytes is woken by shutting the input down), later ones fail.
     */
    void shut() {
        shut = true;
        if (!lock.tryLock()) {
            try {
                socket.shutdownInput();
            } catch (IOException e) {
                // closed already, or not connected: nothing waits on it then
            }
            lock.lock();
        }
        lock.unlock();
    }
}
