// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code mapped-xattr} security model, in QEMU's layout: files on CephFS belong to the gateway with modes
 * {@code fmode}/{@code dmode}; the client's view lives in xattrs {@code user.virtfs.uid}, {@code .gid},
 * {@code .mode} (type and permission bits) as 32-bit little-endian numbers and {@code .rdev} as a 64-bit one.
 * Symlinks are regular files holding the target; device nodes, fifos and sockets are empty regular files. A file
 * without these xattrs (made outside the export) shows its CephFS attributes. Clients can neither see nor change
 * {@code user.virtfs.*}.
 */
final class MappedXattr implements Security {
    static final String PREFIX = "user.virtfs.";
    static final String UID = PREFIX + "uid", GID = PREFIX + "gid", MODE = PREFIX + "mode", RDEV = PREFIX + "rdev";
    private static final int DT_REG = 8;

    private final CephClient client;
    private final int fmode;
    private final int dmode;

    MappedXattr(CephClient client, int fmode, int dmode) {
        this.client = client;
        this.fmode = fmode & 07777;
        this.dmode = dmode & 07777;
    }

    @Override
    public Attr view(InodeRef in, Attr raw) throws ErrnoException {
        Integer uid = int32(in, UID);
        Integer gid = int32(in, GID);
        Integer mode = int32(in, MODE);
        Long rdev = int64(in, RDEV);
        if (uid == null && gid == null && mode == null && rdev == null) {
            return raw;
        }
        return new Attr(raw.dev(), raw.ino(), mode == null ? raw.mode() : mode, uid == null ? raw.uid() : uid,
                gid == null ? raw.gid() : gid, raw.nlink(), rdev == null ? raw.rdev() : rdev, raw.size(),
                raw.blksize(), raw.blocks(), raw.atimeSec(), raw.atimeNsec(), raw.mtimeSec(), raw.mtimeNsec(),
                raw.ctimeSec(), raw.ctimeNsec(), raw.btimeSec(), raw.btimeNsec(), raw.gen(), raw.dataVersion());
    }

    @Override
    public CephClient.Opened create(InodeRef dir, String name, int flags, int mode, int uid, int gid)
            throws ErrnoException {
        CephClient.Opened opened = client.create(dir, name, fmode, flags | Flags.CREATE, null);
        return Creations.finish(client, dir, name, opened,
                (in, raw) -> mark(in, raw, uid, gid, FileId.S_IFREG | (mode & 07777), null));
    }

    @Override
    public CephClient.Entry mkdir(InodeRef dir, String name, int mode, int uid, int gid) throws ErrnoException {
        CephClient.Entry made = client.mkdir(dir, name, dmode, null);
        return marked(dir, name, true, made, uid, gid, FileId.S_IFDIR | (mode & 07777), null);
    }

    @Override
    public CephClient.Entry symlink(InodeRef dir, String name, String target, int uid, int gid) throws ErrnoException {
        CephClient.Opened file = client.create(dir, name, fmode, Dotl.O_WRONLY | Flags.CREATE, null);
        CephClient.Entry made = new CephClient.Entry(file.inode(), file.attr());
        try {
            ByteBuffer bytes = ByteBuffer.wrap(target.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                client.write(file.fh(), bytes.position(), bytes);
            }
        } catch (ErrnoException e) {
            client.close(file.fh());
            Creations.undo(client, dir, name, false, made.inode());
            throw e;
        }
        client.close(file.fh());
        return marked(dir, name, false, made, uid, gid, FileId.S_IFLNK | 0777, null);
    }

    @Override
    public CephClient.Entry mknod(InodeRef dir, String name, int mode, long rdev, int uid, int gid)
            throws ErrnoException {
        CephClient.Entry made = client.mknod(dir, name, FileId.S_IFREG | fmode, 0, null);
        return marked(dir, name, false, made, uid, gid, mode, rdev);
    }

    @Override
    public void chmod(InodeRef in, int mode) throws ErrnoException {
        Integer mapped = int32(in, MODE);
        int type = (mapped != null ? mapped : client.getattr(in).mode()) & FileId.S_IFMT;
        set(in, MODE, type | (mode & 07777));
    }

    @Override
    public void chown(InodeRef in, int uid, int gid) throws ErrnoException {
        if (uid != -1) {
            set(in, UID, uid);
        }
        if (gid != -1) {
            set(in, GID, gid);
        }
    }

    @Override
    public String readlink(InodeRef in) throws ErrnoException {
        Attr raw = client.getattr(in);
        if ((raw.mode() & FileId.S_IFMT) == FileId.S_IFLNK) {
            return client.readlink(in); // a real symlink, made outside the export
        }
        var fh = client.open(in, Dotl.O_RDONLY);
        try {
            ByteBuffer target = ByteBuffer.allocate((int) Math.min(raw.size(), 1 << 20));
            while (target.hasRemaining() && client.read(fh, target.position(), target) > 0) {
                // until the whole target is in
            }
            return new String(target.array(), 0, target.position(), StandardCharsets.UTF_8);
        } finally {
            client.close(fh);
        }
    }

    @Override
    public boolean reserved(String xattr) {
        return xattr.startsWith(PREFIX);
    }

    @Override
    public boolean dtypeNeedsInode() {
        return true;
    }

    /**
     * A symlink, device, fifo or socket is a regular file on CephFS; its type lives in an xattr, which the client
     * caches with the directory's entries. (QEMU's local backend answers DT_UNKNOWN instead.)
     */
    @Override
    public int dtype(InodeRef entry, int dtype) throws ErrnoException {
        if (dtype != DT_REG || entry == null) {
            return dtype;
        }
        Integer mode = int32(entry, MODE);
        return mode == null ? dtype : (mode & FileId.S_IFMT) >>> 12;
    }

    private CephClient.Entry marked(InodeRef dir, String name, boolean directory, CephClient.Entry made, int uid,
            int gid, int mode, Long rdev) throws ErrnoException {
        return Creations.finish(client, dir, name, directory, made, (in, raw) -> mark(in, raw, uid, gid, mode, rdev));
    }

    /** Writes the client's view of a new file; returns that view. */
    private Attr mark(InodeRef in, Attr raw, int uid, int gid, int mode, Long rdev) throws ErrnoException {
        int owner = uid == -1 ? raw.uid() : uid;
        int group = gid == -1 ? raw.gid() : gid;
        set(in, UID, owner);
        set(in, GID, group);
        set(in, MODE, mode);
        if (rdev != null) {
            set(in, RDEV, rdev.longValue());
        }
        return view(in, raw);
    }

    private void set(InodeRef in, String name, int value) throws ErrnoException {
        client.setxattr(in, name, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array(), 0);
    }

    private void set(InodeRef in, String name, long value) throws ErrnoException {
        client.setxattr(in, name, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), 0);
    }

    private Integer int32(InodeRef in, String name) throws ErrnoException {
        byte[] value = get(in, name);
        return value == null || value.length < 4 ? null
                : ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private Long int64(InodeRef in, String name) throws ErrnoException {
        byte[] value = get(in, name);
        if (value == null || value.length < 4) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return value.length >= 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
    }

    private byte[] get(InodeRef in, String name) throws ErrnoException {
        try {
            return client.getxattr(in, name);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODATA) {
                return null;
            }
            throw e;
        }
    }
}
