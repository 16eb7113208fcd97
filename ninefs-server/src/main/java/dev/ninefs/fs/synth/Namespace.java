// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static dev.ninefs.fs.synth.Access.EXEC;
import static dev.ninefs.fs.synth.Access.S_ISGID;
import static dev.ninefs.fs.synth.Access.WRITE;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Lock;

/**
 * The changes to names: create, link, unlink and rename, with the checks Linux makes and in its order (a missing
 * search permission before EEXIST before EROFS before a missing write permission...), and the link counts and
 * times they change. Each takes the tree write lock.
 */
final class Namespace {
    static final int NAME_MAX = 255;
    static final long LINK_MAX = 65000;

    /** Builds the inode of a new file. */
    @FunctionalInterface
    interface Factory {
        Inode make(long ino, int mode, int uid, int gid, Timestamp now);
    }

    private final Store store;

    Namespace(Store store) {
        this.store = store;
    }

    /** EINVAL for a name that is not one component, ENAMETOOLONG beyond 255 bytes. */
    static void checkName(String name) throws ErrnoException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL, "bad name \"" + name + "\"");
        }
        if (name.length() > NAME_MAX / 3 && name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
    }

    /**
     * A new file {@code name} in {@code dir}, owned by {@code uid} and {@code gid} (the directory's group when it is
     * set-group-ID, as Linux does), retained once for the caller's node.
     */
    Inode create(int uid, boolean readOnly, Directory dir, String name, int mode, int gid, Factory factory)
            throws ErrnoException {
        checkName(name);
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            checkNewName(uid, readOnly, dir, name);
            boolean isDir = (mode & FileId.S_IFMT) == FileId.S_IFDIR;
            if ((dir.mode & S_ISGID) != 0) {
                gid = dir.gid;
                if (isDir) {
                    mode |= S_ISGID;
                }
            }
            if (!isDir && (mode & S_ISGID) != 0 && !Access.root(uid) && !store.access.member(uid, gid)) {
                mode &= ~S_ISGID;
            }
            int owner = uid;
            int group = gid;
            int bits = mode;
            Timestamp now = Timestamp.now();
            Inode inode = store.allocate((ino, t) -> factory.make(ino, bits, owner, group, t), now);
            inode.nlink = isDir ? 2 : 1;
            dir.add(name, inode);
            if (isDir) {
                dir.nlink++;
            }
            dir.touchModified(now);
            inode.retain();
            return inode;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The checks before {@code name} is added to {@code dir}, in Linux's order: the directory still exists, may be
     * searched, has no such entry, is writable. Under the tree write lock.
     */
    private void checkNewName(int uid, boolean readOnly, Directory dir, String name) throws ErrnoException {
        if (dir.nlink == 0) {
            throw new ErrnoException(Errno.ENOENT, "directory was removed");
        }
        store.access.check(uid, dir, EXEC);
        if (dir.lookup(name) != null) {
            throw new ErrnoException(Errno.EEXIST);
        }
        readOnly(readOnly);
        store.access.check(uid, dir, WRITE);
    }

    /** A new name {@code name} in {@code dir} for {@code target}. */
    void link(int uid, boolean readOnly, Directory dir, String name, Inode target) throws ErrnoException {
        checkName(name);
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            checkNewName(uid, readOnly, dir, name);
            if (target.isDirectory()) {
                throw new ErrnoException(Errno.EPERM, "hard link to a directory");
            }
            if (target.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "link to an unlinked file");
            }
            if (target.nlink >= LINK_MAX) {
                throw new ErrnoException(Errno.EMLINK);
            }
            Timestamp now = Timestamp.now();
            dir.add(name, target);
            target.nlink++;
            target.touchCtime(now);
            dir.touchModified(now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes entry {@code name} of {@code dir}: a directory with AT_REMOVEDIR, otherwise a non-directory. With
     * {@code expected} set, only if the entry still names that file (Tremove of a node), else ENOENT.
     */
    void unlink(int uid, boolean readOnly, Directory dir, String name, int flags, Inode expected)
            throws ErrnoException {
        if ((flags & ~Dotl.AT_REMOVEDIR) != 0) {
            throw new ErrnoException(Errno.EINVAL, "unlinkat flags " + flags);
        }
        checkName(name);
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            store.access.check(uid, dir, EXEC);
            readOnly(readOnly);
            Inode victim = dir.lookup(name);
            if (victim == null || (expected != null && victim != expected)) {
                throw new ErrnoException(Errno.ENOENT);
            }
            store.access.check(uid, dir, WRITE);
            Access.sticky(uid, dir, victim);
            if ((flags & Dotl.AT_REMOVEDIR) != 0) {
                if (!(victim instanceof Directory d)) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                if (!d.isEmpty()) {
                    throw new ErrnoException(Errno.ENOTEMPTY);
                }
            } else if (victim.isDirectory()) {
                throw new ErrnoException(Errno.EISDIR);
            }
            detach(dir, name, Timestamp.now());
        } finally {
            lock.unlock();
        }
    }

    /** Renames entry {@code oldName} of {@code src} to {@code newName} in {@code dst}, as rename(2). */
    void rename(int uid, boolean readOnly, Directory src, String oldName, Directory dst, String newName)
            throws ErrnoException {
        checkName(oldName);
        checkName(newName);
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            store.access.check(uid, src, EXEC);
            store.access.check(uid, dst, EXEC);
            readOnly(readOnly);
            Inode victim = src.lookup(oldName);
            if (victim == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (dst.nlink == 0) {
                throw new ErrnoException(Errno.ENOENT, "target directory was removed");
            }
            if (victim instanceof Directory moved && dst.within(moved)) {
                throw new ErrnoException(Errno.EINVAL, "directory moved into itself");
            }
            Inode target = dst.lookup(newName);
            if (target instanceof Directory replaced && src.within(replaced)) {
                throw new ErrnoException(Errno.ENOTEMPTY, "target is an ancestor of the source");
            }
            if (target == victim) {
                return; // the same file under both names: rename(2) does nothing
            }
            store.access.check(uid, src, WRITE);
            Access.sticky(uid, src, victim);
            if (target == null) {
                store.access.check(uid, dst, WRITE);
            } else {
                if (victim.isDirectory() && !target.isDirectory()) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                if (!victim.isDirectory() && target.isDirectory()) {
                    throw new ErrnoException(Errno.EISDIR);
                }
                store.access.check(uid, dst, WRITE);
                Access.sticky(uid, dst, target);
            }
            if (victim.isDirectory() && src != dst) {
                store.access.check(uid, victim, WRITE); // its ".." changes
            }
            if (target instanceof Directory replaced && !replaced.isEmpty()) {
                throw new ErrnoException(Errno.ENOTEMPTY);
            }
            Timestamp now = Timestamp.now();
            if (target != null) {
                detach(dst, newName, now);
            }
            src.remove(oldName);
            dst.add(newName, victim);
            if (victim.isDirectory() && src != dst) {
                src.nlink--;
                dst.nlink++;
            }
            victim.touchCtime(now);
            src.touchModified(now);
            dst.touchModified(now);
        } finally {
            lock.unlock();
        }
    }

    private void detach(Directory dir, String name, Timestamp now) {
        Inode victim = dir.remove(name);
        if (victim.isDirectory()) {
            victim.nlink = 0;
            dir.nlink--;
        } else {
            victim.nlink--;
        }
        victim.touchCtime(now);
        dir.touchModified(now);
        victim.unlinked(store.space);
    }

    private static void readOnly(boolean readOnly) throws ErrnoException {
        if (readOnly) {
            throw new ErrnoException(Errno.EROFS);
        }
    }
}
