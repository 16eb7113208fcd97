// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.LockOwner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock owners of one gateway. By process id, so that Tgetlock can name the holder of a conflicting lock:
 * libcephfs reports only the holder's pid (a holder on another gateway, or one whose pid another owner reused since,
 * is reported with that pid and an empty client id). And by inode, the open file that carries each owner's locks
 * (see {@link CephFile}).
 */
final class LockOwners {
    private static final int MAX = 4096;
    private final ConcurrentHashMap<Integer, LockOwner> byPid = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Carried, CephFile> carriers = new ConcurrentHashMap<>();

    private record Carried(long ino, long owner) {}

    /** The open file that carries {@code owner}'s locks on {@code ino}: {@code candidate} unless one does already. */
    CephFile carrier(long ino, long owner, CephFile candidate) {
        return carriers.computeIfAbsent(new Carried(ino, owner), key -> candidate);
    }

    /** {@code file} no longer carries {@code owner}'s locks on {@code ino} (it was closed). */
    void dropCarrier(long ino, long owner, CephFile file) {
        carriers.remove(new Carried(ino, owner), file);
    }

    /** {@code owner} has just taken a lock. */
    void holding(LockOwner owner) {
        if (byPid.size() >= MAX) {
            byPid.clear(); // a bound, not a cache policy: the names are a courtesy
        }
        byPid.put(owner.procId(), owner);
    }

    /** The owner that last took a lock with process id {@code pid}, or an anonymous one. */
    LockOwner withPid(int pid) {
        LockOwner known = byPid.get(pid);
        return known != null ? known : new LockOwner(0, pid, "");
    }
}
