// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * An inotify(7) instance, non-blocking: watches are added by path and their events read until none is queued.
 *
 * <pre>
 * struct inotify_event { 0 i32 wd; 4 u32 mask; 8 u32 cookie; 12 u32 len; 16 char name[len] (NUL padded) }
 * </pre>
 *
 * The kernel queues an event inside the system call that made the change, so once that call has returned, a
 * {@link #drain} sees it. Not thread-safe: the caller serializes {@link #drain}, {@link #addWatch},
 * {@link #removeWatch} and {@link #close} (the read buffer and errno capture are this object's).
 */
public final class Inotify implements AutoCloseable {
    public static final int IN_ATTRIB = 0x4, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80, IN_CREATE = 0x100,
            IN_DELETE = 0x200, IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800;
    /** Only in events: the file system was unmounted, the queue overflowed, the watch is gone. */
    public static final int IN_UNMOUNT = 0x2000, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000;
    /** Only in masks: watch only a directory; no events for children once they are unlinked. */
    public static final int IN_ONLYDIR = 0x1000000, IN_EXCL_UNLINK = 0x4000000;
    private static final int IN_NONBLOCK = Linux.O_NONBLOCK, IN_CLOEXEC = Linux.O_CLOEXEC;
    private static final int EAGAIN = 11, EINTR = 4;
    private static final int HEADER = 16;
    /** Room for many events per read (each is 16 bytes and a padded name of at most NAME_MAX + 1). */
    private static final int BUFFER_SIZE = 64 * 1024;

    private static final MethodHandle INIT1 = Native.function("inotify_init1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_WATCH = Native.function("inotify_add_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RM_WATCH = Native.function("inotify_rm_watch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = Native.function("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    /** Receives the events of one {@link #drain}, in the order the kernel queued them. */
    @FunctionalInterface
    public interface Events {
        void event(int wd, int mask);
    }

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);
    private final MemorySegment state = Native.captureState(arena);
    private boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    /** inotify_init1(IN_NONBLOCK | IN_CLOEXEC); EMFILE when the user's max_user_instances is used up. */
    public static Inotify open() throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment st = Native.captureState(call);
            int fd = (int) INIT1.invokeExact(st, IN_NONBLOCK | IN_CLOEXEC);
            if (fd < 0) {
                throw Native.error(st, "inotify_init1", null);
            }
            return new Inotify(fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * inotify_add_watch(2): the watch descriptor of the inode {@code path} names (the same one again for an inode
     * already watched, whose mask {@code mask} then replaces).
     */
    public int addWatch(String path, int mask) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment p = call.allocateFrom(path, StandardCharsets.UTF_8);
            int wd = (int) ADD_WATCH.invokeExact(state, fd, p, mask);
            if (wd < 0) {
                throw Native.error(state, "inotify_add_watch", path);
            }
            return wd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** inotify_rm_watch(2); a watch the kernel already dropped (EINVAL) is no error. Its IN_IGNORED follows. */
    public void removeWatch(int wd) {
        try {
            int ignored = (int) RM_WATCH.invokeExact(state, fd, wd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Reads every queued event and hands each to {@code events}; returns when the queue is empty. */
    public void drain(Events events) throws ErrnoException {
        while (true) {
            long n;
            try {
                n = (long) READ.invokeExact(state, fd, buffer, (long) BUFFER_SIZE);
            } catch (Throwable t) {
                throw Native.unexpected(t);
            }
            if (n < 0) {
                int errno = Native.errno(state);
                if (errno == EAGAIN) {
                    return;
                }
                if (errno == EINTR) {
                    continue;
                }
                throw Native.error(state, "read", "inotify fd " + fd);
            }
            if (n == 0) {
                return; // not what inotify does, but never spin on it
            }
            for (long at = 0; at + HEADER <= n; ) {
                int len = buffer.get(JAVA_INT_UNALIGNED, at + 12);
                events.event(buffer.get(JAVA_INT_UNALIGNED, at), buffer.get(JAVA_INT_UNALIGNED, at + 4));
                at += HEADER + Integer.toUnsignedLong(len);
            }
        }
    }

    /** Closes the instance (its watches go with it) once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Posix.close(fd);
            arena.close();
        }
    }
}
