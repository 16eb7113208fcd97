// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * This process's RLIMIT_FSIZE lowered for one test, so that writes past it fail with EFBIG as on a file system
 * that is full at that size (the JVM ignores SIGXFSZ), and restored on close. Affects every file the test JVM
 * writes meanwhile: keep it around the one request under test.
 */
final class FileSizeLimit implements AutoCloseable {
    private static final int RLIMIT_FSIZE = 1;
    private static final MethodHandle GETRLIMIT = handle("getrlimit");
    private static final MethodHandle SETRLIMIT = handle("setrlimit");

    private final long oldSoft;
    private final long oldHard;

    private FileSizeLimit(long oldSoft, long oldHard) {
        this.oldSoft = oldSoft;
        this.oldHard = oldHard;
    }

    @SuppressWarnings("restricted")
    private static MethodHandle handle(String name) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** Files may grow to {@code bytes} at most until {@link #close}. */
    static FileSizeLimit of(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(16, 8); // struct rlimit { rlim_t rlim_cur, rlim_max; }
            check((int) GETRLIMIT.invokeExact(RLIMIT_FSIZE, limit), "getrlimit");
            FileSizeLimit saved = new FileSizeLimit(limit.get(JAVA_LONG, 0), limit.get(JAVA_LONG, 8));
            set(bytes, saved.oldHard);
            return saved;
        } catch (Throwable t) {
            throw new IllegalStateException("RLIMIT_FSIZE", t);
        }
    }

    private static void set(long soft, long hard) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(16, 8);
            limit.set(JAVA_LONG, 0, soft);
            limit.set(JAVA_LONG, 8, hard);
            check((int) SETRLIMIT.invokeExact(RLIMIT_FSIZE, limit), "setrlimit");
        } catch (Throwable t) {
            throw new IllegalStateException("RLIMIT_FSIZE", t);
        }
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + "(RLIMIT_FSIZE) failed");
        }
    }

    @Override
    public void close() {
        set(oldSoft, oldHard);
    }
}
