// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * multidevs=forbid: qid.path is the raw inode number, and a file on a device other than the export root's gets no
 * qid at all: the request that would hand one out (walk, getattr, create...) fails with ENODEV, as in QEMU. The
 * first refusal is logged once.
 *
 * <p>Readdir still lists such a file's name (QEMU does the same): a listing gives the inode number the directory
 * holds, which for a mount point is the covered directory's, on the export's device, so nothing that could collide
 * leaks; a walk to the name then fails with ENODEV.
 */
final class ForbidQidMapper implements QidMapper {
    private final String export;
    private final System.Logger log;
    private final RootDevice root = new RootDevice();
    private final AtomicBoolean logged = new AtomicBoolean();

    ForbidQidMapper(String export, System.Logger log) {
        this.export = export;
        this.log = log;
    }

    @Override
    public Qid root(FileId id) throws ErrnoException {
        root.learn(id.dev());
        return qid(id);
    }

    @Override
    public Qid qid(FileId id) throws ErrnoException {
        if (root.isOther(id.dev())) {
            String where = "device " + RootDevice.name(id.dev()) + " (the export's is " + RootDevice.name(root.dev())
                    + ")";
            if (!logged.get() && logged.compareAndSet(false, true)) {
                log.log(Level.WARNING, "export ''{0}'' spans several devices: files on {1} fail with ENODEV "
                        + "(multidevs=forbid)", export, where);
            }
            throw new ErrnoException(Errno.ENODEV, "file on " + where + ", refused by multidevs=forbid");
        }
        return raw(id);
    }

    @Override
    public Qid entry(Node dir, DirEntry e) {
        return raw(QidMapper.listed(e));
    }

    private static Qid raw(FileId id) {
        return new Qid(QidMapper.qidType(id.mode()), QidMapper.qidVersion(id), id.ino());
    }

    /** {@link #entry} is the listing's (device, inode): no lookup. */
    @Override
    public boolean entryFromListing() {
        return true;
    }

    @Override
    public String toString() {
        return "multidevs=forbid";
    }
}
