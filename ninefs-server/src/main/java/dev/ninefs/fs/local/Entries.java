// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.Stat;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.System.Logger.Level;

/**
 * The operations that change a directory's entries: create, mkdir, symlink, mknod, link, rename, unlink. Each
 * works on one checked name under a directory descriptor; a new file is made first and given its owner and mode
 * after (by the {@link Model}), and removed again if that fails, so a client never sees a half-made file for long.
 */
final class Entries {
    private static final System.Logger LOG = System.getLogger(Entries.class.getPackageName());

    private Entries() {}

    static Node.Created create(LocalNode dir, String name, int flags, int mode, int gid) throws ErrnoException {
        checkNew(dir, name);
        Model model = dir.fs().model();
        int access = flags & Dotl.O_ACCMODE;
        int hostFlags = (LocalFile.hostFlags(flags) & ~Linux.O_TRUNC) | Linux.O_CREAT | Linux.O_EXCL
                | Linux.O_NOFOLLOW;
        try (Fd.Use d = dir.fd().use()) {
            int io = Posix.openat(d.fd(), name, hostFlags, model.hostFileMode(mode));
            LocalNode node;
            try {
                // The node's O_PATH descriptor of the inode just created, through the magic link of the open one: no
                // name is looked up, so nobody renaming or replacing the new name meanwhile can swap the file. (The
                // node cannot keep the open descriptor: it would hold the file open for writing after Tclunk.)
                int path = Posix.openat(Linux.AT_FDCWD, Posix.procPath(io), Linux.O_PATH | Linux.O_CLOEXEC, 0);
                node = finish(dir, d.fd(), name, Fd.adopt(path), FileId.S_IFREG | (mode & 07777), gid, -1, 0);
            } catch (ErrnoException | RuntimeException e) {
                Posix.close(io);
                throw e;
            }
            return new Node.Created(node, new LocalFile(dir.fs(), node, Fd.adopt(io), access));
        }
    }

    static Node mkdir(LocalNode dir, String name, int mode, int gid) throws ErrnoException {
        checkNew(dir, name);
        try (Fd.Use d = dir.fd().use()) {
            Posix.mkdirat(d.fd(), name, dir.fs().model().hostDirMode(mode));
            int child;
            try {
                child = Posix.openat(d.fd(), name, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW
                        | Linux.O_CLOEXEC, 0);
            } catch (ErrnoException e) {
                undo(d.fd(), name, Linux.AT_REMOVEDIR);
                throw e;
            }
            return finish(dir, d.fd(), name, Fd.adopt(child), FileId.S_IFDIR | (mode & 07777), gid, -1,
                    Linux.AT_REMOVEDIR);
        }
    }

    static Node symlink(LocalNode dir, String name, String target, int gid) throws ErrnoException {
        checkNew(dir, name);
        Names.target(target);
        try (Fd.Use d = dir.fd().use()) {
            dir.fs().model().makeSymlink(d.fd(), name, target);
            return finishLookup(dir, d.fd(), name, FileId.S_IFLNK | 0777, gid, -1);
        }
    }

    static Node mknod(LocalNode dir, String name, int mode, int major, int minor, int gid) throws ErrnoException {
        checkNew(dir, name);
        int type = mode & FileId.S_IFMT;
        if (type == 0) {
            type = FileId.S_IFREG;
        }
        boolean device = type == FileId.S_IFCHR || type == FileId.S_IFBLK;
        if (!device && type != FileId.S_IFREG && type != FileId.S_IFIFO && type != FileId.S_IFSOCK) {
            throw new ErrnoException(Errno.EINVAL, "mknod of type " + Integer.toOctalString(type));
        }
        long rdev = device ? Linux.makedev(major & 0xffffffffL, minor & 0xffffffffL) : -1;
        int full = type | (mode & 07777);
        try (Fd.Use d = dir.fd().use()) {
            dir.fs().model().makeNode(d.fd(), name, full, rdev);
            return finishLookup(dir, d.fd(), name, full, gid, rdev);
        }
    }

    static void link(LocalNode dir, String name, Node target) throws ErrnoException {
        checkNew(dir, name);
        LocalNode t = sameExport(dir, target);
        if (t.hostType() == FileId.S_IFDIR) {
            throw new ErrnoException(Errno.EPERM, "hard link to a directory");
        }
        try (Fd.Use d = dir.fd().use(); Fd.Use f = t.fd().use()) {
            try {
                // Links the inode the descriptor holds: it can only be a file of this export.
                Posix.linkat(f.fd(), "", d.fd(), name, Linux.AT_EMPTY_PATH);
            } catch (ErrnoException e) {
                // Without CAP_DAC_READ_SEARCH, AT_EMPTY_PATH fails with ENOENT; the magic link does the same job.
                if (e.errno() != Errno.ENOENT || dir.fs().privileged() || t.hostType() == FileId.S_IFLNK) {
                    throw e;
                }
                Posix.linkat(Linux.AT_FDCWD, Posix.procPath(f.fd()), d.fd(), name, Linux.AT_SYMLINK_FOLLOW);
            }
            try {
                dir.fs().model().linked(t, d.fd(), name);
            } catch (ErrnoException | RuntimeException e) {
                undo(d.fd(), name, 0);
                throw e;
            }
        }
    }

    static void renameAt(LocalNode dir, String oldName, Node newDir, String newName) throws ErrnoException {
        dir.fs().checkWritable();
        Names.entry(oldName);
        Names.entry(newName);
        Model model = dir.fs().model();
        if (model.reserved(oldName)) {
            throw new ErrnoException(Errno.ENOENT, oldName);
        }
        if (model.reserved(newName)) {
            throw new ErrnoException(Errno.EINVAL, "reserved name " + newName);
        }
        LocalNode to = sameExport(dir, newDir);
        dir.requireDirectory();
        to.requireDirectory();
        dir.changed();
        to.changed();
        try (Fd.Use d = dir.fd().use()) {
            move(dir.fs(), d.fd(), dir.key(), oldName, to, newName);
        }
    }

    static void rename(LocalNode node, Node newDir, String newName) throws ErrnoException {
        node.fs().checkWritable();
        Names.entry(newName);
        if (node.fs().model().reserved(newName)) {
            throw new ErrnoException(Errno.EINVAL, "reserved name " + newName);
        }
        LocalNode to = sameExport(node, newDir);
        to.requireDirectory();
        node.changed();
        to.changed();
        Location loc = Locator.locate(node);
        try {
            move(node.fs(), loc.dir().number(), loc.dirKey(), loc.name(), to, newName);
        } finally {
            loc.release();
        }
    }

    private static void move(LocalFileSystem fs, int srcDir, FileKey srcKey, String oldName, LocalNode to,
            String newName) throws ErrnoException {
        try (Fd.Use dst = to.fd().use()) {
            Attr source = Stat.at(srcDir, oldName);
            FileKey moved = FileKey.of(source);
            Attr target = attrOrNull(dst.fd(), newName);
            FileKey replaced = target == null ? null : FileKey.of(target);
            if (moved.equals(replaced)) {
                return; // two names of one file: rename(2) does nothing, and neither do we
            }
            if (target != null && isDir(source) && isDir(target)) {
                fs.model().beforeRmdir(dst.fd(), newName); // an empty directory is replaced: as for rmdir
            }
            Posix.renameat2(srcDir, oldName, dst.fd(), newName, 0);
            try {
                fs.model().renamed(srcDir, oldName, dst.fd(), newName);
            } catch (ErrnoException e) {
                // The rename happened; failing it now would tell the client a lie. The file keeps the host's view.
                LOG.log(Level.WARNING, "metadata of {0} did not follow it to {1}: {2}", oldName, newName, e);
            }
            if (replaced != null) {
                fs.index().unlinked(replaced, to.key(), newName);
            }
            fs.index().renamed(moved, srcKey, oldName, to, newName);
        }
    }

    static void unlinkAt(LocalNode dir, String name, int flags) throws ErrnoException {
        dir.fs().checkWritable();
        Names.entry(name);
        if (dir.fs().model().reserved(name)) {
            throw new ErrnoException(Errno.ENOENT, name);
        }
        dir.requireDirectory();
        dir.changed();
        try (Fd.Use d = dir.fd().use()) {
            unlink(dir.fs(), d.fd(), dir.key(), name, (flags & Dotl.AT_REMOVEDIR) != 0);
        }
    }

    static void remove(LocalNode node) throws ErrnoException {
        node.fs().checkWritable();
        node.changed();
        Location loc = Locator.locate(node);
        try {
            unlink(node.fs(), loc.dir().number(), loc.dirKey(), loc.name(), node.hostType() == FileId.S_IFDIR);
        } finally {
            loc.release();
        }
    }

    private static void unlink(LocalFileSystem fs, int dirfd, FileKey dirKey, String name, boolean directory)
            throws ErrnoException {
        Attr victim = Stat.at(dirfd, name);
        boolean isDir = (victim.mode() & FileId.S_IFMT) == FileId.S_IFDIR;
        if (directory && !isDir) {
            throw new ErrnoException(Errno.ENOTDIR, name);
        }
        if (!directory && isDir) {
            throw new ErrnoException(Errno.EISDIR, name);
        }
        if (isDir) {
            fs.model().beforeRmdir(dirfd, name);
        }
        Posix.unlinkat(dirfd, name, isDir ? Linux.AT_REMOVEDIR : 0);
        fs.model().unlinked(dirfd, name);
        fs.index().unlinked(FileKey.of(victim), dirKey, name);
    }

    /** Common checks for a new entry: writable export, a valid unreserved name, in a directory. */
    private static void checkNew(LocalNode dir, String name) throws ErrnoException {
        dir.fs().checkWritable();
        dir.changed();
        Names.entry(name);
        if (dir.fs().model().reserved(name)) {
            throw new ErrnoException(Errno.EINVAL, "reserved name " + name);
        }
        dir.requireDirectory();
    }

    private static LocalNode sameExport(LocalNode dir, Node other) throws ErrnoException {
        if (other instanceof LocalNode n && n.fs() == dir.fs()) {
            return n;
        }
        throw new ErrnoException(Errno.EXDEV, "not of the same export");
    }

    /** Opens the just-made entry {@code name} (never following it) and finishes it as {@link #finish} does. */
    private static LocalNode finishLookup(LocalNode dir, int dirfd, String name, int mode, int gid, long rdev)
            throws ErrnoException {
        int child;
        try {
            child = LocalNode.lookup(dirfd, name);
        } catch (ErrnoException e) {
            undo(dirfd, name, 0);
            throw e;
        }
        return finish(dir, dirfd, name, Fd.adopt(child), mode, gid, rdev, 0);
    }

    /**
     * Makes the node of a just-made entry and has the model give it the attaching user, {@code gid} and
     * {@code mode}; on failure the entry is removed again. One stat of the new file serves the model (what to
     * change), the node and the qid the reply carries.
     */
    private static LocalNode finish(LocalNode dir, int dirfd, String name, Fd child, int mode, int gid, long rdev,
            int undoFlags) throws ErrnoException {
        LocalNode node;
        try {
            node = LocalNode.adoptNew(dir.fs(), child, new Location(dir.fd().retain(), dir.key(), name), dir.user());
        } catch (ErrnoException | RuntimeException e) {
            undo(dirfd, name, undoFlags);
            throw e;
        }
        try {
            node.made(dir.fs().model().created(node, node.lastAttr(), mode, dir.user().uid(), gid, rdev));
            return node;
        } catch (ErrnoException | RuntimeException e) {
            node.close();
            if (undoFlags == Linux.AT_REMOVEDIR) {
                try {
                    dir.fs().model().beforeRmdir(dirfd, name);
                } catch (ErrnoException ignored) {
                    // best effort
                }
            }
            undo(dirfd, name, undoFlags);
            dir.fs().model().unlinked(dirfd, name);
            throw e;
        }
    }

    private static void undo(int dirfd, String name, int flags) {
        try {
            Posix.unlinkat(dirfd, name, flags);
        } catch (ErrnoException ignored) {
            // best effort: the entry may already be gone
        }
    }

    private static boolean isDir(Attr attr) {
        return (attr.mode() & FileId.S_IFMT) == FileId.S_IFDIR;
    }

    private static Attr attrOrNull(int dirfd, String name) throws ErrnoException {
        try {
            return Stat.at(dirfd, name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }
}
