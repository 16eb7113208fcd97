// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

/** The Linux x86-64 constants the native calls take (asm-generic values; x86-64 uses them unchanged). */
public final class Linux {
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3;
    public static final int O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000,
            O_NONBLOCK = 04000, O_DSYNC = 010000, O_DIRECT = 040000, O_LARGEFILE = 0100000,
            O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_NOATIME = 01000000, O_CLOEXEC = 02000000,
            O_SYNC = 04010000, O_PATH = 010000000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400,
            AT_EMPTY_PATH = 0x1000;

    /** openat2(2) resolve flags. */
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08;

    /** renameat2(2) flags. */
    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;

    /** File types of st_mode. */
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    /** d_type values of getdents64. */
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
            DT_LNK = 10, DT_SOCK = 12;

    /** utimensat(2) special nanosecond values. */
    public static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    /** fcntl(2) open-file-description locks and lock types. */
    public static final int F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    /** setxattr(2) flags. */
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    /** lseek(2) whence. */
    public static final int SEEK_SET = 0;

    /** The longest name of one path component, in bytes. */
    public static final int NAME_MAX = 255;
    /** The longest symlink target / path, in bytes including the NUL. */
    public static final int PATH_MAX = 4096;
    /** The largest xattr value and the largest xattr name list. */
    public static final int XATTR_SIZE_MAX = 65536, XATTR_LIST_MAX = 65536;

    private Linux() {}

    /** glibc's makedev(3): the dev_t that st_dev / st_rdev carry for (major, minor). */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /** The d_type for a file type of st_mode. */
    public static int dtype(int mode) {
        return (mode & S_IFMT) >>> 12;
    }
}
