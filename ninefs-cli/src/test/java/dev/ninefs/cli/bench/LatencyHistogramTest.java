// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    /** A bucket is at most 1/128 of its values wide. */
    private static final double ERROR = 1.0 / 128;

    @Test
    void bucketsTileEveryNonNegativeLongWithoutGapsOrOverlap() {
        long previousHigh = -1;
        for (int i = 0; ; i++) {
            long low = LatencyHistogram.lowestIn(i);
            long high = LatencyHistogram.highestIn(i);
            assertEquals(previousHigh + 1, low, "bucket " + i + " starts where the last ended");
            assertTrue(high >= low);
            assertEquals(i, LatencyHistogram.index(low));
            assertEquals(i, LatencyHistogram.index(high));
            if (high == Long.MAX_VALUE) {
                break;
            }
            previousHigh = high;
        }
    }

    @Test
    void smallValuesAreExactAndLargeOnesWithinTheRelativeError() {
        for (long v : new long[] {0, 1, 255, 256, 257, 1000, 12_345, 999_999, 123_456_789L, 1L << 40, Long.MAX_VALUE}) {
            int i = LatencyHistogram.index(v);
            long low = LatencyHistogram.lowestIn(i);
            long high = LatencyHistogram.highestIn(i);
            assertTrue(low <= v && v <= high, v + " in [" + low + ", " + high + "]");
            if (v < 256) {
                assertEquals(low, high);
            } else {
                assertTrue((high - low) <= v * ERROR, "bucket of " + v + " is " + (high - low) + " wide");
            }
        }
    }

    @Test
    void percentilesMatchSortedValuesWithinOneBucket() {
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // Log-normal-ish latencies from 10 us to 100 ms.
            values[i] = (long) (10_000 * Math.pow(10_000, random.nextDouble()));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            long got = h.percentile(p);
            assertTrue(got >= exact && got <= exact + exact * ERROR + 1, "p" + p + ": " + got + " vs " + exact);
        }
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values[values.length - 1], h.percentile(100));
        assertEquals(values[0], h.min());
        assertEquals(values.length, h.count());
    }

    @Test
    void mergingEqualsRecordingEverythingInOne() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram both = new LatencyHistogram();
        for (long v = 1; v < 5_000_000; v += 977) {
            (v % 3 == 0 ? a : b).record(v);
            both.record(v);
        }
        a.add(b);
        assertEquals(both.count(), a.count());
        assertEquals(both.max(), a.max());
        assertEquals(both.min(), a.min());
        assertEquals(both.mean(), a.mean(), 1e-9);
        for (double p : new double[] {0, 25, 50, 75, 99, 100}) {
            assertEquals(both.percentile(p), a.percentile(p), "p" + p);
        }
    }

    @Test
    void emptyHistogramReportsZerosAndBadPercentilesAreRefused() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentile(99));
        assertEquals(0, h.max());
        assertEquals(0, h.min());
        assertEquals(0, h.mean());
        assertThrows(IllegalArgumentException.class, () -> h.percentile(101));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(Double.NaN));
    }

    @Test
    void negativeValuesFromAClockStepCountAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        assertEquals(1, h.count());
        assertEquals(0, h.max());
    }
}
