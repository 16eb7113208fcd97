// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Native scratch memory for the hot calls (pread, pwrite, stat): the errno capture, a stat buffer, a name. A fresh
 * confined {@link Arena} per call costs a malloc, a zeroing and a free each time; these come from a few segments
 * kept for reuse, one thread at a time.
 *
 * <p>Use: {@code try (Scratch s = Scratch.take()) { ... }}, allocating from {@code s} as from an arena; the memory
 * is not zeroed and is valid until {@code close}. What does not fit in the segment comes from a confined arena
 * opened on demand and closed with the scratch. Each scratch sits in one of {@link #SLOTS} slots, picked by thread
 * id; a thread that finds its slot (and the next) empty makes a new one, which goes back to an empty slot or to the
 * garbage collector.
 */
final class Scratch implements SegmentAllocator, AutoCloseable {
    /** errno capture, a struct statx (256) and a NAME_MAX name with room to spare. */
    static final int SIZE = 1024;
    private static final int SLOTS = 16;
    private static final AtomicReferenceArray<Scratch> POOL = new AtomicReferenceArray<>(SLOTS);

    private final MemorySegment memory = Arena.ofAuto().allocate(SIZE, 16);
    private long used;
    private Arena overflow;
    private int slot;

    private Scratch() {}

    static Scratch take() {
        int slot = (int) (Thread.currentThread().threadId() & (SLOTS - 1));
        Scratch s = POOL.getAndSet(slot, null);
        if (s == null) {
            slot = (slot + 1) & (SLOTS - 1);
            s = POOL.getAndSet(slot, null);
            if (s == null) {
                s = new Scratch();
            }
        }
        s.slot = slot;
        return s;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long start = (used + byteAlignment - 1) & -byteAlignment;
        if (start + byteSize <= memory.byteSize()) {
            used = start + byteSize;
            return memory.asSlice(start, byteSize);
        }
        if (overflow == null) {
            overflow = Arena.ofConfined();
        }
        return overflow.allocate(byteSize, byteAlignment);
    }

    @Override
    public void close() {
        used = 0;
        if (overflow != null) {
            overflow.close();
            overflow = null;
        }
        POOL.compareAndSet(slot, null, this);
    }
}
