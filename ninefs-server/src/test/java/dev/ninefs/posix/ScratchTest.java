// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reused native scratch memory of the hot system calls. */
@Timeout(60)
class ScratchTest {

    @Test
    void allocationsDoNotOverlapAndWhatDoesNotFitStillWorks() {
        try (Scratch s = Scratch.take()) {
            MemorySegment a = s.allocate(256, 8);
            MemorySegment b = s.allocateFrom("name", UTF_8);
            assertTrue(b.address() >= a.address() + 256 || b.address() + b.byteSize() <= a.address());
            MemorySegment big = s.allocate(Scratch.SIZE * 4, 8); // from the overflow arena
            big.set(ValueLayout.JAVA_LONG, Scratch.SIZE * 4 - 8, 42L);
            assertEquals(42L, big.get(ValueLayout.JAVA_LONG, Scratch.SIZE * 4 - 8));
            assertEquals("name", b.getString(0, UTF_8));
        }
    }

    /** Threads holding a scratch at the same time never share its memory. */
    @Test
    void scratchesHeldAtOnceAreDistinct() throws Exception {
        int threads = 40;
        CountDownLatch allHold = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> addresses = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger corrupted = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            long mark = i;
            started.add(Thread.ofVirtual().start(() -> {
                try (Scratch s = Scratch.take()) {
                    MemorySegment m = s.allocate(8, 8);
                    m.set(ValueLayout.JAVA_LONG, 0, mark);
                    addresses.add(m.address());
                    allHold.countDown();
                    release.await();
                    if (m.get(ValueLayout.JAVA_LONG, 0) != mark) {
                        corrupted.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        allHold.await();
        release.countDown();
        for (Thread t : started) {
            t.join();
        }
        assertEquals(threads, addresses.stream().distinct().count());
        assertEquals(0, corrupted.get());
        assertFalse(addresses.isEmpty());
    }
}
