// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

/** One client connection being served: a handle to watch it or cut it. */
public interface Connection extends AutoCloseable {

    /** A number unique among the server's connections, in log lines and lock owners. */
    long id();

    /** Who is on the other end, as the transport says it. */
    String peer();

    /** Blocks until the connection has ended and released every fid. */
    void awaitClosed() throws InterruptedException;

    /** Whether it has ended. */
    boolean isClosed();

    /** Ends the connection: requests in flight are cancelled and get no reply, fids are clunked. Returns at once. */
    @Override
    void close();
}
