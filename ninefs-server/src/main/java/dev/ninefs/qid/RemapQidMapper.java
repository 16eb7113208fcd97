// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * multidevs=remap: qid.path is {@link QidPaths}'s injective map of (device, inode), so that files on different
 * devices never share one, whatever their inode numbers.
 *
 * <p>A directory listing gives each entry the directory's device and, for a mount point, the inode of the directory
 * it covers; so each entry's real identity is asked of the backend ({@link Node#childId}), as QEMU stats every entry
 * under remap, and a listing shows the qid a walk to the same name gives. If that fails (the entry was removed
 * meanwhile, or may not be searched) the listing's own (device, inode) is used: still a real pair of that device,
 * so still distinct from every other file's qid.
 */
final class RemapQidMapper implements QidMapper {
    private final String export;
    private final System.Logger log;
    private final QidPaths paths = new QidPaths();
    private final AtomicBoolean rangesNoted = new AtomicBoolean();

    RemapQidMapper(String export, System.Logger log) {
        this.export = export;
        this.log = log;
    }

    @Override
    public Qid qid(FileId id) throws ErrnoException {
        long path = paths.path(id.dev(), id.ino());
        if (path < 0 && !rangesNoted.get() && rangesNoted.compareAndSet(false, true)) {
            log.log(Level.INFO, "export ''{0}'': inode {1} of device {2} is beyond the fast remapping; such inodes "
                    + "are remapped through a table (one entry per 2^32 inode numbers in use)", export,
                    Long.toUnsignedString(id.ino()), RootDevice.name(id.dev()));
        }
        return new Qid(QidMapper.qidType(id.mode()), QidMapper.qidVersion(id), path);
    }

    @Override
    public Qid entry(Node dir, DirEntry e) throws ErrnoException {
        FileId id;
        try {
            id = dir.childId(e.name());
        } catch (ErrnoException x) {
            id = QidMapper.listed(e);
        }
        return qid(id);
    }

    /** The mapping's tables, for tests and diagnostics. */
    QidPaths paths() {
        return paths;
    }

    @Override
    public String toString() {
        return "multidevs=remap";
    }
}
