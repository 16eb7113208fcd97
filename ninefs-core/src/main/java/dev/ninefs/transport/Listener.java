// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.transport;

import java.io.Closeable;
import java.io.IOException;

/** Accepts connections on an {@link Endpoint}. */
public interface Listener extends Closeable {

    /** Blocks for the next connection; null once the listener is closed or (fd) its one connection was taken. */
    FrameChannel accept() throws IOException;

    /** The endpoint actually bound (with the real port when 0 was asked for). */
    Endpoint endpoint();
}
