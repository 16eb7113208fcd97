// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import dev.ninefs.protocol.Dotl;

/**
 * A POSIX byte-range lock, as Tlock and Tgetlock describe one.
 *
 * @param type {@link Dotl#LOCK_TYPE_RDLCK}, {@link Dotl#LOCK_TYPE_WRLCK} or {@link Dotl#LOCK_TYPE_UNLCK}
 * @param start the first byte
 * @param length how many bytes; 0 means to the end of the file, however long it grows
 * @param owner who holds or asks
 */
public record LockRequest(int type, long start, long length, LockOwner owner) {}
