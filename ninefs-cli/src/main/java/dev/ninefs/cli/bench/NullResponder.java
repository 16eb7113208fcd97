// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A 9P2000.L peer that answers every request at once with a canned reply of the right type and touches no file
 * system: the fastest server there can be, so that a bench run against it shows the load generator's own ceiling.
 *
 * <p>Version negotiation is real (msize, "9P2000.L" or "unknown"); everything else is canned: every walk succeeds,
 * reads return zeros, writes write everything, readdir lists a fake directory of {@code f000000...} entries. Each
 * connection is one virtual thread that parses every frame a read brought in and answers them all with one write.
 */
final class NullResponder implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Endpoint endpoint;
    private final Path socketFile;
    private final int maxMsize;
    private final NullReplies replies;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private NullResponder(ServerSocketChannel server, Endpoint endpoint, Path socketFile, int maxMsize,
            NullReplies replies) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
        this.maxMsize = maxMsize;
        this.replies = replies;
        this.acceptor = Thread.ofVirtual().name("null-accept").unstarted(this::acceptLoop);
    }

    /**
     * Listens on {@code endpoint} (tcp or unix; port 0 picks a free port).
     *
     * @param fileSize the size Rgetattr reports
     * @param entries how many entries the fake directory lists
     */
    static NullResponder start(Endpoint endpoint, int maxMsize, long fileSize, int entries) throws IOException {
        if (maxMsize < 4096) {
            throw new IllegalArgumentException("msize must be at least 4096: " + maxMsize);
        }
        NullReplies replies = new NullReplies(fileSize, entries);
        NullResponder responder = switch (endpoint) {
            case Endpoint.Tcp tcp -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                s.bind(new InetSocketAddress(tcp.host(), tcp.port()), 1024);
                int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
                yield new NullResponder(s, new Endpoint.Tcp(tcp.host(), port), null, maxMsize, replies);
            }
            case Endpoint.Unix unix -> {
                ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                s.bind(UnixDomainSocketAddress.of(unix.path()), 1024);
                yield new NullResponder(s, unix, unix.path(), maxMsize, replies);
            }
            case Endpoint.Fd fd -> throw new IllegalArgumentException("the null responder listens on tcp or unix only");
        };
        responder.acceptor.start();
        return responder;
    }

    /** Where it listens (with the real port). */
    Endpoint endpoint() {
        return endpoint;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(channel);
            // A platform thread: one blocking read is one wake-up, as in the loopback ping-pong, so the ceiling
            // this measures is the generator's and not the JDK's virtual-thread poller's (a few connections only).
            Thread.ofPlatform().daemon().name("null-conn").start(() -> serve(channel));
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            new NullSession(channel, maxMsize, replies).run();
        } catch (IOException e) {
            // The peer went away or broke the protocol: that connection ends, nothing else to do.
        } finally {
            open.remove(channel);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (socketFile != null) {
            Files.deleteIfExists(socketFile);
        }
    }
}
