// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A libcephfs credential ({@code UserPerm}, from {@code ceph_userperm_new}): who the {@code ceph_ll_*} calls act as.
 * libcephfs checks permissions against it and makes it the owner of what it creates. It does not depend on a mount,
 * so it may outlive one; it is freed once, by {@link #close}.
 */
final class UserPerm implements AutoCloseable {
    private final MemorySegment perm;
    private final int uid;
    private final int gid;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UserPerm(MemorySegment perm, int uid, int gid) {
        this.perm = perm;
        this.uid = uid;
        this.gid = gid;
    }

    /** A credential with no supplementary groups. */
    static UserPerm of(int uid, int gid) throws ErrnoException {
        LibCephFs.require();
        MemorySegment perm;
        try {
            perm = (MemorySegment) LibCephFs.USERPERM_NEW.invokeExact(uid, gid, 0, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("ceph_userperm_new", t);
        }
        if (perm.equals(MemorySegment.NULL)) {
            throw new ErrnoException(Errno.ENOMEM, "cephfs: ceph_userperm_new(" + uid + ", " + gid + ") failed");
        }
        return new UserPerm(perm, uid, gid);
    }

    MemorySegment segment() {
        return perm;
    }

    int uid() {
        return uid;
    }

    int gid() {
        return gid;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                LibCephFs.USERPERM_DESTROY.invokeExact(perm);
            } catch (Throwable t) {
                throw new IllegalStateException("ceph_userperm_destroy", t);
            }
        }
    }

    @Override
    public String toString() {
        return "UserPerm(" + uid + ", " + gid + ")";
    }
}
