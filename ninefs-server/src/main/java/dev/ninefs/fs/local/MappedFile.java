// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.posix.Dirents;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.posix.Stat;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * security_model=mapped-file, QEMU's layout: the metadata of entry {@code name} of a directory is the text file
 * {@code .virtfs_metadata/name} in that directory ({@code virtfs.uid=N}, {@code virtfs.gid=N},
 * {@code virtfs.mode=N}, {@code virtfs.rdev=N}, one per line, decimal), and the export root's own is
 * {@code .virtfs_metadata_root} in the root. Clients can neither see nor name either (walk: ENOENT; create,
 * rename onto, link: EINVAL). Metadata files are opened by one name under a descriptor with O_NOFOLLOW and must
 * be regular files, so a planted symlink or fifo is ignored, never followed or blocked on.
 *
 * <p>The metadata is per name, so a node needs its {@link Location}; when a file has no name left (unlinked while
 * open) its last metadata is kept in the node.
 */
final class MappedFile extends Mapped {
    static final String META_DIR = ".virtfs_metadata", META_ROOT = ".virtfs_metadata_root";
    private static final int MAX_META = 4096;

    MappedFile(LocalFileSystem fs) {
        super(fs);
    }

    @Override
    boolean reserved(String name) {
        return name.equals(META_DIR) || name.equals(META_ROOT);
    }

    @Override
    Meta read(LocalNode node) throws ErrnoException {
        Meta meta;
        if (node.isRoot()) {
            try (Fd.Use root = fs.rootFd().use()) {
                meta = readFile(root.fd(), META_ROOT);
            }
        } else {
            Location loc = node.locateOrNull();
            if (loc == null) {
                return node.cachedMeta();
            }
            try {
                int metaDir = openMetaDir(loc.dir().number());
                if (metaDir < 0) {
                    meta = Meta.NONE;
                } else {
                    try {
                        meta = readFile(metaDir, loc.name());
                    } finally {
                        Posix.close(metaDir);
                    }
                }
            } finally {
                loc.release();
            }
        }
        node.cacheMeta(meta);
        return meta;
    }

    /**
     * A directory's host link count includes its hidden metadata directory; the client's does not.
     */
    @Override
    Attr clientAttr(LocalNode node, Attr host) throws ErrnoException {
        Attr a = super.clientAttr(node, host);
        if ((host.mode() & FileId.S_IFMT) != FileId.S_IFDIR || host.nlink() <= 2) {
            return a;
        }
        try (Fd.Use u = node.fd().use()) {
            if ((Stat.at(u.fd(), META_DIR).mode() & FileId.S_IFMT) != FileId.S_IFDIR) {
                return a;
            }
        } catch (ErrnoException e) {
            return a;
        }
        return new Attr(a.dev(), a.ino(), a.mode(), a.uid(), a.gid(), a.nlink() - 1, a.rdev(), a.size(),
                a.blksize(), a.blocks(), a.atimeSec(), a.atimeNsec(), a.mtimeSec(), a.mtimeNsec(), a.ctimeSec(),
                a.ctimeNsec(), a.btimeSec(), a.btimeNsec(), a.gen(), a.dataVersion());
    }

    @Override
    void write(LocalNode node, Meta meta) throws ErrnoException {
        node.cacheMeta(meta);
        if (node.isRoot()) {
            try (Fd.Use root = fs.rootFd().use()) {
                writeFile(root.fd(), META_ROOT, meta);
            }
        } else {
            Location loc = node.locateOrNull();
            if (loc != null) { // else no name is left to keep it under: the node's copy is all there is
                writeAt(loc, meta);
            }
        }
        // The file itself did not change, but its (client) attributes did: stamp its ctime as chmod would.
        try (Fd.Use u = node.fd().use()) {
            Posix.fchown(u.fd(), -1, -1);
        }
    }

    /**
     * A file made just now is described under the name it was made with, without checking that name again (its
     * maker just did), and needs no ctime stamp: it was born now.
     */
    @Override
    void writeNew(LocalNode node, Meta meta) throws ErrnoException {
        node.cacheMeta(meta);
        Location loc = node.locationRef();
        if (loc == null) {
            write(node, meta);
            return;
        }
        writeAt(loc, meta);
    }

    /** Writes the metadata file of {@code loc}'s name and releases {@code loc}. */
    private void writeAt(Location loc, Meta meta) throws ErrnoException {
        try {
            int metaDir = makeMetaDir(loc.dir().number());
            try {
                writeFile(metaDir, loc.name(), meta);
            } finally {
                Posix.close(metaDir);
            }
        } finally {
            loc.release();
        }
    }

    @Override
    Object listingContext(int dirfd) throws ErrnoException {
        int metaDir = openMetaDir(dirfd);
        return metaDir < 0 ? null : metaDir;
    }

    @Override
    void closeListingContext(Object context) {
        if (context instanceof Integer metaDir) {
            Posix.close(metaDir);
        }
    }

    @Override
    int recordedMode(int dirfd, String name, Object context) throws ErrnoException {
        return context instanceof Integer metaDir ? readFile(metaDir, name).mode() : -1;
    }

    @Override
    void renamed(int srcDir, String oldName, int dstDir, String newName) throws ErrnoException {
        int srcMeta = openMetaDir(srcDir);
        if (srcMeta < 0) {
            removeMeta(dstDir, newName); // what the target had described is gone; it has no metadata now
            return;
        }
        try {
            int dstMeta = makeMetaDir(dstDir);
            try {
                Posix.renameat2(srcMeta, oldName, dstMeta, newName, 0);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                unlinkIgnoringAbsent(dstMeta, newName);
            } finally {
                Posix.close(dstMeta);
            }
        } finally {
            Posix.close(srcMeta);
        }
    }

    @Override
    void beforeRmdir(int dir, String name) throws ErrnoException {
        int child = Posix.openat(dir, name, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
        try {
            for (Dirents.Entry e : Dirents.list(child)) {
                if (!e.name().equals(".") && !e.name().equals("..") && !e.name().equals(META_DIR)) {
                    throw new ErrnoException(Errno.ENOTEMPTY, "directory not empty: " + name);
                }
            }
            int metaDir = openMetaDir(child);
            if (metaDir < 0) {
                return;
            }
            try {
                // Left-overs of removed entries (or of a host that removed files behind our back).
                for (Dirents.Entry e : Dirents.list(metaDir)) {
                    if (!e.name().equals(".") && !e.name().equals("..")) {
                        unlinkIgnoringAbsent(metaDir, e.name());
                    }
                }
            } finally {
                Posix.close(metaDir);
            }
            Posix.unlinkat(child, META_DIR, Linux.AT_REMOVEDIR);
        } finally {
            Posix.close(child);
        }
    }

    @Override
    void unlinked(int dir, String name) {
        try {
            removeMeta(dir, name);
        } catch (ErrnoException ignored) {
            // the entry is gone; a stale metadata file is harmless and removed with its directory
        }
    }

    /**
     * As QEMU: the new name's metadata file is a hard link of the target's, so both names keep one description
     * (metadata files are rewritten in place, never replaced). Where the target's file is not at hand (the target
     * has no name left, or no metadata yet) the new name gets a copy of what the target shows.
     */
    @Override
    void linked(LocalNode target, int dir, String name) throws ErrnoException {
        int metaDir = makeMetaDir(dir);
        try {
            unlinkIgnoringAbsent(metaDir, name); // stale left-overs of an earlier file of that name
            if (!linkMeta(target, metaDir, name)) {
                writeFile(metaDir, name, read(target));
            }
        } finally {
            Posix.close(metaDir);
        }
    }

    private boolean linkMeta(LocalNode target, int metaDir, String name) throws ErrnoException {
        Location loc = target.locateOrNull();
        if (loc == null) {
            return false;
        }
        try {
            int targetMeta = openMetaDir(loc.dir().number());
            if (targetMeta < 0) {
                return false;
            }
            try {
                Posix.linkat(targetMeta, loc.name(), metaDir, name, 0);
                return true;
            } catch (ErrnoException e) {
                return false; // no metadata file to share (or a cross-device move): fall back to a copy
            } finally {
                Posix.close(targetMeta);
            }
        } finally {
            loc.release();
        }
    }

    private static void removeMeta(int dir, String name) throws ErrnoException {
        int metaDir = openMetaDir(dir);
        if (metaDir >= 0) {
            try {
                unlinkIgnoringAbsent(metaDir, name);
            } finally {
                Posix.close(metaDir);
            }
        }
    }

    /** The metadata directory of {@code dir} (O_PATH), or -1 if it has none. */
    private static int openMetaDir(int dir) throws ErrnoException {
        try {
            return Posix.openat(dir, META_DIR, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC,
                    0);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return -1;
            }
            throw e;
        }
    }

    /** The metadata directory of {@code dir} (O_PATH), made first if it has none. */
    private int makeMetaDir(int dir) throws ErrnoException {
        int existing = openMetaDir(dir); // the common case: one call, no failing mkdirat
        if (existing >= 0) {
            return existing;
        }
        try {
            Posix.mkdirat(dir, META_DIR, 0700);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
        return Posix.openat(dir, META_DIR, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
    }

    private static void unlinkIgnoringAbsent(int dir, String name) throws ErrnoException {
        try {
            Posix.unlinkat(dir, name, 0);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    private static Meta readFile(int dir, String name) throws ErrnoException {
        int fd;
        try {
            fd = Posix.openat(dir, name, Linux.O_RDONLY | Linux.O_NOFOLLOW | Linux.O_NONBLOCK | Linux.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ELOOP) {
                return Meta.NONE;
            }
            throw e;
        }
        try {
            if ((Stat.of(fd).mode() & FileId.S_IFMT) != FileId.S_IFREG) {
                return Meta.NONE;
            }
            return parse(new String(readSmall(fd, MAX_META), StandardCharsets.US_ASCII));
        } finally {
            Posix.close(fd);
        }
    }

    private static void writeFile(int dir, String name, Meta meta) throws ErrnoException {
        int fd = Posix.openat(dir, name, Linux.O_WRONLY | Linux.O_CREAT | Linux.O_TRUNC | Linux.O_NOFOLLOW
                | Linux.O_NONBLOCK | Linux.O_CLOEXEC, 0600);
        try {
            if ((Stat.of(fd).mode() & FileId.S_IFMT) != FileId.S_IFREG) {
                throw new ErrnoException(Errno.EIO, "metadata file " + name + " is not a regular file");
            }
            ByteBuffer text = ByteBuffer.wrap(format(meta).getBytes(StandardCharsets.US_ASCII));
            while (text.hasRemaining()) {
                PosixIo.pwrite(fd, text.position(), text);
            }
        } finally {
            Posix.close(fd);
        }
    }

    static String format(Meta meta) {
        StringBuilder s = new StringBuilder();
        if (meta.uid() != -1) {
            s.append("virtfs.uid=").append(meta.uid()).append('\n');
        }
        if (meta.gid() != -1) {
            s.append("virtfs.gid=").append(meta.gid()).append('\n');
        }
        if (meta.mode() != -1) {
            s.append("virtfs.mode=").append(meta.mode()).append('\n');
        }
        if (meta.rdev() != -1) {
            s.append("virtfs.rdev=").append(meta.rdev()).append('\n');
        }
        return s.toString();
    }

    static Meta parse(String text) {
        int uid = -1, gid = -1, mode = -1;
        long rdev = -1;
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            long value;
            try {
                value = Long.parseLong(line.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                continue; // a line we did not write: ignored, as QEMU's atoi would read 0 we prefer the host's
            }
            switch (line.substring(0, eq)) {
                case "virtfs.uid" -> uid = (int) value;
                case "virtfs.gid" -> gid = (int) value;
                case "virtfs.mode" -> mode = (int) value;
                case "virtfs.rdev" -> rdev = value;
                default -> { }
            }
        }
        return new Meta(uid, gid, mode, rdev);
    }

    @Override
    List<String> visibleXattrs(List<String> host) {
        return host.stream().filter(n -> !n.startsWith(VIRTFS_PREFIX)).toList();
    }
}
