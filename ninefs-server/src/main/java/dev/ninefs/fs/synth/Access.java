// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Permission checks as Linux makes them for a user: the owner's bits for the owner, the group's for a member of the
 * file's group, the others' for everyone else; root passes everything but executing a file nobody may execute.
 */
final class Access {
    static final int READ = 4, WRITE = 2, EXEC = 1;
    static final int S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

    private final Map<Integer, Set<Integer>> groups;

    Access(Map<Integer, Set<Integer>> groups) {
        Map<Integer, Set<Integer>> copy = new HashMap<>();
        groups.forEach((uid, gids) -> copy.put(uid, Set.copyOf(gids)));
        this.groups = Map.copyOf(copy);
    }

    static boolean root(int uid) {
        return uid == 0;
    }

    /** Whether {@code uid} belongs to group {@code gid} (synth knows only the memberships it was given). */
    boolean member(int uid, int gid) {
        Set<Integer> of = groups.get(uid);
        return of != null && of.contains(gid);
    }

    /** EACCES unless {@code uid} has every bit of {@code mask} on {@code inode}. */
    void check(int uid, Inode inode, int mask) throws ErrnoException {
        if (!allowed(uid, inode, mask)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    boolean allowed(int uid, Inode inode, int mask) {
        int mode = inode.mode;
        if (root(uid)) {
            return (mask & EXEC) == 0 || inode.isDirectory() || (mode & 0111) != 0;
        }
        int bits;
        if (uid == inode.uid) {
            bits = mode >>> 6;
        } else if (member(uid, inode.gid)) {
            bits = mode >>> 3;
        } else {
            bits = mode;
        }
        return (bits & mask & 7) == mask;
    }

    /** EPERM unless {@code uid} is root or owns {@code inode} (chmod, explicit utimes). */
    static void owner(int uid, Inode inode) throws ErrnoException {
        if (!root(uid) && uid != inode.uid) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /** In a sticky directory only the owners of the entry or of the directory, or root, may remove or rename it. */
    static void sticky(int uid, Directory dir, Inode victim) throws ErrnoException {
        if ((dir.mode & S_ISVTX) != 0 && !root(uid) && uid != dir.uid && uid != victim.uid) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /** The mode after a write or chown by {@code uid}: set-user-ID and set-group-ID go, as Linux drops them. */
    static int killPrivileges(int mode) {
        if ((mode & FileId.S_IFMT) == FileId.S_IFDIR) {
            return mode;
        }
        int kill = S_ISUID;
        if ((mode & S_ISGID) != 0 && (mode & 010) != 0) {
            kill |= S_ISGID; // setgid without group execute marks mandatory locking, which stays
        }
        return mode & ~kill;
    }
}
