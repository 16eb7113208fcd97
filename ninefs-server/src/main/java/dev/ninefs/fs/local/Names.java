// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.posix.Linux;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.charset.StandardCharsets;

/** The checks every name from a client passes before it reaches a system call (defence in depth). */
final class Names {
    private Names() {}

    /**
     * A name that can be one directory entry: not empty, not "." or "..", no '/' or NUL (EINVAL), at most
     * NAME_MAX bytes of UTF-8 (ENAMETOOLONG).
     */
    static String entry(String name) throws ErrnoException {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new ErrnoException(Errno.EINVAL, "not a file name: '" + name + "'");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL, "file name with '/' or NUL");
        }
        if (name.length() > Linux.NAME_MAX / 4 && name.getBytes(StandardCharsets.UTF_8).length > Linux.NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, "file name over " + Linux.NAME_MAX + " bytes");
        }
        return name;
    }

    /** A symlink target: stored as given, but no NUL (EINVAL), not empty (ENOENT) and under PATH_MAX. */
    static String target(String target) throws ErrnoException {
        if (target == null || target.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT, "empty symlink target");
        }
        if (target.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL, "symlink target with NUL");
        }
        if (target.getBytes(StandardCharsets.UTF_8).length >= Linux.PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, "symlink target over " + (Linux.PATH_MAX - 1) + " bytes");
        }
        return target;
    }
}
