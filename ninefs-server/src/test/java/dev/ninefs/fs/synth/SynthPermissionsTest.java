// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The parts of Linux's permission rules that need group memberships or set-ID bits. */
class SynthPermissionsTest {
    private static final User ALICE = new User(1000, "alice");
    private static final User BOB = new User(1001, "bob");
    private static final User ROOT = new User(0, "root");

    private final SynthFileSystem fs = SynthFileSystem.builder().rootMode(0777).groups(1001, 50).build();

    private static void assertErrno(Errno expected, Executable call) {
        assertEquals(expected, assertThrows(ErrnoException.class, call).errno());
    }

    private static SetAttr chmod(int mode) {
        return new SetAttr(Dotl.SETATTR_MODE, mode, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void membersOfTheGroupGetTheGroupBits() throws Exception {
        try (Node alice = fs.attach(ALICE); Node bob = fs.attach(BOB)) {
            Node.Created c = alice.create("f", Dotl.O_RDWR, 0640, 50);
            c.file().close();
            c.node().close();
            Node.Created d = alice.create("g", Dotl.O_RDWR, 0640, 60);
            d.file().close();
            d.node().close();
            try (Node f = bob.walk("f"); OpenFile _ = f.open(Dotl.O_RDONLY)) {
                assertErrno(Errno.EACCES, () -> f.open(Dotl.O_WRONLY));
            }
            try (Node g = bob.walk("g")) {
                assertErrno(Errno.EACCES, () -> g.open(Dotl.O_RDONLY));
            }
        }
    }

    @Test
    void aSetgidDirectoryPassesItsGroupAndBitOn() throws Exception {
        try (Node root = fs.attach(ROOT); Node shared = root.mkdir("shared", 02777, 50);
                Node alice = fs.attach(ALICE); Node mine = alice.walk("shared");
                Node sub = mine.mkdir("sub", 0755, 1000)) {
            Node.Created c = mine.create("f", Dotl.O_RDWR, 0644, 1000);
            assertEquals(50, c.node().getattr().gid());
            assertEquals(50, sub.getattr().gid());
            assertEquals(02000, sub.getattr().mode() & 02000, "new directories stay set-group-ID");
            c.file().close();
            c.node().close();
            assertEquals(50, shared.getattr().gid());
        }
    }

    @Test
    void aWriteByAnotherUserDropsSetuid() throws Exception {
        try (Node alice = fs.attach(ALICE); Node bob = fs.attach(BOB)) {
            Node.Created c = alice.create("f", Dotl.O_RDWR, 0666, 1000);
            c.file().close();
            c.node().setattr(chmod(04777));
            assertEquals(04777, c.node().getattr().mode() & 07777);
            try (Node f = bob.walk("f"); OpenFile out = f.open(Dotl.O_WRONLY)) {
                out.write(0, ByteBuffer.wrap(new byte[] {1}));
            }
            assertEquals(0777, c.node().getattr().mode() & 07777);
            c.node().close();
        }
    }

    @Test
    void chownDropsSetuidEvenForRoot() throws Exception {
        try (Node root = fs.attach(ROOT)) {
            Node.Created c = root.create("f", Dotl.O_RDWR, 04755, 0);
            c.file().close();
            c.node().setattr(new SetAttr(Dotl.SETATTR_UID, 0, 1000, 0, 0, 0, 0, 0, 0));
            assertEquals(0755, c.node().getattr().mode() & 07777);
            assertEquals(1000, c.node().getattr().uid());
            c.node().close();
        }
    }

    @Test
    void anOwnerMayGiveAFileToAGroupItIsIn() throws Exception {
        try (Node bob = fs.attach(BOB)) {
            Node.Created c = bob.create("f", Dotl.O_RDWR, 0644, 1001);
            c.file().close();
            c.node().setattr(new SetAttr(Dotl.SETATTR_GID, 0, 0, 50, 0, 0, 0, 0, 0));
            assertEquals(50, c.node().getattr().gid());
            assertErrno(Errno.EPERM, () -> c.node().setattr(new SetAttr(Dotl.SETATTR_GID, 0, 0, 60, 0, 0, 0, 0, 0)));
            c.node().close();
        }
    }

    @Test
    void movingADirectoryToAnotherParentNeedsWriteOnIt() throws Exception {
        try (Node alice = fs.attach(ALICE); Node a = alice.mkdir("a", 0777, 0); Node _ = alice.mkdir("b", 0777, 0);
                Node locked = a.mkdir("locked", 0555, 0); Node bob = fs.attach(BOB); Node bobsA = bob.walk("a");
                Node bobsB = bob.walk("b")) {
            assertErrno(Errno.EACCES, () -> bobsA.renameAt("locked", bobsB, "moved"));
            bobsA.renameAt("locked", bobsA, "renamed-in-place");
            assertEquals(2, locked.getattr().nlink());
        }
    }

    @Test
    void onlyRootMakesDevices() throws Exception {
        try (Node alice = fs.attach(ALICE); Node root = fs.attach(ROOT)) {
            assertErrno(Errno.EPERM, () -> alice.mknod("null", 020666, 1, 3, 0));
            root.mknod("null", 020666, 1, 3, 0).close();
            try (Node dev = root.walk("null")) {
                assertErrno(Errno.ENXIO, () -> dev.open(Dotl.O_RDONLY));
                assertEquals(0x103, dev.getattr().rdev());
            }
            assertErrno(Errno.EINVAL, () -> root.mknod("bad", 0170666, 0, 0, 0));
        }
    }
}
