// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * glibc's {@code struct dirent} on x86_64 (64-bit offsets, as libcephfs requires), filled by {@code ceph_readdir_r}:
 *
 * <pre>
 *   0 u64 d_ino   8 i64 d_off   16 u16 d_reclen   18 u8 d_type   19 char d_name[256] (NUL-terminated)   280 end
 * </pre>
 *
 * Ceph's {@code d_off} is the position after this entry (a hash-ordered cookie, not an index), so it is what
 * {@code ceph_seekdir} takes to continue the listing after the entry.
 */
final class CephDirent {
    static final long SIZE = 280;
    static final long INO = 0, OFF = 8, TYPE = 18, NAME = 19, NAME_MAX = 256;

    private CephDirent() {}

    static long ino(MemorySegment de) {
        return de.get(JAVA_LONG, INO);
    }

    static long off(MemorySegment de) {
        return de.get(JAVA_LONG, OFF);
    }

    static int type(MemorySegment de) {
        return Byte.toUnsignedInt(de.get(JAVA_BYTE, TYPE));
    }

    static String name(MemorySegment de) {
        return de.getString(NAME, StandardCharsets.UTF_8);
    }
}
