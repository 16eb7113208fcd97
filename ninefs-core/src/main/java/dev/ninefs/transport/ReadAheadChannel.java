// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * An accepted socket's frame channel that knows whether bytes after the last frame it returned have arrived
 * already ({@link #inputWaiting}): it counts the bytes read from the socket and the bytes of the frames handed out;
 * the difference is what the frame reader holds. That is exact whatever the reader buffers, and costs two
 * additions per read.
 */
final class ReadAheadChannel implements FrameChannel {
    private final Counted in;
    private final StreamFrameChannel frames;
    /** Bytes of the frames returned; the reader thread only. */
    private long consumed;

    private ReadAheadChannel(Counted in, StreamFrameChannel frames) {
        this.in = in;
        this.frames = frames;
    }

    /** As {@link StreamFrameChannel#of(SocketChannel)}: blocking, and for TCP without Nagle's algorithm. */
    static ReadAheadChannel of(SocketChannel socket) throws IOException {
        socket.configureBlocking(true);
        String peer = "unix";
        if (socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            peer = "tcp " + describe((InetSocketAddress) socket.getRemoteAddress());
        }
        Counted in = new Counted(socket);
        return new ReadAheadChannel(in, StreamFrameChannel.of(in, socket, peer));
    }

    private static String describe(InetSocketAddress inet) {
        if (inet.getAddress() == null) {
            return String.valueOf(inet);
        }
        String host = inet.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    @Override
    public ByteBuffer readFrame(int maxSize) throws IOException {
        ByteBuffer frame = frames.readFrame(maxSize);
        if (frame != null) {
            consumed += frame.remaining();
        }
        return frame;
    }

    /**
     * Bytes past the frames handed out have arrived. A large Twrite handed out before its data was all in
     * ({@link FrameFill}) counts as consumed whole: the rest of its own frame is not input waiting, so a lone
     * Twrite may run on the reader, which then moves its data itself.
     */
    @Override
    public boolean inputWaiting() {
        return in.count > consumed;
    }

    @Override
    public boolean pollInput() throws IOException {
        return frames.pollInput();
    }

    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        frames.write(buffers);
    }

    @Override
    public void writeExclusive(ConnectionOutput.Writer writer) throws IOException {
        frames.writeExclusive(writer);
    }

    @Override
    public String peer() {
        return frames.peer();
    }

    @Override
    public void close() throws IOException {
        frames.close();
    }

    @Override
    public String toString() {
        return frames.toString();
    }

    /** The socket's reading side, counting what it delivers, and what is spliced around it. */
    private static final class Counted implements SocketSplicer.CountingInput {
        private final SocketChannel socket;
        /** Bytes read so far; written and read by the reader thread only. */
        long count;

        Counted(SocketChannel socket) {
            this.socket = socket;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = socket.read(dst);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public SocketChannel socket() {
            return socket;
        }

        @Override
        public void bypassed(long bytes) {
            count += bytes;
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
