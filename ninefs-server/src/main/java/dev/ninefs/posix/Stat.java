// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ninefs.fs.Attr;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * stat of a descriptor or of a name under one, never following a symlink: statx(2) (nanosecond times, birth time)
 * where the kernel has it, fstatat(2) otherwise.
 *
 * <pre>
 * struct statx (256 bytes)                struct stat, x86-64 (144 bytes)
 *   0 u32 mask      4 u32 blksize           0 u64 dev     8 u64 ino    16 u64 nlink
 *   8 u64 attributes                       24 u32 mode   28 u32 uid    32 u32 gid
 *  16 u32 nlink    20 u32 uid  24 u32 gid   40 u64 rdev   48 i64 size   56 i64 blksize
 *  28 u16 mode     32 u64 ino  40 u64 size  64 i64 blocks
 *  48 u64 blocks   56 u64 attributes_mask   72 atime {i64 sec, i64 nsec}  88 mtime  104 ctime
 *  64 atime {i64 sec, u32 nsec, i32 pad}
 *  80 btime   96 ctime   112 mtime
 * 128 u32 rdev_major  132 rdev_minor  136 dev_major  140 dev_minor
 * </pre>
 */
public final class Stat {
    private static final Optional<MethodHandle> STATX = Native.optional("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FSTATAT = Native.function("fstatat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private static final int STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;
    private static final int ENOSYS = 38;
    private static volatile boolean statxWorks = STATX.isPresent();

    private Stat() {}

    /** stat of what {@code fd} refers to (an O_PATH descriptor of a symlink gives the symlink). */
    public static Attr of(int fd) throws ErrnoException {
        return at(fd, "", Linux.AT_EMPTY_PATH);
    }

    /** lstat of {@code name} under directory {@code dirfd}. */
    public static Attr at(int dirfd, String name) throws ErrnoException {
        return at(dirfd, name, 0);
    }

    private static Attr at(int dirfd, String name, int extraFlags) throws ErrnoException {
        int flags = Linux.AT_SYMLINK_NOFOLLOW | extraFlags;
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment path = arena.allocateFrom(name, StandardCharsets.UTF_8);
            if (statxWorks) {
                MemorySegment buf = arena.allocate(256, 8);
                int r = (int) STATX.orElseThrow().invokeExact(state, dirfd, path, flags,
                        STATX_BASIC_STATS | STATX_BTIME, buf);
                if (r == 0) {
                    return fromStatx(buf);
                }
                if (Native.errno(state) != ENOSYS) {
                    throw Native.error(state, "statx", name.isEmpty() ? "fd " + dirfd : name);
                }
                statxWorks = false;
            }
            MemorySegment buf = arena.allocate(144, 8);
            if ((int) FSTATAT.invokeExact(state, dirfd, path, buf, flags) < 0) {
                throw Native.error(state, "fstatat", name.isEmpty() ? "fd " + dirfd : name);
            }
            return fromStat(buf);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static Attr fromStatx(MemorySegment b) {
        int mask = b.get(JAVA_INT, 0);
        boolean hasBtime = (mask & STATX_BTIME) != 0;
        return new Attr(
                Linux.makedev(u32(b, 136), u32(b, 140)),
                b.get(JAVA_LONG, 32),
                b.get(JAVA_SHORT, 28) & 0xffff,
                b.get(JAVA_INT, 20),
                b.get(JAVA_INT, 24),
                u32(b, 16),
                Linux.makedev(u32(b, 128), u32(b, 132)),
                b.get(JAVA_LONG, 40),
                u32(b, 4),
                b.get(JAVA_LONG, 48),
                b.get(JAVA_LONG, 64), u32(b, 72),
                b.get(JAVA_LONG, 112), u32(b, 120),
                b.get(JAVA_LONG, 96), u32(b, 104),
                hasBtime ? b.get(JAVA_LONG, 80) : 0, hasBtime ? u32(b, 88) : 0,
                0, 0);
    }

    private static Attr fromStat(MemorySegment b) {
        return new Attr(b.get(JAVA_LONG, 0), b.get(JAVA_LONG, 8), b.get(JAVA_INT, 24), b.get(JAVA_INT, 28),
                b.get(JAVA_INT, 32), b.get(JAVA_LONG, 16), b.get(JAVA_LONG, 40), b.get(JAVA_LONG, 48),
                b.get(JAVA_LONG, 56), b.get(JAVA_LONG, 64), b.get(JAVA_LONG, 72), b.get(JAVA_LONG, 80),
                b.get(JAVA_LONG, 88), b.get(JAVA_LONG, 96), b.get(JAVA_LONG, 104), b.get(JAVA_LONG, 112), 0, 0, 0,
                0);
    }

    private static long u32(MemorySegment b, long offset) {
        return b.get(JAVA_INT, offset) & 0xffffffffL;
    }
}
