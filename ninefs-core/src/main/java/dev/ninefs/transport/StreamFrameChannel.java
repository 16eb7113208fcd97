// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import dev.ninefs.protocol.ProtocolException;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one {@link FrameChannel} for every byte-stream transport: TCP and Unix domain sockets (a blocking
 * {@link SocketChannel} either way) and inherited file descriptors (a pair of channels on them).
 *
 * <p>Reading goes through a small direct buffer, so that many small pipelined requests cost one system call, and
 * a large frame's remainder is read straight into the frame (for a large Twrite a pooled direct buffer, see
 * {@link FrameBuffers}, so the bytes are copied once, by the kernel). Writing takes a lock around a gathering
 * write, so concurrent writers never interleave and a header and its payload leave in one {@code writev}.
 *
 * <p>After {@link #readFrame} throws a {@link ProtocolException} the stream is out of step: close the channel.
 * Closing it while another thread waits in {@link #readFrame} between frames makes that call return null.
 */
public final class StreamFrameChannel implements FrameChannel {
    /** Per-connection read buffer: enough for a burst of small requests; idle connections stay cheap. */
    static final int READ_BUFFER = 8192;

    private final ReadableByteChannel in;
    private final GatheringByteChannel out;
    private final Closeable closer;
    /** The socket when there is one, for {@link #detachSocket}; null over file descriptors. */
    private final SocketChannel socket;
    private final String peer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER).flip();
    private final FrameAssembler assembler = new FrameAssembler(Integer.MAX_VALUE);
    private volatile boolean closed;

    private StreamFrameChannel(ReadableByteChannel in, GatheringByteChannel out, Closeable closer, String peer) {
        this.in = in;
        this.out = out;
        this.closer = closer;
        this.socket = in instanceof SocketChannel s && out == s ? s : null;
        this.peer = peer;
    }

    /**
     * Wraps a connected socket channel (TCP or Unix domain): puts it in blocking mode and, for TCP, turns Nagle's
     * algorithm off, since 9P is request/response and every frame should leave at once.
     */
    public static StreamFrameChannel of(SocketChannel socket) throws IOException {
        socket.configureBlocking(true);
        String peer;
        if (socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            peer = "tcp " + describe(socket.getRemoteAddress());
        } else {
            peer = "unix";
        }
        return new StreamFrameChannel(socket, socket, socket, peer);
    }

    /**
     * Wraps two channels, one per direction (e.g. a pair of pipes or file descriptors); closing the frame
     * channel closes both.
     */
    public static StreamFrameChannel of(ReadableByteChannel in, GatheringByteChannel out, String peer) {
        return new StreamFrameChannel(in, out, () -> {
            try {
                out.close();
            } finally {
                in.close();
            }
        }, peer);
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    @Override
    public ByteBuffer readFrame(int maxSize) throws IOException {
        assembler.maxSize(maxSize);
        try {
            while (true) {
                ByteBuffer frame = assembler.next(readBuffer);
                if (frame != null) {
                    return frame;
                }
                // readBuffer is empty here.
                ByteBuffer partial = assembler.partialFrame();
                int n;
                if (partial != null && partial.remaining() >= READ_BUFFER) {
                    n = in.read(partial); // a large remainder goes straight into the frame
                } else {
                    readBuffer.clear();
                    n = in.read(readBuffer);
                    readBuffer.flip();
                }
                if (n < 0) {
                    if (assembler.inFrame()) {
                        throw new ProtocolException("end of stream inside a frame from " + peer);
                    }
                    return null;
                }
            }
        } catch (ClosedChannelException e) {
            if (closed && !assembler.inFrame()) {
                return null; // closed on our side while waiting between frames: a clean end
            }
            throw e;
        }
    }

    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        writeLock.lock();
        try {
            while (total > 0) {
                total -= out.write(buffers);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public SocketChannel detachSocket() {
        return readBuffer.hasRemaining() || assembler.inFrame() ? null : socket;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closer.close();
    }

    @Override
    public String toString() {
        return "FrameChannel[" + peer + "]";
    }
}
