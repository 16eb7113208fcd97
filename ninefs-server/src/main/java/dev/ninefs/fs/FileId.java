// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/**
 * What identifies a file to the server, from which it builds the qid (the multidevs policy maps (dev, ino) to
 * qid.path in one place).
 *
 * @param dev the device the file lives on
 * @param ino the inode number on that device
 * @param mode the file type bits of st_mode (S_IFDIR, S_IFREG, S_IFLNK...; permission bits may be present)
 * @param version changes when the file's content or metadata changes, for qid.version; 0 if unknown
 */
public record FileId(long dev, long ino, int mode, long version) {
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }
}
