// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

/**
 * Where a run is: warming up, measuring, or stopping. One volatile read per operation edge; an operation counts
 * only if it both started and ended while measuring.
 */
final class Phase {
    static final int WARMUP = 0, MEASURE = 1, STOP = 2;

    private volatile int state = WARMUP;

    int get() {
        return state;
    }

    void set(int next) {
        state = next;
    }
}
