// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.PAST;
import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** create, mkdir, symlink, mknod, link and the names they accept. */
abstract class CreateContract extends IoContract {

    @Test
    void createExistingNameIsEexist() throws Exception {
        fx().touch(fx().root(), "f");
        fx().mkdir(fx().root(), "d");
        assertErrno(Errno.EEXIST, () -> fx().create(fx().root(), "f", Dotl.O_RDWR, 0644));
        assertErrno(Errno.EEXIST, () -> fx().create(fx().root(), "d", Dotl.O_RDWR, 0644));
    }

    @Test
    void mkdirExistingNameIsEexist() throws Exception {
        fx().touch(fx().root(), "f");
        fx().symlink(fx().root(), "dangling", "nowhere");
        assertErrno(Errno.EEXIST, () -> fx().mkdir(fx().root(), "f"));
        assertErrno(Errno.EEXIST, () -> fx().mkdir(fx().root(), "dangling"));
        assertErrno(Errno.EEXIST, () -> fx().symlink(fx().root(), "f", "x"));
    }

    @Test
    void createInAFileIsEnotdir() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.ENOTDIR, () -> fx().create(file, "x", Dotl.O_RDWR, 0644));
        assertErrno(Errno.ENOTDIR, () -> fx().mkdir(file, "x"));
        assertErrno(Errno.ENOTDIR, () -> fx().symlink(file, "x", "y"));
    }

    @Test
    void createUpdatesParentMtimeAndCtime() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        ContractFixture.age(dir);
        fx().touch(dir, "f");
        Attr attr = dir.getattr();
        assertTrue(attr.mtimeSec() > PAST);
        assertTrue(attr.ctimeSec() > PAST);
    }

    @Test
    void createdNodeAndFileAreTheNewFile() throws Exception {
        Node.Created created = fx().create(fx().root(), "f", Dotl.O_RDWR, 0600);
        ContractFixture.writeFully(created.file(), 0, bytes("x"));
        Node walked = fx().walk(fx().root(), "f");
        assertEquals(walked.getattr().ino(), created.node().getattr().ino());
        assertArrayEquals(bytes("x"), fx().content(walked));
    }

    @Test
    void symlinkStoresItsTargetVerbatim() throws Exception {
        String[] targets = {"plain", "../up/./and//down/", "/absolute/path", "dangling-target", "ünïcødé ✓",
            "a".repeat(1000)};
        int i = 0;
        for (String target : targets) {
            Node link = fx().symlink(fx().root(), "l" + i++, target);
            assertEquals(target, link.readlink());
        }
        assertEquals("../up/./and//down/", fx().walk(fx().root(), "l1").readlink());
    }

    @Test
    void symlinkHasTheLinkTypeAndTargetSize() throws Exception {
        String target = "some/target";
        Attr attr = fx().symlink(fx().root(), "l", target).getattr();
        assertEquals(FileId.S_IFLNK, attr.mode() & FileId.S_IFMT);
        assertEquals(target.getBytes(StandardCharsets.UTF_8).length, attr.size());
        assertEquals(1, attr.nlink());
    }

    @Test
    void readlinkOfANonSymlinkIsEinval() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        assertErrno(Errno.EINVAL, file::readlink);
        assertErrno(Errno.EINVAL, fx().root()::readlink);
    }

    @Test
    void mknodMakesFifosAndRegularFiles() throws Exception {
        fx().require(Feature.SPECIAL_FILES);
        Node fifo = fx().keep(fx().root().mknod("fifo", FileId.S_IFIFO | 0640, 0, 0, fx().gid()));
        assertEquals(FileId.S_IFIFO | 0640, fifo.getattr().mode());
        Node reg = fx().keep(fx().root().mknod("reg", FileId.S_IFREG | 0600, 0, 0, fx().gid()));
        assertEquals(FileId.S_IFREG | 0600, reg.getattr().mode());
        assertTrue(fx().walk(fx().root(), "reg").fileId().isRegular());
    }

    @Test
    void mknodMakesDevicesWithTheirNumbers() throws Exception {
        fx().require(Feature.DEVICES, Feature.ROOT);
        Node asRoot = fx().attach(new User(0, "root"));
        Node dev = fx().keep(asRoot.mknod("null", FileId.S_IFCHR | 0666, 1, 3, 0));
        Attr attr = dev.getattr();
        assertEquals(FileId.S_IFCHR | 0666, attr.mode());
        assertEquals((1 << 8) | 3, attr.rdev(), "makedev(1, 3)");
        Node block = fx().keep(asRoot.mknod("sda", FileId.S_IFBLK | 0660, 8, 300, 0));
        assertEquals(((300L & 0xffffff00L) << 12) | (8 << 8) | (300 & 0xff), block.getattr().rdev());
    }

    @Test
    void mknodOfADeviceByNonRootIsEperm() throws Exception {
        fx().require(Feature.DEVICES, Feature.PERMISSIONS);
        fx().mkdir(fx().root(), "open").setattr(ContractFixture.chmod(0777));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "open");
        assertErrno(Errno.EPERM, () -> fx().keep(theirs.mknod("null", FileId.S_IFCHR | 0666, 1, 3, fx().gid())));
    }

    @Test
    void hardLinkSharesTheInodeAndCountsLinks() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        Node file = fx().file(fx().root(), "f", bytes("shared"));
        dir.link("g", file);
        fx().root().link("h", file);
        assertEquals(3, file.getattr().nlink());
        Node other = fx().walk(dir, "g");
        assertEquals(file.getattr().ino(), other.getattr().ino());
        assertEquals(3, other.getattr().nlink());
        assertArrayEquals(bytes("shared"), fx().content(other));
    }

    @Test
    void hardLinkUpdatesCtimeOfTheFile() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        Attr before = file.getattr();
        ContractFixture.passClock(before);
        fx().root().link("g", file);
        Attr after = file.getattr();
        assertTrue(ContractFixture.compareTimes(after.ctimeSec(), after.ctimeNsec(), before.ctimeSec(),
                before.ctimeNsec()) > 0);
    }

    @Test
    void hardLinkToADirectoryIsEperm() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        assertErrno(Errno.EPERM, () -> fx().root().link("alias", dir));
    }

    @Test
    void hardLinkOntoAnExistingNameIsEexist() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        fx().touch(fx().root(), "g");
        assertErrno(Errno.EEXIST, () -> fx().root().link("g", file));
    }

    @Test
    void hardLinkToAnUnlinkedFileIsEnoent() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        fx().root().unlinkAt("f", 0);
        assertErrno(Errno.ENOENT, () -> fx().root().link("back", file));
    }

    @Test
    void nameOf255BytesIsAcceptedAnd256IsEnametoolong() throws Exception {
        fx().touch(fx().root(), "n".repeat(255));
        fx().mkdir(fx().root(), "é".repeat(127)); // 254 bytes
        assertErrno(Errno.ENAMETOOLONG, () -> fx().touch(fx().root(), "n".repeat(256)));
        assertErrno(Errno.ENAMETOOLONG, () -> fx().mkdir(fx().root(), "é".repeat(128)));
    }

    @Test
    void namesWithSlashOrNulAreEinval() {
        for (String bad : new String[] {"a/b", "/", "a\0b"}) {
            assertErrno(Errno.EINVAL, () -> fx().touch(fx().root(), bad));
            assertErrno(Errno.EINVAL, () -> fx().mkdir(fx().root(), bad));
        }
    }

    @Test
    void createInARemovedDirectoryIsEnoent() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        fx().root().unlinkAt("d", Dotl.AT_REMOVEDIR);
        assertErrno(Errno.ENOENT, () -> fx().touch(dir, "f"));
        assertErrno(Errno.ENOENT, () -> fx().mkdir(dir, "sub"));
    }

    @Test
    void createWithoutWritePermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().mkdir(fx().root(), "d");
        Node theirs = fx().walk(fx().attach(fx().stranger()), "d");
        assertErrno(Errno.EACCES, () -> fx().touch(theirs, "f"));
        assertErrno(Errno.EACCES, () -> fx().mkdir(theirs, "sub"));
        assertErrno(Errno.EACCES, () -> fx().symlink(theirs, "l", "x"));
    }

    @Test
    void hardLinkAcrossExportsIsExdev() throws Exception {
        fx().require(Feature.XDEV);
        Node file = fx().touch(fx().root(), "f");
        Node otherRoot = fx().attach(fx().newExport(), fx().owner());
        assertErrno(Errno.EXDEV, () -> otherRoot.link("f", file));
    }
}
