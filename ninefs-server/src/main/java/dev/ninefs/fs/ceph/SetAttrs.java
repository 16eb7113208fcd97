// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.fs.FileId;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.time.Instant;

/** A Tsetattr, as ceph_ll_setattr calls: mode, owner, size, then times, the first failure stopping the rest. */
final class SetAttrs {
    private SetAttrs() {}

    static void apply(CephClient client, Security security, InodeRef in, FileId file, SetAttr changes)
            throws ErrnoException {
        if (changes.has(Dotl.SETATTR_MODE)) {
            security.chmod(in, changes.mode());
        }
        if (changes.has(Dotl.SETATTR_UID) || changes.has(Dotl.SETATTR_GID)) {
            security.chown(in, changes.has(Dotl.SETATTR_UID) ? changes.uid() : -1,
                    changes.has(Dotl.SETATTR_GID) ? changes.gid() : -1);
        }
        if (changes.has(Dotl.SETATTR_SIZE)) {
            if (file.isDirectory()) {
                throw new ErrnoException(Errno.EISDIR);
            }
            if (changes.size() < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            client.setattr(in, CephStatx.SET_SIZE, stx -> stx.set(JAVA_LONG, CephStatx.FILE_SIZE, changes.size()));
        }
        setTimes(client, in, changes);
        // libcephfs keeps what it may (holding exclusive caps) as dirty caps; unflushed, they would hide the MDS's
        // later changes (a directory's mtime after an unlink in it) from this client, and this change from others
        client.syncInode(in, false);
    }

    /** Times with their nanoseconds (the QEMU patch cast a timespec pair to a utimbuf, dropping them). */
    private static void setTimes(CephClient client, InodeRef in, SetAttr changes) throws ErrnoException {
        Instant now = Instant.now();
        int mask = 0;
        long atimeSec = now.getEpochSecond(), atimeNsec = now.getNano();
        long mtimeSec = atimeSec, mtimeNsec = atimeNsec;
        if (changes.has(Dotl.SETATTR_ATIME)) {
            mask |= CephStatx.SET_ATIME;
            if (changes.has(Dotl.SETATTR_ATIME_SET)) {
                atimeSec = changes.atimeSec();
                atimeNsec = changes.atimeNsec();
            }
        }
        if (changes.has(Dotl.SETATTR_MTIME)) {
            mask |= CephStatx.SET_MTIME;
            if (changes.has(Dotl.SETATTR_MTIME_SET)) {
                mtimeSec = changes.mtimeSec();
                mtimeNsec = changes.mtimeNsec();
            }
        }
        if (changes.has(Dotl.SETATTR_CTIME) && mask == 0) {
            mask = CephStatx.SET_CTIME; // "touch ctime": any other change sets it anyway
        }
        if (mask == 0) {
            return;
        }
        if (atimeNsec < 0 || atimeNsec > 999_999_999 || mtimeNsec < 0 || mtimeNsec > 999_999_999) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: nanoseconds out of range");
        }
        long as = atimeSec, an = atimeNsec, ms = mtimeSec, mn = mtimeNsec;
        client.setattr(in, mask, stx -> {
            CephStatx.setTime(stx, CephStatx.ATIME, as, an);
            CephStatx.setTime(stx, CephStatx.MTIME, ms, mn);
            CephStatx.setTime(stx, CephStatx.CTIME, now.getEpochSecond(), now.getNano());
        });
    }
}
