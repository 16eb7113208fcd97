// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * The xattr calls of one user on one file, with Linux's rules per namespace: "user." needs read or write
 * permission and exists only on regular files and directories; "trusted." is root's alone (invisible to others);
 * "security." is readable by all and writable by root.
 */
final class ExtendedAttributes {
    private final SynthFileSystem fs;
    private final Store store;
    private final int uid;
    private final Inode inode;

    ExtendedAttributes(SynthFileSystem fs, int uid, Inode inode) {
        this.fs = fs;
        this.store = fs.store;
        this.uid = uid;
        this.inode = inode;
    }

    byte[] get(String name) throws ErrnoException {
        Xattrs.Namespace ns = Xattrs.namespace(name);
        Lock lock = store.tree.readLock();
        lock.lock();
        try {
            mayRead(ns);
            return inode.xattrs.get(name);
        } finally {
            lock.unlock();
        }
    }

    List<String> list() {
        Lock lock = store.tree.readLock();
        lock.lock();
        try {
            List<String> names = inode.xattrs.names();
            if (Access.root(uid)) {
                return names;
            }
            return names.stream().filter(n -> !n.startsWith(Xattrs.Namespace.TRUSTED.prefix)).toList();
        } finally {
            lock.unlock();
        }
    }

    void set(String name, byte[] value, int flags) throws ErrnoException {
        Xattrs.Namespace ns = Xattrs.namespace(name);
        Xattrs.checkValue(value, flags);
        change(ns, () -> inode.xattrs.set(name, value, flags));
    }

    void remove(String name) throws ErrnoException {
        change(Xattrs.namespace(name), () -> inode.xattrs.remove(name));
    }

    private interface Change {
        void run() throws ErrnoException;
    }

    private void change(Xattrs.Namespace ns, Change change) throws ErrnoException {
        if (fs.readOnly()) {
            throw new ErrnoException(Errno.EROFS);
        }
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            mayWrite(ns);
            change.run();
            inode.touchCtime(Timestamp.now());
        } finally {
            lock.unlock();
        }
    }

    private void mayRead(Xattrs.Namespace ns) throws ErrnoException {
        switch (ns) {
            case USER -> {
                if (!userXattrs()) {
                    throw new ErrnoException(Errno.ENODATA);
                }
                store.access.check(uid, inode, Access.READ);
            }
            case TRUSTED -> {
                if (!Access.root(uid)) {
                    throw new ErrnoException(Errno.ENODATA);
                }
            }
            case SECURITY -> {}
        }
    }

    private void mayWrite(Xattrs.Namespace ns) throws ErrnoException {
        switch (ns) {
            case USER -> {
                if (!userXattrs()) {
                    throw new ErrnoException(Errno.EPERM, "user xattrs only on files and directories");
                }
                store.access.check(uid, inode, Access.WRITE);
            }
            case TRUSTED, SECURITY -> {
                if (!Access.root(uid)) {
                    throw new ErrnoException(Errno.EPERM);
                }
            }
        }
    }

    private boolean userXattrs() {
        int type = inode.type();
        return type == FileId.S_IFREG || type == FileId.S_IFDIR;
    }
}
