// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.fs.StatFs;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The calls on open descriptors: pread, pwrite, truncate, fsync, lseek, getdents64, fstatfs.
 *
 * <p>Buffers: a direct {@link ByteBuffer} is handed to the kernel as it is (its position to its limit); a heap
 * buffer goes through a native copy of at most {@link #MAX_COPY} bytes, because the kernel cannot address the Java
 * heap and pinning it would stall the garbage collector for the length of a disk read.
 */
public final class PosixIo {
    private static final MethodHandle PREAD = Native.function("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = Native.function("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle TRUNCATE = Native.function("truncate",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FSYNC = Native.function("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FDATASYNC = Native.function("fdatasync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle LSEEK = Native.function("lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETDENTS64 = Native.function("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FSTATFS = Native.function("fstatfs",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** The largest single read or write through a heap buffer (larger requests are cut short, as pread may). */
    public static final int MAX_COPY = 1 << 20;
    private static final int EINTR = 4;

    private PosixIo() {}

    /** pread(2) into {@code dst} from its position; advances the position by what was read (0 at end of file). */
    public static int pread(int fd, long offset, ByteBuffer dst) throws ErrnoException {
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment target = dst.isDirect()
                    ? MemorySegment.ofBuffer(dst)
                    : arena.allocate(Math.min(want, MAX_COPY));
            long n;
            do {
                n = (long) PREAD.invokeExact(state, fd, target, target.byteSize(), offset);
            } while (n < 0 && Native.errno(state) == EINTR);
            if (n < 0) {
                throw Native.error(state, "pread", "fd " + fd);
            }
            if (!dst.isDirect()) {
                dst.put(dst.position(), target.asSlice(0, n).asByteBuffer(), 0, (int) n);
            }
            dst.position(dst.position() + (int) n);
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** pwrite(2) of {@code src}'s remaining bytes; advances its position by what was written. */
    public static int pwrite(int fd, long offset, ByteBuffer src) throws ErrnoException {
        int have = src.remaining();
        if (have == 0) {
            return 0;
        }
        try (Scratch arena = Scratch.take()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment source;
            if (src.isDirect()) {
                source = MemorySegment.ofBuffer(src);
            } else {
                int len = Math.min(have, MAX_COPY);
                source = arena.allocate(len);
                source.asByteBuffer().put(0, src, src.position(), len);
            }
            long n;
            do {
                n = (long) PWRITE.invokeExact(state, fd, source, source.byteSize(), offset);
            } while (n < 0 && Native.errno(state) == EINTR);
            if (n < 0) {
                throw Native.error(state, "pwrite", "fd " + fd);
            }
            src.position(src.position() + (int) n);
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * truncate(2) of the file an O_PATH descriptor refers to, through its /proc magic link. The caller allows it
     * only for a descriptor of a regular file: the link then lands on that inode and resolves no name.
     */
    public static void truncateThrough(int fd, long size) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment path = arena.allocateFrom(Posix.procPath(fd), StandardCharsets.UTF_8);
            if ((int) TRUNCATE.invokeExact(state, path, size) < 0) {
                throw Native.error(state, "truncate", "fd " + fd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** fsync(2), or fdatasync(2) when {@code dataOnly}. */
    public static void fsync(int fd, boolean dataOnly) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int r;
            do {
                r = dataOnly ? (int) FDATASYNC.invokeExact(state, fd) : (int) FSYNC.invokeExact(state, fd);
            } while (r < 0 && Native.errno(state) == EINTR);
            if (r < 0) {
                throw Native.error(state, dataOnly ? "fdatasync" : "fsync", "fd " + fd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** lseek(fd, offset, SEEK_SET): on a directory, positions the next getdents64 at a d_off cookie. */
    public static void seek(int fd, long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            if ((long) LSEEK.invokeExact(state, fd, offset, Linux.SEEK_SET) < 0) {
                throw Native.error(state, "lseek", offset);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** getdents64(2) into {@code buffer}: the bytes filled, 0 at the end of the directory. */
    public static int getdents64(int fd, MemorySegment buffer) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            long n;
            do {
                n = (long) GETDENTS64.invokeExact(state, fd, buffer, buffer.byteSize());
            } while (n < 0 && Native.errno(state) == EINTR);
            if (n < 0) {
                throw Native.error(state, "getdents64", "fd " + fd);
            }
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * fstatfs(2); works on O_PATH descriptors. Layout of struct statfs on x86-64 (120 bytes, all 8-byte fields but
     * f_fsid, two ints): f_type 0, f_bsize 8, f_blocks 16, f_bfree 24, f_bavail 32, f_files 40, f_ffree 48,
     * f_fsid 56, f_namelen 64, f_frsize 72, f_flags 80, f_spare 88.
     */
    public static StatFs fstatfs(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment buf = arena.allocate(120, 8);
            if ((int) FSTATFS.invokeExact(state, fd, buf) < 0) {
                throw Native.error(state, "fstatfs", "fd " + fd);
            }
            long fsid = (buf.get(JAVA_INT, 56) & 0xffffffffL) | ((long) buf.get(JAVA_INT, 60) << 32);
            return new StatFs((int) buf.get(JAVA_LONG, 0), (int) buf.get(JAVA_LONG, 8), buf.get(JAVA_LONG, 16),
                    buf.get(JAVA_LONG, 24), buf.get(JAVA_LONG, 32), buf.get(JAVA_LONG, 40), buf.get(JAVA_LONG, 48),
                    fsid, (int) buf.get(JAVA_LONG, 64));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
