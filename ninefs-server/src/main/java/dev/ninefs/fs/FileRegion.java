// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bytes of an open file that the server may send to a client straight from the file's descriptor (sendfile(2)),
 * without reading them into memory first: see {@link OpenFile#region}. The descriptor stays open until
 * {@link #close}, which the server calls once the bytes have been sent or the reply is dropped; closing again does
 * nothing.
 *
 * <p>The count was right when the region was made. If the file shrinks before the bytes are sent, reading it ends
 * early and the server makes up the difference with zeros (the reply's length is on the wire already).
 */
public final class FileRegion implements AutoCloseable {
    private final int descriptor;
    private final long offset;
    private final int count;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param descriptor an open descriptor of a regular file, readable
     * @param offset where the bytes start, not negative
     * @param count how many, at least 1
     * @param release gives the descriptor back (run once, by {@link #close})
     */
    public FileRegion(int descriptor, long offset, int count, Runnable release) {
        if (descriptor < 0 || offset < 0 || count <= 0) {
            throw new IllegalArgumentException("region " + descriptor + "@" + offset + "+" + count);
        }
        this.descriptor = descriptor;
        this.offset = offset;
        this.count = count;
        this.release = Objects.requireNonNull(release);
    }

    public int descriptor() {
        return descriptor;
    }

    public long offset() {
        return offset;
    }

    public int count() {
        return count;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    @Override
    public String toString() {
        return "FileRegion[fd " + descriptor + " @" + offset + " +" + count + "]";
    }
}
