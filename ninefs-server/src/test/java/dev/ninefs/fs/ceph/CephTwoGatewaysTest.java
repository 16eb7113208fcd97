// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.LockOwner;
import dev.ninefs.fs.LockRequest;
import dev.ninefs.fs.LockStatus;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateways on one CephFS: two CephFileSystem instances, each its own libcephfs client (mount), exporting the
 * same directory, as two ninefs servers on two hosts would. What one does, the other sees at once: Ceph's
 * capabilities keep both clients' caches coherent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CephTwoGatewaysTest {
    private static final User ALICE = new User(1000, "alice");
    @RegisterExtension
    static final CephTestCluster cluster = CephTestCluster.perClass();

    private CephFileSystem gatewayA;
    private CephFileSystem gatewayB;
    private Node rootA;
    private Node rootB;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void twoGateways() throws Exception {
        String path = cluster.newDirectory("shared", 0);
        gatewayA = CephFileSystem.open(cluster.options(path));
        gatewayB = CephFileSystem.open(cluster.options(path));
        rootA = keep(gatewayA.attach(ALICE));
        rootB = keep(gatewayB.attach(ALICE));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        gatewayA.close();
        gatewayB.close();
    }

    @Test
    void aFileWrittenAndClosedThroughOneIsReadByteExactThroughTheOther() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 + 4321]; // more than one 4 MiB object
        new Random(6).nextBytes(data);
        Node.Created created = rootA.create("payload", Dotl.O_RDWR, 0644, 1000);
        try (OpenFile out = created.file()) {
            write(out, 0, data);
        }
        created.node().close();

        Node there = keep(rootB.walk("payload"));
        assertEquals(data.length, there.getattr().size());
        try (OpenFile in = there.open(Dotl.O_RDONLY)) {
            assertArrayEquals(data, read(in, data.length + 1));
        }
    }

    @Test
    void anOverwriteThroughOneIsSeenByAnOpenFileOfTheOther() throws Exception {
        Node.Created created = keep(rootA.create("f", Dotl.O_RDWR, 0644, 1000));
        write(keepFile(created.file()), 0, "version 1".getBytes());
        OpenFile reader = keepFile(keep(rootB.walk("f")).open(Dotl.O_RDONLY));
        assertArrayEquals("version 1".getBytes(), read(reader, 100));
        write(created.file(), 8, "2".getBytes());
        assertArrayEquals("version 2".getBytes(), read(reader, 100));
    }

    @Test
    void aRenameThroughOneIsSeenThroughTheOther() throws Exception {
        keep(rootA.mkdir("from", 0755, 1000));
        keep(rootA.mkdir("to", 0755, 1000));
        Node fromA = keep(rootA.walk("from"));
        Node.Created created = keep(fromA.create("old", Dotl.O_RDWR, 0644, 1000));
        write(keepFile(created.file()), 0, "moved".getBytes());
        Node heldByB = keep(keep(rootB.walk("from")).walk("old"));

        fromA.renameAt("old", keep(rootA.walk("to")), "new");

        assertThrows(ErrnoException.class, () -> keep(rootB.walk("from")).walk("old"));
        Node toB = keep(rootB.walk("to"));
        assertEquals(List.of("new"), names(toB));
        Node renamedB = keep(toB.walk("new"));
        assertEquals(heldByB.getattr().ino(), renamedB.getattr().ino(), "B's node follows the inode");
        try (OpenFile in = renamedB.open(Dotl.O_RDONLY)) {
            assertArrayEquals("moved".getBytes(), read(in, 100));
        }
    }

    @Test
    void aNodeOfOneGatewayRemovesItsFileAfterTheOtherRenamedIt() throws Exception {
        keep(rootA.mkdir("d", 0755, 1000));
        Node.Created created = keep(rootA.create("f", Dotl.O_RDWR, 0644, 1000));
        created.file().close();
        Node heldByB = keep(rootB.walk("f"));
        rootA.renameAt("f", rootA, "g"); // behind B's back: B's node still knows it as "f"
        heldByB.remove();
        assertEquals(List.of("d"), names(rootA));
    }

    @Test
    void aLockTakenThroughOneBlocksTheOther() throws Exception {
        Node.Created created = keep(rootA.create("locked", Dotl.O_RDWR, 0644, 1000));
        OpenFile a = keepFile(created.file());
        OpenFile b = keepFile(keep(rootB.walk("locked")).open(Dotl.O_RDWR));
        LockOwner onA = new LockOwner(1, 42, "guest-a");
        LockOwner onB = new LockOwner(1, 42, "guest-a"); // the same numbers: still another client of Ceph
        assertEquals(LockStatus.SUCCESS, a.lock(new LockRequest(Dotl.LOCK_TYPE_WRLCK, 0, 10, onA)));
        assertEquals(LockStatus.BLOCKED, b.lock(new LockRequest(Dotl.LOCK_TYPE_WRLCK, 5, 1, onB)));
        LockRequest holder = b.getlock(new LockRequest(Dotl.LOCK_TYPE_RDLCK, 0, 100, onB));
        assertEquals(Dotl.LOCK_TYPE_WRLCK, holder.type());
        assertEquals(0, holder.start());
        assertEquals(10, holder.length());
        a.close();
        open.remove(a);
        assertEquals(LockStatus.SUCCESS, b.lock(new LockRequest(Dotl.LOCK_TYPE_WRLCK, 5, 1, onB)));
    }

    @Test
    void attributesSetThroughOneAreSeenThroughTheOther() throws Exception {
        Node.Created created = keep(rootA.create("f", Dotl.O_RDWR, 0644, 1000));
        created.file().close();
        Node onB = keep(rootB.walk("f"));
        created.node().setattr(new dev.ninefs.fs.SetAttr(Dotl.SETATTR_MODE | Dotl.SETATTR_MTIME
                | Dotl.SETATTR_MTIME_SET, 0600, 0, 0, 0, 0, 0, 1_500_000_000L, 123_456_789));
        Attr seen = onB.getattr();
        assertEquals(0100600, seen.mode());
        assertEquals(1_500_000_000L, seen.mtimeSec());
        assertEquals(123_456_789, seen.mtimeNsec());
    }

    @Test
    void aFileUnlinkedThroughOneIsGoneForTheOther() throws Exception {
        Node.Created created = keep(rootA.create("f", Dotl.O_RDWR, 0644, 1000));
        created.file().close();
        keep(rootB.walk("f"));
        rootA.unlinkAt("f", 0);
        var e = assertThrows(ErrnoException.class, () -> keep(rootB.walk("f")));
        assertEquals(Errno.ENOENT, e.errno());
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private Node.Created keep(Node.Created created) {
        keep(created.node());
        return created;
    }

    private OpenFile keepFile(OpenFile file) {
        open.add(file);
        return file;
    }

    private static void write(OpenFile file, long offset, byte[] data) throws ErrnoException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            file.write(offset + src.position(), src);
        }
    }

    private static byte[] read(OpenFile file, int max) throws ErrnoException {
        ByteBuffer dst = ByteBuffer.allocate(max);
        while (dst.hasRemaining() && file.read(dst.position(), dst) > 0) {
            // until end of file
        }
        return java.util.Arrays.copyOf(dst.array(), dst.position());
    }

    private static List<String> names(Node dir) throws ErrnoException {
        List<String> names = new ArrayList<>();
        try (OpenFile d = dir.open(Dotl.O_RDONLY)) {
            d.readdir(0, (DirEntry e) -> names.add(e.name()));
        }
        names.removeAll(List.of(".", ".."));
        return names;
    }
}
