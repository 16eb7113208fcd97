// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.Attr;
import dev.ninefs.protocol.ErrnoException;

/**
 * Where a client's ownership and modes live on CephFS: in the inodes themselves ({@link Passthrough}), or in
 * {@code user.virtfs.*} xattrs of inodes that belong to the gateway ({@link MappedXattr}, QEMU's mapped-xattr layout,
 * so a tree written by QEMU's local backend and one written here read the same).
 *
 * <p>The gateway does all other calls with its own identity, as QEMU's local backend does: the client's kernel
 * checks permissions against the attributes this returns.
 */
sealed interface Security permits Passthrough, MappedXattr {

    /** What the client sees of a file whose CephFS attributes are {@code raw}. */
    Attr view(InodeRef in, Attr raw) throws ErrnoException;

    /** A new regular file owned by {@code uid}:{@code gid}, opened with {@code flags} (O_CREAT|O_EXCL added). */
    CephClient.Opened create(InodeRef dir, String name, int flags, int mode, int uid, int gid) throws ErrnoException;

    CephClient.Entry mkdir(InodeRef dir, String name, int mode, int uid, int gid) throws ErrnoException;

    CephClient.Entry symlink(InodeRef dir, String name, String target, int uid, int gid) throws ErrnoException;

    /** A special file; {@code mode} carries the type (S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK or S_IFREG). */
    CephClient.Entry mknod(InodeRef dir, String name, int mode, long rdev, int uid, int gid) throws ErrnoException;

    /** Sets the permission bits (07777 of {@code mode}), keeping the file type. */
    void chmod(InodeRef in, int mode) throws ErrnoException;

    /** Sets the owner and/or group; -1 leaves one unchanged. */
    void chown(InodeRef in, int uid, int gid) throws ErrnoException;

    /** The target of a file {@link #view} types as a symlink. */
    String readlink(InodeRef in) throws ErrnoException;

    /** Whether clients may neither see nor touch this xattr (the model's own bookkeeping). */
    boolean reserved(String xattr);

    /** Whether {@link #dtype} needs the entry's inode (readdir then takes a reference to each). */
    boolean dtypeNeedsInode();

    /** The d_type readdir reports for an entry CephFS types as {@code dtype}; {@code entry} may be null. */
    int dtype(InodeRef entry, int dtype) throws ErrnoException;

    /** Linux's makedev, as glibc encodes dev_t. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }
}
