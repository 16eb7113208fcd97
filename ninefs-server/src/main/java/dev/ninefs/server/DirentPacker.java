// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.DirSink;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Message.Rreaddir;
import dev.ninefs.protocol.Qid;
import dev.ninefs.qid.QidMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills one Rreaddir: takes whole entries while they fit in the client's count, refuses the first that does not.
 * The entries' qids are made after the listing, outside the backend's readdir (a qid policy may look each entry up).
 */
final class DirentPacker implements DirSink {
    /** qid[13] offset[8] type[1] and the name's length[2]. */
    private static final int FIXED = Qid.SIZE + 8 + 1 + 2;

    private final int capacity;
    private final List<DirEntry> entries = new ArrayList<>();
    private int used;
    private boolean refused;

    DirentPacker(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean accept(DirEntry e) {
        int size = FIXED + Names.utf8Length(e.name());
        if (used + size > capacity) {
            refused = true;
            return false;
        }
        entries.add(e);
        used += size;
        return true;
    }

    /**
     * The reply, each entry with the qid {@code qids} gives it in directory {@code dir}. An entry that gets no qid
     * ends the reply before it (the client asks again from there and then gets the error); if it is the first, the
     * error is the reply. No entry at all because the first one did not fit would read as the end of the directory,
     * so it is EINVAL instead, as getdents(2) answers a buffer too small for one entry.
     */
    Rreaddir reply(QidMapper qids, Node dir) throws ErrnoException {
        if (entries.isEmpty() && refused) {
            throw new ErrnoException(Errno.EINVAL, "readdir count " + capacity + " too small for the next entry");
        }
        List<Dirent> dirents = new ArrayList<>(entries.size());
        for (DirEntry e : entries) {
            Qid qid;
            try {
                qid = qids.entry(dir, e);
            } catch (ErrnoException x) {
                if (dirents.isEmpty()) {
                    throw x;
                }
                break;
            }
            dirents.add(new Dirent(qid, e.offset(), e.dtype(), e.name()));
        }
        return new Rreaddir(dirents);
    }
}
