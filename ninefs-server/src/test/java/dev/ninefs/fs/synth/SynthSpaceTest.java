// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.SetAttr;
import dev.ninefs.fs.StatFs;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Capacity, inode limits, the file size limit and what statfs says about them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SynthSpaceTest {
    private static final User ROOT = new User(0, "root");

    private static void assertErrno(Errno expected, Executable call) {
        assertEquals(expected, assertThrows(ErrnoException.class, call).errno());
    }

    @Test
    void writesBeyondCapacityAreShortThenEnospc() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().capacity(1 << 20).build();
        try (Node root = fs.attach(ROOT)) {
            Node.Created c = root.create("f", Dotl.O_RDWR, 0644, 0);
            try (Node node = c.node(); OpenFile file = c.file()) {
                ByteBuffer src = ByteBuffer.allocate(3 << 20);
                int n = file.write(0, src);
                assertEquals(1 << 20, n, "as much as fits");
                assertErrno(Errno.ENOSPC, () -> file.write(n, ByteBuffer.allocate(10)));
                assertEquals(0, root.statfs().bfree());
                assertEquals(1 << 20, node.getattr().size());
            }
            root.unlinkAt("f", 0);
            StatFs after = root.statfs();
            assertEquals(after.blocks(), after.bfree(), "unlinking the closed file gave its space back");
        }
    }

    @Test
    void anUnlinkedOpenFileHoldsItsSpaceUntilClosed() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().capacity(64 << 20).build();
        try (Node root = fs.attach(ROOT)) {
            Node.Created c = root.create("f", Dotl.O_RDWR, 0644, 0);
            c.file().write(0, ByteBuffer.allocate(8 << 20));
            root.unlinkAt("f", 0);
            c.node().close();
            long blocks = root.statfs().blocks();
            assertEquals(blocks - (8 << 20) / 4096, root.statfs().bfree());
            c.file().close();
            assertEquals(blocks, root.statfs().bfree());
            assertEquals(0, fs.store.space.used());
        }
    }

    @Test
    void theInodeLimitIsEnospc() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().maxInodes(4).build();
        try (Node root = fs.attach(ROOT)) {
            root.mkdir("a", 0755, 0).close();
            root.symlink("b", "a", 0).close();
            Node.Created c = root.create("c", Dotl.O_RDWR, 0644, 0);
            c.file().close();
            c.node().close();
            assertErrno(Errno.ENOSPC, () -> root.mkdir("d", 0755, 0));
            assertEquals(0, root.statfs().ffree());
            root.unlinkAt("b", 0);
            assertEquals(1, root.statfs().ffree());
            root.mkdir("d", 0755, 0).close();
        }
    }

    @Test
    void offsetsBeyondTheFileSizeLimitAreEfbig() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().maxFileSize(1 << 20).build();
        try (Node root = fs.attach(ROOT)) {
            Node.Created c = root.create("f", Dotl.O_RDWR, 0644, 0);
            try (Node node = c.node(); OpenFile file = c.file()) {
                assertErrno(Errno.EFBIG, () -> file.write(1 << 20, ByteBuffer.allocate(1)));
                assertEquals(10, file.write((1 << 20) - 10, ByteBuffer.allocate(100)), "short up to the limit");
                assertErrno(Errno.EFBIG, () -> node.setattr(new SetAttr(Dotl.SETATTR_SIZE, 0, 0, 0, (1 << 20) + 1,
                        0, 0, 0, 0)));
                assertErrno(Errno.EINVAL, () -> file.write(-1, ByteBuffer.allocate(1)));
                assertErrno(Errno.EINVAL, () -> file.read(-1, ByteBuffer.allocate(1)));
            }
        }
    }

    @Test
    void statfsCountsBlocksOfTheCapacity() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().capacity(100L << 20).maxInodes(1000).build();
        try (Node root = fs.attach(ROOT)) {
            StatFs s = root.statfs();
            assertEquals(4096, s.bsize());
            assertEquals((100L << 20) / 4096, s.blocks());
            assertEquals(s.blocks(), s.bfree());
            assertEquals(1000, s.files());
            assertEquals(999, s.ffree(), "the root is one");
            assertEquals(fs.dev(), s.fsid());
            Node.Created c = root.create("f", Dotl.O_RDWR, 0644, 0);
            c.file().write(0, ByteBuffer.allocate(10));
            assertEquals(s.blocks() - 1, root.statfs().bfree());
            assertTrue(c.node().getattr().blocks() == 8, "one 4 KiB block is 8 sectors");
            c.file().close();
            c.node().close();
        }
    }
}
