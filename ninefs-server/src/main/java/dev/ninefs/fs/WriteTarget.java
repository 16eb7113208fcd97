// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file's descriptor, lent to a caller that moves bytes into the file itself instead of handing them to
 * {@link OpenFile#write} (the server splices a large Twrite's data from its socket into it, see
 * {@link OpenFile#writeTarget}). The descriptor stays open until {@link #close}, even if the file is closed
 * meanwhile; closing again does nothing.
 */
public final class WriteTarget implements AutoCloseable {
    private final int descriptor;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param descriptor a descriptor of a regular file, open for writing, without O_APPEND
     * @param release gives the descriptor back (run once, by {@link #close})
     */
    public WriteTarget(int descriptor, Runnable release) {
        if (descriptor < 0) {
            throw new IllegalArgumentException("not a descriptor: " + descriptor);
        }
        this.descriptor = descriptor;
        this.release = Objects.requireNonNull(release);
    }

    public int descriptor() {
        return descriptor;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    @Override
    public String toString() {
        return "WriteTarget[fd " + descriptor + "]";
    }
}
