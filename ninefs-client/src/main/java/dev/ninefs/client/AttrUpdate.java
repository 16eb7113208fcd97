// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Message;
import java.time.Instant;

/**
 * What one Tsetattr changes: only the fields whose bit is set in {@link #valid} (Dotl.SETATTR_*). Build it from
 * the factories and combine with the {@code with...} methods: {@code AttrUpdate.mode(0644).withSize(0)}.
 *
 * @param atime the new access time; null with {@link Dotl#SETATTR_ATIME} set means "the server's now"
 * @param mtime the new modification time; null with {@link Dotl#SETATTR_MTIME} set means "the server's now"
 */
public record AttrUpdate(int valid, int mode, int uid, int gid, long size, Instant atime, Instant mtime) {
    private static final AttrUpdate NOTHING = new AttrUpdate(0, 0, 0, 0, 0, null, null);

    public static AttrUpdate mode(int mode) {
        return NOTHING.withMode(mode);
    }

    /** Changes the owner; -1 leaves that id alone, as chown(2) does. */
    public static AttrUpdate owner(int uid, int gid) {
        return NOTHING.withOwner(uid, gid);
    }

    public static AttrUpdate size(long size) {
        return NOTHING.withSize(size);
    }

    /** Sets the times; a null one is left alone. */
    public static AttrUpdate times(Instant atime, Instant mtime) {
        return NOTHING.withTimes(atime, mtime);
    }

    /** Sets both times to the server's current time, as touch(1) does. */
    public static AttrUpdate touch() {
        return new AttrUpdate(Dotl.SETATTR_ATIME | Dotl.SETATTR_MTIME, 0, 0, 0, 0, null, null);
    }

    /** Only the ctime, to the server's now. */
    public static AttrUpdate ctime() {
        return new AttrUpdate(Dotl.SETATTR_CTIME, 0, 0, 0, 0, null, null);
    }

    public AttrUpdate withMode(int mode) {
        return new AttrUpdate(valid | Dotl.SETATTR_MODE, mode, uid, gid, size, atime, mtime);
    }

    public AttrUpdate withOwner(int uid, int gid) {
        int bits = (uid == -1 ? 0 : Dotl.SETATTR_UID) | (gid == -1 ? 0 : Dotl.SETATTR_GID);
        return new AttrUpdate(valid | bits, mode, uid == -1 ? this.uid : uid, gid == -1 ? this.gid : gid, size,
                atime, mtime);
    }

    public AttrUpdate withSize(long size) {
        return new AttrUpdate(valid | Dotl.SETATTR_SIZE, mode, uid, gid, size, atime, mtime);
    }

    public AttrUpdate withTimes(Instant atime, Instant mtime) {
        int bits = (atime == null ? 0 : Dotl.SETATTR_ATIME | Dotl.SETATTR_ATIME_SET)
                | (mtime == null ? 0 : Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET);
        return new AttrUpdate(valid | bits, mode, uid, gid, size, atime == null ? this.atime : atime,
                mtime == null ? this.mtime : mtime);
    }

    Message.Tsetattr toRequest(int fid) {
        return new Message.Tsetattr(fid, valid, mode, uid, gid, size,
                atime == null ? 0 : atime.getEpochSecond(), atime == null ? 0 : atime.getNano(),
                mtime == null ? 0 : mtime.getEpochSecond(), mtime == null ? 0 : mtime.getNano());
    }
}
