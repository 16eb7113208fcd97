// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The *at(2) calls on names and descriptors: open, create, link, rename, remove, chown, chmod, utimes. Each is one
 * short libc call (it pins a virtual thread's carrier only for that long) and throws {@link ErrnoException} with
 * the errno it captured. Names are passed as given: callers check that a name is one component.
 */
public final class Posix {
    private static final MethodHandle OPENAT = Native.function("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Native.variadicAfter(3));
    /** syscall(2), for the calls glibc 2.36 does not wrap (openat2, fchmodat2). */
    private static final MethodHandle SYSCALL4 = Native.function("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
            Native.variadicAfter(1));
    private static final MethodHandle SYSCALL_CHMOD = Native.function("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG),
            Native.variadicAfter(1));
    private static final MethodHandle CLOSE = Native.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MKDIRAT = Native.function("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MKNODAT = Native.function("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle SYMLINKAT = Native.function("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle LINKAT = Native.function("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READLINKAT = Native.function("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle RENAMEAT2 = Native.function("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNLINKAT = Native.function("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCHOWNAT = Native.function("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMODAT = Native.function("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle UTIMENSAT = Native.function("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private static final long SYS_OPENAT2 = 437, SYS_FCHMODAT2 = 452;
    private static final int EINTR = 4, ENOSYS = 38, EINVAL = 22;

    /** Whether openat2(2) works here (Linux 5.6+, not filtered by a seccomp policy); probed once. */
    private static final boolean OPENAT2 = probeOpenat2();
    /** Whether fchmodat2(2) with AT_EMPTY_PATH works here (Linux 6.6+); probed once. */
    private static volatile int fchmodat2State; // 0 unknown, 1 works, -1 missing

    private Posix() {}

    /** Whether lookups can use openat2 with RESOLVE_BENEATH. */
    public static boolean hasOpenat2() {
        return OPENAT2;
    }

    /** openat(2). {@code mode} matters only with O_CREAT. */
    public static int openat(int dirfd, String name, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment path = arena.allocateFrom(name, StandardCharsets.UTF_8);
            while (true) {
                int fd = (int) OPENAT.invokeExact(state, dirfd, path, flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                if (Native.errno(state) != EINTR) {
                    throw Native.error(state, "openat", name);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * openat2(2) with {@code resolve} flags, or ENOSYS when the kernel lacks it (callers fall back to
     * {@link #openat}).
     */
    public static int openat2(int dirfd, String name, long flags, long mode, long resolve) throws ErrnoException {
        if (!OPENAT2) {
            throw new ErrnoException(Errno.ENOSYS, "openat2 is not available");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment how = arena.allocate(24, 8); // struct open_how { u64 flags; u64 mode; u64 resolve; }
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            MemorySegment path = arena.allocateFrom(name, StandardCharsets.UTF_8);
            while (true) {
                long fd = (long) SYSCALL4.invokeExact(state, SYS_OPENAT2, (long) dirfd, path, how, 24L);
                if (fd >= 0) {
                    return (int) fd;
                }
                if (Native.errno(state) != EINTR) {
                    throw Native.error(state, "openat2", name);
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static boolean probeOpenat2() {
        try {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Native.captureState(arena);
                MemorySegment how = arena.allocate(24, 8);
                how.set(JAVA_LONG, 0, (long) (Linux.O_PATH | Linux.O_CLOEXEC | Linux.O_DIRECTORY));
                long fd = (long) SYSCALL4.invokeExact(state, SYS_OPENAT2, (long) Linux.AT_FDCWD,
                        arena.allocateFrom("/"), how, 24L);
                if (fd >= 0) {
                    close((int) fd);
                    return true;
                }
                return false;
            }
        } catch (Throwable t) {
            return false;
        }
    }

    /** close(2). Never retried: on Linux the descriptor is gone even when close reports EINTR. */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(Native.captureState(arena), fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static void mkdirat(int dirfd, String name, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            if ((int) MKDIRAT.invokeExact(state, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8), mode) < 0) {
                throw Native.error(state, "mkdirat", name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static void mknodat(int dirfd, String name, int mode, long dev) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment path = arena.allocateFrom(name, StandardCharsets.UTF_8);
            if ((int) MKNODAT.invokeExact(state, dirfd, path, mode, dev) < 0) {
                throw Native.error(state, "mknodat", name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** symlinkat(2): a link named {@code name} in {@code dirfd} whose content is {@code target}, never resolved. */
    public static void symlinkat(String target, int dirfd, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment t = arena.allocateFrom(target, StandardCharsets.UTF_8);
            if ((int) SYMLINKAT.invokeExact(state, t, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8)) < 0) {
                throw Native.error(state, "symlinkat", name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static void linkat(int olddirfd, String oldName, int newdirfd, String newName, int flags)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment o = arena.allocateFrom(oldName, StandardCharsets.UTF_8);
            MemorySegment n = arena.allocateFrom(newName, StandardCharsets.UTF_8);
            if ((int) LINKAT.invokeExact(state, olddirfd, o, newdirfd, n, flags) < 0) {
                throw Native.error(state, "linkat", newName);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** readlinkat(2); with an empty name, the target of the symlink {@code dirfd} itself refers to. */
    public static String readlinkat(int dirfd, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment buf = arena.allocate(Linux.PATH_MAX);
            long n = (long) READLINKAT.invokeExact(state, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8),
                    buf, (long) Linux.PATH_MAX);
            if (n < 0) {
                throw Native.error(state, "readlinkat", name);
            }
            return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static void renameat2(int olddirfd, String oldName, int newdirfd, String newName, int flags)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment o = arena.allocateFrom(oldName, StandardCharsets.UTF_8);
            MemorySegment n = arena.allocateFrom(newName, StandardCharsets.UTF_8);
            if ((int) RENAMEAT2.invokeExact(state, olddirfd, o, newdirfd, n, flags) < 0) {
                throw Native.error(state, "renameat2", oldName + " -> " + newName);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static void unlinkat(int dirfd, String name, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            if ((int) UNLINKAT.invokeExact(state, dirfd, arena.allocateFrom(name, StandardCharsets.UTF_8), flags) < 0) {
                throw Native.error(state, "unlinkat", name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW): changes the file {@code fd} refers to
     * (O_PATH descriptors included), never what a symlink points to. -1 leaves an id unchanged.
     */
    public static void fchown(int fd, int uid, int gid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int r = (int) FCHOWNAT.invokeExact(state, fd, arena.allocateFrom(""), uid, gid,
                    Linux.AT_EMPTY_PATH | Linux.AT_SYMLINK_NOFOLLOW);
            if (r < 0) {
                throw Native.error(state, "fchownat", "fd " + fd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * chmod of the file descriptor {@code fd} refers to, which may be an O_PATH descriptor, without following a
     * symlink. fchmodat2(fd, "", mode, AT_EMPTY_PATH) where the kernel has it; otherwise chmod through
     * /proc/self/fd/N, which the caller allows only when {@code fd} is not a symlink (the magic link then lands on
     * that very inode and no name is resolved, so a rename race cannot redirect it). Symlinks have no mode on
     * Linux: EOPNOTSUPP.
     */
    public static void fchmod(int fd, int mode, boolean isSymlink) throws ErrnoException {
        if (fchmodat2State >= 0) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Native.captureState(arena);
                long flags = Linux.AT_EMPTY_PATH | (isSymlink ? Linux.AT_SYMLINK_NOFOLLOW : 0);
                long r = (long) SYSCALL_CHMOD.invokeExact(state, SYS_FCHMODAT2, (long) fd, arena.allocateFrom(""),
                        (long) mode, flags);
                if (r == 0) {
                    fchmodat2State = 1;
                    return;
                }
                int errno = Native.errno(state);
                if (fchmodat2State == 1 || (errno != ENOSYS && errno != EINVAL)) {
                    throw Native.error(state, "fchmodat2", "fd " + fd);
                }
                fchmodat2State = -1;
            } catch (ErrnoException e) {
                throw e;
            } catch (Throwable t) {
                throw Native.unexpected(t);
            }
        }
        if (isSymlink) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "chmod of a symlink");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int r = (int) FCHMODAT.invokeExact(state, Linux.AT_FDCWD, arena.allocateFrom(procPath(fd)), mode, 0);
            if (r < 0) {
                throw Native.error(state, "fchmodat", procPath(fd));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * utimensat(fd, "", times, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) with nanoseconds; {@link Linux#UTIME_NOW} and
     * {@link Linux#UTIME_OMIT} in a nanosecond field mean now and leave-alone.
     */
    public static void futimens(int fd, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
            boolean isSymlink) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment times = arena.allocate(32, 8); // struct timespec[2] { i64 sec; i64 nsec; }
            times.set(JAVA_LONG, 0, atimeSec);
            times.set(JAVA_LONG, 8, atimeNsec);
            times.set(JAVA_LONG, 16, mtimeSec);
            times.set(JAVA_LONG, 24, mtimeNsec);
            int r = (int) UTIMENSAT.invokeExact(state, fd, arena.allocateFrom(""), times,
                    Linux.AT_EMPTY_PATH | Linux.AT_SYMLINK_NOFOLLOW);
            if (r < 0 && Native.errno(state) == EINVAL && !isSymlink) {
                // Kernels before 5.8 refuse AT_EMPTY_PATH here; the magic link reaches the same inode.
                r = (int) UTIMENSAT.invokeExact(state, Linux.AT_FDCWD, arena.allocateFrom(procPath(fd)), times, 0);
            }
            if (r < 0) {
                throw Native.error(state, "utimensat", "fd " + fd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The /proc path through which a descriptor's own inode is reached ("magic link"). */
    public static String procPath(int fd) {
        return "/proc/self/fd/" + fd;
    }
}
