// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.ProtocolException;

/** Rlock's answer. */
public enum LockStatus {
    /** The lock is held (or released, for an unlock). */
    SUCCESS,
    /** Another owner holds a conflicting lock; try again later. */
    BLOCKED,
    ERROR,
    /** The server is in its grace period after a restart: only reclaims are taken. */
    GRACE;

    static LockStatus of(int status) throws ProtocolException {
        return switch (status) {
            case Dotl.LOCK_SUCCESS -> SUCCESS;
            case Dotl.LOCK_BLOCKED -> BLOCKED;
            case Dotl.LOCK_ERROR -> ERROR;
            case Dotl.LOCK_GRACE -> GRACE;
            default -> throw new ProtocolException("Rlock status " + status + " is not one the protocol defines");
        };
    }
}
