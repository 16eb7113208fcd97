// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirEntry;
import java.util.List;

/**
 * One directory's entries as getdents64 gives them from offset 0, in its order, reserved names left out, each with
 * its own d_off cookie, the host's d_type and inode number (the reader maps them as an uncached listing would).
 * Immutable, so any number of requests serve it at once.
 */
final class Listing {
    /** Rough heap cost of one entry beyond its name's bytes: the DirEntry, its String, the array slot. */
    private static final int ENTRY_OVERHEAD = 96;

    private final DirEntry[] entries;
    /** Whether the cookies strictly increase (ext4's hash order, xfs, btrfs, tmpfs): then they are binary searched. */
    private final boolean ascending;
    private final long bytes;

    Listing(List<DirEntry> entries) {
        this.entries = entries.toArray(DirEntry[]::new);
        boolean up = true;
        long size = 0;
        for (int i = 0; i < this.entries.length; i++) {
            up &= i == 0 || this.entries[i].offset() > this.entries[i - 1].offset();
            size += ENTRY_OVERHEAD + this.entries[i].name().length();
        }
        this.ascending = up;
        this.bytes = size;
    }

    int size() {
        return entries.length;
    }

    DirEntry get(int i) {
        return entries[i];
    }

    /** An estimate of the heap this listing holds, for the cache's bound. */
    long bytes() {
        return bytes;
    }

    /**
     * Where a listing resumed at {@code cookie} starts: 0 for cookie 0, the entry after the first one whose d_off is
     * {@code cookie} (as lseek to that cookie and getdents64 continue), or -1 for a cookie this listing never gave
     * (the caller then asks the file system itself).
     */
    int after(long cookie) {
        if (cookie == 0) {
            return 0;
        }
        if (ascending) {
            int lo = 0, hi = entries.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long at = entries[mid].offset();
                if (at < cookie) {
                    lo = mid + 1;
                } else if (at > cookie) {
                    hi = mid - 1;
                } else {
                    return mid + 1;
                }
            }
            return -1;
        }
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].offset() == cookie) {
                return i + 1;
            }
        }
        return -1;
    }
}
