// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.User;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Native;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.Stat;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An export of a host directory (QEMU's {@code -fsdev local}).
 *
 * <p>Confinement: the export is reached only through descriptors. The root is opened once; every node holds its
 * own descriptor (O_PATH unless open for I/O) and every lookup opens one checked name relative to its parent's
 * descriptor with O_NOFOLLOW (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS where
 * the kernel has it). No path string from a client is ever resolved by the kernel, so no symlink, rename race or
 * ".." can lead a call outside; ".." itself is answered by {@link #insideRoot} checking the parent chain.
 */
public final class LocalFileSystem implements FileSystem {
    /** How far up a ".." check climbs before it gives up (deeper than any real tree). */
    private static final int MAX_DEPTH = 4096;

    private final Fd root;
    private final FileKey rootKey;
    private final LocalOptions options;
    private final Model model;
    private final NodeIndex index = new NodeIndex();
    private final LockTable locks = new LockTable();
    private final boolean privileged;
    /** Null when the export is opened with readdir_cache=off. */
    private final ListingCache listings;

    private LocalFileSystem(Fd root, FileKey rootKey, LocalOptions options, ListingCache listings) {
        this.root = root;
        this.rootKey = rootKey;
        this.options = options;
        this.listings = listings;
        this.privileged = effectiveUid() == 0;
        this.model = Model.of(this, options.securityModel());
    }

    /**
     * Opens {@code root} (a directory; symlinks in this administrator-given path are followed once, here) as an
     * export. IllegalArgumentException if it is not a usable directory, UnsupportedOperationException if native
     * access is not enabled or the platform is not Linux x86-64.
     */
    public static LocalFileSystem open(Path root, LocalOptions options) {
        return open(root, options, options.readdirCache()
                ? new ListingCache(ListingCache.DEFAULT_MAX_BYTES, ListingCache.LOCAL_TYPES)
                : null);
    }

    /** As {@link #open(Path, LocalOptions)}, with the listing cache {@code listings} (null: none). */
    static LocalFileSystem open(Path root, LocalOptions options, ListingCache listings) {
        Native.requireAvailable();
        String path = root.toAbsolutePath().toString();
        int fd;
        try {
            fd = Posix.openat(Linux.AT_FDCWD, path, Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw new IllegalArgumentException("cannot export " + path + ": " + e.errno()
                    + (e.errno() == Errno.ENOTDIR ? " (not a directory)" : ""), e);
        }
        try {
            Attr attr = Stat.of(fd);
            return new LocalFileSystem(Fd.adopt(fd), FileKey.of(attr), options, listings);
        } catch (ErrnoException e) {
            Posix.close(fd);
            throw new IllegalArgumentException("cannot export " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an export from QEMU-style options: {@code path} (required) plus what {@link LocalOptions#fromMap}
     * takes.
     */
    public static LocalFileSystem open(Map<String, String> options) {
        String path = options.get("path");
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a local export needs path=DIRECTORY");
        }
        return open(Path.of(path), LocalOptions.fromMap(options));
    }

    @Override
    public Node attach(User user) throws ErrnoException {
        return LocalNode.adopt(this, root.retain(), null, user);
    }

    @Override
    public boolean readOnly() {
        return options.readOnly();
    }

    /** Local disk only, and only regular files and directories are opened (never a FIFO or a device). */
    @Override
    public boolean quickCalls() {
        return true;
    }

    @Override
    public void close() {
        if (listings != null) {
            listings.close();
        }
        root.release();
    }

    /** The options the export was opened with. */
    public LocalOptions options() {
        return options;
    }

    Model model() {
        return model;
    }

    /** The listing cache, or null when it is off. */
    ListingCache listings() {
        return listings;
    }

    NodeIndex index() {
        return index;
    }

    LockTable locks() {
        return locks;
    }

    FileKey rootKey() {
        return rootKey;
    }

    Fd rootFd() {
        return root;
    }

    /** Whether the server runs as root (passthrough chown and device nodes need it). */
    boolean privileged() {
        return privileged;
    }

    /** EROFS when the export is read-only. */
    void checkWritable() throws ErrnoException {
        if (options.readOnly()) {
            throw new ErrnoException(Errno.EROFS, "read-only export");
        }
    }

    /**
     * Whether the directory {@code dirfd} lies under the export root: climbs ".." until it meets the root (yes) or
     * the host's "/" (no: the directory was moved out of the export by someone on the host).
     */
    boolean insideRoot(int dirfd) throws ErrnoException {
        int current = -1;
        try {
            FileKey key = FileKey.of(Stat.of(dirfd));
            for (int depth = 0; depth < MAX_DEPTH; depth++) {
                if (key.equals(rootKey)) {
                    return true;
                }
                int up = Posix.openat(current < 0 ? dirfd : current, "..",
                        Linux.O_PATH | Linux.O_DIRECTORY | Linux.O_NOFOLLOW | Linux.O_CLOEXEC, 0);
                if (current >= 0) {
                    Posix.close(current);
                }
                current = up;
                FileKey upKey = FileKey.of(Stat.of(up));
                if (upKey.equals(key)) {
                    return false;
                }
                key = upKey;
            }
            return false; // deeper than any real tree: treat as outside
        } finally {
            if (current >= 0) {
                Posix.close(current);
            }
        }
    }

    private static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status (is /proc mounted?)", e);
        }
        throw new IllegalStateException("/proc/self/status has no Uid line");
    }
}
