// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import java.nio.charset.StandardCharsets;

/** A symbolic link: its target is stored as given and never followed. */
final class Symlink extends Inode {
    final String target;
    private final long length;

    Symlink(long ino, int mode, int uid, int gid, Timestamp now, String target) {
        super(ino, mode, uid, gid, now);
        this.target = target;
        this.length = target.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    long size() {
        return length;
    }
}
