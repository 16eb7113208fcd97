// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.FileId;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.Xattr;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.List;

/**
 * Extended attributes of a node. The xattr calls have no form for O_PATH descriptors, so: anything but a
 * symlink is reached through its own magic link /proc/self/fd/N (which lands on the inode and follows nothing);
 * a symlink as one name under its parent's magic link, /proc/self/fd/DIR/name, without following the last
 * component. The {@link Model} maps and hides names (user.virtfs.* is the server's).
 */
final class NodeXattrs {
    private NodeXattrs() {}

    static byte[] get(LocalNode node, String name) throws ErrnoException {
        String host = node.fs().model().xattrName(name, false);
        return withPath(node, (path, follow) -> Xattr.get(path, host, follow));
    }

    static List<String> list(LocalNode node) throws ErrnoException {
        return node.fs().model().visibleXattrs(withPath(node, Xattr::list));
    }

    static void set(LocalNode node, String name, byte[] value, int flags) throws ErrnoException {
        node.fs().checkWritable();
        checkUserXattrAllowed(node, name);
        String host = node.fs().model().xattrName(name, true);
        withPath(node, (path, follow) -> {
            Xattr.set(path, host, value, flags, follow);
            return null;
        });
    }

    static void remove(LocalNode node, String name) throws ErrnoException {
        node.fs().checkWritable();
        checkUserXattrAllowed(node, name);
        String host = node.fs().model().xattrName(name, true);
        withPath(node, (path, follow) -> {
            Xattr.remove(path, host, follow);
            return null;
        });
    }

    /**
     * Linux allows user.* xattrs only on regular files and directories (EPERM otherwise); a mapped symlink or
     * device is a regular host file, so the rule is applied to the client's type here.
     */
    private static void checkUserXattrAllowed(LocalNode node, String name) throws ErrnoException {
        int type = node.clientType();
        if (name.startsWith("user.") && type != FileId.S_IFREG && type != FileId.S_IFDIR) {
            throw new ErrnoException(Errno.EPERM, "user.* xattrs only on regular files and directories");
        }
    }

    private interface Call<T> {
        T apply(String path, boolean follow) throws ErrnoException;
    }

    private static <T> T withPath(LocalNode node, Call<T> call) throws ErrnoException {
        if (node.hostType() != FileId.S_IFLNK) {
            try (Fd.Use u = node.fd().use()) {
                return call.apply(Posix.procPath(u.fd()), true);
            }
        }
        Location loc = Locator.locate(node);
        try {
            return call.apply(Posix.procPath(loc.dir().number()) + "/" + loc.name(), false);
        } finally {
            loc.release();
        }
    }
}
