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
 *
 * <p>Qids: when the mapper needs only the listing ({@link QidMapper#entryFromListing}, the usual case) each entry
 * becomes its {@link Dirent} as it arrives, so a large listing keeps one object per entry, not two. Otherwise the
 * qids are made after the listing, outside the backend's readdir (the policy looks each entry up).
 */
final class DirentPacker implements DirSink {
    /** qid[13] offset[8] type[1] and the name's length[2]. */
    private static final int FIXED = Qid.SIZE + 8 + 1 + 2;
    /** Entries the lists start with: a large listing grows them a few times, a small one wastes little. */
    private static final int INITIAL = 256;

    private final int capacity;
    private final QidMapper qids;
    private final Node dir;
    private final boolean early;
    /** The entries waiting for their qids (not early). */
    private final List<DirEntry> entries;
    private final ArrayList<Dirent> dirents;
    /** Early: why the entry that ended the listing got no qid. */
    private ErrnoException noQid;
    private int used;
    private boolean refused;

    /** A packer for {@code capacity} bytes of entries of {@code dir}, whose qids {@code qids} gives. */
    DirentPacker(int capacity, QidMapper qids, Node dir) {
        this.capacity = capacity;
        this.qids = qids;
        this.dir = dir;
        this.early = qids.entryFromListing();
        int initial = Math.min(INITIAL, capacity / FIXED + 1);
        this.entries = early ? List.of() : new ArrayList<>(initial);
        this.dirents = new ArrayList<>(initial);
    }

    /** Room for as many of the {@code entries} announced as can fit (each takes at least FIXED + 1 bytes). */
    @Override
    public void expect(int entries) {
        if (early) {
            dirents.ensureCapacity(dirents.size() + Math.min(entries, (capacity - used) / (FIXED + 1)));
        }
    }

    @Override
    public boolean accept(DirEntry e) {
        if (refused || noQid != null) {
            return false; // full: a later entry must not jump the one refused
        }
        int size = FIXED + Names.utf8Length(e.name());
        if (used + size > capacity) {
            refused = true;
            return false;
        }
        if (early) {
            Qid qid;
            try {
                qid = qids.entry(dir, e);
            } catch (ErrnoException x) {
                noQid = x;
                return false;
            }
            dirents.add(new Dirent(qid, e.offset(), e.dtype(), e.name()));
        } else {
            entries.add(e);
        }
        used += size;
        return true;
    }

    /**
     * The reply. An entry that gets no qid ends the reply before it (the client asks again from there and then
     * gets the error); if it is the first, the error is the reply. No entry at all because the first one did not
     * fit would read as the end of the directory, so it is EINVAL instead, as getdents(2) answers a buffer too
     * small for one entry.
     */
    Rreaddir reply() throws ErrnoException {
        if (!early) {
            qidsAfterListing();
        }
        if (dirents.isEmpty() && noQid != null) {
            throw noQid;
        }
        if (dirents.isEmpty() && refused) {
            throw new ErrnoException(Errno.EINVAL, "readdir count " + capacity + " too small for the next entry");
        }
        return new Rreaddir(dirents);
    }

    private void qidsAfterListing() {
        for (DirEntry e : entries) {
            try {
                dirents.add(new Dirent(qids.entry(dir, e), e.offset(), e.dtype(), e.name()));
            } catch (ErrnoException x) {
                noQid = x;
                return;
            }
        }
    }
}
