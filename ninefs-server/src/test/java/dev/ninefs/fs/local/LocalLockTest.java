// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import static dev.ninefs.fs.local.LocalFixture.GID;
import static dev.ninefs.fs.local.LocalFixture.USER;
import static dev.ninefs.fs.local.LocalFixture.open;
import static dev.ninefs.fs.local.LocalFixture.writeFile;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_RDLCK;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_UNLCK;
import static dev.ninefs.protocol.Dotl.LOCK_TYPE_WRLCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.protocol.Dotl;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Locks of two clients really exclude each other, and are mirrored into the kernel so a host process is excluded
 * too (here: a classic fcntl lock taken by this JVM through FileChannel, which conflicts with open-file-description
 * locks whatever process holds them).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalLockTest {
    private static final LockOwner CLIENT_A = new LockOwner(1, 10, "guest-a");
    private static final LockOwner CLIENT_B = new LockOwner(2, 10, "guest-b");

    @TempDir
    Path dir;

    private static LockRequest req(int type, long start, long length, LockOwner owner) {
        return new LockRequest(type, start, length, owner);
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void aWriteLockBlocksTheOtherClientUntilItsFileIsClosed(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            writeFile(root, "shared", "0123456789");
            try (Node na = root.walk("shared"); Node nb = root.walk("shared");
                    OpenFile b = nb.open(Dotl.O_RDWR)) {
                OpenFile a = na.open(Dotl.O_RDWR);
                assertEquals(LockStatus.SUCCESS, a.lock(req(LOCK_TYPE_WRLCK, 0, 0, CLIENT_A)));
                assertEquals(LockStatus.BLOCKED, b.lock(req(LOCK_TYPE_RDLCK, 5, 1, CLIENT_B)));
                LockRequest holder = b.getlock(req(LOCK_TYPE_WRLCK, 0, 10, CLIENT_B));
                assertEquals(LOCK_TYPE_WRLCK, holder.type());
                assertEquals(CLIENT_A, holder.owner());
                assertEquals(0, holder.start());
                assertEquals(0, holder.length());
                a.close(); // Tclunk of the fid that took the lock
                assertEquals(LOCK_TYPE_UNLCK, b.getlock(req(LOCK_TYPE_WRLCK, 0, 10, CLIENT_B)).type());
                assertEquals(LockStatus.SUCCESS, b.lock(req(LOCK_TYPE_WRLCK, 0, 10, CLIENT_B)));
            }
            assertEquals(0, fs.locks().lockedFiles(), "all released with the last close");
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void clientLocksExcludeHostProcessesAndTheOtherWayRound(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            writeFile(root, "shared", "0123456789");
            Path host = dir.resolve("shared");
            try (Node n = root.walk("shared"); OpenFile a = n.open(Dotl.O_RDWR);
                    FileChannel channel = FileChannel.open(host, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertEquals(LockStatus.SUCCESS, a.lock(req(LOCK_TYPE_WRLCK, 0, 5, CLIENT_A)));
                assertNull(channel.tryLock(2, 1, false), "the host cannot lock what a client holds");
                try (FileLock ok = channel.tryLock(5, 5, false)) {
                    assertNotNull(ok, "outside the client's range the host may lock");
                    assertEquals(LockStatus.BLOCKED, a.lock(req(LOCK_TYPE_RDLCK, 7, 1, CLIENT_A)),
                            "and then the client cannot lock what the host holds");
                    LockRequest holder = a.getlock(req(LOCK_TYPE_WRLCK, 5, 5, CLIENT_A));
                    assertEquals(LOCK_TYPE_WRLCK, holder.type());
                    assertEquals(5, holder.start());
                    assertEquals(5, holder.length());
                }
                // Downgrade: a host reader may now share the range, a host writer still may not.
                assertEquals(LockStatus.SUCCESS, a.lock(req(LOCK_TYPE_RDLCK, 0, 5, CLIENT_A)));
                try (FileLock shared = channel.tryLock(0, 5, true)) {
                    assertNotNull(shared);
                }
                assertNull(channel.tryLock(0, 5, false));
                assertEquals(LockStatus.SUCCESS, a.lock(req(LOCK_TYPE_UNLCK, 0, 0, CLIENT_A)));
                try (FileLock all = channel.tryLock(0, Long.MAX_VALUE, false)) {
                    assertNotNull(all, "released in the kernel too");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SecurityModel.class)
    void aFailedUpgradeLeavesTheOldLocksInPlace(SecurityModel model) throws Exception {
        try (LocalFileSystem fs = open(dir, model); Node root = fs.attach(USER)) {
            writeFile(root, "shared", "0123456789");
            try (Node n = root.walk("shared"); OpenFile a = n.open(Dotl.O_RDWR); OpenFile b = n.open(Dotl.O_RDWR);
                    FileChannel channel = FileChannel.open(dir.resolve("shared"), StandardOpenOption.READ)) {
                assertEquals(LockStatus.SUCCESS, a.lock(req(LOCK_TYPE_RDLCK, 0, 10, CLIENT_A)));
                FileLock reader = channel.tryLock(8, 2, true);
                assertNotNull(reader);
                // 0..9 to a write lock: 0..7 could be upgraded in the kernel, 8..9 cannot; so nothing may change
                assertEquals(LockStatus.BLOCKED, a.lock(req(LOCK_TYPE_WRLCK, 0, 10, CLIENT_A)));
                reader.release();
                assertEquals(LockStatus.SUCCESS, b.lock(req(LOCK_TYPE_RDLCK, 0, 1, CLIENT_B)), "still a read lock");
                try (FileLock shared = channel.tryLock(0, 8, true)) {
                    assertNotNull(shared, "the kernel mirror was rolled back to read on 0..7 as well");
                }
            }
        }
    }
}
