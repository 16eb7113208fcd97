// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.FileSystem;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An export of a directory of a CephFS, through libcephfs's handle-based API: one Ceph client (mount) per export.
 * Several gateways exporting the same CephFS see each other's changes at once: Ceph's capabilities keep every
 * client's cache coherent, and POSIX locks are held by the MDS.
 *
 * <p>The gateway acts with its own identity (the process's uid and gid), as QEMU's local backend does; what it
 * stores for the client's users depends on the {@link CephOptions.SecurityModel}.
 */
public final class CephFileSystem implements FileSystem {
    private final CephOptions options;
    private final CephClient client;
    private final boolean ownsClient;
    private final Security security;
    private final InodeRef root;
    private final long dev;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The nodes that know their file by a name, by inode number, so that a rename can update them all. */
    private final ConcurrentHashMap<Long, Set<CephNode>> named = new ConcurrentHashMap<>();

    private CephFileSystem(CephOptions options, CephClient client, boolean ownsClient, InodeRef root, long dev) {
        this.options = options;
        this.client = client;
        this.ownsClient = ownsClient;
        this.root = root;
        this.dev = dev;
        UserPerm gateway = client.gateway();
        this.security = switch (options.securityModel()) {
            case PASSTHROUGH -> new Passthrough(client, gateway, false);
            case NONE -> new Passthrough(client, gateway, true);
            case MAPPED_XATTR -> new MappedXattr(client, options.fmode(), options.dmode());
        };
    }

    /** Mounts the CephFS {@code options} describe. See {@link CephMount} for the errors. */
    public static CephFileSystem open(CephOptions options) throws ErrnoException {
        UserPerm gateway = UserPerm.of(processId("unix:uid"), processId("unix:gid"));
        CephMount mount;
        try {
            mount = CephMount.connect(options);
        } catch (ErrnoException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        var client = new CephClient(mount, gateway);
        try {
            CephClient.Entry root = client.root();
            return new CephFileSystem(options, client, true, root.inode(), root.attr().dev());
        } catch (ErrnoException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Mounts from export options ({@link CephOptions#fromMap}). */
    public static CephFileSystem open(Map<String, String> exportOptions) throws ErrnoException {
        return open(CephOptions.fromMap(exportOptions));
    }

    /** Whether libcephfs can be used in this JVM; {@link #unavailableReason()} says why not. */
    public static boolean available() {
        return LibCephFs.available();
    }

    /** Why libcephfs cannot be used, or null. */
    public static String unavailableReason() {
        try {
            LibCephFs.require();
            return null;
        } catch (ErrnoException e) {
            return e.getMessage();
        }
    }

    public CephOptions options() {
        return options;
    }

    /**
     * Another export, of directory {@code relativePath} below this one's root, through this export's Ceph client (no
     * second mount); {@code view} gives its security model and read-only flag. It must be closed before this one.
     * libcephfs reports statfs for the mount, so a quota on the subdirectory does not show in its statfs.
     */
    CephFileSystem subExport(String relativePath, CephOptions view) throws ErrnoException {
        InodeRef at = root.retain();
        try {
            Attr attr = client.getattr(at);
            for (String name : relativePath.split("/")) {
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                Flags.checkComponent(name);
                if (name.equals("..") || (attr.mode() & FileId.S_IFMT) != FileId.S_IFDIR) {
                    throw new ErrnoException(Errno.EINVAL, "cephfs: not a subdirectory: " + relativePath);
                }
                CephClient.Entry next = client.lookup(at, name);
                at.release();
                at = next.inode();
                attr = next.attr();
            }
            if ((attr.mode() & FileId.S_IFMT) != FileId.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR, "cephfs: not a directory: " + relativePath);
            }
            return new CephFileSystem(view, client, false, at, dev);
        } catch (ErrnoException | RuntimeException e) {
            at.release();
            throw e;
        }
    }

    @Override
    public Node attach(User user) throws ErrnoException {
        Attr view = security.view(root, client.getattr(root));
        return new CephNode(this, root.retain(), view.fileId(), null, null, user.uid());
    }

    @Override
    public boolean readOnly() {
        return options.readOnly();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        root.release();
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "cephfs " + client.mount().description();
    }

    CephClient client() {
        return client;
    }

    Security security() {
        return security;
    }

    InodeRef rootInode() {
        return root;
    }

    long rootIno() {
        return root.ino();
    }

    /** The device number every file of the export reports (libcephfs gives the snapshot id; the same for all). */
    long dev() {
        return dev;
    }

    LockOwners lockOwners() {
        return client.lockOwners();
    }

    void register(CephNode node) {
        named.compute(node.inode().ino(), (ino, nodes) -> {
            Set<CephNode> set = nodes != null ? nodes : ConcurrentHashMap.newKeySet();
            set.add(node);
            return set;
        });
    }

    void unregister(CephNode node) {
        named.computeIfPresent(node.inode().ino(), (ino, nodes) -> {
            nodes.remove(node);
            return nodes.isEmpty() ? null : nodes;
        });
    }

    /** Entry {@code oldName} of {@code oldDir} was renamed to {@code newName} in {@code newDir}. */
    void renamed(InodeRef oldDir, String oldName, InodeRef newDir, String newName) {
        if (oldDir.ino() != newDir.ino()) {
            refreshDirectory(oldDir);
        }
        if (named.isEmpty()) {
            return;
        }
        try {
            CephClient.Entry moved = client.lookup(newDir, newName);
            moved.inode().release();
            moved(moved.attr().ino(), oldDir.ino(), oldName, newDir, newName);
        } catch (ErrnoException e) {
            // renamed again or removed since: its nodes find it when they need it
        }
    }

    /**
     * Makes this client's view of a directory current again. After an entry is renamed out of it into another
     * directory, libcephfs keeps the source directory's old mtime and link count (Ceph 16.2: the rename's reply does
     * not update it) until it reads the directory from the MDS: a readdir of one entry does; a getattr, a lookup, even
     * ceph_ll_lookup_inode do not.
     */
    void refreshDirectory(InodeRef dir) {
        try {
            MemorySegment dirp = client.opendir(dir);
            try (Arena arena = Arena.ofConfined()) {
                client.readdir(dirp, arena.allocate(CephDirent.SIZE));
            } finally {
                client.releasedir(dirp);
            }
        } catch (ErrnoException e) {
            // removed meanwhile: nothing to refresh
        }
    }

    /** Inode {@code ino}, known as {@code oldName} in {@code oldDir}, is now {@code newName} in {@code newDir}. */
    void moved(long ino, long oldDir, String oldName, InodeRef newDir, String newName) {
        Set<CephNode> nodes = named.get(ino);
        if (nodes != null) {
            for (CephNode node : nodes) {
                node.moved(oldDir, oldName, newDir, newName);
            }
        }
    }

    void checkWritable() throws ErrnoException {
        if (options.readOnly()) {
            throw new ErrnoException(Errno.EROFS);
        }
    }

    /** A node for a looked-up entry, as the security model shows it; takes over both references. */
    CephNode node(CephClient.Entry looked, InodeRef parent, String name, int uid) throws ErrnoException {
        Attr view;
        try {
            view = security.view(looked.inode(), looked.attr());
        } catch (ErrnoException | RuntimeException e) {
            looked.inode().release();
            if (parent != null) {
                parent.release();
            }
            throw e;
        }
        return new CephNode(this, looked.inode(), view.fileId(), parent, name, uid);
    }

    /** A node for a file the security model just made (its attributes are the client's view already). */
    CephNode made(CephClient.Entry viewed, InodeRef parent, String name, int uid) {
        return new CephNode(this, viewed.inode(), viewed.attr().fileId(), parent, name, uid);
    }

    /** Whether {@code name} in {@code dir} is still the inode {@code ino}. */
    boolean resolves(InodeRef dir, String name, long ino) throws ErrnoException {
        try {
            CephClient.Entry entry = client.lookup(dir, name);
            entry.inode().release();
            return entry.attr().ino() == ino;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                return false;
            }
            throw e;
        }
    }

    /** The name of inode {@code ino} in directory {@code dir}, or null; reads the whole directory. */
    String nameOf(InodeRef dir, long ino) throws ErrnoException {
        MemorySegment dirp = client.opendir(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dirent = arena.allocate(CephDirent.SIZE);
            while (client.readdir(dirp, dirent)) {
                String name = CephDirent.name(dirent);
                if (CephDirent.ino(dirent) == ino && !name.equals(".") && !name.equals("..")) {
                    return name;
                }
            }
            return null;
        } finally {
            client.releasedir(dirp);
        }
    }

    /** The process's effective uid or gid: the owner of /proc/self. */
    private static int processId(String attribute) throws ErrnoException {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), attribute);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ErrnoException(Errno.EIO, "cephfs: cannot tell the gateway's " + attribute + ": " + e);
        }
    }
}
