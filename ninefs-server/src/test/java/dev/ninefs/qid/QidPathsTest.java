// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ninefs.protocol.ErrnoException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * multidevs=remap's mapping over synthetic (device, inode) streams: never two pairs on one path, whatever the inode
 * numbers (bit 63, bit 62, overlayfs-style layer numbers in the high bits, values on the fast path's limit, random
 * 64-bit), the same path every time, bounded tables.
 */
@Timeout(60)
class QidPathsTest {

    @Test
    void everyDeviceCodeReadsBackFromTheLowBitsAloneSoNoCodeIsAPrefixOfAnother() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 1; n <= 0xffff; n++) {
            long code = QidPaths.code(n);
            int bits = QidPaths.codeBits(n);
            assertTrue(bits <= QidPaths.MAX_CODE_BITS && code >>> bits == 0, "code of " + n + " fits its length");
            // Whatever follows the code, the decoder finds n: so the code of n is no low-end prefix of another code
            // (that other code would then read back as n).
            for (long rest : new long[] {0, -1L, random.nextLong()}) {
                long path = (rest << bits | code) & Long.MAX_VALUE;
                assertEquals(n, QidPaths.index(path), "index of code " + n + " followed by " + Long.toHexString(rest));
            }
        }
        assertEquals(1, QidPaths.code(1));
        assertEquals(1, QidPaths.codeBits(1));
        assertEquals(31, QidPaths.codeBits(0xffff));
    }

    @Test
    void millionsOfPairsAcrossManyDevicesWithAdversarialHighBitsNeverShareAPath() throws ErrnoException {
        QidPaths paths = new QidPaths();
        long[][] streams = streams(256, 14_000, 7);
        int total = Arrays.stream(streams).mapToInt(s -> s.length - 1).sum();
        long[] seen = new long[total];
        int at = 0;
        for (long[] s : streams) {
            for (int i = 1; i < s.length; i++) {
                seen[at++] = paths.path(s[0], s[i]);
            }
        }
        assertTrue(total >= 3_000_000, total + " pairs");
        assertAllDistinct(seen);
        assertEquals(streams.length, paths.devices(), "one device entry per device");
        // The range path was taken, by exactly the pairs that do not fit the fast path, keyed on ranges, not files.
        long ranged = Arrays.stream(seen).filter(p -> p < 0).count();
        assertTrue(ranged > 100_000, ranged + " pairs on the range path");
        assertTrue(paths.ranges() < ranged / 10, paths.ranges() + " ranges for " + ranged + " ranged pairs");
        System.out.printf("QidPaths: %,d pairs on %d devices, %,d on the range path in %,d ranges, no collision%n",
                total, streams.length, ranged, paths.ranges());
    }

    @Test
    void theSamePairAlwaysGetsTheSamePathAlsoWhenThreadsDiscoverDevicesTogether() throws Exception {
        long[][] streams = streams(64, 4_000, 11);
        QidPaths reference = new QidPaths();
        long[][] first = mapAll(reference, streams);
        assertSamePaths(first, mapAll(reference, streams), "repeated lookups");

        // A fresh table filled by four threads at once, each in its own order: all agree, and nothing collides.
        QidPaths shared = new QidPaths();
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<long[][]>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            tasks.add(() -> {
                start.await();
                return mapShuffled(shared, streams, seed);
            });
        }
        List<long[][]> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<long[][]> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
        }
        for (long[][] r : results) {
            assertSamePaths(results.get(0), r, "threads agree");
        }
        assertAllDistinct(Arrays.stream(results.get(0)).flatMapToLong(Arrays::stream).toArray());
        assertEquals(streams.length, shared.devices());
    }

    /**
     * QEMU's flaw, as a regression test: a device whose first inodes got a short code, then inodes with high bits that
     * a longer code shifts out. Here 2^63|5 and 2^63|2^62|5 differ only in bit 62 and still get two paths.
     */
    @Test
    void inodesThatDifferOnlyInBitsALongerCodeWouldShiftOutGetTwoPaths() throws ErrnoException {
        QidPaths paths = new QidPaths();
        long a = 0x803;
        for (int other = 1; other <= 40; other++) {
            paths.path(other * 1000L, 5); // later devices: longer codes
        }
        long low = paths.path(a, 5);
        long high = paths.path(a, Long.MIN_VALUE | 5);
        long higher = paths.path(a, Long.MIN_VALUE | 1L << 62 | 5);
        assertEquals(3, Arrays.stream(new long[] {low, high, higher}).distinct().count());

        // For every code length, an inode and each of its 63 one-bit neighbours: 64 distinct paths.
        for (int n : new int[] {1, 2, 4, 8, 16, 100, 1000, 20_000, 0xffff}) {
            QidPaths p = new QidPaths();
            for (int d = 1; d < n; d++) {
                p.device(-d);
            }
            long dev = 42;
            assertEquals(QidPaths.codeBits(n), p.device(dev).bits(), "device " + n + "'s code length");
            long[] got = new long[65];
            got[64] = p.path(dev, 0x1234);
            for (int bit = 0; bit < 64; bit++) {
                got[bit] = p.path(dev, 0x1234 ^ 1L << bit);
            }
            assertAllDistinct(got);
            int k = QidPaths.codeBits(n);
            assertTrue(got[62 - k] >= 0, "bit " + (62 - k) + " still fits the fast path of a " + k + "-bit code");
            assertTrue(got[63 - k] < 0, "bit " + (63 - k) + " does not fit a " + k + "-bit code");
        }
    }

    @Test
    void devicesBeyondTheLastCodeUseOnlyTheRangePathAndStillNeverCollide() throws ErrnoException {
        QidPaths paths = new QidPaths();
        int devices = 0xffff + 1_000;
        long[] seen = new long[devices * 3];
        for (int d = 0; d < devices; d++) {
            seen[3 * d] = paths.path(d, 2);
            seen[3 * d + 1] = paths.path(d, 3);
            seen[3 * d + 2] = paths.path(d, 1L << 40 | 2);
        }
        assertAllDistinct(seen);
        assertTrue(seen[3 * 0xffff - 3] >= 0, "the 65,535th device still has a code");
        assertTrue(seen[3 * 0xffff] < 0, "the 65,536th has none");
        assertEquals(devices, paths.devices());
        // Codeless devices: one range each for 2 and 3, one for 2^40|2; coded ones: a range for 2^40|2 only if it
        // does not fit (their codes leave at least 32 bits, so it fits up to 22-bit codes).
        assertTrue(paths.ranges() <= 2 * devices, paths.ranges() + " ranges");
    }

    @Test
    void tablesStayBoundedAndTheFastPathIsCheap() throws Exception {
        QidPaths paths = new QidPaths();
        int devices = 20_000;
        long before = allocatedBytes();
        for (int d = 0; d < devices; d++) {
            paths.path(0x10000L + d, 1);
        }
        double bytesPerDevice = (double) (allocatedBytes() - before) / devices;
        assertTrue(bytesPerDevice < 400, bytesPerDevice + " bytes allocated per new device");

        // An overlayfs-like device: three layers' numbers in the top bits, 100,000 files each: three ranges.
        long overlay = 0x2d;
        int ranges = paths.ranges();
        for (long layer = 1; layer <= 3; layer++) {
            for (long ino = 0; ino < 100_000; ino++) {
                assertTrue(paths.path(overlay, layer << 60 | ino) < 0);
            }
        }
        assertEquals(ranges + 3, paths.ranges(), "one range per layer, not per file");

        // Lookups of known files add nothing to the tables.
        int[] sizes = {paths.devices(), paths.ranges()};
        long sink = 0;
        int rounds = 4_000_000;
        long[] devs = {0x10000L, 0x10001L, 0x10002L, 0x10003L};
        for (int warm = 0; warm < 2; warm++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                sink += paths.path(devs[i & 3], i >>> 2);
            }
            long ns = System.nanoTime() - t0;
            if (warm == 1) {
                double perLookup = (double) ns / rounds;
                System.out.printf("QidPaths: %.0f bytes allocated per new device, %.1f ns per fast-path lookup%n",
                        bytesPerDevice, perLookup);
                assertTrue(perLookup < 2_000, perLookup + " ns per lookup");
            }
        }
        assertNotEquals(0, sink);
        assertEquals(sizes[0], paths.devices());
        assertEquals(sizes[1], paths.ranges());
    }

    /**
     * {@code devices} streams, each {dev, distinct inodes...}: small sequential inodes shared by every device, bit 63,
     * bit 62 and overlayfs-style layer numbers in the high bits, inodes on both sides of each device's fast-path
     * limit, and random 64-bit ones.
     */
    private static long[][] streams(int devices, int perDevice, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[][] streams = new long[devices][];
        for (int d = 0; d < devices; d++) {
            long dev = switch (d) {
                case 0 -> 0;
                case 1 -> -1;
                case 2 -> Long.MIN_VALUE;
                default -> random.nextLong();
            };
            int k = QidPaths.codeBits(d + 1); // the code this device will get, being the (d+1)-th one seen
            long limit = 1L << (63 - k);
            long[] inos = new long[perDevice / 2 + 6 * (perDevice / 16) + 16 + 64];
            int n = 0;
            for (int i = 0; i < perDevice / 2; i++) {
                inos[n++] = i; // every device has these: raw inode numbers collide everywhere
            }
            for (long high : new long[] {Long.MIN_VALUE, 1L << 62, 1L << 61, 3L << 61, 1L << 59, 5L << 58}) {
                for (int i = 0; i < perDevice / 16; i++) {
                    inos[n++] = high | i;
                }
            }
            for (long around = -8; around < 8; around++) {
                inos[n++] = limit + around;
            }
            while (n < inos.length) {
                inos[n++] = random.nextLong();
            }
            long[] unique = Arrays.stream(inos, 0, n).sorted().distinct().toArray();
            streams[d] = new long[unique.length + 1];
            streams[d][0] = dev;
            System.arraycopy(unique, 0, streams[d], 1, unique.length);
        }
        return streams;
    }

    private static long[][] mapAll(QidPaths paths, long[][] streams) throws ErrnoException {
        long[][] out = new long[streams.length][];
        for (int d = 0; d < streams.length; d++) {
            out[d] = new long[streams[d].length - 1];
            for (int i = 1; i < streams[d].length; i++) {
                out[d][i - 1] = paths.path(streams[d][0], streams[d][i]);
            }
        }
        return out;
    }

    /** Maps every pair, visiting them in an order of its own, and returns the paths in stream order. */
    private static long[][] mapShuffled(QidPaths paths, long[][] streams, int seed) throws ErrnoException {
        List<int[]> order = new ArrayList<>();
        for (int d = 0; d < streams.length; d++) {
            for (int i = 1; i < streams[d].length; i++) {
                order.add(new int[] {d, i});
            }
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        long[][] out = new long[streams.length][];
        for (int d = 0; d < streams.length; d++) {
            out[d] = new long[streams[d].length - 1];
        }
        for (int[] p : order) {
            out[p[0]][p[1] - 1] = paths.path(streams[p[0]][0], streams[p[0]][p[1]]);
        }
        return out;
    }

    /**
     * Bytes this thread allocated so far (com.sun.management.ThreadMXBean, by reflection: the tests compile inside
     * module dev.ninefs.server, which does not read java.management). An upper bound of what a table keeps.
     */
    private static long allocatedBytes() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        return (Long) allocated.invoke(bean);
    }

    private static void assertAllDistinct(long[] paths) {
        long[] sorted = paths.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                fail("two pairs share qid.path 0x" + Long.toHexString(sorted[i]));
            }
        }
    }

    private static void assertSamePaths(long[][] expected, long[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int d = 0; d < expected.length; d++) {
            if (!Arrays.equals(expected[d], actual[d])) {
                fail(what + ": device " + d + " got other paths");
            }
        }
    }
}
