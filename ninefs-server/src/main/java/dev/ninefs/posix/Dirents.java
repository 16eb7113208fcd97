// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.posix;

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
        Cursor c = new Cursor().reset(buffer, length);
        while (c.next()) {
            entries.add(new Entry(c.ino(), c.offset(), c.type(), c.name()));
        }
        return entries;
    }

    /**
     * Walks the records of one getdents64 call without an object per record: {@link #next} moves to the next one,
     * the accessors read it. A large listing makes only its names; {@link #reset} reuses the cursor for the next
     * call. Not thread-safe.
     */
    public static final class Cursor {
        private static final int NAME = 19;
        private byte[] name = new byte[256];
        private MemorySegment buffer = MemorySegment.NULL;
        private int length;
        private long at;
        private int reclen;

        /** Starts over on the first {@code length} bytes of {@code buffer}. */
        public Cursor reset(MemorySegment buffer, int length) {
            this.buffer = buffer;
            this.length = length;
            this.at = 0;
            this.reclen = 0;
            return this;
        }

        /** Moves to the next record; false at the end, or at a malformed record (never reads past the length). */
        public boolean next() {
            at += reclen;
            reclen = 0;
            if (at + NAME >= length) {
                return false;
            }
            int r = buffer.get(JAVA_SHORT_UNALIGNED, at + 16) & 0xffff;
            if (r <= NAME || at + r > length) {
                return false;
            }
            reclen = r;
            return true;
        }

        public long ino() {
            return buffer.get(JAVA_LONG_UNALIGNED, at);
        }

        /** d_off: the cookie that continues the listing after this record. */
        public long offset() {
            return buffer.get(JAVA_LONG_UNALIGNED, at + 8);
        }

        public int type() {
            return buffer.get(JAVA_BYTE, at + 18) & 0xff;
        }

        /** Whether the name is "..". */
        public boolean isDotDot() {
            return reclen > NAME + 2 && buffer.get(JAVA_BYTE, at + NAME) == '.'
                    && buffer.get(JAVA_BYTE, at + NAME + 1) == '.' && buffer.get(JAVA_BYTE, at + NAME + 2) == 0;
        }

        /** The name, decoded as UTF-8 (a malformed sequence becomes U+FFFD). */
        public String name() {
            int max = reclen - NAME;
            int len = 0;
            while (len < max && buffer.get(JAVA_BYTE, at + NAME + len) != 0) {
                len++;
            }
            if (len > name.length) {
                name = new byte[len];
            }
            MemorySegment.copy(buffer, JAVA_BYTE, at + NAME, name, 0, len);
            return new String(name, 0, len, StandardCharsets.UTF_8);
        }
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
