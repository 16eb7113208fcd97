// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file of a CephFS export, holding a reference to its inode (not a path): it keeps meaning the same file after a
 * rename or an unlink, through this gateway or another. It also remembers the directory and name it was reached by,
 * for Tremove and Trename, which name the file itself; when those are stale, it finds the file again by inode number.
 */
final class CephNode implements Node {
    private final CephFileSystem fs;
    private final CephClient client;
    private final InodeRef inode;
    /** Owner of what this node creates: the attached user's uid, or -1 for the gateway's. */
    private final int uid;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object place = new Object();
    private InodeRef parent; // guarded by place; null for the root and for nodes reached by ".."
    private String name; // guarded by place
    private volatile FileId fileId;

    /** Takes over the references to {@code inode} and {@code parent}. */
    CephNode(CephFileSystem fs, InodeRef inode, FileId fileId, InodeRef parent, String name, int uid) {
        this.fs = fs;
        this.client = fs.client();
        this.inode = inode;
        this.parent = parent;
        this.name = name;
        this.uid = uid;
        this.fileId = fileId;
        if (parent != null) {
            fs.register(this);
        }
    }

    @Override
    public FileId fileId() {
        return fileId;
    }

    @Override
    public Node walk(String child) throws ErrnoException {
        open();
        if (child.equals(".")) {
            return duplicate();
        }
        if (child.equals("..")) {
            if (inode.ino() == fs.rootIno()) {
                return duplicate(); // the export's root is its own parent: never above it
            }
            requireDirectory();
            return fs.node(client.lookup(inode, ".."), null, null, uid);
        }
        Flags.checkComponent(child);
        requireDirectory();
        return fs.node(client.lookup(inode, child), inode.retain(), child, uid);
    }

    @Override
    public Node duplicate() throws ErrnoException {
        open();
        synchronized (place) {
            return new CephNode(fs, inode.retain(), fileId, parent == null ? null : parent.retain(), name, uid);
        }
    }

    @Override
    public Attr getattr() throws ErrnoException {
        open();
        Attr view = fs.security().view(inode, client.getattr(inode));
        fileId = view.fileId();
        return view;
    }

    @Override
    public void setattr(SetAttr changes) throws ErrnoException {
        open();
        fs.checkWritable();
        SetAttrs.apply(client, fs.security(), inode, fileId, changes);
        getattr();
    }

    /** After a file opened for writing is closed, its identity (qid version) follows the new content. */
    Runnable refreshOnClose(int flags) {
        return Flags.writes(flags) ? this::refreshQuietly : () -> { };
    }

    private void refreshQuietly() {
        if (closed.get()) {
            return;
        }
        try {
            getattr();
        } catch (ErrnoException | RuntimeException e) {
            // the identity stays as it was
        }
    }

    @Override
    public OpenFile open(int flags) throws ErrnoException {
        open();
        FileId id = fileId;
        if (id.isDirectory()) {
            if (Flags.writes(flags)) {
                throw new ErrnoException(Errno.EISDIR);
            }
            return new CephDirectory(fs, inode.retain(), inode.ino() == fs.rootIno());
        }
        if ((flags & Dotl.O_DIRECTORY) != 0) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if (id.isSymlink()) {
            throw new ErrnoException(Errno.ELOOP);
        }
        if (!id.isRegular()) {
            throw new ErrnoException(Errno.ENXIO, "cephfs: special files are not opened for I/O by the gateway");
        }
        if (Flags.writes(flags)) {
            fs.checkWritable();
        }
        return new CephFile(client, client.open(inode, Flags.forOpen(flags)), inode.ino(), flags, fs.lockOwners(),
                refreshOnClose(flags));
    }

    @Override
    public Created create(String child, int flags, int mode, int gid) throws ErrnoException {
        prepareChange(child);
        var opened = fs.security().create(inode, child, Flags.forOpen(flags), mode & 07777, uid, gid);
        CephNode node = fs.made(new CephClient.Entry(opened.inode(), opened.attr()), inode.retain(), child, uid);
        var file = new CephFile(client, opened.fh(), opened.inode().ino(), flags, fs.lockOwners(),
                node.refreshOnClose(Dotl.O_WRONLY));
        return new Created(node, file);
    }

    @Override
    public Node mkdir(String child, int mode, int gid) throws ErrnoException {
        prepareChange(child);
        return fs.made(fs.security().mkdir(inode, child, mode & 07777, uid, gid), inode.retain(), child, uid);
    }

    @Override
    public Node symlink(String child, String target, int gid) throws ErrnoException {
        prepareChange(child);
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new ErrnoException(target.isEmpty() ? Errno.ENOENT : Errno.EINVAL);
        }
        return fs.made(fs.security().symlink(inode, child, target, uid, gid), inode.retain(), child, uid);
    }

    @Override
    public Node mknod(String child, int mode, int major, int minor, int gid) throws ErrnoException {
        prepareChange(child);
        int type = mode & FileId.S_IFMT;
        if (type != FileId.S_IFIFO && type != FileId.S_IFCHR && type != FileId.S_IFBLK && type != FileId.S_IFSOCK
                && type != FileId.S_IFREG) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: mknod of file type 0" + Integer.toOctalString(type));
        }
        long rdev = Security.makedev(Integer.toUnsignedLong(major), Integer.toUnsignedLong(minor));
        return fs.made(fs.security().mknod(inode, child, type | (mode & 07777), rdev, uid, gid), inode.retain(), child,
                uid);
    }

    @Override
    public void link(String child, Node target) throws ErrnoException {
        prepareChange(child);
        CephNode source = sameExport(target);
        if (source.fileId.isDirectory()) {
            throw new ErrnoException(Errno.EPERM, "cephfs: hard link to a directory");
        }
        source.open();
        client.link(source.inode, inode, child);
    }

    @Override
    public void renameAt(String oldName, Node newDir, String newName) throws ErrnoException {
        open();
        fs.checkWritable();
        Flags.checkName(oldName);
        Flags.checkName(newName);
        CephNode target = sameExport(newDir);
        target.open();
        target.requireDirectory();
        client.rename(inode, oldName, target.inode, newName);
        fs.renamed(inode, oldName, target.inode, newName);
    }

    @Override
    public void rename(Node newDir, String newName) throws ErrnoException {
        open();
        fs.checkWritable();
        Flags.checkName(newName);
        CephNode target = sameExport(newDir);
        target.open();
        target.requireDirectory();
        InodeRef from;
        String fromName;
        synchronized (place) {
            locate();
            from = parent.retain();
            fromName = name;
        }
        try {
            client.rename(from, fromName, target.inode, newName);
            // every node of this file that was known by the old name (this one included) follows it
            fs.moved(inode.ino(), from.ino(), fromName, target.inode, newName);
            if (from.ino() != target.inode.ino()) {
                fs.refreshDirectory(from);
            }
        } finally {
            from.release();
        }
    }

    @Override
    public void unlinkAt(String child, int flags) throws ErrnoException {
        prepareChange(child);
        if ((flags & Dotl.AT_REMOVEDIR) != 0) {
            client.rmdir(inode, child);
        } else {
            client.unlink(inode, child);
        }
    }

    @Override
    public void remove() throws ErrnoException {
        open();
        fs.checkWritable();
        synchronized (place) {
            locate();
            if (fileId.isDirectory()) {
                client.rmdir(parent, name);
            } else {
                client.unlink(parent, name);
            }
        }
    }

    @Override
    public String readlink() throws ErrnoException {
        open();
        if (!fileId.isSymlink()) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: not a symlink");
        }
        return fs.security().readlink(inode);
    }

    @Override
    public StatFs statfs() throws ErrnoException {
        open();
        return client.statfs(inode);
    }

    @Override
    public byte[] getxattr(String xattr) throws ErrnoException {
        open();
        XattrPolicy.checkName(xattr);
        if (fs.security().reserved(xattr) || !XattrPolicy.allowedOn(xattr, fileId)) {
            throw new ErrnoException(Errno.ENODATA);
        }
        return client.getxattr(inode, xattr);
    }

    @Override
    public List<String> listxattr() throws ErrnoException {
        open();
        Security security = fs.security();
        return client.listxattr(inode).stream().filter(n -> !security.reserved(n)).toList();
    }

    @Override
    public void setxattr(String xattr, byte[] value, int flags) throws ErrnoException {
        open();
        fs.checkWritable();
        XattrPolicy.checkChange(xattr, fileId, fs.security());
        XattrPolicy.checkValue(value, flags);
        client.setxattr(inode, xattr, value, flags);
    }

    @Override
    public void removexattr(String xattr) throws ErrnoException {
        open();
        fs.checkWritable();
        XattrPolicy.checkChange(xattr, fileId, fs.security());
        client.removexattr(inode, xattr);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            fs.unregister(this);
            inode.release();
            synchronized (place) {
                if (parent != null) {
                    parent.release();
                    parent = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "CephNode(" + inode + ", " + fileId + ")";
    }

    InodeRef inode() {
        return inode;
    }

    /** This file was renamed from {@code oldName} in directory {@code oldDir}: follow it if that was our name. */
    void moved(long oldDir, String oldName, InodeRef newDir, String newName) {
        synchronized (place) {
            if (parent != null && parent.ino() == oldDir && oldName.equals(name)) {
                parent.release();
                parent = newDir.retain();
                name = newName;
            }
        }
    }

    /**
     * Makes (parent, name) name this file again, or fails: ENOENT when it is nowhere to be found, EBUSY for the root.
     */
    private void locate() throws ErrnoException {
        if (inode.ino() == fs.rootIno()) {
            throw new ErrnoException(Errno.EBUSY, "cephfs: the export's root cannot be removed or renamed");
        }
        if (parent != null && fs.resolves(parent, name, inode.ino())) {
            return;
        }
        InodeRef dir;
        if (fileId.isDirectory()) {
            dir = client.lookup(inode, "..").inode(); // a directory has one parent
        } else if (parent != null) {
            dir = parent.retain(); // renamed within the directory it was found in, perhaps
        } else {
            throw new ErrnoException(Errno.ENOENT, "cephfs: the file's directory is unknown");
        }
        String found;
        try {
            found = fs.nameOf(dir, inode.ino());
        } catch (ErrnoException e) {
            dir.release();
            throw e;
        }
        if (found == null) {
            dir.release();
            throw new ErrnoException(Errno.ENOENT, "cephfs: the file is no longer in its directory");
        }
        if (parent != null) {
            parent.release();
        }
        parent = dir;
        name = found;
    }

    private void prepareChange(String child) throws ErrnoException {
        open();
        fs.checkWritable();
        Flags.checkName(child);
        requireDirectory();
    }

    private void requireDirectory() throws ErrnoException {
        if (!fileId.isDirectory()) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
    }

    private void open() throws ErrnoException {
        if (closed.get()) {
            throw new ErrnoException(Errno.EBADF, "cephfs: node used after close");
        }
    }

    private CephNode sameExport(Node other) throws ErrnoException {
        if (other instanceof CephNode node && node.fs == fs) {
            return node;
        }
        throw new ErrnoException(Errno.EXDEV);
    }
}
