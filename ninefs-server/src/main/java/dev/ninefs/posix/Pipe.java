// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pipe for {@link Splice}: splice(2) needs one at one end, so bytes go socket -> pipe -> file. Both ends are
 * {@link Fd}s: a splice in progress holds its end, and {@link #close} (with the connection, from any thread) frees
 * the numbers only once it is done.
 *
 * <p>Its capacity is raised to what one large Twrite carries (F_SETPIPE_SZ) where the system allows it, so that one
 * splice can take all the data the socket has. An empty pipe holds no pages; the capacity is a limit, not memory.
 */
public final class Pipe implements AutoCloseable {
    private static final MethodHandle PIPE2 = Native.function("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCNTL = Native.function("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), Native.variadicAfter(2));
    private static final int F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
    /** The capacity of a new pipe: 16 pages. */
    private static final int DEFAULT_CAPACITY = 64 << 10;

    final Fd readEnd;
    final Fd writeEnd;
    private final int capacity;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Pipe(Fd readEnd, Fd writeEnd, int capacity) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
        this.capacity = capacity;
    }

    /**
     * pipe2(O_CLOEXEC), its capacity raised towards {@code capacity} bytes: halved until the system allows it (a
     * process without CAP_SYS_RESOURCE gets at most /proc/sys/fs/pipe-max-size, and less once its user holds many
     * pipe pages), the default of 64 KiB at worst.
     */
    public static Pipe open(int capacity) throws ErrnoException {
        int[] ends = new int[2];
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if ((int) PIPE2.invokeExact(state, fds, Linux.O_CLOEXEC) < 0) {
                throw Native.error(state, "pipe2", null);
            }
            ends[0] = fds.getAtIndex(JAVA_INT, 0);
            ends[1] = fds.getAtIndex(JAVA_INT, 1);
            int got = -1;
            for (int want = capacity; want > DEFAULT_CAPACITY && got < 0; want >>>= 1) {
                got = (int) FCNTL.invokeExact(state, ends[1], F_SETPIPE_SZ, (long) want);
            }
            if (got < 0) {
                got = (int) FCNTL.invokeExact(state, ends[1], F_GETPIPE_SZ, 0L);
            }
            return new Pipe(Fd.adopt(ends[0]), Fd.adopt(ends[1]), got > 0 ? got : DEFAULT_CAPACITY);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The bytes it holds at most: the most one splice into it moves. */
    public int capacity() {
        return capacity;
    }

    /** Closes both ends once no splice uses them any more; closing again does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            readEnd.release();
            writeEnd.release();
        }
    }

    @Override
    public String toString() {
        return "Pipe[" + readEnd.number() + "<-" + writeEnd.number() + ", " + capacity + " bytes]";
    }
}
