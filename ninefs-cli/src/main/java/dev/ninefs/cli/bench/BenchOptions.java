// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.cli.RemotePath;
import dev.ninefs.client.ClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * One bench run, as the command line describes it.
 *
 * @param target where to work: the server, the aname, and a directory inside the export under which the
 *     {@code ninefs-bench} fixture directory is made
 * @param connections 9P connections opened
 * @param depth requests in flight on each connection (one load lane each)
 * @param warmup run before measuring, not counted (errors in it are)
 * @param duration measured
 * @param msize asked for in Tversion; the server may grant less
 * @param blockSize bytes per read or write operation
 * @param fileSize size of the prepared file read and written
 * @param random random block-aligned offsets instead of sequential ones
 * @param entries files in the directory the readdir workload lists
 * @param uname user name sent in Tattach
 * @param uid numeric user id sent in Tattach (n_uname); -1 for none
 * @param keep leave the fixtures on the server for the next run instead of removing them
 * @param spin how long a lane waiting alone for its reply polls the socket first (the client library's
 *     {@link ClientOptions#spin}); zero never polls
 */
record BenchOptions(RemotePath target, Workload workload, int connections, int depth, Duration warmup,
        Duration duration, int msize, int blockSize, long fileSize, boolean random, int entries, String uname,
        int uid, boolean keep, Duration spin) {

    /** With the client library's default spin. */
    BenchOptions(RemotePath target, Workload workload, int connections, int depth, Duration warmup,
            Duration duration, int msize, int blockSize, long fileSize, boolean random, int entries, String uname,
            int uid, boolean keep) {
        this(target, workload, connections, depth, warmup, duration, msize, blockSize, fileSize, random, entries,
                uname, uid, keep, ClientOptions.DEFAULT_SPIN);
    }

    BenchOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(spin, "spin");
        positive("connections", connections);
        positive("depth", depth);
        positive("block size", blockSize);
        if (connections > 10_000 || depth > 1024) {
            throw new IllegalArgumentException("at most 10000 connections and 1024 in flight per connection");
        }
        if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive and the warm-up not negative");
        }
        if (msize < 4096) {
            throw new IllegalArgumentException("msize must be at least 4096: " + msize);
        }
        if (workload.movesData && fileSize < blockSize) {
            throw new IllegalArgumentException("file size " + fileSize + " is smaller than the block size "
                    + blockSize);
        }
        if (spin.isNegative() || spin.compareTo(ClientOptions.MAX_SPIN) > 0) {
            throw new IllegalArgumentException("spin must be between 0 and " + ClientOptions.MAX_SPIN.toNanos() / 1000
                    + " us, not " + spin.toNanos() / 1000 + " us");
        }
        if (entries < 0) {
            throw new IllegalArgumentException("entries must not be negative: " + entries);
        }
    }

    private static void positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + value);
        }
    }

    /** Blocks in the prepared file. */
    long blocks() {
        return fileSize / blockSize;
    }
}
