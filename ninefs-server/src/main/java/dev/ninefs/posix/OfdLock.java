// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Open-file-description byte-range locks, fcntl(2) F_OFD_SETLK / F_OFD_GETLK. They belong to the open file
 * description, not to the process, so they conflict with other descriptions' locks (other processes, and the
 * classic POSIX locks of this process) but never with their own.
 *
 * <pre>
 * struct flock, x86-64 (32 bytes): 0 i16 l_type, 2 i16 l_whence, 8 i64 l_start, 16 i64 l_len (0 = to the end),
 * 24 i32 l_pid (must be 0 for F_OFD_SETLK; -1 in a F_OFD_GETLK answer about an OFD lock)
 * </pre>
 */
public final class OfdLock {
    private static final MethodHandle FCNTL = Native.function("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Native.variadicAfter(2));
    private static final int EINTR = 4, EAGAIN = 11, EACCES = 13;

    /** A lock another description holds, as F_OFD_GETLK reports it. */
    public record Held(short type, long start, long length, int pid) {}

    private OfdLock() {}

    /** Sets, converts or removes ({@link Linux#F_UNLCK}) a lock; false when another description's lock conflicts. */
    public static boolean set(int fd, short type, long start, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment flock = flock(arena, type, start, length);
            int r;
            do {
                r = (int) FCNTL.invokeExact(state, fd, Linux.F_OFD_SETLK, flock);
            } while (r < 0 && Native.errno(state) == EINTR);
            if (r == 0) {
                return true;
            }
            int errno = Native.errno(state);
            if (errno == EAGAIN || errno == EACCES) {
                return false;
            }
            throw Native.error(state, "fcntl(F_OFD_SETLK)", "fd " + fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The first lock of another description that would block {@code type} on the range, or null. */
    public static Held get(int fd, short type, long start, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment flock = flock(arena, type, start, length);
            if ((int) FCNTL.invokeExact(state, fd, Linux.F_OFD_GETLK, flock) < 0) {
                throw Native.error(state, "fcntl(F_OFD_GETLK)", "fd " + fd);
            }
            short found = flock.get(JAVA_SHORT, 0);
            if (found == Linux.F_UNLCK) {
                return null;
            }
            return new Held(found, flock.get(JAVA_LONG, 8), flock.get(JAVA_LONG, 16), flock.get(JAVA_INT, 24));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static MemorySegment flock(Arena arena, short type, long start, long length) {
        MemorySegment flock = arena.allocate(32, 8); // zeroed: l_whence = SEEK_SET, l_pid = 0
        flock.set(JAVA_SHORT, 0, type);
        flock.set(JAVA_LONG, 8, start);
        flock.set(JAVA_LONG, 16, length);
        return flock;
    }
}
