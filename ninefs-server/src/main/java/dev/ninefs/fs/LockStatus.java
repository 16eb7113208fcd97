// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/** The answer to a lock request (Rlock's status). */
public enum LockStatus {
    SUCCESS, BLOCKED, ERROR, GRACE;

    /** The wire value. */
    public int code() {
        return ordinal();
    }
}
