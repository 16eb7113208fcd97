// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;

/**
 * Turns a backend's {@link FileId} into the {@link Qid} a client sees. The one place that decides qid.path, so
 * that a policy for exports spanning several devices (QEMU's {@code multidevs}: remap, forbid, warn; see
 * {@link Multidevs}) replaces it without touching the server. The server asks it for every qid it hands out:
 * attach ({@link #root}), walk, lopen, lcreate, mkdir, symlink, mknod, getattr ({@link #qid}) and readdir
 * ({@link #entry}).
 *
 * <p>Implementations are called from many request threads at once and must be thread-safe. They may refuse a file
 * by throwing (multidevs=forbid: ENODEV); the request then fails with that errno.
 */
@FunctionalInterface
public interface QidMapper {

    /** The qid of the file {@code id} identifies. */
    Qid qid(FileId id) throws ErrnoException;

    /**
     * The qid of an export's root, as Tattach hands it out. Every fid of an export descends from an attach, so
     * this is the first file a mapper sees: a policy that compares devices learns the export's device here.
     */
    default Qid root(FileId id) throws ErrnoException {
        return qid(id);
    }

    /**
     * The qid of entry {@code e} of directory {@code dir} in a Treaddir reply. By default, from what the listing
     * says ({@link #listed}); a policy that needs each entry's own device asks {@link Node#childId}.
     */
    default Qid entry(Node dir, DirEntry e) throws ErrnoException {
        return qid(listed(e));
    }

    /**
     * Whether {@link #entry} reads the {@link DirEntry} alone, never {@code dir}: then the server may call it while
     * the backend is still listing, instead of keeping every entry until the listing ends. False unless a mapper
     * says so; one that overrides {@code entry} to ask the backend must not.
     */
    default boolean entryFromListing() {
        return false;
    }

    /** qid.path = ino, ignoring the device: right for an export on one device. */
    static QidMapper inodes() {
        return InodeQidMapper.INSTANCE;
    }

    /** The identity a listing gives an entry: its dev and ino, and its d_type as the file type bits (DTTOIF). */
    static FileId listed(DirEntry e) {
        return new FileId(e.dev(), e.ino(), e.dtype() << 12, 0);
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
