// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * One request (or sequence, for composite operations) in flight at all times on its connection: a virtual thread
 * running its {@link Operation} back to back until the phase says stop. Its figures are plain fields, read by the
 * engine after joining the thread; only successful operations that started and ended while measuring count.
 *
 * <p>A failed operation is tallied and the lane goes on, unless the connection itself failed (any exception other
 * than an errno), in which case the lane stops: repeating a call on a dead connection would only count the same
 * failure a million times.
 */
final class Lane implements Runnable {
    private final Operation operation;
    private final Phase phase;
    private final ErrorTally errors;
    private final CountDownLatch finished;
    final LatencyHistogram latencies = new LatencyHistogram();
    long bytes;
    boolean died;

    Lane(Operation operation, Phase phase, ErrorTally errors, CountDownLatch finished) {
        this.operation = operation;
        this.phase = phase;
        this.errors = errors;
        this.finished = finished;
    }

    @Override
    public void run() {
        try {
            loop();
        } finally {
            finished.countDown();
        }
    }

    private void loop() {
        while (true) {
            int before = phase.get();
            if (before == Phase.STOP) {
                return;
            }
            long start = System.nanoTime();
            long moved;
            try {
                moved = operation.run();
            } catch (ErrnoException e) {
                errors.add(e);
                continue;
            } catch (IOException | RuntimeException e) {
                errors.add(e);
                died = true;
                return;
            }
            long end = System.nanoTime();
            if (before == Phase.MEASURE && phase.get() == Phase.MEASURE) {
                latencies.record(end - start);
                bytes += moved;
            }
        }
    }

    Operation operation() {
        return operation;
    }
}
