// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * How many bytes wait in a socket's receive queue, asked of the kernel with ioctl(FIONREAD): for a Unix domain
 * socket, which has no socket adaptor whose stream could tell ({@link StreamFrameChannel#pollInput}). The one
 * native call of this module: used only when the JVM enabled native access for it
 * ({@code --enable-native-access=dev.ninefs.core}, or {@code ALL-UNNAMED} on the class path), so that it never
 * prints the JDK's warning; without it the answer is "cannot tell". Linux x86-64 and arm64 (FIONREAD 0x541B).
 */
final class ReceiveQueue {
    private static final long FIONREAD = 0x541B;
    private static final MethodHandle IOCTL = lookup();

    /** One connection's question: its reader thread asks it, again and again, with the same cell. */
    private final MemorySegment count = Arena.ofAuto().allocate(JAVA_INT);

    private ReceiveQueue() {}

    /** A question for one reader thread, or null when this JVM cannot ask. */
    static ReceiveQueue ifAvailable() {
        return IOCTL == null ? null : new ReceiveQueue();
    }

    /** The bytes waiting on descriptor {@code fd}, or -1 when the kernel would not tell (closed, not a socket). */
    int length(int fd) {
        if (fd < 0) {
            return -1;
        }
        try {
            int r = (int) IOCTL.invokeExact(fd, FIONREAD, count);
            return r < 0 ? -1 : count.get(JAVA_INT, 0);
        } catch (Throwable t) {
            return -1;
        }
    }

    @SuppressWarnings("restricted") // only once native access is enabled for this module: no warning, no failure
    private static MethodHandle lookup() {
        if (!ReceiveQueue.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("ioctl")
                    .map(ioctl -> linker.downcallHandle(ioctl,
                            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                            Linker.Option.firstVariadicArg(2)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
