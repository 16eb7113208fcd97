// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

/**
 * Latencies in nanoseconds, counted in logarithmic buckets with a bounded relative error, in the manner of
 * HdrHistogram: values below 2^{@value #SUB_BITS} have a bucket each; above that every power of two is split into
 * 2^({@value #SUB_BITS}-1) buckets of equal width, so a bucket is never wider than 1/128 of the values in it.
 * Recording is an index computation and an array increment: no allocation, no lock.
 *
 * <p>Not thread-safe: each load lane owns one, and the lanes' histograms are {@link #add merged} after the run.
 */
final class LatencyHistogram {
    static final int SUB_BITS = 8;
    private static final int LINEAR = 1 << SUB_BITS;
    private static final int HALF = LINEAR >>> 1;
    /** Groups g = 1..(63 - SUB_BITS) cover [2^(SUB_BITS+g-1), 2^(SUB_BITS+g)): every non-negative long. */
    private static final int BUCKETS = LINEAR + (63 - SUB_BITS) * HALF;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    /** Records one value; negative values (a clock that stepped back) count as 0. */
    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    /** Adds every value recorded in {@code other} to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    /** The largest value recorded, exactly; 0 when empty. */
    long max() {
        return max;
    }

    /** The smallest value recorded, exactly; 0 when empty. */
    long min() {
        return count == 0 ? 0 : min;
    }

    double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The value at {@code percentile} (0 to 100): the highest value of the bucket holding that rank, clamped to the
     * exact minimum and maximum, so p100 is the maximum and the error is one bucket's width at most. 0 when empty.
     */
    long percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.clamp(highestIn(i), min, max);
            }
        }
        return max;
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int group = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS + 1;
        return LINEAR + (group - 1) * HALF + (int) ((v >>> group) - HALF);
    }

    /** The lowest value that falls in bucket {@code index}. */
    static long lowestIn(int index) {
        if (index < LINEAR) {
            return index;
        }
        int k = index - LINEAR;
        int group = k / HALF + 1;
        return (long) (HALF + k % HALF) << group;
    }

    /** The highest value that falls in bucket {@code index}. */
    static long highestIn(int index) {
        if (index < LINEAR) {
            return index;
        }
        int group = (index - LINEAR) / HALF + 1;
        long low = lowestIn(index);
        return low + (1L << group) - 1;
    }
}
