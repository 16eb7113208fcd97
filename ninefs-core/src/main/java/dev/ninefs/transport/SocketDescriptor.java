// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SocketChannel;

/**
 * The file descriptor number under a {@link SocketChannel}, for the zero-copy paths (sendfile, splice) that the
 * JDK has no public API for. It is read through the JDK's internal {@code sun.nio.ch.SelChImpl}, which is only
 * reachable when the JVM runs with {@code --add-exports java.base/sun.nio.ch=dev.ninefs.core} (or
 * {@code =ALL-UNNAMED} on the class path); {@code bin/ninefs} and the test runs pass it. Without it every answer
 * is -1 and callers take their copying path: nothing else changes.
 *
 * <p>The number is only good while the channel is open: a caller uses it under a lock that also keeps the channel
 * from being closed, and never blocks on it in a way the JDK does not know about (the JDK puts the descriptor in
 * non-blocking mode once a virtual thread has used the channel).
 */
public final class SocketDescriptor {
    private static final MethodHandle FD_VAL = lookup();

    private SocketDescriptor() {}

    /** The descriptor of {@code socket}, or -1 when the JDK does not let us see it. */
    public static int of(SocketChannel socket) {
        if (FD_VAL == null || !socket.isOpen()) {
            return -1;
        }
        try {
            return (int) FD_VAL.invoke(socket);
        } catch (Throwable e) {
            return -1;
        }
    }

    /** Whether descriptors can be had at all in this JVM. */
    public static boolean available() {
        return FD_VAL != null;
    }

    private static MethodHandle lookup() {
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            if (!selChImpl.getModule().isExported(selChImpl.getPackageName(),
                    SocketDescriptor.class.getModule())) {
                return null;
            }
            return MethodHandles.lookup().findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SocketChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
