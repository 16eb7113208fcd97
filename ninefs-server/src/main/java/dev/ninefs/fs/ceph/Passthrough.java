// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ninefs.fs.Attr;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;

/**
 * The {@code passthrough} and {@code none} security models: CephFS inodes carry the client's uid, gid and mode.
 *
 * <p>A file is created with a credential of its future owner, so libcephfs makes it theirs in the same request
 * (the QEMU patch chowned a bare name afterwards, which is another file or none when the export is not the current
 * directory). When that credential may not create in the directory (it has no supplementary groups; the client's
 * kernel has already checked its own), the gateway creates the file and sets the owner on the new inode itself.
 * With {@code none}, a failure to set the owner is ignored.
 */
final class Passthrough implements Security {
    private final CephClient client;
    private final UserPerm gateway;
    private final boolean ignoreOwnershipErrors;

    Passthrough(CephClient client, UserPerm gateway, boolean ignoreOwnershipErrors) {
        this.client = client;
        this.gateway = gateway;
        this.ignoreOwnershipErrors = ignoreOwnershipErrors;
    }

    /** Makes something with a credential. */
    @FunctionalInterface
    private interface Maker<T> {
        T make(UserPerm as) throws ErrnoException;
    }

    @Override
    public Attr view(InodeRef in, Attr raw) {
        return raw;
    }

    @Override
    public CephClient.Opened create(InodeRef dir, String name, int flags, int mode, int uid, int gid)
            throws ErrnoException {
        CephClient.Opened opened = owned(uid, gid, as -> client.create(dir, name, mode, flags | Flags.CREATE, as));
        if (ownedBy(opened.attr(), uid, gid)) {
            return opened;
        }
        return Creations.finish(client, dir, name, opened, (in, made) -> chownNew(in, made, uid, gid));
    }

    @Override
    public CephClient.Entry mkdir(InodeRef dir, String name, int mode, int uid, int gid) throws ErrnoException {
        return fixOwner(dir, name, true, uid, gid, owned(uid, gid, as -> client.mkdir(dir, name, mode, as)));
    }

    @Override
    public CephClient.Entry symlink(InodeRef dir, String name, String target, int uid, int gid) throws ErrnoException {
        return fixOwner(dir, name, false, uid, gid, owned(uid, gid, as -> client.symlink(dir, name, target, as)));
    }

    @Override
    public CephClient.Entry mknod(InodeRef dir, String name, int mode, long rdev, int uid, int gid)
            throws ErrnoException {
        return fixOwner(dir, name, false, uid, gid, owned(uid, gid, as -> client.mknod(dir, name, mode, rdev, as)));
    }

    @Override
    public void chmod(InodeRef in, int mode) throws ErrnoException {
        client.setattr(in, CephStatx.SET_MODE, stx -> stx.set(JAVA_SHORT,
                CephStatx.MODE, (short) (mode & 07777)));
    }

    @Override
    public void chown(InodeRef in, int uid, int gid) throws ErrnoException {
        int mask = (uid != -1 ? CephStatx.SET_UID : 0) | (gid != -1 ? CephStatx.SET_GID : 0);
        if (mask != 0) {
            client.setattr(in, mask, stx -> {
                stx.set(JAVA_INT, CephStatx.UID, uid);
                stx.set(JAVA_INT, CephStatx.GID, gid);
            });
        }
    }

    @Override
    public String readlink(InodeRef in) throws ErrnoException {
        return client.readlink(in);
    }

    @Override
    public boolean reserved(String xattr) {
        return false;
    }

    @Override
    public boolean dtypeNeedsInode() {
        return false;
    }

    @Override
    public int dtype(InodeRef entry, int dtype) {
        return dtype;
    }

    private int owner(int uid) {
        return uid == -1 ? gateway.uid() : uid;
    }

    private int group(int gid) {
        return gid == -1 ? gateway.gid() : gid;
    }

    /** Made by the owner-to-be when it may, else by the gateway. */
    private <T> T owned(int uid, int gid, Maker<T> maker) throws ErrnoException {
        if (owner(uid) == gateway.uid() && group(gid) == gateway.gid()) {
            return maker.make(gateway);
        }
        try (UserPerm as = UserPerm.of(owner(uid), group(gid))) {
            return maker.make(as);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EACCES && e.errno() != Errno.EPERM) {
                throw e;
            }
        }
        return maker.make(gateway);
    }

    private CephClient.Entry fixOwner(InodeRef dir, String name, boolean directory, int uid, int gid,
            CephClient.Entry made) throws ErrnoException {
        if (ownedBy(made.attr(), uid, gid)) {
            return made;
        }
        return Creations.finish(client, dir, name, directory, made, (in, attr) -> chownNew(in, attr, uid, gid));
    }

    private boolean ownedBy(Attr attr, int uid, int gid) {
        return attr.uid() == owner(uid) && attr.gid() == group(gid);
    }

    /**
     * Sets the owner of a file the gateway just made, restating its mode so that no set-id bit is lost to the chown.
     * Returns its attributes after.
     */
    private Attr chownNew(InodeRef in, Attr made, int uid, int gid) throws ErrnoException {
        try {
            client.setattr(in, CephStatx.SET_UID | CephStatx.SET_GID | CephStatx.SET_MODE, stx -> {
                stx.set(JAVA_INT, CephStatx.UID, owner(uid));
                stx.set(JAVA_INT, CephStatx.GID, group(gid));
                stx.set(JAVA_SHORT, CephStatx.MODE, (short) (made.mode() & 07777));
            });
            return client.getattr(in);
        } catch (ErrnoException e) {
            if (ignoreOwnershipErrors) {
                return made;
            }
            throw e;
        }
    }
}
