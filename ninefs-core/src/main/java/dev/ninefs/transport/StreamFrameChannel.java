// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.ProtocolException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one {@link FrameChannel} for every byte-stream transport: TCP and Unix domain sockets (a blocking
 * {@link SocketChannel} either way) and inherited file descriptors (a pair of channels on them).
 *
 * <p>Reading goes through a small direct buffer, so that many small pipelined requests cost one system call, and
 * a large frame's remainder is read straight into the frame (for a large Twrite a pooled direct buffer, see
 * {@link FrameBuffers}, so the bytes are copied once, by the kernel). A large Twrite is handed out before its data
 * is in ({@link FrameFill}); its request may have the rest moved from the socket's descriptor by a sink of its own
 * (splice into a file), which the reader thread drives ({@link SocketSplicer}). Writing takes a lock around a gathering
 * write, so concurrent writers never interleave and a header and its payload leave in one {@code writev}.
 * {@link #writeExclusive} lends the output under the same lock, for frames sent in parts, some by native calls on
 * the socket's descriptor (sendfile); {@link #close} waits for such a call before the descriptor is freed.
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
    /** How long the reader waits for a request to say whether it diverts its Twrite's data ({@link FrameFill}). */
    private static final long DECISION_NANOS = 5_000_000;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ReadableByteChannel in;
    private final GatheringByteChannel out;
    private final Closeable closer;
    /** The socket when there is one, for {@link #detachSocket}; null over file descriptors. */
    private final SocketChannel socket;
    private final String peer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The socket written to, for {@link #writeExclusive}'s native calls; null over file descriptors. */
    private final SocketChannel writeSocket;
    /**
     * Held around every native call on {@link #writeSocket}'s descriptor and by {@link #close} around closing it:
     * the JDK defers closing a descriptor its own calls are using, but knows nothing of ours.
     */
    private final ReentrantLock descriptorLock = new ReentrantLock();
    private final ConnectionOutput exclusive = new Exclusive();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER).flip();
    private final FrameAssembler assembler = new FrameAssembler(Integer.MAX_VALUE);
    private volatile boolean closed;
    /** A Twrite handed out before its data was all in, and its buffer; the reader thread only. */
    private volatile FrameFill pending;
    private ByteBuffer pendingFrame;
    /** The socket read from, directly or through a counting view; null over file descriptors. */
    private final SocketChannel readSocket;
    /** The socket's bytes-waiting probe for {@link #pollInput}; the reader thread only, made on first use. */
    private InputProbe probe;
    /** Sends the rest of a Twrite a request diverted from the socket to its sink; null without a socket fd. */
    private final SocketSplicer splicer;
    private final FrameFill.Reader fillReader = new FillReader();
    /** What sinks keep for this connection ({@link FrameFill#closeWithConnection}); guarded by itself. */
    private final List<AutoCloseable> closeWith = new ArrayList<>(1);

    private StreamFrameChannel(ReadableByteChannel in, GatheringByteChannel out, Closeable closer, String peer) {
        this.in = in;
        this.out = out;
        this.closer = closer;
        this.socket = in instanceof SocketChannel s && out == s ? s : null;
        this.readSocket = SocketSplicer.socketOf(in);
        this.splicer = SocketSplicer.of(in, peer);
        this.writeSocket = out instanceof SocketChannel s ? s : null;
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
                pending.awaitDecision(DECISION_NANOS);
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
        FrameFill fill = new FrameFill(whole, partial.position(), fillReader);
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
                FrameFill.Sink sink = fill.take();
                if (sink != null) {
                    int dataStart = fill.dataStart();
                    if (partial.position() > dataStart) {
                        sink.write(0, partial.slice(dataStart, partial.position() - dataStart));
                    }
                    splicer.sendRest(sink, dataStart, partial);
                    break;
                }
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

    /** What this channel does for the frames it hands out early. */
    private final class FillReader implements FrameFill.Reader {
        @Override
        public void fillRest() throws IOException {
            fillPending();
        }

        @Override
        public boolean canDivert() {
            return splicer != null;
        }

        @Override
        public void closeWithConnection(AutoCloseable resource) {
            synchronized (closeWith) {
                if (!closed) {
                    closeWith.add(resource);
                    return;
                }
            }
            closeQuietly(resource);
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // nothing left to do with it: the connection is gone
        }
    }

    /** Whether the socket holds bytes, asked without reading them; the reader thread's, made on first use. */
    @Override
    public boolean pollInput() throws IOException {
        if (readBuffer.hasRemaining() || pending != null || closed) {
            return true;
        }
        if (probe == null) {
            probe = probeOf(readSocket);
        }
        return probe.bytesWaiting();
    }

    /** Asks a socket whether bytes wait in it. */
    private interface InputProbe {
        boolean bytesWaiting() throws IOException;
    }

    /**
     * A TCP socket is asked through its adaptor's stream (FIONREAD, public API, no descriptor needed; the stream is
     * never closed, that would close the socket); a Unix domain socket, which has no adaptor, with FIONREAD on its
     * descriptor ({@link ReceiveQueue}) when the JVM allows both (a descriptor closed meanwhile answers -1: the read
     * that follows finds the channel closed). Anything else cannot tell.
     */
    private static InputProbe probeOf(SocketChannel socket) throws IOException {
        if (socket == null) {
            return () -> false;
        }
        try {
            InputStream stream = socket.socket().getInputStream();
            return () -> stream.available() > 0;
        } catch (UnsupportedOperationException e) {
            ReceiveQueue queue = SocketDescriptor.available() ? ReceiveQueue.ifAvailable() : null;
            return queue == null ? () -> false : () -> queue.length(SocketDescriptor.of(socket)) > 0;
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
            writeFully(buffers, total);
        } finally {
            writeLock.unlock();
        }
    }

    private void writeFully(ByteBuffer[] buffers, long total) throws IOException {
        while (total > 0) {
            total -= out.write(buffers);
        }
    }

    /** Runs {@code writer} under the write lock, with the socket's descriptor when there is one. */
    @Override
    public void writeExclusive(ConnectionOutput.Writer writer) throws IOException {
        writeLock.lock();
        try {
            writer.writeTo(exclusive);
        } finally {
            writeLock.unlock();
        }
    }

    /** The output {@link #writeExclusive} lends: the channel's own, used under its write lock. */
    private final class Exclusive implements ConnectionOutput {
        @Override
        public void write(ByteBuffer... buffers) throws IOException {
            check();
            long total = 0;
            for (ByteBuffer b : buffers) {
                total += b.remaining();
            }
            writeFully(buffers, total);
        }

        @Override
        public boolean hasDescriptor() {
            return writeSocket != null && SocketDescriptor.available();
        }

        @Override
        public long onDescriptor(DescriptorCall call) throws IOException {
            check();
            descriptorLock.lock();
            try {
                int fd = closed || writeSocket == null ? -1 : SocketDescriptor.of(writeSocket);
                if (fd < 0) {
                    throw new ClosedChannelException();
                }
                return call.call(fd);
            } finally {
                descriptorLock.unlock();
            }
        }

        private void check() {
            if (!writeLock.isHeldByCurrentThread()) {
                throw new IllegalStateException("a connection's output used outside writeExclusive");
            }
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
        if (splicer != null) {
            splicer.shut(); // a splice from the socket finishes first, and none starts after
        }
        synchronized (closeWith) {
            closeWith.forEach(StreamFrameChannel::closeQuietly);
            closeWith.clear();
        }
        descriptorLock.lock(); // a native call on the socket's descriptor finishes before the number is freed
        try {
            closer.close();
        } finally {
            descriptorLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FrameChannel[" + peer + "]";
    }
}
