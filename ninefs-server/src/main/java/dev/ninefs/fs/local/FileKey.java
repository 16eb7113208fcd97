// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.Attr;

/** A host file's identity: device and inode number. */
record FileKey(long dev, long ino) {
    static FileKey of(Attr attr) {
        return new FileKey(attr.dev(), attr.ino());
    }
}
