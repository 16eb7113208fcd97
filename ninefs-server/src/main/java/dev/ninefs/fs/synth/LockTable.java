// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.LockOwner;
import dev.ninefs.protocol.Dotl;
import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX byte-range locks on one file. Each owner's ranges never overlap and its ranges of one type never
 * touch (they are merged), as the kernel keeps them; a new lock or an unlock splits what it covers. Locks of one
 * owner never conflict with each other; two locks of different owners conflict when they overlap and either is a
 * write lock. Thread-safe (its own monitor: lock calls are short and never wait).
 */
final class LockTable {
    /** To the end of the file, however long it grows. */
    static final long EOF = Long.MAX_VALUE;

    /** A lock held: bytes {@code start} to {@code end} inclusive ({@link #EOF} for "to the end"). */
    record Held(LockOwner owner, int type, long start, long end) {
        boolean overlaps(long from, long to) {
            return start <= to && end >= from;
        }
    }

    private List<Held> held = new ArrayList<>();

    /** The first lock of another owner that conflicts with {@code type} over {@code start..end}, or null. */
    synchronized Held conflict(LockOwner owner, int type, long start, long end) {
        for (Held h : held) {
            if (!h.owner.equals(owner) && h.overlaps(start, end)
                    && (type == Dotl.LOCK_TYPE_WRLCK || h.type == Dotl.LOCK_TYPE_WRLCK)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Sets {@code start..end} of {@code owner} to {@code type} (UNLCK removes), replacing what the owner held there.
     * Returns false, changing nothing, when another owner holds a conflicting lock.
     */
    synchronized boolean set(LockOwner owner, int type, long start, long end) {
        boolean unlock = type == Dotl.LOCK_TYPE_UNLCK;
        if (!unlock && conflict(owner, type, start, end) != null) {
            return false;
        }
        List<Held> next = new ArrayList<>(held.size() + 2);
        long from = start;
        long to = end;
        for (Held h : held) {
            if (!h.owner.equals(owner)) {
                next.add(h);
            } else if (!unlock && h.type == type && (h.overlaps(from, to) || touches(h, from, to))) {
                from = Math.min(from, h.start);
                to = Math.max(to, h.end);
            } else if (h.overlaps(start, end)) {
                if (h.start < start) {
                    next.add(new Held(owner, h.type, h.start, start - 1));
                }
                if (h.end > end) {
                    next.add(new Held(owner, h.type, end + 1, h.end));
                }
            } else {
                next.add(h);
            }
        }
        if (!unlock) {
            next.add(new Held(owner, type, from, to));
        }
        held = next;
        return true;
    }

    /** Drops every lock of {@code owner} (its file was closed). */
    synchronized void release(LockOwner owner) {
        held.removeIf(h -> h.owner.equals(owner));
    }

    /** A snapshot, in no particular order. */
    synchronized List<Held> held() {
        return List.copyOf(held);
    }

    private static boolean touches(Held h, long from, long to) {
        return (from > 0 && h.end == from - 1) || (to < EOF && h.start == to + 1);
    }
}
