// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ninefs.protocol.Dotl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many callers at once, as the server's virtual threads call a backend. */
abstract class ConcurrencyContract extends ReadOnlyContract {
    private static final int THREADS = 8;

    @Test
    void concurrentCreatesInOneDirectoryAreAllListed() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        int perThread = 100;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        Node.Created c = dir.create("t" + thread + "-" + i, Dotl.O_RDWR, 0644, fx().gid());
                        c.file().close();
                        c.node().close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        TreeSet<String> names = new TreeSet<>(fx().names(dir));
        assertEquals(THREADS * perThread, names.size());
    }

    @Test
    void concurrentWritersToDistinctRegionsOfOneFile() throws Exception {
        OpenFile file = fx().create(fx().root(), "f", Dotl.O_RDWR, 0644).file();
        int region = 100_000;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                byte fill = (byte) ('a' + t);
                long at = (long) t * region;
                done.add(pool.submit(() -> {
                    byte[] data = new byte[region];
                    Arrays.fill(data, fill);
                    for (int off = 0; off < region; off += 4096) {
                        int n = Math.min(4096, region - off);
                        ContractFixture.writeFully(file, at + off, Arrays.copyOfRange(data, off, off + n));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        byte[] all = ContractFixture.read(file, 0, THREADS * region + 1);
        assertEquals(THREADS * region, all.length);
        for (int t = 0; t < THREADS; t++) {
            byte[] expected = new byte[region];
            Arrays.fill(expected, (byte) ('a' + t));
            assertArrayEquals(expected, Arrays.copyOfRange(all, t * region, (t + 1) * region), "region " + t);
        }
    }
}
