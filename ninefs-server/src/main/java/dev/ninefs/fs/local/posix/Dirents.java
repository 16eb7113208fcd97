// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local.posix;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes what getdents64(2) fills in.
 *
 * <pre>
 * struct linux_dirent64 { 0 u64 d_ino; 8 i64 d_off; 16 u16 d_reclen; 18 u8 d_type; 19 char d_name[] (NUL) }
 * </pre>
 *
 * d_off is the cookie that, given to lseek(2) on the directory, continues the listing after this entry.
 */
public final class Dirents {
    /** One entry. */
    public record Entry(long ino, long offset, int type, String name) {}

    /** A getdents64 buffer: room for a few hundred entries per call. */
    public static final int BUFFER_SIZE = 32 * 1024;

    private Dirents() {}

    /** The entries in the first {@code length} bytes of {@code buffer}. */
    public static List<Entry> decode(MemorySegment buffer, int length) {
        List<Entry> entries = new ArrayList<>();
        long at = 0;
        while (at + 19 < length) {
            int reclen = buffer.get(JAVA_SHORT_UNALIGNED, at + 16) & 0xffff;
            if (reclen < 20 || at + reclen > length) {
                break; // a malformed record: stop rather than read past what the kernel filled
            }
            long ino = buffer.get(JAVA_LONG_UNALIGNED, at);
            long off = buffer.get(JAVA_LONG_UNALIGNED, at + 8);
            int type = buffer.get(JAVA_BYTE, at + 18) & 0xff;
            String name = buffer.asSlice(at + 19, reclen - 19).getString(0, StandardCharsets.UTF_8);
            entries.add(new Entry(ino, off, type, name));
            at += reclen;
        }
        return entries;
    }

    /** Every entry of the directory {@code dirfd} (which may be an O_PATH descriptor), "." and ".." included. */
    public static List<Entry> list(int dirfd) throws ErrnoException {
        int fd = Posix.openat(dirfd, ".", Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);
            List<Entry> all = new ArrayList<>();
            int n;
            while ((n = PosixIo.getdents64(fd, buffer)) > 0) {
                all.addAll(decode(buffer, n));
            }
            return all;
        } finally {
            Posix.close(fd);
        }
    }
}
