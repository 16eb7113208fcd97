// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ninefs.fs.StatFs;
import java.lang.foreign.MemorySegment;

/**
 * glibc's {@code struct statvfs} on x86_64, filled by {@code ceph_ll_statfs}:
 *
 * <pre>
 *   0 bsize   8 frsize   16 blocks   24 bfree   32 bavail   40 files   48 ffree   56 favail   64 fsid   72 flag
 *  80 namemax   (all unsigned long)   88 int spare[6]   112 end
 * </pre>
 */
final class CephStatvfs {
    static final long SIZE = 112;
    static final long BSIZE = 0, FRSIZE = 8, BLOCKS = 16, BFREE = 24, BAVAIL = 32, FILES = 40, FFREE = 48,
            FSID = 64, NAMEMAX = 80;
    /** CEPH_SUPER_MAGIC, the f_type a Linux statfs reports for CephFS. */
    static final int CEPH_SUPER_MAGIC = 0x00c36400;

    private CephStatvfs() {}

    /** The block counts are in units of f_frsize, so that is the block size reported. */
    static StatFs toStatFs(MemorySegment st) {
        return new StatFs(CEPH_SUPER_MAGIC, (int) st.get(JAVA_LONG, FRSIZE), st.get(JAVA_LONG, BLOCKS),
                st.get(JAVA_LONG, BFREE), st.get(JAVA_LONG, BAVAIL), st.get(JAVA_LONG, FILES),
                st.get(JAVA_LONG, FFREE), st.get(JAVA_LONG, FSID), (int) st.get(JAVA_LONG, NAMEMAX));
    }
}
