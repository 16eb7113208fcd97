// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Whether a thread that waits alone for the other end (a client for its reply, a server for the next request of a
 * client that sends one at a time) polls its socket for a moment before it sleeps. On a virtual machine a round
 * trip is dominated by waking an idle vCPU (a halted vCPU needs the hypervisor to run it again): measured here, a
 * 1-byte TCP ping-pong made 14-17k round trips/s on quiet CPUs and 40-60k/s on busy ones. A thread that keeps its
 * CPU busy for the few tens of microseconds the other end takes gets the bytes without that wake-up: 2-3x the
 * round trips on a quiet machine.
 *
 * <p>On a machine whose CPUs are all busy the same polling takes a CPU from the thread that would answer, and
 * round trips get slower instead. So the choice is measured, not assumed: the time of each wait-and-work cycle is
 * recorded, and every {@link #ROUND} cycles a few run the other way; whichever way gives the shorter cycles is
 * kept. Bounded besides: one poll lasts at most the budget; a poll that did not see its bytes makes the next ones
 * be skipped for a while, longer after each miss in a row (a slow operation costs a poll now and then, not one per
 * request); and no more than half the CPUs (at least one) poll at once in this process.
 *
 * <p>One instance per waiting role (a connection's reader); not thread-safe.
 */
public final class Spin {
    /**
     * 50 us: a fast reply or a client's next request over loopback comes within that, and catching it without
     * sleeping saves the wake-up of an idle vCPU, which costs more than the request itself.
     */
    public static final Duration DEFAULT = Duration.ofNanos(50_000);
    /** The longest spin accepted: beyond it, sleeping costs less than the CPU burnt. */
    public static final Duration MAX = Duration.ofMillis(1);

    /** Cycles per round: most in the way that measured better, the last {@link #PROBE} the other way. */
    static final int ROUND = 1024;
    static final int PROBE = 32;
    /** A cycle longer than this is an idle client, not a measure of either way. */
    private static final long CYCLE_CAP = 2_000_000;
    private static final int MAX_SKIP = 64;
    private static final int MAX_SPINNERS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private static final AtomicInteger SPINNERS = new AtomicInteger();

    /** One poll: true when the bytes waited for are there (it may have read them). */
    public interface Poll {
        boolean ready() throws IOException;
    }

    private final long budget;
    private final LongSupplier clock;
    private boolean spinning = true;
    private long lastCycle;
    private int cycle;
    private long keptSum;
    private int keptCount;
    private long probeSum;
    private int probeCount;
    private int skip;
    private int skipAfterMiss = 1;

    /** A spin of at most {@code budget} each time; zero never spins. */
    public Spin(Duration budget) {
        this(budget, System::nanoTime);
    }

    Spin(Duration budget, LongSupplier clock) {
        this.budget = check(budget).toNanos();
        this.clock = clock;
    }

    /** {@code budget}, if it is a spin duration this class accepts: 0 to {@link #MAX}. */
    public static Duration check(Duration budget) {
        if (budget.isNegative() || budget.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("spin must be between 0 and " + MAX.toNanos() / 1000 + " us, not "
                    + budget.toNanos() / 1000 + " us");
        }
        return budget;
    }

    /**
     * A wait begins (once per cycle: per request a server reads, per reply a client awaits). Accounts the cycle
     * that ended; true if this wait should {@link #poll} before it sleeps.
     */
    public boolean begin() {
        if (budget == 0) {
            return false;
        }
        long now = clock.getAsLong();
        boolean probing = cycle >= ROUND - PROBE;
        if (lastCycle != 0) {
            long length = Math.min(now - lastCycle, CYCLE_CAP);
            if (probing) {
                probeSum += length;
                probeCount++;
            } else {
                keptSum += length;
                keptCount++;
            }
        }
        lastCycle = now;
        if (++cycle == ROUND) {
            // The probe's cycles were shorter on average by 5% or more: the other way is better now.
            if (probeCount > 0 && keptCount > 0 && probeSum * keptCount * 20 < keptSum * probeCount * 19) {
                spinning = !spinning;
            }
            cycle = 0;
            keptSum = probeSum = 0;
            keptCount = probeCount = 0;
        }
        boolean spinNow = spinning != (cycle >= ROUND - PROBE);
        if (spinNow && skip > 0) {
            skip--;
            return false;
        }
        return spinNow;
    }

    /**
     * Polls until {@code poll} is ready or the budget is spent, unless too many threads poll already. True if it
     * became ready.
     */
    public boolean poll(Poll poll) throws IOException {
        if (SPINNERS.incrementAndGet() > MAX_SPINNERS) {
            SPINNERS.decrementAndGet();
            return false;
        }
        boolean hit = false;
        try {
            long deadline = clock.getAsLong() + budget;
            do {
                if (poll.ready()) {
                    hit = true;
                    break;
                }
                Thread.onSpinWait();
            } while (clock.getAsLong() - deadline < 0);
        } finally {
            SPINNERS.decrementAndGet();
        }
        if (hit) {
            skipAfterMiss = 1;
        } else {
            skip = skipAfterMiss;
            skipAfterMiss = Math.min(MAX_SKIP, skipAfterMiss * 2);
        }
        return hit;
    }

    /** Whether polling is the way kept now (for tests and reports). */
    public boolean spinning() {
        return spinning;
    }
}
