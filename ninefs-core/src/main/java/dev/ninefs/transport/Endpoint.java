// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;

/**
 * Where a server listens or a client connects: {@code tcp://HOST:PORT} (IPv4, or IPv6 in brackets),
 * {@code unix:/PATH} (also {@code unix:///PATH}), or {@code fd:IN,OUT} (an inherited pair of file
 * descriptors, {@code fd:0,1} for stdin/stdout).
 *
 * <p>TO BE IMPLEMENTED (transport helper): parse, connect, listen.
 */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Unix, Endpoint.Fd {

    record Tcp(String host, int port) implements Endpoint {}

    record Unix(java.nio.file.Path path) implements Endpoint {}

    record Fd(int in, int out) implements Endpoint {}

    /** Parses a URI of one of the forms above; IllegalArgumentException with a clear message otherwise. */
    static Endpoint parse(String uri) {
        throw new UnsupportedOperationException("transport");
    }

    /** Connects a client. */
    default FrameChannel connect() throws IOException {
        throw new UnsupportedOperationException("transport");
    }

    /** Starts listening (for fd, a listener that yields its one connection once). */
    default Listener listen() throws IOException {
        throw new UnsupportedOperationException("transport");
    }
}
