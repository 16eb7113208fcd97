// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Accepts TCP or Unix domain connections through one blocking {@link ServerSocketChannel}; what differs between
 * the two is only the address and, for Unix, the socket file's life cycle.
 */
final class SocketListener implements Listener {
    private static final int BACKLOG = 256;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final ServerSocketChannel server;
    private final Endpoint endpoint;
    /** For Unix: our socket file and its identity, so that close removes it only if it is still ours. */
    private final Path socketFile;
    private final Object socketFileKey;

    private SocketListener(ServerSocketChannel server, Endpoint endpoint, Path socketFile, Object socketFileKey) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
        this.socketFileKey = socketFileKey;
    }

    static InetSocketAddress resolve(Endpoint.Tcp tcp) throws UnknownHostException {
        InetSocketAddress address = new InetSocketAddress(tcp.host(), tcp.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot resolve " + tcp.host() + " in " + tcp);
        }
        return address;
    }

    static Listener bind(Endpoint.Tcp tcp) throws IOException {
        InetSocketAddress address = resolve(tcp);
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true); // restart while old sockets linger
            server.bind(address, BACKLOG);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return new SocketListener(server, new Endpoint.Tcp(tcp.host(), port), null, null);
        } catch (BindException e) {
            server.close();
            throw new BindException(tcp + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    static Listener bind(Endpoint.Unix unix) throws IOException {
        Path path = unix.path();
        removeStaleSocket(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), BACKLOG);
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new SocketListener(server, unix, path, key);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * A socket file left by a server that died would make bind fail. Remove it, but only if it is a socket and
     * nobody answers on it: never a regular file, never a live server's socket.
     */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a socket; not removing it");
        }
        SocketChannel probe;
        try {
            probe = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (ConnectException refused) {
            Files.deleteIfExists(path);
            return;
        }
        probe.close();
        throw new BindException("a server is already listening on " + path);
    }

    @Override
    public FrameChannel accept() throws IOException {
        SocketChannel socket;
        try {
            socket = server.accept();
        } catch (ClosedChannelException e) {
            return null; // closed, possibly by another thread while we waited
        }
        try {
            return ReadAheadChannel.of(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws IOException {
        if (!server.isOpen()) {
            return;
        }
        server.close();
        if (socketFile != null) {
            try {
                Object key = Files.readAttributes(socketFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .fileKey();
                if (Objects.equals(key, socketFileKey)) {
                    Files.deleteIfExists(socketFile);
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // someone removed it already
            }
        }
    }

    @Override
    public String toString() {
        return "Listener[" + endpoint + "]";
    }
}
