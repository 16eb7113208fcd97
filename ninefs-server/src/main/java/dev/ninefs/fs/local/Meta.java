// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

/**
 * The client's view of a file under a mapped model; -1 in a field means "not recorded, use the host's".
 *
 * @param mode the whole st_mode, type bits included (a symlink or device is a regular file on the host)
 */
record Meta(int uid, int gid, int mode, long rdev) {
    static final Meta NONE = new Meta(-1, -1, -1, -1);

    Meta withOwner(int newUid, int newGid) {
        return new Meta(newUid == -1 ? uid : newUid, newGid == -1 ? gid : newGid, mode, rdev);
    }

    Meta withMode(int newMode) {
        return new Meta(uid, gid, newMode, rdev);
    }
}
