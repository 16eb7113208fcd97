// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ninefs.client.Connection;
import dev.ninefs.client.RemoteFile;
import dev.ninefs.fs.local.LocalFileSystem;
import dev.ninefs.fs.local.LocalOptions;
import dev.ninefs.fs.local.SecurityModel;
import dev.ninefs.protocol.Dirent;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import dev.ninefs.protocol.Qid;
import dev.ninefs.server.Export;
import dev.ninefs.server.NinefsServer;
import dev.ninefs.transport.Endpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A local export with a second file system mounted inside it: the export root is a tmpfs, {@code mnt} another, and
 * {@code same} and {@code mnt/same} are two files with one inode number. Driven through a real server and the client
 * library over TCP loopback. Needs root to mount (CI runs as root); skipped otherwise.
 */
@Timeout(60)
class LocalMultidevsTest {
    private static final String EXPORT = "share";
    private static Path base, export, mnt;
    private static final List<Path> mounted = new ArrayList<>();
    private static long sharedInode, coveredInode;

    @BeforeAll
    static void mountTwoFileSystems() throws Exception {
        assumeTrue(isRoot(), "mounting tmpfs needs root");
        base = Files.createTempDirectory("ninefs-multidevs");
        export = base.resolve("export");
        Files.createDirectory(export);
        mount("ninefs-qid-a", export);
        mnt = export.resolve("mnt");
        Files.createDirectory(mnt);
        coveredInode = attr(mnt, "ino"); // what a listing of the export root keeps showing for mnt
        mount("ninefs-qid-b", mnt);
        assertNotEquals(attr(export, "dev"), attr(mnt, "dev"), "mnt is another device");
        // Files on each side until one inode number turns up on both (tmpfs numbers each mount from 1 up).
        Map<Long, Path> onA = new HashMap<>(), onB = new HashMap<>();
        Path a = null, b = null;
        for (int i = 0; i < 1000 && a == null; i++) {
            Path fa = Files.writeString(export.resolve("a" + i), "on the root's device");
            Path fb = Files.writeString(mnt.resolve("b" + i), "on mnt's device");
            onA.put(attr(fa, "ino"), fa);
            onB.put(attr(fb, "ino"), fb);
            for (long ino : onA.keySet()) {
                if (onB.containsKey(ino)) {
                    a = onA.get(ino);
                    b = onB.get(ino);
                    sharedInode = ino;
                    break;
                }
            }
        }
        assumeTrue(a != null, "no inode number common to the two tmpfs mounts after 1000 files each");
        Files.move(a, export.resolve("same"));
        Files.move(b, mnt.resolve("same"));
        assertEquals(attr(export.resolve("same"), "ino"), attr(mnt.resolve("same"), "ino"));
    }

    @AfterAll
    static void unmount() throws Exception {
        for (int i = mounted.size() - 1; i >= 0; i--) {
            run("umount", mounted.get(i).toString());
        }
        if (base != null) {
            Files.deleteIfExists(mnt);
            Files.deleteIfExists(export);
            Files.deleteIfExists(base);
        }
    }

    @Test
    void remapGivesTheTwoFilesDifferentQidsAndEachTheSameQidThroughEveryPath() throws Exception {
        try (Served s = serve(Multidevs.REMAP.mapper(EXPORT, new RecordingLogger()));
                RemoteFile root = s.attach();
                RemoteFile a = root.walk("same");
                RemoteFile b = root.walk("mnt/same");
                RemoteFile dir = root.walk("mnt")) {
            assertNotEquals(a.qid().path(), b.qid().path(), "same inode number, different devices");
            assertEquals(a.qid(), a.getattr().qid());
            assertEquals(b.qid(), b.getattr().qid());
            assertEquals(dir.qid(), dir.getattr().qid());

            // readdir: the same qid.paths, the mount point included (the listing alone would give the covered
            // directory's inode on the root's device).
            assertEquals(a.qid().path(), listed(root, "same").path());
            assertEquals(dir.qid().path(), listed(root, "mnt").path());
            assertEquals(b.qid().path(), listed(dir, "same").path());
            assertEquals(dir.qid().path(), listed(dir, ".").path());
            assertEquals(root.qid().path(), listed(dir, "..").path());

            try (RemoteFile opened = root.walk("mnt/same").open(Dotl.O_RDONLY)) {
                assertEquals(b.qid().path(), opened.qid().path(), "lopen");
            }
            try (RemoteFile created = dir.create("created", Dotl.O_RDWR, 0644);
                    RemoteFile walked = root.walk("mnt/created")) {
                assertEquals(walked.qid().path(), created.qid().path(), "lcreate");
                assertEquals(walked.qid().path(), listed(dir, "created").path());
            }
            Qid made = dir.mkdir("made", 0755);
            try (RemoteFile walked = root.walk("mnt/made")) {
                assertEquals(walked.qid(), made, "mkdir");
            }
            dir.link(b, "link");
            try (RemoteFile walked = root.walk("mnt/link")) {
                assertEquals(b.qid().path(), walked.qid().path(), "a hard link is the same file");
            }
            dir.unlinkat("created", 0);
            dir.unlinkat("made", Dotl.AT_REMOVEDIR);
            dir.unlinkat("link", 0);
        }
    }

    @Test
    void forbidAnswersEnodevForTheOtherDeviceAndStillListsItsName() throws Exception {
        RecordingLogger log = new RecordingLogger();
        try (Served s = serve(Multidevs.FORBID.mapper(EXPORT, log));
                RemoteFile root = s.attach();
                RemoteFile a = root.walk("same")) {
            assertEquals(sharedInode, a.qid().path(), "raw inode numbers on the root's device");
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> root.walk("mnt")).errno());
            assertEquals(Errno.ENODEV, assertThrows(ErrnoException.class, () -> root.walk("mnt/same")).errno());
            assertEquals(coveredInode, listed(root, "mnt").path(), "listed, with the covered directory's inode");
            assertEquals(1, log.messages(Level.WARNING).size());
        }
    }

    @Test
    void warnGivesRawInodesAndLogsOneWarningNamingTheExport() throws Exception {
        RecordingLogger log = new RecordingLogger();
        try (Served s = serve(Multidevs.WARN.mapper(EXPORT, log));
                RemoteFile root = s.attach();
                RemoteFile a = root.walk("same")) {
            assertEquals(sharedInode, a.qid().path());
            assertTrue(log.messages(Level.WARNING).isEmpty(), "nothing to warn about yet");
            try (RemoteFile b = root.walk("mnt/same"); RemoteFile dir = root.walk("mnt")) {
                assertEquals(sharedInode, b.qid().path(), "the collision warn is about");
                b.getattr();
                dir.list();
            }
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("'" + EXPORT + "'") && warnings.get(0).contains("multidevs=remap"),
                    warnings.get(0));
        }
    }

    /** A server with the export under {@code qids}, listening on loopback, and a connection to it. */
    private record Served(NinefsServer server, Connection connection) implements AutoCloseable {
        RemoteFile attach() throws IOException {
            return connection.attach("root", EXPORT, 0);
        }

        @Override
        public void close() {
            connection.close();
            server.close();
        }
    }

    private static Served serve(QidMapper qids) throws IOException {
        LocalFileSystem fs = LocalFileSystem.open(export, LocalOptions.of(SecurityModel.PASSTHROUGH));
        NinefsServer server = NinefsServer.builder().export(Export.of(EXPORT, fs, false, qids)).build();
        try {
            Endpoint.Tcp bound = (Endpoint.Tcp) server.listen(Endpoint.parse("tcp://127.0.0.1:0"));
            return new Served(server, Connection.open("tcp://127.0.0.1:" + bound.port()));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The qid a listing of {@code dir} gives {@code name}. */
    private static Qid listed(RemoteFile dir, String name) throws IOException {
        try (RemoteFile open = dir.duplicate().open(Dotl.O_RDONLY | Dotl.O_DIRECTORY)) {
            return open.entries().filter(e -> e.name().equals(name)).map(Dirent::qid).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not listed"));
        }
    }

    /** unix:dev or unix:ino of {@code p}. */
    private static long attr(Path p, String what) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:" + what)).longValue();
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1].equals("0");
            }
        }
        return false;
    }

    private static void mount(String source, Path at) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m,mode=755", source, at.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, "mount -t tmpfs on " + at + " failed: " + out.trim());
        mounted.add(at);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out.trim());
        }
        return out;
    }
}
