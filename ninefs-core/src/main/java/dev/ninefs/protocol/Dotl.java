// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

/**
 * 9P2000.L constants: open flags (P9_DOTL_*, which are Linux x86-64 O_* values), getattr/setattr masks, lock
 * types and states, xattr flags.
 */
public final class Dotl {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int FASYNC = 020000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;

    /** AT_REMOVEDIR, the flag of Tunlinkat that removes a directory. */
    public static final int AT_REMOVEDIR = 0x200;

    /** Tgetattr's request_mask and Rgetattr's valid bits. */
    public static final long GETATTR_MODE = 0x1, GETATTR_NLINK = 0x2, GETATTR_UID = 0x4, GETATTR_GID = 0x8,
            GETATTR_RDEV = 0x10, GETATTR_ATIME = 0x20, GETATTR_MTIME = 0x40, GETATTR_CTIME = 0x80,
            GETATTR_INO = 0x100, GETATTR_SIZE = 0x200, GETATTR_BLOCKS = 0x400, GETATTR_BTIME = 0x800,
            GETATTR_GEN = 0x1000, GETATTR_DATA_VERSION = 0x2000;
    /** Everything a stat(2) needs: mode..blocks. */
    public static final long GETATTR_BASIC = 0x7ff;
    public static final long GETATTR_ALL = 0x3fff;

    /** Tsetattr's valid bits. */
    public static final int SETATTR_MODE = 0x1, SETATTR_UID = 0x2, SETATTR_GID = 0x4, SETATTR_SIZE = 0x8,
            SETATTR_ATIME = 0x10, SETATTR_MTIME = 0x20, SETATTR_CTIME = 0x40, SETATTR_ATIME_SET = 0x80,
            SETATTR_MTIME_SET = 0x100;

    /** Tlock and Tgetlock types. */
    public static final int LOCK_TYPE_RDLCK = 0, LOCK_TYPE_WRLCK = 1, LOCK_TYPE_UNLCK = 2;
    /** Tlock flags. */
    public static final int LOCK_FLAGS_BLOCK = 1, LOCK_FLAGS_RECLAIM = 2;
    /** Rlock status. */
    public static final int LOCK_SUCCESS = 0, LOCK_BLOCKED = 1, LOCK_ERROR = 2, LOCK_GRACE = 3;

    /** Txattrcreate flags. */
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    private Dotl() {}
}
