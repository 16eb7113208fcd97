// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

/**
 * The free list of tags 0..capacity-1 (never NOTAG). Last freed, first reused: a tag that must stay reserved
 * (a flushed request's, until its Rflush) is simply not freed, and tests can see exactly when it comes back.
 */
final class TagPool {
    private final int[] free;
    private int top;

    TagPool(int capacity) {
        if (capacity < 1 || capacity > 0xffff) {
            throw new IllegalArgumentException("tag capacity must be in [1, 65535]: " + capacity);
        }
        free = new int[capacity];
        // Lowest tags on top of the stack, so a fresh connection hands out 0, 1, 2...
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        top = capacity;
    }

    int capacity() {
        return free.length;
    }

    /** A free tag, or -1 when all are in use. */
    synchronized int allocate() {
        return top == 0 ? -1 : free[--top];
    }

    synchronized void release(int tag) {
        if (top == free.length) {
            throw new IllegalStateException("tag released twice: " + tag);
        }
        free[top++] = tag;
    }
}
