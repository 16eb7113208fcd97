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

    /** Releases what the export holds. Called once, after every node is closed. */
    @Override
    default void close() {}
}
