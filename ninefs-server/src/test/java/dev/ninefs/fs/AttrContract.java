// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.PAST;
import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.ContractFixture.chmod;
import static dev.ninefs.fs.ContractFixture.compareTimes;
import static dev.ninefs.fs.ContractFixture.truncate;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** getattr and setattr: modes, owners, sizes and times. */
abstract class AttrContract extends WalkContract {
    /** How far a backend's "now" may stray from the test's clock (coarse kernel timestamps lag a little). */
    private static final long SLACK_SECONDS = 2;

    @Test
    void newFileHasRegularModeSizeZeroAndOneLink() throws Exception {
        Node file = fx().create(fx().root(), "f", Dotl.O_RDWR, 0640).node();
        Attr attr = file.getattr();
        assertEquals(FileId.S_IFREG | 0640, attr.mode());
        assertEquals(0, attr.size());
        assertEquals(1, attr.nlink());
        assertEquals(fx().root().getattr().dev(), attr.dev());
    }

    @Test
    void newFileIsOwnedByCreatorAndGivenGid() throws Exception {
        fx().require(Feature.OWNERSHIP);
        Attr attr = fx().touch(fx().root(), "f").getattr();
        assertEquals(fx().owner().uid(), attr.uid());
        assertEquals(fx().gid(), attr.gid());
        Attr dir = fx().mkdir(fx().root(), "d").getattr();
        assertEquals(fx().owner().uid(), dir.uid());
        assertEquals(fx().gid(), dir.gid());
    }

    @Test
    void newFileTimesAreCurrent() throws Exception {
        long before = Instant.now().getEpochSecond() - SLACK_SECONDS;
        Attr attr = fx().touch(fx().root(), "f").getattr();
        long after = Instant.now().getEpochSecond() + SLACK_SECONDS;
        for (long t : new long[] {attr.atimeSec(), attr.mtimeSec(), attr.ctimeSec()}) {
            assertTrue(t >= before && t <= after, "time " + t + " not in [" + before + ", " + after + "]");
        }
    }

    @Test
    void newDirectoryHasTwoLinksAndParentGainsOne() throws Exception {
        Node parent = fx().mkdir(fx().root(), "p");
        assertEquals(2, parent.getattr().nlink());
        Node child = fx().mkdir(parent, "c");
        assertEquals(FileId.S_IFDIR | 0755, child.getattr().mode() & ~07000);
        assertEquals(2, child.getattr().nlink());
        assertEquals(3, parent.getattr().nlink());
        fx().touch(parent, "file");
        assertEquals(3, parent.getattr().nlink(), "a file is no subdirectory");
    }

    @Test
    void chmodChangesPermissionBitsOnly() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        file.setattr(chmod(0600));
        assertEquals(FileId.S_IFREG | 0600, file.getattr().mode());
        Node dir = fx().mkdir(fx().root(), "d");
        dir.setattr(chmod(01777));
        assertEquals(FileId.S_IFDIR | 01777, dir.getattr().mode());
    }

    @Test
    void chmodUpdatesCtime() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        Attr before = file.getattr();
        ContractFixture.passClock(before);
        file.setattr(chmod(0600));
        Attr after = file.getattr();
        assertTrue(compareTimes(after.ctimeSec(), after.ctimeNsec(), before.ctimeSec(), before.ctimeNsec()) > 0);
        assertEquals(before.mtimeSec(), after.mtimeSec());
        assertEquals(before.mtimeNsec(), after.mtimeNsec());
    }

    @Test
    void chmodByNonOwnerIsEperm() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().touch(fx().root(), "f");
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertErrno(Errno.EPERM, () -> theirs.setattr(chmod(0777)));
    }

    @Test
    void chownByRootChangesOwner() throws Exception {
        fx().require(Feature.ROOT, Feature.OWNERSHIP);
        fx().touch(fx().root(), "f");
        Node asRoot = fx().walk(fx().attach(new User(0, "root")), "f");
        asRoot.setattr(ContractFixture.chown(fx().stranger().uid(), fx().otherGid()));
        Attr attr = asRoot.getattr();
        assertEquals(fx().stranger().uid(), attr.uid());
        assertEquals(fx().otherGid(), attr.gid());
    }

    @Test
    void chownByNonRootIsEperm() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node file = fx().touch(fx().root(), "f");
        if (!fx().ownerIsRoot()) {
            assertErrno(Errno.EPERM, () -> file.setattr(ContractFixture.chown(fx().stranger().uid(), fx().gid())));
        }
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertErrno(Errno.EPERM, () -> theirs.setattr(ContractFixture.chown(fx().stranger().uid(), fx().gid())));
    }

    @Test
    void truncateShrinks() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("0123456789"));
        file.setattr(truncate(4));
        assertEquals(4, file.getattr().size());
        assertArrayEquals(bytes("0123"), fx().content(file));
    }

    @Test
    void truncateGrowsWithZeros() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("abc"));
        file.setattr(truncate(1));
        file.setattr(truncate(100_000));
        byte[] content = fx().content(file);
        assertEquals(100_000, content.length);
        assertEquals('a', content[0]);
        for (int i = 1; i < content.length; i++) {
            assertEquals(0, content[i], "byte " + i);
        }
    }

    @Test
    void truncateUpdatesMtimeAndCtime() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("abc"));
        ContractFixture.age(file);
        file.setattr(truncate(0));
        Attr attr = file.getattr();
        assertTrue(attr.mtimeSec() > PAST);
        assertTrue(attr.ctimeSec() > PAST);
    }

    @Test
    void truncateDirectoryIsEisdir() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        assertErrno(Errno.EISDIR, () -> dir.setattr(truncate(0)));
    }

    @Test
    void truncateWithoutWritePermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().file(fx().root(), "f", bytes("abc"));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertErrno(Errno.EACCES, () -> theirs.setattr(truncate(0)));
    }

    @Test
    void utimesSetsExplicitTimesToTheSecond() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        file.setattr(ContractFixture.times(1_234_567_890L, 0, 987_654_321L, 0));
        Attr attr = file.getattr();
        assertEquals(1_234_567_890L, attr.atimeSec());
        assertEquals(987_654_321L, attr.mtimeSec());
    }

    @Test
    void utimesKeepsNanoseconds() throws Exception {
        fx().require(Feature.NANOSECONDS);
        Node file = fx().touch(fx().root(), "f");
        file.setattr(ContractFixture.times(1_600_000_000L, 123_456_789, 1_500_000_000L, 999_999_999));
        Attr attr = file.getattr();
        assertEquals(1_600_000_000L, attr.atimeSec());
        assertEquals(123_456_789, attr.atimeNsec());
        assertEquals(1_500_000_000L, attr.mtimeSec());
        assertEquals(999_999_999, attr.mtimeNsec());
    }

    @Test
    void utimesNowSetsCurrentTime() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        ContractFixture.age(file);
        long before = Instant.now().getEpochSecond() - SLACK_SECONDS;
        file.setattr(ContractFixture.timesNow());
        Attr attr = file.getattr();
        assertTrue(attr.atimeSec() >= before, "atime " + attr.atimeSec());
        assertTrue(attr.mtimeSec() >= before, "mtime " + attr.mtimeSec());
    }

    @Test
    void utimesOfOneTimeLeavesTheOther() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        ContractFixture.age(file);
        file.setattr(new SetAttr(Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET, 0, 0, 0, 0, 0, 0, 2_000_000_000L, 0));
        Attr attr = file.getattr();
        assertEquals(PAST, attr.atimeSec());
        assertEquals(2_000_000_000L, attr.mtimeSec());
    }

    @Test
    void utimesExplicitByNonOwnerIsEperm() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node file = fx().touch(fx().root(), "f");
        file.setattr(chmod(0666));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertErrno(Errno.EPERM, () -> theirs.setattr(ContractFixture.times(PAST, 0, PAST, 0)));
    }

    @Test
    void utimesNowByAWriterWhoIsNotTheOwnerSucceeds() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node file = fx().touch(fx().root(), "f");
        ContractFixture.age(file);
        file.setattr(chmod(0666));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        theirs.setattr(ContractFixture.timesNow());
        assertTrue(file.getattr().mtimeSec() > PAST);
        file.setattr(chmod(0644));
        assertErrno(Errno.EACCES, () -> theirs.setattr(ContractFixture.timesNow()));
    }

    @Test
    void ctimeAloneTouchesCtime() throws Exception {
        Node file = fx().touch(fx().root(), "f");
        ContractFixture.age(file);
        Attr before = file.getattr();
        ContractFixture.passClock(before);
        file.setattr(new SetAttr(Dotl.SETATTR_CTIME, 0, 0, 0, 0, 0, 0, 0, 0));
        Attr after = file.getattr();
        assertTrue(compareTimes(after.ctimeSec(), after.ctimeNsec(), before.ctimeSec(), before.ctimeNsec()) > 0);
        assertEquals(PAST, after.mtimeSec());
        assertEquals(PAST, after.atimeSec());
    }

    @Test
    void emptySetattrChangesNothing() throws Exception {
        Node file = fx().file(fx().root(), "f", bytes("abc"));
        Attr before = file.getattr();
        file.setattr(new SetAttr(0, 0777, 5, 5, 0, 0, 0, 0, 0));
        Attr after = file.getattr();
        assertEquals(before.mode(), after.mode());
        assertEquals(before.uid(), after.uid());
        assertEquals(before.size(), after.size());
    }

    @Test
    void btimeIsTheCreationTime() throws Exception {
        fx().require(Feature.BTIME);
        long before = Instant.now().getEpochSecond() - SLACK_SECONDS;
        Node file = fx().file(fx().root(), "f", bytes("abc"));
        Attr created = file.getattr();
        assertTrue(created.btimeSec() >= before, "btime " + created.btimeSec());
        ContractFixture.age(file);
        file.setattr(truncate(0));
        Attr later = file.getattr();
        assertEquals(created.btimeSec(), later.btimeSec());
        assertEquals(created.btimeNsec(), later.btimeNsec());
    }

    @Test
    void blocksCoverTheData() throws Exception {
        byte[] data = new byte[100_000];
        new java.util.Random(7).nextBytes(data);
        Node file = fx().file(fx().root(), "f", data);
        Attr attr = file.getattr();
        assertEquals(100_000, attr.size());
        assertTrue(attr.blksize() > 0);
        assertTrue(attr.blocks() * 512 >= 100_000, "blocks " + attr.blocks());
    }
}
