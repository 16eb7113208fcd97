// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The mapped models: host files belong to the server (regular files {@code fmode}, directories {@code dmode});
 * the client's uid, gid, mode and rdev are kept apart, and symlinks and special files are regular host files
 * (a symlink's content is its target), so nothing a client makes is ever a symlink or device on the host.
 */
abstract sealed class Mapped extends Model permits MappedXattr, MappedFile {
    /** The prefix of the xattrs that hold the client's metadata, never readable or writable by a client. */
    static final String VIRTFS_PREFIX = "user.virtfs.";

    final LocalFileSystem fs;

    Mapped(LocalFileSystem fs) {
        this.fs = fs;
    }

    /** The metadata recorded for {@code node}'s file, {@link Meta#NONE} if none. */
    abstract Meta read(LocalNode node) throws ErrnoException;

    /** Records {@code meta} (its fields that are not -1) for {@code node}'s file. */
    abstract void write(LocalNode node, Meta meta) throws ErrnoException;

    @Override
    Attr clientAttr(LocalNode node, Attr h) throws ErrnoException {
        return overlay(h, read(node));
    }

    /** What a client sees of a file whose host stat is {@code h} and whose recorded metadata is {@code m}. */
    static Attr overlay(Attr h, Meta m) {
        if (m.equals(Meta.NONE)) {
            return h;
        }
        return new Attr(h.dev(), h.ino(), m.mode() == -1 ? h.mode() : m.mode(), m.uid() == -1 ? h.uid() : m.uid(),
                m.gid() == -1 ? h.gid() : m.gid(), h.nlink(), m.rdev() == -1 ? h.rdev() : m.rdev(), h.size(),
                h.blksize(), h.blocks(), h.atimeSec(), h.atimeNsec(), h.mtimeSec(), h.mtimeNsec(), h.ctimeSec(),
                h.ctimeNsec(), h.btimeSec(), h.btimeNsec(), h.gen(), h.dataVersion());
    }

    @Override
    int clientMode(int dirfd, String name, Attr host) throws ErrnoException {
        Object context = listingContext(dirfd);
        try {
            int mode = recordedMode(dirfd, name, context);
            return mode == -1 ? host.mode() : mode;
        } finally {
            closeListingContext(context);
        }
    }

    @Override
    int hostFileMode(int mode) {
        return fs.options().fmode();
    }

    @Override
    int hostDirMode(int mode) {
        return fs.options().dmode();
    }

    @Override
    void makeSymlink(int dirfd, String name, String target) throws ErrnoException {
        int fd = Posix.openat(dirfd, name, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW
                | Linux.O_CLOEXEC, fs.options().fmode());
        try {
            ByteBuffer content = ByteBuffer.wrap(target.getBytes(StandardCharsets.UTF_8));
            while (content.hasRemaining()) {
                PosixIo.pwrite(fd, content.position(), content);
            }
        } catch (ErrnoException e) {
            Posix.close(fd);
            unlinkQuietly(dirfd, name);
            throw e;
        }
        Posix.close(fd);
    }

    @Override
    void makeNode(int dirfd, String name, int mode, long rdev) throws ErrnoException {
        Posix.close(Posix.openat(dirfd, name, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW
                | Linux.O_CLOEXEC, fs.options().fmode()));
    }

    @Override
    Attr created(LocalNode node, Attr host, int mode, int uid, int gid, long rdev) throws ErrnoException {
        Meta meta = new Meta(uid, gid, mode, rdev);
        writeNew(node, meta);
        return overlay(host, meta);
    }

    /** {@link #write} for a file made just now, under the name the node was made with. */
    void writeNew(LocalNode node, Meta meta) throws ErrnoException {
        write(node, meta);
    }

    @Override
    void chmod(LocalNode node, int mode) throws ErrnoException {
        Meta m = read(node);
        int type = (m.mode() == -1 ? node.hostType() : m.mode()) & FileId.S_IFMT;
        if (node.hostType() == FileId.S_IFLNK) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "chmod of a host symlink");
        }
        write(node, m.withMode(type | (mode & 07777)));
    }

    @Override
    void chown(LocalNode node, int uid, int gid) throws ErrnoException {
        if (uid == -1 && gid == -1) {
            return;
        }
        write(node, read(node).withOwner(uid, gid));
    }

    @Override
    String xattrName(String name, boolean write) throws ErrnoException {
        if (name.startsWith(VIRTFS_PREFIX)) {
            // QEMU's answers: the server's metadata does not exist for a reader and may not be touched.
            throw new ErrnoException(write ? Errno.EACCES : Errno.ENODATA, "reserved xattr " + name);
        }
        return name;
    }

    /**
     * The client's type of a host regular file, from its recorded mode (a host regular file may be a client
     * symlink, device or fifo); {@code -1} when nothing is recorded.
     */
    abstract int recordedMode(int dirfd, String name, Object context) throws ErrnoException;

    /** Per-listing state for {@link #recordedMode} (mapped-file's metadata directory); closed after the listing. */
    Object listingContext(int dirfd) throws ErrnoException {
        return null;
    }

    void closeListingContext(Object context) {}

    @Override
    Dtypes dtypes(int dirfd) throws ErrnoException {
        Object context = listingContext(dirfd);
        return new Dtypes() {
            @Override
            public int of(String name, int type) {
                if (type != Linux.DT_REG || reserved(name)) {
                    return type;
                }
                try {
                    int mode = recordedMode(dirfd, name, context);
                    return mode == -1 ? Linux.DT_REG : Linux.dtype(mode);
                } catch (ErrnoException e) {
                    return Linux.DT_UNKNOWN; // gone meanwhile, or unreadable: the client will stat it
                }
            }

            @Override
            public void close() {
                closeListingContext(context);
            }
        };
    }

    static void unlinkQuietly(int dirfd, String name) {
        try {
            Posix.unlinkat(dirfd, name, 0);
        } catch (ErrnoException ignored) {
            // best effort: undoing a half-made file
        }
    }

    /** Reads a small host file (a mapped symlink's target, a metadata file) through descriptor {@code fd}. */
    static byte[] readSmall(int fd, int max) throws ErrnoException {
        ByteBuffer buf = ByteBuffer.allocate(max);
        while (buf.hasRemaining()) {
            if (PosixIo.pread(fd, buf.position(), buf) == 0) {
                break;
            }
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }
}
