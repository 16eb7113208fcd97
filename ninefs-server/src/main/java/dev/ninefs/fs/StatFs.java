// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/** statfs(2) of the file system holding a file. */
public record StatFs(int type, int bsize, long blocks, long bfree, long bavail, long files, long ffree, long fsid,
        int namelen) {}
