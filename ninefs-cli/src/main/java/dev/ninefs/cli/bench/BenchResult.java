// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import java.util.Map;

/**
 * The figures of one run. Every figure comes from successful operations only; failures are in {@link #errors}.
 *
 * @param msize what the server granted (on the first connection)
 * @param measuredNanos the length of the measuring window
 * @param latencies one value per successful operation in the window
 * @param bytes file data moved by those operations
 * @param errors failures by kind, over the whole run (warm-up and preparation included)
 * @param deadLanes lanes that stopped early because their connection failed
 * @param serverCpuNanos CPU time the server process used in the window (all of it, whoever it served); -1 when
 *     not measured
 * @param clientCpuNanos CPU time this process (the load generator) used in the window
 */
record BenchResult(BenchOptions options, int msize, long measuredNanos, LatencyHistogram latencies, long bytes,
        Map<String, ErrorTally.Kind> errors, int deadLanes, long serverCpuNanos, long clientCpuNanos) {

    long ops() {
        return latencies.count();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(ErrorTally.Kind::count).sum();
    }

    /** Whether the run is clean: no failed operation, no lane lost. */
    boolean ok() {
        return errorCount() == 0 && deadLanes == 0;
    }

    double seconds() {
        return measuredNanos / 1e9;
    }

    double opsPerSecond() {
        return measuredNanos == 0 ? 0 : ops() / seconds();
    }

    /** Server CPU microseconds per successful operation, or -1 when not measured (or nothing succeeded). */
    double serverMicrosPerOp() {
        return serverCpuNanos < 0 || ops() == 0 ? -1 : serverCpuNanos / 1e3 / ops();
    }

    /** The load generator's CPU microseconds per successful operation; -1 when nothing succeeded. */
    double clientMicrosPerOp() {
        return ops() == 0 ? -1 : clientCpuNanos / 1e3 / ops();
    }

    /** Decimal megabytes (10^6 bytes) per second of file data. */
    double megabytesPerSecond() {
        return measuredNanos == 0 ? 0 : bytes / seconds() / 1e6;
    }
}
