// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The handle-based ({@code ceph_ll_*}) calls of one mount, typed: inodes in and out as {@link InodeRef}s, errors as
 * {@link ErrnoException}s, attributes as {@link Attr}. Each call allocates its native arguments in its own confined
 * arena. Calls act with {@code perms} (the gateway's identity) unless they take a {@link UserPerm}.
 *
 * <p>Thread safety: libcephfs serialises inside its client; calls may come from any thread.
 */
final class CephClient implements AutoCloseable {
    private static final int ERANGE = Errno.ERANGE.code();

    /** A looked-up or created inode with its attributes at that moment. */
    record Entry(InodeRef inode, Attr attr) {}

    /** A created and opened regular file. */
    record Opened(InodeRef inode, Attr attr, MemorySegment fh) {}

    private final CephMount mount;
    private final UserPerm perms;
    /** Per client: libcephfs keeps lock state per client, whatever export a lock comes through. */
    private final LockOwners lockOwners = new LockOwners();

    CephClient(CephMount mount, UserPerm perms) {
        this.mount = mount;
        this.perms = perms;
    }

    CephMount mount() {
        return mount;
    }

    LockOwners lockOwners() {
        return lockOwners;
    }

    /** Who the calls act as, unless told otherwise: the gateway. */
    UserPerm gateway() {
        return perms;
    }

    /** The mounted directory. */
    Entry root() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            mount.call("ceph_ll_lookup_root", cm -> (int) LibCephFs.LL_LOOKUP_ROOT.invokeExact(cm, out));
            MemorySegment inode = out.get(ADDRESS, 0);
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            try {
                getattr(inode, stx);
            } catch (ErrnoException e) {
                put(inode);
                throw e;
            }
            Attr attr = CephStatx.toAttr(stx);
            return new Entry(new InodeRef(this, inode, attr.ino()), attr);
        }
    }

    /** The entry {@code name} of directory {@code dir}; "." and ".." as libcephfs resolves them. */
    Entry lookup(InodeRef dir, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_lookup", cm -> (int) LibCephFs.LL_LOOKUP.invokeExact(cm, dir.inode(), cname, out, stx,
                    CephStatx.WANT_ALL, 0, perms.segment()));
            return entry(out, stx);
        }
    }

    Attr getattr(InodeRef in) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            getattr(in.inode(), stx);
            return CephStatx.toAttr(stx);
        }
    }

    /** Sets what {@code mask} (CEPH_SETATTR_*) selects from the statx that {@code values} fills. */
    void setattr(InodeRef in, int mask, Consumer<MemorySegment> values) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            values.accept(stx);
            mount.call("ceph_ll_setattr", cm -> (int) LibCephFs.LL_SETATTR.invokeExact(cm, in.inode(), stx, mask,
                    perms.segment()));
        }
    }

    /** Opens a regular file; returns the {@code Fh*}, which {@link #close(MemorySegment)} gives back. */
    MemorySegment open(InodeRef in, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            mount.call("ceph_ll_open", cm -> (int) LibCephFs.LL_OPEN.invokeExact(cm, in.inode(), flags, out,
                    perms.segment()));
            return out.get(ADDRESS, 0);
        }
    }

    Opened create(InodeRef dir, String name, int mode, int flags, UserPerm as) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment fh = arena.allocate(ADDRESS);
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_create", cm -> (int) LibCephFs.LL_CREATE.invokeExact(cm, dir.inode(), cname, mode,
                    flags, out, fh, stx, CephStatx.WANT_ALL, 0, who(as)));
            Entry entry = entry(out, stx);
            return new Opened(entry.inode(), entry.attr(), fh.get(ADDRESS, 0));
        }
    }

    Entry mkdir(InodeRef dir, String name, int mode, UserPerm as) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_mkdir", cm -> (int) LibCephFs.LL_MKDIR.invokeExact(cm, dir.inode(), cname, mode, out,
                    stx, CephStatx.WANT_ALL, 0, who(as)));
            return entry(out, stx);
        }
    }

    Entry mknod(InodeRef dir, String name, int mode, long rdev, UserPerm as) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_mknod", cm -> (int) LibCephFs.LL_MKNOD.invokeExact(cm, dir.inode(), cname, mode, rdev,
                    out, stx, CephStatx.WANT_ALL, 0, who(as)));
            return entry(out, stx);
        }
    }

    Entry symlink(InodeRef dir, String name, String target, UserPerm as) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            MemorySegment cname = arena.allocateFrom(name);
            MemorySegment ctarget = arena.allocateFrom(target);
            mount.call("ceph_ll_symlink", cm -> (int) LibCephFs.LL_SYMLINK.invokeExact(cm, dir.inode(), cname,
                    ctarget, out, stx, CephStatx.WANT_ALL, 0, who(as)));
            return entry(out, stx);
        }
    }

    void link(InodeRef in, InodeRef dir, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_link", cm -> (int) LibCephFs.LL_LINK.invokeExact(cm, in.inode(), dir.inode(), cname,
                    perms.segment()));
        }
    }

    void rename(InodeRef dir, String name, InodeRef newDir, String newName) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            MemorySegment cnew = arena.allocateFrom(newName);
            mount.call("ceph_ll_rename", cm -> (int) LibCephFs.LL_RENAME.invokeExact(cm, dir.inode(), cname,
                    newDir.inode(), cnew, perms.segment()));
        }
    }

    void unlink(InodeRef dir, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_unlink", cm -> (int) LibCephFs.LL_UNLINK.invokeExact(cm, dir.inode(), cname,
                    perms.segment()));
        }
    }

    void rmdir(InodeRef dir, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_rmdir", cm -> (int) LibCephFs.LL_RMDIR.invokeExact(cm, dir.inode(), cname,
                    perms.segment()));
        }
    }

    String readlink(InodeRef in) throws ErrnoException {
        for (long size = 4096; ; size *= 4) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(size);
                long capacity = size;
                int n = mount.call("ceph_ll_readlink", cm -> (int) LibCephFs.LL_READLINK.invokeExact(cm, in.inode(),
                        buf, capacity, perms.segment()));
                if (n < size || size >= 1 << 20) {
                    return new String(buf.asSlice(0, n).toArray(JAVA_BYTE),
                            StandardCharsets.UTF_8);
                }
            }
        }
    }

    StatFs statfs(InodeRef in) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(CephStatvfs.SIZE);
            mount.call("ceph_ll_statfs", cm -> (int) LibCephFs.LL_STATFS.invokeExact(cm, in.inode(), st));
            return CephStatvfs.toStatFs(st);
        }
    }

    /** Reads at {@code offset} into {@code dst}'s remaining bytes, advancing its position; 0 at end of file. */
    int read(MemorySegment fh, long offset, ByteBuffer dst) throws ErrnoException {
        int length = dst.remaining();
        if (dst.isDirect()) {
            MemorySegment buf = MemorySegment.ofBuffer(dst);
            int n = mount.call("ceph_ll_read", cm -> (int) LibCephFs.LL_READ.invokeExact(cm, fh, offset,
                    (long) length, buf));
            dst.position(dst.position() + n);
            return n;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, length));
            int n = mount.call("ceph_ll_read", cm -> (int) LibCephFs.LL_READ.invokeExact(cm, fh, offset,
                    (long) length, buf));
            dst.put(buf.asSlice(0, n).asByteBuffer());
            return n;
        }
    }

    /** Writes {@code src}'s remaining bytes at {@code offset}, advancing its position. */
    int write(MemorySegment fh, long offset, ByteBuffer src) throws ErrnoException {
        int length = src.remaining();
        if (src.isDirect()) {
            MemorySegment data = MemorySegment.ofBuffer(src);
            int n = mount.call("ceph_ll_write", cm -> (int) LibCephFs.LL_WRITE.invokeExact(cm, fh, offset,
                    (long) length, data));
            src.position(src.position() + n);
            return n;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length));
            data.asByteBuffer().put(src.duplicate());
            int n = mount.call("ceph_ll_write", cm -> (int) LibCephFs.LL_WRITE.invokeExact(cm, fh, offset,
                    (long) length, data));
            src.position(src.position() + n);
            return n;
        }
    }

    void fsync(MemorySegment fh, boolean dataOnly) throws ErrnoException {
        mount.call("ceph_ll_fsync", cm -> (int) LibCephFs.LL_FSYNC.invokeExact(cm, fh, dataOnly ? 1 : 0));
    }

    void syncInode(InodeRef in, boolean dataOnly) throws ErrnoException {
        mount.call("ceph_ll_sync_inode", cm -> (int) LibCephFs.LL_SYNC_INODE.invokeExact(cm, in.inode(),
                dataOnly ? 1 : 0));
    }

    /** Closes an {@code Fh*}, releasing the POSIX locks taken through it. */
    void close(MemorySegment fh) {
        mount.releaseCall("ceph_ll_close", cm -> (int) LibCephFs.LL_CLOSE.invokeExact(cm, fh));
    }

    /** Gives back an inode reference. */
    void put(MemorySegment inode) {
        mount.releaseCall("ceph_ll_put", cm -> (int) LibCephFs.LL_PUT.invokeExact(cm, inode));
    }

    MemorySegment opendir(InodeRef in) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            mount.call("ceph_ll_opendir", cm -> (int) LibCephFs.LL_OPENDIR.invokeExact(cm, in.inode(), out,
                    perms.segment()));
            return out.get(ADDRESS, 0);
        }
    }

    void releasedir(MemorySegment dir) {
        mount.releaseCall("ceph_ll_releasedir", cm -> (int) LibCephFs.LL_RELEASEDIR.invokeExact(cm, dir));
    }

    /** Fills {@code dirent} with the next entry: true, or false at the end of the directory. */
    boolean readdir(MemorySegment dir, MemorySegment dirent) throws ErrnoException {
        return mount.call("ceph_readdir_r", cm -> (int) LibCephFs.READDIR_R.invokeExact(cm, dir, dirent)) > 0;
    }

    /**
     * As {@link #readdir}, and also takes a reference to the entry's inode: the result holds it, or is null at the
     * end of the directory.
     */
    InodeRef readdirplus(MemorySegment dir, MemorySegment dirent) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stx = arena.allocate(CephStatx.SIZE);
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = mount.call("ceph_readdirplus_r", cm -> (int) LibCephFs.READDIRPLUS_R.invokeExact(cm, dir, dirent,
                    stx, CephStatx.WANT_ID, 0, out));
            return rc > 0 ? new InodeRef(this, out.get(ADDRESS, 0), CephStatx.ino(stx)) : null;
        }
    }

    /** Moves the listing to a cookie a dirent's d_off gave, or to the start for 0. */
    void seekdir(MemorySegment dir, long offset) throws ErrnoException {
        mount.call("ceph_seekdir", cm -> {
            if (offset == 0) {
                LibCephFs.REWINDDIR.invokeExact(cm, dir);
            } else {
                LibCephFs.SEEKDIR.invokeExact(cm, dir, offset);
            }
            return 0;
        });
    }

    /** The value of xattr {@code name}; ENODATA when there is none. */
    byte[] getxattr(InodeRef in, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            while (true) {
                int size = mount.call("ceph_ll_getxattr", cm -> (int) LibCephFs.LL_GETXATTR.invokeExact(cm, in.inode(),
                        cname, MemorySegment.NULL, 0L, perms.segment()));
                MemorySegment value = arena.allocate(Math.max(1, size));
                int n = mount.callRaw("ceph_ll_getxattr", cm -> (int) LibCephFs.LL_GETXATTR.invokeExact(cm,
                        in.inode(), cname, value, (long) size, perms.segment()));
                if (n == -ERANGE) {
                    continue; // it grew between the two calls
                }
                if (n < 0) {
                    throw CephMount.error(-n, "ceph_ll_getxattr");
                }
                return value.asSlice(0, n).toArray(JAVA_BYTE);
            }
        }
    }

    /** Sets xattr {@code name}; flags are XATTR_CREATE (1) / XATTR_REPLACE (2). */
    void setxattr(InodeRef in, String name, byte[] value, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            MemorySegment cvalue = arena.allocate(Math.max(1, value.length));
            cvalue.copyFrom(MemorySegment.ofArray(value));
            mount.call("ceph_ll_setxattr", cm -> (int) LibCephFs.LL_SETXATTR.invokeExact(cm, in.inode(), cname, cvalue,
                    (long) value.length, flags, perms.segment()));
        }
    }

    List<String> listxattr(InodeRef in) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_LONG);
            while (true) {
                mount.call("ceph_ll_listxattr", cm -> (int) LibCephFs.LL_LISTXATTR.invokeExact(cm, in.inode(),
                        MemorySegment.NULL, 0L, length, perms.segment()));
                long size = length.get(JAVA_LONG, 0);
                MemorySegment list = arena.allocate(Math.max(1, size));
                int rc = mount.callRaw("ceph_ll_listxattr", cm -> (int) LibCephFs.LL_LISTXATTR.invokeExact(cm,
                        in.inode(), list, size, length, perms.segment()));
                if (rc == -ERANGE) {
                    continue;
                }
                if (rc < 0) {
                    throw CephMount.error(-rc, "ceph_ll_listxattr");
                }
                return names(list, length.get(JAVA_LONG, 0));
            }
        }
    }

    void removexattr(InodeRef in, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            mount.call("ceph_ll_removexattr", cm -> (int) LibCephFs.LL_REMOVEXATTR.invokeExact(cm, in.inode(), cname,
                    perms.segment()));
        }
    }

    /** F_GETLK: fills {@code flock} with the first conflicting lock, or sets its type to F_UNLCK. */
    void getlk(MemorySegment fh, MemorySegment flock, long owner) throws ErrnoException {
        mount.call("ceph_ll_getlk", cm -> (int) LibCephFs.LL_GETLK.invokeExact(cm, fh, flock, owner));
    }

    /** F_SETLK without waiting: returns 0, or the negative errno (-EAGAIN when another owner holds the range). */
    int setlk(MemorySegment fh, MemorySegment flock, long owner) throws ErrnoException {
        return mount.callRaw("ceph_ll_setlk", cm -> (int) LibCephFs.LL_SETLK.invokeExact(cm, fh, flock, owner, 0));
    }

    @Override
    public void close() {
        mount.close();
        perms.close();
    }

    /** The credential a creation acts with: {@code as}, or the gateway's when null. */
    private MemorySegment who(UserPerm as) {
        return (as == null ? perms : as).segment();
    }

    private void getattr(MemorySegment inode, MemorySegment stx) throws ErrnoException {
        mount.call("ceph_ll_getattr", cm -> (int) LibCephFs.LL_GETATTR.invokeExact(cm, inode, stx, CephStatx.WANT_ALL,
                0, perms.segment()));
    }

    private Entry entry(MemorySegment out, MemorySegment stx) {
        Attr attr = CephStatx.toAttr(stx);
        return new Entry(new InodeRef(this, out.get(ADDRESS, 0), attr.ino()), attr);
    }

    private static List<String> names(MemorySegment list, long length) {
        var names = new ArrayList<String>();
        long start = 0;
        for (long i = 0; i < length; i++) {
            if (list.get(JAVA_BYTE, i) == 0) {
                if (i > start) {
                    names.add(new String(list.asSlice(start, i - start).toArray(JAVA_BYTE),
                            StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }
}
