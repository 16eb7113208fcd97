// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpinTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    /** Runs one round of cycles: each cycle lasts {@code polling} ns when it polls, {@code sleeping} ns when not. */
    private int round(Spin spin, long polling, long sleeping) throws Exception {
        int polled = 0;
        for (int i = 0; i < Spin.ROUND; i++) {
            boolean poll = spin.begin();
            if (poll) {
                polled++;
                assertTrue(spin.poll(() -> true));
            }
            now.addAndGet(poll ? polling : sleeping);
        }
        return polled;
    }

    @Test
    void keepsPollingWhileCyclesThatPollAreShorterAndProbesTheOtherWayOnlyBriefly() throws Exception {
        Spin spin = new Spin(Duration.ofNanos(50_000), now::get);
        for (int r = 0; r < 5; r++) {
            int polled = round(spin, 30_000, 80_000);
            assertTrue(spin.spinning());
            assertTrue(polled >= Spin.ROUND - Spin.PROBE - 1, "polled " + polled);
        }
    }

    @Test
    void stopsPollingWhenCyclesThatPollAreLongerAndComesBackWhenTheyAreShorterAgain() throws Exception {
        Spin spin = new Spin(Duration.ofNanos(50_000), now::get);
        round(spin, 60_000, 30_000);
        round(spin, 60_000, 30_000);
        assertFalse(spin.spinning(), "a busy machine: polling makes cycles longer");
        int polled = round(spin, 60_000, 30_000);
        assertTrue(polled <= Spin.PROBE + 1, "only the probe polls, " + polled);
        round(spin, 20_000, 70_000);
        round(spin, 20_000, 70_000);
        assertTrue(spin.spinning(), "the machine went quiet: polling pays again");
    }

    @Test
    void aPollThatMissesMakesTheNextOnesSkipLongerAfterEachMissInARow() throws Exception {
        Spin spin = new Spin(Duration.ofNanos(50_000), () -> now.addAndGet(10_000));
        int[] skipped = new int[4];
        for (int miss = 0; miss < 4; miss++) {
            while (!spin.begin()) {
                skipped[miss]++;
            }
            assertFalse(spin.poll(() -> false));
        }
        assertEquals("[0, 1, 2, 4]", java.util.Arrays.toString(skipped));
        while (!spin.begin()) {
            // the 8 cycles the fourth miss skips
        }
        assertTrue(spin.poll(() -> true));
        assertTrue(spin.begin(), "no skipping after a hit");
        assertFalse(spin.poll(() -> false));
        assertFalse(spin.begin(), "a miss after a hit skips one cycle again");
        assertTrue(spin.begin());
    }

    @Test
    void aZeroBudgetNeverPollsAndTheBudgetIsBounded() {
        Spin spin = new Spin(Duration.ZERO);
        for (int i = 0; i < 2 * Spin.ROUND; i++) {
            assertFalse(spin.begin());
        }
        assertThrows(IllegalArgumentException.class, () -> new Spin(Duration.ofMillis(2)));
        assertThrows(IllegalArgumentException.class, () -> new Spin(Duration.ofNanos(-1)));
    }

    @Test
    void noMoreThanHalfTheProcessorsPollAtOnce() throws Exception {
        int limit = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        CountDownLatch polling = new CountDownLatch(limit);
        AtomicBoolean release = new AtomicBoolean();
        Thread[] holders = new Thread[limit];
        for (int i = 0; i < limit; i++) {
            Spin held = new Spin(Spin.MAX, () -> 0L); // its time never runs out: it polls until released
            holders[i] = Thread.ofPlatform().start(() -> {
                try {
                    held.poll(() -> {
                        polling.countDown();
                        return release.get();
                    });
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
        polling.await();
        AtomicBoolean asked = new AtomicBoolean();
        boolean hit = new Spin(Spin.MAX).poll(() -> {
            asked.set(true);
            return true;
        });
        release.set(true);
        for (Thread t : holders) {
            t.join();
        }
        assertFalse(hit);
        assertFalse(asked.get(), "a poller over the limit does not poll at all");
    }
}
