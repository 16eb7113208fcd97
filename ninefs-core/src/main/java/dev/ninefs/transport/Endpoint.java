// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where a server listens or a client connects: {@code tcp://HOST:PORT} (IPv4, or IPv6 in brackets),
 * {@code unix:/PATH} (also {@code unix:///PATH}), or {@code fd:IN,OUT} (an inherited pair of file
 * descriptors, {@code fd:0,1} for stdin/stdout).
 *
 * <p>All three end up in one {@link StreamFrameChannel}; {@link #toString()} gives the URI back.
 */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Unix, Endpoint.Fd {

    /** TCP on {@code host} (a name, an IPv4 address or an IPv6 address without brackets); port 0 = any free port. */
    record Tcp(String host, int port) implements Endpoint {
        public Tcp {
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("tcp endpoint needs a host");
            }
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("tcp port out of range 0..65535: " + port);
            }
        }

        @Override
        public FrameChannel connect() throws IOException {
            return StreamFrameChannel.of(SocketChannel.open(SocketListener.resolve(this)));
        }

        @Override
        public Listener listen() throws IOException {
            return SocketListener.bind(this);
        }

        @Override
        public String toString() {
            return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A Unix domain stream socket at {@code path}. */
    record Unix(Path path) implements Endpoint {
        @Override
        public FrameChannel connect() throws IOException {
            return StreamFrameChannel.of(SocketChannel.open(UnixDomainSocketAddress.of(path)));
        }

        @Override
        public Listener listen() throws IOException {
            return SocketListener.bind(this);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * An inherited pair of file descriptors: frames are read from {@code in} and written to {@code out}. See
     * {@link FdChannels} for which descriptors work and how socat or QEMU can provide them.
     */
    record Fd(int in, int out) implements Endpoint {
        public Fd {
            if (in < 0 || out < 0) {
                throw new IllegalArgumentException("file descriptors are not negative: " + in + "," + out);
            }
        }

        @Override
        public FrameChannel connect() throws IOException {
            return FdChannels.open(this);
        }

        @Override
        public Listener listen() throws IOException {
            return new FdListener(this);
        }

        @Override
        public String toString() {
            return "fd:" + in + "," + out;
        }
    }

    /** Parses a URI of one of the forms above; IllegalArgumentException with a clear message otherwise. */
    static Endpoint parse(String uri) {
        return EndpointSyntax.parse(uri);
    }

    /** Connects a client (for fd, wraps the descriptors). */
    FrameChannel connect() throws IOException;

    /** Starts listening (for fd, a listener that yields its one connection once). */
    Listener listen() throws IOException;
}
