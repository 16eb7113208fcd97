// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.server;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;

/**
 * Checks the names in requests once, before any backend sees them. The errnos for "." and ".." follow what a
 * local file system answers for the same system call (mkdir(".") is EEXIST, rmdir(".") EINVAL, rmdir("..")
 * ENOTEMPTY), as QEMU's 9p server also does.
 */
final class Names {
    /** NAME_MAX: the longest component, in bytes of UTF-8. */
    static final int NAME_MAX = 255;

    private Names() {}

    /** A single component: not empty, no '/' or NUL, at most 255 bytes. "." and ".." pass. */
    static String component(String name) throws ErrnoException {
        if (name.isEmpty()) {
            throw new ErrnoException(Errno.EINVAL, "empty name");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL, "name contains '/' or NUL");
        }
        if (utf8Length(name) > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG, "name longer than 255 bytes");
        }
        return name;
    }

    /** The name of a file to create (lcreate, mkdir, symlink, mknod, link). */
    static String newEntry(String name) throws ErrnoException {
        component(name);
        if (isDot(name)) {
            throw new ErrnoException(Errno.EEXIST, "'" + name + "' always exists");
        }
        return name;
    }

    /** The name unlinkat removes. */
    static String unlinkEntry(String name) throws ErrnoException {
        component(name);
        if (name.equals(".")) {
            throw new ErrnoException(Errno.EINVAL, "cannot remove '.'");
        }
        if (name.equals("..")) {
            throw new ErrnoException(Errno.ENOTEMPTY, "cannot remove '..'");
        }
        return name;
    }

    /** Either name of a rename. */
    static String renameEntry(String name) throws ErrnoException {
        component(name);
        if (isDot(name)) {
            throw new ErrnoException(Errno.EBUSY, "cannot rename '" + name + "'");
        }
        return name;
    }

    static boolean isDot(String name) {
        return name.equals(".") || name.equals("..");
    }

    /** Bytes {@code s} takes in UTF-8, without encoding it. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
