// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/** Small helpers the local backend tests share. */
final class LocalFixture {
    static final User USER = new User(1234, "tester");
    static final int GID = 5678;

    private LocalFixture() {}

    /** An export of {@code dir} in {@code model} with the default options. */
    static LocalFileSystem open(Path dir, SecurityModel model) {
        return LocalFileSystem.open(dir, LocalOptions.of(model));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void write(OpenFile f, long offset, String text) throws ErrnoException {
        ByteBuffer b = ByteBuffer.wrap(utf8(text));
        while (b.hasRemaining()) {
            f.write(offset + b.position(), b);
        }
    }

    static String read(OpenFile f, long offset, int max) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(max);
        while (b.hasRemaining() && f.read(offset + b.position(), b) > 0) {
            // keep reading until end of file or the buffer is full
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    static String readAll(Node n) throws ErrnoException {
        try (OpenFile f = n.open(Dotl.O_RDONLY)) {
            return read(f, 0, 1 << 16);
        }
    }

    static void writeFile(Node dir, String name, String text) throws ErrnoException {
        Node.Created c = dir.create(name, Dotl.O_RDWR, 0644, GID);
        try (OpenFile f = c.file()) {
            write(f, 0, text);
        } finally {
            c.node().close();
        }
    }

    static List<DirEntry> list(Node dir) throws ErrnoException {
        List<DirEntry> all = new ArrayList<>();
        try (OpenFile d = dir.open(Dotl.O_RDONLY)) {
            d.readdir(0, all::add);
        }
        return all;
    }

    static List<String> names(Node dir) throws ErrnoException {
        return list(dir).stream().map(DirEntry::name).filter(n -> !n.equals(".") && !n.equals("..")).sorted()
                .toList();
    }

    static SetAttr chmod(int mode) {
        return new SetAttr(Dotl.SETATTR_MODE, mode, 0, 0, 0, 0, 0, 0, 0);
    }

    static SetAttr chown(int uid, int gid) {
        return new SetAttr(Dotl.SETATTR_UID | Dotl.SETATTR_GID, 0, uid, gid, 0, 0, 0, 0, 0);
    }

    static SetAttr truncate(long size) {
        return new SetAttr(Dotl.SETATTR_SIZE, 0, 0, 0, size, 0, 0, 0, 0);
    }

    static SetAttr times(long aSec, long aNsec, long mSec, long mNsec) {
        return new SetAttr(Dotl.SETATTR_ATIME | Dotl.SETATTR_ATIME_SET | Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET,
                0, 0, 0, 0, aSec, aNsec, mSec, mNsec);
    }

    /** Asserts that {@code call} fails with {@code expected}. */
    static void assertErrno(Errno expected, Executable call) {
        try {
            call.execute();
        } catch (ErrnoException e) {
            if (e.errno() != expected) {
                throw new AssertionFailedError("expected " + expected + " but got " + e.errno() + ": "
                        + e.getMessage(), e);
            }
            return;
        } catch (Throwable t) {
            throw new AssertionFailedError("expected " + expected + " but got " + t, t);
        }
        throw new AssertionFailedError("expected " + expected + " but the call succeeded");
    }
}
