// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.transport.BufferStack;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Direct buffers for Tread data, shared by every session: the backend reads into one (a local file: pread straight
 * into it, no native copy) and the reply's gathering write sends it as it is (no copy into a temporary direct
 * buffer), after which the session gives it back. A heap buffer would cost both copies and an allocation the size of
 * the request.
 *
 * <p>Sizes are powers of two from {@link #MIN} to {@link #MAX}; each class keeps at most about {@link #KEPT_BYTES}
 * of idle buffers (and at least {@link #KEPT_MIN} of them), so an idle server holds at most about 12 MiB here and a
 * fresh one nothing. A buffer handed out when its class is empty is allocated; one given back to a full class is
 * left to the garbage collector.
 *
 * <p>Ownership: {@link #take} hands the buffer over (cleared, limit = the size asked); the caller gives it back with
 * {@link #give} once nothing reads it any more, or drops it. A buffer must not be given back twice.
 */
final class ReadBuffers {
    static final int MIN = 4096;
    static final int MAX = 1 << 20;
    private static final int KEPT_BYTES = 1 << 20;
    private static final int KEPT_MIN = 4;
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX) - Integer.numberOfTrailingZeros(MIN) + 1;
    private static final List<BufferStack> POOLS = IntStream.range(0, CLASSES)
            .mapToObj(c -> new BufferStack(Math.max(KEPT_MIN, KEPT_BYTES / (MIN << c))))
            .toList();

    private ReadBuffers() {}

    /** A direct buffer of at least {@code size} bytes (at most {@link #MAX}), position 0, limit {@code size}. */
    static ByteBuffer take(int size) {
        if (size > MAX) {
            throw new IllegalArgumentException("read buffer of " + size + " bytes");
        }
        int c = sizeClass(size);
        ByteBuffer b = POOLS.get(c).pop();
        if (b == null) {
            b = ByteBuffer.allocateDirect(MIN << c);
        }
        return b.clear().limit(size);
    }

    /** Gives back a buffer from {@link #take}; anything else (a heap buffer, a slice) is ignored. */
    static void give(ByteBuffer b) {
        if (b.isDirect() && b.capacity() >= MIN && b.capacity() <= MAX && Integer.bitCount(b.capacity()) == 1) {
            POOLS.get(sizeClass(b.capacity())).push(b);
        }
    }

    private static int sizeClass(int size) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(size, MIN) - 1);
        return bits - Integer.numberOfTrailingZeros(MIN);
    }
}
