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
 * splice(2) from a socket into a file through a {@link Pipe}, so that a large Twrite's data goes from the socket's
 * receive queue into the page cache without a copy through user memory; and the calls around it.
 *
 * <p>Taking from the socket never waits for the pipe (it is empty at each call) and waits for the socket only if the
 * socket is in blocking mode: TCP honours the socket's own O_NONBLOCK there, not SPLICE_F_NONBLOCK. A virtual thread
 * must check for O_NONBLOCK ({@link #statusFlags}) first, since the JDK cannot see a thread blocked in a native call.
 */
public final class Splice {
    private static final MethodHandle SPLICE = Native.function("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = Native.function("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PWRITE = Native.function("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FCNTL = Native.function("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), Native.variadicAfter(2));
    private static final MethodHandle POLL = Native.function("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /** What {@link #fromSocket} returns when the socket has nothing now. */
    public static final long WOULD_BLOCK = -1;
    private static final int SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2;
    private static final int EINTR = 4, EAGAIN = 11;
    private static final int F_GETFL = 3;
    private static final short POLLIN = 1;
    /** Bytes that go through memory after all (see {@link #toFile}) move this many at a time. */
    private static final long CHUNK = 64 << 10;

    private Splice() {}

    /**
     * Moves up to {@code count} bytes (at most the pipe's capacity) from {@code socket} into the empty
     * {@code pipe}. Returns the bytes moved, 0 at the end of the stream, {@link #WOULD_BLOCK} when a non-blocking
     * socket has none now. A failed socket (ECONNRESET...) or a closed pipe (EBADF) throws.
     */
    public static long fromSocket(int socket, Pipe pipe, long count) throws ErrnoException {
        try (Fd.Use in = pipe.writeEnd.use(); Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            long n;
            do {
                n = (long) SPLICE.invokeExact(state, socket, MemorySegment.NULL, in.fd(), MemorySegment.NULL,
                        Math.min(count, pipe.capacity()), SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            } while (n < 0 && Native.errno(state) == EINTR);
            if (n < 0) {
                if (Native.errno(state) == EAGAIN) {
                    return WOULD_BLOCK;
                }
                throw Native.error(state, "splice", "socket " + socket);
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * Moves the {@code count} bytes the pipe holds into {@code file} at {@code offset}, with pwrite semantics (the
     * file's position does not move; RLIMIT_FSIZE applies). Returns the bytes written: {@code count}, or fewer when
     * the file took no more. Either way the pipe is empty afterwards: bytes the file refused are dropped. When
     * splicing fails or falls short, the rest goes through memory with pwrite(2), whose outcome stands: a file
     * system without splice support still gets every byte, and a full one answers what write(2) would. A failure
     * before any byte was written throws (ENOSPC, EFBIG, EIO, EBADF for a file not open for writing).
     */
    public static long toFile(Pipe pipe, int file, long offset, long count) throws ErrnoException {
        try (Fd.Use out = pipe.readEnd.use(); Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment position = arena.allocate(JAVA_LONG);
            position.set(JAVA_LONG, 0, offset);
            long done = 0;
            while (done < count) {
                long n = (long) SPLICE.invokeExact(state, out.fd(), MemorySegment.NULL, file, position,
                        count - done, SPLICE_F_MOVE);
                if (n > 0) {
                    done += n;
                } else if (n == 0 || Native.errno(state) != EINTR) {
                    return done + throughMemory(out.fd(), file, offset + done, count - done, done == 0);
                }
            }
            return done;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * Reads {@code count} bytes from the pipe and pwrites them at {@code offset} until a write falls short or
     * fails; the rest is read and dropped. Returns the bytes written; a failure of the very first write throws
     * when {@code first} (nothing was written before this call).
     */
    private static long throughMemory(int pipe, int file, long offset, long count, boolean first)
            throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment chunk = arena.allocate(Math.min(count, CHUNK));
            long done = 0;
            boolean writing = true;
            ErrnoException failure = null;
            for (long left = count; left > 0; ) {
                long n = (long) READ.invokeExact(state, pipe, chunk, Math.min(left, chunk.byteSize()));
                if (n <= 0) {
                    if (n < 0 && Native.errno(state) == EINTR) {
                        continue;
                    }
                    throw Native.error(state, "read", "pipe " + pipe);
                }
                left -= n;
                for (long w = 0; writing && w < n; ) {
                    long m = (long) PWRITE.invokeExact(state, file, chunk.asSlice(w), n - w, offset + done);
                    if (m > 0) {
                        w += m;
                        done += m;
                    } else if (m == 0 || Native.errno(state) != EINTR) {
                        writing = false;
                        if (m < 0 && first && done == 0) {
                            failure = Native.error(state, "pwrite", "fd " + file + " at " + offset);
                        }
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return done;
        }
    }

    /** The file status flags of {@code fd}: O_NONBLOCK, O_APPEND, the access mode. fcntl(F_GETFL). */
    public static int statusFlags(int fd) throws ErrnoException {
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            int flags = (int) FCNTL.invokeExact(state, fd, F_GETFL, 0L);
            if (flags < 0) {
                throw Native.error(state, "fcntl(F_GETFL)", "fd " + fd);
            }
            return flags;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * Waits, without a time limit, until {@code socket} has bytes, has ended or failed: poll(2) for POLLIN. Only for
     * a platform thread, and only where whoever closes the socket first shuts its input down, which wakes this.
     */
    public static void awaitReadable(int socket) throws ErrnoException {
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(JAVA_INT, 0, socket);
            pollfd.set(JAVA_SHORT, 4, POLLIN);
            pollfd.set(JAVA_SHORT, 6, (short) 0);
            int r;
            do {
                r = (int) POLL.invokeExact(state, pollfd, 1L, -1);
            } while (r < 0 && Native.errno(state) == EINTR);
            if (r < 0) {
                throw Native.error(state, "poll", "fd " + socket);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
