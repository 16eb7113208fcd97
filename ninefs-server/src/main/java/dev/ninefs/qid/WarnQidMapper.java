// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Qid;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * multidevs=warn (the default for local exports): qid.path is the raw inode number, as with {@link InodeQidMapper};
 * the first file seen on a device other than the export root's logs one warning, since its inode number may equal
 * one on the root's device.
 */
final class WarnQidMapper implements QidMapper {
    private final String export;
    private final System.Logger log;
    private final RootDevice root = new RootDevice();
    private final AtomicBoolean warned = new AtomicBoolean();

    WarnQidMapper(String export, System.Logger log) {
        this.export = export;
        this.log = log;
    }

    @Override
    public Qid root(FileId id) {
        root.learn(id.dev());
        return qid(id);
    }

    @Override
    public Qid qid(FileId id) {
        if (root.isOther(id.dev()) && !warned.get()) {
            warnOnce(id);
        }
        return new Qid(QidMapper.qidType(id.mode()), QidMapper.qidVersion(id), id.ino());
    }

    /** Out of line, so that {@link #qid}, called for every entry of a listing, stays small enough to inline. */
    private void warnOnce(FileId id) {
        if (warned.compareAndSet(false, true)) {
            log.log(Level.WARNING, "export ''{0}'' spans several devices: found {1} besides the root''s {2}. Inode "
                    + "numbers of two devices may be equal, which confuses tar, rsync, git, Samba and find -samefile "
                    + "on the client; add multidevs=remap to the export for unique inode numbers (or multidevs=forbid "
                    + "to refuse files on other devices)", export, RootDevice.name(id.dev()), RootDevice.name(root.dev()));
        }
    }

    /** {@link #entry} is the listing's (device, inode): no lookup. */
    @Override
    public boolean entryFromListing() {
        return true;
    }

    @Override
    public String toString() {
        return "multidevs=warn";
    }
}
