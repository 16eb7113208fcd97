// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.PAST;
import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.ContractFixture.read;
import static dev.ninefs.fs.ContractFixture.writeFully;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/** unlinkat, Tremove, and files that live on unlinked. */
abstract class RemoveContract extends CreateContract {

    @Test
    void unlinkRemovesTheName() throws Exception {
        fx().touch(fx().root(), "f");
        fx().root().unlinkAt("f", 0);
        assertErrno(Errno.ENOENT, () -> fx().root().walk("f"));
        assertEquals(List.of(), fx().names(fx().root()));
    }

    @Test
    void unlinkMissingNameIsEnoent() {
        assertErrno(Errno.ENOENT, () -> fx().root().unlinkAt("absent", 0));
        assertErrno(Errno.ENOENT, () -> fx().root().unlinkAt("absent", Dotl.AT_REMOVEDIR));
    }

    @Test
    void unlinkOfADirectoryIsEisdir() throws Exception {
        fx().mkdir(fx().root(), "d");
        assertErrno(Errno.EISDIR, () -> fx().root().unlinkAt("d", 0));
        fx().walk(fx().root(), "d");
    }

    @Test
    void rmdirOfAFileIsEnotdir() throws Exception {
        fx().touch(fx().root(), "f");
        fx().symlink(fx().root(), "l", "f");
        assertErrno(Errno.ENOTDIR, () -> fx().root().unlinkAt("f", Dotl.AT_REMOVEDIR));
        assertErrno(Errno.ENOTDIR, () -> fx().root().unlinkAt("l", Dotl.AT_REMOVEDIR));
    }

    @Test
    void rmdirOfANonEmptyDirectoryIsEnotempty() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().touch(dir, "f");
        assertErrno(Errno.ENOTEMPTY, () -> fx().root().unlinkAt("d", Dotl.AT_REMOVEDIR));
        dir.unlinkAt("f", 0);
        fx().root().unlinkAt("d", Dotl.AT_REMOVEDIR);
    }

    @Test
    void rmdirRestoresTheParentsLinkCount() throws Exception {
        Node parent = fx().mkdir(fx().root(), "p");
        Node child = fx().mkdir(parent, "c");
        assertEquals(3, parent.getattr().nlink());
        parent.unlinkAt("c", Dotl.AT_REMOVEDIR);
        assertEquals(2, parent.getattr().nlink());
        assertEquals(0, child.getattr().nlink());
    }

    @Test
    void unlinkOfOneHardLinkKeepsTheOther() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("data"));
        fx().root().link("g", file);
        fx().root().unlinkAt("f", 0);
        assertEquals(1, file.getattr().nlink());
        assertArrayEquals(bytes("data"), fx().content(fx().walk(fx().root(), "g")));
    }

    @Test
    void unlinkUpdatesDirectoryTimesAndFileCtime() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Node file = fx().touch(dir, "f");
        fx().root().link("keep", file);
        ContractFixture.age(dir);
        Attr before = file.getattr();
        ContractFixture.passClock(before);
        dir.unlinkAt("f", 0);
        assertTrue(dir.getattr().mtimeSec() > PAST);
        Attr after = file.getattr();
        assertTrue(ContractFixture.compareTimes(after.ctimeSec(), after.ctimeNsec(), before.ctimeSec(),
                before.ctimeNsec()) > 0);
    }

    @Test
    void unlinkedOpenFileStaysReadableAndWritable() throws Exception {
        Node.Created created = fx().create(fx().root(), "f", Dotl.O_RDWR, 0644);
        OpenFile file = created.file();
        writeFully(file, 0, bytes("before"));
        fx().root().unlinkAt("f", 0);
        assertArrayEquals(bytes("before"), read(file, 0, 100));
        writeFully(file, 6, bytes(" and after"));
        assertArrayEquals(bytes("before and after"), read(file, 0, 100));
        Attr attr = created.node().getattr();
        assertEquals(0, attr.nlink());
        assertEquals(16, attr.size());
        assertErrno(Errno.ENOENT, () -> fx().root().walk("f"));
        fx().touch(fx().root(), "f"); // the name is free again, for a different file
        assertNotEquals(attr.ino(), fx().walk(fx().root(), "f").getattr().ino());
        assertArrayEquals(bytes("before and after"), read(file, 0, 100));
    }

    @Test
    void unlinkedFileOutlivesItsNodeWhileOpen() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("kept"));
        OpenFile file = fx().open(node, Dotl.O_RDONLY);
        fx().root().unlinkAt("f", 0);
        fx().closeNow(node);
        assertArrayEquals(bytes("kept"), read(file, 0, 100));
    }

    @Test
    void unlinkedNodeReportsNoLinks() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        Node dir = fx().mkdir(fx().root(), "d");
        fx().root().unlinkAt("f", 0);
        fx().root().unlinkAt("d", Dotl.AT_REMOVEDIR);
        assertEquals(0, file.getattr().nlink());
        assertEquals(0, dir.getattr().nlink());
        assertEquals(2, fx().root().getattr().nlink());
    }

    @Test
    void removeDeletesTheNodesName() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        Node dir = fx().mkdir(fx().root(), "d");
        file.remove();
        dir.remove();
        assertEquals(List.of(), fx().names(fx().root()));
        assertEquals(2, fx().root().getattr().nlink());
    }

    @Test
    void removeOfANonEmptyDirectoryIsEnotempty() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().touch(dir, "f");
        assertErrno(Errno.ENOTEMPTY, dir::remove);
        fx().walk(fx().root(), "d", "f");
    }

    @Test
    void removeAfterRenameRemovesTheNewName() throws Exception {
        Node sub = fx().mkdir(fx().root(), "sub");
        Node file = fx().touch(fx().root(), "f");
        fx().root().renameAt("f", sub, "g");
        file.remove();
        assertEquals(List.of(), fx().names(sub));
        assertEquals(List.of("sub"), fx().names(fx().root()));
    }

    @Test
    void removeOfAnAlreadyUnlinkedFileIsEnoent() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        fx().root().unlinkAt("f", 0);
        assertErrno(Errno.ENOENT, file::remove);
    }

    @Test
    void unlinkWithoutWritePermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().touch(fx().mkdir(fx().root(), "d"), "f");
        Node theirs = fx().walk(fx().attach(fx().stranger()), "d");
        assertErrno(Errno.EACCES, () -> theirs.unlinkAt("f", 0));
    }

    @Test
    void stickyDirectoryProtectsOthersFiles() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node dir = fx().mkdir(fx().root(), "tmp");
        dir.setattr(ContractFixture.chmod(01777));
        fx().touch(dir, "mine");
        Node theirs = fx().walk(fx().attach(fx().stranger()), "tmp");
        fx().touch(theirs, "theirs");
        assertErrno(Errno.EPERM, () -> theirs.unlinkAt("mine", 0));
        assertErrno(Errno.EPERM, () -> theirs.renameAt("mine", theirs, "stolen"));
        theirs.unlinkAt("theirs", 0);
        dir.unlinkAt("mine", 0);
    }
}
