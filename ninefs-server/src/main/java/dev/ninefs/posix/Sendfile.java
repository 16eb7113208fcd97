// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * sendfile(2) from a regular file into a socket, and the calls around it: the file's size (so that a reply's count
 * is known before its header goes out), whether the socket is non-blocking, and a bounded wait for room in it.
 *
 * <p>The socket is expected in non-blocking mode (the JDK puts it there once a virtual thread used it): a sendfile
 * then never waits for the peer, it sends what fits and {@link #send} says {@link #WOULD_BLOCK}.
 */
public final class Sendfile {
    private static final MethodHandle SENDFILE = Native.function("sendfile",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FSTAT = Native.function("fstat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle POLL = Native.function("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SEND = Native.function("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /** What {@link #send} returns when the socket has no room now. */
    public static final long WOULD_BLOCK = -1;
    private static final int EINTR = 4, EAGAIN = 11;
    private static final short POLLOUT = 4;
    private static final int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000;
    /** The most {@link #sendMore} copies to native memory: a frame header and a few small frames. */
    public static final int MAX_MORE = 512;
    /** struct stat on x86-64: st_mode u32 at 24, st_size i64 at 48; 144 bytes. */
    private static final int STAT_SIZE = 144, ST_MODE = 24, ST_SIZE = 48;

    private Sendfile() {}

    /**
     * sendfile(2) of up to {@code count} bytes of {@code in} at {@code offset} into socket {@code out}; neither
     * descriptor's file position moves. Returns the bytes sent (fewer than asked when the socket filled up), 0 at
     * the end of the file, {@link #WOULD_BLOCK} when the socket has no room at all. Any other failure (the peer
     * gone: EPIPE, ECONNRESET; the file: EIO; a file system without sendfile: EINVAL) is an exception.
     */
    public static long send(int out, int in, long offset, long count) throws ErrnoException {
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment position = arena.allocate(JAVA_LONG);
            position.set(JAVA_LONG, 0, offset);
            while (true) {
                long n = (long) SENDFILE.invokeExact(state, out, in, position, count);
                if (n >= 0) {
                    return n;
                }
                int errno = Native.errno(state);
                if (errno == EAGAIN) {
                    return WOULD_BLOCK;
                }
                if (errno != EINTR) {
                    throw Native.error(state, "sendfile", "fd " + in + " to " + out);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * send(2) of the buffers' remaining bytes (at most {@link #MAX_MORE} in all) to socket {@code fd} with
     * MSG_MORE, without waiting: TCP holds them back until the next send, so that a frame's header leaves in the
     * same packet as the data sendfile(2) sends right after (with TCP_NODELAY it would go alone, and wake the peer
     * for 11 bytes). Advances the buffers by what was sent; returns that, or {@link #WOULD_BLOCK}.
     */
    public static long sendMore(int fd, ByteBuffer... buffers) throws ErrnoException {
        long length = 0;
        for (ByteBuffer b : buffers) {
            length += b.remaining();
        }
        if (length > MAX_MORE) {
            throw new IllegalArgumentException(length + " bytes to send with MSG_MORE");
        }
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment data = arena.allocate(Math.max(1, length));
            ByteBuffer gather = data.asByteBuffer();
            for (ByteBuffer b : buffers) {
                gather.put(b.duplicate());
            }
            long n;
            do {
                n = (long) SEND.invokeExact(state, fd, data, length, MSG_MORE | MSG_DONTWAIT | MSG_NOSIGNAL);
            } while (n < 0 && Native.errno(state) == EINTR);
            if (n < 0) {
                if (Native.errno(state) == EAGAIN) {
                    return WOULD_BLOCK;
                }
                throw Native.error(state, "send", "fd " + fd);
            }
            long left = n;
            for (ByteBuffer b : buffers) {
                int step = (int) Math.min(left, b.remaining());
                b.position(b.position() + step);
                left -= step;
            }
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The size of the regular file {@code fd} is open on, or -1 for anything else. fstat(2). */
    public static long regularFileSize(int fd) throws ErrnoException {
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment stat = arena.allocate(STAT_SIZE, 8);
            if ((int) FSTAT.invokeExact(state, fd, stat) < 0) {
                throw Native.error(state, "fstat", "fd " + fd);
            }
            boolean regular = (stat.get(JAVA_INT, ST_MODE) & Linux.S_IFMT) == Linux.S_IFREG;
            return regular ? stat.get(JAVA_LONG, ST_SIZE) : -1;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Whether {@code fd} is in non-blocking mode (O_NONBLOCK), so that a send never waits. fcntl(F_GETFL). */
    public static boolean nonBlocking(int fd) throws ErrnoException {
        return (Splice.statusFlags(fd) & Linux.O_NONBLOCK) != 0;
    }

    /**
     * Waits at most {@code millis} for room in socket {@code fd}: poll(2) for POLLOUT. True when there is room or
     * the socket failed (the next send says how), false when the time ran out (or a signal came).
     */
    public static boolean awaitWritable(int fd, int millis) throws ErrnoException {
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, POLLOUT);
            pollfd.set(JAVA_SHORT, 6, (short) 0);
            int r = (int) POLL.invokeExact(state, pollfd, 1L, millis);
            if (r < 0 && Native.errno(state) != EINTR) {
                throw Native.error(state, "poll", "fd " + fd);
            }
            return r > 0;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
