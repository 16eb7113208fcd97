// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Attach, walk, duplicate and file identity. */
abstract class WalkContract extends ContractGroup {

    @Test
    void attachGivesTheRootDirectory() throws Exception {
        Node root = fx().root();
        assertTrue(root.fileId().isDirectory());
        Attr attr = root.getattr();
        assertEquals(FileId.S_IFDIR, attr.mode() & FileId.S_IFMT);
        assertEquals(root.fileId().ino(), attr.ino());
        assertEquals(root.fileId().dev(), attr.dev());
    }

    @Test
    void walkDotIsTheSameDirectory() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Node dot = fx().walk(dir, ".");
        assertEquals(dir.getattr().ino(), dot.getattr().ino());
    }

    @Test
    void walkDotDotOfRootIsRoot() throws Exception {
        Node up = fx().walk(fx().root(), "..");
        assertEquals(fx().root().getattr().ino(), up.getattr().ino());
        Node upUp = fx().walk(fx().root(), "..", "..", ".");
        assertEquals(fx().root().getattr().ino(), upUp.getattr().ino());
    }

    @Test
    void walkDotDotGivesTheParent() throws Exception {
        Node a = fx().mkdir(fx().root(), "a");
        fx().mkdir(a, "b");
        Node up = fx().walk(fx().root(), "a", "b", "..");
        assertEquals(a.getattr().ino(), up.getattr().ino());
    }

    @Test
    void walkMissingNameIsEnoent() {
        assertErrno(Errno.ENOENT, () -> fx().root().walk("absent"));
    }

    @Test
    void walkFromAFileIsEnotdir() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.ENOTDIR, () -> file.walk("x"));
        assertErrno(Errno.ENOTDIR, () -> file.walk(".."));
    }

    @Test
    void walkReturnsSymlinksUnfollowed() throws Exception {
        fx().mkdir(fx().root(), "target");
        fx().symlink(fx().root(), "link", "target");
        Node link = fx().walk(fx().root(), "link");
        assertTrue(link.fileId().isSymlink());
        assertEquals(FileId.S_IFLNK, link.getattr().mode() & FileId.S_IFMT);
    }

    @Test
    void walkThroughASymlinkIsEnotdir() throws Exception {
        fx().mkdir(fx().root(), "target");
        Node link = fx().symlink(fx().root(), "link", "target");
        assertErrno(Errno.ENOTDIR, () -> link.walk("anything"));
    }

    @Test
    void walkOverlongNameIsEnametoolong() {
        assertErrno(Errno.ENAMETOOLONG, () -> fx().root().walk("n".repeat(256)));
    }

    @Test
    void walkWithoutSearchPermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node dir = fx().mkdir(fx().root(), "private");
        fx().touch(dir, "f");
        dir.setattr(ContractFixture.chmod(0700));
        Node asStranger = fx().attach(fx().stranger());
        Node strangersView = fx().walk(asStranger, "private");
        assertErrno(Errno.EACCES, () -> strangersView.walk("f"));
    }

    @Test
    void duplicateIsIndependentOfTheOriginal() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("hello"));
        Node copy = file.duplicate();
        assertEquals(file.getattr().ino(), copy.getattr().ino());
        copy.close();
        assertArrayEquals(bytes("hello"), fx().content(file));
        Node again = fx().keep(file.duplicate());
        fx().closeNow(file);
        assertArrayEquals(bytes("hello"), fx().content(again));
    }

    @Test
    void nodeFollowsItsFileThroughRename() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Node file = fx().file(fx().root(), "f", bytes("data"));
        long ino = file.getattr().ino();
        fx().root().renameAt("f", dir, "g");
        assertEquals(ino, file.getattr().ino());
        assertArrayEquals(bytes("data"), fx().content(file));
        try (OpenFile out = file.open(Dotl.O_WRONLY)) {
            out.write(4, ByteBuffer.wrap(bytes("+")));
        }
        assertArrayEquals(bytes("data+"), fx().content(fx().walk(dir, "g")));
    }

    @Test
    void fileIdIsStableAcrossPathsAndHardLinks() throws Exception {
        Node a = fx().mkdir(fx().root(), "a");
        Node file = fx().touch(a, "f");
        fx().root().link("hard", file);
        FileId direct = file.fileId();
        FileId viaWalk = fx().walk(fx().root(), "a", "f").fileId();
        FileId viaDots = fx().walk(fx().root(), "a", ".", "..", "a", "f").fileId();
        FileId viaLink = fx().walk(fx().root(), "hard").fileId();
        for (FileId id : new FileId[] {viaWalk, viaDots, viaLink}) {
            assertEquals(direct.dev(), id.dev());
            assertEquals(direct.ino(), id.ino());
            assertEquals(direct.mode() & FileId.S_IFMT, id.mode() & FileId.S_IFMT);
        }
    }

    @Test
    void fileIdsOfDistinctFilesDiffer() throws Exception {
        Node f = fx().touch(fx().root(), "f");
        Node g = fx().touch(fx().root(), "g");
        Node d = fx().mkdir(fx().root(), "d");
        assertNotEquals(f.fileId().ino(), g.fileId().ino());
        assertNotEquals(f.fileId().ino(), d.fileId().ino());
        assertNotEquals(fx().root().fileId().ino(), d.fileId().ino());
    }

    @Test
    void fileIdCarriesTheFileType() throws Exception {
        assertTrue(fx().touch(fx().root(), "f").fileId().isRegular());
        assertTrue(fx().mkdir(fx().root(), "d").fileId().isDirectory());
        assertTrue(fx().symlink(fx().root(), "l", "f").fileId().isSymlink());
    }

    @Test
    void fileIdVersionChangesWhenContentChanges() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("one"));
        ContractFixture.age(file);
        long before = file.fileId().version();
        try (OpenFile out = file.open(Dotl.O_WRONLY)) {
            ContractFixture.writeFully(out, 3, bytes(" two"));
        }
        assertNotEquals(before, file.fileId().version());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
