// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The client against a real, independent 9P2000.L server: diod, exporting a temporary directory. Every test works
 * in its own subdirectory and checks what the client says against what the local file system says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiodInteropTest {
    private Path export;
    private int uid;
    private Diod diod;
    private Connection conn;
    private RemoteFile root;
    private Path local;
    private RemoteFile dir;

    @BeforeAll
    void startDiod() throws Exception {
        assumeTrue(Diod.installed(), "diod is not installed (/usr/sbin/diod; Debian package diod)");
        export = Files.createTempDirectory("ninefs-diod-export");
        Path logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "ninefs-diod-logs"));
        diod = Diod.start(export, logs);
        conn = Connection.open(diod.uri());
        uid = (Integer) Files.getAttribute(export, "unix:uid"); // whoever runs the tests
        root = conn.attach(System.getProperty("user.name"), diod.aname(), uid);
    }

    @AfterAll
    void stopDiod() throws Exception {
        if (conn != null) {
            conn.close();
        }
        if (diod != null) {
            diod.close();
        }
        if (export != null) {
            try (var walk = Files.walk(export)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void testDirectory(TestInfo info) throws IOException {
        String name = info.getTestMethod().orElseThrow().getName();
        local = Files.createDirectory(export.resolve(name));
        dir = root.walk(name);
    }

    @AfterEach
    void closeTestDirectory() throws IOException {
        if (dir != null) {
            dir.close();
        }
    }

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void negotiatesMsizeNoLargerThanAsked() throws IOException {
        assertTrue(conn.msize() <= ClientOptions.DEFAULT_MSIZE && conn.msize() >= ClientOptions.MIN_MSIZE,
                "msize " + conn.msize());
        System.out.println("diod granted msize " + conn.msize() + " for " + ClientOptions.DEFAULT_MSIZE);
        try (Connection small = Connection.open(diod.uri(), ClientOptions.defaults().withMsize(8192))) {
            assertTrue(small.msize() <= 8192, "msize " + small.msize());
            assertEquals(small.msize() - 24, small.maxReadSize());
            try (RemoteFile r = small.attach(System.getProperty("user.name"), diod.aname(), uid)) {
                assertTrue(r.getattr().isDirectory());
            }
        }
    }

    @Test
    void attachGivesTheExportRootAndRefusesUnknownExports() throws IOException {
        assertTrue(root.qid().isDirectory());
        assertEquals(inode(export), root.getattr().qid().path());
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> conn.attach(System.getProperty("user.name"), "/no/such/export", uid));
        assertNotEquals(0, e.code());
    }

    @Test
    void walksPathsAndQidsMatchInodes() throws IOException {
        Path file = Files.createDirectories(local.resolve("a/b/c")).resolve("file");
        Files.writeString(file, "x");
        try (RemoteFile f = dir.walk("a/b/c/file"); RemoteFile same = dir.walk(List.of("a", "b", "c", "file"));
                RemoteFile clone = f.duplicate(); RemoteFile b = dir.walk("./a//b/")) {
            assertEquals(inode(file), f.qid().path());
            assertEquals(f.qid(), same.qid());
            assertEquals(f.qid(), clone.qid());
            assertEquals(inode(local.resolve("a/b")), b.qid().path());
            assertEquals(dir.path() + "/a/b/c/file", f.path());
        }
    }

    @Test
    void walkOfMoreThanSixteenNamesIsSplit() throws IOException {
        List<String> names = new ArrayList<>();
        Path deep = local;
        for (int i = 0; i < 37; i++) {
            names.add("d" + i);
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("leaf"), "leaf");
        names.add("leaf");
        int before = conn.fids().inUse();
        try (RemoteFile leaf = dir.walk(names); RemoteFile async = dir.walkAsync(names).join()) {
            assertEquals(inode(deep.resolve("leaf")), leaf.qid().path());
            assertEquals(leaf.qid(), async.qid());
        }
        List<String> missing = new ArrayList<>(names.subList(0, 20));
        missing.add(17, "nope");
        ErrnoException e = assertThrows(ErrnoException.class, () -> dir.walk(missing));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("\"nope\""), e.getMessage());
        assertEquals(before, conn.fids().inUse(), "a failed walk leaves no fid behind");
    }

    @Test
    void partialWalkFailsWithEnoentNamingTheMissingElement() throws IOException {
        Files.createDirectories(local.resolve("a/b"));
        int before = conn.fids().inUse();
        ErrnoException partial = assertThrows(ErrnoException.class, () -> dir.walk("a/b/missing/x"));
        assertEquals(Errno.ENOENT, partial.errno());
        assertEquals(2, partial.code());
        assertTrue(partial.getMessage().contains("a/b/missing"), partial.getMessage());
        ErrnoException first = assertThrows(ErrnoException.class, () -> dir.walk("nosuch"));
        assertEquals(Errno.ENOENT, first.errno());
        ErrnoException async = (ErrnoException) assertThrows(java.util.concurrent.CompletionException.class,
                () -> dir.walkAsync(List.of("a", "zz")).join()).getCause();
        assertEquals(Errno.ENOENT, async.errno());
        assertEquals(before, conn.fids().inUse());
    }

    @Test
    void createWriteAndReadBackAcrossManyRequests() throws IOException {
        byte[] data = random(3 * conn.msize() + 17, 1);
        try (RemoteFile f = dir.create("data", Dotl.O_RDWR, 0644)) {
            assertFalse(f.qid().isDirectory());
            f.writeFully(0, data, 0, data.length);
            byte[] back = new byte[data.length + 100];
            assertEquals(data.length, f.readFully(0, back, 0, back.length), "stops at end of file");
            assertArrayEquals(data, java.util.Arrays.copyOf(back, data.length));
            ByteBuffer one = ByteBuffer.allocate(10);
            assertEquals(10, f.read(5, one));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, 15), one.array());
            assertEquals(0, f.read(data.length, ByteBuffer.allocate(10)), "0 at end of file");
            assertEquals(ByteBuffer.wrap(data, 100, 50), f.readAsync(100, 50).join());
            assertEquals(4, f.writeAsync(1, ByteBuffer.wrap("ABCD".getBytes(StandardCharsets.US_ASCII))).join());
            assertEquals(data.length, f.getattr().size());
        }
        byte[] onDisk = Files.readAllBytes(local.resolve("data"));
        System.arraycopy("ABCD".getBytes(StandardCharsets.US_ASCII), 0, data, 1, 4);
        assertArrayEquals(data, onDisk);
    }

    @Test
    void streamsCopyAFileWithReadAheadAndPipelinedWrites() throws IOException {
        byte[] data = random(5 * conn.msize() / 2 + 3, 2);
        try (RemoteFile f = dir.create("streamed", Dotl.O_WRONLY | Dotl.O_TRUNC, 0600);
                OutputStream out = f.newOutputStream(0)) {
            for (int i = 0; i < data.length; i += 1000) {
                out.write(data, i, Math.min(1000, data.length - i));
            }
        }
        assertArrayEquals(data, Files.readAllBytes(local.resolve("streamed")));
        try (RemoteFile f = dir.open("streamed", Dotl.O_RDONLY); InputStream in = f.newInputStream(0)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        Files.write(local.resolve("tiny"), new byte[] {7});
        try (RemoteFile f = dir.open("tiny", Dotl.O_RDONLY); InputStream in = f.newInputStream(0)) {
            assertEquals(7, in.read());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void sixtyFourRequestsInFlightEachGetTheirOwnReply() throws Exception {
        int chunk = 4096;
        byte[] data = random(64 * chunk, 3);
        Files.write(local.resolve("blocks"), data);
        for (int i = 0; i < 64; i++) {
            Files.writeString(local.resolve("f" + i), "x".repeat(i));
        }
        try (RemoteFile f = dir.open("blocks", Dotl.O_RDONLY)) {
            List<CompletableFuture<ByteBuffer>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                reads.add(f.readAsync((long) i * chunk, chunk));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(ByteBuffer.wrap(data, i * chunk, chunk), reads.get(i).get(10, TimeUnit.SECONDS));
            }
        }
        // And 64 virtual threads walking and stat-ing different files at once.
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 64; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (RemoteFile f = dir.walk("f" + n)) {
                    assertEquals(n, f.getattr().size());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertEquals(0, conn.inFlight());
    }

    @Test
    void readdirListsTenThousandEntriesAcrossManyReplies() throws IOException {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String name = "entry-" + i;
            Files.createFile(local.resolve(name));
            expected.add(name);
        }
        List<Dirent> listed = dir.list();
        try (RemoteFile d = dir.duplicate().open(Dotl.O_RDONLY | Dotl.O_DIRECTORY)) {
            List<Dirent> first = d.readdirAsync(0, 4096).get(10, TimeUnit.SECONDS);
            assertFalse(first.isEmpty());
            assertEquals(first, d.readdir(0, 4096), "the same offset gives the same page");
            assertEquals(first.getLast().offset(), d.readdir(0, 4096).getLast().offset());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | InterruptedException e) {
            throw new AssertionError(e);
        }
        List<String> names = listed.stream().map(Dirent::name).toList();
        assertEquals(10_000, names.size(), "nothing missing or repeated");
        assertEquals(expected, new HashSet<>(names));
        try (RemoteFile d = dir.duplicate().open(Dotl.O_RDONLY | Dotl.O_DIRECTORY)) {
            int firstPage = d.readdir(0, Integer.MAX_VALUE).size();
            assertTrue(firstPage > 0 && firstPage < 10_000, "one Treaddir holds " + firstPage);
            assertEquals(10_002, d.entries().count(), "the stream includes . and ..");
        }
    }

    @Test
    void setattrChangesModeOwnerSizeAndTimesToTheNanosecond() throws IOException {
        Files.write(local.resolve("f"), new byte[100]);
        try (RemoteFile f = dir.walk("f")) {
            f.chmod(0640);
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(local.resolve("f"))));
            boolean root = uid == 0; // only root may give files away
            int owner = root ? 1234 : uid;
            int group = root ? 42 : (Integer) Files.getAttribute(local.resolve("f"), "unix:gid");
            if (root) {
                f.chown(1234, 5678);
                assertEquals(1234, Files.getAttribute(local.resolve("f"), "unix:uid"));
                assertEquals(5678, Files.getAttribute(local.resolve("f"), "unix:gid"));
                f.chown(-1, 42);
                assertEquals(1234, Files.getAttribute(local.resolve("f"), "unix:uid"));
                assertEquals(42, Files.getAttribute(local.resolve("f"), "unix:gid"));
            }
            f.truncate(10);
            assertEquals(10, Files.size(local.resolve("f")));
            Instant atime = Instant.ofEpochSecond(1_600_000_000L, 123_456_789);
            Instant mtime = Instant.ofEpochSecond(1_700_000_000L, 987_654_321);
            f.setTimes(atime, mtime);
            assertEquals(FileTime.from(mtime), Files.getLastModifiedTime(local.resolve("f")));
            FileAttr a = f.getattr();
            assertEquals(0640, a.permissions());
            assertTrue(a.isRegularFile());
            assertEquals(owner, a.uid());
            assertEquals(group, a.gid());
            assertEquals(10, a.size());
            assertEquals(atime, a.atime());
            assertEquals(mtime, a.mtime());
            assertTrue(a.has(Dotl.GETATTR_BASIC), "valid " + Long.toHexString(a.valid()));
            f.setattr(AttrUpdate.mode(0600).withSize(0).withTimes(null, Instant.ofEpochSecond(5)));
            FileAttr b = f.getattr(Dotl.GETATTR_BASIC);
            assertEquals(0600, b.permissions());
            assertEquals(0, b.size());
            assertEquals(Instant.ofEpochSecond(5), b.mtime());
            assertEquals(atime, b.atime());
            f.setattr(AttrUpdate.touch());
            assertTrue(f.getattr().mtime().isAfter(Instant.now().minusSeconds(600)));
        }
    }

    @Test
    void statfsDescribesTheFileSystem() throws IOException {
        FsStat s = dir.statfs();
        assertTrue(s.bsize() > 0 && s.blocks() > 0 && s.namelen() >= 255, s.toString());
        assertTrue(s.bavail() <= s.blocks());
    }

    @Test
    void errorsCarryTheServersErrno() throws IOException {
        Files.createDirectories(local.resolve("full/sub"));
        Files.writeString(local.resolve("exists"), "x");
        ErrnoException eexist = assertThrows(ErrnoException.class, () -> dir.mkdir("full", 0755));
        assertEquals(Errno.EEXIST, eexist.errno());
        assertEquals(17, eexist.code());
        assertTrue(eexist.getMessage().startsWith(dir.path() + ": Tmkdir: EEXIST"), eexist.getMessage());
        ErrnoException excl = assertThrows(ErrnoException.class,
                () -> dir.create("exists", Dotl.O_RDWR | Dotl.O_EXCL, 0644));
        assertEquals(Errno.EEXIST, excl.errno());
        ErrnoException notDir = assertThrows(ErrnoException.class,
                () -> dir.open("exists", Dotl.O_RDONLY | Dotl.O_DIRECTORY).close());
        assertEquals(Errno.ENOTDIR, notDir.errno());
        int before = conn.fids().inUse();
        RemoteFile full = dir.walk("full");
        ErrnoException removeFailed = assertThrows(ErrnoException.class, full::remove);
        assertEquals(Errno.ENOTEMPTY, removeFailed.errno());
        assertEquals(39, removeFailed.code());
        assertTrue(full.isClosed(), "Tremove clunks even when it fails");
        assertEquals(before, conn.fids().inUse());
        assertTrue(conn.isOpen(), "errors leave the connection usable");
    }

    @Test
    void namespaceOperationsMatchTheLocalFileSystem() throws IOException {
        Files.writeString(local.resolve("target"), "hello");
        dir.symlink("sym", "target");
        assertEquals("target", Files.readSymbolicLink(local.resolve("sym")).toString());
        try (RemoteFile sym = dir.walk("sym")) {
            assertTrue(sym.qid().isSymlink());
            assertEquals("target", sym.readlink());
            assertTrue(sym.getattr().isSymlink());
        }
        try (RemoteFile target = dir.walk("target")) {
            dir.link(target, "hard");
            assertEquals(2, target.getattr().nlink());
        }
        assertEquals(inode(local.resolve("target")), inode(local.resolve("hard")));
        dir.mknod("fifo", FileAttr.S_IFIFO | 0644, 0, 0);
        try (RemoteFile fifo = dir.walk("fifo")) {
            assertEquals(FileAttr.S_IFIFO, fifo.getattr().fileType());
        }
        assertTrue(dir.mkdir("sub", 0750).isDirectory());
        assertTrue(Files.isDirectory(local.resolve("sub")));
        try (RemoteFile sub = dir.walk("sub"); RemoteFile hard = dir.walk("hard")) {
            hard.rename(sub, "moved");
            assertEquals("hello", Files.readString(local.resolve("sub/moved")));
            assertEquals(5, hard.getattr().size(), "the fid follows the renamed file");
        }
        try (RemoteFile moved = dir.walk("sub/moved")) {
            moved.remove();
        }
        assertFalse(Files.exists(local.resolve("sub/moved")));
        dir.walk("sub").remove();
        assertFalse(Files.exists(local.resolve("sub")));
        List<String> names = dir.list().stream().map(Dirent::name).sorted().toList();
        assertEquals(List.of("fifo", "sym", "target"), names);
    }

    /** diod 1.0.24 answers EOPNOTSUPP to both; the test then checks only that the errno arrives exactly. */
    @Test
    void renameatAndUnlinkatWhereTheServerHasThem() throws IOException {
        Files.createDirectories(local.resolve("full/sub"));
        Files.writeString(local.resolve("f"), "f");
        Files.createDirectory(local.resolve("to"));
        try (RemoteFile to = dir.walk("to")) {
            try {
                dir.renameat("f", to, "g");
            } catch (ErrnoException e) {
                assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
                assumeTrue(false, "the server has no Trenameat: " + e.getMessage());
            }
            assertTrue(Files.exists(local.resolve("to/g")));
            assertFalse(Files.exists(local.resolve("f")));
            to.unlinkat("g", 0);
            assertFalse(Files.exists(local.resolve("to/g")));
        }
        ErrnoException notEmpty = assertThrows(ErrnoException.class, () -> dir.unlinkat("full", Dotl.AT_REMOVEDIR));
        assertEquals(Errno.ENOTEMPTY, notEmpty.errno());
        dir.unlinkat("to", Dotl.AT_REMOVEDIR);
        assertFalse(Files.exists(local.resolve("to")));
    }

    @Test
    void unlinkatWhereTheServerHasIt() throws IOException {
        Files.writeString(local.resolve("f"), "f");
        try {
            dir.unlinkat("f", 0);
        } catch (ErrnoException e) {
            assertEquals(Errno.EOPNOTSUPP, e.errno(), e.getMessage());
            assumeTrue(false, "the server has no Tunlinkat: " + e.getMessage());
        }
        assertFalse(Files.exists(local.resolve("f")));
    }

    @Test
    void fsyncFlushesAnOpenFile() throws IOException {
        try (RemoteFile f = dir.create("synced", Dotl.O_WRONLY, 0644)) {
            f.writeFully(0, new byte[] {1, 2, 3}, 0, 3);
            f.fsync(false);
            f.fsync(true);
        }
        assertEquals(3, Files.size(local.resolve("synced")));
    }

    @Test
    void locksCanBeTakenQueriedAndReleased() throws IOException {
        Files.writeString(local.resolve("locked"), "0123456789");
        try (RemoteFile f = dir.open("locked", Dotl.O_RDWR)) {
            LockStatus taken;
            try {
                taken = f.lock(FileLock.write(0, 5, 100, "ninefs-test"), 0);
            } catch (ErrnoException e) {
                assumeTrue(e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.ENOSYS, "diod has no Tlock: " + e);
                throw e;
            }
            assertEquals(LockStatus.SUCCESS, taken);
            FileLock probe = f.getlock(FileLock.write(0, 10, 100, "ninefs-test"));
            assertTrue(probe.isUnlocked(), "a lock never conflicts with its own owner: " + probe);
            assertEquals(LockStatus.SUCCESS, f.lock(FileLock.unlock(0, 5, 100, "ninefs-test"), 0));
        }
    }

    @Test
    void xattrsCanBeSetReadListedAndRemoved() throws IOException {
        Files.writeString(local.resolve("x"), "x");
        try (RemoteFile f = dir.walk("x")) {
            byte[] value = "value with \0 nul".getBytes(StandardCharsets.UTF_8);
            try {
                f.setxattr("user.ninefs", value, 0);
            } catch (ErrnoException e) {
                assumeTrue(e.errno() != Errno.EOPNOTSUPP, "the exported file system has no user xattrs: " + e);
                throw e;
            }
            assertArrayEquals(value, f.getxattr("user.ninefs"));
            assertTrue(f.listxattr().contains("user.ninefs"), f.listxattr().toString());
            byte[] big = random(3000, 4); // ext4 keeps all of a file's xattrs in one block
            f.setxattr("user.big", big, Dotl.XATTR_CREATE);
            assertArrayEquals(big, f.getxattr("user.big"));
            ErrnoException exists = assertThrows(ErrnoException.class,
                    () -> f.setxattr("user.big", new byte[1], Dotl.XATTR_CREATE));
            assertEquals(Errno.EEXIST, exists.errno());
            f.removexattr("user.ninefs");
            ErrnoException gone = assertThrows(ErrnoException.class, () -> f.getxattr("user.ninefs"));
            assertEquals(Errno.ENODATA, gone.errno());
            assertFalse(f.listxattr().contains("user.ninefs"));
        }
    }

    @Test
    void closeClunksExactlyOnceAndFidNumbersAreReused() throws IOException {
        Files.writeString(local.resolve("a"), "a");
        Files.writeString(local.resolve("b"), "bb");
        RemoteFile a = dir.walk("a");
        int fid = a.fid();
        a.close();
        RemoteFile b = dir.walk("b");
        assertEquals(fid, b.fid(), "the clunked number is handed out again");
        a.close(); // must not clunk b's fid, which has the same number now
        assertEquals(2, b.getattr().size());
        b.close();
    }
}
