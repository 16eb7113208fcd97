// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.transport.FrameChannel;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * How a {@link Multiplexer}'s frames travel. Over a socket the callers write their own requests and a reader thread
 * waits for replies with a selector ({@link SocketWire}); over any other {@link FrameChannel} a writer thread and a
 * reader thread do the blocking calls ({@link ThreadedWire}).
 */
sealed interface Wire permits SocketWire, ThreadedWire {

    /** The wire for {@code channel}, on which Tversion has been negotiated; not started yet. */
    static Wire of(FrameChannel channel, Multiplexer mux, ClientOptions options) {
        SocketChannel socket = channel.detachSocket();
        return socket != null ? new SocketWire(socket, channel, mux, options.timeout(), options.spin())
                : new ThreadedWire(channel, mux);
    }

    void start();

    /**
     * Sends one frame, made of {@code buffers} in order, whole and never interleaved with another. Never blocks on
     * the peer and never lets an interrupt reach the channel; a failure fails the multiplexer.
     *
     * @param borrowed whether buffers after the first belong to the caller, who may reuse them once this returns:
     *     whatever of them cannot leave at once is copied
     * @param now a hint: the caller should write the frame itself if it can (nothing else is in flight to batch it
     *     with, or it carries much data)
     * @param mayWait the caller blocks for the reply anyway: rather than copy what it lends, it may wait here for
     *     room in the socket (until interrupted, or for at most the connection's timeout)
     */
    void send(ByteBuffer[] buffers, boolean borrowed, boolean now, boolean mayWait);

    /** A reply is due that no caller may read itself: the wire's reader must see to it. */
    default void replyDue() {}

    /**
     * Reads replies in the calling thread until {@code reply} completes, if this wire lets callers read and nobody
     * else is reading; returns early when the thread is interrupted or the connection closes.
     */
    default void lead(CallFuture reply) {
        lead(reply, false);
    }

    /**
     * Like {@link #lead(CallFuture)}; with {@code more}, the caller reads again at once for another reply of its
     * own, so replies still due need not wake the wire's reader when this returns.
     */
    default void lead(CallFuture reply, boolean more) {}

    /** Wakes a caller reading in {@link #lead} to look at its reply again (it was failed by another thread). */
    default void wakeLeader() {}

    /** Closes the channel and stops the wire's threads; idempotent. */
    void close();

    String peer();

    /** Copies of {@code buffers}' remaining bytes in one buffer (for a frame that has to wait its turn). */
    static ByteBuffer copy(ByteBuffer[] buffers, int from) {
        int size = 0;
        for (int i = from; i < buffers.length; i++) {
            size += buffers[i].remaining();
        }
        ByteBuffer copy = ByteBuffer.allocate(size);
        for (int i = from; i < buffers.length; i++) {
            copy.put(buffers[i].duplicate());
        }
        return copy.flip();
    }

    static ByteBuffer copy(ByteBuffer buffer) {
        return ByteBuffer.allocate(buffer.remaining()).put(buffer.duplicate()).flip();
    }
}
