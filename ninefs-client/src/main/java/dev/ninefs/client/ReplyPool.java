// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of msize bytes for large Rread replies whose callers copy the data out and give the buffer back:
 * the socket reads into them without the JDK's extra copy through a temporary direct buffer, and a 1 MiB frame is
 * not allocated (and zeroed) per reply. Keeps at most a transfer window's worth; the rest are left to the GC.
 */
final class ReplyPool {
    private final int size;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    ReplyPool(int size) {
        this.size = size;
    }

    synchronized ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b : ByteBuffer.allocateDirect(size);
    }

    synchronized void give(ByteBuffer buffer) {
        if (free.size() < Transfers.WINDOW) {
            free.push(buffer.clear());
        }
    }
}
