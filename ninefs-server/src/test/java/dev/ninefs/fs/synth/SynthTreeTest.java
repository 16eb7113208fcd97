// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.Attr;
import dev.ninefs.fs.FileId;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Building synthetic content, and the options of a synth file system. */
class SynthTreeTest {
    private static final User ALICE = new User(1000, "alice");

    private static byte[] read(Node node, long offset, int count) throws ErrnoException {
        try (OpenFile file = node.open(Dotl.O_RDONLY)) {
            ByteBuffer dst = ByteBuffer.allocate(count);
            file.read(offset, dst);
            return Arrays.copyOf(dst.array(), dst.position());
        }
    }

    @Test
    void contentsBuildFilesDirectoriesAndSymlinks() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder()
                .rootOwner(1000, 100)
                .contents(root -> root.file("hello", "hi\n")
                        .dir("docs", d -> d.file("a.bin", 0600, new byte[] {1, 2, 3}).symlink("latest", "../hello"))
                        .owner(0, 0)
                        .dir("system", 0700, d -> d.file("conf", "x")))
                .build();
        try (Node root = fs.attach(ALICE); Node hello = root.walk("hello"); Node docs = root.walk("docs");
                Node bin = docs.walk("a.bin"); Node latest = docs.walk("latest"); Node system = root.walk("system")) {
            assertArrayEquals("hi\n".getBytes(StandardCharsets.UTF_8), read(hello, 0, 100));
            Attr attr = bin.getattr();
            assertEquals(FileId.S_IFREG | 0600, attr.mode());
            assertEquals(1000, attr.uid());
            assertEquals(100, attr.gid());
            assertEquals("../hello", latest.readlink());
            assertEquals(0, system.getattr().uid(), "owner() applies to what follows");
            assertEquals(4, root.getattr().nlink(), "root with two subdirectories");
            ErrnoException denied = assertThrows(ErrnoException.class, () -> system.walk("conf"));
            assertEquals(Errno.EACCES, denied.errno(), "permissions apply to built content");
        }
    }

    @Test
    void sparseFilesReadAsZerosAndTakeNoSpace() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().capacity(1 << 20)
                .contents(root -> root.sparseFile("huge", 100L << 30)).build();
        try (Node root = fs.attach(ALICE); Node huge = root.walk("huge")) {
            assertEquals(100L << 30, huge.getattr().size());
            assertEquals(0, huge.getattr().blocks());
            assertArrayEquals(new byte[4096], read(huge, 50L << 30, 4096));
            assertEquals(root.statfs().blocks(), root.statfs().bfree());
        }
    }

    @Test
    void populatingTwiceWithOneNameFails() {
        SynthFileSystem fs = SynthFileSystem.builder().contents(root -> root.file("x", "1")).build();
        assertThrows(IllegalArgumentException.class, () -> fs.populate(root -> root.dir("x", d -> {})));
        assertThrows(IllegalArgumentException.class, () -> fs.populate(root -> root.file("a/b", "1")));
        fs.populate(root -> root.file("y", "2"));
    }

    @Test
    void contentBeyondCapacityFailsWithEnospc() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SynthFileSystem.builder()
                .capacity(4096).contents(root -> root.file("big", new byte[8192])).build());
        assertEquals(Errno.ENOSPC, ((ErrnoException) e.getCause()).errno());
    }

    @Test
    void aReadOnlyBuildHasItsContentsAndRefusesChanges() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().readOnly(true).contents(root -> root.file("f", "ro")).build();
        assertTrue(fs.readOnly());
        try (Node root = fs.attach(ALICE); Node f = root.walk("f")) {
            assertArrayEquals("ro".getBytes(StandardCharsets.UTF_8), read(f, 0, 10));
            ErrnoException e = assertThrows(ErrnoException.class, () -> root.mkdir("d", 0755, 0));
            assertEquals(Errno.EROFS, e.errno());
        }
    }

    @Test
    void aUserWithoutAUidActsAsRoot() throws Exception {
        SynthFileSystem fs = SynthFileSystem.builder().rootMode(0700).rootOwner(5, 5).build();
        try (Node root = fs.attach(new User(User.NO_UID, "")); Node dir = root.mkdir("d", 0755, 7)) {
            assertEquals(0, dir.getattr().uid());
            assertEquals(7, dir.getattr().gid());
        }
    }

    @Test
    void eachFileSystemHasItsOwnDeviceUnlessToldOtherwise() throws Exception {
        SynthFileSystem a = SynthFileSystem.create();
        SynthFileSystem b = SynthFileSystem.create();
        assertNotEquals(a.dev(), b.dev());
        SynthFileSystem c = SynthFileSystem.builder().dev(42).build();
        try (Node root = c.attach(ALICE)) {
            assertEquals(42, root.getattr().dev());
            assertEquals(42, root.fileId().dev());
        }
    }

    @Test
    void aClosedFileSystemRefusesAttach() {
        SynthFileSystem fs = SynthFileSystem.create();
        fs.close();
        assertEquals(Errno.EIO, assertThrows(ErrnoException.class, () -> fs.attach(ALICE)).errno());
    }
}
