// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import java.io.IOException;

/**
 * The connection is gone: closed by us, closed by the server, broken, or closed because the server broke the
 * protocol (then the cause is a {@link dev.ninefs.protocol.ProtocolException}). Every request that was waiting
 * fails with it, and so does every later one.
 */
public final class ConnectionClosedException extends IOException {
    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
