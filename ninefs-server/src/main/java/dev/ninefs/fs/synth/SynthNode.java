// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static dev.ninefs.fs.synth.Access.EXEC;
import static dev.ninefs.fs.synth.Access.READ;
import static dev.ninefs.fs.synth.Access.WRITE;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

/**
 * A synth file as a fid holds it, acting for one uid. It holds the inode, so it keeps referring to the same file
 * through renames and unlinks; it remembers the name it was reached by, for Tremove and Trename.
 */
final class SynthNode implements Node {
    private static final int SYMLINK_MAX = 4095;
    private static final int TMPFS_MAGIC = 0x01021994;

    final SynthFileSystem fs;
    final Inode inode;
    private final Store store;
    private final int uid;
    private volatile Inode.Link reachedBy;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** For an inode the caller has retained once on this node's behalf. */
    SynthNode(SynthFileSystem fs, int uid, Inode inode, Inode.Link reachedBy) {
        this.fs = fs;
        this.store = fs.store;
        this.uid = uid;
        this.inode = inode;
        this.reachedBy = reachedBy;
    }

    @Override
    public FileId fileId() {
        return getattr().fileId();
    }

    @Override
    public Node walk(String name) throws ErrnoException {
        Directory dir = directory();
        Lock lock = store.tree.readLock();
        lock.lock();
        try {
            store.access.check(uid, dir, EXEC);
            Inode child;
            Inode.Link link = null;
            switch (name) {
                case "." -> child = dir;
                case ".." -> {
                    if (dir.nlink == 0) {
                        throw new ErrnoException(Errno.ENOENT, "directory was removed");
                    }
                    child = dir.parent;
                }
                default -> {
                    Namespace.checkName(name);
                    child = dir.lookup(name);
                    if (child == null) {
                        throw new ErrnoException(Errno.ENOENT);
                    }
                    link = new Inode.Link(dir, name);
                }
            }
            child.retain();
            return new SynthNode(fs, uid, child, link);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Node duplicate() {
        inode.retain();
        return new SynthNode(fs, uid, inode, reachedBy);
    }

    @Override
    public Attr getattr() {
        Inode i = inode;
        long rdev = i instanceof Special s ? s.rdev : 0;
        return new Attr(store.dev, i.ino, i.mode, i.uid, i.gid, i.nlink, rdev, i.size(), Space.BLOCK,
                i.allocated() / 512, i.atime.sec(), i.atime.nsec(), i.mtime.sec(), i.mtime.nsec(), i.ctime.sec(),
                i.ctime.nsec(), i.btime.sec(), i.btime.nsec(), 0, i.dataVersion);
    }

    @Override
    public void setattr(SetAttr changes) throws ErrnoException {
        if (changes.valid() == 0) {
            return;
        }
        if (fs.readOnly()) {
            throw new ErrnoException(Errno.EROFS);
        }
        new Attributes(store, uid, inode).apply(changes);
    }

    @Override
    public OpenFile open(int flags) throws ErrnoException {
        int access = flags & Dotl.O_ACCMODE;
        if (access == Dotl.O_ACCMODE) {
            throw new ErrnoException(Errno.EINVAL, "open flags " + flags);
        }
        boolean write = access != Dotl.O_RDONLY || (flags & Dotl.O_TRUNC) != 0;
        switch (inode) {
            case Symlink _ -> throw new ErrnoException(Errno.ELOOP);
            case Special _ -> throw new ErrnoException(Errno.ENXIO, "special files are opened by the client");
            case Directory _ -> {
                if (write) {
                    throw new ErrnoException(Errno.EISDIR);
                }
            }
            case RegularFile _ -> {
                if ((flags & Dotl.O_DIRECTORY) != 0) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
            }
        }
        Lock lock = store.tree.readLock();
        lock.lock();
        try {
            store.access.check(uid, inode, (access != Dotl.O_WRONLY ? READ : 0) | (write ? WRITE : 0));
            if (write && fs.readOnly()) {
                throw new ErrnoException(Errno.EROFS);
            }
            if ((flags & Dotl.O_TRUNC) != 0 && inode instanceof RegularFile file) {
                truncateOnOpen(file);
            }
            inode.retain();
            return new SynthOpenFile(fs, uid, inode, flags);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Created create(String name, int flags, int mode, int gid) throws ErrnoException {
        int access = flags & Dotl.O_ACCMODE;
        if (access == Dotl.O_ACCMODE) {
            throw new ErrnoException(Errno.EINVAL, "open flags " + flags);
        }
        Inode file = namespace(name, FileId.S_IFREG | (mode & 07777), gid,
                (ino, m, u, g, now) -> new RegularFile(ino, m, u, g, now, store.space));
        file.retain(); // a new file is opened without a permission check, whatever its mode
        return new Created(new SynthNode(fs, uid, file, new Inode.Link(directory(), name)),
                new SynthOpenFile(fs, uid, file, flags));
    }

    @Override
    public Node mkdir(String name, int mode, int gid) throws ErrnoException {
        Inode dir = namespace(name, FileId.S_IFDIR | (mode & 07777), gid, Directory::new);
        return new SynthNode(fs, uid, dir, new Inode.Link(directory(), name));
    }

    @Override
    public Node symlink(String name, String target, int gid) throws ErrnoException {
        if (target.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT, "empty symlink target");
        }
        if (target.length() > SYMLINK_MAX / 3 && target.getBytes(StandardCharsets.UTF_8).length
                > SYMLINK_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        Inode link = namespace(name, FileId.S_IFLNK | 0777, gid,
                (ino, m, u, g, now) -> new Symlink(ino, m, u, g, now, target));
        return new SynthNode(fs, uid, link, new Inode.Link(directory(), name));
    }

    @Override
    public Node mknod(String name, int mode, int major, int minor, int gid) throws ErrnoException {
        int type = mode & FileId.S_IFMT;
        int bits = mode & 07777;
        Namespace.Factory factory = switch (type) {
            case 0, FileId.S_IFREG -> {
                type = FileId.S_IFREG;
                yield (ino, m, u, g, now) -> new RegularFile(ino, m, u, g, now, store.space);
            }
            case FileId.S_IFIFO, FileId.S_IFSOCK -> (ino, m, u, g, now) -> new Special(ino, m, u, g, now, 0);
            case FileId.S_IFCHR, FileId.S_IFBLK -> {
                if (!Access.root(uid)) {
                    throw new ErrnoException(Errno.EPERM, "only root makes device nodes");
                }
                long rdev = Special.makedev(Integer.toUnsignedLong(major), Integer.toUnsignedLong(minor));
                yield (ino, m, u, g, now) -> new Special(ino, m, u, g, now, rdev);
            }
            default -> throw new ErrnoException(Errno.EINVAL, "mknod type " + Integer.toOctalString(type));
        };
        Inode made = namespace(name, type | bits, gid, factory);
        return new SynthNode(fs, uid, made, new Inode.Link(directory(), name));
    }

    @Override
    public void link(String name, Node target) throws ErrnoException {
        fs.namespace.link(uid, fs.readOnly(), directory(), name, sameExport(target).inode);
    }

    @Override
    public void renameAt(String oldName, Node newDir, String newName) throws ErrnoException {
        Directory src = directory();
        Directory dst = sameExport(newDir).directory();
        fs.namespace.rename(uid, fs.readOnly(), src, oldName, dst, newName);
    }

    @Override
    public void rename(Node newDir, String newName) throws ErrnoException {
        Directory dst = sameExport(newDir).directory();
        Lock lock = store.tree.writeLock();
        lock.lock(); // held across finding the name and renaming it (the tree lock is reentrant)
        try {
            Inode.Link link = currentLink();
            fs.namespace.rename(uid, fs.readOnly(), link.dir(), link.name(), dst, newName);
            reachedBy = new Inode.Link(dst, newName);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unlinkAt(String name, int flags) throws ErrnoException {
        fs.namespace.unlink(uid, fs.readOnly(), directory(), name, flags, null);
    }

    @Override
    public void remove() throws ErrnoException {
        Lock lock = store.tree.writeLock();
        lock.lock();
        try {
            Inode.Link link = currentLink();
            int flags = inode.isDirectory() ? Dotl.AT_REMOVEDIR : 0;
            fs.namespace.unlink(uid, fs.readOnly(), link.dir(), link.name(), flags, inode);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String readlink() throws ErrnoException {
        if (!(inode instanceof Symlink link)) {
            throw new ErrnoException(Errno.EINVAL, "not a symlink");
        }
        if (!fs.readOnly()) {
            link.atime = Timestamp.now();
        }
        return link.target;
    }

    @Override
    public StatFs statfs() {
        Space space = store.space;
        long blocks = space.capacity() / Space.BLOCK;
        long free = Math.max(0, space.capacity() - space.used()) / Space.BLOCK;
        long files = space.maxInodes();
        return new StatFs(TMPFS_MAGIC, Space.BLOCK, blocks, free, free, files,
                Math.max(0, files - space.inodes()), store.dev, Namespace.NAME_MAX);
    }

    @Override
    public byte[] getxattr(String name) throws ErrnoException {
        return new ExtendedAttributes(fs, uid, inode).get(name);
    }

    @Override
    public List<String> listxattr() {
        return new ExtendedAttributes(fs, uid, inode).list();
    }

    @Override
    public void setxattr(String name, byte[] value, int flags) throws ErrnoException {
        new ExtendedAttributes(fs, uid, inode).set(name, value, flags);
    }

    @Override
    public void removexattr(String name) throws ErrnoException {
        new ExtendedAttributes(fs, uid, inode).remove(name);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            inode.release(store.space);
        }
    }

    @Override
    public String toString() {
        Inode.Link link = reachedBy;
        return "synth:" + inode.ino + (link == null ? "" : "(" + link.name() + ")");
    }

    private Inode namespace(String name, int mode, int gid, Namespace.Factory factory) throws ErrnoException {
        return fs.namespace.create(uid, fs.readOnly(), directory(), name, mode, gid, factory);
    }

    private Directory directory() throws ErrnoException {
        if (inode instanceof Directory dir) {
            return dir;
        }
        throw new ErrnoException(Errno.ENOTDIR);
    }

    private SynthNode sameExport(Node other) throws ErrnoException {
        if (other instanceof SynthNode node && node.fs == fs) {
            return node;
        }
        throw new ErrnoException(Errno.EXDEV);
    }

    /** The name to remove or rename (under the tree write lock): the one it was reached by, if still its own. */
    private Inode.Link currentLink() throws ErrnoException {
        if (inode == store.root) {
            throw new ErrnoException(Errno.EBUSY, "the root has no name");
        }
        Inode.Link link = reachedBy;
        if (link != null && link.dir().lookup(link.name()) == inode) {
            return link;
        }
        if (inode.links.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT, "file was removed");
        }
        return inode.links.getLast();
    }

    private void truncateOnOpen(RegularFile file) {
        Timestamp now = Timestamp.now();
        file.io.writeLock().lock();
        try {
            file.content.truncate(0);
            file.dataVersion++;
        } finally {
            file.io.writeLock().unlock();
        }
        file.touchModified(now);
    }
}
