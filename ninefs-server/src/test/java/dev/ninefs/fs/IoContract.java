// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static dev.ninefs.fs.ContractFixture.PAST;
import static dev.ninefs.fs.ContractFixture.assertErrno;
import static dev.ninefs.fs.ContractFixture.read;
import static dev.ninefs.fs.ContractFixture.writeFully;
import static dev.ninefs.fs.WalkContract.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** open, read, write, append, truncate on open, fsync. */
abstract class IoContract extends AttrContract {

    @Test
    void writeThenReadBack() throws Exception {
        OpenFile file = fx().create(fx().root(), "f", Dotl.O_RDWR, 0644).file();
        ByteBuffer src = ByteBuffer.wrap(bytes("hello, world"));
        assertEquals(12, file.write(0, src));
        assertEquals(12, src.position(), "write advances the buffer");
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertEquals(12, file.read(0, dst));
        assertEquals(12, dst.position(), "read advances the buffer");
        assertArrayEquals(bytes("world"), read(file, 7, 5));
    }

    @Test
    void readIntoADirectBufferFromItsPosition() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("abcdef"));
        OpenFile file = fx().open(node, Dotl.O_RDONLY);
        ByteBuffer dst = ByteBuffer.allocateDirect(10);
        dst.position(2).limit(5);
        assertEquals(3, file.read(1, dst));
        assertEquals(5, dst.position());
        assertEquals('b', dst.get(2));
        assertEquals('d', dst.get(4));
    }

    @Test
    void readAtEndOfFileReturnsZero() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("abc"));
        OpenFile file = fx().open(node, Dotl.O_RDONLY);
        assertEquals(0, file.read(3, ByteBuffer.allocate(10)));
        assertEquals(0, file.read(1000, ByteBuffer.allocate(10)));
    }

    @Test
    void readPastEndIsShort() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("abcdef"));
        OpenFile file = fx().open(node, Dotl.O_RDONLY);
        ByteBuffer dst = ByteBuffer.allocate(100);
        assertEquals(2, file.read(4, dst));
    }

    @Test
    void writePastEndLeavesAZeroFilledGap() throws Exception {
        OpenFile file = fx().create(fx().root(), "f", Dotl.O_RDWR, 0644).file();
        writeFully(file, 0, bytes("ab"));
        writeFully(file, 200_000, bytes("yz"));
        byte[] all = read(file, 0, 300_000);
        assertEquals(200_002, all.length);
        assertEquals('a', all[0]);
        assertEquals('z', all[200_001]);
        for (int i = 2; i < 200_000; i++) {
            assertEquals(0, all[i], "byte " + i);
        }
    }

    @Test
    void writeExtendsSizeAndUpdatesMtimeAndCtime() throws Exception {
        Node.Created created = fx().create(fx().root(), "f", Dotl.O_RDWR, 0644);
        ContractFixture.age(created.node());
        writeFully(created.file(), 0, bytes("12345"));
        Attr attr = created.node().getattr();
        assertEquals(5, attr.size());
        assertTrue(attr.mtimeSec() > PAST);
        assertTrue(attr.ctimeSec() > PAST);
    }

    @Test
    void readUpdatesAtime() throws Exception {
        fx().require(Feature.ATIME);
        Node node = fx().file(fx().root(), "f", bytes("abc"));
        ContractFixture.age(node);
        OpenFile file = fx().open(node, Dotl.O_RDONLY);
        read(file, 0, 3);
        Attr attr = node.getattr();
        assertTrue(attr.atimeSec() > PAST, "atime " + attr.atimeSec());
        assertEquals(PAST, attr.mtimeSec());
    }

    @Test
    void appendWritesAtTheEnd() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("start"));
        OpenFile file = fx().open(node, Dotl.O_WRONLY | Dotl.O_APPEND);
        writeFully(file, 0, bytes("+one"));
        file.write(2, ByteBuffer.wrap(bytes("+two")));
        assertArrayEquals(bytes("start+one+two"), fx().content(node));
    }

    @Test
    void openWithTruncEmptiesTheFile() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("old content"));
        ContractFixture.age(node);
        OpenFile file = fx().open(node, Dotl.O_WRONLY | Dotl.O_TRUNC);
        assertEquals(0, node.getattr().size());
        assertTrue(node.getattr().mtimeSec() > PAST);
        writeFully(file, 0, bytes("new"));
        assertArrayEquals(bytes("new"), fx().content(node));
    }

    @Test
    void readOnlyOpenRefusesWriteWithEbadf() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("abc"));
        OpenFile file = fx().open(node, Dotl.O_RDONLY);
        assertErrno(Errno.EBADF, () -> file.write(0, ByteBuffer.wrap(bytes("x"))));
        assertArrayEquals(bytes("abc"), fx().content(node));
    }

    @Test
    void writeOnlyOpenRefusesReadWithEbadf() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("abc"));
        OpenFile file = fx().open(node, Dotl.O_WRONLY);
        assertErrno(Errno.EBADF, () -> file.read(0, ByteBuffer.allocate(3)));
    }

    @Test
    void openDirectoryForWriteIsEisdir() throws Exception {
        Node dir = fx().mkdir(fx().root(), "d");
        assertErrno(Errno.EISDIR, () -> fx().open(dir, Dotl.O_WRONLY));
        assertErrno(Errno.EISDIR, () -> fx().open(dir, Dotl.O_RDWR));
    }

    @Test
    void openSymlinkIsEloop() throws Exception {
        fx().touch(fx().root(), "target");
        Node link = fx().symlink(fx().root(), "link", "target");
        assertErrno(Errno.ELOOP, () -> fx().open(link, Dotl.O_RDONLY));
    }

    @Test
    void openFileWithODirectoryIsEnotdir() throws Exception {
        Node node = fx().touch(fx().root(), "f");
        assertErrno(Errno.ENOTDIR, () -> fx().open(node, Dotl.O_RDONLY | Dotl.O_DIRECTORY));
    }

    @Test
    void readOfADirectoryIsEisdir() throws Exception {
        OpenFile dir = fx().open(fx().mkdir(fx().root(), "d"), Dotl.O_RDONLY);
        assertErrno(Errno.EISDIR, () -> dir.read(0, ByteBuffer.allocate(10)));
    }

    @Test
    void readdirOfAFileIsEnotdir() throws Exception {
        OpenFile file = fx().open(fx().touch(fx().root(), "f"), Dotl.O_RDONLY);
        assertErrno(Errno.ENOTDIR, () -> file.readdir(0, entry -> true));
    }

    @Test
    void largeContentCrossesChunkBoundariesIntact() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 12_345];
        new Random(42).nextBytes(data);
        OpenFile file = fx().create(fx().root(), "big", Dotl.O_RDWR, 0644).file();
        int offset = 0;
        int step = 1;
        while (offset < data.length) {
            int n = Math.min(step, data.length - offset);
            writeFully(file, offset, Arrays.copyOfRange(data, offset, offset + n));
            offset += n;
            step = step * 3 + 7; // odd sizes, so writes straddle every boundary
            if (step > 200_000) {
                step = 977;
            }
        }
        assertArrayEquals(data, read(file, 0, data.length + 10));
        assertArrayEquals(Arrays.copyOfRange(data, 65_530, 65_550), read(file, 65_530, 20));
    }

    @Test
    void overwriteInTheMiddleKeepsTheRest() throws Exception {
        Node node = fx().file(fx().root(), "f", bytes("0123456789"));
        OpenFile file = fx().open(node, Dotl.O_RDWR);
        writeFully(file, 3, bytes("abc"));
        assertArrayEquals(bytes("012abc6789"), fx().content(node));
        assertEquals(10, node.getattr().size());
    }

    @Test
    void writeThroughOneOpenIsSeenThroughAnother() throws Exception {
        Node node = fx().touch(fx().root(), "f");
        OpenFile writer = fx().open(node, Dotl.O_WRONLY);
        OpenFile reader = fx().open(fx().walk(fx().root(), "f"), Dotl.O_RDONLY);
        writeFully(writer, 0, bytes("shared"));
        assertArrayEquals(bytes("shared"), read(reader, 0, 100));
    }

    @Test
    void fsyncSucceeds() throws Exception {
        OpenFile file = fx().create(fx().root(), "f", Dotl.O_RDWR, 0644).file();
        writeFully(file, 0, bytes("x"));
        file.fsync(false);
        file.fsync(true);
    }

    @Test
    void newFileOpensForWritingWhateverItsMode() throws Exception {
        Node.Created created = fx().create(fx().root(), "f", Dotl.O_RDWR, 0444);
        writeFully(created.file(), 0, bytes("still writable"));
        assertArrayEquals(bytes("still writable"), read(created.file(), 0, 100));
        assertEquals(FileId.S_IFREG | 0444, created.node().getattr().mode());
    }

    @Test
    void openForReadWithoutPermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        Node node = fx().touch(fx().root(), "f");
        node.setattr(ContractFixture.chmod(0600));
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        assertErrno(Errno.EACCES, () -> fx().open(theirs, Dotl.O_RDONLY));
    }

    @Test
    void openForWriteWithoutPermissionIsEacces() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().touch(fx().root(), "f");
        Node theirs = fx().walk(fx().attach(fx().stranger()), "f");
        fx().open(theirs, Dotl.O_RDONLY);
        assertErrno(Errno.EACCES, () -> fx().open(theirs, Dotl.O_WRONLY));
        assertErrno(Errno.EACCES, () -> fx().open(theirs, Dotl.O_RDONLY | Dotl.O_TRUNC));
    }

    @Test
    void ownerIsBoundByTheOwnerBits() throws Exception {
        fx().require(Feature.PERMISSIONS);
        fx().requireNonRootOwner();
        Node node = fx().file(fx().root(), "f", bytes("abc"));
        node.setattr(ContractFixture.chmod(0077));
        assertErrno(Errno.EACCES, () -> fx().open(node, Dotl.O_RDONLY));
    }

    @Test
    void rootReadsWhatNobodyMayRead() throws Exception {
        fx().require(Feature.ROOT);
        Node node = fx().file(fx().root(), "f", bytes("secret"));
        node.setattr(ContractFixture.chmod(0000));
        Node asRoot = fx().walk(fx().attach(new User(0, "root")), "f");
        assertArrayEquals(bytes("secret"), fx().content(asRoot));
        fx().open(asRoot, Dotl.O_WRONLY);
    }
}
