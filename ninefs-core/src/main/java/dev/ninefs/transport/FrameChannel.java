// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A bidirectional stream of 9P frames over one connection (TCP, Unix socket, a pair of fds...). One thread
 * reads; any number of threads write, each {@link #write} going out whole, never interleaved with another.
 */
public interface FrameChannel extends Closeable {

    /**
     * Blocks for the next whole frame. The returned buffer belongs to the caller: it holds exactly the frame from
     * its size field (position 0, limit = size).
     *
     * @param maxSize the largest frame accepted now (the negotiated msize)
     * @return the frame, or null at a clean end of stream between frames
     * @throws dev.ninefs.protocol.ProtocolException if the size field is below 7 or above {@code maxSize}, or the
     *     stream ends inside a frame; nothing is allocated for a size before it is checked
     */
    ByteBuffer readFrame(int maxSize) throws IOException;

    /**
     * Whether bytes after the last frame {@link #readFrame} returned have been received already, so that the next
     * call will not wait for the peer: a client that pipelines its requests. Channels that cannot tell say true.
     * Called by the reading thread.
     */
    default boolean inputWaiting() {
        return true;
    }

    /**
     * Whether bytes to read have arrived, asked of the socket without waiting: for a reader that polls for the
     * next request for a moment before it sleeps (see {@link Spin}). Channels that cannot tell say false. Called by
     * the reading thread.
     */
    default boolean pollInput() throws IOException {
        return false;
    }

    /** Writes the buffers' remaining bytes, in order, as one unit. Safe to call from many threads. */
    void write(ByteBuffer... buffers) throws IOException;

    /**
     * Runs {@code writer} with this channel's output to itself: what it writes goes out as one unit, in order,
     * like one {@link #write}, and may include native calls on the socket's descriptor
     * ({@link ConnectionOutput#onDescriptor}). If it throws after writing part of a frame the stream is out of
     * step: close the channel. Safe to call from many threads. The default collects copies of what is written and
     * writes them at the end, without a descriptor.
     */
    default void writeExclusive(ConnectionOutput.Writer writer) throws IOException {
        CollectedOutput out = new CollectedOutput();
        writer.writeTo(out);
        write(out.parts());
    }

    /** Who is on the other end, for logs: "tcp 127.0.0.1:40112", "unix", "fd 0/1". */
    String peer();

    /**
     * The socket under this channel, for a peer that does its own (non-blocking) I/O on it from now on: the 9P
     * client lets its callers write their own requests, which only a non-blocking socket makes safe against
     * interrupts. Null when there is no socket (file descriptors, test doubles) or when bytes read from it are
     * still buffered here. After a non-null answer, use neither {@link #readFrame} nor {@link #write} again;
     * {@link #close} still closes the socket.
     */
    default SocketChannel detachSocket() {
        return null;
    }
}
