// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which extended attributes clients may read and change, with the errnos Linux gives. libcephfs itself accepts more
 * (user.* on symlinks, values over 64 KiB, any namespace), and it exposes Ceph's virtual {@code ceph.*} attributes.
 */
final class XattrPolicy {
    private static final int NAME_MAX = 255, SIZE_MAX = 65_536;
    private static final List<String> NAMESPACES = List.of("user.", "trusted.", "security.",
            "system.posix_acl_access", "system.posix_acl_default", "ceph.");

    private XattrPolicy() {}

    /** ERANGE when empty or longer than 255 bytes, EOPNOTSUPP outside the namespaces Linux knows. */
    static void checkName(String xattr) throws ErrnoException {
        if (xattr.isEmpty() || xattr.indexOf('\0') >= 0
                || xattr.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ERANGE, "cephfs: bad xattr name");
        }
        for (String namespace : NAMESPACES) {
            if (xattr.startsWith(namespace)) {
                return;
            }
        }
        throw new ErrnoException(Errno.EOPNOTSUPP, "cephfs: xattr namespace of " + xattr);
    }

    /** As Linux: user.* attributes belong to regular files and directories only (as the client sees the type). */
    static boolean allowedOn(String xattr, FileId file) {
        return !xattr.startsWith("user.") || file.isRegular() || file.isDirectory();
    }

    /**
     * Clients may not change Ceph's virtual xattrs: {@code ceph.quota.*} on the export's root would lift a quota the
     * operator set, {@code ceph.dir.layout.pool} would move data to another pool. Nor the security model's own.
     */
    static void checkChange(String xattr, FileId file, Security security) throws ErrnoException {
        checkName(xattr);
        if (xattr.startsWith("ceph.")) {
            throw new ErrnoException(Errno.EPERM, "cephfs: ceph.* xattrs are not changed through the gateway");
        }
        if (security.reserved(xattr)) {
            throw new ErrnoException(Errno.EACCES, "cephfs: " + xattr + " belongs to the security model");
        }
        if (!allowedOn(xattr, file)) {
            throw new ErrnoException(Errno.EPERM, "cephfs: user xattrs on a "
                    + (file.isSymlink() ? "symlink" : "special file"));
        }
    }

    /** E2BIG over 64 KiB; EINVAL for flags other than XATTR_CREATE and XATTR_REPLACE. */
    static void checkValue(byte[] value, int flags) throws ErrnoException {
        if ((flags & ~(Dotl.XATTR_CREATE | Dotl.XATTR_REPLACE)) != 0) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: unknown setxattr flags " + flags);
        }
        if (value.length > SIZE_MAX) {
            throw new ErrnoException(Errno.E2BIG);
        }
    }
}
