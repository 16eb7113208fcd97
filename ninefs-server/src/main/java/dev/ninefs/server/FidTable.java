// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fids of one session. A fid number the client does not hold is EBADF, and so is a new fid number the client
 * already holds (one rule for every fid-number mistake; QEMU says EINVAL for the latter, the Linux client never
 * makes it). More than {@code limit} fids is EMFILE.
 */
final class FidTable {
    private final ConcurrentHashMap<Integer, Fid> fids = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int limit;

    FidTable(int limit) {
        this.limit = limit;
    }

    /** The fid {@code number} with one use taken; close it when done. EBADF if there is none. */
    Fid use(int number) throws ErrnoException {
        Fid fid = fids.get(number);
        if (fid == null || !fid.retain()) {
            throw Errors.badFid(number, "unknown");
        }
        return fid;
    }

    /** Fails early (before any work) when {@code number} cannot become a new fid. */
    void checkFree(int number) throws ErrnoException {
        if (fids.containsKey(number)) {
            throw Errors.badFid(number, "already in use");
        }
        if (count.get() >= limit) {
            throw new ErrnoException(Errno.EMFILE, "limit of " + limit + " fids per connection reached");
        }
    }

    /**
     * Adds fid {@code number} holding {@code state}. On failure (EBADF, EMFILE) the caller still owns
     * {@code state} and must close it.
     */
    void add(int number, Export export, FidState state) throws ErrnoException {
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            throw new ErrnoException(Errno.EMFILE, "limit of " + limit + " fids per connection reached");
        }
        if (fids.putIfAbsent(number, new Fid(number, export, state)) != null) {
            count.decrementAndGet();
            throw Errors.badFid(number, "already in use");
        }
    }

    /**
     * Puts a fresh fid holding {@code state} where {@code old} is, and ends the table's use of {@code old}. EBADF
     * if {@code old} was clunked meanwhile; the caller then still owns {@code state}.
     */
    void replace(Fid old, FidState state) throws ErrnoException {
        if (!fids.replace(old.number(), old, new Fid(old.number(), old.export(), state))) {
            throw Errors.badFid(old.number(), "clunked while in use");
        }
        old.close();
    }

    /** Takes fid {@code number} out of the table; the caller gets the table's use and must close it. */
    Fid remove(int number) throws ErrnoException {
        Fid fid = fids.remove(number);
        if (fid == null) {
            throw Errors.badFid(number, "unknown");
        }
        count.decrementAndGet();
        return fid;
    }

    /** Clunks every fid (end of session, or a Tversion that resets it). */
    void clear() {
        List<Fid> all = new ArrayList<>(fids.values());
        for (Fid fid : all) {
            if (fids.remove(fid.number(), fid)) {
                count.decrementAndGet();
                fid.close();
            }
        }
    }

    int size() {
        return count.get();
    }
}
