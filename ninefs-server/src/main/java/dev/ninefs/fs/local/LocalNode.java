// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.fs.User;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.posix.Stat;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A file of a local export, held by descriptor: an O_PATH | O_NOFOLLOW descriptor of the file itself, so it keeps
 * working, and keeps meaning the same file, after a rename or an unlink. Symlinks are nodes like any other and are
 * never followed. The operations that create, rename and remove entries are in {@link Entries}.
 */
final class LocalNode implements Node {
    private final LocalFileSystem fs;
    private final Fd fd;
    private final FileKey key;
    private final int hostType;
    private final User user;
    private Location location; // guarded by this; null for the root or when the file has no known name
    private boolean closed; // guarded by this
    /** The client's attributes as of the last stat; only its type bits and identity are relied on. */
    private volatile Attr last;
    /**
     * Set when {@link #last} comes from the creation of this file, whose maker (Tlcreate, Tmkdir...) asks for the
     * new file's qid next: that first {@link #fileId} uses it instead of a second stat, as the SPI allows
     * ("as of the lookup"). Any change made through this export to the file, or under it, ends that first.
     */
    private volatile boolean identityFresh;
    private volatile Meta cachedMeta = Meta.NONE;

    /** Adopts {@code fd} (one reference) and {@code location} (one reference, may be null). */
    private LocalNode(LocalFileSystem fs, Fd fd, Attr host, Location location, User user) {
        this.fs = fs;
        this.fd = fd;
        this.key = FileKey.of(host);
        this.hostType = host.mode() & FileId.S_IFMT;
        this.location = location;
        this.user = user;
        this.last = host;
    }

    /**
     * A node for the descriptor {@code fd}, taking over it and {@code location}: both are released if this
     * fails. Registers the node so that renames done through other nodes reach it.
     */
    static LocalNode adopt(LocalFileSystem fs, Fd fd, Location location, User user) throws ErrnoException {
        LocalNode node = adoptNew(fs, fd, location, user);
        try {
            node.last = fs.model().clientAttr(node, node.last);
        } catch (ErrnoException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /**
     * As {@link #adopt}, for a file this export has just made and whose client attributes the caller is about to
     * set and then hands to {@link #made}: one stat, without reading what the model recorded (nothing yet, or what
     * the caller overwrites). Until then {@link #lastAttr} is the host's stat.
     */
    static LocalNode adoptNew(LocalFileSystem fs, Fd fd, Location location, User user) throws ErrnoException {
        LocalNode node;
        try {
            node = new LocalNode(fs, fd, Stat.of(fd.number()), location, user);
        } catch (ErrnoException | RuntimeException e) {
            fd.release();
            if (location != null) {
                location.release();
            }
            throw e;
        }
        fs.index().add(node);
        return node;
    }

    /** What the last stat gave (for a node from {@link #adoptNew} before {@link #made}: the host's own). */
    Attr lastAttr() {
        return last;
    }

    /** After the model gave a just-made file its client attributes {@code client} (see {@link #adoptNew}). */
    void made(Attr client) {
        last = client;
        identityFresh = true;
    }

    /** This export changes the file (or, for a directory, its entries): the identity from its creation is old. */
    void changed() {
        identityFresh = false;
    }

    /** A twin of {@code other} sharing its descriptor (one more reference) and holding {@code location}. */
    private LocalNode(LocalNode other, Location location) throws ErrnoException {
        this.fs = other.fs;
        this.fd = other.fd.retain();
        this.key = other.key;
        this.hostType = other.hostType;
        this.user = other.user;
        this.location = location;
        this.last = other.last;
        this.cachedMeta = other.cachedMeta;
    }

    LocalFileSystem fs() {
        return fs;
    }

    Fd fd() {
        return fd;
    }

    FileKey key() {
        return key;
    }

    User user() {
        return user;
    }

    /** The S_IFMT bits of the host file (a mapped symlink is S_IFREG here). */
    int hostType() {
        return hostType;
    }

    /** The S_IFMT bits the client sees. */
    int clientType() {
        return last.mode() & FileId.S_IFMT;
    }

    boolean isRoot() {
        return key.equals(fs.rootKey());
    }

    Meta cachedMeta() {
        return cachedMeta;
    }

    void cacheMeta(Meta meta) {
        cachedMeta = meta;
    }

    /**
     * The identity as of now: the client's type from the last stat, and a version from a fresh host stat, so a
     * write through any open file shows in the next qid.
     */
    @Override
    public FileId fileId() {
        Attr cached = last;
        if (identityFresh) {
            identityFresh = false;
            return cached.fileId();
        }
        try (Fd.Use u = fd.use()) {
            Attr host = Stat.of(u.fd());
            return new FileId(host.dev(), host.ino(), cached.mode(), version(host));
        } catch (ErrnoException e) {
            return cached.fileId();
        }
    }

    private static long version(Attr host) {
        return host.mtimeSec() ^ (host.mtimeNsec() << 24) ^ host.size();
    }

    /**
     * What {@code walk(name).fileId()} gives, from one lstat of the name under this directory's descriptor (and,
     * under a mapped model, a read of the entry's recorded mode) instead of an open and a node: the remap qid
     * policy asks this for every listed entry. The names a walk refuses are refused alike; "." and ".." are rare
     * enough (one each per listing) to take the walk's own path, which checks that ".." is still in the export.
     */
    @Override
    public FileId childId(String name) throws ErrnoException {
        if (name.equals(".") || name.equals("..")) {
            try (Node same = walk(name)) {
                return same.fileId();
            }
        }
        Names.entry(name);
        if (fs.model().reserved(name)) {
            throw new ErrnoException(Errno.ENOENT, name);
        }
        requireDirectory();
        try (Fd.Use dir = fd.use()) {
            Attr host = Stat.at(dir.fd(), name);
            if (FileKey.of(host).equals(fs.rootKey())) {
                try (Node root = walk(name)) { // the root bind-mounted under itself: mapped-file keeps its own
                    return root.fileId();
                }
            }
            return new FileId(host.dev(), host.ino(), fs.model().clientMode(dir.fd(), name, host), version(host));
        }
    }

    @Override
    public Node walk(String name) throws ErrnoException {
        if (name.equals(".")) {
            requireDirectory(); // "file/." is ENOTDIR, as for path resolution
            return duplicate();
        }
        if (name.equals("..")) {
            return parent();
        }
        Names.entry(name);
        if (fs.model().reserved(name)) {
            throw new ErrnoException(Errno.ENOENT, name);
        }
        requireDirectory();
        try (Fd.Use dir = fd.use()) {
            int child = lookup(dir.fd(), name);
            return adopt(fs, Fd.adopt(child), new Location(fd.retain(), key, name), user);
        }
    }

    /**
     * Opens one name under a directory, never following a symlink: openat2 with RESOLVE_BENEATH |
     * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS where the kernel has it (a second guard should a bad name slip
     * through), otherwise openat with O_NOFOLLOW, which for a checked single name is the same thing.
     */
    static int lookup(int dirfd, String name) throws ErrnoException {
        int flags = Linux.O_PATH | Linux.O_NOFOLLOW | Linux.O_CLOEXEC;
        if (Posix.hasOpenat2()) {
            return Posix.openat2(dirfd, name, flags, 0,
                    Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_SYMLINKS | Linux.RESOLVE_NO_MAGICLINKS);
        }
        return Posix.openat(dirfd, name, flags, 0);
    }

    /** "..": the root's parent is the root; any other parent must still be under the root. */
    private Node parent() throws ErrnoException {
        if (isRoot()) {
            return duplicate();
        }
        requireDirectory();
        int up;
        try (Fd.Use dir = fd.use()) {
            up = Posix.openat(dir.fd(), "..", Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC,
                    0);
        }
        try {
            if (!fs.insideRoot(up)) {
                throw new ErrnoException(Errno.ENOENT, "directory is no longer inside the export");
            }
        } catch (ErrnoException | RuntimeException e) {
            Posix.close(up);
            throw e;
        }
        return adopt(fs, Fd.adopt(up), null, user);
    }

    @Override
    public Node duplicate() throws ErrnoException {
        Location copy = locationRef();
        LocalNode twin;
        try {
            twin = new LocalNode(this, copy);
        } catch (ErrnoException | RuntimeException e) {
            if (copy != null) {
                copy.release();
            }
            throw e;
        }
        fs.index().add(twin);
        return twin;
    }

    @Override
    public Attr getattr() throws ErrnoException {
        Attr host;
        try (Fd.Use u = fd.use()) {
            host = Stat.of(u.fd());
        }
        Attr attr = fs.model().clientAttr(this, host);
        last = attr;
        identityFresh = false;
        return attr;
    }

    @Override
    public void setattr(SetAttr changes) throws ErrnoException {
        NodeAttrs.setattr(this, changes);
        getattr();
    }

    /**
     * Opens this file for I/O. A regular file is reopened through /proc/self/fd/N of its own O_PATH descriptor:
     * safe because N is held for the call, the inode's type is fixed for its life and was checked to be a regular
     * file, and the magic link lands on that inode without resolving any name, so no symlink or rename race can
     * redirect the open (O_NOFOLLOW cannot be used: it would refuse the magic link itself). A directory is opened
     * as "." under its own descriptor. Symlinks (ELOOP) and special files (ENXIO) are never opened on the host.
     */
    @Override
    public OpenFile open(int flags) throws ErrnoException {
        int type = clientType();
        int access = flags & Dotl.O_ACCMODE;
        if (access == Dotl.O_ACCMODE) {
            throw new ErrnoException(Errno.EINVAL, "bad access mode");
        }
        if (type == FileId.S_IFDIR) {
            if (access != Dotl.O_RDONLY || (flags & Dotl.O_TRUNC) != 0) {
                throw new ErrnoException(Errno.EISDIR, "directory opened for writing");
            }
            try (Fd.Use u = fd.use()) {
                int dir = Posix.openat(u.fd(), ".", Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
                return new LocalDirectory(fs, key, Fd.adopt(dir), last.dev(), isRoot());
            }
        }
        if (type == FileId.S_IFLNK) {
            throw new ErrnoException(Errno.ELOOP, "open of a symlink");
        }
        if (type != FileId.S_IFREG || hostType != FileId.S_IFREG) {
            throw new ErrnoException(Errno.ENXIO, "special files are not opened on the server");
        }
        if ((flags & Dotl.O_DIRECTORY) != 0) {
            throw new ErrnoException(Errno.ENOTDIR, "O_DIRECTORY on a file");
        }
        if (access != Dotl.O_RDONLY || (flags & Dotl.O_TRUNC) != 0) {
            fs.checkWritable();
        }
        try (Fd.Use u = fd.use()) {
            int io = LocalFile.reopen(u.fd(), LocalFile.hostFlags(flags));
            return new LocalFile(fs, key, Fd.adopt(io), access);
        }
    }

    @Override
    public Created create(String name, int flags, int mode, int gid) throws ErrnoException {
        return Entries.create(this, name, flags, mode, gid);
    }

    @Override
    public Node mkdir(String name, int mode, int gid) throws ErrnoException {
        return Entries.mkdir(this, name, mode, gid);
    }

    @Override
    public Node symlink(String name, String target, int gid) throws ErrnoException {
        return Entries.symlink(this, name, target, gid);
    }

    @Override
    public Node mknod(String name, int mode, int major, int minor, int gid) throws ErrnoException {
        return Entries.mknod(this, name, mode, major, minor, gid);
    }

    @Override
    public void link(String name, Node target) throws ErrnoException {
        Entries.link(this, name, target);
    }

    @Override
    public void renameAt(String oldName, Node newDir, String newName) throws ErrnoException {
        Entries.renameAt(this, oldName, newDir, newName);
    }

    @Override
    public void rename(Node newDir, String newName) throws ErrnoException {
        Entries.rename(this, newDir, newName);
    }

    @Override
    public void unlinkAt(String name, int flags) throws ErrnoException {
        Entries.unlinkAt(this, name, flags);
    }

    @Override
    public void remove() throws ErrnoException {
        Entries.remove(this);
    }

    @Override
    public String readlink() throws ErrnoException {
        if (clientType() != FileId.S_IFLNK) {
            throw new ErrnoException(Errno.EINVAL, "not a symlink");
        }
        try (Fd.Use u = fd.use()) {
            if (hostType == FileId.S_IFLNK) {
                return Posix.readlinkat(u.fd(), "");
            }
            // A mapped symlink: a regular host file whose content is the target (anything else is not opened).
            if (hostType != FileId.S_IFREG) {
                throw new ErrnoException(Errno.EINVAL, "mapped symlink that is no regular host file");
            }
            int io = LocalFile.reopen(u.fd(), Linux.O_RDONLY | Linux.O_CLOEXEC | Linux.O_NOCTTY);
            try {
                return new String(Mapped.readSmall(io, Linux.PATH_MAX - 1), StandardCharsets.UTF_8);
            } finally {
                Posix.close(io);
            }
        }
    }

    @Override
    public StatFs statfs() throws ErrnoException {
        try (Fd.Use u = fd.use()) {
            return PosixIo.fstatfs(u.fd());
        }
    }

    @Override
    public byte[] getxattr(String name) throws ErrnoException {
        return NodeXattrs.get(this, name);
    }

    @Override
    public List<String> listxattr() throws ErrnoException {
        return NodeXattrs.list(this);
    }

    @Override
    public void setxattr(String name, byte[] value, int flags) throws ErrnoException {
        NodeXattrs.set(this, name, value, flags);
    }

    @Override
    public void removexattr(String name) throws ErrnoException {
        NodeXattrs.remove(this, name);
    }

    /** ENOTDIR unless this is a directory. */
    void requireDirectory() throws ErrnoException {
        if (hostType != FileId.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR, "not a directory");
        }
    }

    /** A reference to the current location for the caller to release, or null when there is none. */
    synchronized Location locationRef() throws ErrnoException {
        if (location == null) {
            return null;
        }
        return new Location(location.dir().retain(), location.dirKey(), location.name());
    }

    /** A checked location (caller releases it), or null when the file has no name in the export left. */
    Location locateOrNull() throws ErrnoException {
        try {
            return Locator.locate(this);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /** Installs a freshly found location, taking over the reference {@code found} holds. */
    synchronized void relocated(Location found) {
        if (closed) {
            found.release();
            return;
        }
        Location old = location;
        location = found;
        if (old != null) {
            old.release();
        }
    }

    /** After a rename through any node: follow it if it moved the name this node knows. */
    synchronized void moved(FileKey fromDir, String oldName, LocalNode toDir, String newName) {
        if (closed || location == null || !location.is(fromDir, oldName)) {
            return;
        }
        Location old = location;
        try {
            location = new Location(toDir.fd.retain(), toDir.key, newName);
        } catch (ErrnoException e) {
            location = null; // the target directory node is being closed; the name will be searched for
        }
        old.release();
    }

    /** After an unlink through any node: drop the name if it is the one this node knows. */
    synchronized void forget(FileKey dir, String name) {
        if (!closed && location != null && location.is(dir, name)) {
            location.release();
            location = null;
        }
    }

    @Override
    public void close() {
        Location loc;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            loc = location;
            location = null;
        }
        fs.index().remove(this);
        if (loc != null) {
            loc.release();
        }
        fd.release();
    }
}
