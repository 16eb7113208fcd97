// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * Linux's {@code struct flock} on x86_64, as {@code ceph_ll_getlk}/{@code ceph_ll_setlk} take it:
 *
 * <pre>
 *   0 i16 l_type   2 i16 l_whence   4 (padding)   8 i64 l_start   16 i64 l_len   24 i32 l_pid   28 (padding)   32 end
 * </pre>
 *
 * F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2: the same numbers as 9P2000.L's lock types.
 */
final class CephFlock {
    static final long SIZE = 32;
    static final long TYPE = 0, WHENCE = 2, START = 8, LEN = 16, PID = 24;
    static final short SEEK_SET = 0;

    private CephFlock() {}

    static void set(MemorySegment fl, int type, long start, long length, int pid) {
        fl.set(JAVA_SHORT, TYPE, (short) type);
        fl.set(JAVA_SHORT, WHENCE, SEEK_SET);
        fl.set(JAVA_LONG, START, start);
        fl.set(JAVA_LONG, LEN, length);
        fl.set(JAVA_INT, PID, pid);
    }

    static int type(MemorySegment fl) {
        return fl.get(JAVA_SHORT, TYPE);
    }

    static long start(MemorySegment fl) {
        return fl.get(JAVA_LONG, START);
    }

    static long length(MemorySegment fl) {
        return fl.get(JAVA_LONG, LEN);
    }

    static int pid(MemorySegment fl) {
        return fl.get(JAVA_INT, PID);
    }
}
