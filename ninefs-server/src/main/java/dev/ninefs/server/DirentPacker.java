// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message.Rreaddir;
import dev.ninefs.protocol.Qid;
import dev.ninefs.qid.QidMapper;
import java.util.ArrayList;
import java.util.List;

/** Fills one Rreaddir: takes whole entries while they fit in the client's count, refuses the first that does not. */
final class DirentPacker implements DirSink {
    /** qid[13] offset[8] type[1] and the name's length[2]. */
    private static final int FIXED = Qid.SIZE + 8 + 1 + 2;

    private final int capacity;
    private final QidMapper qids;
    private final List<Dirent> entries = new ArrayList<>();
    private int used;
    private boolean refused;
    private ErrnoException failure;

    DirentPacker(int capacity, QidMapper qids) {
        this.capacity = capacity;
        this.qids = qids;
    }

    @Override
    public boolean accept(DirEntry e) {
        int size = FIXED + Names.utf8Length(e.name());
        if (used + size > capacity || failure != null) {
            refused = true;
            return false;
        }
        try {
            // DTTOIF: the file type bits of st_mode are the d_type shifted by 12.
            Qid qid = qids.qid(new FileId(e.dev(), e.ino(), e.dtype() << 12, 0));
            entries.add(new Dirent(qid, e.offset(), e.dtype(), e.name()));
        } catch (ErrnoException x) {
            failure = x;
            return false;
        }
        used += size;
        return true;
    }

    /**
     * The reply. No entry at all because the first one did not fit would read as the end of the directory, so it is
     * EINVAL instead, as getdents(2) answers a buffer too small for one entry.
     */
    Rreaddir reply() throws ErrnoException {
        if (failure != null && entries.isEmpty()) {
            throw failure;
        }
        if (entries.isEmpty() && refused) {
            throw new ErrnoException(Errno.EINVAL, "readdir count " + capacity + " too small for the next entry");
        }
        return new Rreaddir(entries);
    }
}
