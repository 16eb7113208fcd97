// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * The plumbing every downcall shares: the C linker, the libc lookup, errno capture, and the one-time check that
 * native access is enabled and the platform is the one whose struct layouts this package hard-codes (Linux x86-64,
 * glibc).
 *
 * <p>Every handle is created with {@code captureCallState("errno")}, so its first parameter is a segment of
 * {@link #CAPTURE_LAYOUT} that receives errno right after the call, before anything else in the JVM can clobber it.
 */
public final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Native() {}

    /**
     * Fails, once and clearly, when this package cannot work here: another OS or CPU, or native access not enabled
     * for the module that holds this class. The message names the exact flag to add.
     */
    public static void requireAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsupportedOperationException(
                    "the local backend needs Linux on x86-64 (this is " + os + "/" + arch + ")");
        }
        Module module = Native.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new UnsupportedOperationException("the local backend calls libc through java.lang.foreign and needs "
                    + "native access: start java with --enable-native-access=" + name);
        }
    }

    /** A downcall to libc function {@code name} that captures errno; empty if libc does not export it. */
    @SuppressWarnings("restricted") // the one place this module links native code; see requireAvailable
    static Optional<MethodHandle> optional(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor, options(extra)));
    }

    /** A downcall to libc function {@code name} that captures errno; every libc this package supports has it. */
    static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        return optional(name, descriptor, extra)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + "()"));
    }

    private static Linker.Option[] options(Linker.Option... extra) {
        Linker.Option[] all = new Linker.Option[extra.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, all, 1, extra.length);
        return all;
    }

    /** Linker option for a variadic C function whose fixed parameters are the first {@code fixed}. */
    static Linker.Option variadicAfter(int fixed) {
        return Linker.Option.firstVariadicArg(fixed);
    }

    /** A segment to hand to a handle as its errno capture. */
    static MemorySegment captureState(SegmentAllocator arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno the last call through {@code state} left. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The exception for a failed call: errno from {@code state}, the call and its argument in the message. */
    static ErrnoException error(MemorySegment state, String call, Object argument) {
        int code = errno(state);
        String message = call + "(" + (argument == null ? "" : argument) + "): "
                + (Errno.known(code) ? Errno.of(code).name() : "errno " + code);
        return new ErrnoException(code, message);
    }

    /** Turns what invokeExact may throw but a downcall never does into an error. */
    static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed unexpectedly", t);
    }
}
