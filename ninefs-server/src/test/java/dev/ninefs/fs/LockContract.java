// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_RDLCK;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_UNLCK;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_WRLCK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import org.junit.jupiter.api.Test;

/** POSIX byte-range locks of two owners, each through its own open file. */
abstract class LockContract extends XattrContract {
    private static final LockOwner ALICE = new LockOwner(1, 100, "host-a");
    private static final LockOwner BOB = new LockOwner(2, 200, "host-b");

    private OpenFile a;
    private OpenFile b;

    /** Opens one file twice, as {@link #a} and {@link #b}; skips the test without lock support. */
    private void openTwice() throws Exception {
        fx().require(Feature.LOCKS);
        Node node = fx().touch(fx().root(), "locked");
        a = fx().open(node, Dotl.O_RDWR);
        b = fx().open(fx().walk(fx().root(), "locked"), Dotl.O_RDWR);
    }

    private static LockRequest lock(int type, long start, long length, LockOwner owner) {
        return new LockRequest(type, start, length, owner);
    }

    @Test
    void writeLocksOfTwoOwnersConflict() throws Exception {
        openTwice();
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_WRLCK, 0, 100, ALICE)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 50, 10, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_RDLCK, 99, 1, BOB)));
    }

    @Test
    void readLocksOfTwoOwnersShare() throws Exception {
        openTwice();
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_RDLCK, 0, 100, ALICE)));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_RDLCK, 0, 100, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 10, 1, BOB)), "bob cannot upgrade");
    }

    @Test
    void nonOverlappingRangesDoNotConflict() throws Exception {
        openTwice();
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_WRLCK, 0, 100, ALICE)));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_WRLCK, 100, 100, BOB)));
    }

    @Test
    void anOwnerNeverConflictsWithItself() throws Exception {
        openTwice();
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_RDLCK, 0, 100, ALICE)));
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_WRLCK, 50, 100, ALICE)));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_WRLCK, 10, 10, ALICE)), "same owner, other file");
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_RDLCK, 0, 0, ALICE)), "downgrade everything");
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_RDLCK, 0, 0, BOB)));
    }

    @Test
    void unlockReleasesTheRange() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_WRLCK, 0, 100, ALICE));
        assertEquals(LockStatus.SUCCESS, a.lock(lock(LOCK_TYPE_UNLCK, 0, 100, ALICE)));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_WRLCK, 0, 100, BOB)));
    }

    @Test
    void unlockingTheMiddleSplitsALock() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_WRLCK, 0, 100, ALICE));
        a.lock(lock(LOCK_TYPE_UNLCK, 40, 20, ALICE));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_WRLCK, 40, 20, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 39, 1, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 60, 1, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_RDLCK, 0, 1, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_RDLCK, 99, 1, BOB)));
    }

    @Test
    void lengthZeroMeansToTheEndOfTheFile() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_WRLCK, 100, 0, ALICE));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_WRLCK, 0, 100, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_RDLCK, 1L << 40, 1, BOB)));
        LockRequest holder = b.getlock(lock(LOCK_TYPE_RDLCK, 5_000, 1, BOB));
        assertEquals(100, holder.start());
        assertEquals(0, holder.length(), "a lock to the end reports length 0");
    }

    @Test
    void closingTheFileReleasesItsLocks() throws Exception {
        openTwice();
        OpenFile extra = fx().open(fx().walk(fx().root(), "locked"), Dotl.O_RDWR);
        assertEquals(LockStatus.SUCCESS, extra.lock(lock(LOCK_TYPE_WRLCK, 0, 0, ALICE)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 0, 1, BOB)));
        fx().closeNow(extra);
        assertEquals(LockStatus.SUCCESS, b.lock(lock(LOCK_TYPE_WRLCK, 0, 1, BOB)));
    }

    @Test
    void getlockReportsTheHolder() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_WRLCK, 10, 20, ALICE));
        LockRequest holder = b.getlock(lock(LOCK_TYPE_RDLCK, 0, 100, BOB));
        assertEquals(LOCK_TYPE_WRLCK, holder.type());
        assertEquals(10, holder.start());
        assertEquals(20, holder.length());
        assertEquals(ALICE.procId(), holder.owner().procId());
        assertEquals(ALICE.clientId(), holder.owner().clientId());
    }

    @Test
    void getlockWithoutAConflictAnswersUnlck() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_RDLCK, 0, 100, ALICE));
        LockRequest answer = b.getlock(lock(LOCK_TYPE_RDLCK, 0, 100, BOB));
        assertEquals(LOCK_TYPE_UNLCK, answer.type());
        assertEquals(LOCK_TYPE_UNLCK, b.getlock(lock(LOCK_TYPE_WRLCK, 100, 10, BOB)).type());
    }

    @Test
    void getlockIgnoresTheAskersOwnLocks() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_WRLCK, 0, 0, ALICE));
        assertEquals(LOCK_TYPE_UNLCK, a.getlock(lock(LOCK_TYPE_WRLCK, 0, 0, ALICE)).type());
    }

    @Test
    void aReadLockNeedsReadAccessAndAWriteLockWriteAccess() throws Exception {
        openTwice();
        OpenFile readOnly = fx().open(fx().walk(fx().root(), "locked"), Dotl.O_RDONLY);
        OpenFile writeOnly = fx().open(fx().walk(fx().root(), "locked"), Dotl.O_WRONLY);
        assertErrno(Errno.EBADF, () -> readOnly.lock(lock(LOCK_TYPE_WRLCK, 0, 1, ALICE)));
        assertErrno(Errno.EBADF, () -> writeOnly.lock(lock(LOCK_TYPE_RDLCK, 0, 1, ALICE)));
        assertEquals(LockStatus.SUCCESS, readOnly.lock(lock(LOCK_TYPE_RDLCK, 0, 1, ALICE)));
        assertEquals(LockStatus.SUCCESS, writeOnly.lock(lock(LOCK_TYPE_WRLCK, 1, 1, ALICE)));
    }

    @Test
    void locksOfDifferentFilesAreIndependent() throws Exception {
        openTwice();
        OpenFile other = fx().open(fx().touch(fx().root(), "other"), Dotl.O_RDWR);
        a.lock(lock(LOCK_TYPE_WRLCK, 0, 0, ALICE));
        assertEquals(LockStatus.SUCCESS, other.lock(lock(LOCK_TYPE_WRLCK, 0, 0, BOB)));
    }

    @Test
    void ownersDifferByConnectionProcessAndClient() throws Exception {
        openTwice();
        a.lock(lock(LOCK_TYPE_WRLCK, 0, 10, ALICE));
        LockOwner otherProcess = new LockOwner(ALICE.connection(), ALICE.procId() + 1, ALICE.clientId());
        LockOwner otherClient = new LockOwner(ALICE.connection(), ALICE.procId(), "host-c");
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 0, 10, otherProcess)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(LOCK_TYPE_WRLCK, 0, 10, otherClient)));
    }
}
