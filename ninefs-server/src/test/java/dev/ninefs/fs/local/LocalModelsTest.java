// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.GID;
import static dev.ninefs.fs.local.LocalFixture.USER;
import static dev.ninefs.fs.local.LocalFixture.assertErrno;
import static dev.ninefs.fs.local.LocalFixture.open;
import static dev.ninefs.fs.local.LocalFixture.names;
import static dev.ninefs.fs.local.LocalFixture.read;
import static dev.ninefs.fs.local.LocalFixture.readAll;
import static dev.ninefs.fs.local.LocalFixture.write;
import static dev.ninefs.fs.local.LocalFixture.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.posix.Linux;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The local backend's behaviour in every security model, driven through the backend SPI. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalModelsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void createdFileKeepsTheClientsOwnerAndMode(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            Node.Created c = root.create("f", Dotl.O_RDWR, 0640, GID);
            try (Node f = c.node(); OpenFile io = c.file()) {
                write(io, 0, "hello");
                assertEquals("hello", read(io, 0, 100));
                Attr a = f.getattr();
                assertEquals(FileId.S_IFREG | 0640, a.mode());
                assertEquals(5, a.size());
                assertEquals(USER.uid(), a.uid());
                assertEquals(GID, a.gid());
                assertTrue(f.fileId().isRegular());
            }
            var host = Files.readAttributes(dir.resolve("f"), java.nio.file.attribute.PosixFileAttributes.class);
            if (model.mapped()) {
                assertEquals("rw-------", PosixFilePermissions.toString(host.permissions()), "fmode on the host");
                assertEquals("root", host.owner().getName());
            } else {
                assertEquals("rw-r-----", PosixFilePermissions.toString(host.permissions()));
                assertEquals(USER.uid(), (int) Files.getAttribute(dir.resolve("f"), "unix:uid"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void directoriesWalkUpAndDownButNeverAboveTheRoot(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            try (Node d = root.mkdir("d", 0750, GID); Node e = d.mkdir("e", 0700, GID)) {
                assertEquals(FileId.S_IFDIR | 0750, d.getattr().mode());
                try (Node up = e.walk(".."); Node upup = up.walk(".."); Node top = upup.walk("..")) {
                    assertEquals(d.getattr().ino(), up.getattr().ino());
                    assertEquals(root.getattr().ino(), upup.getattr().ino());
                    assertEquals(root.getattr().ino(), top.getattr().ino(), "the root's parent is the root");
                }
                try (Node same = d.walk(".")) {
                    assertEquals(d.getattr().ino(), same.getattr().ino());
                }
            }
            assertErrno(Errno.ENOENT, () -> root.walk("missing"));
            try (Node d = root.walk("d")) {
                assertErrno(Errno.ENOTDIR, () -> {
                    try (Node f = root.create("file", Dotl.O_RDONLY, 0600, GID).node()) {
                        f.walk("x");
                    }
                });
                assertErrno(Errno.EISDIR, () -> d.open(Dotl.O_WRONLY));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void symlinksAreNodesNeverFollowed(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            try (Node l = root.symlink("l", "/etc/passwd", GID)) {
                assertTrue(l.fileId().isSymlink());
                assertEquals("/etc/passwd", l.readlink());
                assertEquals(FileId.S_IFLNK, l.getattr().mode() & FileId.S_IFMT);
            }
            try (Node l = root.walk("l")) {
                assertTrue(l.fileId().isSymlink());
                assertEquals("/etc/passwd", l.readlink());
                assertErrno(Errno.ELOOP, () -> l.open(Dotl.O_RDONLY));
                assertErrno(Errno.ENOTDIR, () -> l.walk("x"));
            }
            if (model.mapped()) {
                assertTrue(Files.isRegularFile(dir.resolve("l"), LinkOption.NOFOLLOW_LINKS),
                        "a mapped symlink is a regular host file");
            } else {
                assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(dir.resolve("l")));
            }
            try (Node f = root.create("plain", Dotl.O_RDONLY, 0600, GID).node()) {
                assertErrno(Errno.EINVAL, f::readlink);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    @Timeout(120)
    void readdirCookiesResumeAcrossCallsWhileEntriesComeAndGo(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER); Node d = root.mkdir("big", 0755, GID)) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                writeFile(d, "f" + i, "");
                stable.add("f" + i);
            }
            List<String> seen = new ArrayList<>();
            try (OpenFile listing = d.open(Dotl.O_RDONLY)) {
                long offset = 0;
                int round = 0;
                while (true) {
                    List<DirEntry> batch = new ArrayList<>();
                    listing.readdir(offset, e -> batch.size() < 7 && batch.add(e));
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (DirEntry e : batch) {
                        seen.add(e.name());
                    }
                    offset = batch.getLast().offset();
                    // Churn between calls: new names and removed ones must not disturb the stable ones.
                    writeFile(d, "churn" + round, "");
                    if (round > 0) {
                        d.unlinkAt("churn" + (round - 1), 0);
                    }
                    round++;
                }
            }
            List<String> stableSeen = seen.stream().filter(stable::contains).toList();
            assertEquals(stable.size(), stableSeen.size(), "every stable entry exactly once");
            assertEquals(stable, new HashSet<>(stableSeen));
            assertTrue(seen.contains(".") && seen.contains(".."));
            if (model == SecurityModel.MAPPED_FILE) {
                assertFalse(seen.contains(MappedFile.META_DIR), "metadata directory hidden");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void dotAndDotDotAreListedWithTheirInodes(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER); Node d = root.mkdir("d", 0755, GID)) {
            writeFile(d, "f", "");
            var entries = LocalFixture.list(d);
            assertEquals(3, entries.size(), entries.toString());
            DirEntry dot = entries.stream().filter(e -> e.name().equals(".")).findFirst().orElseThrow();
            DirEntry dotdot = entries.stream().filter(e -> e.name().equals("..")).findFirst().orElseThrow();
            assertEquals(d.getattr().ino(), dot.ino());
            assertEquals(root.getattr().ino(), dotdot.ino());
            var top = LocalFixture.list(root);
            DirEntry rootUp = top.stream().filter(e -> e.name().equals("..")).findFirst().orElseThrow();
            assertEquals(root.getattr().ino(), rootUp.ino(), "the root's .. is listed as the root itself");
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void renameAcrossDirectoriesKeepsNodesAndMetadata(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER);
                Node a = root.mkdir("a", 0755, GID); Node b = root.mkdir("b", 0755, GID)) {
            Node.Created c = a.create("x", Dotl.O_RDWR, 0604, GID);
            try (Node x = c.node(); OpenFile io = c.file()) {
                write(io, 0, "data");
                a.renameAt("x", b, "y");
                assertEquals(List.of(), names(a));
                assertEquals(List.of("y"), names(b));
                assertEquals(FileId.S_IFREG | 0604, x.getattr().mode(), "metadata travelled with the name");
                x.setattr(LocalFixture.chmod(0600));
                try (Node y = b.walk("y")) {
                    assertEquals(FileId.S_IFREG | 0600, y.getattr().mode());
                }
                x.rename(a, "z"); // Trename through the node, which knows its new name
                assertEquals(List.of("z"), names(a));
                try (Node z = a.walk("z")) {
                    assertEquals("data", readAll(z));
                    assertEquals(FileId.S_IFREG | 0600, z.getattr().mode());
                }
                x.remove();
                assertEquals(List.of(), names(a));
                assertEquals("data", read(io, 0, 10), "still open after remove");
            }
            // rename onto an existing file replaces it, as rename(2)
            writeFile(a, "p", "one");
            writeFile(a, "q", "two");
            a.renameAt("p", a, "q");
            assertEquals(List.of("q"), names(a));
            try (Node q = a.walk("q")) {
                assertEquals("one", readAll(q));
            }
            assertErrno(Errno.EINVAL, () -> root.renameAt("a", root.walk("a"), "inside"));
            assertErrno(Errno.ENOENT, () -> a.renameAt("nothing", b, "n"));
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void unlinkedOpenFileKeepsWorking(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            Node.Created c = root.create("gone", Dotl.O_RDWR, 0644, GID);
            try (Node n = c.node(); OpenFile io = c.file()) {
                write(io, 0, "before");
                root.unlinkAt("gone", 0);
                assertErrno(Errno.ENOENT, () -> root.walk("gone"));
                write(io, 6, "+after");
                assertEquals("before+after", read(io, 0, 100));
                Attr a = n.getattr();
                assertEquals(12, a.size());
                assertEquals(0, a.nlink());
                assertEquals(FileId.S_IFREG | 0644, a.mode());
                n.setattr(LocalFixture.truncate(3));
                n.setattr(LocalFixture.chmod(0600));
                n.setattr(LocalFixture.times(1000, 5, 2000, 7));
                Attr b = n.getattr();
                assertEquals(3, b.size());
                assertEquals(FileId.S_IFREG | 0600, b.mode());
                assertEquals(2000, b.mtimeSec());
                assertEquals(7, b.mtimeNsec());
                try (OpenFile again = n.open(Dotl.O_RDONLY)) {
                    assertEquals("bef", read(again, 0, 100));
                }
                assertErrno(Errno.ENOENT, n::remove);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void timesKeepNanoseconds(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER);
                Node f = root.create("t", Dotl.O_RDONLY, 0600, GID).node()) {
            f.setattr(LocalFixture.times(1_600_000_000L, 123_456_789, 1_700_000_000L, 987_654_321));
            Attr a = f.getattr();
            assertEquals(1_600_000_000L, a.atimeSec());
            assertEquals(123_456_789, a.atimeNsec());
            assertEquals(1_700_000_000L, a.mtimeSec());
            assertEquals(987_654_321, a.mtimeNsec());
            assertErrno(Errno.EINVAL, () -> f.setattr(LocalFixture.times(1, 1_000_000_000L, 1, 0)));
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void ownershipAndModeChanges(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER);
                Node f = root.create("o", Dotl.O_RDONLY, 0600, GID).node()) {
            f.setattr(LocalFixture.chown(4321, 8765));
            f.setattr(LocalFixture.chmod(04755));
            Attr a = f.getattr();
            assertEquals(4321, a.uid());
            assertEquals(8765, a.gid());
            assertEquals(FileId.S_IFREG | 04755, a.mode());
            if (model.mapped()) {
                assertEquals(0, (int) Files.getAttribute(dir.resolve("o"), "unix:uid"), "host file stays root's");
                assertEquals(0600, (int) Files.getAttribute(dir.resolve("o"), "unix:mode") & 07777);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void specialFilesAreMadeButNeverOpened(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            try (Node fifo = root.mknod("fifo", FileId.S_IFIFO | 0644, 0, 0, GID)) {
                assertEquals(FileId.S_IFIFO | 0644, fifo.getattr().mode());
                assertErrno(Errno.ENXIO, () -> fifo.open(Dotl.O_RDONLY));
                assertErrno(Errno.ENXIO, () -> fifo.open(Dotl.O_WRONLY | Dotl.O_NONBLOCK));
            }
            try (Node dev = root.mknod("null", FileId.S_IFCHR | 0666, 1, 3, GID)) {
                Attr a = dev.getattr();
                assertEquals(FileId.S_IFCHR | 0666, a.mode());
                assertErrno(Errno.ENXIO, () -> dev.open(Dotl.O_RDWR));
                assertEquals(1, Linux.major(dev.getattr().rdev()), "major");
                assertEquals(3, Linux.minor(dev.getattr().rdev()), "minor");
            }
            int hostMode = (int) Files.getAttribute(dir.resolve("null"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean hostDevice = (hostMode & FileId.S_IFMT) == FileId.S_IFCHR;
            assertEquals(!model.mapped(), hostDevice, "a device node on the host only under passthrough as root");
            try (Node sock = root.mknod("sock", FileId.S_IFSOCK | 0600, 0, 0, GID)) {
                assertEquals(FileId.S_IFSOCK, sock.getattr().mode() & FileId.S_IFMT);
                assertErrno(Errno.ENXIO, () -> sock.open(Dotl.O_RDONLY));
            }
            try (Node reg = root.mknod("reg", 0640, 0, 0, GID)) {
                assertEquals(FileId.S_IFREG | 0640, reg.getattr().mode());
            }
            assertErrno(Errno.EINVAL, () -> root.mknod("dir", FileId.S_IFDIR | 0700, 0, 0, GID));
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void hardLinksShareTheFile(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            writeFile(root, "orig", "shared");
            try (Node orig = root.walk("orig")) {
                root.link("alias", orig);
                try (Node alias = root.walk("alias")) {
                    assertEquals("shared", readAll(alias));
                    assertEquals(2, alias.getattr().nlink());
                    assertEquals(orig.getattr().ino(), alias.getattr().ino());
                    assertEquals(orig.getattr().mode(), alias.getattr().mode());
                }
                root.unlinkAt("orig", 0);
                root.unlinkAt("alias", 0);
                assertErrno(Errno.ENOENT, () -> root.link("again", orig)); // no name left: cannot be revived
            }
            try (Node d = root.mkdir("dd", 0700, GID)) {
                assertErrno(Errno.EPERM, () -> root.link("dlink", d));
            }
            writeFile(root, "taken", "");
            try (Node t = root.walk("taken")) {
                assertErrno(Errno.EEXIST, () -> root.link("taken", t));
            }
        }
    }
}
