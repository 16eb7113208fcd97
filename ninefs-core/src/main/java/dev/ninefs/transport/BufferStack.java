// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pool of idle buffers of one size, last in first out: the buffer used last is the one whose pages are
 * resident and cached. Shared by the server's Tread buffers and the transport's Twrite frame buffers.
 */
public final class BufferStack {
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer[] items;
    private int size;

    /** Keeps at most {@code capacity} idle buffers; more given back are left to the garbage collector. */
    public BufferStack(int capacity) {
        items = new ByteBuffer[capacity];
    }

    /** The buffer given back last, or null if none is idle. */
    public ByteBuffer pop() {
        lock.lock();
        try {
            if (size == 0) {
                return null;
            }
            ByteBuffer b = items[--size];
            items[size] = null;
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code b} for reuse unless the stack is full. */
    public void push(ByteBuffer b) {
        lock.lock();
        try {
            if (size < items.length) {
                items[size++] = b;
            }
        } finally {
            lock.unlock();
        }
    }
}
