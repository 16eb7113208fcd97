// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/** Receives the entries of a directory listing, in order, until it says it is full. */
@FunctionalInterface
public interface DirSink {
    /** Takes {@code entry}; returns false, without taking it, when there is no room for it. */
    boolean accept(DirEntry entry);

    /**
     * A hint from a backend that knows it (a cached listing): about {@code entries} more entries are coming, so the
     * sink may size its storage once instead of growing it entry by entry. The default ignores it.
     */
    default void expect(int entries) {}
}
