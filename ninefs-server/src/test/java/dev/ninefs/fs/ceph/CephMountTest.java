// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ninefs.fs.DirEntry;
import dev.ninefs.fs.Node;
import dev.ninefs.fs.OpenFile;
import dev.ninefs.fs.User;
import dev.ninefs.protocol.Dotl;
import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Mounting, its failures (each with a message that says what is wrong), and the mount's lifetime. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CephMountTest {
    private static final User ROOT = new User(0, "root");
    @RegisterExtension
    static final CephTestCluster cluster = CephTestCluster.perClass();

    @Test
    void anUnreachableClusterFailsWithinTheTimeoutNotAHang(@TempDir Path tmp) throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free once closed: nothing answers there
        }
        Path conf = tmp.resolve("ceph.conf");
        Files.writeString(conf, "[global]\nmon host = v2:127.0.0.1:" + closedPort + "\nauth client required = none\n");
        CephOptions options = cluster.options("/").withMountTimeout(Duration.ofSeconds(2));
        CephOptions unreachable = new CephOptions(conf, null, null, null, null, "/", options.securityModel(),
                options.mountTimeout(), false, 0600, 0700);
        long start = System.nanoTime();
        var e = assertThrows(ErrnoException.class, () -> CephFileSystem.open(unreachable));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertTrue(e.getMessage().contains("cluster unreachable after 2 s"), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(closedPort)), e.getMessage());
        assertTrue(millis < 8_000, "took " + millis + " ms");
    }

    @Test
    void aMissingPathIsNamed() {
        var e = assertThrows(ErrnoException.class, () -> CephFileSystem.open(cluster.options("/no/such/dir")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("path does not exist: /no/such/dir"), e.getMessage());
    }

    @Test
    void aMissingFilesystemIsNamed() {
        CephOptions o = cluster.options("/");
        CephOptions other = new CephOptions(o.conf(), o.id(), null, null, "nosuchfs", "/volumes", o.securityModel(),
                o.mountTimeout(), false, 0600, 0700);
        var e = assertThrows(ErrnoException.class, () -> CephFileSystem.open(other));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("filesystem nosuchfs does not exist"), e.getMessage());
    }

    @Test
    void aMissingConfigurationIsNamed() {
        CephOptions o = cluster.options("/");
        CephOptions missing = new CephOptions(Path.of("/nonexistent/ceph.conf"), null, null, null, null, "/",
                o.securityModel(), o.mountTimeout(), false, 0600, 0700);
        var e = assertThrows(ErrnoException.class, () -> CephFileSystem.open(missing));
        assertTrue(e.getMessage().contains("cannot read the Ceph configuration /nonexistent/ceph.conf"),
                e.getMessage());
    }

    @Test
    void aConfigurationWithoutMonitorsIsNamed(@TempDir Path tmp) throws IOException {
        Path conf = tmp.resolve("ceph.conf");
        Files.writeString(conf, "[global]\nauth client required = none\n");
        CephOptions o = cluster.options("/");
        CephOptions noMons = new CephOptions(conf, null, null, null, null, "/", o.securityModel(), o.mountTimeout(),
                false, 0600, 0700);
        var e = assertThrows(ErrnoException.class, () -> CephFileSystem.open(noMons));
        assertTrue(e.getMessage().contains("no monitor address"), e.getMessage());
    }

    @Test
    void callsAfterTheMountIsReleasedFailInsteadOfCrashingTheJvm() throws Exception {
        CephFileSystem fs = CephFileSystem.open(cluster.options("/"));
        Node root = fs.attach(ROOT);
        Node.Created created = root.create("survivor-" + System.nanoTime(), Dotl.O_RDWR, 0644, 0);
        fs.close(); // out of order: nodes and files still open
        var e = assertThrows(ErrnoException.class, root::getattr);
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("after the mount"), e.getMessage());
        assertThrows(ErrnoException.class, () -> created.file().write(0, java.nio.ByteBuffer.wrap(new byte[1])));
        created.file().close();
        created.node().close();
        root.close();
        fs.close();
    }

    @Test
    void everyMountInTheProcessGetsItsOwnLogFile() throws Exception {
        Path logs = cluster.dir().resolve("log");
        List<Path> before = clientLogs(logs);
        try (CephFileSystem a = CephFileSystem.open(cluster.options("/"));
                CephFileSystem b = CephFileSystem.open(cluster.options("/"))) {
            List<Path> added = new ArrayList<>(clientLogs(logs));
            added.removeAll(before);
            assertEquals(2, added.size(), "new client logs: " + added);
        }
    }

    @Test
    void aSubdirectoryExportNeverWalksAboveItsRoot() throws Exception {
        String top = cluster.newDirectory("jail", 0);
        try (CephFileSystem whole = CephFileSystem.open(cluster.options(top))) {
            Node root = whole.attach(ROOT);
            root.mkdir("inner", 0755, 0).close();
            root.close();
        }
        try (CephFileSystem jail = CephFileSystem.open(cluster.options(top + "/inner"))) {
            Node root = jail.attach(ROOT);
            long ino = root.getattr().ino();
            try (Node up = root.walk(".."); Node upUp = up.walk("..")) {
                assertEquals(ino, up.getattr().ino());
                assertEquals(ino, upUp.getattr().ino());
            }
            List<DirEntry> entries = new ArrayList<>();
            try (OpenFile listing = root.open(Dotl.O_RDONLY)) {
                listing.readdir(0, entries::add);
            }
            DirEntry dotDot = entries.stream().filter(d -> d.name().equals("..")).findFirst().orElseThrow();
            assertEquals(ino, dotDot.ino(), "'..' of the export's root is the root");
            var e = assertThrows(ErrnoException.class, root::remove);
            assertEquals(Errno.EBUSY, e.errno());
            root.close();
        }
    }

    /**
     * bin/ninefs runs the JVM with -Xss512k. Loading libcephfs runs libceph-common's static initialisers, which
     * overflowed a 512 KiB stack (SIGSEGV in Option::Option): the library is loaded, and clients made, on a thread
     * with a full-size stack. A fresh JVM, because the library loads once per process.
     */
    @Test
    void aJvmWithSmallThreadStacksLoadsTheLibraryAndMounts() throws Exception {
        String top = cluster.newDirectory("smallstack", 0);
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        var command = new ProcessBuilder(launcher.toString(), "-Xss512k", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SmallStackMount.class.getName(),
                cluster.conf().toString(), cluster.fsName(), top).redirectErrorStream(true);
        Process child = command.start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("mounted and created made-with-512k"), out);
    }

    /** The child of {@link #aJvmWithSmallThreadStacksLoadsTheLibraryAndMounts}: mounts, creates a file, lists it. */
    static final class SmallStackMount {
        public static void main(String[] args) throws Exception {
            var options = new CephOptions(Path.of(args[0]), "admin", null, null, args[1], args[2],
                    CephOptions.SecurityModel.PASSTHROUGH, Duration.ofSeconds(20), false, 0600, 0700);
            try (CephFileSystem fs = CephFileSystem.open(options)) {
                Node root = fs.attach(ROOT);
                Node.Created created = root.create("made-with-512k", Dotl.O_RDWR, 0644, 0);
                created.file().close();
                created.node().close();
                List<DirEntry> entries = new ArrayList<>();
                try (OpenFile listing = root.open(Dotl.O_RDONLY)) {
                    listing.readdir(0, entries::add);
                }
                root.close();
                if (entries.stream().anyMatch(d -> d.name().equals("made-with-512k"))) {
                    System.out.println("mounted and created made-with-512k");
                }
            }
        }
    }

    private static List<Path> clientLogs(Path logs) throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(p -> p.getFileName().toString().startsWith("client.")).toList();
        }
    }
}
