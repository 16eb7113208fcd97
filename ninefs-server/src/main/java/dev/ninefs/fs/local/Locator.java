// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.FileId;
import dev.ninefs.posix.Dirents;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.Stat;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;

/**
 * Finds the name a node's file has now, for the calls that need one. The known {@link Location} is checked (the
 * name must still lead to the node's inode); when it does not, a directory is found again through ".." (checked
 * to be inside the export) and a search of its parent, and another file by a search of the directory it was last
 * seen in. A file that was unlinked, or moved elsewhere by someone on the host, has no name: ENOENT.
 */
final class Locator {
    private Locator() {}

    /** A checked location of {@code node}'s file, holding a reference the caller releases. */
    static Location locate(LocalNode node) throws ErrnoException {
        if (node.isRoot()) {
            throw new ErrnoException(Errno.EBUSY, "the export root has no name in the export");
        }
        Location known = node.locationRef();
        if (known != null && matches(known, node.key())) {
            return known;
        }
        Location found;
        try {
            found = search(node, known);
        } finally {
            if (known != null) {
                known.release();
            }
        }
        if (found == null) {
            throw new ErrnoException(Errno.ENOENT, "the file has no name in the export any more");
        }
        node.relocated(new Location(found.dir().retain(), found.dirKey(), found.name()));
        return found;
    }

    private static boolean matches(Location loc, FileKey key) throws ErrnoException {
        try {
            return FileKey.of(Stat.at(loc.dir().number(), loc.name())).equals(key);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                return false;
            }
            throw e;
        }
    }

    private static Location search(LocalNode node, Location hint) throws ErrnoException {
        Model model = node.fs().model();
        if (node.hostType() == FileId.S_IFDIR) {
            int up;
            try (Fd.Use u = node.fd().use()) {
                up = Posix.openat(u.fd(), "..", Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW
                        | Linux.O_CLOEXEC, 0);
            }
            Fd parent = Fd.adopt(up);
            try {
                if (!node.fs().insideRoot(up)) {
                    return null;
                }
                String name = find(up, node.key(), model, true);
                return name == null ? null : new Location(parent.retain(), FileKey.of(Stat.of(up)), name);
            } finally {
                parent.release();
            }
        }
        if (hint != null) {
            String name = find(hint.dir().number(), node.key(), model, false);
            if (name != null) {
                return new Location(hint.dir().retain(), hint.dirKey(), name);
            }
        }
        return null;
    }

    /** The name in {@code dirfd} of the file {@code key}, or null. */
    private static String find(int dirfd, FileKey key, Model model, boolean directory) throws ErrnoException {
        var entries = Dirents.list(dirfd);
        for (int pass = 0; pass < (directory ? 2 : 1); pass++) {
            for (Dirents.Entry e : entries) {
                if (e.name().equals(".") || e.name().equals("..") || model.reserved(e.name())) {
                    continue;
                }
                // First by inode number; then, for a directory that is a mount point (whose d_ino is the inode
                // underneath), every subdirectory by stat.
                boolean candidate = pass == 0 ? e.ino() == key.ino() : e.type() == Linux.DT_DIR;
                if (candidate && same(dirfd, e.name(), key)) {
                    return e.name();
                }
            }
        }
        return null;
    }

    private static boolean same(int dirfd, String name, FileKey key) {
        try {
            return FileKey.of(Stat.at(dirfd, name)).equals(key);
        } catch (ErrnoException e) {
            return false;
        }
    }
}
