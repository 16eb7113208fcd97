// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.FileId;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.Xattr;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * security_model=mapped-xattr: the client's metadata in the file's own xattrs, QEMU's names and encoding:
 * {@code user.virtfs.uid}, {@code .gid}, {@code .mode} (4 bytes each) and {@code .rdev} (8 bytes), little-endian.
 * POSIX ACLs are stored as {@code user.virtfs.system.posix_acl_*}, as QEMU does, so they never act on the host;
 * other namespaces than user.* are not carried (EOPNOTSUPP).
 */
final class MappedXattr extends Mapped {
    private static final String UID = "user.virtfs.uid", GID = "user.virtfs.gid", MODE = "user.virtfs.mode",
            RDEV = "user.virtfs.rdev";
    private static final String ACL_PREFIX = "system.posix_acl_";

    MappedXattr(LocalFileSystem fs) {
        super(fs);
    }

    @Override
    Meta read(LocalNode node) throws ErrnoException {
        if (node.hostType() == FileId.S_IFLNK) {
            return Meta.NONE; // a symlink made on the host: user.* xattrs cannot exist on it
        }
        try (Fd.Use fd = node.fd().use()) {
            String path = Posix.procPath(fd.fd());
            return new Meta((int) get(path, UID, true), (int) get(path, GID, true), (int) get(path, MODE, true),
                    get(path, RDEV, true));
        }
    }

    private static long get(String path, String name, boolean follow) throws ErrnoException {
        byte[] v;
        try {
            v = Xattr.get(path, name, follow);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODATA || e.errno() == Errno.EOPNOTSUPP) {
                return -1;
            }
            throw e;
        }
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        return switch (v.length) {
            case 4 -> b.getInt() & 0xffffffffL;
            case 8 -> b.getLong();
            default -> -1; // not written by a mapped server: ignore, as QEMU does for short values
        };
    }

    @Override
    int recordedMode(int dirfd, String name, Object context) throws ErrnoException {
        // One name under the listing's own descriptor, the last component not followed.
        return (int) get(Posix.procPath(dirfd) + "/" + name, MODE, false);
    }

    @Override
    void write(LocalNode node, Meta meta) throws ErrnoException {
        if (node.hostType() == FileId.S_IFLNK) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "a host symlink cannot carry mapped metadata");
        }
        try (Fd.Use fd = node.fd().use()) {
            String path = Posix.procPath(fd.fd());
            if (meta.uid() != -1) {
                Xattr.set(path, UID, le32(meta.uid()), 0, true);
            }
            if (meta.gid() != -1) {
                Xattr.set(path, GID, le32(meta.gid()), 0, true);
            }
            if (meta.mode() != -1) {
                Xattr.set(path, MODE, le32(meta.mode()), 0, true);
            }
            if (meta.rdev() != -1) {
                Xattr.set(path, RDEV, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(meta.rdev())
                        .array(), 0, true);
            }
        }
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    @Override
    String xattrName(String name, boolean write) throws ErrnoException {
        if (name.startsWith(ACL_PREFIX)) {
            return VIRTFS_PREFIX + name;
        }
        String host = super.xattrName(name, write);
        if (!host.startsWith("user.")) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "mapped-xattr carries only user.* xattrs and ACLs: " + name);
        }
        return host;
    }

    @Override
    List<String> visibleXattrs(List<String> host) {
        List<String> visible = new ArrayList<>();
        for (String name : host) {
            if (name.startsWith(VIRTFS_PREFIX + ACL_PREFIX)) {
                visible.add(name.substring(VIRTFS_PREFIX.length()));
            } else if (name.startsWith("user.") && !name.startsWith(VIRTFS_PREFIX)) {
                visible.add(name);
            }
        }
        return visible;
    }
}
