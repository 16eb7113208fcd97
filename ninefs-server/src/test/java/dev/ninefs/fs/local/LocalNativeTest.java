// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.posix.Dirents;
import dev.ninefs.posix.Fd;
import dev.ninefs.posix.Linux;
import dev.ninefs.posix.Posix;
import dev.ninefs.posix.PosixIo;
import dev.ninefs.posix.Stat;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The native layer on its own: errno capture, layouts, descriptor lifetime. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalNativeTest {
    @TempDir
    Path dir;

    @Test
    void errnoIsCapturedWithTheCall() {
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> Posix.openat(Linux.AT_FDCWD, dir.resolve("absent").toString(), Linux.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("openat("), e.getMessage());
    }

    @Test
    void openat2ConfinesBeneathTheDirectory() throws Exception {
        assertTrue(Posix.hasOpenat2(), "this kernel (" + System.getProperty("os.version") + ") has openat2");
        Files.createSymbolicLink(dir.resolve("abs"), Path.of("/etc"));
        int d = Posix.openat(Linux.AT_FDCWD, dir.toString(), Linux.O_PATH | Linux.O_DIRECTORY, 0);
        try {
            long beneath = Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_SYMLINKS | Linux.RESOLVE_NO_MAGICLINKS;
            assertEquals(Errno.EXDEV, assertThrows(ErrnoException.class,
                    () -> Posix.openat2(d, "..", Linux.O_PATH, 0, beneath)).errno());
            assertEquals(Errno.ELOOP, assertThrows(ErrnoException.class,
                    () -> Posix.openat2(d, "abs/passwd", Linux.O_PATH, 0, beneath)).errno());
            int link = Posix.openat2(d, "abs", Linux.O_PATH | Linux.O_NOFOLLOW, 0, beneath);
            assertEquals(Linux.S_IFLNK, Stat.of(link).mode() & Linux.S_IFMT, "the link itself, unfollowed");
            assertEquals("/etc", Posix.readlinkat(link, ""));
            Posix.close(link);
        } finally {
            Posix.close(d);
        }
    }

    @Test
    void aDescriptorClosesOnceWithItsLastReference() throws Exception {
        int raw = Posix.openat(Linux.AT_FDCWD, dir.toString(), Linux.O_PATH | Linux.O_DIRECTORY, 0);
        Fd fd = Fd.adopt(raw);
        fd.retain();
        fd.release();
        assertTrue(Files.exists(Path.of("/proc/self/fd/" + raw)), "one reference left: still open");
        try (Fd.Use use = fd.use()) {
            assertEquals(raw, use.fd());
        }
        fd.release();
        assertFalse(readlink(raw).equals(dir.toString()), "closed with the last reference");
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, fd::retain).errno());
        assertEquals(Errno.EBADF, assertThrows(ErrnoException.class, fd::use).errno());
    }

    private static String readlink(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void statxGivesNanosecondsAndBirthTime() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        int fd = Posix.openat(Linux.AT_FDCWD, f.toString(), Linux.O_PATH, 0);
        try {
            Posix.futimens(fd, 5, 123_456_789, 7, 987_654_321, false);
            Attr a = Stat.of(fd);
            assertEquals(5, a.atimeSec());
            assertEquals(123_456_789, a.atimeNsec());
            assertEquals(987_654_321, a.mtimeNsec());
            assertEquals(3, a.size());
            assertTrue(a.btimeSec() > 0, "ext4 and tmpfs report btime");
            assertEquals(Files.getAttribute(f, "unix:ino"), a.ino());
            assertEquals(Files.getAttribute(f, "unix:dev"), a.dev(), "st_dev encoding, as multidevs keys on it");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void makedevMatchesGlibcForLargeNumbers() {
        long dev = Linux.makedev(0x12345, 0xabcdef);
        assertEquals(0x12345, Linux.major(dev));
        assertEquals(0xabcdef, Linux.minor(dev));
        assertEquals((8 << 8) | 1, Linux.makedev(8, 1));
    }

    @Test
    void heapBuffersAreCopiedInBoundedChunks() throws Exception {
        Path f = dir.resolve("big");
        int fd = Posix.openat(Linux.AT_FDCWD, f.toString(), Linux.O_RDWR | Linux.O_CREAT, 0600);
        try {
            ByteBuffer out = ByteBuffer.allocate(PosixIo.MAX_COPY + 10);
            int n = PosixIo.pwrite(fd, 0, out);
            assertEquals(PosixIo.MAX_COPY, n, "at most one copy per call");
            assertEquals(PosixIo.MAX_COPY, out.position());
            ByteBuffer in = ByteBuffer.allocate(100);
            in.position(10);
            assertEquals(90, PosixIo.pread(fd, 5, in));
            assertEquals(100, in.position());
        } finally {
            Posix.close(fd);
        }
    }

    /** Writes one linux_dirent64 at {@code at}, reclen as the kernel pads it; returns the next record's offset. */
    private static long dirent(MemorySegment buf, long at, long ino, int type, byte[] name) {
        int reclen = (19 + name.length + 1 + 7) & ~7;
        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, at, ino);
        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, at + 8, at + reclen);
        buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 16, (short) reclen);
        buf.set(ValueLayout.JAVA_BYTE, at + 18, (byte) type);
        MemorySegment.copy(name, 0, buf, ValueLayout.JAVA_BYTE, at + 19, name.length);
        buf.set(ValueLayout.JAVA_BYTE, at + 19 + name.length, (byte) 0);
        for (long p = at + 20 + name.length; p < at + reclen; p++) {
            buf.set(ValueLayout.JAVA_BYTE, p, (byte) 'x'); // padding after the NUL is not ours to trust
        }
        return at + reclen;
    }

    @Test
    void theDirentCursorReadsEveryFieldWithoutTrustingThePadding() {
        String long300 = "n".repeat(300); // longer than NAME_MAX: the cursor's name buffer grows
        String[] names = {".", "..", "..x", "ünïcödé", long300, "a"};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096, 8);
            long at = 0;
            for (int i = 0; i < names.length; i++) {
                at = dirent(buf, at, 100 + i, i == 1 ? Linux.DT_DIR : Linux.DT_REG,
                        names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Dirents.Cursor c = new Dirents.Cursor().reset(buf, (int) at);
            long expectedOffset = 0;
            for (int i = 0; i < names.length; i++) {
                assertTrue(c.next(), "record " + i);
                assertEquals(names[i], c.name());
                assertEquals(100 + i, c.ino());
                assertEquals(i == 1 ? Linux.DT_DIR : Linux.DT_REG, c.type());
                assertEquals(i == 1, c.isDotDot(), names[i]);
                assertTrue(c.offset() > expectedOffset);
                expectedOffset = c.offset();
            }
            assertFalse(c.next());
            assertFalse(c.next(), "stays at the end");
            assertEquals(List.of(names), Dirents.decode(buf, (int) at).stream().map(Dirents.Entry::name).toList());
        }
    }

    @Test
    void aMalformedDirentRecordEndsTheDecoding() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64, 8);
            buf.set(ValueLayout.JAVA_LONG, 0, 42);
            buf.set(ValueLayout.JAVA_LONG, 8, 7);
            buf.set(ValueLayout.JAVA_SHORT, 16, (short) 24);
            buf.set(ValueLayout.JAVA_BYTE, 18, (byte) Linux.DT_REG);
            buf.setString(19, "ab");
            buf.set(ValueLayout.JAVA_SHORT, 24 + 16, (short) 200); // runs past the filled length
            var entries = Dirents.decode(buf, 64);
            assertEquals(1, entries.size());
            assertEquals(new Dirents.Entry(42, 7, Linux.DT_REG, "ab"), entries.getFirst());
        }
    }
}
