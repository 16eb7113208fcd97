// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Qid;

/**
 * qid.path is the inode number. Unique as long as the export does not cross a device boundary; issue 5's
 * multidevs policies replace this mapper where it does.
 */
final class InodeQidMapper implements QidMapper {
    static final InodeQidMapper INSTANCE = new InodeQidMapper();

    private InodeQidMapper() {}

    @Override
    public Qid qid(FileId id) {
        return new Qid(QidMapper.qidType(id.mode()), QidMapper.qidVersion(id), id.ino());
    }

    /** {@link #entry} is the listing's (device, inode): no lookup. */
    @Override
    public boolean entryFromListing() {
        return true;
    }

    @Override
    public String toString() {
        return "inodes";
    }
}
