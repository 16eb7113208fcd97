// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

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

    /** Writes the buffers' remaining bytes, in order, as one unit. Safe to call from many threads. */
    void write(ByteBuffer... buffers) throws IOException;

    /** Who is on the other end, for logs: "tcp 127.0.0.1:40112", "unix", "fd 0/1". */
    String peer();
}
