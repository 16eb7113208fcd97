// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ninefs.fs.BackendContract.Feature;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;

/**
 * One test's view of a backend: a fresh export attached as the owner, the nodes and files the test opened (all
 * closed at the end, newest first, before the export), and the helpers the contract groups share.
 */
public final class ContractFixture implements AutoCloseable {
    private final BackendContract contract;
    private final Set<Feature> features;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final List<FileSystem> exports = new ArrayList<>();
    private final FileSystem fs;
    private final Node root;

    ContractFixture(BackendContract contract, TestInfo test) throws Exception {
        this.contract = contract;
        this.features = Set.copyOf(contract.features());
        String method = test.getTestMethod().map(m -> m.getName()).orElse("");
        String group = test.getTestMethod().map(m -> m.getDeclaringClass().getSimpleName()).orElse("");
        Set<String> skipped = contract.knownDifferences();
        Assumptions.assumeFalse(skipped.contains(method) || skipped.contains(group + "." + method),
                "a known difference of this backend");
        this.fs = export(contract.newFileSystem());
        this.root = attach(contract.owner());
    }

    /** The test's export. */
    public FileSystem fs() {
        return fs;
    }

    /** Its root, attached as {@link BackendContract#owner()}. */
    public Node root() {
        return root;
    }

    // ---- identities and features

    public User owner() {
        return contract.owner();
    }

    public User stranger() {
        return contract.stranger();
    }

    public int gid() {
        return contract.gid();
    }

    public int otherGid() {
        return contract.otherGid();
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /** Whether the tests act as root (a backend that cannot act as anyone else). */
    public boolean ownerIsRoot() {
        return owner().uid() == 0 || owner().uid() == User.NO_UID;
    }

    /** Skips a test of what the owner may not do, when the owner is root and may do everything. */
    public void requireNonRootOwner() {
        assumeTrue(!ownerIsRoot(), "the owner is root");
    }

    /** Skips the test unless the backend has every one of {@code needed}. */
    public void require(Feature... needed) {
        for (Feature f : needed) {
            assumeTrue(features.contains(f), "backend without " + f);
        }
    }

    // ---- exports, nodes and files, all closed at the end

    /** Another fresh export (closed at the end). */
    public FileSystem newExport() throws Exception {
        return export(contract.newFileSystem());
    }

    /** A read-only view of the test's export; skips the test when the backend has none. */
    public FileSystem readOnlyView() throws Exception {
        FileSystem view = contract.readOnlyView(fs);
        assumeTrue(view != null, "backend without read-only views");
        return export(view);
    }

    private FileSystem export(FileSystem export) {
        exports.add(export);
        return export;
    }

    public <T extends AutoCloseable> T keep(T resource) {
        open.push(resource);
        return resource;
    }

    /** Closes {@code resource} now instead of at the end. */
    public void closeNow(AutoCloseable resource) {
        if (!open.removeFirstOccurrence(resource)) {
            fail("closed twice or never kept: " + resource);
        }
        closeQuietly(resource);
    }

    public Node attach(FileSystem export, User user) throws ErrnoException {
        return keep(export.attach(user));
    }

    public Node attach(User user) throws ErrnoException {
        return attach(fs, user);
    }

    /** Walks {@code names} one at a time from {@code from}. */
    public Node walk(Node from, String... names) throws ErrnoException {
        Node at = keep(from.duplicate());
        for (String name : names) {
            Node next = keep(at.walk(name));
            closeNow(at);
            at = next;
        }
        return at;
    }

    public Node mkdir(Node dir, String name) throws ErrnoException {
        return keep(dir.mkdir(name, 0755, gid()));
    }

    public Node.Created create(Node dir, String name, int flags, int mode) throws ErrnoException {
        Node.Created created = dir.create(name, flags, mode, gid());
        keep(created.node());
        keep(created.file());
        return created;
    }

    /** An empty regular file, mode 0644, with its open file already closed. */
    public Node touch(Node dir, String name) throws ErrnoException {
        Node.Created created = dir.create(name, Dotl.O_RDWR, 0644, gid());
        created.file().close();
        return keep(created.node());
    }

    /** A regular file holding {@code content}, mode 0644. */
    public Node file(Node dir, String name, byte[] content) throws ErrnoException {
        Node.Created created = dir.create(name, Dotl.O_RDWR, 0644, gid());
        try (OpenFile file = created.file()) {
            writeFully(file, 0, content);
        }
        return keep(created.node());
    }

    public Node symlink(Node dir, String name, String target) throws ErrnoException {
        return keep(dir.symlink(name, target, gid()));
    }

    public OpenFile open(Node node, int flags) throws ErrnoException {
        return keep(node.open(flags));
    }

    // ---- I/O

    public static void writeFully(OpenFile file, long offset, byte[] data) throws ErrnoException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            int n = file.write(offset + src.position(), src);
            if (n <= 0) {
                fail("write made no progress at " + src.position());
            }
        }
    }

    /** Up to {@code count} bytes at {@code offset}, fewer only at the end of the file. */
    public static byte[] read(OpenFile file, long offset, int count) throws ErrnoException {
        ByteBuffer dst = ByteBuffer.allocate(count);
        while (dst.hasRemaining()) {
            if (file.read(offset + dst.position(), dst) == 0) {
                break;
            }
        }
        return java.util.Arrays.copyOf(dst.array(), dst.position());
    }

    /** The whole content of {@code node}, read through a new open file. */
    public byte[] content(Node node) throws ErrnoException {
        try (OpenFile file = node.open(Dotl.O_RDONLY)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long offset = 0;
            while (true) {
                byte[] chunk = read(file, offset, 1 << 16);
                out.writeBytes(chunk);
                offset += chunk.length;
                if (chunk.length < 1 << 16) {
                    return out.toByteArray();
                }
            }
        }
    }

    /** The whole listing of {@code dir} (with "." and ".."), taken {@code page} entries per readdir call. */
    public List<DirEntry> list(Node dir, int page) throws ErrnoException {
        try (OpenFile file = dir.open(Dotl.O_RDONLY | Dotl.O_DIRECTORY)) {
            List<DirEntry> all = new ArrayList<>();
            long offset = 0;
            while (true) {
                List<DirEntry> got = page(file, offset, page);
                if (got.isEmpty()) {
                    return all;
                }
                all.addAll(got);
                offset = got.getLast().offset();
            }
        }
    }

    /** One readdir call from {@code offset} into a sink that takes at most {@code max} entries. */
    public static List<DirEntry> page(OpenFile dir, long offset, int max) throws ErrnoException {
        List<DirEntry> got = new ArrayList<>();
        dir.readdir(offset, entry -> got.size() < max && got.add(entry));
        return got;
    }

    /** The names in {@code dir}, without "." and "..", in listing order. */
    public List<String> names(Node dir) throws ErrnoException {
        return list(dir, 1000).stream().map(DirEntry::name).filter(n -> !n.equals(".") && !n.equals("..")).toList();
    }

    // ---- attributes

    public static SetAttr chmod(int mode) {
        return new SetAttr(Dotl.SETATTR_MODE, mode, 0, 0, 0, 0, 0, 0, 0);
    }

    public static SetAttr chown(int uid, int gid) {
        return new SetAttr(Dotl.SETATTR_UID | Dotl.SETATTR_GID, 0, uid, gid, 0, 0, 0, 0, 0);
    }

    public static SetAttr truncate(long size) {
        return new SetAttr(Dotl.SETATTR_SIZE, 0, 0, 0, size, 0, 0, 0, 0);
    }

    /** utimes with explicit atime and mtime. */
    public static SetAttr times(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        int valid = Dotl.SETATTR_ATIME | Dotl.SETATTR_ATIME_SET | Dotl.SETATTR_MTIME | Dotl.SETATTR_MTIME_SET;
        return new SetAttr(valid, 0, 0, 0, 0, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    }

    /** utimes(NULL): both times to now. */
    public static SetAttr timesNow() {
        return new SetAttr(Dotl.SETATTR_ATIME | Dotl.SETATTR_MTIME, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A moment long past (2001-09-09), to see a time move forward whatever the clock's granularity. */
    public static final long PAST = 1_000_000_000L;

    /** Sets both times of {@code node} to {@link #PAST}. */
    public static void age(Node node) throws ErrnoException {
        node.setattr(times(PAST, 0, PAST, 0));
    }

    /**
     * Lets the clock move well past {@code attr}'s ctime, so that a change made next gets a later ctime even on a
     * file system with coarse (jiffy) timestamps. Waits for time itself, not for another thread.
     */
    public static void passClock(Attr attr) {
        Instant after = Instant.ofEpochSecond(attr.ctimeSec(), attr.ctimeNsec()).plusMillis(25);
        while (Instant.now().isBefore(after)) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    public static int compareTimes(long sec1, long nsec1, long sec2, long nsec2) {
        return sec1 != sec2 ? Long.compare(sec1, sec2) : Long.compare(nsec1, nsec2);
    }

    // ---- errors

    /** What a backend call does that must fail. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** Asserts that {@code call} fails with {@code expected}. */
    public static void assertErrno(Errno expected, Call call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            assertEquals(expected, e.errno(), () -> "errno (" + e.getMessage() + ")");
            return;
        } catch (Exception e) {
            throw new AssertionError("expected " + expected + ", got " + e, e);
        }
        fail("expected " + expected + ", but it succeeded");
    }

    @Override
    public void close() {
        while (!open.isEmpty()) {
            closeQuietly(open.pop());
        }
        for (FileSystem export : exports.reversed()) {
            export.close();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            throw new AssertionError("close must not fail: " + resource, e);
        }
    }
}
