// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;

/**
 * A file of an export, as a fid holds it: a directory, regular file, symlink or special file. It acts for the
 * {@link User} that attached. It keeps referring to the same file after a rename or an unlink (a backend holds a
 * descriptor or an inode, not a path).
 *
 * <p>Names passed to these methods are single components. The server has already refused empty names and names
 * containing '/' or NUL; {@code "."} and {@code ".."} reach only {@link #walk}. Backends still check
 * (defence in depth): a name they cannot accept is EINVAL, an over-long one ENAMETOOLONG.
 *
 * <p>Errors are {@link ErrnoException}s with the errno a local file system would give: ENOENT, EEXIST, ENOTDIR,
 * EISDIR, ENOTEMPTY, EACCES, EPERM, EXDEV, EINVAL, ENOSPC, EROFS... Optional operations default to EOPNOTSUPP.
 */
public interface Node extends AutoCloseable {

    /** The identity from which the server builds this file's qid, as of the lookup or the last change. */
    FileId fileId();

    /**
     * The child named {@code name}, or the parent for {@code ".."} (the root's parent is the root), or this
     * file again for {@code "."}. Symlinks are returned as nodes, never followed.
     *
     * @throws ErrnoException ENOENT, ENOTDIR if this is not a directory, EACCES without search permission
     */
    Node walk(String name) throws ErrnoException;

    /**
     * The identity of this directory's entry {@code name} as a stat of it (not following a symlink) gives: the
     * entry's own device and inode, which for a mount point are the mounted root's, not those of the directory it
     * covers (what a listing gives). {@code "."} is this directory and {@code ".."} its parent, the root's being the
     * root. The type bits are those the client sees, as {@link #walk} gives them. The server asks this for every
     * listed entry when the export's qid policy needs each entry's device (multidevs=remap), so that a listing shows
     * the qids a walk gives.
     *
     * <p>The default walks to the entry and closes the node again; a backend may do the same with one stat. May
     * block on the file system, as walk does.
     *
     * @throws ErrnoException ENOENT if the entry is gone, ENOTDIR, EACCES, as {@link #walk}
     */
    default FileId childId(String name) throws ErrnoException {
        try (Node child = walk(name)) {
            return child.fileId();
        }
    }

    /** A second, independent node for the same file (a Twalk with no names); closing one leaves the other. */
    Node duplicate() throws ErrnoException;

    /** stat. */
    Attr getattr() throws ErrnoException;

    /** chmod, chown, truncate, utimes, as {@code changes} says. Applied in that order; the first failure stops. */
    void setattr(SetAttr changes) throws ErrnoException;

    /**
     * Opens this file for I/O, or a directory for listing. {@code flags} are Linux open flags
     * (O_RDONLY/O_WRONLY/O_RDWR, O_TRUNC, O_APPEND, O_DIRECTORY...); O_CREAT and O_EXCL are ignored here.
     *
     * @throws ErrnoException EISDIR for a directory opened for writing, ELOOP for a symlink, EACCES
     */
    OpenFile open(int flags) throws ErrnoException;

    /** A new regular file in this directory, opened with {@code flags}, owned by the user and {@code gid}. */
    Created create(String name, int flags, int mode, int gid) throws ErrnoException;

    /** What {@link #create} returns: the new file's node and its open file. */
    record Created(Node node, OpenFile file) {}

    /** A new directory in this directory. */
    Node mkdir(String name, int mode, int gid) throws ErrnoException;

    /** A new symlink in this directory pointing to {@code target} (stored as given, never resolved). */
    Node symlink(String name, String target, int gid) throws ErrnoException;

    /** A new special file (S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK or S_IFREG in {@code mode}) in this directory. */
    default Node mknod(String name, int mode, int major, int minor, int gid) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** A new hard link named {@code name} in this directory to {@code target}'s file. */
    default void link(String name, Node target) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /**
     * Renames the entry {@code oldName} of this directory to {@code newName} in {@code newDir}, replacing what is
     * there as rename(2) does.
     *
     * @throws ErrnoException EXDEV if {@code newDir} is of another export, EINVAL when moving a directory into
     *     itself, ENOTEMPTY, EISDIR, ENOTDIR as rename(2)
     */
    void renameAt(String oldName, Node newDir, String newName) throws ErrnoException;

    /** Renames this file to {@code newName} in {@code newDir} (Trename). */
    void rename(Node newDir, String newName) throws ErrnoException;

    /** Removes the entry {@code name}: a directory with AT_REMOVEDIR in {@code flags}, otherwise a non-directory. */
    void unlinkAt(String name, int flags) throws ErrnoException;

    /** Removes this file from its directory (Tremove). */
    void remove() throws ErrnoException;

    /** The target of this symlink. EINVAL if it is not one. */
    String readlink() throws ErrnoException;

    /** statfs of the file system holding this file. */
    StatFs statfs() throws ErrnoException;

    /** The value of extended attribute {@code name}. ENODATA if it has none. */
    default byte[] getxattr(String name) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** The names of this file's extended attributes. */
    default List<String> listxattr() throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** Sets extended attribute {@code name}; {@code flags} are XATTR_CREATE / XATTR_REPLACE. */
    default void setxattr(String name, byte[] value, int flags) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** Removes extended attribute {@code name}. ENODATA if it has none. */
    default void removexattr(String name) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** Releases this node. Never fails; called exactly once. */
    @Override
    void close();
}
