// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Regression tests for the Ceph 16.2 behaviours the backend works around (listed in the package documentation). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CephQuirksTest {
    private static final long PAST = 1_000_000_000L;
    private static final LockOwner ALICE = new LockOwner(1, 100, "a"), BOB = new LockOwner(2, 200, "b");
    @RegisterExtension
    static final CephTestCluster cluster = CephTestCluster.perClass();
    private static CephFileSystem base;

    private CephFileSystem fs;
    private Node root;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void openBase() throws Exception {
        base = CephFileSystem.open(cluster.options(cluster.newDirectory("quirks", 0)));
    }

    @AfterAll
    static void closeBase() throws Exception {
        if (base != null) {
            base.close();
        }
    }

    @BeforeEach
    void export() throws Exception {
        String name = CephTestCluster.newDirectory(base, "t", 0);
        fs = base.subExport(name, base.options());
        root = keep(fs.attach(new User(0, "root")));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        fs.close();
    }

    @Test
    void oneOwnersLocksThroughTwoFilesDoNotAbortTheProcess() throws Exception {
        Node file = keep(root.create("f", Dotl.O_RDWR, 0644, 0)).node();
        OpenFile a = keep(file.open(Dotl.O_RDWR));
        OpenFile b = keep(file.open(Dotl.O_RDWR));
        assertEquals(LockStatus.SUCCESS, a.lock(lock(Dotl.LOCK_TYPE_WRLCK, 10, 10, ALICE)));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(Dotl.LOCK_TYPE_WRLCK, 50, 10, ALICE)));
        // ALICE downgrades everything through a; libcephfs's own record for b would still say "write lock" and,
        // without a single carrier per owner, assert (and abort the JVM) when BOB's shared lock comes through b
        assertEquals(LockStatus.SUCCESS, a.lock(lock(Dotl.LOCK_TYPE_RDLCK, 0, 0, ALICE)));
        assertEquals(LockStatus.SUCCESS, b.lock(lock(Dotl.LOCK_TYPE_RDLCK, 0, 0, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(Dotl.LOCK_TYPE_WRLCK, 0, 1, BOB)));
        a.close(); // the carrier of ALICE's locks: they go with it
        open.remove(a);
        assertEquals(LockStatus.SUCCESS, b.lock(lock(Dotl.LOCK_TYPE_WRLCK, 0, 1, BOB)));
        assertEquals(LockStatus.BLOCKED, b.lock(lock(Dotl.LOCK_TYPE_WRLCK, 0, 1, ALICE)));
    }

    @Test
    void appendWritesAtTheEndWhateverOffsetTheClientSends() throws Exception {
        Node.Created created = keep(root.create("log", Dotl.O_WRONLY, 0644, 0));
        write(created.file(), 0, "first;");
        try (OpenFile appender = created.node().open(Dotl.O_WRONLY | Dotl.O_APPEND)) {
            write(appender, 0, "second;");
            write(appender, 3, "third;");
        }
        assertEquals("first;second;third;", read(created.node()));
    }

    @Test
    void aDirectoryMtimeFollowsAnUnlinkAfterItsTimesWereSet() throws Exception {
        Node dir = keep(root.mkdir("d", 0755, 0));
        keep(dir.create("f", Dotl.O_WRONLY, 0644, 0)).file().close();
        dir.setattr(times(PAST));
        dir.unlinkAt("f", 0);
        assertTrue(dir.getattr().mtimeSec() > PAST, "mtime " + dir.getattr().mtimeSec());
    }

    @Test
    void aRenameIntoAnotherDirectoryUpdatesTheSourceDirectory() throws Exception {
        Node from = keep(root.mkdir("from", 0755, 0));
        Node to = keep(root.mkdir("to", 0755, 0));
        keep(from.mkdir("sub", 0755, 0));
        keep(from.create("f", Dotl.O_WRONLY, 0644, 0)).file().close();
        from.setattr(times(PAST));
        assertEquals(3, from.getattr().nlink());
        from.renameAt("sub", to, "sub");
        from.renameAt("f", to, "f");
        assertEquals(2, from.getattr().nlink(), "the subdirectory left");
        assertTrue(from.getattr().mtimeSec() > PAST, "mtime " + from.getattr().mtimeSec());
    }

    private static LockRequest lock(int type, long start, long length, LockOwner owner) {
        return new LockRequest(type, start, length, owner);
    }

    private static SetAttr times(long sec) {
        return new SetAttr(Dotl.SETATTR_ATIME | Dotl.SETATTR_ATIME_SET | Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET,
                0, 0, 0, 0, sec, 0, sec, 0);
    }

    private static void write(OpenFile file, long offset, String text) throws Exception {
        ByteBuffer src = ByteBuffer.wrap(text.getBytes());
        while (src.hasRemaining()) {
            file.write(offset + src.position(), src);
        }
    }

    private static String read(Node node) throws Exception {
        try (OpenFile in = node.open(Dotl.O_RDONLY)) {
            ByteBuffer dst = ByteBuffer.allocate(1000);
            while (in.read(dst.position(), dst) > 0) {
                // to the end
            }
            return new String(dst.array(), 0, dst.position());
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private Node.Created keep(Node.Created created) {
        keep(created.node());
        keep(created.file());
        return created;
    }
}
