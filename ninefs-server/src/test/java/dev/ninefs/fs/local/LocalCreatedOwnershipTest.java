// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A new file's host ownership and mode under passthrough are exactly what the client asked, whether the file was
 * born that way (the server skips the chown and chmod) or not: a gid other than the server's, a set-gid directory
 * handing down its group, a mode the umask cut, set-id bits a chown would clear. The server runs as root here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalCreatedOwnershipTest {
    private static final User ROOT = new User(0, "root");

    @TempDir
    Path dir;

    @Test
    void aFileBornAsAskedKeepsOwnerAndMode() throws Exception {
        assumeRoot();
        try (LocalFileSystem fs = open(dir, SecurityModel.PASSTHROUGH); Node root = fs.attach(ROOT)) {
            close(root.create("f", Dotl.O_RDWR, 0644, 0));
        }
        assertHost("f", 0, 0, "rw-r--r--");
    }

    @Test
    void aRequestedGidOtherThanTheServersIsGiven() throws Exception {
        assumeRoot();
        try (LocalFileSystem fs = open(dir, SecurityModel.PASSTHROUGH); Node root = fs.attach(ROOT)) {
            close(root.create("f", Dotl.O_RDWR, 0644, 4321));
            try (Node d = root.mkdir("d", 0755, 4321)) {
                assertEquals(4321, d.getattr().gid());
            }
        }
        assertHost("f", 0, 4321, "rw-r--r--");
        assertHost("d", 0, 4321, "rwxr-xr-x");
    }

    @Test
    void aSetGidDirectorysGroupIsReplacedByTheRequestedOne() throws Exception {
        assumeRoot();
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:gid", 777);
        Files.setAttribute(shared, "unix:mode", 02775);
        try (LocalFileSystem fs = open(dir, SecurityModel.PASSTHROUGH); Node root = fs.attach(ROOT);
                Node d = root.walk("shared")) {
            close(d.create("f", Dotl.O_RDWR, 0644, 0));
            try (Node sub = d.mkdir("sub", 0755, 0)) {
                assertEquals(FileId.S_IFDIR | 0755, sub.getattr().mode(), "no set-gid bit the client did not ask");
            }
        }
        assertHost("shared/f", 0, 0, "rw-r--r--");
        assertHost("shared/sub", 0, 0, "rwxr-xr-x");
    }

    @ParameterizedTest
    @EnumSource(value = SecurityModel.class, names = {"PASSTHROUGH", "NONE"})
    void theModeHoldsDespiteTheUmaskAndAChownThatClearsSetIdBits(SecurityModel model) throws Exception {
        assumeRoot();
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(new User(1234, "tester"))) {
            close(root.create("wide", Dotl.O_RDWR, 0666, 5678));
            close(root.create("setid", Dotl.O_RDWR, 06755, 5678));
            close(root.create("mine", Dotl.O_RDWR, 02750, -1));
        }
        assertHost("wide", 1234, 5678, "rw-rw-rw-");
        assertHost("setid", 1234, 5678, "rwxr-xr-x");
        assertEquals(06755, mode("setid") & 07777);
        assertHost("mine", 1234, 0, "rwxr-x---");
        assertEquals(02750, mode("mine") & 07777);
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void theNewFilesQidIsTheOneAFreshStatGives(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(ROOT)) {
            Node.Created c = root.create("f", Dotl.O_RDWR, 0600, 0);
            try (Node f = c.node(); OpenFile io = c.file()) {
                FileId first = f.fileId();
                assertEquals(f.fileId(), first);
                assertEquals(FileId.S_IFREG, first.mode() & FileId.S_IFMT);
            }
            Node.Created g = root.create("g", Dotl.O_RDWR, 0600, 0);
            try (Node n = g.node(); OpenFile io = g.file()) {
                LocalFixture.write(io, 0, "changed before its qid was asked");
                assertEquals(root.childId("g"), n.fileId(), "a write through the new file is in its qid");
            }
            try (Node l = root.symlink("l", "f", 0); Node d = root.mkdir("d", 0700, 0)) {
                close(d.create("inside", Dotl.O_RDWR, 0600, 0));
                assertEquals(root.childId("d"), d.fileId(), "an entry made in the new directory is in its qid");
                FileId link = l.fileId();
                assertEquals(l.fileId(), link);
                assertEquals(FileId.S_IFLNK, link.mode() & FileId.S_IFMT);
                FileId directory = d.fileId();
                assertEquals(FileId.S_IFDIR, directory.mode() & FileId.S_IFMT);
                Attr a = d.getattr();
                assertEquals(FileId.S_IFDIR | 0700, a.mode());
            }
        }
    }

    private static void close(Node.Created c) throws Exception {
        try (Node n = c.node(); OpenFile f = c.file()) {
            // made and closed, as a client's create and clunk
        }
    }

    private void assertHost(String name, int uid, int gid, String perms) throws Exception {
        Path p = dir.resolve(name);
        assertEquals(uid, (int) Files.getAttribute(p, "unix:uid"), name + " uid");
        assertEquals(gid, (int) Files.getAttribute(p, "unix:gid"), name + " gid");
        assertEquals(perms, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), name + " mode");
    }

    private int mode(String name) throws Exception {
        return (int) Files.getAttribute(dir.resolve(name), "unix:mode");
    }

    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "passthrough ownership needs a root server");
    }
}
