// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/**
 * One directory entry.
 *
 * @param name the entry's name ("." and ".." included, as getdents gives them)
 * @param dev the entry's device if the backend knows it cheaply, else the directory's device
 * @param ino the entry's inode number
 * @param dtype the d_type (DT_DIR = 4, DT_REG = 8, DT_LNK = 10, DT_UNKNOWN = 0...)
 * @param offset the cookie that continues the listing after this entry: stable across calls, and valid
 *     while other entries are added or removed
 */
public record DirEntry(String name, long dev, long ino, int dtype, long offset) {}
