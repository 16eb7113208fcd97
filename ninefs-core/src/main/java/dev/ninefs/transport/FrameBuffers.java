// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pooled direct buffers for large incoming Twrite frames, shared by every connection. A stream reads the frame's
 * remainder straight into one (a heap frame costs a copy out of the JDK's temporary direct buffer and a zeroed
 * allocation the size of the frame), and the data slice goes down to pwrite(2) as it is (a heap slice costs a copy
 * into native memory). Whoever consumes the Twrite gives the buffer back with {@link #give}.
 *
 * <p>Bounds, so that no client can hold more than its share: one connection has at most {@link #PER_CONNECTION}
 * buffers lent at once and all of them together at most {@link #LENT_BYTES}; beyond that frames come on the heap as
 * before, which is slower, never wrong. Idle buffers kept per size class: about {@link #KEPT_BYTES}, at least one.
 *
 * <p>Ownership: a lent buffer belongs to the frame's reader, then to the request decoded from it; {@link #give}
 * takes any view of it (the Twrite's data slice) whose first byte lies in its first page, once nothing reads it any
 * more. A view of anything else, or of a buffer already given back, is ignored, so giving twice is harmless. A
 * buffer never given back (a request dropped before it ran) is not lost: the lease holds it weakly, the garbage
 * collector frees it once no view of it is left, and the lease is then written off.
 */
public final class FrameBuffers {
    /** Frames smaller than this stay on the heap: their copies are cheap. */
    static final int MIN = 16 << 10;
    /** Frames larger than this stay on the heap (msize above 4 MiB is rare). */
    static final int MAX = 4 << 20;
    /** Buffers at most lent to one connection at once. */
    static final int PER_CONNECTION = 8;
    /** Bytes at most lent to all connections at once. */
    static final long LENT_BYTES = 64L << 20;
    private static final int KEPT_BYTES = 2 << 20;
    /** Lent buffers are page-aligned, so that a view's first byte, rounded down, names its buffer. */
    private static final int PAGE = 4096;
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX) - Integer.numberOfTrailingZeros(MIN) + 1;
    private static final BufferStack[] POOLS = new BufferStack[CLASSES];
    private static final ConcurrentHashMap<Long, Lease> LENT = new ConcurrentHashMap<>();
    private static final ReferenceQueue<ByteBuffer> UNREACHABLE = new ReferenceQueue<>();
    private static final AtomicLong lentBytes = new AtomicLong();

    static {
        for (int c = 0; c < CLASSES; c++) {
            POOLS[c] = new BufferStack(Math.max(1, KEPT_BYTES / (MIN << c)));
        }
    }

    private FrameBuffers() {}

    /** One connection's share: made by its reader, which alone calls {@link #take}. */
    static final class Share {
        private final AtomicInteger lent = new AtomicInteger();

        /**
         * A page-aligned direct buffer for a frame of {@code size} bytes (position 0, limit {@code size}), or null
         * when the size is out of range or this share or all of them are used up: then use a heap buffer.
         */
        ByteBuffer take(int size) {
            if (size < MIN || size > MAX) {
                return null;
            }
            writeOffUnreachable();
            if (lent.get() >= PER_CONNECTION) {
                return null;
            }
            int c = sizeClass(size);
            int capacity = MIN << c;
            if (lentBytes.addAndGet(capacity) > LENT_BYTES) {
                lentBytes.addAndGet(-capacity);
                return null;
            }
            lent.incrementAndGet();
            ByteBuffer root = POOLS[c].pop();
            if (root == null) {
                root = ByteBuffer.allocateDirect(capacity + PAGE - 1);
            }
            ByteBuffer frame = root.clear().alignedSlice(PAGE).limit(size);
            long address = MemorySegment.ofBuffer(frame).address();
            Lease old = LENT.put(address, new Lease(root, address, c, this));
            if (old != null) {
                old.writeOff(); // the memory of a buffer freed unreturned, reused before its lease was written off
            }
            return frame;
        }

        /** Buffers of this share not given back yet. */
        int lent() {
            return lent.get();
        }
    }

    /**
     * Gives back the buffer {@code view} is a view of, if it is a lent one: it goes back to the pool, and must not be
     * read or written any more through any view. Anything else is ignored.
     */
    public static void give(ByteBuffer view) {
        if (!view.isDirect()) {
            return;
        }
        long address = MemorySegment.ofBuffer(view.duplicate().clear()).address() & -PAGE;
        Lease lease = LENT.get(address);
        if (lease == null) {
            return;
        }
        FrameFill fill = lease.fill;
        if (fill != null && fill.deferGiveBack()) {
            return; // the reader still fills it: it gives it back once done (FrameFill#end)
        }
        if (!LENT.remove(address, lease)) {
            return;
        }
        ByteBuffer root = lease.get(); // not null: the view keeps it reachable
        lease.clear();
        lease.release();
        if (root != null) {
            POOLS[lease.sizeClass].push(root);
        }
        Reference.reachabilityFence(view);
    }

    /**
     * The filling state of the frame {@code view} is a view of, if that frame was handed out before all its data
     * arrived ({@link FrameFill}), whether it is still filling, complete, or failed; null otherwise.
     */
    public static FrameFill fillOf(ByteBuffer view) {
        if (!view.isDirect()) {
            return null;
        }
        Lease lease = LENT.get(MemorySegment.ofBuffer(view.duplicate().clear()).address() & -PAGE);
        return lease == null ? null : lease.fill;
    }

    /** Marks a lent frame as handed out while filling. */
    static void attach(ByteBuffer frame, FrameFill fill) {
        Lease lease = LENT.get(MemorySegment.ofBuffer(frame.duplicate().clear()).address() & -PAGE);
        if (lease == null) {
            throw new IllegalStateException("not a lent frame");
        }
        lease.fill = fill;
    }

    /** Buffers lent and not given back yet, over every connection (for tests). */
    static int lentCount() {
        writeOffUnreachable();
        return LENT.size();
    }

    private static void writeOffUnreachable() {
        Reference<? extends ByteBuffer> r;
        while ((r = UNREACHABLE.poll()) != null) {
            ((Lease) r).writeOff();
        }
    }

    private static int sizeClass(int size) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(size, MIN) - 1);
        return bits - Integer.numberOfTrailingZeros(MIN);
    }

    /**
     * A lent buffer. It refers to the buffer weakly: every view of a direct buffer keeps the buffer that owns the
     * memory reachable, so the reference clears only once no view is left, and the memory is freed with it.
     */
    private static final class Lease extends WeakReference<ByteBuffer> {
        private final long address;
        private final int sizeClass;
        private final Share share;
        private final AtomicInteger released = new AtomicInteger();
        /** Set when the frame is handed out before it is complete. */
        volatile FrameFill fill;

        Lease(ByteBuffer root, long address, int sizeClass, Share share) {
            super(root, UNREACHABLE);
            this.address = address;
            this.sizeClass = sizeClass;
            this.share = share;
        }

        /** Forgets a lease whose buffer was never given back. */
        void writeOff() {
            LENT.remove(address, this);
            release();
        }

        /** Returns the lease's counts, once whatever the path. */
        void release() {
            if (released.compareAndSet(0, 1)) {
                share.lent.decrementAndGet();
                lentBytes.addAndGet(-(long) (MIN << sizeClass));
            }
        }
    }
}
