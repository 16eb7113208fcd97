// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import dev.ninefs.protocol.Message;
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
    /** size[4] type[1] tag[2] fid[4] offset[8] count[4]: a Twrite's bytes before its data. */
    private static final int TWRITE_DATA = 23;
    /** A Twrite with at least this much data still to come is handed out early ({@link FrameFill}). */
    static final int EARLY_REST = 128 << 10;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

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
    /** A Twrite handed out before its data was all in, and its buffer; the reader thread only. */
    private volatile FrameFill pending;
    private ByteBuffer pendingFrame;

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
        try {
            if (pending != null) {
                fillPending();
            }
            assembler.maxSize(maxSize);
            while (true) {
                ByteBuffer frame = assembler.next(readBuffer);
                if (frame != null) {
                    return frame;
                }
                // readBuffer is empty here.
                ByteBuffer partial = assembler.partialFrame();
                int n;
                if (partial != null && partial.remaining() >= READ_BUFFER) {
                    ByteBuffer early = handOutEarly(partial);
                    if (early != null) {
                        return early;
                    }
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

    /**
     * A large Twrite in a pooled direct buffer whose fields before the data are in: handed out now, with its data
     * still to come ({@link FrameFill}), so that the request can write to the file while the rest arrives. Null
     * for any other frame, or when most of it is here already.
     */
    private ByteBuffer handOutEarly(ByteBuffer partial) {
        if (!partial.isDirect() || partial.position() < TWRITE_DATA || partial.remaining() < EARLY_REST
                || partial.get(4) != Message.TWRITE) {
            return null;
        }
        int size = partial.limit();
        ByteBuffer whole = partial.duplicate().position(0).limit(size).order(partial.order());
        if (FrameBuffers.fillOf(whole) != null) {
            return null;
        }
        FrameFill fill = new FrameFill(whole, partial.position(), this::fillPending);
        FrameBuffers.attach(whole, fill);
        pending = fill;
        pendingFrame = whole;
        return whole;
    }

    /** Reads the rest of the frame handed out early, publishing progress; on the reader thread only. */
    private void fillPending() throws IOException {
        FrameFill fill = pending;
        if (fill == null) {
            return;
        }
        boolean ok = false;
        try {
            ByteBuffer partial = assembler.partialFrame();
            while (partial.hasRemaining()) {
                if (in.read(partial) < 0) {
                    throw new ProtocolException("end of stream inside a frame from " + peer);
                }
                fill.progress(partial.position());
            }
            assembler.next(EMPTY); // completes the frame, handed out already
            ok = true;
        } finally {
            pending = null;
            ByteBuffer frame = pendingFrame;
            pendingFrame = null;
            fill.end(frame, ok);
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
        return readBuffer.hasRemaining() || assembler.inFrame() || pending != null ? null : socket;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        FrameFill fill = pending;
        if (fill != null) {
            fill.abandon(); // a request waiting for the rest of its Twrite must not wait for a reader that stopped
        }
        closer.close();
    }

    @Override
    public String toString() {
        return "FrameChannel[" + peer + "]";
    }
}
