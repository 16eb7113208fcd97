// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Extended attributes by path. The f* calls refuse O_PATH descriptors (EBADF), so callers pass either
 * {@code /proc/self/fd/N} with {@code follow} (the magic link lands on N's own inode; used for anything but a
 * symlink) or {@code /proc/self/fd/DIR/name} without {@code follow} (one name under a directory descriptor, the
 * final symlink not followed; used for symlinks).
 */
public final class Xattr {
    private static final FunctionDescriptor GET =
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor SET =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final FunctionDescriptor LIST = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor REMOVE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETXATTR = Native.function("getxattr", GET);
    private static final MethodHandle LGETXATTR = Native.function("lgetxattr", GET);
    private static final MethodHandle SETXATTR = Native.function("setxattr", SET);
    private static final MethodHandle LSETXATTR = Native.function("lsetxattr", SET);
    private static final MethodHandle LISTXATTR = Native.function("listxattr", LIST);
    private static final MethodHandle LLISTXATTR = Native.function("llistxattr", LIST);
    private static final MethodHandle REMOVEXATTR = Native.function("removexattr", REMOVE);
    private static final MethodHandle LREMOVEXATTR = Native.function("lremovexattr", REMOVE);

    private static final int ERANGE = 34;

    private Xattr() {}

    /** The value of {@code name}; ENODATA if there is none. */
    public static byte[] get(String path, String name, boolean follow) throws ErrnoException {
        MethodHandle h = follow ? GETXATTR : LGETXATTR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment p = arena.allocateFrom(path, StandardCharsets.UTF_8);
            MemorySegment n = arena.allocateFrom(name, StandardCharsets.UTF_8);
            long size = 256;
            while (true) {
                MemorySegment buf = arena.allocate(size);
                long r = (long) h.invokeExact(state, p, n, buf, size);
                if (r >= 0) {
                    return buf.asSlice(0, r).toArray(JAVA_BYTE);
                }
                if (Native.errno(state) != ERANGE || size >= Linux.XATTR_SIZE_MAX) {
                    throw Native.error(state, "getxattr", name);
                }
                size = Linux.XATTR_SIZE_MAX;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Sets {@code name}; {@code flags} are {@link Linux#XATTR_CREATE} / {@link Linux#XATTR_REPLACE}. */
    public static void set(String path, String name, byte[] value, int flags, boolean follow) throws ErrnoException {
        MethodHandle h = follow ? SETXATTR : LSETXATTR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            int r = (int) h.invokeExact(state, arena.allocateFrom(path, StandardCharsets.UTF_8),
                    arena.allocateFrom(name, StandardCharsets.UTF_8), v, (long) value.length, flags);
            if (r < 0) {
                throw Native.error(state, "setxattr", name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The attribute names, in the order the file system gives them. */
    public static List<String> list(String path, boolean follow) throws ErrnoException {
        MethodHandle h = follow ? LISTXATTR : LLISTXATTR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment p = arena.allocateFrom(path, StandardCharsets.UTF_8);
            long size = 1024;
            while (true) {
                MemorySegment buf = arena.allocate(size);
                long r = (long) h.invokeExact(state, p, buf, size);
                if (r >= 0) {
                    List<String> names = new ArrayList<>();
                    long start = 0;
                    for (long i = 0; i < r; i++) {
                        if (buf.get(JAVA_BYTE, i) == 0) {
                            if (i > start) {
                                names.add(buf.getString(start, StandardCharsets.UTF_8));
                            }
                            start = i + 1;
                        }
                    }
                    return names;
                }
                if (Native.errno(state) != ERANGE || size >= Linux.XATTR_LIST_MAX) {
                    throw Native.error(state, "listxattr", null);
                }
                size = Linux.XATTR_LIST_MAX;
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Removes {@code name}; ENODATA if there is none. */
    public static void remove(String path, String name, boolean follow) throws ErrnoException {
        MethodHandle h = follow ? REMOVEXATTR : LREMOVEXATTR;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int r = (int) h.invokeExact(state, arena.allocateFrom(path, StandardCharsets.UTF_8),
                    arena.allocateFrom(name, StandardCharsets.UTF_8));
            if (r < 0) {
                throw Native.error(state, "removexattr", name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
