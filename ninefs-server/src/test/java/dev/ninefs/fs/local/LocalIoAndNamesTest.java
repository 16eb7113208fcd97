// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.GID;
import static dev.ninefs.fs.local.LocalFixture.USER;
import static dev.ninefs.fs.local.LocalFixture.assertErrno;
import static dev.ninefs.fs.local.LocalFixture.open;
import static dev.ninefs.fs.local.LocalFixture.read;
import static dev.ninefs.fs.local.LocalFixture.readAll;
import static dev.ninefs.fs.local.LocalFixture.utf8;
import static dev.ninefs.fs.local.LocalFixture.write;
import static dev.ninefs.fs.local.LocalFixture.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The local backend's I/O, xattrs, read-only exports and name checks in every security model. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalIoAndNamesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void userXattrsRoundTrip(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER);
                Node f = root.create("x", Dotl.O_RDONLY, 0600, GID).node()) {
            f.setxattr("user.colour", utf8("blue"), 0);
            assertArrayEquals(utf8("blue"), f.getxattr("user.colour"));
            assertTrue(f.listxattr().contains("user.colour"));
            assertErrno(Errno.EEXIST, () -> f.setxattr("user.colour", utf8("red"), Dotl.XATTR_CREATE));
            assertErrno(Errno.ENODATA, () -> f.setxattr("user.none", utf8("red"), Dotl.XATTR_REPLACE));
            f.removexattr("user.colour");
            assertErrno(Errno.ENODATA, () -> f.getxattr("user.colour"));
            assertFalse(f.listxattr().stream().anyMatch(n -> n.startsWith("user.virtfs.")),
                    "the server's own xattrs are never listed");
            if (model.mapped()) {
                assertErrno(Errno.ENODATA, () -> f.getxattr("user.virtfs.uid"));
                assertErrno(Errno.EACCES, () -> f.setxattr("user.virtfs.uid", new byte[4], 0));
                assertErrno(Errno.EACCES, () -> f.removexattr("user.virtfs.mode"));
            }
            if (model == SecurityModel.PASSTHROUGH && fs.privileged()) {
                f.setxattr("trusted.ninefs", utf8("t"), 0);
                assertArrayEquals(utf8("t"), f.getxattr("trusted.ninefs"));
            }
            if (model == SecurityModel.MAPPED_XATTR) {
                assertErrno(Errno.EOPNOTSUPP, () -> f.setxattr("trusted.ninefs", utf8("t"), 0));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void readOnlyExportRefusesEveryChange(SecurityModel model) throws Exception {
        try (LocalFileSystem rw = open(dir, model); Node root = rw.attach(USER)) {
            writeFile(root, "r", "content");
        }
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(model).withReadOnly(true));
                Node root = fs.attach(USER); Node r = root.walk("r")) {
            assertTrue(fs.readOnly());
            assertEquals("content", readAll(r));
            assertErrno(Errno.EROFS, () -> root.create("n", Dotl.O_RDWR, 0600, GID));
            assertErrno(Errno.EROFS, () -> root.mkdir("n", 0700, GID));
            assertErrno(Errno.EROFS, () -> root.symlink("n", "t", GID));
            assertErrno(Errno.EROFS, () -> root.unlinkAt("r", 0));
            assertErrno(Errno.EROFS, () -> root.renameAt("r", root, "s"));
            assertErrno(Errno.EROFS, () -> r.open(Dotl.O_WRONLY));
            assertErrno(Errno.EROFS, () -> r.open(Dotl.O_RDONLY | Dotl.O_TRUNC));
            assertErrno(Errno.EROFS, () -> r.setattr(LocalFixture.chmod(0777)));
            assertErrno(Errno.EROFS, () -> r.setxattr("user.a", utf8("b"), 0));
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void writeoutImmediateAndFsync(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(model).withWriteoutImmediate(true));
                Node root = fs.attach(USER)) {
            Node.Created c = root.create("w", Dotl.O_WRONLY | Dotl.O_APPEND, 0600, GID);
            try (Node n = c.node(); OpenFile io = c.file()) {
                assertTrue(n.fileId().isRegular());
                write(io, 0, "one");
                write(io, 0, "two"); // O_APPEND: at the end whatever the offset
                io.fsync(false);
                io.fsync(true);
                assertErrno(Errno.EBADF, () -> io.read(0, ByteBuffer.allocate(1)));
                assertEquals("onetwo", Files.readString(dir.resolve("w")));
            }
            assertTrue(root.statfs().bsize() > 0);
            assertTrue(root.statfs().namelen() >= 255);
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void directBuffersAreUsedInPlace(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            Node.Created c = root.create("direct", Dotl.O_RDWR, 0600, GID);
            try (Node n = c.node(); OpenFile io = c.file()) {
                assertTrue(n.fileId().isRegular());
                ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
                for (int i = 0; i < out.capacity(); i++) {
                    out.put((byte) i);
                }
                out.flip();
                while (out.hasRemaining()) {
                    io.write(out.position(), out);
                }
                ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
                while (in.hasRemaining() && io.read(in.position(), in) > 0) {
                    // read all
                }
                assertEquals(out.flip(), in.flip());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void badNamesAreRefused(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            for (String bad : new String[] {"", "a/b", "/", "a\0b", ".", ".."}) {
                assertErrno(Errno.EINVAL, () -> root.create(bad, Dotl.O_RDWR, 0600, GID));
                assertErrno(Errno.EINVAL, () -> root.mkdir(bad, 0700, GID));
                assertErrno(Errno.EINVAL, () -> root.unlinkAt(bad, 0));
            }
            for (String bad : new String[] {"", "a/b", "/", "a\0b", "../x"}) {
                assertErrno(Errno.EINVAL, () -> root.walk(bad));
            }
            assertErrno(Errno.ENAMETOOLONG, () -> root.walk("x".repeat(256)));
            assertErrno(Errno.ENAMETOOLONG, () -> root.create("é".repeat(128), Dotl.O_RDWR, 0600, GID));
            writeFile(root, "x".repeat(255), "longest name");
            assertErrno(Errno.EBUSY, root::remove);
            assertErrno(Errno.EBUSY, () -> root.rename(root, "elsewhere"));
        }
    }
}
