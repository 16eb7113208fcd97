// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileId;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.concurrent.locks.Lock;

/**
 * One Tsetattr on one file for one user: chmod, chown, truncate, utimes, in that order, each with the checks
 * Linux makes (the owner or root changes the mode; only root gives a file away; truncating needs write
 * permission; explicit times need the owner, "now" the owner or write permission). The first failure stops.
 */
final class Attributes {
    private static final long NSEC_PER_SEC = 1_000_000_000L;

    private final Store store;
    private final int uid;
    private final Inode inode;

    Attributes(Store store, int uid, Inode inode) {
        this.store = store;
        this.uid = uid;
        this.inode = inode;
    }

    void apply(SetAttr c) throws ErrnoException {
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            Timestamp now = Timestamp.now();
            if (c.has(Dotl.SETATTR_MODE)) {
                chmod(c.mode(), now);
            }
            if (c.has(Dotl.SETATTR_UID) || c.has(Dotl.SETATTR_GID)) {
                chown(c.has(Dotl.SETATTR_UID) ? c.uid() : inode.uid, c.has(Dotl.SETATTR_GID) ? c.gid() : inode.gid,
                        now);
            }
            if (c.has(Dotl.SETATTR_SIZE)) {
                truncate(c.size(), now);
            }
            if (c.has(Dotl.SETATTR_ATIME) || c.has(Dotl.SETATTR_MTIME)) {
                utimes(c, now);
            }
            if (c.has(Dotl.SETATTR_CTIME)) {
                inode.touchCtime(now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void chmod(int mode, Timestamp now) throws ErrnoException {
        Access.owner(uid, inode);
        int bits = mode & 07777;
        if (!Access.root(uid) && !store.access.member(uid, inode.gid)) {
            bits &= ~Access.S_ISGID; // as Linux: a non-member cannot make a file set-group-ID
        }
        inode.mode = (inode.mode & FileId.S_IFMT) | bits;
        inode.touchCtime(now);
    }

    private void chown(int newUid, int newGid, Timestamp now) throws ErrnoException {
        if (!Access.root(uid)) {
            boolean owner = uid == inode.uid;
            if (!owner || newUid != inode.uid) {
                throw new ErrnoException(Errno.EPERM, "only root changes a file's owner");
            }
            if (newGid != inode.gid && !store.access.member(uid, newGid)) {
                throw new ErrnoException(Errno.EPERM, "not a member of group " + newGid);
            }
        }
        inode.uid = newUid;
        inode.gid = newGid;
        inode.mode = Access.killPrivileges(inode.mode);
        inode.touchCtime(now);
    }

    private void truncate(long size, Timestamp now) throws ErrnoException {
        if (inode.isDirectory()) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (!(inode instanceof RegularFile file)) {
            throw new ErrnoException(Errno.EINVAL, "truncate of a special file");
        }
        if (size < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative size");
        }
        store.access.check(uid, inode, Access.WRITE);
        if (size > store.maxFileSize) {
            throw new ErrnoException(Errno.EFBIG);
        }
        file.io.writeLock().lock();
        try {
            file.content.truncate(size);
            file.dataVersion++;
        } finally {
            file.io.writeLock().unlock();
        }
        if (!Access.root(uid)) {
            inode.mode = Access.killPrivileges(inode.mode);
        }
        inode.touchModified(now);
    }

    private void utimes(SetAttr c, Timestamp now) throws ErrnoException {
        boolean atime = c.has(Dotl.SETATTR_ATIME);
        boolean mtime = c.has(Dotl.SETATTR_MTIME);
        boolean explicit = (atime && c.has(Dotl.SETATTR_ATIME_SET)) || (mtime && c.has(Dotl.SETATTR_MTIME_SET));
        if (explicit) {
            Access.owner(uid, inode);
        } else if (!Access.root(uid) && uid != inode.uid && !store.access.allowed(uid, inode, Access.WRITE)) {
            throw new ErrnoException(Errno.EACCES);
        }
        Timestamp a = atime ? time(c.has(Dotl.SETATTR_ATIME_SET), c.atimeSec(), c.atimeNsec(), now) : null;
        Timestamp m = mtime ? time(c.has(Dotl.SETATTR_MTIME_SET), c.mtimeSec(), c.mtimeNsec(), now) : null;
        if (a != null) {
            inode.atime = a;
        }
        if (m != null) {
            inode.mtime = m;
        }
        inode.touchCtime(now);
    }

    private static Timestamp time(boolean given, long sec, long nsec, Timestamp now) throws ErrnoException {
        if (!given) {
            return now;
        }
        if (nsec < 0 || nsec >= NSEC_PER_SEC) {
            throw new ErrnoException(Errno.EINVAL, "nanoseconds " + nsec);
        }
        return new Timestamp(sec, nsec);
    }
}
