// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import java.time.Instant;

/**
 * A file time, seconds and nanoseconds since the epoch. Immutable, so an inode can publish a new one through a
 * volatile field without a lock (reads update atime while only holding the file's read lock).
 */
record Timestamp(long sec, long nsec) {
    static final Timestamp EPOCH = new Timestamp(0, 0);

    static Timestamp now() {
        Instant now = Instant.now();
        return new Timestamp(now.getEpochSecond(), now.getNano());
    }
}
