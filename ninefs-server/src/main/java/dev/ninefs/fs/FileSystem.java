// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import dev.ninefs.protocol.ErrnoException;

/** One export: a tree of files a client attaches to by name. */
public interface FileSystem extends AutoCloseable {

    /**
     * The root of the export, seen by {@code user}. Every node walked from it acts for that user.
     *
     * @throws ErrnoException EACCES if the user may not attach, EIO if the backing store is unavailable
     */
    Node attach(User user) throws ErrnoException;

    /** Whether the export refuses every change (EROFS). */
    default boolean readOnly() {
        return false;
    }

    /**
     * Whether every call but fsync always returns in a short, bounded time: it touches memory or a local disk, and
     * never waits on the network, on a peer (a pipe, a FIFO being opened) or on a lock another client holds. The
     * server may then run a request on the connection's reader thread when nothing else is in flight on that
     * connection, which saves two thread hand-offs per request; meanwhile that connection reads nothing (a Tflush
     * for it waits until it is done). Default false. A decorator that may block must not forward it.
     */
    default boolean quickCalls() {
        return false;
    }

    /** Releases what the export holds. Called once, after every node is closed. */
    @Override
    default void close() {}
}
