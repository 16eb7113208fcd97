// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Dotl;
import java.util.Objects;

/**
 * A POSIX byte-range lock as Tlock and Tgetlock carry it.
 *
 * @param type {@link Dotl#LOCK_TYPE_RDLCK}, {@link Dotl#LOCK_TYPE_WRLCK} or {@link Dotl#LOCK_TYPE_UNLCK}
 * @param length 0 means "to the end of the file"
 * @param procId the owning process, as the server should tell owners apart
 * @param clientId the owning client (the Linux client sends its node name)
 */
public record FileLock(int type, long start, long length, int procId, String clientId) {
    public FileLock {
        Objects.requireNonNull(clientId, "clientId");
    }

    public static FileLock read(long start, long length, int procId, String clientId) {
        return new FileLock(Dotl.LOCK_TYPE_RDLCK, start, length, procId, clientId);
    }

    public static FileLock write(long start, long length, int procId, String clientId) {
        return new FileLock(Dotl.LOCK_TYPE_WRLCK, start, length, procId, clientId);
    }

    public static FileLock unlock(long start, long length, int procId, String clientId) {
        return new FileLock(Dotl.LOCK_TYPE_UNLCK, start, length, procId, clientId);
    }

    /** For a Tgetlock answer: whether the range was free (no conflicting lock). */
    public boolean isUnlocked() {
        return type == Dotl.LOCK_TYPE_UNLCK;
    }
}
