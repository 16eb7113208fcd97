// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Qid;

/**
 * Turns a backend's {@link FileId} into the {@link Qid} a client sees. The one place that decides qid.path, so
 * that a policy for exports spanning several devices (QEMU's {@code multidevs}: remap, forbid, warn) replaces it
 * without touching the server.
 *
 * <p>Implementations are called from many request threads at once and must be thread-safe. They may refuse a file
 * (EXDEV-like policies) by throwing; the request then fails with that errno.
 */
@FunctionalInterface
public interface QidMapper {

    /** The qid of the file {@code id} identifies. */
    Qid qid(FileId id) throws dev.ninefs.protocol.ErrnoException;

    /** qid.path = ino, ignoring the device: right for an export on one device. */
    static QidMapper inodes() {
        return InodeQidMapper.INSTANCE;
    }

    /** The qid type bits for a st_mode: QTDIR, QTSYMLINK, or QTFILE for everything else. */
    static int qidType(int mode) {
        return switch (mode & FileId.S_IFMT) {
            case FileId.S_IFDIR -> Qid.QTDIR;
            case FileId.S_IFLNK -> Qid.QTSYMLINK;
            default -> Qid.QTFILE;
        };
    }

    /** qid.version: the low 32 bits of the backend's version. */
    static int qidVersion(FileId id) {
        return (int) id.version();
    }
}
