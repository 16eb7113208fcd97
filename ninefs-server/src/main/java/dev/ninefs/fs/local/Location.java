// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.posix.Fd;

/**
 * Where a node's file was last known to be: the name {@code name} in the directory {@code dir} (a reference the
 * location holds, released with {@link #release}). Needed only by the calls Linux offers no descriptor form of
 * (rename, unlink, mapped-file metadata, a symlink's xattrs); always checked against the node's identity first.
 */
record Location(Fd dir, FileKey dirKey, String name) {
    boolean is(FileKey key, String entry) {
        return dirKey.equals(key) && name.equals(entry);
    }

    void release() {
        dir.release();
    }
}
