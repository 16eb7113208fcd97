// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;

/** Open flags and names, checked and narrowed to what the gateway passes to libcephfs. */
final class Flags {
    /** What create adds: the file is new. */
    static final int CREATE = Dotl.O_CREAT | Dotl.O_EXCL;
    /**
     * The open flags that mean something to a CephFS file; the rest (O_CREAT, O_EXCL, O_NOCTTY, O_NONBLOCK,
     * FASYNC, O_CLOEXEC, O_LARGEFILE, O_NOFOLLOW, O_DIRECTORY) are the client's business or checked here. O_DIRECT is
     * a hint QEMU's server drops too: the gateway's cache is coherent through Ceph's capabilities.
     */
    static final int PASSED = Dotl.O_ACCMODE | Dotl.O_TRUNC | Dotl.O_APPEND | Dotl.O_SYNC | Dotl.O_DSYNC
            | Dotl.O_NOATIME;
    static final int NAME_MAX = 255;

    private Flags() {}

    static int forOpen(int flags) {
        return flags & PASSED;
    }

    static boolean writes(int flags) {
        return (flags & Dotl.O_ACCMODE) != Dotl.O_RDONLY || (flags & Dotl.O_TRUNC) != 0;
    }

    /** A name to create or remove: one component, not "." or "..", at most NAME_MAX bytes. */
    static String checkName(String name) throws ErrnoException {
        checkComponent(name);
        if (name.equals(".") || name.equals("..")) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: '" + name + "' cannot be created or removed");
        }
        return name;
    }

    /** A name to look up: one component, at most NAME_MAX bytes. */
    static String checkComponent(String name) throws ErrnoException {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL, "cephfs: invalid name");
        }
        // up to 63 chars cannot make more than 255 UTF-8 bytes: only longer names are encoded to be measured
        if (name.length() > NAME_MAX / 4 && name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        return name;
    }
}
