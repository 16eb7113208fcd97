// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection's output, held by one writer for the length of a {@link FrameChannel#writeExclusive} call: what it
 * writes goes out in the order written and nothing else is written in between, so a frame may be sent in parts,
 * some of them not from memory (a reply whose data goes from a file into the socket with sendfile(2)). Valid only
 * inside that call.
 */
public interface ConnectionOutput {

    /**
     * Writes the buffers' remaining bytes, in order, before returning (a virtual thread parks while the peer does
     * not read); the buffers may be reused once it returns.
     */
    void write(ByteBuffer... buffers) throws IOException;

    /** Whether {@link #onDescriptor} can run: the connection is a socket whose descriptor this JVM shows. */
    boolean hasDescriptor();

    /**
     * Runs {@code call} on the socket's descriptor, after everything written before. The descriptor stays open
     * until the call returns: closing the channel waits for it, so the call must return soon. It must not block
     * on the peer beyond a short, bounded wait (a poll(2) with a timeout), and never on a virtual thread, whose
     * blocking the JDK cannot see: the descriptor may be in non-blocking mode, and a call that meets EAGAIN
     * returns and lets {@link #write} do the waiting.
     *
     * @return what {@code call} returned
     * @throws java.nio.channels.ClosedChannelException if the channel is closed or has no descriptor
     */
    long onDescriptor(DescriptorCall call) throws IOException;

    /** A native call on a socket descriptor. */
    @FunctionalInterface
    interface DescriptorCall {
        long call(int fd) throws IOException;
    }

    /** What {@link FrameChannel#writeExclusive} runs. */
    @FunctionalInterface
    interface Writer {
        void writeTo(ConnectionOutput out) throws IOException;
    }
}
