// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.FileId;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;

/**
 * Tsetattr on a node: chmod and chown through the {@link Model}, truncate and utimes on the host file, each
 * through the node's own descriptor (O_PATH: via AT_EMPTY_PATH, or the magic link of a file checked to be
 * regular), never by name.
 */
final class NodeAttrs {
    private NodeAttrs() {}

    /** chmod, chown, truncate, utimes, in that order; the first failure stops. */
    static void setattr(LocalNode node, SetAttr c) throws ErrnoException {
        node.fs().checkWritable();
        node.changed();
        Model model = node.fs().model();
        if (c.has(Dotl.SETATTR_MODE)) {
            model.chmod(node, c.mode());
        }
        if (c.has(Dotl.SETATTR_UID) || c.has(Dotl.SETATTR_GID)) {
            model.chown(node, c.has(Dotl.SETATTR_UID) ? c.uid() : -1, c.has(Dotl.SETATTR_GID) ? c.gid() : -1);
        }
        if (c.has(Dotl.SETATTR_SIZE)) {
            truncate(node, c.size());
        }
        boolean atime = c.has(Dotl.SETATTR_ATIME), mtime = c.has(Dotl.SETATTR_MTIME);
        try (Fd.Use u = node.fd().use()) {
            if (atime || mtime) {
                boolean aset = c.has(Dotl.SETATTR_ATIME_SET), mset = c.has(Dotl.SETATTR_MTIME_SET);
                Posix.futimens(u.fd(), aset ? c.atimeSec() : 0,
                        !atime ? Linux.UTIME_OMIT : aset ? nanos(c.atimeNsec()) : Linux.UTIME_NOW,
                        mset ? c.mtimeSec() : 0,
                        !mtime ? Linux.UTIME_OMIT : mset ? nanos(c.mtimeNsec()) : Linux.UTIME_NOW,
                        node.hostType() == FileId.S_IFLNK);
            } else if (c.has(Dotl.SETATTR_CTIME) && (c.valid() & ~Dotl.SETATTR_CTIME) == 0) {
                Posix.fchown(u.fd(), -1, -1); // a chown that changes nothing still stamps ctime
            }
        }
    }

    private static long nanos(long nsec) throws ErrnoException {
        if (nsec < 0 || nsec > 999_999_999L) {
            throw new ErrnoException(Errno.EINVAL, "nanoseconds out of range: " + nsec);
        }
        return nsec;
    }

    private static void truncate(LocalNode node, long size) throws ErrnoException {
        int type = node.clientType();
        if (type == FileId.S_IFDIR) {
            throw new ErrnoException(Errno.EISDIR, "truncate of a directory");
        }
        if (type != FileId.S_IFREG || node.hostType() != FileId.S_IFREG) {
            throw new ErrnoException(Errno.EINVAL, "truncate of a special file or symlink");
        }
        if (size < 0) {
            throw new ErrnoException(Errno.EINVAL, "negative size");
        }
        try (Fd.Use u = node.fd().use()) {
            PosixIo.truncateThrough(u.fd(), size);
        }
    }
}
