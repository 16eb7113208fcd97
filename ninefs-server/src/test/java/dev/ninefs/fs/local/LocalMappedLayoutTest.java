// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.GID;
import static dev.ninefs.fs.local.LocalFixture.USER;
import static dev.ninefs.fs.local.LocalFixture.assertErrno;
import static dev.ninefs.fs.local.LocalFixture.names;
import static dev.ninefs.fs.local.LocalFixture.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The mapped models keep QEMU's on-disk layout, so an export can move between QEMU and ninefs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalMappedLayoutTest {
    @TempDir
    Path dir;

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] xattr(Path file, String name) throws Exception {
        var view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        ByteBuffer b = ByteBuffer.allocate(view.size(name));
        view.read(name, b);
        return b.array();
    }

    @Test
    void mappedXattrWritesQemusLittleEndianXattrs() throws Exception {
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.MAPPED_XATTR));
                Node root = fs.attach(USER)) {
            root.create("f", Dotl.O_RDWR, 0640, GID).file().close();
            root.mknod("tty", FileId.S_IFCHR | 0620, 4, 1, GID).close();
            root.symlink("l", "target/path", GID).close();
        }
        Path f = dir.resolve("f");
        assertArrayEquals(le32(USER.uid()), xattr(f, "virtfs.uid"));
        assertArrayEquals(le32(GID), xattr(f, "virtfs.gid"));
        assertArrayEquals(le32(FileId.S_IFREG | 0640), xattr(f, "virtfs.mode"));
        Path tty = dir.resolve("tty");
        assertTrue(Files.isRegularFile(tty, LinkOption.NOFOLLOW_LINKS), "a device is a regular host file");
        assertArrayEquals(le32(FileId.S_IFCHR | 0620), xattr(tty, "virtfs.mode"));
        assertArrayEquals(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((4 << 8) | 1).array(),
                xattr(tty, "virtfs.rdev"));
        assertEquals("target/path", Files.readString(dir.resolve("l")));
        assertArrayEquals(le32(FileId.S_IFLNK | 0777), xattr(dir.resolve("l"), "virtfs.mode"));
    }

    @Test
    void mappedXattrReadsFilesQemuMade() throws Exception {
        Path f = Files.writeString(dir.resolve("byqemu"), "x");
        var view = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        view.write("virtfs.uid", ByteBuffer.wrap(le32(42)));
        view.write("virtfs.gid", ByteBuffer.wrap(le32(43)));
        view.write("virtfs.mode", ByteBuffer.wrap(le32(FileId.S_IFIFO | 0600)));
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.MAPPED_XATTR));
                Node root = fs.attach(USER); Node n = root.walk("byqemu")) {
            Attr a = n.getattr();
            assertEquals(42, a.uid());
            assertEquals(43, a.gid());
            assertEquals(FileId.S_IFIFO | 0600, a.mode());
            assertErrno(Errno.ENXIO, () -> n.open(Dotl.O_RDONLY));
            assertEquals(List.of(), n.listxattr(), "user.virtfs.* is the server's, never the client's");
        }
    }

    @Test
    void mappedFileWritesQemusMetadataFiles() throws Exception {
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.MAPPED_FILE));
                Node root = fs.attach(USER)) {
            root.create("f", Dotl.O_RDWR, 0640, GID).file().close();
            try (Node d = root.mkdir("d", 0751, GID)) {
                d.mknod("blk", FileId.S_IFBLK | 0600, 8, 1, GID).close();
            }
            root.setattr(LocalFixture.chmod(0711));
        }
        assertEquals("virtfs.uid=1234\nvirtfs.gid=5678\nvirtfs.mode=" + (FileId.S_IFREG | 0640) + "\n",
                Files.readString(dir.resolve(".virtfs_metadata/f")));
        assertEquals("virtfs.uid=1234\nvirtfs.gid=5678\nvirtfs.mode=" + (FileId.S_IFDIR | 0751) + "\n",
                Files.readString(dir.resolve(".virtfs_metadata/d")));
        assertEquals("virtfs.uid=1234\nvirtfs.gid=5678\nvirtfs.mode=" + (FileId.S_IFBLK | 0600) + "\nvirtfs.rdev="
                + ((8 << 8) | 1) + "\n", Files.readString(dir.resolve("d/.virtfs_metadata/blk")));
        assertTrue(Files.readString(dir.resolve(".virtfs_metadata_root")).contains("virtfs.mode="
                + (FileId.S_IFDIR | 0711)));
        assertEquals(0700, (int) Files.getAttribute(dir.resolve("d"), "unix:mode") & 07777, "dmode on the host");
        assertEquals(0600, (int) Files.getAttribute(dir.resolve("f"), "unix:mode") & 07777, "fmode on the host");
    }

    @Test
    void mappedFileMetadataIsOutOfEveryClientsReach() throws Exception {
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.MAPPED_FILE));
                Node root = fs.attach(USER)) {
            writeFile(root, "f", "data");
            root.setattr(LocalFixture.chmod(0755));
            assertTrue(Files.isDirectory(dir.resolve(".virtfs_metadata")));
            assertTrue(Files.exists(dir.resolve(".virtfs_metadata_root")));
            assertEquals(List.of("f"), names(root), "neither metadata name is listed");
            for (String meta : new String[] {".virtfs_metadata", ".virtfs_metadata_root"}) {
                assertErrno(Errno.ENOENT, () -> root.walk(meta));
                assertErrno(Errno.EINVAL, () -> root.create(meta, Dotl.O_RDWR, 0600, GID));
                assertErrno(Errno.EINVAL, () -> root.mkdir(meta, 0700, GID));
                assertErrno(Errno.EINVAL, () -> root.symlink(meta, "x", GID));
                assertErrno(Errno.EINVAL, () -> root.mknod(meta, FileId.S_IFIFO | 0600, 0, 0, GID));
                assertErrno(Errno.EINVAL, () -> root.renameAt("f", root, meta));
                assertErrno(Errno.ENOENT, () -> root.renameAt(meta, root, "stolen"));
                assertErrno(Errno.ENOENT, () -> root.unlinkAt(meta, 0));
                assertErrno(Errno.ENOENT, () -> root.unlinkAt(meta, Dotl.AT_REMOVEDIR));
                try (Node f = root.walk("f")) {
                    assertErrno(Errno.EINVAL, () -> root.link(meta, f));
                    assertErrno(Errno.EINVAL, () -> f.rename(root, meta));
                }
            }
            assertEquals("virtfs.uid=1234\nvirtfs.gid=5678\nvirtfs.mode=" + (FileId.S_IFREG | 0644) + "\n",
                    Files.readString(dir.resolve(".virtfs_metadata/f")), "untouched by all of that");
        }
    }

    @Test
    void mappedFileIgnoresPlantedSymlinksAndFifos() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("../outside-" + dir.getFileName()));
        try {
            Path secret = Files.writeString(outside.resolve("secret"), "virtfs.uid=0\nvirtfs.mode=33279\n");
            Path export = Files.createDirectories(dir.resolve("export"));
            Files.writeString(export.resolve("a"), "a");
            Files.writeString(export.resolve("b"), "b");
            Files.createDirectories(export.resolve(".virtfs_metadata"));
            Files.createSymbolicLink(export.resolve(".virtfs_metadata/a"), secret);
            new ProcessBuilder("mkfifo", export.resolve(".virtfs_metadata/b").toString()).start().waitFor();
            try (LocalFileSystem fs = LocalFileSystem.open(export, LocalOptions.of(SecurityModel.MAPPED_FILE));
                    Node root = fs.attach(USER); Node a = root.walk("a"); Node b = root.walk("b")) {
                assertEquals(0, a.getattr().uid(), "host owner shown: the planted link was not followed");
                assertEquals(FileId.S_IFREG, a.getattr().mode() & FileId.S_IFMT);
                assertEquals(FileId.S_IFREG, b.getattr().mode() & FileId.S_IFMT, "the fifo was neither read nor waited on");
                assertErrno(Errno.ELOOP, () -> a.setattr(LocalFixture.chmod(0600))); // refused, never followed
            }
            assertEquals("virtfs.uid=0\nvirtfs.mode=33279\n", Files.readString(secret), "outside file untouched");
        } finally {
            EscapeSuite.deleteTree(outside);
        }
    }

    @Test
    void mappedFileMetadataFollowsRenamesLinksAndRemoval() throws Exception {
        try (LocalFileSystem fs = LocalFileSystem.open(dir, LocalOptions.of(SecurityModel.MAPPED_FILE));
                Node root = fs.attach(USER); Node a = root.mkdir("a", 0755, GID); Node b = root.mkdir("b", 0755,
                        GID)) {
            writeFile(a, "x", "");
            try (Node x = a.walk("x")) {
                x.setattr(LocalFixture.chown(7, 8));
                b.link("y", x);
                a.renameAt("x", b, "x2");
                assertFalse(Files.exists(dir.resolve("a/.virtfs_metadata/x")));
                assertTrue(Files.readString(dir.resolve("b/.virtfs_metadata/x2")).contains("virtfs.uid=7"));
                assertTrue(Files.readString(dir.resolve("b/.virtfs_metadata/y")).contains("virtfs.uid=7"));
                x.setattr(LocalFixture.chmod(0611)); // through one name: seen through the other, as in QEMU
                try (Node y = b.walk("y")) {
                    assertEquals(FileId.S_IFREG | 0611, y.getattr().mode());
                }
                b.unlinkAt("x2", 0);
                assertFalse(Files.exists(dir.resolve("b/.virtfs_metadata/x2")));
                try (Node y = b.walk("y")) {
                    assertEquals(7, y.getattr().uid());
                }
            }
            b.unlinkAt("y", 0);
            root.unlinkAt("b", Dotl.AT_REMOVEDIR);
            assertFalse(Files.exists(dir.resolve("b")), "the metadata directory went with it");
            assertErrno(Errno.ENOTEMPTY, () -> {
                writeFile(a, "z", "");
                root.unlinkAt("a", Dotl.AT_REMOVEDIR);
            });
        }
    }
}
