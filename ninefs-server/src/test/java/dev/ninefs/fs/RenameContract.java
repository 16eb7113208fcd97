// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.PAST;
import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.ContractFixture.read;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/** renameat and Trename, exactly as rename(2). */
abstract class RenameContract extends RemoveContract {

    @Test
    void renameToANewNameInTheSameDirectory() throws Exception {
        Node file = fx().file(fx().root(), "old", bytes("x"));
        fx().root().renameAt("old", fx().root(), "new");
        assertEquals(List.of("new"), fx().names(fx().root()));
        assertEquals(file.getattr().ino(), fx().walk(fx().root(), "new").getattr().ino());
        assertEquals(1, file.getattr().nlink());
    }

    @Test
    void renameFileOverAFileReplacesIt() throws Exception {
        fx().file(fx().root(), "a", bytes("winner"));
        Node loser = fx().file(fx().root(), "b", bytes("loser"));
        OpenFile stillOpen = fx().open(loser, Dotl.O_RDONLY);
        fx().root().renameAt("a", fx().root(), "b");
        assertEquals(List.of("b"), fx().names(fx().root()));
        assertArrayEquals(bytes("winner"), fx().content(fx().walk(fx().root(), "b")));
        assertEquals(0, loser.getattr().nlink());
        assertArrayEquals(bytes("loser"), read(stillOpen, 0, 100), "the replaced file lives on while open");
    }

    @Test
    void renameDirectoryOverAnEmptyDirectoryReplacesIt() throws Exception {
        Node a = fx().mkdir(fx().root(), "a");
        fx().touch(a, "inside");
        Node b = fx().mkdir(fx().root(), "b");
        assertEquals(4, fx().root().getattr().nlink());
        fx().root().renameAt("a", fx().root(), "b");
        assertEquals(List.of("b"), fx().names(fx().root()));
        assertEquals(List.of("inside"), fx().names(fx().walk(fx().root(), "b")));
        assertEquals(3, fx().root().getattr().nlink());
        assertEquals(0, b.getattr().nlink());
    }

    @Test
    void renameDirectoryOverANonEmptyDirectoryIsEnotempty() throws Exception {
        fx().mkdir(fx().root(), "a");
        fx().touch(fx().mkdir(fx().root(), "b"), "f");
        assertErrno(Errno.ENOTEMPTY, () -> fx().root().renameAt("a", fx().root(), "b"));
        assertEquals(List.of("f"), fx().names(fx().walk(fx().root(), "b")));
    }

    @Test
    void renameDirectoryOntoAFileIsEnotdir() throws Exception {
        fx().mkdir(fx().root(), "d");
        fx().touch(fx().root(), "f");
        assertErrno(Errno.ENOTDIR, () -> fx().root().renameAt("d", fx().root(), "f"));
    }

    @Test
    void renameFileOntoADirectoryIsEisdir() throws Exception {
        fx().mkdir(fx().root(), "d");
        fx().touch(fx().root(), "f");
        assertErrno(Errno.EISDIR, () -> fx().root().renameAt("f", fx().root(), "d"));
    }

    @Test
    void renameDirectoryIntoItselfIsEinval() throws Exception {
        Node d = fx().mkdir(fx().root(), "d");
        assertErrno(Errno.EINVAL, () -> fx().root().renameAt("d", d, "inside"));
    }

    @Test
    void renameDirectoryIntoItsOwnSubtreeIsEinval() throws Exception {
        Node d = fx().mkdir(fx().root(), "d");
        Node deep = fx().mkdir(fx().mkdir(d, "e"), "f");
        assertErrno(Errno.EINVAL, () -> fx().root().renameAt("d", deep, "loop"));
        assertEquals(List.of("d"), fx().names(fx().root()));
    }

    @Test
    void renameToItselfIsANoOp() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("same"));
        Node dir = fx().mkdir(fx().root(), "d");
        fx().root().renameAt("f", fx().root(), "f");
        fx().root().renameAt("d", fx().root(), "d");
        assertEquals(List.of("d", "f"), fx().names(fx().root()).stream().sorted().toList());
        assertEquals(1, file.getattr().nlink());
        assertEquals(2, dir.getattr().nlink());
        assertArrayEquals(bytes("same"), fx().content(file));
    }

    @Test
    void renameBetweenHardLinksOfOneFileIsANoOp() throws Exception {
        Node file = fx().touch(fx().root(), "a");
        fx().root().link("b", file);
        fx().root().renameAt("a", fx().root(), "b");
        assertEquals(List.of("a", "b"), fx().names(fx().root()).stream().sorted().toList());
        assertEquals(2, file.getattr().nlink());
    }

    @Test
    void renameOfAMissingNameIsEnoent() {
        assertErrno(Errno.ENOENT, () -> fx().root().renameAt("absent", fx().root(), "x"));
    }

    @Test
    void renameIntoANonDirectoryIsEnotdir() throws Exception {
        fx().touch(fx().root(), "a");
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.ENOTDIR, () -> fx().root().renameAt("a", file, "x"));
    }

    @Test
    void renameDirectoryAcrossParentsMovesLinkCountsAndDotDot() throws Exception {
        Node from = fx().mkdir(fx().root(), "from");
        Node to = fx().mkdir(fx().root(), "to");
        Node moved = fx().mkdir(from, "moved");
        from.renameAt("moved", to, "here");
        assertEquals(2, from.getattr().nlink());
        assertEquals(3, to.getattr().nlink());
        assertEquals(2, moved.getattr().nlink());
        assertEquals(to.getattr().ino(), fx().walk(moved, "..").getattr().ino());
        assertEquals(moved.getattr().ino(), fx().walk(fx().root(), "to", "here").getattr().ino());
    }

    @Test
    void renameUpdatesCtimeAndBothDirectoriesMtime() throws Exception {
        Node from = fx().mkdir(fx().root(), "from");
        Node to = fx().mkdir(fx().root(), "to");
        Node file = fx().touch(from, "f");
        ContractFixture.age(from);
        ContractFixture.age(to);
        Attr before = file.getattr();
        ContractFixture.passClock(before);
        from.renameAt("f", to, "g");
        assertTrue(from.getattr().mtimeSec() > PAST);
        assertTrue(to.getattr().mtimeSec() > PAST);
        Attr after = file.getattr();
        assertTrue(ContractFixture.compareTimes(after.ctimeSec(), after.ctimeNsec(), before.ctimeSec(),
                before.ctimeNsec()) > 0, "a renamed file's ctime moves, as on Linux");
    }

    @Test
    void renameOfANodeMovesItsFile() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Node file = fx().file(fx().root(), "f", bytes("moving"));
        file.rename(dir, "g");
        assertEquals(List.of("d"), fx().names(fx().root()));
        assertArrayEquals(bytes("moving"), fx().content(fx().walk(dir, "g")));
        file.rename(fx().root(), "back");
        assertEquals(List.of(), fx().names(dir));
        assertArrayEquals(bytes("moving"), fx().content(fx().walk(fx().root(), "back")));
    }

    @Test
    void renameOfANodeUsesItsCurrentName() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Node file = fx().touch(fx().root(), "f");
        fx().root().renameAt("f", dir, "moved-behind-its-back");
        file.rename(fx().root(), "final");
        assertEquals(List.of("d", "final"), fx().names(fx().root()).stream().sorted().toList());
        assertEquals(List.of(), fx().names(dir));
    }

    @Test
    void renameOfADirectoryNodeKeepsItsChildren() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().file(dir, "child", bytes("c"));
        Node target = fx().mkdir(fx().root(), "t");
        dir.rename(target, "d2");
        assertArrayEquals(bytes("c"), fx().content(fx().walk(fx().root(), "t", "d2", "child")));
        assertEquals(3, target.getattr().nlink());
    }

    @Test
    void renameOfAFileAcrossExportsIsExdev() throws Exception {
        fx().require(Feature.XDEV);
        fx().touch(fx().root(), "f");
        Node otherRoot = fx().attach(fx().newExport(), fx().owner());
        assertErrno(Errno.EXDEV, () -> fx().root().renameAt("f", otherRoot, "f"));
    }

    @Test
    void renameWithoutWritePermissionOnTheSourceIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().touch(fx().mkdir(fx().root(), "src"), "f");
        Node dst = fx().mkdir(fx().root(), "dst");
        dst.setattr(ContractFixture.chmod(0777));
        Node asStranger = fx().attach(fx().stranger());
        Node src = fx().walk(asStranger, "src");
        Node theirDst = fx().walk(asStranger, "dst");
        assertErrno(Errno.EACCES, () -> src.renameAt("f", theirDst, "f"));
    }
}
