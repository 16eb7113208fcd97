// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fd transport over two real pipes made with pipe(2): both ends are opened from descriptor numbers, as a
 * server started with {@code --listen fd:IN,OUT} opens what it inherited. (java.nio.channels.Pipe is a socket
 * pair on Linux, which cannot be reopened through /proc, so it would not test the real thing.)
 */
@SuppressWarnings("restricted") // test-only pipe(2) and close(2); tests run with --enable-native-access
class FdFrameChannelTest extends FrameChannelContract {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle PIPE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("pipe"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** The two descriptors of a fresh pipe: [read, write]. */
    static int[] pipe() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if ((int) PIPE.invokeExact(fds) != 0) {
                throw new IOException("pipe(2) failed");
            }
            int[] pair = {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
            if (!Files.readSymbolicLink(Path.of("/proc/self/fd/" + pair[0])).toString().startsWith("pipe:")) {
                throw new AssertionError("not a pipe");
            }
            return pair;
        }
    }

    static void close(int fd) throws Throwable {
        int unused = (int) CLOSE.invokeExact(fd);
    }

    @Override
    Pair connect() throws Throwable {
        int[] toNear = pipe();
        int[] toFar = pipe();
        FrameChannel near;
        try (Listener listener = Endpoint.parse("fd:" + toNear[0] + "," + toFar[1]).listen()) {
            near = listener.accept();
            if (listener.accept() != null) {
                throw new AssertionError("an fd listener yields one connection");
            }
        }
        FrameChannel far = Endpoint.parse("fd:" + toFar[0] + "," + toNear[1]).connect();
        // Both channels reopened their descriptors; close the originals so that closing a channel's write side is
        // seen as an end of stream by the other.
        for (int fd : new int[] {toNear[0], toNear[1], toFar[0], toFar[1]}) {
            close(fd);
        }
        return new Pair(near, far, () -> { });
    }
}
