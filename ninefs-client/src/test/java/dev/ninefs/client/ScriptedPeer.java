// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ninefs.protocol.Codec;
import dev.ninefs.protocol.Frame;
import dev.ninefs.protocol.Message;
import dev.ninefs.protocol.Qid;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The server end of a real loopback TCP connection, driven frame by frame by a test: it reads exactly what the
 * client sent and answers only what the test tells it to, when it tells it to. A protocol test peer, not a server.
 */
final class ScriptedPeer implements AutoCloseable {
    static final Qid ROOT_QID = new Qid(Qid.QTDIR, 0, 1);

    private final ServerSocket listener;
    private final ServerSocketChannel unixListener;
    private final Path unixPath;
    private Closeable socket;
    private DataInputStream in;
    private OutputStream out;

    /** On a free TCP port of 127.0.0.1. */
    ScriptedPeer() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        unixListener = null;
        unixPath = null;
    }

    /** On a Unix domain socket at {@code path}. */
    ScriptedPeer(Path path) throws IOException {
        listener = null;
        unixPath = path;
        unixListener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unixListener.bind(UnixDomainSocketAddress.of(path));
    }

    String uri() {
        return listener != null ? "tcp://127.0.0.1:" + listener.getLocalPort() : "unix:" + unixPath;
    }

    /** A connected client attached to a root of fid 0: version and attach answered by the script. */
    record Session(Connection connection, RemoteFile root) {}

    Session connectAndAttach(ClientOptions options) throws Exception {
        CompletableFuture<Connection> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return Connection.open(uri(), options);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().start(task));
        accept();
        Frame version = read();
        Message.Tversion tv = assertInstanceOf(Message.Tversion.class, version.message());
        reply(Message.NOTAG, new Message.Rversion(tv.msize(), "9P2000.L"));
        Connection connection = connecting.get();
        CompletableFuture<RemoteFile> attaching = CompletableFuture.supplyAsync(() -> {
            try {
                return connection.attach("user", "", 1000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().start(task));
        Frame attach = read();
        assertEquals(0, assertInstanceOf(Message.Tattach.class, attach.message()).fid());
        reply(attach.tag(), new Message.Rattach(ROOT_QID));
        return new Session(connection, attaching.get());
    }

    void accept() throws IOException {
        if (listener != null) {
            listener.setSoTimeout(10_000);
            Socket tcp = listener.accept();
            tcp.setSoTimeout(10_000); // a test waiting for a frame that never comes fails instead of hanging
            socket = tcp;
            in = new DataInputStream(tcp.getInputStream());
            out = tcp.getOutputStream();
        } else {
            SocketChannel unix = unixListener.accept(); // the test's @Timeout bounds these waits
            socket = unix;
            in = new DataInputStream(Channels.newInputStream(unix));
            out = Channels.newOutputStream(unix);
        }
    }

    /** The next frame the client sent. */
    Frame read() throws IOException {
        byte[] frame = readRaw();
        return Codec.decode(ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN));
    }

    <T extends Message.Request> T read(Class<T> type, int[] tagOut) throws IOException {
        Frame f = read();
        tagOut[0] = f.tag();
        return assertInstanceOf(type, f.message());
    }

    private byte[] readRaw() throws IOException {
        byte[] size = new byte[4];
        in.readFully(size);
        int n = ByteBuffer.wrap(size).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] frame = new byte[n];
        System.arraycopy(size, 0, frame, 0, 4);
        in.readFully(frame, 4, n - 4);
        return frame;
    }

    /** Whether the client closed its end (the next read finds end of stream). */
    boolean clientClosed() throws IOException {
        try {
            readRaw();
            return false;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException | ClosedChannelException e) {
            return true; // reset, or our own end closed
        }
    }

    void reply(int tag, Message message) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(Codec.encodedSize(message)).order(ByteOrder.LITTLE_ENDIAN);
        Codec.encode(tag, message, frame);
        sendRaw(frame.array());
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static Message.Rgetattr attrOfSize(long size) {
        return new Message.Rgetattr(0x3fff, new Qid(0, 0, 7), 0100644, 0, 0, 1, 0, size, 4096, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (listener != null) {
            listener.close();
        } else {
            unixListener.close();
            Files.deleteIfExists(unixPath);
        }
    }
}
