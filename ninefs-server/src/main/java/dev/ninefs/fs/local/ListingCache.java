// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.posix.Inotify;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.protocol.ErrnoException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The listings of large directories of one export, kept so that listing an unchanged directory again skips
 * getdents64 (about half of the server's CPU for a 10,000-entry listing). Keyed by the directory's (dev, ino),
 * bounded by an estimate of the heap held, least recently used dropped first with its watch.
 *
 * <p>Never stale: every cached directory has an inotify watch for any change to its entries, and every
 * {@link #get} first reads all queued events and drops what they touch. The kernel queues an event inside the
 * system call that made the change, so a change whose call returned before a Treaddir arrived is seen by that
 * Treaddir's drain. A fill adds the watch before it reads the directory ({@link #begin}) and is stored only if
 * no event for that watch came in meanwhile ({@link #store}). Only file systems whose every change goes through
 * the local kernel's VFS (and so raises inotify events) are cached: not NFS, FUSE, overlayfs, 9p or other network
 * and stacked file systems, whose changes can come from elsewhere.
 *
 * <p>Thread-safe: one lock guards the maps and the inotify descriptor; a {@link Listing} is immutable and is
 * served outside the lock.
 */
final class ListingCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ListingCache.class.getPackageName());

    /** Default bound: a 10,000-entry directory of short names holds about 1 MiB. */
    static final long DEFAULT_MAX_BYTES = 4L << 20;
    /** Watched directories kept at most (with or without a listing). */
    static final int MAX_WATCHES = 256;
    /** Every change to a directory's own entries, its removal or move, and the unmount below it. */
    private static final int MASK = Inotify.IN_CREATE | Inotify.IN_DELETE | Inotify.IN_MOVED_FROM
            | Inotify.IN_MOVED_TO | Inotify.IN_DELETE_SELF | Inotify.IN_MOVE_SELF | Inotify.IN_ONLYDIR
            | Inotify.IN_EXCL_UNLINK;
    /** Events that only say the watch is gone or the queue lost events: never a reason to keep anything. */
    private static final int GONE = Inotify.IN_IGNORED | Inotify.IN_UNMOUNT;

    /** statfs f_type of the file systems whose changes all pass the local VFS: ext2/3/4, xfs, btrfs, tmpfs, f2fs. */
    static final Set<Integer> LOCAL_TYPES = Set.of(0xEF53, 0x58465342, (int) 0x9123683EL, 0x01021994,
            (int) 0xF2F52010L);

    private final long maxBytes;
    private final Set<Integer> cacheableTypes;
    /** In access order: the first is the least recently used. */
    private final LinkedHashMap<FileKey, Slot> byKey = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Integer, Slot> byWatch = new HashMap<>();
    private Inotify inotify;
    private boolean broken;
    private boolean closed;
    private long bytes;
    private long hits, fills, stored;

    /** One watched directory. */
    private static final class Slot {
        final FileKey key;
        final int wd;
        /** Bumped by every event for this watch: a fill begun before it is stale. */
        long generation;
        Listing listing;
        /** Fills in a row dropped before a hit: a directory that keeps changing is filled ever less often. */
        int wasted;
        int skip;
        boolean hit;

        Slot(FileKey key, int wd) {
            this.key = key;
            this.wd = wd;
        }
    }

    /** A fill in progress: stored only if its watch saw no event since {@link #begin}. */
    record Ticket(FileKey key, int wd, long generation) {}

    /** What the cache did so far, for tests and diagnostics. */
    record Stats(long hits, long fills, long stored, int listings, long bytes, int watches) {}

    ListingCache(long maxBytes, Set<Integer> cacheableTypes) {
        this.maxBytes = maxBytes;
        this.cacheableTypes = Set.copyOf(cacheableTypes);
    }

    /** The cached listing of directory {@code key}, or null; reads every queued event first. */
    synchronized Listing get(FileKey key) {
        if (!drain()) {
            return null;
        }
        Slot slot = byKey.get(key);
        if (slot == null || slot.listing == null) {
            return null;
        }
        hits++;
        slot.hit = true;
        return slot.listing;
    }

    /** Whether a directory on a file system of statfs type {@code fsType} may be cached. */
    boolean cacheable(int fsType) {
        return cacheableTypes.contains(fsType);
    }

    /**
     * Starts filling the listing of directory {@code key}, open as {@code dirfd}: watches it, so that any change
     * from now on is seen, and returns the ticket to {@link #store} the listing read after this; null if this
     * directory is not to be cached now (a file system not in the allowlist, inotify unavailable, a directory that
     * kept changing under its last fills).
     */
    Ticket begin(FileKey key, int dirfd) {
        try {
            if (!cacheable(PosixIo.fstatfs(dirfd).type())) {
                return null;
            }
        } catch (ErrnoException e) {
            return null;
        }
        synchronized (this) {
            return watch(key, dirfd);
        }
    }

    private Ticket watch(FileKey key, int dirfd) {
        if (!drain()) {
            return null;
        }
        Slot slot = byKey.get(key);
        if (slot != null && slot.skip > 0) {
            slot.skip--;
            return null;
        }
        int wd;
        try {
            wd = inotify.addWatch(Posix.procPath(dirfd), MASK);
        } catch (ErrnoException e) {
            // ENOSPC: max_user_watches used up; EACCES: not readable. Listed without the cache, as before.
            LOG.log(Level.DEBUG, "no inotify watch for a directory listing: {0}", e.getMessage());
            return null;
        }
        if (slot != null && slot.wd != wd) {
            // The same (dev, ino) is another inode now (the old directory is gone): forget the old one.
            remove(slot, true);
            slot = null;
        }
        if (slot == null) {
            Slot other = byWatch.get(wd);
            if (other != null) {
                remove(other, false); // the inode's number was reused under a key we no longer hold
            }
            slot = new Slot(key, wd);
            byKey.put(key, slot);
            byWatch.put(wd, slot);
            evict(slot);
        }
        fills++;
        return new Ticket(key, wd, slot.generation);
    }

    /**
     * Keeps {@code listing}, read after {@code ticket} was issued, unless an event for its watch came in since (the
     * listing may then miss that change) or it alone is larger than the bound.
     */
    synchronized void store(Ticket ticket, Listing listing) {
        if (!drain()) {
            return;
        }
        Slot slot = byKey.get(ticket.key());
        if (slot == null || slot.wd != ticket.wd() || slot.generation != ticket.generation()
                || listing.bytes() > maxBytes) {
            return;
        }
        if (slot.listing != null) {
            bytes -= slot.listing.bytes();
        }
        slot.listing = listing;
        slot.hit = false;
        bytes += listing.bytes();
        stored++;
        evict(slot);
    }

    synchronized Stats stats() {
        int listings = 0;
        for (Slot s : byKey.values()) {
            listings += s.listing == null ? 0 : 1;
        }
        return new Stats(hits, fills, stored, listings, bytes, byKey.size());
    }

    /** Drops every listing and the inotify instance with its watches. */
    @Override
    public synchronized void close() {
        closed = true;
        forgetAll();
    }

    /** Drops every listing and watch, with the inotify instance. */
    private void forgetAll() {
        byKey.clear();
        byWatch.clear();
        bytes = 0;
        if (inotify != null) {
            inotify.close();
            inotify = null;
        }
    }

    /**
     * Reads every queued event and drops the listings they touch; false (cache nothing) when the cache is closed
     * or has no inotify instance and cannot get one.
     */
    private boolean drain() {
        if (closed || broken) {
            return false;
        }
        try {
            if (inotify == null) {
                inotify = Inotify.open();
            }
            inotify.drain(this::event);
            return true;
        } catch (ErrnoException e) {
            // EMFILE (max_user_instances) or a failed read: no caching for this export from now on.
            LOG.log(Level.WARNING, "directory listings are not cached: {0}", e.getMessage());
            broken = true;
            forgetAll();
            return false;
        }
    }

    private void event(int wd, int mask) {
        if ((mask & Inotify.IN_Q_OVERFLOW) != 0) {
            // Events were lost: any listing may be stale.
            for (Slot s : byKey.values()) {
                invalidate(s);
            }
            return;
        }
        Slot slot = byWatch.get(wd);
        if (slot == null) {
            return; // a watch already forgotten (its IN_IGNORED after removal, or events queued before)
        }
        if ((mask & GONE) != 0) {
            remove(slot, (mask & Inotify.IN_IGNORED) == 0);
        } else {
            invalidate(slot);
        }
    }

    private void invalidate(Slot slot) {
        slot.generation++;
        if (slot.listing != null) {
            bytes -= slot.listing.bytes();
            slot.listing = null;
            if (!slot.hit) {
                // Filled and changed before anyone listed it again: wait ever more listings before the next fill.
                slot.wasted = Math.min(slot.wasted + 1, 6);
                slot.skip = (1 << slot.wasted) - 1;
            } else {
                slot.wasted = 0;
            }
        }
    }

    /** Forgets {@code slot}; {@code unwatch} also removes its watch (false when the kernel already has). */
    private void remove(Slot slot, boolean unwatch) {
        invalidate(slot);
        byKey.remove(slot.key, slot);
        byWatch.remove(slot.wd, slot);
        if (unwatch && inotify != null) {
            inotify.removeWatch(slot.wd);
        }
    }

    /** Drops the least recently used directories until the bounds hold, never {@code keep}. */
    private void evict(Slot keep) {
        if (bytes <= maxBytes && byKey.size() <= MAX_WATCHES) {
            return;
        }
        List<Slot> victims = new ArrayList<>();
        long left = bytes;
        int count = byKey.size();
        Iterator<Slot> it = byKey.values().iterator();
        while (it.hasNext() && (left > maxBytes || count > MAX_WATCHES)) {
            Slot s = it.next();
            if (s == keep) {
                continue;
            }
            victims.add(s);
            left -= s.listing == null ? 0 : s.listing.bytes();
            count--;
        }
        victims.forEach(s -> remove(s, true));
    }
}
